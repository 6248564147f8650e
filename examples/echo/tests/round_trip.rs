//! The generated client and server of a WSDL with no vendor layer talk to each other: the
//! client's request goes through the generated dispatcher and the answer back through the
//! client's decoder.

use mktows_example_echo::{operations, server, types, Client, Echo, EchoResponse, Tone};
use mktows_runtime::codegen::{Fault, RequestContext};
use mktows_runtime::transport::HttpResponse;

struct Parrot;

impl server::Service for Parrot {
    async fn echo(&self, _context: &RequestContext, params: Echo) -> Result<EchoResponse, Fault> {
        let times = usize::try_from(params.times.unwrap_or(1)).unwrap_or(0);
        let mut text = params.text.repeat(times);
        if params.tone == Some(Tone::Loud) {
            text = text.to_uppercase();
        }
        Ok(EchoResponse { text, tag_count: params.tag.len() as i32 })
    }
}

async fn exchange(request: &types::Echo) -> Result<EchoResponse, mktows_runtime::Error> {
    let client = Client::new(Client::WSDL_ENDPOINT).unwrap();
    let body = client.soap().encode::<operations::Echo>(request, &[]);
    let response = server::dispatch(&Parrot, &body).await;
    mktows_runtime::client::decode::<operations::Echo>(&HttpResponse::new(response.status, response.body))
}

#[tokio::test]
async fn a_request_round_trips_through_the_generated_server() {
    let request = Echo {
        text: "hi & bye ".into(),
        times: Some(2),
        tone: Some(Tone::Loud),
        tag: vec!["a".into(), "b".into(), "c".into()],
    };
    let answer = exchange(&request).await.unwrap();
    assert_eq!(answer.text, "HI & BYE HI & BYE ");
    assert_eq!(answer.tag_count, 3);
}

#[tokio::test]
async fn an_unknown_operation_is_a_fault_not_a_panic() {
    let request = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x:Nope xmlns:x="urn:x"/></e:Body></e:Envelope>"#;
    let response = server::dispatch(&Parrot, request).await;
    assert_eq!(response.status, 500);
    assert!(String::from_utf8_lossy(&response.body).contains("Nope"));
}

#[test]
fn the_generated_module_has_no_vendor_text() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/echo.rs"));
    assert!(code.contains("pub struct Client"), "the client is generated");
    for vendor in ["marketo", "Marketo", "AuthenticationHeader", "Credentials", "20012", "20017", "20019"] {
        assert!(!code.contains(vendor), "`{vendor}` in the generated echo module");
    }
    // The wrapped style names the request element after the operation: both exist.
    assert!(code.contains("pub struct Echo;") && code.contains("pub struct Echo {"), "marker and type");
}
