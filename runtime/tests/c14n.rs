//! Exclusive canonicalization against lxml's (libxml2's, which xmlsec uses): random
//! documents of SOAP's pieces (prefixes declared, redeclared and undeclared at any level,
//! prefixed and plain attributes, escapes, CR LF, CDATA, comments, empty elements), each
//! element of each canonicalized by both. Skipped, saying so, without python and lxml.

#![cfg(feature = "wsse")]

#[path = "support/python.rs"]
mod python;

use base64::Engine as _;
use mktows_runtime::xml::c14n;

struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const PREFIXES: &[&str] = &["", "a", "b", "soap"];
// No `&` in a namespace: libxml2 writes one unescaped in namespace declarations, where the
// recommendation (and this crate) escapes it as in any attribute value.
const URIS: &[&str] = &["urn:one", "urn:two", "http://example.com/x?a=1;b=%22", ""];
const TEXTS: &[&str] =
    &["plain", "a &amp; b", "&lt;tag&gt;", "quote \" '", "line\r\nend", "&#13;cr", " spaced  ", "é ü 𝄞"];

fn element(random: &mut Random, depth: usize, out: &mut String) {
    let prefix = PREFIXES[random.below(PREFIXES.len())];
    let name = if prefix.is_empty() { format!("e{depth}") } else { format!("{prefix}:e{depth}") };
    out.push('<');
    out.push_str(&name);
    // Declare the element's own prefix here sometimes (always at the root, so it is bound).
    for p in PREFIXES {
        if (depth == 0 || random.below(3) == 0) && (!p.is_empty() || random.below(2) == 0) {
            let uri = URIS[random.below(URIS.len() - usize::from(!p.is_empty()))];
            match p.is_empty() {
                true => out.push_str(&format!(" xmlns=\"{uri}\"")),
                false => out.push_str(&format!(" xmlns:{p}=\"{uri}\"")),
            }
        }
    }
    for (i, p) in ["", "a", "b"].iter().enumerate() {
        if random.below(2) == 0 {
            let attribute = if p.is_empty() { format!("z{i}") } else { format!("{p}:y{i}") };
            out.push_str(&format!(" {attribute}=\"{}\"", TEXTS[random.below(TEXTS.len())].replace('"', "&quot;")));
        }
    }
    if depth >= 3 || random.below(5) == 0 {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for _ in 0..random.below(4) {
        match random.below(5) {
            0 => out.push_str(TEXTS[random.below(TEXTS.len())].replace('"', "&quot;").as_str()),
            1 => out.push_str("<![CDATA[< & >]]>"),
            2 => out.push_str("<!-- c -->"),
            _ => element(random, depth + 1, out),
        }
    }
    out.push_str(&format!("</{name}>"));
}

/// The byte offset of every start tag (not comments, CDATA or end tags).
fn element_starts(document: &str) -> Vec<usize> {
    let bytes = document.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'<' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic()))
        .collect()
}

#[test]
fn exclusive_canonicalization_is_libxml2s() {
    if !python::has("lxml") {
        eprintln!("SKIPPED: python3 with lxml is not installed (pip install lxml)");
        return;
    }
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let b64 = base64::engine::general_purpose::STANDARD;
    let (mut input, mut ours) = (String::new(), Vec::new());
    for _ in 0..300 {
        let mut document = String::new();
        element(&mut random, 0, &mut document);
        for (index, start) in element_starts(&document).into_iter().enumerate() {
            // Every third element also with an InclusiveNamespaces PrefixList of `b`.
            let inclusive: &[&str] = if index % 3 == 2 { &["b"] } else { &[] };
            let canonical = c14n::exclusive(document.as_bytes(), start, inclusive).unwrap();
            input.push_str(&format!("{} {index} {}\n", b64.encode(&document), inclusive.len()));
            ours.push((document.clone(), index, String::from_utf8(canonical).unwrap()));
        }
    }
    let script = r#"
import sys, base64
from lxml import etree
for line in sys.stdin:
    doc, index, inclusive = line.split()
    root = etree.fromstring(base64.b64decode(doc))
    element = list(root.iter(etree.Element))[int(index)]
    prefixes = ["b"] if inclusive == "1" else None
    print(base64.b64encode(etree.tostring(element, method="c14n", exclusive=True, with_comments=False, inclusive_ns_prefixes=prefixes)).decode())
"#;
    let theirs: Vec<String> = String::from_utf8(python::run(script, &[], input.as_bytes()))
        .unwrap()
        .lines()
        .map(|line| String::from_utf8(b64.decode(line).unwrap()).unwrap())
        .collect();
    assert_eq!(theirs.len(), ours.len());
    let mut differ = 0;
    for ((document, index, ours), theirs) in ours.iter().zip(&theirs) {
        if ours != theirs {
            differ += 1;
            if differ <= 3 {
                eprintln!("element {index} of {document}\n  ours:   {ours}\n  libxml: {theirs}");
            }
        }
    }
    assert_eq!(differ, 0, "{differ} of {} elements differ", ours.len());
}
