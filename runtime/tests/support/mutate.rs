//! Seeded mutation of XML documents, shared by the fuzz tests of the runtime and of generated
//! crates (which include this file by path). Deterministic: a fixed seed and a small PRNG
//! written here, so a failure names the seed and iteration that reproduce it.
//!
//! `MKTOWS_FUZZ_ITERATIONS` sets how many mutated documents a test decodes (a longer run:
//! `MKTOWS_FUZZ_ITERATIONS=1000000 cargo test -p mktows --release --test fuzz`), and
//! `MKTOWS_FUZZ_SEED` another seed.
#![allow(dead_code)]

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// SplitMix64: tiny, fast, and good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// How many documents to decode: `MKTOWS_FUZZ_ITERATIONS`, or `default`.
pub fn iterations(default: usize) -> usize {
    std::env::var("MKTOWS_FUZZ_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

pub fn seed() -> u64 {
    std::env::var("MKTOWS_FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x6D6B_746F_7773)
}

/// Every file of `../shared/examples` whose name ends with `suffix`, as (path, bytes).
pub fn examples(suffix: &str) -> Vec<(String, Vec<u8>)> {
    let root = format!("{}/../../shared/examples", env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{root}: {e}")) {
        let dir = dir.unwrap().path();
        for file in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = file.unwrap().path();
            let name = path.display().to_string();
            if name.ends_with(suffix) {
                found.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// Text that breaks parsers: multibyte characters and byte order marks, characters XML
/// cannot carry (raw and as references), markup, and values at the edge of their types.
const TOKENS: &[&str] = &[
    "é",
    "\u{FEFF}",
    "€",
    "𝄞",
    "\u{A0}",
    "\u{2028}",
    "\u{FFFD}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{0}",
    "\u{1}",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\r",
    "\r\n",
    "\t",
    "&#0;",
    "&#1;",
    "&#x1b;",
    "&#xFFFE;",
    "&#xD800;",
    "&#233;",
    "&amp;",
    "&lt;",
    "&bogus;",
    "&",
    "<",
    ">",
    "</",
    "]]>",
    "<![CDATA[x]]>",
    "<![CDATA[",
    "<!-- c -->",
    "<!--",
    "<?pi x?>",
    "<?xml version=\"1.0\"?>",
    "<x>",
    "<x/>",
    "</x>",
    " xsi:nil=\"true\"",
    " xsi:nil=\"1\"",
    " xsi:type=\"ns1:Nope\"",
    " a=\"1\"",
    "\"",
    "'",
    "=",
    "-",
    "+",
    "++1",
    "-0",
    "INF",
    "-INF",
    "NaN",
    "inf",
    "1e999",
    "1.5e3",
    ".5",
    "99999999999999999999",
    "-2147483649",
    "4294967296",
    "true",
    "1",
    "0",
    "yes",
    "2013-08-0é5T17:58:10Z",
    "2013-08-05T17:58:10.125-05:00",
    "2013-08-05",
    "T",
    ":",
    "Z",
    "AAEC+vv/",
    "=",
    "CREATED",
    "UPSERT",
];

/// Characters of two, three and four bytes in UTF-8 (U+FEFF is the byte order mark).
const MULTIBYTE: &[&str] = &["é", "\u{FEFF}", "€", "𝄞"];

/// `doc` with one to three mutations.
pub fn mutate(rng: &mut Rng, doc: &[u8]) -> Vec<u8> {
    let mut out = doc.to_vec();
    for _ in 0..1 + rng.below(3) {
        mutate_once(rng, &mut out);
    }
    out
}

fn mutate_once(rng: &mut Rng, doc: &mut Vec<u8>) {
    let at = position(rng, doc);
    match rng.below(12) {
        0 if !doc.is_empty() => {
            let last = doc.len() - 1;
            doc[at.min(last)] ^= 1 << rng.below(8);
        }
        1 => doc.insert(at, rng.next() as u8),
        2 => drop(doc.drain(at..(at + 1 + rng.below(8)).min(doc.len()))),
        3 | 4 => splice(doc, at, at, TOKENS[rng.below(TOKENS.len())].as_bytes()),
        5 => splice(doc, 0, 0, "\u{FEFF}".as_bytes()),
        6 => doc.truncate(at),
        7 => remove_next_end_tag(doc, at),
        8 => replace_next_text(doc, at, TOKENS[rng.below(TOKENS.len())].as_bytes()),
        9 => duplicate_next_element(doc, at),
        _ => {
            let at = in_text(rng, doc, at);
            splice(doc, at, at, MULTIBYTE[rng.below(MULTIBYTE.len())].as_bytes());
        }
    }
}

/// Half the time anywhere, half the time inside a text value, so that values (dates,
/// numbers) are hit often.
fn position(rng: &mut Rng, doc: &[u8]) -> usize {
    let anywhere = rng.below(doc.len() + 1);
    match rng.below(2) {
        0 => anywhere,
        _ => in_text(rng, doc, anywhere),
    }
}

/// A position in the first text value (between a `>` and the next `<`) after `from`.
fn in_text(rng: &mut Rng, doc: &[u8], from: usize) -> usize {
    let Some(start) = find(doc, from, b">").map(|i| i + 1) else { return from.min(doc.len()) };
    let length = doc[start..].iter().position(|&b| b == b'<').unwrap_or(doc.len() - start);
    start + rng.below(length + 1)
}

fn splice(doc: &mut Vec<u8>, start: usize, end: usize, with: &[u8]) {
    doc.splice(start..end, with.iter().copied());
}

fn find(doc: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    doc.get(from..)?.windows(what.len()).position(|w| w == what).map(|i| from + i)
}

fn remove_next_end_tag(doc: &mut Vec<u8>, from: usize) {
    if let Some(start) = find(doc, from, b"</") {
        let end = find(doc, start, b">").map_or(doc.len(), |e| e + 1);
        doc.drain(start..end);
    }
}

fn replace_next_text(doc: &mut Vec<u8>, from: usize, with: &[u8]) {
    if let Some(start) = find(doc, from, b">") {
        let end = find(doc, start, b"<").unwrap_or(doc.len());
        splice(doc, start + 1, end, with);
    }
}

/// Copies the bytes from the next `<` up to the `<` after its `>` (an element with its text,
/// or a tag) to just before it.
fn duplicate_next_element(doc: &mut Vec<u8>, from: usize) {
    let Some(start) = find(doc, from, b"<") else { return };
    let close = find(doc, start, b">").unwrap_or(doc.len());
    let end = find(doc, close, b"<").unwrap_or(doc.len());
    let copy = doc[start..end].to_vec();
    splice(doc, start, start, &copy);
}

/// Runs `check` on `iterations` mutations of the `seeds`, round-robin; a panic (in the
/// decoder or in the check) is reported with what reproduces it.
pub fn run(seeds: &[(String, Vec<u8>)], iterations: usize, mut check: impl FnMut(usize, &[u8])) {
    assert!(!seeds.is_empty());
    let seed = seed();
    let mut rng = Rng::new(seed);
    for iteration in 0..iterations {
        let index = iteration % seeds.len();
        let input = mutate(&mut rng, &seeds[index].1);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(index, &input))) {
            eprintln!(
                "fuzz: panic at iteration {iteration} (MKTOWS_FUZZ_SEED={seed}), mutating {}:\n{}",
                seeds[index].0,
                String::from_utf8_lossy(&input)
            );
            resume_unwind(panic);
        }
    }
}
