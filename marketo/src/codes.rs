//! Marketo's SOAP error codes, as its "Error Codes" reference lists them: a fault carries the
//! code in its `serviceException` detail and at the start of its faultstring
//! (`20014 - Authentication failed`). Each constant's doc is the reference's message and note.

/// Internal Error: severe system failure.
pub const INTERNAL_ERROR: u32 = 10001;
/// Internal Error: API service failure.
pub const API_INTERNAL_ERROR: u32 = 20011;
/// Request Not Understood: unexpected SOAP message.
pub const REQUEST_NOT_UNDERSTOOD: u32 = 20012;
/// Access Denied: the client is blocked from API access.
pub const ACCESS_DENIED: u32 = 20013;
/// Authentication failed: the client did not provide valid credentials.
pub const AUTHENTICATION_FAILED: u32 = 20014;
/// Request Limit Exceeded: the number of calls today exceeded the subscription's quota
/// (10,000 a day by default).
pub const REQUEST_LIMIT_EXCEEDED: u32 = 20015;
/// Request Expired: the request's timestamp and signature are too old. The request can be
/// retried with a newly generated timestamp and signature.
pub const REQUEST_EXPIRED: u32 = 20016;
/// Invalid Request: the request is missing an expected parameter.
pub const INVALID_REQUEST: u32 = 20017;
/// Unsupported Operation: the operation invoked is not defined in the Marketo API WSDL.
pub const UNSUPPORTED_OPERATION: u32 = 20019;
/// Time range specified in query filter exceeded limit: more than 30 days between
/// `oldestUpdatedAt` and `latestUpdatedAt`.
pub const TIME_RANGE_EXCEEDED: u32 = 20022;
/// Rate Limit Exceeded: more than 100 calls in the past 20 seconds.
pub const RATE_LIMIT_EXCEEDED: u32 = 20023;
/// Concurrency Limit Exceeded: more than 10 concurrent calls.
pub const CONCURRENCY_LIMIT_EXCEEDED: u32 = 20024;
/// Lead Key Required: a LeadKey is required but was not provided.
pub const LEAD_KEY_REQUIRED: u32 = 20101;
/// Lead Key Bad: the LeadKeyType is not valid.
pub const LEAD_KEY_BAD: u32 = 20102;
/// Lead Not Found: the LeadKey value did not match any lead.
pub const LEAD_NOT_FOUND: u32 = 20103;
/// Lead Detail Required: a LeadRecord is required but was not provided.
pub const LEAD_DETAIL_REQUIRED: u32 = 20104;
/// Lead Attribute Bad: the LeadRecord contains an attribute with a bad name.
pub const LEAD_ATTRIBUTE_BAD: u32 = 20105;
/// Lead Sync Failed: the LeadRecord could not be updated or created.
pub const LEAD_SYNC_FAILED: u32 = 20106;
/// Activity Key Bad: the LeadActivityFilter contains a bad activity type.
pub const ACTIVITY_KEY_BAD: u32 = 20107;
/// Lead Owner Not Found: the LeadKey specifies a lead owner that does not exist.
pub const LEAD_OWNER_NOT_FOUND: u32 = 20108;
/// Parameter Required: a parameter value was null or missing.
pub const PARAMETER_REQUIRED: u32 = 20109;
/// Bad Parameter: a parameter value is bad.
pub const BAD_PARAMETER: u32 = 20110;
/// List Not Found: the ListKey specifies a list that does not exist.
pub const LIST_NOT_FOUND: u32 = 20111;
/// Campaign Not Found: the campaign does not exist.
pub const CAMPAIGN_NOT_FOUND: u32 = 20113;
/// Bad Parameter: a parameter value is bad (the reference lists this code besides 20110).
pub const BAD_PARAMETER_VALUE: u32 = 20114;
/// Bad Stream Position: the stream position is bad.
pub const BAD_STREAM_POSITION: u32 = 20122;
/// Stream at End: the stream position indicates that no more records are available.
pub const STREAM_AT_END: u32 = 20123;

/// Every code with the reference's message for it, in the reference's order.
pub const ALL: &[(u32, &str)] = &[
    (INTERNAL_ERROR, "Internal Error"),
    (API_INTERNAL_ERROR, "Internal Error"),
    (REQUEST_NOT_UNDERSTOOD, "Request Not Understood"),
    (ACCESS_DENIED, "Access Denied"),
    (AUTHENTICATION_FAILED, "Authentication failed"),
    (REQUEST_LIMIT_EXCEEDED, "Request Limit Exceeded"),
    (REQUEST_EXPIRED, "Request Expired"),
    (INVALID_REQUEST, "Invalid Request"),
    (UNSUPPORTED_OPERATION, "Unsupported Operation"),
    (TIME_RANGE_EXCEEDED, "Time range specified in query filter exceeded limit"),
    (RATE_LIMIT_EXCEEDED, "Rate Limit Exceeded"),
    (CONCURRENCY_LIMIT_EXCEEDED, "Concurrency Limit Exceeded"),
    (LEAD_KEY_REQUIRED, "Lead Key Required"),
    (LEAD_KEY_BAD, "Lead Key Bad"),
    (LEAD_NOT_FOUND, "Lead Not Found"),
    (LEAD_DETAIL_REQUIRED, "Lead Detail Required"),
    (LEAD_ATTRIBUTE_BAD, "Lead Attribute Bad"),
    (LEAD_SYNC_FAILED, "Lead Sync Failed"),
    (ACTIVITY_KEY_BAD, "Activity Key Bad"),
    (LEAD_OWNER_NOT_FOUND, "Lead Owner Not Found"),
    (PARAMETER_REQUIRED, "Parameter Required"),
    (BAD_PARAMETER, "Bad Parameter"),
    (LIST_NOT_FOUND, "List Not Found"),
    (CAMPAIGN_NOT_FOUND, "Campaign Not Found"),
    (BAD_PARAMETER_VALUE, "Bad Parameter"),
    (BAD_STREAM_POSITION, "Bad Stream Position"),
    (STREAM_AT_END, "Stream at End"),
];

/// The reference's message for `code`, such as `Rate Limit Exceeded` for 20023.
pub fn message(code: u32) -> Option<&'static str> {
    ALL.iter().find(|(c, _)| *c == code).map(|(_, message)| *message)
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
    fn retry_classes() {
        let retryable: Vec<u32> = ALL.iter().map(|(c, _)| *c).filter(|c| retryable(*c)).collect();
        assert_eq!(retryable, [20016, 20023, 20024]);
        let fatal: Vec<u32> = ALL.iter().map(|(c, _)| *c).filter(|c| stops_run(*c)).collect();
        assert_eq!(fatal, [20013, 20014, 20015]);
    }
}
