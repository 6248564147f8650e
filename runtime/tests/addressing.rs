//! WS-Addressing over HTTP: a server that requires the headers (as WCF's wsHttpBinding does)
//! gets Action, To, MessageID and ReplyTo, once each, a fresh MessageID per request.

#![cfg(feature = "wsa")]

use mktows_runtime::layer::addressing::WsAddressing;
use mktows_runtime::server::read_request;
use mktows_runtime::soap::HeaderBlock;
use mktows_runtime::xml::{ToXml, XmlWriter};
use mktows_runtime::{ClientConfig, Operation, SoapClient};

#[path = "support/http.rs"]
mod http;

struct Get;
impl Operation for Get {
    const NAME: &'static str = "Get";
    const SOAP_ACTION: &'static str = "";
    // As the WSDL's wsam:Action names it, the SOAP action being empty.
    const ACTION: &'static str = "http://tempuri.org/IService/Get";
    const INPUT_ELEMENT: &'static str = "Get";
    const OUTPUT_ELEMENT: &'static str = "success";
    const SIGNED_HEADER: Option<&'static str> = None;
    type Input = String;
    type Output = String;
}

/// Refuses a request without the four headers, or with one twice; answers the MessageID.
fn requires_addressing(body: &[u8]) -> (u16, String) {
    let Ok(request) = read_request(body) else { return http::fault("SOAP-ENV:Client", "unreadable") };
    let text = String::from_utf8_lossy(body);
    for name in ["Action", "To", "MessageID", "ReplyTo"] {
        let count = request.headers.iter().filter(|(local, _)| local == name).count();
        if count != 1 {
            return http::fault("SOAP-ENV:Client", &format!("{count} wsa:{name} headers"));
        }
    }
    let header =
        |name: &str| request.headers.iter().find(|(local, _)| local == name).map(|(_, xml)| xml.clone()).unwrap();
    if !header("Action").contains(">http://tempuri.org/IService/Get<")
        || !text.contains("www.w3.org/2005/08/addressing")
    {
        return http::fault("SOAP-ENV:Client", &format!("wrong action: {}", header("Action")));
    }
    let id = header("MessageID");
    let id = &id[id.find(">urn:uuid:").unwrap() + 1..id.rfind('<').unwrap()];
    (200, http::envelope(&format!("<ns1:success>{id}|{}</ns1:success>", header("To"))))
}

#[tokio::test]
async fn a_service_that_requires_addressing_gets_each_header_once() {
    let (url, _) = http::serve(requires_addressing).await;
    let with_user = url.replace("http://", "http://user:secret@");
    let client =
        SoapClient::new("urn:s", &with_user, &ClientConfig::default()).unwrap().with_layer(WsAddressing::new());
    let input = "x".to_owned();
    let first = client.call::<Get>(&input, &[]).await.unwrap();
    let second = client.call::<Get>(&input, &[]).await.unwrap();
    let (id, to) = first.split_once('|').unwrap();
    assert!(id.starts_with("urn:uuid:") && id.len() == 45 && &id[23..24] == "4", "{id}");
    assert_ne!(id, second.split_once('|').unwrap().0, "a fresh MessageID per request");
    assert!(to.contains(&format!(">{url}<")) && !to.contains("secret"), "To without userinfo: {to}");
    assert!(to.contains(r#"SOAP-ENV:mustUnderstand="1""#), "{to}");
    // Without the layer, the service refuses.
    let plain = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap();
    assert!(plain.call::<Get>(&input, &[]).await.unwrap_err().to_string().contains("0 wsa:Action headers"));
}

struct Action(&'static str);
impl ToXml for Action {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        w.attribute_text("xmlns:wsa", "http://www.w3.org/2005/08/addressing");
        w.close_start();
        w.text(self.0);
        w.end(name);
    }
}

#[tokio::test]
async fn a_header_the_caller_sends_is_not_written_twice() {
    let (url, _) = http::serve(requires_addressing).await;
    let client = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap().with_layer(WsAddressing::new());
    let typed = Action("http://tempuri.org/IService/Get");
    let headers = [HeaderBlock { name: "wsa:Action", value: &typed }];
    let answer = client.call::<Get>(&"x".to_owned(), &headers).await.unwrap();
    assert!(answer.starts_with("urn:uuid:"), "{answer}");
}
