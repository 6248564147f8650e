//! Operation-level behaviour of the generated code of the message and binding fixtures
//! (`tests/features/{rpc_literal,rpc_encoded,multi_part,one_way,soap12,faults,headers}`): the envelopes the
//! client writes, compared with hand-written ones; what the server answers; and calls over
//! HTTP against a server that answers one request.

use mktows_runtime::codegen::{Fault, Operation, RequestContext, SoapClient};
use mktows_runtime::transport::HttpResponse;
use mktows_runtime::ClientConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

macro_rules! fixtures {
    ($($name:ident),*) => {
        $(
            #[allow(dead_code, unused_imports)]
            mod $name {
                include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/", stringify!($name), "/expected.rs"));
            }
        )*
    };
}

fixtures!(rpc_literal, rpc_encoded, multi_part, one_way, soap12, faults, headers);

/// Elements by `{namespace}local`, text trimmed, attributes other than namespace
/// declarations by name: what two envelopes must share to be the same message.
fn canonical(xml: &str) -> String {
    fn write(node: roxmltree::Node<'_, '_>, out: &mut String) {
        let namespace = node.tag_name().namespace().unwrap_or("");
        out.push_str(&format!("<{{{namespace}}}{}", node.tag_name().name()));
        for attribute in node.attributes() {
            out.push_str(&format!(" {}={:?}", attribute.name(), attribute.value()));
        }
        out.push('>');
        for child in node.children() {
            if child.is_element() {
                write(child, out);
            } else if let Some(text) = child.text().map(str::trim).filter(|t| !t.is_empty()) {
                out.push_str(text);
            }
        }
        out.push_str("</>");
    }
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let mut out = String::new();
    write(doc.root_element(), &mut out);
    out
}

fn client(namespace: &'static str, endpoint: &str) -> SoapClient {
    SoapClient::new(namespace, endpoint, &ClientConfig::default()).unwrap()
}

/// The RPC/literal request of zeep's `tests/test_wsdl_messages_rpc.py::test_serialize`
/// (mvantellingen/python-zeep): the wrapper element named after the operation in the
/// `soap:body` namespace, the parts unqualified inside it (WS-I Basic Profile 1.1 R2735),
/// written out by hand with this fixture's extra `where` part.
const RPC_REQUEST: &str = r#"<?xml version="1.0"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Body>
    <ns0:TestOperation xmlns:ns0="http://test.python-zeep.org/tests/rpc">
      <arg1>ah1</arg1>
      <arg2>ah2</arg2>
      <where><x>1</x><y>2</y></where>
    </ns0:TestOperation>
  </soap-env:Body>
</soap-env:Envelope>"#;

#[test]
fn an_rpc_literal_request_is_the_wrapper_zeep_sends() {
    use rpc_literal::*;
    let input = TestOperationInput { arg1: "ah1".into(), arg2: "ah2".into(), r#where: Point { x: 1, y: 2 } };
    let sent = client(NAMESPACE, "http://127.0.0.1:9/").encode::<operations::TestOperation>(&input, &[]);
    let sent = String::from_utf8(sent).unwrap();
    assert_eq!(canonical(&sent), canonical(RPC_REQUEST), "{sent}");
    // The response wrapper is the operation's name with `Response` (WS-I R2729).
    let answer = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>
        <m:TestOperationResponse xmlns:m="http://test.python-zeep.org/tests/rpc"><result>5</result></m:TestOperationResponse>
        </e:Body></e:Envelope>"#;
    let response = HttpResponse::new(200, answer.as_bytes().to_vec());
    let output = mktows_runtime::client::decode::<operations::TestOperation>(&response).unwrap();
    assert_eq!(output, TestOperationOutput { result: 5 });
}

/// What zeep 4.3.1 writes for `getComments(in0="tok", in1=10001)` of the `rpc_encoded`
/// fixture (`client.create_message`): an encoded message is sent as RPC/literal is, without
/// `xsi:type` or `encodingStyle`.
const ZEEP_ENCODED_REQUEST: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Body>
    <ns0:getComments xmlns:ns0="urn:feature:rpc_encoded:rpc">
      <in0>tok</in0>
      <in1>10001</in1>
    </ns0:getComments>
  </soap-env:Body>
</soap-env:Envelope>"#;

#[test]
fn an_rpc_encoded_request_is_what_zeep_sends_and_an_axis_response_with_references_reads() {
    use rpc_encoded::*;
    let input = GetCommentsInput { in0: "tok".into(), in1: 10001 };
    let sent = client(NAMESPACE, "http://127.0.0.1:9/").encode::<operations::GetComments>(&input, &[]);
    let sent = String::from_utf8(sent).unwrap();
    assert_eq!(canonical(&sent), canonical(ZEEP_ENCODED_REQUEST), "{sent}");
    // Shaped as Apache Axis 1.4 answers: array members and beans as multi-reference values
    // after the wrapper, members named after the array, `xsi:type` on every value. zeep
    // 4.3.1 (`process_reply`) reads the same two comments from it.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/rpc_encoded/axis-response.xml");
    let body = std::fs::read(path).unwrap();
    let response = HttpResponse::new(200, body);
    let output = mktows_runtime::client::decode::<operations::GetComments>(&response).unwrap();
    let comment = |author: &str, body: &str| RemoteComment {
        author: Some(author.into()),
        body: Some(body.into()),
        created: None,
    };
    let bob = RemoteComment {
        created: Some("2011-03-04T10:15:00.000Z".parse().unwrap()),
        ..comment("bob", "Fixed in 4.2 & later.")
    };
    let expected = vec![Some(comment("ada", "Seen on <b>every</b> build.")), Some(bob), None];
    assert_eq!(output.get_comments_return.item, expected);
}

#[test]
fn a_message_of_several_parts_is_the_body_and_one_of_none_an_empty_body() {
    use multi_part::*;
    let soap = client(NAMESPACE, "http://127.0.0.1:9/");
    let input = PlaceInput { order: Order { id: 7 }, note: "by noon".into() };
    let sent = String::from_utf8(soap.encode::<operations::Place>(&input, &[])).unwrap();
    let expected = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:feature:multi_part">
        <s:Body><p:order><p:id>7</p:id></p:order><p:note>by noon</p:note></s:Body></s:Envelope>"#;
    assert_eq!(canonical(&sent), canonical(expected), "{sent}");
    let empty = String::from_utf8(soap.encode::<operations::GetVersion>(&(), &[])).unwrap();
    let expected = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#;
    assert_eq!(canonical(&empty), canonical(expected), "{empty}");
}

struct Shop;

impl multi_part::server::Service for Shop {
    async fn place(
        &self,
        _: &RequestContext,
        params: multi_part::PlaceInput,
    ) -> Result<multi_part::PlaceOutput, Fault> {
        Ok(multi_part::PlaceOutput { receipt: format!("r{}", params.order.id), note: params.note })
    }

    async fn get_version(&self, _: &RequestContext, (): ()) -> Result<String, Fault> {
        Ok("1.2.3".into())
    }
}

#[tokio::test]
async fn the_server_routes_by_the_first_part_and_an_empty_body_to_the_operation_without_parts() {
    use multi_part::*;
    let soap = client(NAMESPACE, "http://127.0.0.1:9/");
    let input = PlaceInput { order: Order { id: 7 }, note: "by noon".into() };
    let answer = server::dispatch(&Shop, &soap.encode::<operations::Place>(&input, &[])).await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    let response = HttpResponse::new(answer.status, answer.body);
    let output = mktows_runtime::client::decode::<operations::Place>(&response).unwrap();
    assert_eq!(output, PlaceOutput { receipt: "r7".into(), note: "by noon".into() });

    let answer = server::dispatch(&Shop, &soap.encode::<operations::GetVersion>(&(), &[])).await;
    let response = HttpResponse::new(answer.status, answer.body);
    assert_eq!(mktows_runtime::client::decode::<operations::GetVersion>(&response).unwrap(), "1.2.3");
}

/// What a one-request server saw: the request head (lower-cased) and body.
struct Seen {
    head: String,
    body: String,
}

/// Serves one request on a free port with `status` and `body`, and reports what it saw.
async fn serve_once(status: &'static str, body: &'static str) -> (String, tokio::task::JoinHandle<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Read the head, then as much body as Content-Length says.
        let (head, body_start) = loop {
            let n = stream.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                break (String::from_utf8_lossy(&request[..end]).to_lowercase(), end + 4);
            }
        };
        let length: usize =
            head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
        while request.len() < body_start + length {
            let n = stream.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
        }
        let reply = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        stream.write_all(reply.as_bytes()).await.unwrap();
        Seen { head, body: String::from_utf8_lossy(&request[body_start..]).into_owned() }
    });
    (endpoint, task)
}

#[tokio::test(flavor = "current_thread")]
async fn a_one_way_call_returns_on_202_without_reading_a_body() {
    use one_way::*;
    let (endpoint, seen) = serve_once("202 Accepted", "").await;
    let event = Event { name: "started".into(), at: None };
    Client::new(&endpoint).unwrap().log(&event).await.unwrap();
    let seen = seen.await.unwrap();
    assert!(seen.head.contains("soapaction: \"urn:feature:one_way/log\""), "{}", seen.head);
    assert!(seen.body.contains("<ns1:log><ns1:name>started</ns1:name></ns1:log>"), "{}", seen.body);
    // A fault still fails the call.
    let (endpoint, _) = serve_once("500 Internal Server Error", FAULT_11).await;
    let err = Client::new(&endpoint).unwrap().log(&event).await.unwrap_err();
    assert_eq!(err.fault().map(|f| f.code.as_str()), Some("SOAP-ENV:Server"), "{err}");
}

const FAULT_11: &str = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>down</faultstring></e:Fault></e:Body></e:Envelope>"#;

struct Logger;

impl one_way::server::Service for Logger {
    async fn log(&self, _: &RequestContext, _: one_way::Event) -> Result<(), Fault> {
        Ok(())
    }
}

#[tokio::test]
async fn a_one_way_operation_is_answered_with_202_and_no_body() {
    use one_way::*;
    let request = client(NAMESPACE, "http://127.0.0.1:9/").encode::<operations::Log>(&Event::default(), &[]);
    let answer = server::dispatch(&Logger, &request).await;
    assert_eq!((answer.status, answer.body.len()), (202, 0));
    const { assert!(operations::Log::ONE_WAY) };
}

/// The SOAP 1.2 fault of SOAP 1.2 Part 1, section 5.4.7 (example 4), written by hand.
const FAULT_12: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:m="http://www.example.org/timeouts"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:MessageTimeout</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender Timeout</env:Text></env:Reason><env:Detail><m:MaxTime>P5M</m:MaxTime></env:Detail></env:Fault></env:Body></env:Envelope>"#;

#[tokio::test(flavor = "current_thread")]
async fn a_soap12_call_sends_the_12_media_type_and_reads_a_12_fault() {
    use soap12::*;
    let (endpoint, seen) = serve_once("500 Internal Server Error", FAULT_12).await;
    let err = Client::new(&endpoint).unwrap().echo(&Echo { text: "hi".into() }).await.unwrap_err();
    let fault = err.fault().unwrap_or_else(|| panic!("{err}"));
    assert_eq!((fault.code.as_str(), fault.subcode.as_deref()), ("env:Sender", Some("m:MessageTimeout")));
    assert_eq!(fault.message, "Sender Timeout");
    let seen = seen.await.unwrap();
    assert!(
        seen.head.contains("content-type: application/soap+xml; charset=utf-8; action=\"urn:feature:soap12/echo\""),
        "{}",
        seen.head
    );
    assert!(!seen.head.contains("soapaction"), "{}", seen.head);
    let expected = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>
        <m:echo xmlns:m="urn:feature:soap12"><m:text>hi</m:text></m:echo></e:Body></e:Envelope>"#;
    assert_eq!(canonical(&seen.body), canonical(expected), "{}", seen.body);
}

struct Silent;

impl soap12::server::Service for Silent {}

#[tokio::test]
async fn a_soap12_server_answers_with_12_faults() {
    use soap12::*;
    let request = client(NAMESPACE, "http://127.0.0.1:9/").encode::<operations::Echo>(&Echo::default(), &[]);
    let answer = server::dispatch(&Silent, &request).await;
    let text = String::from_utf8(answer.body).unwrap();
    assert_eq!(answer.status, 500);
    let expected = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault>
        <e:Code><e:Value>SOAP-ENV:Receiver</e:Value></e:Code>
        <e:Reason><e:Text xml:lang="en">echo is not implemented by this server</e:Text></e:Reason>
        </e:Fault></e:Body></e:Envelope>"#;
    assert_eq!(canonical(&text), canonical(expected), "{text}");
}

#[test]
fn a_declared_fault_is_read_from_a_real_marketo_fault_detail() {
    use faults::operations::PingFault;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/examples/authentication-signature/response-failure-invalid-credentials.xml"
    );
    let body = std::fs::read(path).unwrap();
    let response = HttpResponse::new(500, body);
    let error = mktows_runtime::client::decode::<faults::operations::Ping>(&response).unwrap_err();
    let expected = faults::ServiceException {
        name: "mktServiceException".into(),
        message: "Authentication failed (20014)".into(),
        code: 20014,
    };
    assert_eq!(PingFault::from_error(&error), Some(Ok(PingFault::ServiceException(expected))));
    let busy = Fault {
        detail: Some("<b:busy xmlns:b=\"x\"><retryAfter>3</retryAfter></b:busy>".into()),
        ..Fault::new("c", "m")
    };
    assert_eq!(PingFault::from_fault(&busy), Some(Ok(PingFault::Busy(faults::Busy { retry_after: 3 }))));
    // A fault without a declared detail is not one of them.
    assert_eq!(PingFault::from_fault(&Fault::new("SOAP-ENV:Server", "x")), None);
    let other = Fault { detail: Some("<other/>".into()), ..Fault::new("c", "m") };
    assert_eq!(PingFault::from_fault(&other), None);
}

#[tokio::test(flavor = "current_thread")]
async fn response_headers_are_returned_by_the_with_headers_method() {
    use headers::*;
    const ANSWER: &str = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:h="urn:feature:headers"><e:Header><h:TraceHeader><id>t-42</id></h:TraceHeader></e:Header><e:Body><h:req><a>pong</a></h:req></e:Body></e:Envelope>"#;
    let (endpoint, _) = serve_once("200 OK", ANSWER).await;
    let client = Client::new(&endpoint).unwrap();
    let (output, headers) = client.run_with_headers(&Req { a: "ping".into() }, None).await.unwrap();
    assert_eq!(output.a, "pong");
    assert_eq!(headers.get::<Trace>("TraceHeader").unwrap().unwrap(), Trace { id: "t-42".into() });
    assert!(headers.get::<Trace>("Other").is_none());
    // The plain method reads the same answer and drops the headers.
    let (endpoint, _) = serve_once("200 OK", ANSWER).await;
    assert_eq!(Client::new(&endpoint).unwrap().run(&Req::default(), None).await.unwrap().a, "pong");
}
