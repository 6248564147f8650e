//! Marketo's SOAP error codes, as its "Error Codes" reference lists them: a fault carries the
//! code in its `serviceException` detail and at the start of its faultstring
//! (`20014 - Authentication failed`). Each constant's doc is the reference's message and note.

/// The one table of codes: each line makes a constant, a variant of [`MarketoCode`] and an
/// entry of [`ALL`], with the reference's message and, as docs, its note.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $constant:ident, $variant:ident = $code:literal, $message:literal; )*) => {
        $( $(#[doc = $doc])* pub const $constant: u32 = $code; )*

        /// Every code with the reference's message for it, in the reference's order.
        pub const ALL: &[(u32, &str)] = &[ $( ($code, $message), )* ];

        /// A Marketo error code, as [`MarketoError::marketo_code`](crate::MarketoError)
        /// gives it: one variant per code of the reference, and [`MarketoCode::Other`] for
        /// a code it does not list (a newer service's).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum MarketoCode {
            $( $(#[doc = $doc])* $variant, )*
            /// A code the reference does not list.
            Other(u32),
        }

        impl MarketoCode {
            /// The number, such as 20014.
            pub const fn code(self) -> u32 {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Other(code) => code,
                }
            }

            /// The reference's message, such as `Authentication failed`; `None` for
            /// [`MarketoCode::Other`].
            pub const fn message(self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($message), )*
                    Self::Other(_) => None,
                }
            }
        }

        impl From<u32> for MarketoCode {
            fn from(code: u32) -> Self {
                match code {
                    $( $code => Self::$variant, )*
                    other => Self::Other(other),
                }
            }
        }
    };
}

codes! {
    /// Internal Error: severe system failure.
    INTERNAL_ERROR, InternalError = 10001, "Internal Error";
    /// Internal Error: API service failure.
    API_INTERNAL_ERROR, ApiInternalError = 20011, "Internal Error";
    /// Request Not Understood: unexpected SOAP message.
    REQUEST_NOT_UNDERSTOOD, RequestNotUnderstood = 20012, "Request Not Understood";
    /// Access Denied: the client is blocked from API access.
    ACCESS_DENIED, AccessDenied = 20013, "Access Denied";
    /// Authentication failed: the client did not provide valid credentials.
    AUTHENTICATION_FAILED, AuthenticationFailed = 20014, "Authentication failed";
    /// Request Limit Exceeded: the number of calls today exceeded the subscription's quota
    /// (10,000 a day by default).
    REQUEST_LIMIT_EXCEEDED, RequestLimitExceeded = 20015, "Request Limit Exceeded";
    /// Request Expired: the request's timestamp and signature are too old. The request can be
    /// retried with a newly generated timestamp and signature.
    REQUEST_EXPIRED, RequestExpired = 20016, "Request Expired";
    /// Invalid Request: the request is missing an expected parameter.
    INVALID_REQUEST, InvalidRequest = 20017, "Invalid Request";
    /// Unsupported Operation: the operation invoked is not defined in the Marketo API WSDL.
    UNSUPPORTED_OPERATION, UnsupportedOperation = 20019, "Unsupported Operation";
    /// Time range specified in query filter exceeded limit: more than 30 days between
    /// `oldestUpdatedAt` and `latestUpdatedAt`.
    TIME_RANGE_EXCEEDED, TimeRangeExceeded = 20022, "Time range specified in query filter exceeded limit";
    /// Rate Limit Exceeded: more than 100 calls in the past 20 seconds.
    RATE_LIMIT_EXCEEDED, RateLimitExceeded = 20023, "Rate Limit Exceeded";
    /// Concurrency Limit Exceeded: more than 10 concurrent calls.
    CONCURRENCY_LIMIT_EXCEEDED, ConcurrencyLimitExceeded = 20024, "Concurrency Limit Exceeded";
    /// Lead Key Required: a LeadKey is required but was not provided.
    LEAD_KEY_REQUIRED, LeadKeyRequired = 20101, "Lead Key Required";
    /// Lead Key Bad: the LeadKeyType is not valid.
    LEAD_KEY_BAD, LeadKeyBad = 20102, "Lead Key Bad";
    /// Lead Not Found: the LeadKey value did not match any lead.
    LEAD_NOT_FOUND, LeadNotFound = 20103, "Lead Not Found";
    /// Lead Detail Required: a LeadRecord is required but was not provided.
    LEAD_DETAIL_REQUIRED, LeadDetailRequired = 20104, "Lead Detail Required";
    /// Lead Attribute Bad: the LeadRecord contains an attribute with a bad name.
    LEAD_ATTRIBUTE_BAD, LeadAttributeBad = 20105, "Lead Attribute Bad";
    /// Lead Sync Failed: the LeadRecord could not be updated or created.
    LEAD_SYNC_FAILED, LeadSyncFailed = 20106, "Lead Sync Failed";
    /// Activity Key Bad: the LeadActivityFilter contains a bad activity type.
    ACTIVITY_KEY_BAD, ActivityKeyBad = 20107, "Activity Key Bad";
    /// Lead Owner Not Found: the LeadKey specifies a lead owner that does not exist.
    LEAD_OWNER_NOT_FOUND, LeadOwnerNotFound = 20108, "Lead Owner Not Found";
    /// Parameter Required: a parameter value was null or missing.
    PARAMETER_REQUIRED, ParameterRequired = 20109, "Parameter Required";
    /// Bad Parameter: a parameter value is bad.
    BAD_PARAMETER, BadParameter = 20110, "Bad Parameter";
    /// List Not Found: the ListKey specifies a list that does not exist.
    LIST_NOT_FOUND, ListNotFound = 20111, "List Not Found";
    /// Campaign Not Found: the campaign does not exist.
    CAMPAIGN_NOT_FOUND, CampaignNotFound = 20113, "Campaign Not Found";
    /// Bad Parameter: a parameter value is bad (the reference lists this code besides 20110).
    BAD_PARAMETER_VALUE, BadParameterValue = 20114, "Bad Parameter";
    /// Bad Stream Position: the stream position is bad.
    BAD_STREAM_POSITION, BadStreamPosition = 20122, "Bad Stream Position";
    /// Stream at End: the stream position indicates that no more records are available.
    STREAM_AT_END, StreamAtEnd = 20123, "Stream at End";
}

impl std::fmt::Display for MarketoCode {
    /// `20014 Authentication failed`, or the number alone for a code the reference does not list.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.message() {
            Some(message) => write!(f, "{} {message}", self.code()),
            None => write!(f, "{}", self.code()),
        }
    }
}

/// The reference's message for `code`, such as `Rate Limit Exceeded` for 20023.
pub fn message(code: u32) -> Option<&'static str> {
    MarketoCode::from(code).message()
}

/// Whether a call refused with `code` may succeed when sent again: the rate and concurrency
/// limits (Marketo refused the call before doing anything; retry after a pause) and Request
/// Expired (retry at once, signed with a fresh timestamp).
pub fn retryable(code: u32) -> bool {
    matches!(code, REQUEST_EXPIRED | RATE_LIMIT_EXCEEDED | CONCURRENCY_LIMIT_EXCEEDED)
}

/// Whether every further call would fail the same way until a person acts: access denied,
/// authentication failed, or the daily quota exceeded. A bulk run should stop.
pub fn stops_run(code: u32) -> bool {
    matches!(code, ACCESS_DENIED | AUTHENTICATION_FAILED | REQUEST_LIMIT_EXCEEDED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once_in_order_with_their_messages() {
        assert!(ALL.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert_eq!(ALL.len(), 27);
        assert_eq!(message(20014), Some("Authentication failed"));
        assert_eq!(message(20023), Some("Rate Limit Exceeded"));
        assert_eq!(message(20018), None);
    }

    #[test]
    fn every_code_is_a_variant_and_back() {
        for (code, message) in ALL {
            let variant = MarketoCode::from(*code);
            assert!(!matches!(variant, MarketoCode::Other(_)), "{code}");
            assert_eq!((variant.code(), variant.message()), (*code, Some(*message)));
        }
        assert_eq!(MarketoCode::from(20014), MarketoCode::AuthenticationFailed);
        assert_eq!(MarketoCode::from(29999), MarketoCode::Other(29999));
        assert_eq!(MarketoCode::RateLimitExceeded.to_string(), "20023 Rate Limit Exceeded");
        assert_eq!(MarketoCode::Other(29999).to_string(), "29999");
    }

    #[test]
    fn retry_classes() {
        let retryable: Vec<u32> = ALL.iter().map(|(c, _)| *c).filter(|c| retryable(*c)).collect();
        assert_eq!(retryable, [20016, 20023, 20024]);
        let fatal: Vec<u32> = ALL.iter().map(|(c, _)| *c).filter(|c| stops_run(*c)).collect();
        assert_eq!(fatal, [20013, 20014, 20015]);
    }
}
