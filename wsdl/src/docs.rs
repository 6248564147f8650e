//! Documentation for generated code: `wsdl:documentation`, `xs:annotation/xs:documentation`,
//! and the XML comments written directly before a definition.

use crate::{ns, Node};

/// The documentation of `node`: the comments right before it (only white space between),
/// then its own documentation child. Decorative banners (`<!-- *** Enumerations *** -->`)
/// are section headings, not documentation, and are left out.
pub(crate) fn doc_for(node: Node<'_, '_>) -> Option<String> {
    let mut comments = Vec::new();
    let mut sibling = node.prev_sibling();
    while let Some(current) = sibling {
        if current.is_comment() {
            comments.extend(clean_comment(current.text().unwrap_or("")));
        } else if !(current.is_text() && current.text().is_some_and(|t| t.trim().is_empty())) {
            break;
        }
        sibling = current.prev_sibling();
    }
    comments.reverse();
    let mut parts = comments;
    for child in node.children().filter(Node::is_element) {
        let tag = child.tag_name();
        let own_doc = match (tag.namespace(), tag.name()) {
            (Some(ns::WSDL), "documentation") => Some(child),
            (Some(ns::XSD), "annotation") => child
                .children()
                .find(|c| c.tag_name().namespace() == Some(ns::XSD) && c.tag_name().name() == "documentation"),
            _ => None,
        };
        if let Some(text) = own_doc.map(text_of).and_then(|t| normalize(&t)) {
            parts.push(text);
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect()
}

/// Strips a comment's box drawing. Returns `None` for banners and headings.
fn clean_comment(text: &str) -> Option<String> {
    let lines: Vec<&str> =
        text.lines().map(|line| line.trim().trim_start_matches('*').trim_end_matches('*').trim()).collect();
    let boxed = text.trim().starts_with("**");
    let cleaned = normalize(&lines.join("\n"))?;
    // A boxed one-liner with no punctuation is a section heading such as "Enumerations".
    let heading = boxed && !cleaned.contains(['.', ',', ':', '\n']);
    (!heading).then_some(cleaned)
}

/// Trims every line and drops leading and trailing blank lines; `None` when nothing is left.
fn normalize(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start = lines.iter().position(|l| !l.is_empty())?;
    let end = lines.iter().rposition(|l| !l.is_empty())?;
    Some(lines[start..=end].join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners_and_headings_are_dropped_but_boxed_sentences_kept() {
        assert_eq!(clean_comment(" ***************** "), None);
        assert_eq!(clean_comment(" **     Enumerations     ** "), None);
        assert_eq!(
            clean_comment(" ** For Program, following attrNames are allowed: ** ").as_deref(),
            Some("For Program, following attrNames are allowed:")
        );
        assert_eq!(clean_comment(" String array  ").as_deref(), Some("String array"));
        assert_eq!(
            clean_comment("\n  The header.\n  Used in all calls.\n ").as_deref(),
            Some("The header.\nUsed in all calls.")
        );
    }
}
