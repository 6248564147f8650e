//! A history of the last exchanges, raw: request and response bytes, HTTP headers, status
//! and timing, for debugging a service that refuses what looks right. Added only when asked
//! for; secrets are redacted, and bodies are kept only up to a size (NetSuite and Workday
//! answer 40-60 MB at times).

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{BoxFuture, Layer, Next, Request};
use crate::error::ErrorKind;
use crate::transport::HttpResponse;

/// HTTP headers whose values are secrets.
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// What stands for a redacted value.
pub const REDACTED: &str = "***";

/// One exchange as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub operation: &'static str,
    pub request_headers: Vec<(String, String)>,
    /// The request body, redacted, its first `max_body_bytes` only.
    pub request: Vec<u8>,
    /// The whole request's length.
    pub request_len: usize,
    /// `None` when no answer came (the error says why).
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    /// The response body, redacted, its first `max_body_bytes` only.
    pub response: Vec<u8>,
    pub response_len: usize,
    pub elapsed: Duration,
    /// How the exchange failed, when it did.
    pub error: Option<String>,
}

/// The last `capacity` exchanges of every client it is a layer of (clones share them).
#[derive(Clone)]
pub struct History {
    kept: Arc<Mutex<VecDeque<Exchange>>>,
    capacity: usize,
    max_body_bytes: usize,
    redacted_elements: Arc<Vec<String>>,
    traced: bool,
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("capacity", &self.capacity)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl History {
    /// Keeps the last `capacity` exchanges, 64 KiB of each body, with the text of
    /// `Password`, `sessionId` and `SessionId` elements and the `Authorization`, `Cookie`
    /// and `Set-Cookie` headers redacted.
    pub fn new(capacity: usize) -> Self {
        Self {
            kept: Arc::new(Mutex::new(VecDeque::with_capacity(capacity.min(1024)))),
            capacity,
            max_body_bytes: 64 * 1024,
            redacted_elements: Arc::new(["Password", "sessionId", "SessionId"].map(str::to_owned).to_vec()),
            traced: false,
        }
    }

    /// Keeps at most `bytes` of each body (the start of it).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Also redacts the text of elements of local name `name` (a token of the service's own).
    pub fn redact_element(mut self, name: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.redacted_elements).push(name.into());
        self
    }

    /// Also logs each exchange, as kept, at `trace` level (target `mktows_runtime::exchange`).
    pub fn traced(mut self) -> Self {
        self.traced = true;
        self
    }

    /// The exchanges kept, oldest first.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.lock().iter().cloned().collect()
    }

    pub fn last(&self) -> Option<Exchange> {
        self.lock().back().cloned()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Exchange>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn body(&self, body: &[u8]) -> Vec<u8> {
        let mut kept = body[..body.len().min(self.max_body_bytes)].to_vec();
        for name in self.redacted_elements.iter() {
            redact_element_text(&mut kept, name.as_bytes());
        }
        kept
    }

    fn keep(&self, exchange: Exchange) {
        if self.traced {
            tracing::trace!(
                target: "mktows_runtime::exchange",
                operation = exchange.operation,
                status = exchange.status,
                elapsed_ms = exchange.elapsed.as_millis() as u64,
                request = %String::from_utf8_lossy(&exchange.request),
                response = %String::from_utf8_lossy(&exchange.response),
                error = exchange.error.as_deref(),
            );
        }
        if self.capacity == 0 {
            return;
        }
        let mut kept = self.lock();
        while kept.len() >= self.capacity {
            kept.pop_front();
        }
        kept.push_back(exchange);
    }
}

impl Layer for History {
    fn exchange<'a>(&'a self, request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        Box::pin(async move {
            let started = Instant::now();
            let (operation, request_len) = (request.call.operation, request.envelope.len());
            let request_headers = redact_headers(&request.http_headers);
            let request_body = self.body(&request.envelope);
            let result = next.run(request).await;
            let (status, response_headers, response, response_len, error) = match &result {
                Ok(response) => {
                    let headers = redact_headers(&response.headers);
                    (Some(response.status), headers, self.body(&response.body), response.body.len(), None)
                }
                Err(kind) => (None, Vec::new(), Vec::new(), 0, Some(kind.to_string())),
            };
            self.keep(Exchange {
                operation,
                request_headers,
                request: request_body,
                request_len,
                status,
                response_headers,
                response,
                response_len,
                elapsed: started.elapsed(),
                error,
            });
            result
        })
    }
}

fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let secret = |name: &str| SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s));
    headers
        .iter()
        .map(|(name, value)| (name.clone(), if secret(name) { REDACTED.to_owned() } else { value.clone() }))
        .collect()
}

/// Replaces the text of every element of local name `name` (`<wsse:Password ...>text<`)
/// with [`REDACTED`]; an element with children is left alone.
pub(crate) fn redact_element_text(xml: &mut Vec<u8>, name: &[u8]) {
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'<', &xml[at..]).map(|i| at + i) {
        at = open + 1;
        let tag_end = match memchr::memchr(b'>', &xml[at..]) {
            Some(i) => at + i,
            None => return,
        };
        let tag = &xml[at..tag_end];
        let name_len = tag.iter().position(|b| b.is_ascii_whitespace() || *b == b'/').unwrap_or(tag.len());
        let qualified = &tag[..name_len];
        let local = qualified.rsplit(|b| *b == b':').next().unwrap_or(qualified);
        if local != name || tag.first() == Some(&b'/') || tag.last() == Some(&b'/') {
            continue;
        }
        let text_start = tag_end + 1;
        let Some(text_end) = memchr::memchr(b'<', &xml[text_start..]).map(|i| text_start + i) else { return };
        if xml.get(text_end + 1) == Some(&b'/') && text_end > text_start {
            xml.splice(text_start..text_end, REDACTED.bytes());
            at = text_start + REDACTED.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_text_is_redacted_wherever_the_element_is() {
        let mut xml = br#"<a><wsse:Password Type="x">s3cret</wsse:Password><Password>two</Password><Password/><Password><b>kept</b></Password><PasswordHint>hint</PasswordHint></a>"#.to_vec();
        redact_element_text(&mut xml, b"Password");
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            r#"<a><wsse:Password Type="x">***</wsse:Password><Password>***</Password><Password/><Password><b>kept</b></Password><PasswordHint>hint</PasswordHint></a>"#
        );
    }
}
