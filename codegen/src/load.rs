//! Reading a WSDL file, and what it imports, for the build-script API.

use std::path::{Path, PathBuf};

use mktows_wsdl::{DefaultResolver, Resolver, Source, Wsdl};

/// Remembers the files read, so the build script can ask to rerun when one changes.
struct Recording<'a> {
    inner: &'a dyn Resolver,
    files: std::cell::RefCell<Vec<PathBuf>>,
}

impl Resolver for Recording<'_> {
    fn knows_namespace(&self, namespace: &str) -> bool {
        self.inner.knows_namespace(namespace)
    }

    fn fetch(&self, source: &Source) -> Result<String, String> {
        if let Source::Path(path) = source {
            self.files.borrow_mut().push(path.clone());
        }
        self.inner.fetch(source)
    }
}

/// The model of the WSDL at `path` and the documents it imports, and the files read.
pub(crate) fn load(path: &Path) -> Result<(Wsdl, Vec<PathBuf>), String> {
    let resolver = Recording { inner: &DefaultResolver::new(), files: Default::default() };
    let wsdl = mktows_wsdl::load_wsdl(&Source::Path(path.to_path_buf()), &resolver).map_err(|e| e.to_string())?;
    Ok((wsdl, resolver.files.into_inner()))
}
