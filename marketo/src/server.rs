//! The server side: reading a request's signature and answering requests that reach no
//! operation with Marketo's faults.

use mktows_runtime::server::{RequestContext, RequestError};
use mktows_runtime::{DecodeErrorKind, Fault};

use crate::auth::{SignedHeader, AUTH_HEADER};
use crate::codes;
use crate::fault::fault;

/// The request's `AuthenticationHeader`, when it has one with all three values.
pub fn authenticate(context: &RequestContext) -> Option<SignedHeader> {
    context.header::<SignedHeader>(AUTH_HEADER)?.ok()
}

/// Marketo's fault for a request that reaches no operation: 20012 (Request Not Understood)
/// for a message that cannot be read, 20017 (Invalid Request) for a body that breaks the
/// schema, 20019 (Unsupported Operation) for a body element no operation takes (a client
/// fault) or an operation this server does not implement (a server fault).
pub fn request_fault(error: &RequestError) -> Fault {
    match error {
        RequestError::NotUnderstood(error) => {
            fault(true, codes::REQUEST_NOT_UNDERSTOOD, &format!("Request Not Understood: {error}"))
        }
        RequestError::InvalidBody { element, error } => match error.kind() {
            DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof => {
                fault(true, codes::REQUEST_NOT_UNDERSTOOD, &format!("Request Not Understood in {element}: {error}"))
            }
            _ => fault(true, codes::INVALID_REQUEST, &format!("Invalid Request in {element}: {error}")),
        },
        RequestError::UnknownOperation { element } => {
            fault(true, codes::UNSUPPORTED_OPERATION, &format!("Unsupported Operation: no operation takes <{element}>"))
        }
        RequestError::NotImplemented { operation } => fault(
            false,
            codes::UNSUPPORTED_OPERATION,
            &format!("Unsupported Operation: {operation} is not implemented by this server"),
        ),
        other => other.to_fault(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault::code_of;
    use mktows_runtime::server::{decode_body, read_request};

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn reads_the_auth_header_of_the_seed_request() {
        let context = read_request(&example("syncmultipleleads/request.xml")).unwrap();
        let auth = authenticate(&context).unwrap();
        assert_eq!(auth.user_id, "demo17_1_809934544BFABAE58E5D27");
        assert_eq!(auth.signature, "b5e21953ae9f1b263e644da5eccce9ff33802513");
        assert_eq!(auth.timestamp, "2013-08-01T18:22:30-07:00");
    }

    #[test]
    fn a_missing_or_incomplete_auth_header_is_none() {
        let bare = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><paramsGetTags/></e:Body></e:Envelope>"#;
        assert_eq!(authenticate(&read_request(bare).unwrap()), None);
        let partial = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:m"><e:Header><m:AuthenticationHeader><mktowsUserId>u</mktowsUserId><requestTimestamp>t</requestTimestamp></m:AuthenticationHeader></e:Header><e:Body><paramsGetTags/></e:Body></e:Envelope>"#;
        assert_eq!(authenticate(&read_request(partial).unwrap()), None);
    }

    #[test]
    fn request_errors_get_marketo_codes_and_messages() {
        let not_understood = request_fault(&read_request(b"not xml").unwrap_err());
        assert_eq!(code_of(&not_understood), Some(20012));
        assert!(not_understood.message.starts_with("20012 - Request Not Understood: "), "{not_understood}");

        let truncated = b"<e:Envelope xmlns:e=\"x\"><e:Body><m:op xmlns:m=\"m\"><x>";
        let fault = request_fault(&decode_body::<String>(truncated, "op").unwrap_err());
        assert_eq!(code_of(&fault), Some(20012));
        assert!(fault.message.starts_with("20012 - Request Not Understood in op: "), "{fault}");

        let wrong = b"<e:Envelope xmlns:e=\"x\"><e:Body><m:other xmlns:m=\"m\"/></e:Body></e:Envelope>";
        let fault = request_fault(&decode_body::<String>(wrong, "op").unwrap_err());
        assert_eq!((code_of(&fault), fault.code.as_str()), (Some(20017), "SOAP-ENV:Client"));
        assert!(fault.message.starts_with("20017 - Invalid Request in op: "), "{fault}");

        let unknown = request_fault(&RequestError::UnknownOperation { element: "paramsDoMagic".into() });
        assert_eq!(
            unknown,
            crate::fault::fault(true, 20019, "Unsupported Operation: no operation takes <paramsDoMagic>")
        );
        let missing = request_fault(&RequestError::NotImplemented { operation: "getTags" });
        assert_eq!(
            missing,
            crate::fault::fault(false, 20019, "Unsupported Operation: getTags is not implemented by this server")
        );
    }
}
