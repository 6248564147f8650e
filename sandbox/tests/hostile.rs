//! The sandbox against clients that send what they should not: bytes XML cannot carry, a
//! byte order mark, values with multibyte characters, bodies too large or too slow, idle
//! connections and too many of them. Everything on 127.0.0.1, with short limits, and each
//! test ends by itself within seconds.

use std::time::{Duration, Instant};

use mktows::runtime::transport::{HttpResponse, Transport};
use mktows::runtime::Operation;
use mktows::*;
use mktows_sandbox::{Sandbox, SandboxConfig, ServerLimits, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn with_limits(server: ServerLimits) -> SandboxConfig {
    SandboxConfig { server, ..SandboxConfig::default() }
}

fn client(sandbox: &Sandbox) -> Client {
    Client::new(&sandbox.endpoint(), Credentials::new(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)).unwrap()
}

async fn post(sandbox: &Sandbox, body: Vec<u8>) -> HttpResponse {
    Transport::new(&sandbox.endpoint(), &ClientConfig::default()).unwrap().post("", body).await.unwrap()
}

fn code_of<Op: Operation>(response: &HttpResponse) -> Option<MarketoCode> {
    mktows::runtime::client::decode::<Op>(response).err().and_then(|e| e.marketo_code())
}

/// A freshly signed request for one lead whose `Company` is `company`, as text.
fn one_lead_request(sandbox: &Sandbox, company: &str) -> String {
    let lead = LeadRecord {
        email: "hostile@example.com".into(),
        lead_attribute_list: ArrayOfAttribute {
            attribute: vec![Attribute {
                attr_name: "Company".into(),
                attr_value: company.into(),
                ..Default::default()
            }],
        }
        .into(),
        ..Default::default()
    };
    let params = ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord { lead_record: vec![lead] },
        dedup_enabled: Nillable::Absent,
    };
    let envelope = client(sandbox).soap().try_encode::<operations::SyncMultipleLeads>(&params, &[]).unwrap();
    String::from_utf8(envelope).unwrap()
}

#[tokio::test]
async fn a_signed_request_with_a_multibyte_date_time_gets_a_fault() {
    let sandbox = start(SandboxConfig::default()).await;
    let selector = LastUpdateAtSelector {
        oldest_updated_at: DateTime::new("2013-08-05T17:58:10Z").unwrap(),
        latest_updated_at: Nillable::Absent,
    };
    let params = ParamsGetMultipleLeads {
        lead_selector: Some(LeadSelector::LastUpdateAtSelector(selector)),
        ..Default::default()
    };
    let signed = client(&sandbox).soap().try_encode::<operations::GetMultipleLeads>(&params, &[]).unwrap();
    let signed = String::from_utf8(signed).unwrap();
    for bad in ["2013-08-0é5T17:58:10Z", "2013-08-05T17:58:1\u{FEFF}0Z", "2013-08-05T17:58:10𝄞"] {
        let response = post(&sandbox, signed.replace("2013-08-05T17:58:10Z", bad).into_bytes()).await;
        assert_eq!(response.status, 500, "{bad}");
        assert_eq!(code_of::<operations::GetMultipleLeads>(&response), Some(MarketoCode::InvalidRequest), "{bad}");
    }
    let response = post(&sandbox, signed.into_bytes()).await;
    assert_eq!(response.status, 200, "still serving");
}

#[tokio::test]
async fn a_request_after_a_byte_order_mark_is_read_as_without_one() {
    let sandbox = start(SandboxConfig::default()).await;
    let request = format!("\u{FEFF}{}", one_lead_request(&sandbox, "Marked"));
    let response = post(&sandbox, request.into_bytes()).await;
    assert_eq!(response.status, 200, "{}", String::from_utf8_lossy(&response.body));
    assert_eq!(sandbox.lead_count(), 1);
}

#[tokio::test]
async fn characters_xml_cannot_carry_are_a_malformed_request() {
    let sandbox = start(SandboxConfig::default()).await;
    for bad in ["a\u{0}b", "\u{1}", "x\u{b}", "\u{1b}[31m", "&#1;", "&#x1b;", "\u{FFFE}"] {
        let request = one_lead_request(&sandbox, "PLACEHOLDER").replace("PLACEHOLDER", bad);
        let response = post(&sandbox, request.into_bytes()).await;
        assert_eq!(response.status, 500, "{bad:?}");
        assert_eq!(
            code_of::<operations::SyncMultipleLeads>(&response),
            Some(MarketoCode::RequestNotUnderstood),
            "{bad:?}"
        );
    }
    let request = one_lead_request(&sandbox, "PLACEHOLDER").replace("<mktowsUserId>", "<mktowsUserId>\u{1}");
    let response = post(&sandbox, request.into_bytes()).await;
    assert_eq!(
        code_of::<operations::SyncMultipleLeads>(&response),
        Some(MarketoCode::RequestNotUnderstood),
        "in the header too"
    );
    assert_eq!(sandbox.lead_count(), 0, "nothing was stored");
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_after_authentication() {
    let sandbox = start(SandboxConfig::default()).await;
    let lead = one_lead_request(&sandbox, "Big");
    let (start, end) = (lead.find("<leadRecord>").unwrap(), lead.find("</leadRecordList>").unwrap());
    let batch = lead.replace(&lead[start..end], &lead[start..end].repeat(1000));
    let response = post(&sandbox, batch.clone().into_bytes()).await;
    let err = mktows::runtime::client::decode::<operations::SyncMultipleLeads>(&response).unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::BadParameter));
    assert!(err.to_string().contains("holds at least 301 leads; at most 300 per call"), "{err}");
    let unsigned = batch.replace("<mktowsUserId>", "<mktowsUserId>x");
    assert_eq!(
        code_of::<operations::SyncMultipleLeads>(&post(&sandbox, unsigned.into_bytes()).await),
        Some(MarketoCode::AuthenticationFailed)
    );
    assert_eq!(sandbox.lead_count(), 0);
}

/// Reads until the server closes the connection; `None` when it is still open after `wait`.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&answer).into_owned()),
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
        }
    }
}

async fn connect(sandbox: &Sandbox) -> TcpStream {
    TcpStream::connect(sandbox.local_addr()).await.unwrap()
}

fn head(sandbox: &Sandbox, length: usize) -> String {
    format!(
        "POST /soap/mktows/2_2 HTTP/1.1\r\nhost: {}\r\ncontent-type: text/xml\r\ncontent-length: {length}\r\n\r\n",
        sandbox.local_addr()
    )
}

const SHORT: Duration = Duration::from_millis(300);
const LONG: Duration = Duration::from_secs(30);
const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let limits = ServerLimits { idle_timeout: SHORT, header_read_timeout: LONG, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut idle = connect(&sandbox).await;
    assert!(read_until_closed(&mut idle, WAIT).await.is_some(), "still open");
}

#[tokio::test]
async fn half_a_request_line_and_a_kept_alive_connection_are_closed_after_the_header_timeout() {
    let limits = ServerLimits { header_read_timeout: SHORT, idle_timeout: LONG, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut half = connect(&sandbox).await;
    half.write_all(b"POST /soap/mktows/2_2 HT").await.unwrap();
    let mut trickle = connect(&sandbox).await;
    let mut kept = connect(&sandbox).await;
    kept.write_all(format!("GET /soap/mktows/2_2 HTTP/1.1\r\nhost: {}\r\n\r\n", sandbox.local_addr()).as_bytes())
        .await
        .unwrap();
    for byte in b"POST /soap/mktows/2_2 HTTP/1.1\r\nhost: x\r\n" {
        if trickle.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(read_until_closed(&mut half, WAIT).await.is_some(), "half a request line is still open");
    assert!(read_until_closed(&mut trickle, WAIT).await.is_some(), "trickled headers are still open");
    let answer = read_until_closed(&mut kept, WAIT).await.expect("the kept-alive connection is still open");
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408_and_closed() {
    let limits = ServerLimits { body_read_timeout: SHORT, idle_timeout: LONG, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut missing = connect(&sandbox).await;
    missing.write_all(head(&sandbox, 100).as_bytes()).await.unwrap();
    let mut slow = connect(&sandbox).await;
    slow.write_all(head(&sandbox, 1000).as_bytes()).await.unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        if slow.write_all(b"<").await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for stream in [&mut missing, &mut slow] {
        let answer = read_until_closed(stream, WAIT).await.expect("still open");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("<code>20012</code>"), "{answer}");
    }
}

#[tokio::test]
async fn bodies_still_arriving_hold_no_concurrency_slot() {
    let limits = ServerLimits { body_read_timeout: WAIT, ..ServerLimits::default() };
    let sandbox = start(SandboxConfig { max_concurrent_calls: Some(2), ..with_limits(limits) }).await;
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&sandbox).await;
        stream.write_all(head(&sandbox, 1000).as_bytes()).await.unwrap();
        stream.write_all(b"<SOAP-ENV:Envelope").await.unwrap();
        slow.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let response = post(&sandbox, one_lead_request(&sandbox, "Legit").into_bytes()).await;
    assert_eq!(response.status, 200, "{}", String::from_utf8_lossy(&response.body));
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_before_it_is_read() {
    let limits = ServerLimits { max_request_bytes: 64 * 1024, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut stream = connect(&sandbox).await;
    stream.write_all(head(&sandbox, 100_000_000).as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, WAIT).await.expect("still open");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_concurrent_31_mb_requests_are_cut_off_and_the_server_keeps_serving() {
    let limits = ServerLimits { max_request_bytes: 1024 * 1024, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let chunk = vec![b' '; 1024 * 1024];
    let senders: Vec<_> = (0..10)
        .map(|_| {
            let (address, chunk, head) = (sandbox.local_addr(), chunk.clone(), head(&sandbox, 31 * 1024 * 1024));
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(address).await.unwrap();
                stream.write_all(head.as_bytes()).await.unwrap();
                for _ in 0..31 {
                    if stream.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
                let _ = read_until_closed(&mut stream, WAIT).await;
            })
        })
        .collect();
    for sender in senders {
        tokio::time::timeout(Duration::from_secs(20), sender).await.expect("a sender was not cut off").unwrap();
    }
    assert_eq!(sandbox.stats().rejected, 10);
    assert_eq!(post(&sandbox, one_lead_request(&sandbox, "After").into_bytes()).await.status, 200);
}

#[tokio::test]
async fn request_bytes_held_at_once_are_bounded_over_all_connections() {
    let limits = ServerLimits { max_buffered_bytes: 100_000, max_request_bytes: 1_000_000, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut first = connect(&sandbox).await;
    first.write_all(head(&sandbox, 200_000).as_bytes()).await.unwrap();
    first.write_all(&[b' '; 90_000]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut second = connect(&sandbox).await;
    second.write_all(head(&sandbox, 200_000).as_bytes()).await.unwrap();
    let _ = second.write_all(&[b' '; 20_000]).await;
    let answer = read_until_closed(&mut second, WAIT).await.expect("still open");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("<code>20024</code>"), "{answer}");
    drop(first);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(post(&sandbox, one_lead_request(&sandbox, "After").into_bytes()).await.status, 200);
}

#[tokio::test]
async fn connections_over_the_cap_are_answered_503_at_once_and_closed() {
    let limits = ServerLimits { max_connections: 5, ..ServerLimits::default() };
    let sandbox = start(with_limits(limits)).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect(&sandbox).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    for _ in 0..20 {
        let mut extra = connect(&sandbox).await;
        let answer = read_until_closed(&mut extra, Duration::from_secs(2)).await.expect("an extra connection was held");
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    }
    drop(held);
    let started = Instant::now();
    loop {
        let response = Transport::new(&sandbox.endpoint(), &ClientConfig::default())
            .unwrap()
            .post("", one_lead_request(&sandbox, "After").into_bytes())
            .await;
        match response {
            Ok(response) if response.status == 200 => break,
            _ if started.elapsed() < WAIT => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("not serving again: {:?}", other.map(|r| r.status)),
        }
    }
}
