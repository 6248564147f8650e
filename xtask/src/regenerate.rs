//! `cargo xtask regenerate`: WSDL (file or URL) -> model -> Rust files in `generated/src`.

use std::fs;
use std::path::{Path, PathBuf};

use mktows_codegen::GeneratedFile;
pub use mktows_wsdl::Source;

/// The files of the `mktows` crate for `source`: the generator with the Marketo layer.
pub fn generate(source: &Source) -> Result<Vec<GeneratedFile>, String> {
    generate_with(source, &crate::marketo::options())
}

/// The files the generator writes for `source` with `options`.
pub fn generate_with(source: &Source, options: &mktows_codegen::Options) -> Result<Vec<GeneratedFile>, String> {
    generate_model(&load(source)?, options)
}

/// The model of the WSDL at `source`.
pub fn load(source: &Source) -> Result<mktows_wsdl::Wsdl, String> {
    mktows_wsdl::load_wsdl(source, &mktows_wsdl::DefaultResolver::new()).map_err(|e| e.to_string())
}

/// The files the generator writes for `wsdl` with `options`; what it leaves out is warned.
pub fn generate_model(
    wsdl: &mktows_wsdl::Wsdl,
    options: &mktows_codegen::Options,
) -> Result<Vec<GeneratedFile>, String> {
    let generated = mktows_codegen::generate_with_report(wsdl, options).map_err(|e| e.to_string())?;
    for note in &wsdl.notes {
        eprintln!("note: {note}");
    }
    // What the crate leaves out is in its docs; say it here too, so nobody misses it.
    for line in &generated.left_out {
        eprintln!("warning: left out {line}");
    }
    Ok(generated.files)
}

/// A difference between `generated/` and what the generator would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Differs(PathBuf),
    Missing(PathBuf),
    /// A source file the generator no longer writes.
    Extra(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Differs(path) => write!(f, "{} differs from the generator's output", path.display()),
            Self::Missing(path) => write!(f, "{} is missing", path.display()),
            Self::Extra(path) => write!(f, "{} is not written by the generator", path.display()),
        }
    }
}

/// Compares `files` with the crate at `crate_dir`.
pub fn stale_files(files: &[GeneratedFile], crate_dir: &Path) -> Vec<Stale> {
    let mut stale = Vec::new();
    for file in files {
        let path = crate_dir.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => {}
            Ok(_) => stale.push(Stale::Differs(path)),
            Err(_) => stale.push(Stale::Missing(path)),
        }
    }
    for path in rust_sources(&crate_dir.join("src")) {
        let relative = path.strip_prefix(crate_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if !files.iter().any(|f| f.path == relative) {
            stale.push(Stale::Extra(path));
        }
    }
    stale
}

/// Writes `files` into `crate_dir` (only those that changed) and removes sources the
/// generator no longer writes. Returns the paths written or removed.
pub fn write(files: &[GeneratedFile], crate_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut touched = Vec::new();
    for item in stale_files(files, crate_dir) {
        match item {
            Stale::Differs(path) | Stale::Missing(path) => {
                let relative = path.strip_prefix(crate_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let file = files.iter().find(|f| f.path == relative).expect("stale paths come from files");
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                touched.push(path);
            }
            Stale::Extra(path) => {
                fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                touched.push(path);
            }
        }
    }
    Ok(touched)
}

fn rust_sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return found };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            found.extend(rust_sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_files_reports_differences_missing_and_extra() {
        let dir = std::env::temp_dir().join(format!("xtask-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/a.rs"), "old").unwrap();
        fs::write(dir.join("src/gone.rs"), "x").unwrap();
        let files = vec![
            GeneratedFile { path: "src/a.rs".into(), contents: "new".into() },
            GeneratedFile { path: "src/b.rs".into(), contents: "b".into() },
        ];
        let stale = stale_files(&files, &dir);
        assert_eq!(
            stale,
            [
                Stale::Differs(dir.join("src/a.rs")),
                Stale::Missing(dir.join("src/b.rs")),
                Stale::Extra(dir.join("src/gone.rs"))
            ]
        );
        write(&files, &dir).unwrap();
        assert!(stale_files(&files, &dir).is_empty());
        assert_eq!(fs::read_to_string(dir.join("src/a.rs")).unwrap(), "new");
        fs::remove_dir_all(&dir).unwrap();
    }
}
