//! HTTP transport: one reqwest client per service client, so connections are pooled and
//! reused across calls (and across tasks, since the client is cheap to share by reference).
//!
//! TLS is rustls with the ring provider (see [`install_crypto_provider`]); server
//! certificates are checked against the system's roots and [`ClientConfig::root_certificates_pem`].

use std::time::Duration;

use crate::error::{ErrorKind, TransportError, TransportStage};
use crate::soap::SoapVersion;

/// Transport settings. The defaults suit batch APIs: a generous total timeout for large
/// batches, a short connect timeout, and idle connections kept for reuse.
///
/// `Debug` leaves the client identity (a private key) and the proxy (which may hold a
/// password) out.
#[derive(Clone)]
pub struct ClientConfig {
    /// Limit on a whole call, from connecting to the last byte of the response.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    pub user_agent: String,
    /// Certificates (PEM, one or more each) trusted besides the system's roots: a corporate
    /// CA, or a test server's own certificate.
    pub root_certificates_pem: Vec<Vec<u8>>,
    /// A client certificate for mutual TLS: PEM holding the certificate (chain) and its
    /// private key (PKCS#8, PKCS#1 or SEC1); `None` sends none.
    pub client_identity_pem: Option<Vec<u8>>,
    /// A proxy for every request (`http://proxy.example:3128`, userinfo allowed); `None`
    /// connects directly.
    pub proxy: Option<String>,
    /// An HTTP client of the caller's own (client certificates, other TLS settings, a shared
    /// pool), used as it is: the settings above are then not applied to it. Start it with
    /// [`http_client_builder`] (or call [`install_crypto_provider`] before building it),
    /// unless the program has installed a rustls provider of its own or its reqwest has one
    /// (reqwest's default features).
    pub http_client: Option<reqwest::Client>,
    /// Sending failed calls again; `None` (the default) sends each call once.
    pub retry: Option<crate::RetryPolicy>,
    /// What every call passes through, in this order (see [`crate::layer`]).
    pub layers: Vec<std::sync::Arc<dyn crate::Layer>>,
    /// Sending every request as an MTOM package (the `mtom` feature, see [`crate::mtom`]);
    /// `None` (the default) sends plain envelopes. Responses are read either way.
    #[cfg(feature = "mtom")]
    pub mtom: Option<crate::mtom::Mtom>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = |set: bool| if set { "<redacted>" } else { "none" };
        f.debug_struct("ClientConfig")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates_pem.len())
            .field("client_identity", &secret(self.client_identity_pem.is_some()))
            .field("proxy", &secret(self.proxy.is_some()))
            .field("http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .field("layers", &self.layers)
            .finish()
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            pool_idle_timeout: Duration::from_secs(90),
            user_agent: concat!("mktows-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates_pem: Vec::new(),
            client_identity_pem: None,
            proxy: None,
            http_client: None,
            retry: None,
            layers: Vec::new(),
            #[cfg(feature = "mtom")]
            mtom: None,
        }
    }
}

/// A configuration problem found when building a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    endpoint: reqwest::Url,
}

/// What came back: the status, the headers and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Name (lower case) and value of each header, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response without headers (a test's, or a body read from elsewhere).
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Self { status, headers: Vec::new(), body }
    }

    /// The first header `name` (any case), if there is one that is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl Transport {
    pub fn new(endpoint: &str, config: &ClientConfig) -> Result<Self, ConfigError> {
        let endpoint = reqwest::Url::parse(endpoint)
            .map_err(|e| ConfigError(format!("endpoint `{endpoint}` is not a URL: {e}")))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(ConfigError(format!("endpoint `{endpoint}` must be http or https")));
        }
        let http = match &config.http_client {
            Some(client) => client.clone(),
            None => http_client(config)?,
        };
        Ok(Self { http, endpoint })
    }

    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// The endpoint without a user name or password in it.
    pub fn public_endpoint(&self) -> String {
        let mut url = self.endpoint.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.to_string()
    }

    /// POSTs a SOAP 1.1 request.
    pub async fn post(&self, soap_action: &str, body: Vec<u8>) -> Result<HttpResponse, ErrorKind> {
        self.post_as(SoapVersion::Soap11, soap_action, body).await
    }

    /// POSTs a request of `version`: SOAP 1.1 as `text/xml` with a `SOAPAction` header,
    /// SOAP 1.2 as `application/soap+xml` with the action as its `action` parameter (an
    /// empty action is left out, as SOAP 1.2 makes it optional).
    pub async fn post_as(
        &self,
        version: SoapVersion,
        soap_action: &str,
        body: Vec<u8>,
    ) -> Result<HttpResponse, ErrorKind> {
        self.exchange(version, soap_action, body).await.map_err(failure)
    }

    /// Sends a request the layers have prepared, with its HTTP headers.
    pub async fn send(&self, request: crate::layer::Request) -> Result<HttpResponse, ErrorKind> {
        let crate::layer::Request { call, envelope, http_headers } = request;
        let call = &call;
        self.exchange_with(call.version, call.soap_action, envelope, &http_headers).await.map_err(failure)
    }

    async fn exchange(
        &self,
        version: SoapVersion,
        soap_action: &str,
        body: Vec<u8>,
    ) -> Result<HttpResponse, reqwest::Error> {
        self.exchange_with(version, soap_action, body, &[]).await
    }

    async fn exchange_with(
        &self,
        version: SoapVersion,
        soap_action: &str,
        body: Vec<u8>,
        headers: &[(String, String)],
    ) -> Result<HttpResponse, reqwest::Error> {
        let mut request = self.http.post(self.endpoint.clone());
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        // A layer's Content-Type (an MTOM package's) replaces the envelope's own.
        let own_content_type = !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        let request = match version {
            SoapVersion::Soap11 if own_content_type => request
                .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{soap_action}\"")),
            SoapVersion::Soap11 => request.header("SOAPAction", format!("\"{soap_action}\"")),
            SoapVersion::Soap12 if own_content_type => {
                request.header(reqwest::header::CONTENT_TYPE, soap12_content_type(soap_action))
            }
            SoapVersion::Soap12 => request,
        };
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = response.bytes().await?.to_vec();
        Ok(HttpResponse { status, headers, body })
    }
}

/// Makes ring the process's rustls crypto provider, unless one is installed already (the
/// program's own choice then stands). reqwest, built here without a provider of its own,
/// panics when it builds a client and none is installed: clients the runtime builds call
/// this first; call it before building a `reqwest::Client` for [`ClientConfig::http_client`].
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile: either way one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// `reqwest::Client::builder()` of the reqwest the runtime takes, with the crypto provider
/// installed: the start of an HTTP client of one's own for [`ClientConfig::http_client`].
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

/// The HTTP client `config` describes.
fn http_client(config: &ClientConfig) -> Result<reqwest::Client, ConfigError> {
    install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(config.pool_idle_timeout)
        .user_agent(config.user_agent.clone());
    for (index, pem) in config.root_certificates_pem.iter().enumerate() {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| ConfigError(format!("root certificate {} is not PEM: {e}", index + 1)))?;
        if certificates.is_empty() {
            return Err(ConfigError(format!("root certificate {} holds no certificate", index + 1)));
        }
        for certificate in certificates {
            // PEM is only its armour; the certificate inside is parsed when a client is
            // built: try it alone, so that the error names the one at fault.
            if reqwest::Client::builder().tls_certs_merge([certificate.clone()]).build().is_err() {
                return Err(ConfigError(format!("root certificate {} is not a valid X.509 certificate", index + 1)));
            }
            builder = builder.tls_certs_merge([certificate]);
        }
    }
    if let Some(pem) = &config.client_identity_pem {
        // The key stays out of the message: only whether it could be read.
        let identity = reqwest::Identity::from_pem(pem).map_err(|_| {
            ConfigError("the client identity is not PEM holding a certificate and its private key".into())
        })?;
        builder = builder.identity(identity);
    }
    if let Some(proxy) = &config.proxy {
        // The proxy's own address may hold a password: the message leaves it out.
        let proxy = reqwest::Proxy::all(proxy.as_str())
            .map_err(|_| ConfigError("the proxy is not a URL such as http://proxy.example:3128".into()))?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))
}

/// What a failed exchange means: a timeout, or a connection that failed before or after
/// the request could have reached the service. The message walks the causes down to the
/// root one (reqwest's own says only "error sending request"), without the URL, whose
/// userinfo may hold a credential.
fn failure(error: reqwest::Error) -> ErrorKind {
    if error.is_timeout() {
        return ErrorKind::Timeout;
    }
    let refused_handshake = refused_by_tls_alert(&error);
    let stage = match error.is_connect() || refused_handshake {
        true => TransportStage::Connect,
        false => TransportStage::Exchange,
    };
    let error = error.without_url();
    let what = match stage {
        TransportStage::Connect => "cannot connect",
        _ => "the connection failed",
    };
    let message = crate::error::with_causes(what.to_owned(), std::error::Error::source(&error));
    ErrorKind::Transport(TransportError::new(stage, message, Some(Box::new(error))))
}

/// Whether the server ended the TLS handshake with a fatal alert (a client certificate it
/// requires or refuses, say). Under TLS 1.3 the client sends its request before the server
/// has checked its certificate, so reqwest reports the alert as a failed exchange; but a
/// server reads no application data from a handshake it refused, so nothing was processed.
fn refused_by_tls_alert(error: &reqwest::Error) -> bool {
    use rustls::AlertDescription::*;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(current) = cause {
        let tls = current
            .downcast_ref::<rustls::Error>()
            .or_else(|| current.downcast_ref::<std::io::Error>()?.get_ref()?.downcast_ref::<rustls::Error>());
        if let Some(rustls::Error::AlertReceived(alert)) = tls {
            return matches!(
                alert,
                CertificateRequired
                    | BadCertificate
                    | UnsupportedCertificate
                    | CertificateRevoked
                    | CertificateExpired
                    | CertificateUnknown
                    | UnknownCA
                    | AccessDenied
                    | HandshakeFailure
                    | ProtocolVersion
                    | InsufficientSecurity
            );
        }
        cause = current.source();
    }
    false
}

/// The SOAP 1.2 media type, with the action (RFC 3902) when there is one.
pub fn soap12_content_type(soap_action: &str) -> String {
    match soap_action.is_empty() {
        true => "application/soap+xml; charset=utf-8".to_owned(),
        false => format!("application/soap+xml; charset=utf-8; action=\"{soap_action}\""),
    }
}

#[cfg(test)]
mod tests {
    /// RFC 3902: the action travels as a parameter of `application/soap+xml`.
    #[test]
    fn the_soap12_media_type_carries_the_action() {
        assert_eq!(super::soap12_content_type("urn:a"), r#"application/soap+xml; charset=utf-8; action="urn:a""#);
        assert_eq!(super::soap12_content_type(""), "application/soap+xml; charset=utf-8");
    }
}
