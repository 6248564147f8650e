//! `cargo xtask corpus [--compile] [DIR]`: the generator on a corpus of real WSDLs, one line
//! per file (generated, or refused with the construct and where), and a total.
//!
//! A corpus folder holds `MANIFEST.tsv` (`file role repo path commit size notes`; the rows
//! whose role is `entry` are run) and optionally `_external/URLMAP.tsv` (`url local-file`,
//! relative to the corpus folder), which maps remote and namespace-only imports to local
//! copies so the run needs no network.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use mktows_codegen::Options;
use mktows_wsdl::{DefaultResolver, Source};

/// What the generator made of one entry WSDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A crate was generated; with `--compile`, whether it builds with and without serde.
    Generated { types: usize, operations: usize, left_out: usize, compiled: Option<Result<(), String>> },
    /// Reading or generating stopped, with the reason (file:line:column and construct).
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub file: String,
    pub outcome: Outcome,
}

/// The entry files of the corpus at `root`, in manifest order.
pub fn entries(root: &Path) -> Result<Vec<String>, String> {
    let manifest = root.join("MANIFEST.tsv");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let (file, role) = (columns.next()?, columns.next()?);
            (role == "entry").then(|| file.to_owned())
        })
        .collect())
}

/// A resolver that reads the corpus's URL map, so remote imports come from local copies.
pub fn resolver(root: &Path) -> DefaultResolver {
    let mut resolver = DefaultResolver::new();
    let map = fs::read_to_string(root.join("_external/URLMAP.tsv")).unwrap_or_default();
    for line in map.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        if let Some((url, local)) = line.split_once('\t') {
            resolver = resolver.map_url(url.trim(), root.join(local.trim()));
        }
    }
    resolver
}

/// Runs every entry; with `compile`, each generated crate is written under `work` and checked.
pub fn run(root: &Path, compile: Option<&Path>) -> Result<Vec<Line>, String> {
    let resolver = resolver(root);
    let mut lines = Vec::new();
    for file in entries(root)? {
        let outcome = generate_one(&root.join(&file), &resolver, compile, &file);
        lines.push(Line { file, outcome });
    }
    Ok(lines)
}

fn generate_one(path: &Path, resolver: &DefaultResolver, compile: Option<&Path>, file: &str) -> Outcome {
    let wsdl = match mktows_wsdl::load_wsdl(&Source::Path(path.to_path_buf()), resolver) {
        Ok(wsdl) => wsdl,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let files = match mktows_codegen::generate_with(&wsdl, &Options::default()) {
        Ok(files) => files,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let types = wsdl.schema.simple_types.len() + wsdl.schema.complex_types.len();
    let binding = wsdl.default_binding(&mktows_wsdl::Protocol::Soap11).map(|c| c.binding);
    let lines = mktows_codegen::left_out(&wsdl, &Options::default()).unwrap_or_default();
    let left_out = lines.iter().filter(|line| line.starts_with("operation ")).count();
    let operations = binding.map_or(0, |b| b.operations.len() + b.unusable.len()) - left_out;
    let compiled = compile.map(|work| check_crate(work, file, &files));
    Outcome::Generated { types, operations, left_out, compiled }
}

/// Writes the crate and runs `cargo check` on it with and without the serde feature.
fn check_crate(work: &Path, file: &str, files: &[mktows_codegen::GeneratedFile]) -> Result<(), String> {
    let name = file.trim_end_matches(".wsdl").replace(['/', '.', '-'], "_");
    let dir = work.join(&name);
    let request = crate::generate::Request {
        source: Source::Path(PathBuf::from(file)),
        out: dir.clone(),
        crate_name: format!("corpus_{name}"),
        options: Options::default(),
    };
    crate::generate::write_crate(&request, files)?;
    cargo_check(&dir, &work.join("target"))
}

/// `cargo check` of the crate at `dir` with and without its serde feature, with the
/// workspace's dependency versions; an error or a warning is a failure naming the first.
pub fn cargo_check(dir: &Path, target: &Path) -> Result<(), String> {
    fs::copy(crate::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for features in [&[][..], &["--features", "serde"]] {
        let output = Command::new(&cargo)
            .args(["check", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .args(features)
            .env("CARGO_TARGET_DIR", target)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !output.status.success() || !output.stderr.is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| l.starts_with("error") || l.starts_with("warning")).unwrap_or("");
            return Err(format!("cargo check {features:?}: {first}"));
        }
    }
    Ok(())
}

/// One line per file and the totals, as the command prints them.
pub fn report(lines: &[Line]) -> String {
    let mut out = String::new();
    let (mut generated, mut compiled, mut whole, mut empty) = (0, 0, 0, 0);
    for line in lines {
        let text = match &line.outcome {
            Outcome::Generated { types, operations, left_out, compiled: check } => {
                generated += 1;
                match (operations, left_out) {
                    (0, _) => empty += 1,
                    (_, 0) => whole += 1,
                    _ => {}
                }
                let check = match check {
                    None => String::new(),
                    Some(Ok(())) => {
                        compiled += 1;
                        ", compiles with and without serde".to_owned()
                    }
                    Some(Err(e)) => format!(", does not compile: {e}"),
                };
                let left_out = match left_out {
                    0 => String::new(),
                    n => format!(", {n} operations left out"),
                };
                format!("generated ({types} types, {operations} operations{left_out}){check}")
            }
            Outcome::Refused(reason) => format!("refused: {reason}"),
        };
        out.push_str(&format!("{:<45} {text}\n", line.file));
    }
    out.push_str(&format!(
        "total: {generated} of {} generated: {whole} with every operation, {} with some left out, {empty} with none",
        lines.len(),
        generated - whole - empty
    ));
    if lines.iter().any(|l| matches!(l.outcome, Outcome::Generated { compiled: Some(_), .. })) {
        out.push_str(&format!(", {compiled} compiled"));
    }
    out.push('\n');
    out
}
