//! README's client example is compiled as a doctest of this crate (src/lib.rs); this test
//! makes sure there is one to compile, so losing the block fails instead of passing.

#[test]
fn readme_has_a_compiled_client_example() {
    let readme = std::fs::read_to_string(xtask::workspace_root().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```rust\n").skip(1).filter_map(|rest| rest.split("\n```").next()).collect();
    assert!(
        blocks.iter().any(|b| b.contains("Client::new(") && b.contains("sync_multiple_leads")),
        "README must keep a ```rust block that builds a Client and syncs leads"
    );
    // An untagged block would be compiled as Rust too: every opening fence names its language.
    let fences: Vec<&str> = readme.lines().filter(|l| l.starts_with("```")).collect();
    for opening in fences.iter().step_by(2) {
        assert!(opening.len() > 3, "a README code block without a language: {opening}");
    }
}
