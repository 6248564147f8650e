//! What a call's [`Error`] means in Marketo's terms.

use mktows_runtime::{Error, RetryPolicy};

use crate::codes::{self, MarketoCode};
use crate::fault;

/// Marketo's reading of an [`Error`]; bring it into scope (`use mktows::MarketoError;`) to
/// call `e.marketo_code()`.
pub trait MarketoError {
    /// Marketo's error code (such as [`MarketoCode::AuthenticationFailed`], 20014) when the
    /// service answered with a fault: the `serviceException` code, or the number that starts
    /// the faultstring. A code the reference does not list is [`MarketoCode::Other`].
    fn marketo_code(&self) -> Option<MarketoCode>;

    /// Whether sending the same request again later may succeed: what
    /// [`Error::is_retryable`] says (timeouts, transport failures, HTTP 429 and 5xx), plus
    /// Marketo's rate and concurrency limits (20023, 20024) and Request Expired (20016,
    /// which needs a fresh signature; every call signs anew). Named apart from
    /// `Error::is_retryable` because an inherent method always wins over a trait's.
    fn is_marketo_retryable(&self) -> bool;
}

/// A [`RetryPolicy`] for Marketo (set it as `ClientConfig::retry`): besides what the
/// runtime retries, it waits out the rate and concurrency limits (20023, 20024) and sends an
/// expired request (20016) again, signed anew; these are refusals, so they are resent even
/// for calls that are not safe to repeat. Other faults are final.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy { retryable: Some(|error| error.is_marketo_retryable()), ..RetryPolicy::default() }
}

impl MarketoError for Error {
    fn marketo_code(&self) -> Option<MarketoCode> {
        self.fault().and_then(fault::code_of).map(MarketoCode::from)
    }

    fn is_marketo_retryable(&self) -> bool {
        self.is_retryable() || self.marketo_code().is_some_and(|code| codes::retryable(code.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mktows_runtime::ErrorKind;

    fn fault_error(code: u32) -> Error {
        Error::new("syncMultipleLeads", ErrorKind::Fault(fault::fault(false, code, "x")))
    }

    #[test]
    fn codes_and_retries() {
        assert_eq!(fault_error(20014).marketo_code(), Some(MarketoCode::AuthenticationFailed));
        assert_eq!(fault_error(29999).marketo_code(), Some(MarketoCode::Other(29999)));
        for code in [20016, 20023, 20024] {
            assert!(fault_error(code).is_marketo_retryable(), "{code}");
            assert!(!fault_error(code).is_retryable(), "{code}");
        }
        assert!(!fault_error(20014).is_marketo_retryable());
        let timeout = Error::new("getLead", ErrorKind::Timeout);
        assert_eq!(timeout.marketo_code(), None);
        assert!(timeout.is_marketo_retryable());
        assert!(!Error::new("getLead", ErrorKind::Config("x".into())).is_marketo_retryable());
    }

    #[test]
    fn the_retry_policy_resends_refusals_and_not_other_faults() {
        let policy = retry_policy();
        for code in [20016, 20023, 20024] {
            assert!(policy.retries(&fault_error(code), 1), "{code}");
        }
        for code in [20014, 20103, 20110] {
            assert!(!policy.retries(&fault_error(code), 1), "{code}");
        }
    }
}
