//! HTTP transport: one reqwest client per service client, so connections are pooled and
//! reused across calls (and across tasks, since the client is cheap to share by reference).

use std::time::Duration;

use crate::error::{ErrorKind, TransportError, TransportStage};
use crate::soap::SoapVersion;

/// Transport settings. The defaults suit batch APIs: a generous total timeout for large
/// batches, a short connect timeout, and idle connections kept for reuse.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Limit on a whole call, from connecting to the last byte of the response.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            pool_idle_timeout: Duration::from_secs(90),
            user_agent: concat!("mktows-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
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

/// What came back: the status and the whole body.
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Transport {
    pub fn new(endpoint: &str, config: &ClientConfig) -> Result<Self, ConfigError> {
        let endpoint = reqwest::Url::parse(endpoint)
            .map_err(|e| ConfigError(format!("endpoint `{endpoint}` is not a URL: {e}")))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(ConfigError(format!("endpoint `{endpoint}` must be http or https")));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(config.pool_idle_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, endpoint })
    }

    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
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

    async fn exchange(
        &self,
        version: SoapVersion,
        soap_action: &str,
        body: Vec<u8>,
    ) -> Result<HttpResponse, reqwest::Error> {
        let request = self.http.post(self.endpoint.clone());
        let request = match version {
            SoapVersion::Soap11 => request
                .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{soap_action}\"")),
            SoapVersion::Soap12 => request.header(reqwest::header::CONTENT_TYPE, soap12_content_type(soap_action)),
        };
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?.to_vec();
        Ok(HttpResponse { status, body })
    }
}

/// What a failed exchange means: a timeout, or a connection that failed before or after
/// the request could have reached the service. The message walks the causes down to the
/// root one (reqwest's own says only "error sending request"), without the URL, whose
/// userinfo may hold a credential.
fn failure(error: reqwest::Error) -> ErrorKind {
    if error.is_timeout() {
        return ErrorKind::Timeout;
    }
    let stage = if error.is_connect() { TransportStage::Connect } else { TransportStage::Exchange };
    let error = error.without_url();
    let mut message = match stage {
        TransportStage::Connect => "cannot connect".to_owned(),
        _ => "the connection failed".to_owned(),
    };
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = current.source();
    }
    ErrorKind::Transport(TransportError::new(stage, message, Some(Box::new(error))))
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
