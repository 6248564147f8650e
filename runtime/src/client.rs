//! The generic call path: sign, encode, post, decode. Generated clients are a thin typed
//! facade over [`SoapClient::call`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::{DecodeError, Error, ErrorKind};
use crate::layer::{CallInfo, Layer, Next, OutgoingHeaders, OwnedHeaderBlock, Request, SignedHeader};
use crate::retry::RetryPolicy;
use crate::signer::HeaderSigner;
use crate::soap::{self, BodyLayout, Envelope, Fault, HeaderBlock, Headers, SoapVersion};
use crate::transport::{HttpResponse, Transport};
use crate::xml::{FromXml, ToXml, XmlWriter};

pub use crate::transport::{ClientConfig, ConfigError};

/// What the runtime needs to know about one WSDL operation. Generated code implements it on
/// a unit struct per operation.
pub trait Operation {
    /// The WSDL name, such as `syncMultipleLeads`.
    const NAME: &'static str;
    const SOAP_ACTION: &'static str;
    /// The request body element, such as `paramsSyncMultipleLeads`.
    const INPUT_ELEMENT: &'static str;
    /// The response body element, such as `successSyncMultipleLeads`.
    const OUTPUT_ELEMENT: &'static str;
    /// The local name of the header element the client's [`HeaderSigner`] fills for this
    /// operation (written first in the SOAP Header, qualified with the service namespace),
    /// or `None` when the operation sends no signed header.
    const SIGNED_HEADER: Option<&'static str>;
    /// The request's WS-Addressing action (`wsa:Action`): the WSDL's `wsam:Action` (or
    /// `wsaw:Action`) where it names one, else the SOAP action.
    const ACTION: &'static str = Self::SOAP_ACTION;
    /// Namespaces besides the service's that the messages use (bound to `ns2`, `ns3`, ...
    /// on the envelope, in this order); generated code names elements and `xsi:type` values
    /// in them with those prefixes.
    const EXTRA_NAMESPACES: &'static [&'static str] = &[];
    /// The SOAP version of the binding the operation is generated from.
    const SOAP_VERSION: SoapVersion = SoapVersion::Soap11;
    /// Where the input sits in the Body: the element [`Operation::INPUT_ELEMENT`], unless
    /// the message has zero or several parts ([`BodyLayout::Parts`]; `INPUT_ELEMENT` is
    /// then the first part's element, or empty, for a server to route by).
    const INPUT_LAYOUT: BodyLayout<'static> = BodyLayout::Element(Self::INPUT_ELEMENT);
    /// Where the output sits in the Body, as [`Operation::INPUT_LAYOUT`].
    const OUTPUT_LAYOUT: BodyLayout<'static> = BodyLayout::Element(Self::OUTPUT_ELEMENT);
    /// A one-way operation (no `wsdl:output`): the answer is an HTTP status without a body
    /// to decode, and `Output` is `()`.
    const ONE_WAY: bool = false;
    /// The messages are SOAP-encoded (`use="encoded"`): they may send a value once and refer
    /// to it (`href="#id"`), which reading resolves first, on either side.
    const ENCODED: bool = false;
    // No serde bound here: whether a crate's types are JSON is that crate's feature, and
    // cargo unifies the runtime's features across every crate that uses it. A generated
    // crate's `operations::OperationVisitor` adds the bound where its types have it.
    type Input: ToXml + FromXml + Send + Sync + 'static;
    type Output: ToXml + FromXml + Send + Sync + 'static;
}

/// A service client: the endpoint, the target namespace, a pooled HTTP client, and the
/// layers every call passes through (see [`crate::layer`]).
#[derive(Debug, Clone)]
pub struct SoapClient {
    transport: Transport,
    layers: Vec<Arc<dyn Layer>>,
    namespace: &'static str,
    /// The length of the last request envelope written, shared by clones: the next one
    /// starts with that much room, so that a bulk job's requests (the same call, batch after
    /// batch) are written without growing the buffer again and again.
    last_request_len: Arc<AtomicUsize>,
    retry: Option<RetryPolicy>,
    /// The endpoint without userinfo, as layers may write it (`wsa:To`).
    public_endpoint: Arc<str>,
    /// Requests go out as MTOM packages (see [`crate::mtom`]).
    #[cfg(feature = "mtom")]
    mtom: Option<crate::mtom::Mtom>,
}

impl SoapClient {
    /// A client with the layers of `config` and no signer (see [`SoapClient::with_signer`]).
    pub fn new(namespace: &'static str, endpoint: &str, config: &ClientConfig) -> Result<Self, ConfigError> {
        let transport = Transport::new(endpoint, config)?;
        Ok(Self {
            public_endpoint: transport.public_endpoint().into(),
            transport,
            layers: config.layers.clone(),
            namespace,
            last_request_len: Arc::new(AtomicUsize::new(0)),
            retry: config.retry.clone(),
            #[cfg(feature = "mtom")]
            mtom: config.mtom,
        })
    }

    /// Sends every request as an MTOM package, `Base64Binary` values of at least
    /// `mtom.threshold` bytes as attachments (see [`crate::mtom`]). [`SoapClient::try_encode`]
    /// and the other `encode` methods still give the envelope with base64 text inline;
    /// [`SoapClient::try_encode_mtom`] gives the package. Layers' [`Layer::prepare`] sees the
    /// envelope with its Includes; [`Layer::exchange`] sees the package as sent (its
    /// `Content-Type` among the request's HTTP headers).
    #[cfg(feature = "mtom")]
    pub fn with_mtom(mut self, mtom: crate::mtom::Mtom) -> Self {
        self.mtom = Some(mtom);
        self
    }

    /// Has `signer` sign every request of an operation that has a
    /// [`Operation::SIGNED_HEADER`]: its block comes first in the SOAP Header. The signer is
    /// a layer ([`SignedHeader`]) that runs before the others.
    pub fn with_signer(mut self, signer: impl HeaderSigner + 'static) -> Self {
        self.layers.insert(0, Arc::new(SignedHeader(Arc::new(signer))));
        self
    }

    /// Adds `layer` after the client's other layers (see [`crate::layer`]).
    pub fn with_layer(mut self, layer: impl Layer + 'static) -> Self {
        self.layers.push(Arc::new(layer));
        self
    }

    pub fn endpoint(&self) -> &str {
        self.transport.endpoint()
    }

    /// The exact request envelope `call` would send now: every layer's header blocks and
    /// changes included (an operation's signed header freshly signed, say). A value holding
    /// a character XML 1.0 cannot carry is an [`ErrorKind::Encode`] naming its element; a
    /// layer's refusal is an [`ErrorKind::Layer`].
    pub fn try_encode<Op: Operation>(&self, input: &Op::Input, headers: &[HeaderBlock<'_>]) -> Result<Vec<u8>, Error> {
        Ok(self.request::<Op>(input, headers)?.envelope)
    }

    /// The request envelope with `signed_header` as the operation's signed header block and
    /// no layer run, for reproducible requests (a fixed timestamp, say). `signed_header` is
    /// left out when the operation has no [`Operation::SIGNED_HEADER`]. Errors as
    /// [`SoapClient::try_encode`].
    pub fn try_encode_with<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
        signed_header: Option<&(dyn ToXml + Sync)>,
    ) -> Result<Vec<u8>, Error> {
        finish::<Op>(self.write_with::<Op>(input, headers, signed_header))
    }

    /// [`SoapClient::try_encode`], for looking at a request: a character XML cannot carry
    /// is written as U+FFFD, so the envelope is well-formed but that value is changed; a
    /// layer that refuses the request leaves its part out. [`SoapClient::call`] refuses
    /// such requests instead of sending them.
    pub fn encode<Op: Operation>(&self, input: &Op::Input, headers: &[HeaderBlock<'_>]) -> Vec<u8> {
        let call = self.call_info::<Op>();
        let added = self.layer_headers(&call, headers).unwrap_or_default();
        let envelope = self.write::<Op>(input, headers, &added, None).into_bytes();
        let mut request = Request { call, envelope, http_headers: Vec::new() };
        for layer in &self.layers {
            let before = request.clone();
            if layer.prepare(&mut request).is_err() {
                request = before;
            }
        }
        request.envelope
    }

    /// [`SoapClient::try_encode_with`], with U+FFFD for characters XML cannot carry, as
    /// [`SoapClient::encode`].
    pub fn encode_with<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
        signed_header: Option<&(dyn ToXml + Sync)>,
    ) -> Vec<u8> {
        self.write_with::<Op>(input, headers, signed_header).into_bytes()
    }

    fn call_info<Op: Operation>(&self) -> CallInfo {
        CallInfo {
            operation: Op::NAME,
            soap_action: Op::SOAP_ACTION,
            version: Op::SOAP_VERSION,
            namespace: self.namespace,
            signed_header: Op::SIGNED_HEADER,
            action: Op::ACTION,
            endpoint: self.public_endpoint.clone(),
        }
    }

    /// The header blocks the layers add, in the order they run.
    fn layer_headers(&self, call: &CallInfo, caller: &[HeaderBlock<'_>]) -> Result<OutgoingHeaders, ErrorKind> {
        let mut added = OutgoingHeaders::with_caller_names(caller.iter().map(|block| block.name));
        for layer in &self.layers {
            layer.headers(call, &mut added).map_err(ErrorKind::Layer)?;
        }
        Ok(added)
    }

    /// The request `call` sends: the layers' header blocks written with the caller's, then
    /// each layer's changes.
    fn request<Op: Operation>(&self, input: &Op::Input, headers: &[HeaderBlock<'_>]) -> Result<Request, Error> {
        let call = self.call_info::<Op>();
        let added = self.layer_headers(&call, headers).map_err(|kind| Error::new(Op::NAME, kind))?;
        let envelope = finish::<Op>(self.write::<Op>(input, headers, &added, None))?;
        self.prepare::<Op>(Request { call, envelope, http_headers: Vec::new() })
    }

    /// Runs each layer's [`Layer::prepare`] on the written request.
    fn prepare<Op: Operation>(&self, mut request: Request) -> Result<Request, Error> {
        for layer in &self.layers {
            layer.prepare(&mut request).map_err(|e| Error::new(Op::NAME, ErrorKind::Layer(e)))?;
        }
        Ok(request)
    }

    /// [`SoapClient::request`] with the values of at least `threshold` bytes taken out of the
    /// envelope as MTOM attachments: the layers see the envelope with its Includes.
    #[cfg(feature = "mtom")]
    fn mtom_request<Op: Operation>(
        &self,
        threshold: usize,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<(Request, crate::mtom::OutgoingAttachments), Error> {
        let call = self.call_info::<Op>();
        let added = self.layer_headers(&call, headers).map_err(|kind| Error::new(Op::NAME, kind))?;
        let mut writer = self.write::<Op>(input, headers, &added, Some(threshold));
        let attachments = writer.take_attachments().unwrap_or_else(|| crate::mtom::OutgoingAttachments::new(threshold));
        let envelope = finish::<Op>(writer)?;
        Ok((self.prepare::<Op>(Request { call, envelope, http_headers: Vec::new() })?, attachments))
    }

    /// The MTOM package `call` would send with this client's [`Mtom`](crate::mtom::Mtom)
    /// settings (the default ones if it has none): its Content-Type and body. The boundary and
    /// Content-IDs are new each time.
    #[cfg(feature = "mtom")]
    pub fn try_encode_mtom<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<crate::mtom::OutgoingMessage, Error> {
        let threshold = self.mtom.unwrap_or_default().threshold;
        let (request, attachments) = self.mtom_request::<Op>(threshold, input, headers)?;
        Ok(crate::mtom::package(&request.envelope, &attachments, request.call.version, request.call.soap_action))
    }

    /// The request as it goes to the layers' exchange hooks and the transport: an MTOM
    /// package when the client sends MTOM.
    fn outgoing<Op: Operation>(&self, input: &Op::Input, headers: &[HeaderBlock<'_>]) -> Result<Request, Error> {
        #[cfg(feature = "mtom")]
        if let Some(mtom) = self.mtom {
            let (mut request, attachments) = self.mtom_request::<Op>(mtom.threshold, input, headers)?;
            crate::mtom::package_request(&mut request, attachments);
            return Ok(request);
        }
        self.request::<Op>(input, headers)
    }

    /// The envelope with `signed_header` first, where the operation has one, and no layer.
    fn write_with<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
        signed_header: Option<&(dyn ToXml + Sync)>,
    ) -> XmlWriter {
        let mut blocks = Vec::with_capacity(headers.len() + 1);
        if let (Some(name), Some(value)) = (Op::SIGNED_HEADER, signed_header) {
            blocks.push(HeaderBlock { name, value });
        }
        blocks.extend_from_slice(headers);
        self.write_blocks::<Op>(input, &blocks, None)
    }

    /// The envelope with the layers' first blocks, the caller's, then the layers' last.
    fn write<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
        added: &OutgoingHeaders,
        attachment_threshold: Option<usize>,
    ) -> XmlWriter {
        if added.first.is_empty() && added.last.is_empty() {
            return self.write_blocks::<Op>(input, headers, attachment_threshold);
        }
        fn block(owned: &OwnedHeaderBlock) -> HeaderBlock<'_> {
            let value: &(dyn ToXml + Sync) = &*owned.value;
            HeaderBlock { name: owned.name.as_str(), value }
        }
        let mut blocks = Vec::with_capacity(added.first.len() + headers.len() + added.last.len());
        blocks.extend(added.first.iter().map(block));
        blocks.extend_from_slice(headers);
        blocks.extend(added.last.iter().map(block));
        self.write_blocks::<Op>(input, &blocks, attachment_threshold)
    }

    /// The envelope; with an `attachment_threshold` (MTOM), larger `Base64Binary` values are
    /// gathered as attachments rather than written inline.
    fn write_blocks<Op: Operation>(
        &self,
        input: &Op::Input,
        blocks: &[HeaderBlock<'_>],
        attachment_threshold: Option<usize>,
    ) -> XmlWriter {
        let envelope = Envelope { version: Op::SOAP_VERSION, namespace: self.namespace, extra: Op::EXTRA_NAMESPACES };
        // A little more than last time, so that a slightly larger batch fits too.
        let last = self.last_request_len.load(Ordering::Relaxed);
        let capacity = (last + last / 8).max(1024);
        let w =
            soap::write_request_in(writer(capacity, attachment_threshold), &envelope, blocks, Op::INPUT_LAYOUT, input);
        self.last_request_len.store(w.as_bytes().len(), Ordering::Relaxed);
        w
    }

    /// Calls `Op`: runs the layers (signing, say), sends, and decodes the success element
    /// or the fault. A request that cannot be written as XML is an [`ErrorKind::Encode`],
    /// and nothing is sent.
    pub async fn call<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<Op::Output, Error> {
        self.with_retries(|| async { decode::<Op>(&self.send::<Op>(input, headers).await?) }).await
    }

    /// [`SoapClient::call`], with the response's SOAP header blocks (see [`Headers::get`]).
    pub async fn call_with_headers<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<(Op::Output, Headers), Error> {
        self.with_retries(|| async { decode_with_headers::<Op>(&self.send::<Op>(input, headers).await?) }).await
    }

    /// Runs `attempt` until it succeeds or the retry policy (if any) gives up; each attempt
    /// writes the request anew and runs the layers again, so a signature never grows stale.
    async fn with_retries<T, F, Fut>(&self, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let mut attempts = 1;
        loop {
            match (attempt().await, &self.retry) {
                (Err(error), Some(policy)) if policy.retries(&error, attempts) => {
                    pause(policy.backoff(attempts)).await;
                    attempts += 1;
                }
                (result, _) => return result,
            }
        }
    }

    /// Calls the one-way operation `Op` (see [`Operation::ONE_WAY`]): sends, and succeeds on
    /// any 2xx status (202 Accepted, usually) without reading the body. A fault or another
    /// status is an error, as for [`SoapClient::call`].
    pub async fn call_one_way<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<(), Error> {
        self.with_retries(|| async {
            let response = self.send::<Op>(input, headers).await?;
            if (200..300).contains(&response.status) {
                return Ok(());
            }
            match soap::decode_response_as::<()>(&response.body, BodyLayout::Parts) {
                Ok(Err(fault)) => Err(Error::new(Op::NAME, ErrorKind::Fault(fault))),
                _ => Err(status_error::<Op>(&response)),
            }
        })
        .await
    }

    async fn send<Op: Operation>(&self, input: &Op::Input, headers: &[HeaderBlock<'_>]) -> Result<HttpResponse, Error> {
        let request = self.outgoing::<Op>(input, headers)?;
        let next = Next { rest: &self.layers, transport: &self.transport };
        next.run(request).await.map_err(|kind| Error::new(Op::NAME, kind))
    }
}

/// The pause between attempts.
async fn pause(pause: std::time::Duration) {
    tokio::time::sleep(pause).await;
}

/// A writer for a request envelope; one gathering MTOM attachments when there is a threshold.
fn writer(capacity: usize, attachment_threshold: Option<usize>) -> XmlWriter {
    #[cfg(feature = "mtom")]
    if let Some(threshold) = attachment_threshold {
        return XmlWriter::gathering_attachments(capacity, threshold);
    }
    let _ = attachment_threshold;
    XmlWriter::with_capacity(capacity)
}

fn finish<Op: Operation>(writer: XmlWriter) -> Result<Vec<u8>, Error> {
    writer.finish().map_err(|e| Error::new(Op::NAME, ErrorKind::Encode(e)))
}

/// Turns an HTTP response into the operation's result. SOAP 1.1 services send faults with
/// status 500, so the body is read as SOAP first whatever the status; only a body that is
/// not a SOAP answer falls back to an HTTP status error.
pub fn decode<Op: Operation>(response: &HttpResponse) -> Result<Op::Output, Error> {
    decode_with_headers::<Op>(response).map(|(output, _)| output)
}

/// [`decode`], with the response's SOAP header blocks.
pub fn decode_with_headers<Op: Operation>(response: &HttpResponse) -> Result<(Op::Output, Headers), Error> {
    let success = (200..300).contains(&response.status);
    match read_response::<Op>(response) {
        Ok((Ok(output), headers)) if success => Ok((output, headers)),
        Ok((Err(fault), _)) => Err(Error::new(Op::NAME, ErrorKind::Fault(fault))),
        Err(decode) if success => Err(Error::new(Op::NAME, ErrorKind::Decode(decode))),
        Ok((Ok(_), _)) | Err(_) => Err(status_error::<Op>(response)),
    }
}

/// The response's envelope read: the body, or with the `mtom` feature the root part of a
/// `multipart/related` body, its Includes resolved.
fn read_response<Op: Operation>(response: &HttpResponse) -> Result<(Result<Op::Output, Fault>, Headers), DecodeError> {
    #[cfg(feature = "mtom")]
    if let Some(content_type) = response.header("content-type").filter(|t| crate::mtom::is_multipart_related(t)) {
        let package = crate::mtom::Package::parse(content_type, &response.body)?;
        return crate::mtom::decode_response(&package, Op::OUTPUT_LAYOUT, Op::ENCODED);
    }
    match Op::ENCODED {
        true => soap::decode_encoded_response::<Op::Output>(&response.body, Op::OUTPUT_LAYOUT),
        false => soap::decode_response_with_headers::<Op::Output>(&response.body, Op::OUTPUT_LAYOUT),
    }
}

fn status_error<Op: Operation>(response: &HttpResponse) -> Error {
    let body = String::from_utf8_lossy(&response.body[..response.body.len().min(512)]).into_owned();
    Error::new(Op::NAME, ErrorKind::HttpStatus { status: response.status, body })
}

/// A description of one operation, for tools that list or dispatch operations by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    pub name: &'static str,
    pub soap_action: &'static str,
    pub input_element: &'static str,
    pub output_element: &'static str,
    /// The Rust type of the request body.
    pub input_type: &'static str,
    /// The Rust type of the response body.
    pub output_type: &'static str,
    pub doc: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Signs with a counter, so that each request's block is visibly fresh.
    #[derive(Debug, Default)]
    struct Counter(std::sync::atomic::AtomicU32);

    struct Signed(u32);

    impl ToXml for Signed {
        fn write_xml(&self, w: &mut XmlWriter, name: &str) {
            w.start(name);
            w.integer_element("n", self.0);
            w.end(name);
        }
    }

    impl HeaderSigner for Counter {
        fn signed_header(&self) -> Box<dyn ToXml + Send + Sync> {
            Box::new(Signed(self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed)))
        }
    }

    struct SignedOp;
    impl Operation for SignedOp {
        const NAME: &'static str = "op";
        const SOAP_ACTION: &'static str = "urn:op";
        const INPUT_ELEMENT: &'static str = "params";
        const OUTPUT_ELEMENT: &'static str = "success";
        const SIGNED_HEADER: Option<&'static str> = Some("Auth");
        type Input = String;
        type Output = String;
    }

    struct UnsignedOp;
    impl Operation for UnsignedOp {
        const NAME: &'static str = "op";
        const SOAP_ACTION: &'static str = "urn:op";
        const INPUT_ELEMENT: &'static str = "params";
        const OUTPUT_ELEMENT: &'static str = "success";
        const SIGNED_HEADER: Option<&'static str> = None;
        type Input = String;
        type Output = String;
    }

    fn header_of(envelope: Vec<u8>) -> String {
        let text = String::from_utf8(envelope).unwrap();
        let start = text.find("<SOAP-ENV:Header>").map_or(0, |i| i + 17);
        let end = text.find("</SOAP-ENV:Header>").unwrap_or(0);
        text.get(start..end).unwrap_or_default().to_owned()
    }

    #[test]
    fn the_signed_header_comes_first_and_is_fresh_for_every_request() {
        let plain = SoapClient::new("urn:s", "http://127.0.0.1:9/", &ClientConfig::default()).unwrap();
        let client = plain.clone().with_signer(Counter::default());
        let extra = String::from("x");
        let headers = [HeaderBlock { name: "Extra", value: &extra }];
        let input = String::from("body");
        assert_eq!(
            header_of(client.encode::<SignedOp>(&input, &headers)),
            "<ns1:Auth><n>0</n></ns1:Auth><ns1:Extra>x</ns1:Extra>"
        );
        assert_eq!(header_of(client.encode::<SignedOp>(&input, &[])), "<ns1:Auth><n>1</n></ns1:Auth>");
        // Operations without a signed header, and clients without a signer, send none.
        assert_eq!(header_of(client.encode::<UnsignedOp>(&input, &headers)), "<ns1:Extra>x</ns1:Extra>");
        assert_eq!(header_of(plain.encode::<SignedOp>(&input, &[])), "");
        assert!(!String::from_utf8(plain.encode::<SignedOp>(&input, &[])).unwrap().contains("Header"));
        // A fixed block is used as given, and only where the operation asks for one.
        let fixed = Signed(42);
        assert_eq!(
            header_of(plain.encode_with::<SignedOp>(&input, &[], Some(&fixed))),
            "<ns1:Auth><n>42</n></ns1:Auth>"
        );
        assert_eq!(header_of(client.encode_with::<UnsignedOp>(&input, &[], Some(&fixed))), "");
        assert!(format!("{client:?}").contains("Counter"));
    }

    #[tokio::test]
    async fn a_value_xml_cannot_carry_is_an_error_naming_its_element_and_nothing_is_sent() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}/", listener.local_addr().unwrap());
        let client = SoapClient::new("urn:s", &endpoint, &ClientConfig::default()).unwrap();
        let input = String::from("a\u{1}b");
        let err = client.call::<UnsignedOp>(&input, &[]).await.unwrap_err();
        let ErrorKind::Encode(encode) = err.kind() else { panic!("{err:?}") };
        assert_eq!(
            (encode.character(), encode.path()),
            ('\u{1}', &["Envelope".to_owned(), "Body".into(), "params".into()][..])
        );
        assert_eq!(
            err.to_string(),
            "op: the request cannot be sent: U+0001 is not a character XML 1.0 allows (in /Envelope/Body/params)"
        );
        let accepted = tokio::time::timeout(std::time::Duration::from_millis(50), listener.accept()).await;
        assert!(accepted.is_err(), "a connection was made");

        let extra = String::from("\u{0}");
        let headers = [HeaderBlock { name: "Extra", value: &extra }];
        let err = client.try_encode::<UnsignedOp>(&String::from("fine"), &headers).unwrap_err();
        assert!(err.to_string().ends_with("(in /Envelope/Header/Extra)"), "{err}");
        // Taken as written, the envelope is well-formed, with U+FFFD for the character.
        let written = String::from_utf8(client.encode::<UnsignedOp>(&input, &[])).unwrap();
        assert!(written.contains("<ns1:params>a\u{FFFD}b</ns1:params>"), "{written}");
    }
}
