//! The generated client over real HTTP, against a small local server that answers with
//! canned responses and records what it was sent.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{example, SECRET_KEY, USER_ID};
use mktows::runtime::ErrorKind;
use mktows::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server answers to every request.
#[derive(Clone)]
struct Canned {
    status: u16,
    body: Vec<u8>,
    delay: Duration,
    /// How many requests, shared across connections, get 503 Service Unavailable first.
    unavailable_first: Arc<std::sync::atomic::AtomicUsize>,
}

/// One request as received.
#[derive(Debug, Clone)]
struct Received {
    head: String,
    body: String,
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Received>>>,
    connections: Arc<Mutex<usize>>,
}

async fn serve(canned: Canned) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/soap/mktows/2_2", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(Mutex::new(0));
    let (log, count) = (requests.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            *count.lock().unwrap() += 1;
            tokio::spawn(handle(stream, canned.clone(), log.clone()));
        }
    });
    Server { url, requests, connections }
}

/// Serves requests on one connection until the client closes it (keep-alive).
async fn handle(mut stream: TcpStream, canned: Canned, log: Arc<Mutex<Vec<Received>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(head_end) = read_until_headers(&mut stream, &mut buffer).await else { return };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
            .unwrap_or(0);
        while buffer.len() < head_end + 4 + length {
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await.unwrap();
            if n == 0 {
                return;
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buffer[head_end + 4..head_end + 4 + length]).into_owned();
        buffer.drain(..head_end + 4 + length);
        log.lock().unwrap().push(Received { head, body });
        tokio::time::sleep(canned.delay).await;
        let unavailable = canned
            .unavailable_first
            .fetch_update(std::sync::atomic::Ordering::SeqCst, std::sync::atomic::Ordering::SeqCst, |n| {
                n.checked_sub(1)
            })
            .is_ok();
        let (status, body) = match unavailable {
            true => (503, &b"busy"[..]),
            false => (canned.status, &canned.body[..]),
        };
        let reason = if status == 200 { "OK" } else { "Error" };
        let header = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if stream.write_all(header.as_bytes()).await.is_err() || stream.write_all(body).await.is_err() {
            return;
        }
    }
}

async fn read_until_headers(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(end);
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

fn canned(status: u16, body: Vec<u8>) -> Canned {
    Canned { status, body, delay: Duration::ZERO, unavailable_first: Default::default() }
}

fn client(url: &str) -> Client {
    Client::new(url, Credentials::new(USER_ID, SECRET_KEY)).unwrap()
}

fn one_lead() -> ParamsSyncMultipleLeads {
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord {
            lead_record: vec![LeadRecord { email: "em1000@etestd.marketo.net".into(), ..Default::default() }],
        },
        dedup_enabled: Nillable::Value(true),
    }
}

#[tokio::test]
async fn sends_a_signed_soap_request_and_reads_the_typed_answer() {
    let server = serve(canned(200, example("syncmultipleleads/response.xml"))).await;
    let result = client(&server.url).sync_multiple_leads(&one_lead()).await.unwrap();
    assert_eq!(result.result.sync_status_list.sync_status[0].lead_id, 1_090_240);

    let requests = server.requests.lock().unwrap().clone();
    let [request] = requests.as_slice() else { panic!("{requests:?}") };
    let head = request.head.to_ascii_lowercase();
    assert!(request.head.starts_with("POST /soap/mktows/2_2 HTTP/1.1"), "{}", request.head);
    assert!(head.contains("content-type: text/xml; charset=utf-8"), "{head}");
    assert!(head.contains("soapaction: \"http://www.marketo.com/mktows/syncmultipleleads\""), "{head}");
    // The signature in the request is valid for its own timestamp.
    let field = |name: &str| {
        request.body.split(&format!("<{name}>")).nth(1).and_then(|s| s.split('<').next()).unwrap().to_owned()
    };
    let (timestamp, signature) = (field("requestTimestamp"), field("requestSignature"));
    assert!(Credentials::new(USER_ID, SECRET_KEY).verify(&timestamp, &signature), "{timestamp} {signature}");
    assert!(Timestamp::from_w3c(timestamp.as_str()).is_ok());
    assert!(!request.body.contains(SECRET_KEY));
}

#[tokio::test]
async fn control_characters_are_refused_before_anything_is_sent() {
    let server = serve(canned(200, example("syncmultipleleads/response.xml"))).await;
    let client = client(&server.url);
    for value in ["a\u{0}b", "\u{1}", "x\u{b}", "\u{1b}[31m"] {
        let mut params = one_lead();
        params.lead_record_list.lead_record[0].lead_attribute_list = ArrayOfAttribute {
            attribute: vec![Attribute { attr_name: "Company".into(), attr_value: value.into(), ..Default::default() }],
        }
        .into();
        let err = client.sync_multiple_leads(&params).await.unwrap_err();
        let ErrorKind::Encode(encode) = err.kind() else { panic!("{err:?}") };
        assert_eq!(encode.path().last().map(String::as_str), Some("attrValue"), "{err}");
        assert!(err.to_string().starts_with("syncMultipleLeads: the request cannot be sent: U+00"), "{err}");
        assert!(!err.is_marketo_retryable());
    }
    assert_eq!(*server.connections.lock().unwrap(), 0, "nothing was sent");
    assert!(client.sync_multiple_leads(&one_lead()).await.is_ok());
}

#[tokio::test]
async fn a_fault_sent_with_status_500_is_a_fault_error() {
    let server = serve(canned(500, example("authentication-signature/response-failure-invalid-credentials.xml"))).await;
    let err = client(&server.url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert_eq!(err.operation(), "syncMultipleLeads");
    assert_eq!(err.marketo_code(), Some(MarketoCode::AuthenticationFailed));
    assert!(!err.is_retryable());
    assert_eq!(err.to_string(), "syncMultipleLeads: SOAP fault SOAP-ENV:Client: 20014 - Authentication failed");
}

#[tokio::test]
async fn rate_limit_faults_are_retryable() {
    let fault = marketo::fault::fault(false, 20023, "Rate limit exceeded").to_envelope();
    let server = serve(canned(500, fault)).await;
    let err = client(&server.url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::RateLimitExceeded));
    assert!(err.is_marketo_retryable());
}

#[tokio::test]
async fn a_non_soap_error_page_is_an_http_status_error() {
    let server = serve(canned(503, b"<html><body>Service Unavailable</body></html>".to_vec())).await;
    let err = client(&server.url).get_tags(&ParamsGetTags::default()).await.unwrap_err();
    match err.kind() {
        ErrorKind::HttpStatus { status, body } => {
            assert_eq!(*status, 503);
            assert!(body.contains("Service Unavailable"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn garbage_with_status_200_is_a_decode_error_with_position() {
    let server = serve(canned(
        200,
        b"<?xml version=\"1.0\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"x\">\n  <SOAP-ENV:Body>\n    <oops".to_vec(),
    ))
    .await;
    let err = client(&server.url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    match err.kind() {
        ErrorKind::Decode(decode) => assert_eq!((decode.line(), decode.column()), (4, 5), "{err}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server =
        serve(Canned { delay: Duration::from_secs(5), ..canned(200, example("syncmultipleleads/response.xml")) }).await;
    let config = ClientConfig { timeout: Duration::from_millis(200), ..ClientConfig::default() };
    let client = Client::with_config(&server.url, Credentials::new(USER_ID, SECRET_KEY), &config).unwrap();
    let err = client.sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/soap/mktows/2_2", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    match err.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.stage(), mktows::runtime::TransportStage::Connect, "{err}"),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    // Nothing was sent, and the message names the root cause, not only "error sending request".
    assert!(!err.may_have_been_processed());
    assert!(err.to_string().contains("Connection refused"), "{err}");
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_may_have_been_processed() {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/soap/mktows/2_2", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        // Read the whole request, then close without answering.
        let mut request = vec![0; 64 * 1024];
        let _ = stream.read(&mut request).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    });
    let err = client(&url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    match err.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.stage(), mktows::runtime::TransportStage::Exchange, "{err}"),
        other => panic!("{other:?}"),
    }
    assert!(err.may_have_been_processed(), "{err}");
    assert!(!err.to_string().contains("127.0.0.1"), "no URL in the message: {err}");
}

#[tokio::test]
async fn a_proxy_carries_every_request() {
    // The "proxy" is the canned server: a request for a host that does not exist reaches it
    // only through the proxy setting, with the whole URL in its request line.
    let proxy = serve(canned(200, example("syncmultipleleads/response.xml"))).await;
    let config = ClientConfig { proxy: Some(proxy.url.clone()), ..ClientConfig::default() };
    let endpoint = "http://marketo.invalid/soap/mktows/2_2";
    let client = Client::with_config(endpoint, Credentials::new(USER_ID, SECRET_KEY), &config).unwrap();
    client.sync_multiple_leads(&one_lead()).await.unwrap();
    let requests = proxy.requests.lock().unwrap().clone();
    assert!(
        requests[0].head.starts_with("POST http://marketo.invalid/soap/mktows/2_2 HTTP/1.1"),
        "{}",
        requests[0].head
    );
    let bad = ClientConfig { proxy: Some("not a url".into()), ..ClientConfig::default() };
    assert!(Client::with_config(endpoint, Credentials::new(USER_ID, SECRET_KEY), &bad).is_err());
}

#[tokio::test]
async fn a_client_of_ones_own_is_used_as_it_is() {
    let server = serve(canned(200, example("syncmultipleleads/response.xml"))).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-correlation-id", "run-42".parse().unwrap());
    mktows::runtime::transport::install_crypto_provider();
    let http = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let config = ClientConfig { http_client: Some(http), ..ClientConfig::default() };
    let client = Client::with_config(&server.url, Credentials::new(USER_ID, SECRET_KEY), &config).unwrap();
    client.sync_multiple_leads(&one_lead()).await.unwrap();
    let head = server.requests.lock().unwrap()[0].head.to_ascii_lowercase();
    assert!(head.contains("x-correlation-id: run-42"), "{head}");
}

#[test]
fn root_certificates_are_read_as_pem_and_garbage_is_refused() {
    let endpoint = "https://123-ABC-456.mktoapi.com/soap/mktows/2_2";
    let build = |pem: &[u8]| {
        let config = ClientConfig { root_certificates_pem: vec![pem.to_vec()], ..ClientConfig::default() };
        Client::with_config(endpoint, Credentials::new(USER_ID, SECRET_KEY), &config)
    };
    let ca = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem")).unwrap();
    assert!(build(&ca).is_ok());
    let refused = build(b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n").unwrap_err();
    assert!(refused.to_string().contains("root certificate 1"), "{refused}");
    assert!(build(b"no certificate here").unwrap_err().to_string().contains("root certificate 1"));
}

#[tokio::test]
async fn a_retry_policy_sends_again_what_was_refused_and_only_that() {
    let canned =
        || Canned { unavailable_first: Arc::new(2.into()), ..canned(200, example("syncmultipleleads/response.xml")) };
    let fast = RetryPolicy { initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() };
    let with = |policy: Option<RetryPolicy>, url: &str| {
        let config = ClientConfig { retry: policy, ..ClientConfig::default() };
        Client::with_config(url, Credentials::new(USER_ID, SECRET_KEY), &config).unwrap()
    };
    // Off by default: the first 503 is the answer.
    let server = serve(canned()).await;
    let err = client(&server.url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::HttpStatus { status: 503, .. }), "{err}");
    // A 503 may have been processed: resent only when the policy says the call is safe to repeat.
    let server = serve(canned()).await;
    let err = with(Some(fast.clone()), &server.url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert!(err.may_have_been_processed(), "{err}");
    assert_eq!(server.requests.lock().unwrap().len(), 1);
    let server = serve(canned()).await;
    let idempotent = RetryPolicy { resend_maybe_processed: true, ..fast.clone() };
    with(Some(idempotent.clone()), &server.url).sync_multiple_leads(&one_lead()).await.unwrap();
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3, "two refusals, then the answer");
    // Each attempt is signed anew.
    assert!(requests.iter().all(|r| r.body.contains("<requestSignature>")));
    // The attempts run out.
    let server = serve(Canned { unavailable_first: Arc::new(10.into()), ..canned() }).await;
    let err = with(Some(RetryPolicy { max_attempts: 3, ..idempotent }), &server.url)
        .sync_multiple_leads(&one_lead())
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::HttpStatus { status: 503, .. }), "{err}");
    assert_eq!(server.requests.lock().unwrap().len(), 3);
    // A refused connection was never sent: retried whatever the operation.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/soap/mktows/2_2", listener.local_addr().unwrap());
    drop(listener);
    let started = std::time::Instant::now();
    let err = with(Some(fast), &url).sync_multiple_leads(&one_lead()).await.unwrap_err();
    assert!(!err.may_have_been_processed() && started.elapsed() >= Duration::from_millis(1), "{err}");
}

#[tokio::test]
async fn calls_reuse_one_connection() {
    let server = serve(canned(200, example("syncmultipleleads/response.xml"))).await;
    let client = client(&server.url);
    for _ in 0..5 {
        client.sync_multiple_leads(&one_lead()).await.unwrap();
    }
    assert_eq!(server.requests.lock().unwrap().len(), 5);
    assert_eq!(*server.connections.lock().unwrap(), 1);
}

#[test]
fn bad_endpoints_are_configuration_errors() {
    let credentials = Credentials::new(USER_ID, SECRET_KEY);
    assert!(Client::new("not a url", credentials.clone()).unwrap_err().to_string().contains("not a URL"));
    assert!(Client::new("ftp://example.com/", credentials).unwrap_err().to_string().contains("http or https"));
}

#[test]
fn debug_output_never_shows_the_secret() {
    let client = client("https://example.mktoapi.com/soap/mktows/2_2");
    let shown = format!("{client:?}");
    assert!(shown.contains(USER_ID) && !shown.contains(SECRET_KEY), "{shown}");
}

/// Calls can be spawned onto a multi-threaded runtime: every client future is `Send`.
#[test]
fn client_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = client("http://127.0.0.1:9/");
    let params = one_lead();
    assert_send(&client.sync_multiple_leads(&params));
    let sync_lead =
        ParamsSyncLead { lead_record: LeadRecord::default(), return_lead: false, marketo_cookie: Nillable::Absent };
    let context = MktowsContextHeaderInfo { target_workspace: "w".into() };
    assert_send(&client.sync_lead(&sync_lead, Some(&context)));
}
