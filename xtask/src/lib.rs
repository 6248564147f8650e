//! The project's automation, as an ordinary program (run through `cargo xtask`).

pub mod regenerate;

use std::path::PathBuf;

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The WSDL that CI and the tests regenerate from: `../shared/wsdl/mktows-2_2.wsdl`.
pub fn default_wsdl() -> PathBuf {
    workspace_root().join("../shared/wsdl/mktows-2_2.wsdl")
}
