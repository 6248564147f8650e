//! Reading a document's text: files, URLs mapped to local copies, and (feature `http`) the web.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::decode::decode_xml;
use super::source::{url_identity, Source};

/// Reads the text of one document. [`load`](super::load) calls it once per distinct document.
pub trait Resolver {
    /// The decoded text at `source`, or why it cannot be read (the caller adds where it was named).
    fn fetch(&self, source: &Source) -> Result<String, String>;

    /// Whether an `xs:import` that names only `namespace` (no `schemaLocation`) should be read
    /// from the namespace URI itself: true when a local copy is mapped for it, as for the SOAP
    /// encoding schema that RPC/encoded WSDLs import this way.
    fn knows_namespace(&self, namespace: &str) -> bool {
        let _ = namespace;
        false
    }

    /// Where `source` is really read from, when that is somewhere else (a URL mapped to a
    /// local file): so that a document named both ways, as a WCF service's `?wsdl` imported
    /// back by its own `?wsdl=wsdl0`, is read once.
    fn read_from(&self, source: &Source) -> Option<Source> {
        let _ = source;
        None
    }
}

/// Reads files; reads a URL from the local file it is mapped to, if any; otherwise fetches it over
/// http(s) when the `http` feature is enabled.
#[derive(Debug, Clone)]
pub struct DefaultResolver {
    mappings: Vec<UrlMapping>,
    timeout: Duration,
}

#[derive(Debug, Clone)]
struct UrlMapping {
    /// In the `url` crate's normal form, so `http://h:80/x` maps `http://h/x` too.
    prefix: String,
    local: PathBuf,
}

impl Default for DefaultResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultResolver {
    /// No mappings; a 60 s timeout for each http(s) request.
    pub fn new() -> Self {
        Self { mappings: Vec::new(), timeout: Duration::from_secs(60) }
    }

    /// Reads `url_prefix` itself from the file `local`, and, when the prefix ends with `/`, every
    /// URL under it from the same relative path under the folder `local`. The longest matching
    /// prefix wins; of equal ones, the last mapped.
    pub fn map_url(mut self, url_prefix: &str, local: impl Into<PathBuf>) -> Self {
        self.mappings.push(UrlMapping { prefix: url_identity(url_prefix), local: local.into() });
        self
    }

    /// The time one http(s) request may take, from connecting to the last byte.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The local file `url` is mapped to, if any.
    pub fn mapped(&self, url: &str) -> Option<PathBuf> {
        let url = url_identity(url);
        let matches = self.mappings.iter().filter_map(|mapping| Some((mapping.prefix.len(), mapping.apply(&url)?)));
        matches.max_by_key(|(length, _)| *length).map(|(_, path)| path)
    }
}

impl UrlMapping {
    fn apply(&self, url: &str) -> Option<PathBuf> {
        if url.trim_end_matches('/') == self.prefix.trim_end_matches('/') {
            return Some(self.local.clone());
        }
        let rest = url.strip_prefix(&self.prefix).filter(|_| self.prefix.ends_with('/'))?;
        let rest = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?;
        // An encoded `%2F..` must not reach outside the mapped folder.
        let inside = Path::new(rest.as_ref()).components().all(|part| matches!(part, Component::Normal(_)));
        inside.then(|| self.local.join(rest.as_ref()))
    }
}

impl Resolver for DefaultResolver {
    fn knows_namespace(&self, namespace: &str) -> bool {
        self.mapped(namespace).is_some()
    }

    fn read_from(&self, source: &Source) -> Option<Source> {
        match source {
            Source::Url(url) => self.mapped(url).map(Source::Path),
            Source::Path(_) => None,
        }
    }

    fn fetch(&self, source: &Source) -> Result<String, String> {
        match source {
            Source::Path(path) => read_file(path),
            Source::Url(url) => match self.mapped(url) {
                Some(path) => read_file(&path).map_err(|e| format!("{e} (read from `{}`)", path.display())),
                None => http_get(url, self.timeout),
            },
        }
    }
}

fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    decode_xml(&bytes)
}

/// Larger than any real WSDL (the largest seen is 3 MB), small enough not to exhaust memory.
#[cfg(feature = "http")]
const MAX_HTTP_BYTES: u64 = 64 * 1024 * 1024;

#[cfg(feature = "http")]
fn http_get(url: &str, timeout: Duration) -> Result<String, String> {
    let config = ureq::Agent::config_builder().timeout_global(Some(timeout)).build();
    let agent = ureq::Agent::new_with_config(config);
    // A fragment names a part of the document; it is never sent.
    let url = url.split('#').next().unwrap_or_default();
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let body = response.body_mut().with_config().limit(MAX_HTTP_BYTES).read_to_vec().map_err(|e| e.to_string())?;
    decode_xml(&body)
}

#[cfg(not(feature = "http"))]
fn http_get(_url: &str, _timeout: Duration) -> Result<String, String> {
    Err("reading a URL needs mktows-wsdl's `http` feature; enable it, or map the URL to a local file".to_owned())
}
