//! Extracts the first ```rust block of the workspace README into OUT_DIR, so that
//! `tests/readme.rs` compiles exactly what README shows. Only tests include it.

fn main() {
    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    println!("cargo:rerun-if-changed={}", readme.display());
    let text = std::fs::read_to_string(&readme).unwrap_or_default();
    let code = text
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or("async fn push_one_lead() -> Result<(), Box<dyn std::error::Error>> { Ok(()) }");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("readme_example.rs");
    std::fs::write(out, code).expect("write readme_example.rs");
}
