//! The expected code of every construct in `tests/features/<construct>/` is what the
//! generator writes today. `MKTOWS_BLESS=1 cargo test -p mktows-codegen --test features_fresh`
//! rewrites the expectations; review the diff before committing it.

use std::path::{Path, PathBuf};

fn feature_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

#[test]
fn every_feature_has_a_wsdl_an_example_and_fresh_expected_code() {
    let bless = std::env::var_os("MKTOWS_BLESS").is_some();
    let mut stale = Vec::new();
    for dir in feature_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("service.wsdl")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(dir.join("example.xml").is_file(), "{name} has no example.xml");
        let wsdl = mktows_wsdl::parse(&text, "service.wsdl").unwrap_or_else(|e| panic!("{name}: {e}"));
        let code = mktows_codegen::generate_module(&wsdl, &mktows_codegen::Options::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = dir.join("expected.rs");
        if bless {
            std::fs::write(&expected, &code).unwrap();
        } else if std::fs::read_to_string(&expected).ok().as_deref() != Some(code.as_str()) {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "stale expected.rs (rerun with MKTOWS_BLESS=1 and review): {stale:?}");
}

#[test]
fn every_feature_is_compiled_by_the_features_test() {
    let listed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features.rs")).unwrap();
    for dir in feature_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(listed.contains(&format!("    {name}: ")), "tests/features.rs does not list `{name}`");
    }
}
