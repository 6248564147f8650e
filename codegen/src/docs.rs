//! Doc comments for generated items.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for paragraphs (empty ones are skipped), one attribute per line so
/// that the formatter prints them as `///` lines.
pub(crate) fn doc_attrs(paragraphs: &[&str]) -> TokenStream {
    let mut lines = Vec::new();
    for paragraph in paragraphs.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|line| format!(" {}", line.trim_end())));
    }
    quote!(#(#[doc = #lines])*)
}
