//! What the generator is told besides the WSDL: which parts to write, and the vendor layer
//! (a signed header, re-exports, wording) that a service such as Marketo adds on top of
//! the generic SOAP machinery. The defaults give a plain client and server with no vendor
//! text or code in them.

/// Generation options; [`Options::default`] generates everything, with no vendor layer.
#[derive(Debug, Clone)]
pub struct Options {
    /// Write the `Client` (`src/client.rs`).
    pub client: bool,
    /// Write the `server` module (`Service` trait and `dispatch`).
    pub server: bool,
    /// How a reader regenerates the files, for their header line.
    pub regenerate_hint: String,
    /// A header block that a credentials type signs on every call whose binding declares it.
    pub signing: Option<Signing>,
    /// Paths `lib.rs` re-exports (`mktows_marketo::Credentials`), so users need one import.
    pub reexports: Vec<String>,
    /// A paragraph for the docs of `Client::WSDL_ENDPOINT` (where a user's real endpoint is).
    pub endpoint_doc: Option<String>,
    /// The cargo feature that turns on `serde` derives for every type (`serde`); `None`
    /// writes no serde code at all, for a crate that has no such feature.
    pub serde_feature: Option<String>,
    /// Speak the WSDL's SOAP 1.2 binding even when it also has a SOAP 1.1 one (without a
    /// 1.1 binding, 1.2 is used anyway).
    pub prefer_soap12: bool,
    /// Generate only these operations (by their WSDL names) and the schema types they reach,
    /// for a crate that builds in seconds from a WSDL of thousands of operations; `None`
    /// generates every one. A name the binding does not have is an error.
    pub operations: Option<Vec<String>>,
    /// A service layer's own description of operations (WSDL name, text), used instead of
    /// the WSDL's `documentation`, which vendors copy and paste (Marketo's `listMObjects`
    /// says "Send a Marketo email."). Operations not named keep the WSDL's text.
    pub operation_docs: Vec<(String, String)>,
    /// Operations that page (a position in the request, the next one in the response): the
    /// client gets a `<method>_pages` method that follows them, a `Stream` of responses.
    pub pagination: Vec<Pagination>,
    /// The name the generated code is used under (`mktows`), for the compiled example in
    /// the crate docs; `None` writes no example (code `include!`d by a build script has no
    /// crate docs of its own).
    pub crate_name: Option<String>,
    /// A service layer's own example for the crate docs, the Rust code of a doctest (lines
    /// starting `# ` are hidden, as rustdoc hides them); `None` writes a call of the first
    /// operation whose request can be built empty, with its errors told apart.
    pub crate_example: Option<String>,
}

/// How one operation pages, as Rust field paths (`result.new_stream_position`): which the
/// generator cannot tell from a WSDL, so a service layer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The operation's WSDL name (`getMultipleLeads`).
    pub operation: String,
    /// The request's position field (`stream_position`), set from the response's.
    pub request_position: String,
    /// The response's next position (`result.new_stream_position`).
    pub response_position: String,
    /// What says more pages follow: a count above zero (`result.remaining_count`) or `true`.
    pub more: String,
    /// The response's list of items (`result.lead_record_list`: a repeated element, or a
    /// list type in any wrapper), for a `<method>_items` method that streams them one by
    /// one; `None` writes only `<method>_pages`.
    pub items: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            client: true,
            server: true,
            regenerate_hint: "regenerate it from the WSDL".to_owned(),
            signing: None,
            reexports: Vec::new(),
            endpoint_doc: None,
            serde_feature: Some("serde".to_owned()),
            prefer_soap12: false,
            operations: None,
            operation_docs: Vec::new(),
            pagination: Vec::new(),
            crate_name: None,
            crate_example: None,
        }
    }
}

/// A SOAP header that the runtime's signer hook fills, rather than the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    /// The header element's local name (`AuthenticationHeader`).
    pub header_element: String,
    /// The Rust path of the credentials type `Client::new` takes; it implements the
    /// runtime's `HeaderSigner` (`mktows_marketo::Credentials`).
    pub credentials_type: String,
}
