//! Calling a real service, in a few lines each: the generated echo client with the
//! runtime's layers (WS-Security tokens and signatures, WS-Addressing, HTTP Basic, a session header from a login,
//! a history), against the generated echo server behind an HTTP server that checks what a
//! real service would.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mktows_example_echo::{server, Client, Echo, EchoResponse};
use mktows_runtime::codegen::{Fault, RequestContext};
use mktows_runtime::layer::addressing::WsAddressing;
use mktows_runtime::layer::history::History;
use mktows_runtime::layer::http_auth::BasicAuth;
use mktows_runtime::layer::{CallInfo, OutgoingHeaders};
use mktows_runtime::wsse::verify::Verifier;
use mktows_runtime::wsse::{UsernameToken, WsSecurity, X509Signer};
use mktows_runtime::xml::{ToXml, XmlWriter};
use mktows_runtime::{DateTime, Layer, LayerError};

#[path = "../../../runtime/tests/support/http.rs"]
mod http;

struct Parrot;

impl server::Service for Parrot {
    async fn echo(&self, context: &RequestContext, params: Echo) -> Result<EchoResponse, Fault> {
        let session = context.headers.iter().any(|(name, _)| name == "SessionHeader");
        let text = if session { format!("{} (in session)", params.text) } else { params.text };
        Ok(EchoResponse { text, tag_count: params.tag.len() as i32 })
    }
}

/// The generated server's answer; the echo service never waits, so one poll finishes it.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the echo service waited"),
    }
}

fn answer(body: &[u8]) -> http::Reply {
    let response = ready(server::dispatch(&Parrot, body));
    http::Reply { status: response.status, headers: Vec::new(), body: response.body }
}

/// A service that wants what `check` asks for (it says what is missing in a fault).
async fn service(check: fn(&str, &[u8]) -> Result<(), String>) -> String {
    let (url, _) = http::serve_with(Arc::new(move |head: &str, body: &[u8]| match check(head, body) {
        Ok(()) => answer(body),
        Err(why) => http::fault("SOAP-ENV:Client", &why).into(),
    }))
    .await;
    url
}

fn echo(text: &str) -> Echo {
    Echo { text: text.into(), times: None, tone: None, tag: vec![] }
}

#[tokio::test]
async fn ws_security_username_token() {
    fn check(_: &str, body: &[u8]) -> Result<(), String> {
        static VERIFIER: std::sync::OnceLock<Verifier> = std::sync::OnceLock::new();
        let verifier = VERIFIER.get_or_init(|| Verifier::new().user("admin", "secret"));
        let request = mktows_runtime::server::read_request(body).map_err(|e| e.to_string())?;
        verifier.check(&request, DateTime::now().unix_seconds().unwrap()).map(|_| ()).map_err(|e| e.to_string())
    }
    let url = service(check).await;
    let security =
        WsSecurity::new().username_token(UsernameToken::digest("admin", "secret")).timestamp(Duration::from_secs(300));
    let client = Client::new(&url).unwrap().with_layer(security);
    assert_eq!(client.echo(&echo("hi")).await.unwrap().text, "hi");
    let wrong = Client::new(&url)
        .unwrap()
        .with_layer(WsSecurity::new().username_token(UsernameToken::digest("admin", "guess")));
    assert!(wrong.echo(&echo("hi")).await.unwrap_err().to_string().contains("user name or password is wrong"));
}

#[tokio::test]
async fn ws_security_x509_signature() {
    fn check(_: &str, body: &[u8]) -> Result<(), String> {
        mktows_runtime::wsse::signature::verify(body, &[signer().certificate().to_vec()])
    }
    let url = service(check).await;
    let client = Client::new(&url).unwrap().with_layer(WsSecurity::new().sign_with(signer()));
    assert_eq!(client.echo(&echo("signed")).await.unwrap().text, "signed");
    assert!(Client::new(&url).unwrap().echo(&echo("unsigned")).await.unwrap_err().to_string().contains("not signed"));
}

/// The runtime's test certificate and key (`runtime/tests/data/client-identity.pem`).
fn signer() -> X509Signer {
    let pem = include_str!("../../../runtime/tests/data/client-identity.pem");
    X509Signer::from_pem(pem.as_bytes(), pem.as_bytes()).unwrap()
}

#[tokio::test]
async fn ws_addressing() {
    fn check(_: &str, body: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(body);
        let action = text.contains(">urn:example:echo/Echo</wsa:Action>") && text.contains("<wsa:MessageID");
        action.then_some(()).ok_or_else(|| "WS-Addressing headers are required".to_owned())
    }
    let url = service(check).await;
    let client = Client::new(&url).unwrap().with_layer(WsAddressing::new());
    assert_eq!(client.echo(&echo("hi")).await.unwrap().text, "hi");
    assert!(Client::new(&url).unwrap().echo(&echo("hi")).await.is_err());
}

#[tokio::test]
async fn http_basic_authentication() {
    fn check(head: &str, _: &[u8]) -> Result<(), String> {
        // admin:secret
        head.contains("authorization: basic ywrtaw46c2vjcmv0").then_some(()).ok_or_else(|| "who are you?".to_owned())
    }
    let url = service(check).await;
    let client = Client::new(&url).unwrap().with_layer(BasicAuth::new("admin", "secret"));
    assert_eq!(client.echo(&echo("hi")).await.unwrap().text, "hi");
}

/// A session header a login call returned (Salesforce's `SessionHeader`, say), on every
/// call from then on: a layer of a few lines, no generated code touched.
#[derive(Debug, Default, Clone)]
struct Session(Arc<Mutex<Option<String>>>);

struct SessionHeader(String);

impl ToXml for SessionHeader {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.start(name);
        w.text_element("sessionId", &self.0);
        w.end(name);
    }
}

impl Layer for Session {
    fn headers(&self, _: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        if let Some(id) = self.0.lock().unwrap().clone() {
            headers.push("SessionHeader", SessionHeader(id));
        }
        Ok(())
    }
}

#[tokio::test]
async fn a_header_from_a_login_call_and_a_history_of_exchanges() {
    let url = service(|_, _| Ok(())).await;
    let (session, history) = (Session::default(), History::new(10));
    let client = Client::new(&url).unwrap().with_layer(session.clone()).with_layer(history.clone());
    let login = client.echo(&echo("00D-session-token")).await.unwrap();
    *session.0.lock().unwrap() = Some(login.text);
    assert_eq!(client.echo(&echo("hi")).await.unwrap().text, "hi (in session)");
    let last = history.last().unwrap();
    let sent = String::from_utf8_lossy(&last.request);
    assert!(sent.contains("<ns1:SessionHeader><sessionId>***</sessionId></ns1:SessionHeader>"), "redacted: {sent}");
    assert_eq!((history.exchanges().len(), last.status), (2, Some(200)));
}
