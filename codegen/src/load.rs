//! Reading a WSDL file for the build-script API.

use std::path::{Path, PathBuf};

use mktows_wsdl::Wsdl;

/// The model of the WSDL at `path`, and the files read.
pub(crate) fn load(path: &Path) -> Result<(Wsdl, Vec<PathBuf>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let wsdl = mktows_wsdl::parse(&text, &name).map_err(|e| e.to_string())?;
    Ok((wsdl, vec![path.to_path_buf()]))
}
