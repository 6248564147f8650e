//! MTOM/XOP: packages built the way the W3C recommendations' examples are, zeep's reading of
//! ours and ours of python's, and both directions over HTTP.
#![cfg(feature = "mtom")]

use std::sync::Arc;

use base64::Engine as _;
use mktows_runtime::mtom::{self, Mtom, Package};
use mktows_runtime::soap::{self, BodyLayout};
use mktows_runtime::transport::HttpResponse;
use mktows_runtime::xml::{Element, XmlReader};
use mktows_runtime::{
    Base64Binary, ClientConfig, DecodeError, DecodeErrorKind, ErrorKind, FromXml, Operation, SoapClient, SoapVersion,
    ToXml, XmlWriter,
};

#[path = "support/http.rs"]
mod http;

/// A photo and an optional signature, as in the XOP recommendation's example.
#[derive(Debug, Clone, PartialEq, Default)]
struct Data {
    photo: Base64Binary,
    sig: Option<Base64Binary>,
}

impl ToXml for Data {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.start(name);
        self.photo.write_xml(w, "ns1:photo");
        if let Some(sig) = &self.sig {
            sig.write_xml(w, "ns1:sig");
        }
        w.end(name);
    }
}

impl FromXml for Data {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let (mut photo, mut sig) = (None, None);
        while let Some(child) = r.next_child(element)? {
            match child.local_name() {
                b"photo" => r.read_into(&child, &mut photo)?,
                b"sig" => r.read_optional_into(&child, &mut sig)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(Data { photo: r.required(photo, "photo", element)?, sig })
    }
}

struct Upload;
impl Operation for Upload {
    const NAME: &'static str = "upload";
    const SOAP_ACTION: &'static str = "urn:upload";
    const INPUT_ELEMENT: &'static str = "data";
    const OUTPUT_ELEMENT: &'static str = "data";
    const SIGNED_HEADER: Option<&'static str> = None;
    type Input = Data;
    type Output = Data;
}

struct Upload12;
impl Operation for Upload12 {
    const NAME: &'static str = "upload";
    const SOAP_ACTION: &'static str = "urn:upload";
    const INPUT_ELEMENT: &'static str = "data";
    const OUTPUT_ELEMENT: &'static str = "data";
    const SIGNED_HEADER: Option<&'static str> = None;
    const SOAP_VERSION: SoapVersion = SoapVersion::Soap12;
    type Input = Data;
    type Output = Data;
}

/// Bytes a careless reader would cut or change: CR LF pairs, lone CRs and LFs, runs that
/// look like the boundaries of the messages below, and every byte value.
fn awkward_bytes(boundary: &str) -> Vec<u8> {
    let mut bytes = b"PNG\x89\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(format!("--{boundary}--").as_bytes());
    bytes.extend_from_slice(format!("\r\n--{}\r\n", &boundary[..boundary.len() - 1]).as_bytes());
    bytes.extend_from_slice(format!("\n--{boundary}\r\n").as_bytes());
    bytes.extend_from_slice(b"\r\n\r\n\r");
    bytes.extend((0..=255u8).cycle().take(2000));
    bytes.extend_from_slice(b"end");
    bytes
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn response(content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse { status: 200, headers: vec![("content-type".into(), content_type.into())], body }
}

/// The envelope of XOP 1.0 section 1.2 (and of MTOM's example): a SOAP 1.2 Body holding
/// `m:photo` and `m:sig`, each `content` (base64 text, or an Include) as written there.
fn xop_example_envelope(photo: &str, sig: &str) -> String {
    format!(
        "<soap:Envelope\r\n    xmlns:soap='http://www.w3.org/2003/05/soap-envelope'\r\n    \
         xmlns:xmlmime='http://www.w3.org/2004/11/xmlmime'>\r\n  <soap:Body>\r\n    \
         <m:data xmlns:m='http://example.org/stuff'>\r\n      <m:photo \r\n \
         xmlmime:contentType='image/png'>{photo}</m:photo>\r\n      <m:sig \r\n \
         xmlmime:contentType='application/pkcs7-signature'>{sig}</m:sig>\r\n    </m:data>\r\n  \
         </soap:Body>\r\n</soap:Envelope>\r\n"
    )
}

fn include(href: &str) -> String {
    format!("<xop:Include \r\n xmlns:xop='http://www.w3.org/2004/08/xop/include' \r\n href='{href}'/>")
}

/// The XOP package of XOP 1.0 section 1.2 (example 2), `MIME_boundary` and its folded
/// part headers as there, with `photo` and `sig` as the two binary parts.
fn xop_example_package(photo: &[u8], sig: &[u8]) -> (String, Vec<u8>) {
    let content_type = "Multipart/Related;boundary=MIME_boundary; type=\"application/xop+xml\"; \
                        start=\"<mymessage.xml@example.org>\"; start-info=\"text/xml\"";
    let envelope =
        xop_example_envelope(&include("cid:http://example.org/me.png"), &include("cid:http://example.org/my.hsh"));
    let mut body = format!(
        "--MIME_boundary\r\nContent-Type: application/xop+xml; \r\n    charset=UTF-8; \r\n    type=\"text/xml\"\r\n\
         Content-Transfer-Encoding: 8bit\r\nContent-ID: <mymessage.xml@example.org>\r\n\r\n{envelope}\r\n"
    )
    .into_bytes();
    body.extend_from_slice(
        b"--MIME_boundary\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n\
          Content-ID: <http://example.org/me.png>\r\n\r\n",
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(
        b"\r\n--MIME_boundary\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: binary\r\n\
          Content-ID: <http://example.org/my.hsh>\r\n\r\n",
    );
    body.extend_from_slice(sig);
    body.extend_from_slice(b"\r\n--MIME_boundary--\r\n");
    (content_type.to_owned(), body)
}

fn decode(content_type: &str, body: Vec<u8>) -> Result<Data, mktows_runtime::Error> {
    mktows_runtime::client::decode::<Upload>(&response(content_type, body))
}

#[test]
fn the_xop_recommendations_package_reads_as_its_original_document() {
    // The signature holds the delimiter followed by neither `--` nor a line end, which
    // RFC 2046 has senders avoid and lenient readers (this one) take as content.
    let (photo, sig) = (awkward_bytes("MIME_boundary"), b"\r\nsig\r\n--MIME_boundary-\r\n".to_vec());
    let (content_type, package) = xop_example_package(&photo, &sig);
    let from_package = decode(&content_type, package).unwrap();
    // XOP 1.0 example 1: the same document with the bytes as base64 text.
    let original = xop_example_envelope(&base64(&photo), &base64(&sig)).into_bytes();
    let from_original = decode("application/soap+xml", original).unwrap();
    assert_eq!(from_package, from_original);
    assert_eq!((from_package.photo.0, from_package.sig.unwrap().0), (photo, sig));
}

#[test]
fn the_root_is_the_start_part_wherever_it_is_or_the_first_and_base64_parts_are_decoded() {
    let photo = awkward_bytes("b1");
    let envelope = xop_example_envelope(&include("cid:photo%40x"), "c2ln");
    let root = format!("Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml; action=\\\"urn:upload\\\"\"\r\nContent-ID: <root@x>\r\n\r\n{envelope}");
    let attachment = format!("Content-ID:\r\n <photo@x>\r\nContent-Transfer-Encoding: BASE64\r\n\r\n{}\r\n", {
        let text = base64(&photo);
        text.as_bytes()
            .chunks(76)
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n")
    });
    let root_last = format!("preamble\r\n--b1\r\n{attachment}\r\n--b1\r\n{root}\r\n--b1--");
    let started = "multipart/related; boundary=\"b1\"; type=\"application/xop+xml\"; start=\"<root@x>\"";
    let data = decode(started, root_last.into_bytes()).unwrap();
    assert_eq!((&data.photo.0, data.sig.as_ref().map(|s| &s.0[..])), (&photo, Some(&b"sig"[..])));
    let root_first = format!("--b1\r\n{root}\r\n--b1\r\n{attachment}\r\n--b1--\r\n");
    assert_eq!(decode("multipart/related; boundary=b1", root_first.into_bytes()).unwrap(), data);
}

/// The line and column of `needle` in `text`, 1-based.
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let before = &text[..text.find(needle).unwrap()];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u32, column as u32)
}

fn decode_error(error: mktows_runtime::Error) -> DecodeError {
    match error.kind() {
        ErrorKind::Decode(decode) => decode.clone(),
        _ => panic!("not a decode error: {error}"),
    }
}

#[test]
fn a_missing_part_is_an_error_at_its_include_naming_the_element() {
    let (content_type, package) = xop_example_package(b"p", b"s");
    let text = String::from_utf8(package).unwrap().replace("cid:http://example.org/my.hsh", "cid:absent@x");
    let error = decode_error(decode(&content_type, text.clone().into_bytes()).unwrap_err());
    assert!(matches!(error.kind(), DecodeErrorKind::Attachment(m) if m.contains("<absent@x>")), "{error}");
    let root = &text[text.find("<soap:Envelope").unwrap()..];
    let include = root.match_indices("<xop:Include").nth(1).unwrap().0;
    assert_eq!((error.line(), error.column()), position_of(root, &root[include..]));
    assert_eq!(error.path(), ["Envelope", "Body", "data", "sig"]);
}

#[test]
fn an_include_outside_a_package_is_an_error_not_an_invalid_value() {
    let envelope = xop_example_envelope(&include("cid:a@x"), "c2ln");
    let error = decode_error(decode("text/xml", envelope.clone().into_bytes()).unwrap_err());
    assert!(matches!(error.kind(), DecodeErrorKind::Attachment(m) if m.contains("not MTOM")), "{error}");
    assert_eq!(error.path(), ["Envelope", "Body", "data", "photo"]);
    assert_eq!((error.line(), error.column()), position_of(&envelope, "<m:photo"));
    // Text and an Include together, or other markup, are errors too.
    for content in [format!("AAAA{}", include("cid:a@x")), format!("{}AAAA", include("cid:a@x")), "<x/>".into()] {
        let body = format!(
            "--b\r\n\r\n{}\r\n--b\r\nContent-ID: <a@x>\r\n\r\nA\r\n--b--",
            xop_example_envelope(&content, "c2ln")
        );
        let error = decode_error(decode("multipart/related; boundary=b", body.into_bytes()).unwrap_err());
        assert!(matches!(error.kind(), DecodeErrorKind::Attachment(_)), "{error}");
        assert_eq!(error.path(), ["Envelope", "Body", "data", "photo"], "{error}");
    }
}

#[test]
fn malformed_packages_are_errors_with_a_position_and_never_panics() {
    let (content_type, package) = xop_example_package(&awkward_bytes("MIME_boundary"), b"sig");
    let cases = [
        ("multipart/related; type=\"application/xop+xml\"", package.clone(), "no boundary"),
        ("multipart/related; boundary=other", package.clone(), "no delimiter"),
        ("multipart/related; boundary=MIME_boundary; start=\"<nothing@x>\"", package.clone(), "<nothing@x>"),
        (content_type.as_str(), package[..package.len() - 30].to_vec(), "closing delimiter"),
        ("multipart/related; boundary=\"MIME_boundary", package.clone(), "malformed"),
    ];
    for (content_type, body, expected) in cases {
        let error = decode_error(decode(content_type, body).unwrap_err());
        assert!(matches!(error.kind(), DecodeErrorKind::Attachment(m) if m.contains(expected)), "{error}");
        assert!(error.line() >= 1 && error.column() >= 1);
    }
    // Every prefix of the package cut before its closing delimiter is an error, not a panic.
    for end in 0..package.len() - 2 {
        assert!(decode(&content_type, package[..end].to_vec()).is_err(), "{end}");
    }
}

fn client(mtom: Option<Mtom>) -> SoapClient {
    let config = ClientConfig { mtom, ..ClientConfig::default() };
    SoapClient::new("urn:s", "http://127.0.0.1:9/", &config).unwrap()
}

#[test]
fn without_mtom_requests_are_byte_identical_and_with_it_round_trip_through_our_reader() {
    let data = Data { photo: Base64Binary(awkward_bytes("MIMEBoundary_")), sig: Some(Base64Binary(b"tiny".to_vec())) };
    let plain = client(None).try_encode::<Upload>(&data, &[]).unwrap();
    assert_eq!(client(Some(Mtom::default())).try_encode::<Upload>(&data, &[]).unwrap(), plain);
    assert!(String::from_utf8_lossy(&plain).contains(&format!("<ns1:sig>{}</ns1:sig>", base64(b"tiny"))));

    for (mtom, includes) in [(Mtom::default(), 1), (Mtom::all(), 2), (Mtom { threshold: 1 << 20 }, 0)] {
        let message = client(Some(mtom)).try_encode_mtom::<Upload>(&data, &[]).unwrap();
        assert!(message.content_type.starts_with("multipart/related; type=\"application/xop+xml\"; boundary="));
        assert!(message.content_type.ends_with("start-info=\"text/xml\""), "{}", message.content_type);
        let package = Package::parse(&message.content_type, &message.body).unwrap();
        let root = String::from_utf8_lossy(package.root()).into_owned();
        assert_eq!(root.matches("<xop:Include").count(), includes, "{root}");
        assert_eq!(package.attachments().len(), includes);
        let text = String::from_utf8_lossy(&message.body).into_owned();
        assert!(text.contains("Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\n"), "{text}");
        let (read, _) = mtom::decode_response::<Data>(&package, BodyLayout::Element("data"), false).unwrap();
        assert_eq!(read.unwrap(), data);
    }
    let message = client(Some(Mtom::all())).try_encode_mtom::<Upload12>(&data, &[]).unwrap();
    assert!(message.content_type.ends_with("start-info=\"application/soap+xml\"; action=\"urn:upload\""));
}

// ---- zeep and python ----

#[path = "support/python.rs"]
mod python;

/// What zeep's `SoapBinding.process_reply` does with a multipart/related reply (zeep 4.3):
/// requests_toolbelt's decoder, the first part as the document, the rest a `MessagePack`,
/// `process_xop` putting each part's bytes back as base64. Prints each element's text.
const ZEEP_READS: &str = r#"
import sys, json
from lxml import etree
from requests_toolbelt.multipart.decoder import MultipartDecoder
from zeep.wsdl.attachments import MessagePack
from zeep.wsdl.messages.xop import process_xop
decoder = MultipartDecoder(sys.stdin.buffer.read(), sys.argv[1], "utf-8")
doc = etree.fromstring(decoder.parts[0].content)
replaced = process_xop(doc, MessagePack(parts=decoder.parts[1:]))
texts = {etree.QName(e).localname: e.text for e in doc.iter() if etree.QName(e).localname in ("photo", "sig")}
print(json.dumps({"replaced": replaced, "texts": texts}))
"#;

#[test]
fn zeep_reads_our_mtom_requests_to_the_same_bytes() {
    if !python::has("zeep, lxml, requests_toolbelt") {
        eprintln!("SKIPPED: python3 with zeep (and lxml, requests_toolbelt) is not installed");
        return;
    };
    // zeep strips CR and LF from both ends of a binary part (`content.strip(b"\r\n")`): the
    // values here start and end with other bytes, CR LF and boundary-like runs inside.
    let data =
        Data { photo: Base64Binary(awkward_bytes("MIMEBoundary_")), sig: Some(Base64Binary(b"x\r\ny".to_vec())) };
    let message = client(Some(Mtom::all())).try_encode_mtom::<Upload>(&data, &[]).unwrap();
    let out = python::run(ZEEP_READS, &[&message.content_type], &message.body);
    let out: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(out["replaced"], true);
    assert_eq!(out["texts"]["photo"], base64(&data.photo.0));
    assert_eq!(out["texts"]["sig"], base64(b"x\r\ny"));
}

/// A package python's `email` package writes (RFC 2387 `multipart/related`, HTTP line
/// endings): the root part 8bit, the photo base64 under a Content-ID whose `@` the href
/// percent-encodes. Prints the Content-Type, a line feed, the body.
const PYTHON_WRITES: &str = r#"
import sys
from email import encoders, policy
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
photo = sys.stdin.buffer.read()
envelope = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<d:data xmlns:d="urn:s"><d:photo><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" '
    'href="cid:photo%40python.example"/></d:photo></d:data></s:Body></s:Envelope>').encode()
package = MIMEMultipart("related", type="application/xop+xml", start="<root@python.example>", **{"start-info": "text/xml"})
root = MIMEApplication(envelope, "xop+xml", encoders.encode_7or8bit, charset="UTF-8", type="text/xml")
root["Content-ID"] = "<root@python.example>"
part = MIMEApplication(photo, "octet-stream")
part["Content-ID"] = "<photo@python.example>"
package.attach(root)
package.attach(part)
written = package.as_bytes(policy=policy.HTTP)
head, body = written.split(b"\r\n\r\n", 1)
sys.stdout.buffer.write(package["Content-Type"].encode() + b"\n" + body)
"#;

#[test]
fn a_package_pythons_email_writes_is_read_by_ours() {
    if !python::has("email") {
        eprintln!("SKIPPED: python3 is not installed");
        return;
    };
    let photo = awkward_bytes("===============");
    let out = python::run(PYTHON_WRITES, &[], &photo);
    let newline = out.iter().position(|&b| b == b'\n').unwrap();
    let content_type = String::from_utf8(out[..newline].to_vec()).unwrap();
    assert!(content_type.starts_with("multipart/related"), "{content_type}");
    let data = decode(&content_type, out[newline + 1..].to_vec()).unwrap();
    assert_eq!(data, Data { photo: Base64Binary(photo), sig: None });
}

// ---- over HTTP ----

/// An MTOM reply holding `data`, its photo as a binary part.
fn mtom_reply(data: &Data) -> http::Reply {
    let envelope = http::envelope(
        r#"<ns1:data><ns1:photo><inc:Include xmlns:inc="http://www.w3.org/2004/08/xop/include" href="cid:p%401"/></ns1:photo></ns1:data>"#,
    );
    let mut body = format!("--MIMEBoundary\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\nContent-ID: <r@1>\r\n\r\n{envelope}\r\n--MIMEBoundary\r\nContent-ID: <p@1>\r\nContent-Transfer-Encoding: binary\r\n\r\n").into_bytes();
    body.extend_from_slice(&data.photo.0);
    body.extend_from_slice(b"\r\n--MIMEBoundary--\r\n");
    let content_type = "Content-Type: multipart/related; type=\"application/xop+xml\"; boundary=MIMEBoundary; start=\"<r@1>\"; start-info=\"text/xml\"";
    http::Reply { status: 200, headers: vec![content_type.into()], body }
}

#[tokio::test]
async fn a_service_answering_in_mtom_is_read_by_a_plain_call() {
    let sent = Data { photo: Base64Binary(awkward_bytes("MIMEBoundary")), sig: None };
    let reply = sent.clone();
    let (url, _) = http::serve_with(Arc::new(move |_, _| mtom_reply(&reply))).await;
    let client = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap();
    assert_eq!(client.call::<Upload>(&Data::default(), &[]).await.unwrap(), sent);
}

/// A service that takes only MTOM (as WCF's `messageEncoding="Mtom"` does): 415 for
/// anything else, and the request's data echoed as plain SOAP.
fn mtom_only(head: &str, body: &[u8]) -> http::Reply {
    let content_type = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-type").then(|| value.trim().to_owned())
    });
    let Some(content_type) = content_type.filter(|t| mtom::is_multipart_related(t)) else {
        return http::Reply { status: 415, headers: Vec::new(), body: b"multipart/related expected".to_vec() };
    };
    assert!(content_type.contains("start-info=\"text/xml\""), "{content_type}");
    assert!(head.to_ascii_lowercase().contains("soapaction: \"urn:upload\""), "{head}");
    let package = Package::parse(&content_type, body).unwrap();
    let (data, _) = mtom::decode_response::<Data>(&package, BodyLayout::Element("data"), false).unwrap();
    let echoed = soap::encode_response("urn:s", "data", &data.unwrap()).unwrap();
    http::Reply { status: 200, headers: Vec::new(), body: echoed }
}

#[tokio::test]
async fn a_service_requiring_mtom_gets_it_and_refuses_a_client_without() {
    let (url, seen) = http::serve_raw(Arc::new(mtom_only)).await;
    let data = Data { photo: Base64Binary(awkward_bytes("MIMEBoundary_")), sig: Some(Base64Binary(b"small".to_vec())) };
    let plain = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap();
    let error = plain.call::<Upload>(&data, &[]).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::HttpStatus { status: 415, .. }), "{error}");

    let mtom = plain.with_mtom(Mtom::default());
    assert_eq!(mtom.call::<Upload>(&data, &[]).await.unwrap(), data);
    let seen = seen.lock().unwrap();
    let (head, body) = seen.last().unwrap();
    // One Include (the photo); the five-byte signature stays inline, under the threshold.
    assert_eq!(String::from_utf8_lossy(body).matches("<xop:Include").count(), 1);
    assert_eq!(head.matches("content-type:").count(), 1, "{head}");
}
