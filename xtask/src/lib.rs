//! The project's automation, as an ordinary program (run through `cargo xtask`).

pub mod corpus;
pub mod extras;
pub mod generate;
pub mod marketo;
pub mod regenerate;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding the top-level Cargo.toml) of the checkout this
/// runs in: cargo names the package's folder at run time (`cargo xtask`, `cargo test`), and
/// otherwise the current folder is searched upwards. Never the path xtask was compiled at,
/// which another checkout sharing the target folder would have written.
pub fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    find_workspace_root(&start).unwrap_or(start)
}

/// The nearest folder at or above `start` whose Cargo.toml declares a `[workspace]`.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

/// README's Rust examples, compiled as doctests of this crate (which only the workspace
/// builds), so a README that drifts from the API fails `cargo test`.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

/// The WSDL that CI and the tests regenerate from: `../shared/wsdl/mktows-2_2.wsdl`.
pub fn default_wsdl() -> PathBuf {
    workspace_root().join("../shared/wsdl/mktows-2_2.wsdl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_where_it_runs() {
        let dir = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(dir.join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(find_workspace_root(&nested), Some(dir.clone()));
        std::fs::remove_dir_all(&dir).unwrap();
        // This checkout's root holds the crate folders, whatever the compiled-in path was.
        assert!(workspace_root().join("codegen/Cargo.toml").is_file());
    }
}
