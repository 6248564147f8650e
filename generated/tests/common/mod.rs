//! Helpers shared by the end-to-end tests: the examples in ../shared and an XML canonical
//! form for comparing documents whose prefixes and indentation differ.
#![allow(dead_code)]

use mktows::runtime::transport::HttpResponse;
use mktows::runtime::Operation;

pub const USER_ID: &str = "demo17_1_809934544BFABAE58E5D27";
pub const SECRET_KEY: &str = "27272727aa";

pub fn example(path: &str) -> Vec<u8> {
    let full = format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Decodes a response example as the client would after an HTTP 200.
pub fn decode<Op: Operation>(path: &str) -> Result<Op::Output, mktows::Error> {
    let response = HttpResponse::new(200, example(path));
    mktows::runtime::client::decode::<Op>(&response)
}

/// One line per element: depth, `{namespace}local`, attributes (with `xsi:type` values
/// resolved to `{namespace}local`), and trimmed text. Prefixes, indentation and comments
/// do not appear, so two documents are equivalent when their canonical forms are equal.
pub fn canonical(xml: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(xml).expect("UTF-8");
    let doc = roxmltree::Document::parse(text).expect("well-formed");
    let mut out = Vec::new();
    walk(doc.root_element(), 0, &mut out);
    out
}

fn walk(node: roxmltree::Node<'_, '_>, depth: usize, out: &mut Vec<String>) {
    let name = node.tag_name();
    let mut attributes: Vec<String> = node
        .attributes()
        .map(|a| {
            let value = if a.name() == "type" && a.namespace() == Some("http://www.w3.org/2001/XMLSchema-instance") {
                let (prefix, local) = a.value().split_once(':').unwrap_or(("", a.value()));
                let ns = node.lookup_namespace_uri(Some(prefix).filter(|p| !p.is_empty())).unwrap_or("");
                format!("{{{ns}}}{local}")
            } else {
                a.value().to_owned()
            };
            format!("{{{}}}{}={value}", a.namespace().unwrap_or(""), a.name())
        })
        .collect();
    attributes.sort();
    let text: String = node.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
    out.push(format!(
        "{depth} {{{}}}{} [{}] {:?}",
        name.namespace().unwrap_or(""),
        name.name(),
        attributes.join(" "),
        text.trim()
    ));
    for child in node.children().filter(|c| c.is_element()) {
        walk(child, depth + 1, out);
    }
}

/// The canonical form without the elements named in `skip` (and their content).
pub fn canonical_without(xml: &[u8], skip: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skipping: Option<usize> = None;
    for line in canonical(xml) {
        let depth: usize = line.split(' ').next().unwrap().parse().unwrap();
        if let Some(d) = skipping {
            if depth > d {
                continue;
            }
            skipping = None;
        }
        if skip.iter().any(|name| line.contains(&format!("}}{name} "))) {
            skipping = Some(depth);
            continue;
        }
        out.push(line);
    }
    out
}
