//! HTTP authentication as layers: Basic, a bearer token, and a bearer token that a
//! function of the caller's fetches and refreshes when the service answers 401.
//!
//! NTLM and Kerberos (`Negotiate`) are not spoken: a 401 asking only for them is an error
//! that says so and names the alternatives.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;

use super::{BoxFuture, Layer, LayerError, Next, Request};
use crate::error::ErrorKind;
use crate::transport::HttpResponse;

/// `Authorization: Basic ...` on every request (only over TLS: it is the password).
#[derive(Clone)]
pub struct BasicAuth {
    header: String,
    username: String,
}

impl BasicAuth {
    pub fn new(username: impl Into<String>, password: impl AsRef<str>) -> Self {
        let username = username.into();
        let pair = format!("{username}:{}", password.as_ref());
        Self { header: format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)), username }
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth").field("username", &self.username).field("password", &"<redacted>").finish()
    }
}

impl Layer for BasicAuth {
    fn prepare(&self, request: &mut Request) -> Result<(), LayerError> {
        request.set_http_header("Authorization", &self.header);
        Ok(())
    }

    fn exchange<'a>(&'a self, request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        Box::pin(async move { refuse_unspoken_schemes(next.run(request).await?) })
    }
}

/// `Authorization: Bearer <token>` on every request.
#[derive(Clone)]
pub struct BearerToken(String);

impl BearerToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl Layer for BearerToken {
    fn prepare(&self, request: &mut Request) -> Result<(), LayerError> {
        request.set_http_header("Authorization", &format!("Bearer {}", self.0));
        Ok(())
    }
}

/// Fetches a bearer token (an OAuth client-credentials call, say): the token, or why not.
pub type FetchToken = Arc<dyn Fn() -> BoxFuture<'static, Result<String, String>> + Send + Sync>;

/// A bearer token fetched by the caller's function when first needed, kept, and fetched
/// again when the service answers 401 (the request is then sent once more with the new
/// token: a 401 means the service refused it before acting on it).
pub struct RefreshingBearer {
    fetch: FetchToken,
    current: tokio::sync::Mutex<Option<String>>,
}

impl RefreshingBearer {
    pub fn new(fetch: impl Fn() -> BoxFuture<'static, Result<String, String>> + Send + Sync + 'static) -> Self {
        Self { fetch: Arc::new(fetch), current: tokio::sync::Mutex::new(None) }
    }

    /// The kept token, or a fresh one when there is none or `stale` is the kept one.
    async fn token(&self, stale: Option<&str>) -> Result<String, ErrorKind> {
        let mut current = self.current.lock().await;
        match current.as_deref() {
            Some(token) if Some(token) != stale => return Ok(token.to_owned()),
            _ => {}
        }
        let fresh = (self.fetch)()
            .await
            .map_err(|why| ErrorKind::Layer(LayerError::before_sending(format!("cannot get a bearer token: {why}"))))?;
        *current = Some(fresh.clone());
        Ok(fresh)
    }
}

impl fmt::Debug for RefreshingBearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshingBearer(<redacted>)")
    }
}

impl Layer for RefreshingBearer {
    fn exchange<'a>(&'a self, mut request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        Box::pin(async move {
            let token = self.token(None).await?;
            request.set_http_header("Authorization", &format!("Bearer {token}"));
            let again = request.clone();
            let response = next.run(request).await?;
            if response.status != 401 {
                return Ok(response);
            }
            let fresh = self.token(Some(&token)).await?;
            let mut again = again;
            again.set_http_header("Authorization", &format!("Bearer {fresh}"));
            next.run(again).await
        })
    }
}

/// A 401 that asks only for NTLM or Negotiate becomes an error naming the alternatives,
/// rather than the bare status.
fn refuse_unspoken_schemes(response: HttpResponse) -> Result<HttpResponse, ErrorKind> {
    if response.status != 401 {
        return Ok(response);
    }
    let offered: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
        .filter_map(|(_, value)| value.split_whitespace().next())
        .collect();
    let unspoken = |scheme: &&str| scheme.eq_ignore_ascii_case("ntlm") || scheme.eq_ignore_ascii_case("negotiate");
    if offered.is_empty() || !offered.iter().all(unspoken) {
        return Ok(response);
    }
    Err(ErrorKind::Layer(LayerError::refused(format!(
        "the service asks for {} authentication, which this client does not speak; ask for Basic over TLS or a bearer token, or pass an HTTP client of your own (ClientConfig::http_client) through a proxy that authenticates",
        offered.join(" or ")
    ))))
}
