//! Where a document comes from, and how a reference inside it names another one.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// A document's origin: a local file or an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    Path(PathBuf),
    Url(String),
}

impl Source {
    /// `http://` or `https://` (any case) is a URL; anything else is a path.
    pub fn parse(text: &str) -> Source {
        if starts_with_ignore_case(text, "http://") || starts_with_ignore_case(text, "https://") {
            Source::Url(text.to_owned())
        } else {
            Source::Path(PathBuf::from(text))
        }
    }

    /// The name of an entry document in messages: a path's file name only, so that output does not
    /// depend on where the project is checked out; a URL as given.
    pub fn display_name(&self) -> String {
        match self {
            Source::Path(path) => match path.file_name() {
                Some(name) => name.to_string_lossy().into_owned(),
                None => path.display().to_string(),
            },
            Source::Url(url) => url.clone(),
        }
    }

    /// Resolves `location` (a `location` or `schemaLocation` written in this document) against
    /// this document, as RFC 3986 resolves a reference against its base.
    pub fn join(&self, location: &str) -> Result<Source, String> {
        // anyURI values are whitespace-collapsed, and an empty reference is the document itself.
        let location = location.trim();
        if location.is_empty() {
            return Ok(self.clone());
        }
        match self {
            Source::Path(base) => join_path(base, location),
            Source::Url(base) => join_url(base, location),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Path(path) => write!(f, "{}", path.display()),
            Source::Url(url) => f.write_str(url),
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn join_path(base: &Path, location: &str) -> Result<Source, String> {
    if let Some(scheme) = scheme_of(location) {
        return match scheme.as_str() {
            "http" | "https" => Ok(Source::Url(location.to_owned())),
            "file" => file_url_to_path(location).map(Source::Path),
            _ => Err(format!("unsupported URL scheme `{scheme}:`")),
        };
    }
    // A relative reference is a URI path: `#fragment` is not part of the file, `%20` is a space.
    let path = location.split('#').next().unwrap_or_default();
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| format!("`{location}` percent-encodes bytes that are not UTF-8"))?;
    // `Path::join` keeps an absolute `location` as it is.
    Ok(Source::Path(normalize(&folder_of(base).join(path.as_ref()))))
}

fn join_url(base: &str, location: &str) -> Result<Source, String> {
    if matches!(scheme_of(location).as_deref(), Some("http" | "https")) {
        return Ok(Source::Url(location.to_owned()));
    }
    let base_url = url::Url::parse(base).map_err(|e| format!("`{base}` is not a valid URL: {e}"))?;
    let joined = base_url.join(location).map_err(|e| format!("cannot resolve `{location}` against `{base}`: {e}"))?;
    match joined.scheme() {
        "http" | "https" => Ok(Source::Url(joined.into())),
        // A remote document must not make us read local files.
        "file" => Err(format!("`{location}` is a local file, named by a document read from a URL")),
        other => Err(format!("unsupported URL scheme `{other}:`")),
    }
}

/// The scheme of an absolute URI reference, lowercased. One letter is a Windows drive, not a scheme.
fn scheme_of(reference: &str) -> Option<String> {
    let (scheme, _) = reference.split_once(':')?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (scheme.len() > 1 && first_is_letter && rest_valid).then(|| scheme.to_ascii_lowercase())
}

fn file_url_to_path(location: &str) -> Result<PathBuf, String> {
    let url = url::Url::parse(location).map_err(|e| format!("`{location}` is not a valid URL: {e}"))?;
    url.to_file_path().map_err(|()| format!("`{location}` does not name a local file"))
}

/// The folder a path document's relative references start from.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Removes `.` and `..` lexically, as RFC 3986 removes dot segments from a reference.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// What makes two references the same document, so each is read once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Identity {
    Path(PathBuf),
    Url(String),
}

pub(super) fn identity(source: &Source) -> Identity {
    match source {
        // Canonical when the file exists (symlinks, case-insensitive file systems); else lexical.
        Source::Path(path) => Identity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path))),
        Source::Url(url) => Identity::Url(url_identity(url)),
    }
}

/// A URL without its fragment, in the `url` crate's normal form (`HTTP://Host:80/a/../b` is
/// `http://host/b`).
pub(super) fn url_identity(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_fragment(None);
            parsed.into()
        }
        Err(_) => url.split('#').next().unwrap_or_default().to_owned(),
    }
}

fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}

/// The name of an imported document in messages: a path relative to the entry's folder (so output
/// does not depend on the checkout path), or the URL.
pub(super) fn document_name(source: &Source, entry: &Source) -> String {
    match (source, entry) {
        (Source::Path(path), Source::Path(entry)) => {
            relative_to(&absolute(path), &absolute(folder_of(entry))).unwrap_or_else(|| path.display().to_string())
        }
        (Source::Path(path), Source::Url(_)) => path.display().to_string(),
        (Source::Url(url), _) => url.clone(),
    }
}

/// `path` from `folder`, with `..` where needed and `/` between parts; `None` across drives.
fn relative_to(path: &Path, folder: &Path) -> Option<String> {
    let path: Vec<Component> = path.components().collect();
    let folder: Vec<Component> = folder.components().collect();
    let common = path.iter().zip(&folder).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let ups = std::iter::repeat_n("..".to_owned(), folder.len() - common);
    let downs = path[common..].iter().map(|part| part.as_os_str().to_string_lossy().into_owned());
    Some(ups.chain(downs).collect::<Vec<_>>().join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Source {
        Source::Path(PathBuf::from(text))
    }

    fn url(text: &str) -> Source {
        Source::Url(text.to_owned())
    }

    #[test]
    fn parse_tells_urls_from_paths() {
        assert_eq!(Source::parse("HTTPS://example.com/a.wsdl"), url("HTTPS://example.com/a.wsdl"));
        assert_eq!(Source::parse("http://example.com/a.wsdl"), url("http://example.com/a.wsdl"));
        assert_eq!(Source::parse("httpx/a.wsdl"), path("httpx/a.wsdl"));
        assert_eq!(Source::parse("ftp://example.com/a.wsdl"), path("ftp://example.com/a.wsdl"));
        assert_eq!(Source::parse("é"), path("é"));
    }

    #[test]
    fn display_name_is_the_file_name_or_the_url() {
        assert_eq!(path("/checkout/dir/service.wsdl").display_name(), "service.wsdl");
        assert_eq!(path("service.wsdl").display_name(), "service.wsdl");
        assert_eq!(url("http://h/x/s.wsdl?wsdl").display_name(), "http://h/x/s.wsdl?wsdl");
    }

    #[test]
    fn join_resolves_paths_against_the_parent_folder() {
        assert_eq!(path("dir/service.wsdl").join("types.xsd").unwrap(), path("dir/types.xsd"));
        assert_eq!(path("dir/sub/s.wsdl").join("../x/./t.xsd").unwrap(), path("dir/x/t.xsd"));
        assert_eq!(path("service.wsdl").join("types.xsd").unwrap(), path("types.xsd"));
        assert_eq!(path("dir/s.wsdl").join("/abs/t.xsd").unwrap(), path("/abs/t.xsd"));
        assert_eq!(path("dir/s.wsdl").join(" my%20types.xsd#frag ").unwrap(), path("dir/my types.xsd"));
        assert_eq!(path("dir/s.wsdl").join("").unwrap(), path("dir/s.wsdl"));
        assert_eq!(path("../s.wsdl").join("../t.xsd").unwrap(), path("../../t.xsd"));
        assert_eq!(path("/s.wsdl").join("../../t.xsd").unwrap(), path("/t.xsd"));
    }

    #[test]
    fn join_from_a_path_keeps_urls_and_reads_file_urls() {
        assert_eq!(path("d/s.wsdl").join("https://h/t.xsd").unwrap(), url("https://h/t.xsd"));
        assert_eq!(path("d/s.wsdl").join("file:///abs/t.xsd").unwrap(), path("/abs/t.xsd"));
        assert!(path("d/s.wsdl").join("ftp://h/t.xsd").unwrap_err().contains("ftp:"));
        assert!(path("d/s.wsdl").join("t.xsd%FF").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn join_resolves_urls_by_rfc_3986() {
        let base = url("http://h:8080/svc/a/service.wsdl?wsdl");
        assert_eq!(base.join("types.xsd").unwrap(), url("http://h:8080/svc/a/types.xsd"));
        assert_eq!(base.join("../b/t.xsd?x=1").unwrap(), url("http://h:8080/svc/b/t.xsd?x=1"));
        assert_eq!(base.join("/root.xsd").unwrap(), url("http://h:8080/root.xsd"));
        assert_eq!(base.join("?xsd=2").unwrap(), url("http://h:8080/svc/a/service.wsdl?xsd=2"));
        assert_eq!(base.join("//other/t.xsd").unwrap(), url("http://other/t.xsd"));
        // An absolute URL stays exactly as written, port and all.
        assert_eq!(base.join("http://h:80/x?xsd=1").unwrap(), url("http://h:80/x?xsd=1"));
        assert!(base.join("file:///etc/passwd").unwrap_err().contains("local file"));
        assert!(url("not a url").join("t.xsd").is_err());
    }

    #[test]
    fn identity_ignores_fragments_and_spelling() {
        assert_eq!(identity(&url("HTTP://H:80/a/../t.xsd#x")), identity(&url("http://h/t.xsd")));
        assert_ne!(identity(&url("http://h/t.xsd?xsd=1")), identity(&url("http://h/t.xsd?xsd=2")));
        assert_eq!(identity(&path("no/such/../t.xsd")), identity(&path("no/t.xsd")));
    }

    #[test]
    fn document_names_are_relative_to_the_entry_folder() {
        let entry = path("/work/p/service.wsdl");
        assert_eq!(document_name(&path("/work/p/sub/t.xsd"), &entry), "sub/t.xsd");
        assert_eq!(document_name(&path("/work/common/t.xsd"), &entry), "../common/t.xsd");
        assert_eq!(document_name(&url("http://h/t.xsd"), &entry), "http://h/t.xsd");
        assert_eq!(document_name(&path("t.xsd"), &path("service.wsdl")), "t.xsd");
    }
}
