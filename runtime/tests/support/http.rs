#![allow(dead_code)] // each test file uses some of these
//! A minimal HTTP/1.1 server for tests: each request is answered by `answer` (status,
//! headers and body), and kept (head in lower case, body).

use std::sync::{Arc, Mutex};

use mktows_runtime::Operation;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The operations the tests call: a string each way, answered as `ns1:success`; `Echo`
/// unsigned, `SignedEcho` with a signed header `Auth`.
pub struct Echo;
pub struct SignedEcho;

macro_rules! echo {
    ($op:ident, $signed:expr) => {
        impl Operation for $op {
            const NAME: &'static str = "echo";
            const SOAP_ACTION: &'static str = "urn:echo";
            const INPUT_ELEMENT: &'static str = "params";
            const OUTPUT_ELEMENT: &'static str = "success";
            const SIGNED_HEADER: Option<&'static str> = $signed;
            type Input = String;
            type Output = String;
        }
    };
}

echo!(Echo, None);
echo!(SignedEcho, Some("Auth"));

/// Every request the server got: the head in lower case, and the body.
pub type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// What the server answers: a status, header lines (`Name: value`; a `Content-Type` among
/// them replaces `text/xml`) and a body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

impl From<(u16, String)> for Reply {
    fn from((status, body): (u16, String)) -> Self {
        Reply { status, headers: Vec::new(), body: body.into_bytes() }
    }
}

/// A SOAP 1.1 success: the element `ns1:success` holding `ok`.
pub fn success(_: &[u8]) -> (u16, String) {
    (200, envelope("<ns1:success>ok</ns1:success>"))
}

/// A SOAP 1.1 envelope around `body`.
pub fn envelope(body: &str) -> String {
    format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:s"><SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

/// A SOAP 1.1 fault with `code` (a QName) and `message`.
pub fn fault(code: &str, message: &str) -> (u16, String) {
    let namespaces =
        r#"xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd""#;
    let body = format!("<SOAP-ENV:Fault {namespaces}><faultcode>{code}</faultcode><faultstring>{message}</faultstring></SOAP-ENV:Fault>");
    (500, envelope(&body))
}

/// Serves on an ephemeral port; the URL and what it got.
pub async fn serve(answer: fn(&[u8]) -> (u16, String)) -> (String, Seen) {
    serve_with(Arc::new(move |_, body| answer(body).into())).await
}

/// How the server answers a request: from its head (lower case) and body.
pub type Answer = Arc<dyn Fn(&str, &[u8]) -> Reply + Send + Sync>;

/// [`serve`], with an answering function that may hold state.
pub async fn serve_with(answer: Answer) -> (String, Seen) {
    serve_raw(Arc::new(move |head, body| answer(&head.to_ascii_lowercase(), body))).await
}

/// [`serve_with`], the answering function given the head as sent (header values such as a
/// multipart boundary are case-sensitive); what is kept is still in lower case.
pub async fn serve_raw(answer: Answer) -> (String, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(exchanges(socket, answer.clone(), kept.clone()));
        }
    });
    (url, seen)
}

/// Answers the requests of one connection (plain or TLS) until it closes.
pub async fn exchanges<S: AsyncRead + AsyncWrite + Unpin>(mut socket: S, answer: Answer, kept: Seen) {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = socket.read(&mut buffer).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        bytes.extend_from_slice(&buffer[..n]);
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let raw_head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let head = raw_head.to_ascii_lowercase();
        let length: usize =
            head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
        if bytes.len() < end + 4 + length {
            continue;
        }
        let body = bytes[end + 4..end + 4 + length].to_vec();
        let Reply { status, headers, body: reply } = answer(&raw_head, &body);
        kept.lock().unwrap().push((head, body));
        let typed = headers.iter().any(|line| line.to_ascii_lowercase().starts_with("content-type:"));
        let own_type = if typed { "" } else { "content-type: text/xml\r\n" };
        let extra: String = headers.iter().map(|line| format!("{line}\r\n")).collect();
        let mut message =
            format!("HTTP/1.1 {status} X\r\n{own_type}{extra}content-length: {}\r\n\r\n", reply.len()).into_bytes();
        message.extend_from_slice(&reply);
        let _ = socket.write_all(&message).await;
        let _ = socket.flush().await;
        bytes.drain(..end + 4 + length);
    }
}
