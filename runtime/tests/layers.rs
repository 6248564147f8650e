//! Layers over real HTTP: the header blocks they add are where they belong, their changes
//! reach the wire exactly as `encode` shows them, and the exchange hook sees the response.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use mktows_runtime::layer::{BoxFuture, CallInfo, Next, OutgoingHeaders, Request};
use mktows_runtime::soap::HeaderBlock;
use mktows_runtime::transport::HttpResponse;
use mktows_runtime::xml::{ToXml, XmlWriter};
use mktows_runtime::{ClientConfig, ErrorKind, HeaderSigner, Layer, LayerError, Operation, SoapClient};

#[path = "support/http.rs"]
mod http;
use http::serve;

struct Echo;
impl Operation for Echo {
    const NAME: &'static str = "echo";
    const SOAP_ACTION: &'static str = "urn:echo";
    const INPUT_ELEMENT: &'static str = "params";
    const OUTPUT_ELEMENT: &'static str = "success";
    const SIGNED_HEADER: Option<&'static str> = Some("Auth");
    type Input = String;
    type Output = String;
}

/// A header block of one text child.
struct Block(&'static str);
impl ToXml for Block {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.start(name);
        w.text(self.0);
        w.end(name);
    }
}

#[derive(Debug)]
struct Signer;
impl HeaderSigner for Signer {
    fn signed_header(&self) -> Box<dyn ToXml + Send + Sync> {
        Box::new(Block("signed"))
    }
}

/// Adds a block before and one after the caller's, a bearer header and a comment.
#[derive(Debug, Default)]
struct Decorate {
    prepared: AtomicU32,
}

impl Layer for Decorate {
    fn headers(&self, call: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        assert_eq!((call.operation, call.signed_header), ("echo", Some("Auth")));
        headers.push_first("Early", Block("first"));
        headers.push("ns2:Late", Block("last"));
        Ok(())
    }

    fn prepare(&self, request: &mut Request) -> Result<(), LayerError> {
        let n = self.prepared.fetch_add(1, Ordering::Relaxed);
        request.http_headers.push(("Authorization".into(), format!("Bearer token-{n}")));
        request.envelope.extend_from_slice(b"<!-- prepared -->");
        Ok(())
    }
}

fn header_of(envelope: &[u8]) -> String {
    let text = String::from_utf8_lossy(envelope);
    let start = text.find("<SOAP-ENV:Header>").map_or(0, |i| i + 17);
    text[start..text.find("</SOAP-ENV:Header>").unwrap_or(start)].to_owned()
}

#[tokio::test]
async fn header_blocks_http_headers_and_changes_reach_the_wire_as_encode_shows_them() {
    let (url, seen) = serve(http::success).await;
    let client = SoapClient::new("urn:s", &url, &ClientConfig::default())
        .unwrap()
        .with_layer(Decorate::default())
        .with_signer(Signer);
    let mine = Block("caller");
    let headers = [HeaderBlock { name: "Mine", value: &mine }];
    let input = "hello".to_owned();
    let shown = client.try_encode::<Echo>(&input, &headers).unwrap();
    assert_eq!(
        header_of(&shown),
        "<ns1:Auth>signed</ns1:Auth><ns1:Early>first</ns1:Early><ns1:Mine>caller</ns1:Mine><ns2:Late>last</ns2:Late>"
    );
    assert!(shown.ends_with(b"</SOAP-ENV:Envelope><!-- prepared -->"));
    assert_eq!(client.call::<Echo>(&input, &headers).await.unwrap(), "ok");
    let seen = seen.lock().unwrap();
    let (head, body) = &seen[0];
    assert_eq!(body, &shown, "the bytes sent are the ones encode showed");
    assert!(head.contains("authorization: bearer token-1"), "{head}");
    // Without a layer of its own, a signed client writes what it wrote before layers existed.
    let plain = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap().with_signer(Signer);
    assert_eq!(header_of(&plain.encode::<Echo>(&input, &[])), "<ns1:Auth>signed</ns1:Auth>");
}

/// Refuses whatever the configured hook sees.
#[derive(Debug)]
enum Refuse {
    Headers,
    Response,
}

impl Layer for Refuse {
    fn headers(&self, _: &CallInfo, _: &mut OutgoingHeaders) -> Result<(), LayerError> {
        match self {
            Refuse::Headers => Err(LayerError::before_sending("no credentials to sign with")),
            Refuse::Response => Ok(()),
        }
    }

    fn exchange<'a>(&'a self, request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        Box::pin(async move {
            let response = next.run(request).await?;
            match (self, response.status) {
                (Refuse::Response, 200) => {
                    Err(ErrorKind::Layer(LayerError::after_sending("the signature does not verify")))
                }
                _ => Ok(response),
            }
        })
    }
}

#[tokio::test]
async fn a_layer_refuses_before_sending_or_after_and_the_error_says_which() {
    let (url, seen) = serve(http::success).await;
    let input = "hello".to_owned();
    let config = ClientConfig { layers: vec![Arc::new(Refuse::Headers)], ..ClientConfig::default() };
    let before = SoapClient::new("urn:s", &url, &config).unwrap().call::<Echo>(&input, &[]).await.unwrap_err();
    assert!(!before.may_have_been_processed() && matches!(before.kind(), ErrorKind::Layer(_)));
    assert_eq!(before.to_string(), "echo: the request was not sent: no credentials to sign with");
    assert!(seen.lock().unwrap().is_empty());
    let after = SoapClient::new("urn:s", &url, &ClientConfig::default())
        .unwrap()
        .with_layer(Refuse::Response)
        .call::<Echo>(&input, &[])
        .await
        .unwrap_err();
    assert!(after.may_have_been_processed(), "{after}");
    assert_eq!(after.to_string(), "echo: the response was refused: the signature does not verify");
    assert_eq!(seen.lock().unwrap().len(), 1);
}
