//! `cargo xtask generate` writes a standalone crate for a WSDL with no vendor layer, and
//! that crate compiles against this checkout's runtime.

use std::path::{Path, PathBuf};

use xtask::generate::{run, Request};
use xtask::regenerate::Source;

fn echo_wsdl() -> PathBuf {
    xtask::workspace_root().join("examples/echo/echo.wsdl")
}

fn request(out: &Path) -> Request {
    Request {
        source: Source::Path(echo_wsdl()),
        out: out.to_path_buf(),
        crate_name: "echo-standalone".into(),
        options: mktows_codegen::Options::default(),
    }
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_a_crate_that_compiles_and_has_no_marketo_in_it() {
    let out = fresh_dir("generate");
    let written = run(&request(&out)).unwrap();
    assert!(written.contains(&out.join("Cargo.toml")) && written.contains(&out.join("src/lib.rs")), "{written:?}");
    for path in &written {
        let text = std::fs::read_to_string(path).unwrap();
        for vendor in ["marketo", "Marketo", "AuthenticationHeader", "Credentials"] {
            assert!(!text.contains(vendor), "`{vendor}` in {}", path.display());
        }
    }
    // With and without serde, and no warning either way.
    let target = xtask::workspace_root().join("target/generate-test");
    xtask::corpus::cargo_check(&out, &target).unwrap_or_else(|e| panic!("the generated crate does not compile: {e}"));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn writes_over_its_own_crate_but_never_over_someone_elses() {
    let out = fresh_dir("generate-again");
    run(&request(&out)).unwrap();
    run(&request(&out)).expect("a crate it generated may be regenerated");
    let foreign = fresh_dir("generate-foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let err = run(&request(&foreign)).unwrap_err();
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(std::fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
    let bad_name = Request { crate_name: "1 bad".into(), ..request(&fresh_dir("generate-name")) };
    assert!(run(&bad_name).unwrap_err().contains("not a valid crate name"));
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&foreign).unwrap();
}
