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
        samples: false,
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
    let modified = |name: &str| std::fs::metadata(out.join(name)).unwrap().modified().unwrap();
    let (lib, types) = (modified("src/lib.rs"), modified("src/types.rs"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    run(&request(&out)).expect("a crate it generated may be regenerated");
    // Unchanged files are not written again, so cargo does not rebuild them.
    assert_eq!((modified("src/lib.rs"), modified("src/types.rs")), (lib, types));
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

/// `cargo <args>` in the generated crate at `dir`, with `stdin`, sharing the corpus's target.
fn cargo_in(dir: &Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    std::fs::copy(xtask::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", xtask::workspace_root().join("target/corpus/target"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_soap_example_encodes_json_decodes_envelopes_and_names_a_mistyped_field() {
    let out = fresh_dir("generate-example");
    run(&Request { samples: true, ..request(&out) }).unwrap();
    let soap = |args: &[&str], stdin: &str| {
        let mut all = vec!["run", "-q", "--example", "soap", "--features", "serde", "--"];
        all.extend_from_slice(args);
        cargo_in(&out, &all, stdin.as_bytes())
    };
    let listed = soap(&["ops"], "");
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "Echo");

    let encoded = soap(&["encode", "Echo"], r#"{"text":"a<b","times":2,"tone":"loud","tag":["x","y"]}"#);
    assert!(encoded.status.success(), "{}", String::from_utf8_lossy(&encoded.stderr));
    let envelope = String::from_utf8(encoded.stdout).unwrap();
    // The envelope as the runtime writes it: the body element in the service namespace,
    // unqualified children in schema order, text escaped.
    let body = "<SOAP-ENV:Body><ns1:Echo><text>a&lt;b</text><times>2</times><tone>loud</tone><tag>x</tag><tag>y</tag></ns1:Echo></SOAP-ENV:Body>";
    assert!(envelope.contains(body), "{envelope}");
    assert!(envelope.contains(r#"xmlns:ns1="urn:example:echo""#), "{envelope}");

    let mistyped = soap(&["encode", "Echo"], r#"{"text":"a","tga":["x"]}"#);
    assert!(!mistyped.status.success());
    let error = String::from_utf8_lossy(&mistyped.stderr);
    assert!(error.contains("unknown field `tga`"), "{error}");
    let missing = soap(&["encode", "Echo"], r#"{"times":1}"#);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing field `text`"));

    let response = std::fs::read_to_string(out.join("tests/samples/Echo.response.xml")).unwrap();
    let decoded = soap(&["decode", "Echo"], &response);
    let json: String = String::from_utf8(decoded.stdout).unwrap().split_whitespace().collect();
    assert_eq!(json, r#"{"text":"text","tagCount":70000}"#);
    let unknown = soap(&["decode", "Nope"], &response);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no operation is called `Nope`"));

    // The crate docs' example (a call, its errors told apart) compiles.
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("//! # Example") && lib.contains("match client.echo(&request).await"), "{lib}");
    let doc = cargo_in(&out, &["test", "-q", "--doc"], b"");
    let doc_output = String::from_utf8_lossy(&doc.stdout);
    assert!(
        doc.status.success() && doc_output.contains("1 passed"),
        "{doc_output}{}",
        String::from_utf8_lossy(&doc.stderr)
    );

    // The runtime's optional features, as the crate forwards them.
    let features = cargo_in(&out, &["check", "-q", "--features", "wsse,wsa,mtom,jiff,time"], b"");
    assert!(features.status.success(), "{}", String::from_utf8_lossy(&features.stderr));

    // The sample round trip the corpus runs passes on the echo crate.
    let tested = cargo_in(&out, &["test", "-q", "--features", "serde", "--test", "round_trip"], b"");
    assert!(tested.status.success(), "{}", String::from_utf8_lossy(&tested.stdout));
    std::fs::remove_dir_all(&out).unwrap();
}
