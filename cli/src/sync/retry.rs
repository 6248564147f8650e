//! What a failed call means for its records: retry it, fail them, or stop the run. The
//! question is always whether the call may have been processed: a resend of a processed
//! call can create a second lead when records are keyed by email alone with dedup off.

use mktows::{ErrorKind, MarketoError};
use mktows_marketo::codes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Retry at once: the request was refused before anything happened, and a new attempt
    /// fixes the cause (a fresh signature for Request Expired).
    Now,
    /// Retry after a pause: the call was refused before anything happened, or a resend
    /// cannot duplicate anything.
    Backoff,
    /// The call may have been processed and a resend could create duplicates: its records
    /// are FAILED with "outcome unknown", for a person to check.
    Unknown,
    /// The service refused these records (a batch over the limit, say); a resend would
    /// get the same answer.
    No,
    /// Every call would fail the same way: stop the run. Nothing was processed, so
    /// `--resume` sends the records again after the fix.
    Fatal,
}

pub fn decision(error: &mktows::Error, idempotent: bool) -> Retry {
    let may_have_been_processed = match error.kind() {
        ErrorKind::Fault(_) => match error.marketo_code().map(|code| code.code()) {
            // A fresh signature fixes it.
            Some(codes::REQUEST_EXPIRED) => return Retry::Now,
            // The rate and concurrency limits: refused before anything happened.
            Some(code) if codes::retryable(code) => return Retry::Backoff,
            // Access denied, authentication failed, daily quota exceeded.
            Some(code) if codes::stops_run(code) => return Retry::Fatal,
            _ => return Retry::No,
        },
        // No connection, so nothing was sent.
        ErrorKind::Transport(e) if e.is_connect() => return Retry::Backoff,
        // Too Many Requests is a refusal; a 502, 503 or 504 from a proxy is not proof that
        // the service did nothing (its upstream may have processed the call).
        // Request Timeout: the server gave up waiting for the request.
        ErrorKind::HttpStatus { status: 408 | 429, .. } => return Retry::Backoff,
        // Too large: this batch, not every call.
        ErrorKind::HttpStatus { status: 413, .. } => return Retry::No,
        // A value XML cannot carry: nothing was sent, and a resend fails the same way.
        ErrorKind::Encode(_) => return Retry::No,
        // Not found, method not allowed and the like: the endpoint is wrong for every call.
        ErrorKind::HttpStatus { status: 400..=499, .. } | ErrorKind::Config(_) => return Retry::Fatal,
        _ => true,
    };
    match (may_have_been_processed, idempotent) {
        (true, false) => Retry::Unknown,
        _ => Retry::Backoff,
    }
}

/// Why records whose call may have been processed are not sent again.
pub const OUTCOME_UNKNOWN: &str = "outcome unknown: the call may have reached Marketo, and with dedup off a resend could create a duplicate; check these leads in Marketo";

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: ErrorKind) -> mktows::Error {
        mktows::Error::new("syncMultipleLeads", kind)
    }

    fn fault(code: u32) -> mktows::Error {
        error(ErrorKind::Fault(mktows_marketo::fault::fault(false, code, "x")))
    }

    fn status(status: u16) -> mktows::Error {
        error(ErrorKind::HttpStatus { status, body: String::new() })
    }

    #[test]
    fn retries_follow_the_duplicate_risk() {
        assert_eq!(decision(&fault(20023), false), Retry::Backoff);
        assert_eq!(decision(&fault(20024), false), Retry::Backoff);
        assert_eq!(decision(&fault(20016), false), Retry::Now);
        assert_eq!(decision(&fault(20014), true), Retry::Fatal);
        assert_eq!(decision(&fault(20110), true), Retry::No);
        assert_eq!(decision(&error(ErrorKind::Timeout), true), Retry::Backoff);
        // A value XML cannot carry was never sent, and would fail the same way again.
        let mut w = mktows::runtime::xml::XmlWriter::new();
        w.text_element("attrValue", "bell \u{7}");
        let unwritable = w.finish().unwrap_err();
        assert_eq!(decision(&error(ErrorKind::Encode(unwritable.clone())), true), Retry::No);
        assert_eq!(decision(&error(ErrorKind::Encode(unwritable)), false), Retry::No);
        assert_eq!(decision(&error(ErrorKind::Timeout), false), Retry::Unknown);
    }

    #[test]
    fn only_a_429_proves_an_http_error_was_not_processed() {
        assert_eq!(decision(&status(429), false), Retry::Backoff);
        for code in [500, 502, 503, 504] {
            assert_eq!(decision(&status(code), false), Retry::Unknown, "{code}");
            assert_eq!(decision(&status(code), true), Retry::Backoff, "{code}");
        }
        assert_eq!(decision(&status(404), false), Retry::Fatal);
        assert_eq!(decision(&status(413), false), Retry::No);
    }
}
