//! The build-script API, in the manner of tonic-build and prost-build:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     mktows_codegen::Builder::new().server(false).compile("service.wsdl")?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate, `include!(concat!(env!("OUT_DIR"), "/service.rs"));` (the file is named
//! after the WSDL). The crate depends on `mktows-runtime`.

use std::path::{Path, PathBuf};

use crate::{Options, Signing};

/// Generates a client module from a WSDL into `OUT_DIR` (or a folder of your choice).
#[derive(Debug, Clone)]
pub struct Builder {
    options: Options,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
}

impl Builder {
    /// Client and server, no serde code, no vendor layer.
    pub fn new() -> Self {
        Self { options: Options { serde_feature: None, ..Options::default() }, out_dir: None, file_name: None }
    }

    /// Whether to generate the `Client` (default true).
    pub fn client(mut self, enabled: bool) -> Self {
        self.options.client = enabled;
        self
    }

    /// Whether to generate the `server` module (default true).
    pub fn server(mut self, enabled: bool) -> Self {
        self.options.server = enabled;
        self
    }

    /// A header a credentials type signs on every call that declares it.
    pub fn signing(mut self, signing: Signing) -> Self {
        self.options.signing = Some(signing);
        self
    }

    /// Gate `serde` derives behind the cargo feature `feature` of the including crate
    /// (`None`, the default here, writes no serde code).
    pub fn serde_feature(mut self, feature: Option<&str>) -> Self {
        self.options.serde_feature = feature.map(str::to_owned);
        self
    }

    /// Generate only these operations (by their WSDL names) and the types they reach: a
    /// module that builds in seconds from a WSDL of thousands of operations.
    pub fn operations<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.options.operations = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Speak the WSDL's SOAP 1.2 binding even when it has a SOAP 1.1 one too.
    pub fn prefer_soap12(mut self, prefer: bool) -> Self {
        self.options.prefer_soap12 = prefer;
        self
    }

    /// Re-export `tree` (a Rust use tree) from the generated module.
    pub fn reexport(mut self, tree: impl Into<String>) -> Self {
        self.options.reexports.push(tree.into());
        self
    }

    /// Where to write (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The file to write (default: the WSDL's file stem with `.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Reads `wsdl` and everything it imports, and writes the module. Prints
    /// `cargo:rerun-if-changed` for every file read, so the build script reruns when one
    /// changes. Returns the path written.
    pub fn compile(&self, wsdl: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
        let wsdl = wsdl.as_ref();
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                BuildError("OUT_DIR is not set: call compile from a build script, or set out_dir".into())
            })?,
        };
        let (model, files) = crate::load::load(wsdl).map_err(BuildError)?;
        for file in &files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        for note in &model.notes {
            println!("cargo:warning={note}");
        }
        let mut options = self.options.clone();
        options.regenerate_hint = "it is written by the build script".to_owned();
        let code = crate::generate_module(&model, &options).map_err(|e| BuildError(e.to_string()))?;
        let stem = wsdl.file_stem().map(|s| s.to_string_lossy().replace(['-', '.'], "_")).unwrap_or_default();
        let path = out_dir.join(self.file_name.clone().unwrap_or_else(|| format!("{stem}.rs")));
        std::fs::write(&path, code).map_err(|e| BuildError(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

/// Why [`Builder::compile`] failed: a WSDL that cannot be read or generated, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}
