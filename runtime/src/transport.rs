//! HTTP transport: one reqwest client per service client, so connections are pooled and
//! reused across calls (and across tasks, since the client is cheap to share by reference).

use std::time::Duration;

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
    pub async fn post(&self, soap_action: &str, body: Vec<u8>) -> Result<HttpResponse, reqwest::Error> {
        let response = self
            .http
            .post(self.endpoint.clone())
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{soap_action}\""))
            .body(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?.to_vec();
        Ok(HttpResponse { status, body })
    }
}
