//! Layers over real HTTP: the header blocks they add are where they belong, their changes
//! reach the wire exactly as `encode` shows them, and the exchange hook sees the response.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use mktows_runtime::layer::{BoxFuture, CallInfo, Next, OutgoingHeaders, Request};
use mktows_runtime::soap::HeaderBlock;
use mktows_runtime::transport::HttpResponse;
use mktows_runtime::xml::{ToXml, XmlWriter};
use mktows_runtime::{ClientConfig, ErrorKind, HeaderSigner, Layer, LayerError, SoapClient};

#[path = "support/http.rs"]
mod http;
use http::serve;

use http::SignedEcho as Echo;

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

mod http_auth {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use super::http::{self, Reply};
    use super::Echo;
    use mktows_runtime::layer::http_auth::{BasicAuth, RefreshingBearer};
    use mktows_runtime::{ClientConfig, SoapClient};

    fn client(url: &str, layer: impl mktows_runtime::Layer + 'static) -> SoapClient {
        SoapClient::new("urn:s", url, &ClientConfig::default()).unwrap().with_layer(layer)
    }

    #[tokio::test]
    async fn basic_auth_sends_the_pair_and_keeps_the_password_out_of_debug() {
        let (url, seen) = http::serve(http::success).await;
        let basic = BasicAuth::new("admin", "pw");
        assert!(!format!("{basic:?}").contains("pw\""));
        client(&url, basic).call::<Echo>(&"x".to_owned(), &[]).await.unwrap();
        assert!(seen.lock().unwrap()[0].0.contains("authorization: basic ywrtaw46chc="));
    }

    #[tokio::test]
    async fn a_bearer_token_is_fetched_once_and_again_after_a_401() {
        // The service takes only the second token the function hands out.
        let answer = Arc::new(|head: &str, body: &[u8]| match head.contains("authorization: bearer t2") {
            true => Reply::from(http::success(body)),
            false => Reply { status: 401, headers: vec!["WWW-Authenticate: Bearer".into()], body: Vec::new() },
        });
        let (url, seen) = http::serve_with(answer).await;
        let fetched = Arc::new(AtomicU32::new(0));
        let counter = fetched.clone();
        let bearer = RefreshingBearer::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            Box::pin(async move { Ok(format!("t{n}")) })
        });
        let client = client(&url, bearer);
        assert_eq!(client.call::<Echo>(&"x".to_owned(), &[]).await.unwrap(), "ok");
        assert_eq!(client.call::<Echo>(&"x".to_owned(), &[]).await.unwrap(), "ok");
        assert_eq!(fetched.load(Ordering::SeqCst), 2, "t1, refused; t2, kept for the second call");
        assert_eq!(seen.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_service_that_asks_for_ntlm_gets_an_error_naming_the_alternatives() {
        let answer = Arc::new(|_: &str, _: &[u8]| Reply {
            status: 401,
            headers: vec!["WWW-Authenticate: NTLM".into(), "WWW-Authenticate: Negotiate".into()],
            body: Vec::new(),
        });
        let (url, _) = http::serve_with(answer).await;
        let error = client(&url, BasicAuth::new("u", "p")).call::<Echo>(&"x".to_owned(), &[]).await.unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("asks for NTLM or Negotiate authentication") && text.contains("Basic over TLS"),
            "{text}"
        );
        assert!(!error.may_have_been_processed());
    }
}

mod history {
    use super::http;
    use super::{Block, Echo};
    use mktows_runtime::layer::history::History;
    use mktows_runtime::layer::http_auth::BearerToken;
    use mktows_runtime::soap::HeaderBlock;
    use mktows_runtime::{ClientConfig, SoapClient};

    #[tokio::test]
    async fn the_last_exchanges_are_kept_redacted_and_cut_to_size() {
        let (url, _) = http::serve(http::success).await;
        let history = History::new(2).max_body_bytes(400);
        let client = SoapClient::new("urn:s", &url, &ClientConfig::default())
            .unwrap()
            .with_layer(BearerToken::new("secret-token"))
            .with_layer(history.clone());
        let password = Block("hunter2");
        let headers = [HeaderBlock { name: "Password", value: &password }];
        for n in 0..3 {
            client.call::<Echo>(&format!("call {n} {}", "x".repeat(1000)), &headers).await.unwrap();
        }
        let kept = history.exchanges();
        assert_eq!(kept.len(), 2);
        let last = history.last().unwrap();
        let request = String::from_utf8(last.request.clone()).unwrap();
        assert!(request.contains("<ns1:Password>***</ns1:Password>") && !request.contains("hunter2"), "{request}");
        assert!(request.contains("call 2") && last.request.len() <= 400 && last.request_len > 1000);
        assert_eq!(last.request_headers, [("Authorization".to_owned(), "***".to_owned())]);
        assert_eq!((last.status, last.error.as_deref()), (Some(200), None));
        assert!(String::from_utf8_lossy(&last.response).contains("<ns1:success>ok</ns1:success>"));
        assert!(!format!("{kept:?}").contains("secret-token"));
    }
}

mod tls {
    use mktows_runtime::transport::Transport;
    use mktows_runtime::ClientConfig;

    #[test]
    fn a_client_identity_is_read_as_pem_and_kept_out_of_debug() {
        let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/client-identity.pem")).unwrap();
        let config = ClientConfig {
            client_identity_pem: Some(pem.clone()),
            proxy: Some("http://u:pw@proxy:3128".into()),
            ..ClientConfig::default()
        };
        assert!(Transport::new("https://service.example/soap", &config).is_ok());
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("PRIVATE") && !shown.contains("pw@") && shown.contains("client_identity: \"<redacted>\""),
            "{shown}"
        );
        let certificate_only = String::from_utf8(pem).unwrap();
        let certificate_only = &certificate_only[..certificate_only.find("-----BEGIN PRIVATE KEY").unwrap()];
        for bad in [certificate_only.as_bytes(), b"not pem".as_slice()] {
            let config = ClientConfig { client_identity_pem: Some(bad.to_vec()), ..ClientConfig::default() };
            let error = Transport::new("https://service.example/soap", &config).unwrap_err();
            assert_eq!(error.to_string(), "the client identity is not PEM holding a certificate and its private key");
        }
    }
}
