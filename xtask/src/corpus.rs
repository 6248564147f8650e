//! `cargo xtask corpus [--compile] [--only FILE,FILE] [DIR]`: the generator on a corpus of
//! real WSDLs, one line per file (generated, or refused with the construct and where; with
//! `--compile`, whether the crate compiles and how many operations round-trip their sample
//! request and response), and a total.
//!
//! A corpus folder holds `MANIFEST.tsv` (`file role repo path commit size notes`, files
//! relative to the folder and possibly in subfolders; the rows whose role is `entry` are
//! run; a column named `zeep`, if there is one, says whether Python's zeep loads the file)
//! and optionally `_external/URLMAP.tsv` (`url local-file`, relative to the corpus folder),
//! which maps remote and namespace-only imports to local copies so the run needs no network.

use std::fs;
use std::path::{Path, PathBuf};

use mktows_codegen::{OperationSample, Options};
use mktows_wsdl::{DefaultResolver, Source};

mod check;
mod manifest;
mod report;

pub use check::{cargo_check, test_results, Check, RoundTrips};
pub use manifest::{entries, Entry};
pub use report::report;

/// What the generator made of one entry WSDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A crate was generated; with `--compile`, whether it builds and round-trips.
    /// `left_out` operations use a construct the generator refuses; `undefined` ones name a
    /// message, element or type the WSDL never defines (no client can call them: zeep drops
    /// them too).
    Generated { types: usize, operations: usize, left_out: usize, undefined: usize, compiled: Option<Check> },
    /// Reading or generating stopped, with the reason (file:line:column and construct).
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub file: String,
    pub outcome: Outcome,
    /// Whether zeep loads the file, when the manifest says.
    pub zeep: Option<bool>,
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

/// Runs every entry (or those named in `only`); with `compile`, each generated crate is
/// written under `compile/crates`, built in the shared target folder `compile/target`, and
/// its sample round trips are run.
pub fn run(root: &Path, compile: Option<&Path>, only: Option<&[String]>) -> Result<Vec<Line>, String> {
    let resolver = resolver(root);
    let mut entries = entries(root)?;
    if let Some(only) = only {
        if let Some(missing) = only.iter().find(|wanted| !entries.iter().any(|e| &e.file == *wanted)) {
            return Err(format!("`{missing}` is not an entry of {}", root.join("MANIFEST.tsv").display()));
        }
        entries.retain(|entry| only.contains(&entry.file));
    }
    let mut lines = Vec::new();
    for Entry { file, zeep } in entries {
        let outcome = generate_one(&root.join(&file), &resolver, compile, &file);
        lines.push(Line { file, outcome, zeep });
    }
    Ok(lines)
}

fn generate_one(path: &Path, resolver: &DefaultResolver, compile: Option<&Path>, file: &str) -> Outcome {
    let wsdl = match mktows_wsdl::load_wsdl(&Source::Path(path.to_path_buf()), resolver) {
        Ok(wsdl) => wsdl,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let (files, lines) = match mktows_codegen::generate_with_report(&wsdl, &Options::default()) {
        Ok(generated) => (generated.files, generated.left_out),
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let types = wsdl.schema.simple_types.len() + wsdl.schema.complex_types.len();
    // The binding the crate speaks (SOAP 1.1, else 1.2), not always the 1.1 one.
    let binding = mktows_codegen::chosen_binding(&wsdl, &Options::default()).ok();
    let operations_left_out: Vec<&String> = lines.iter().filter(|line| line.starts_with("operation ")).collect();
    let undefined = operations_left_out.iter().filter(|line| names_the_undefined(line)).count();
    let left_out = operations_left_out.len() - undefined;
    let all = binding.map_or(0, |b| b.operations.len() + b.unusable.len());
    let operations = all.saturating_sub(operations_left_out.len());
    let compiled = compile.map(|work| match mktows_codegen::operation_samples(&wsdl, &Options::default()) {
        Ok(samples) => build_and_test(work, file, &files, &samples),
        Err(e) => Check::DoesNotCompile(format!("no samples: {e}")),
    });
    Outcome::Generated { types, operations, left_out, undefined, compiled }
}

/// Whether a left-out line's reason is a reference to something the WSDL does not define
/// (the reader's `unknown message `X``, `unknown element `X``, ...), not a refused construct.
fn names_the_undefined(line: &str) -> bool {
    line.split(": unknown ").nth(1).is_some_and(|rest| {
        rest.split_once(' ')
            .is_some_and(|(kind, name)| kind.bytes().all(|b| b.is_ascii_lowercase()) && name.starts_with('`'))
    })
}

/// Writes the crate with its samples, then checks and tests it.
fn build_and_test(
    work: &Path,
    file: &str,
    files: &[mktows_codegen::GeneratedFile],
    samples: &[OperationSample],
) -> Check {
    let name = crate_folder(file);
    // Building takes minutes over a corpus; say what is under way.
    eprintln!("corpus: building and testing {file} ({} operations)", samples.len());
    let dir = work.join("crates").join(&name);
    let crate_name = format!("corpus_{name}");
    let request = crate::generate::Request {
        source: Source::Path(PathBuf::from(file)),
        out: dir.clone(),
        crate_name: crate_name.clone(),
        options: Options::default(),
        samples: true,
    };
    if let Err(e) = crate::generate::write_crate(&request, files, samples) {
        return Check::DoesNotCompile(e);
    }
    let mut left_out: Vec<String> = samples.iter().flat_map(|s| s.left_out.iter().cloned()).collect();
    left_out.sort();
    left_out.dedup();
    let target = work.join("target");
    let check = check::check_and_test(&dir, &target, samples.len(), left_out);
    check::clean(&dir, &target, &crate_name);
    check
}

/// The folder (and crate name suffix) of an entry: its path with separators and dots as `_`.
pub fn crate_folder(file: &str) -> String {
    // A crate name is snake case: `cargo check` warns otherwise.
    let name = file.trim_end_matches(".wsdl").replace(['/', '\\', '.', '-', ' '], "_").to_lowercase();
    name.split('_').filter(|word| !word.is_empty()).collect::<Vec<_>>().join("_")
}

#[cfg(test)]
mod tests {
    #[test]
    fn crate_folders_are_snake_case_names() {
        let name = super::crate_folder("JeremyDunn_php-fedex/src/FedEx/_wsdl/TrackService_v20.wsdl");
        assert_eq!(name, "jeremydunn_php_fedex_src_fedex_wsdl_trackservice_v20");
    }

    #[test]
    fn operations_naming_what_the_wsdl_does_not_define_are_told_from_refused_constructs() {
        // As `cargo xtask generate` reports savon's amazon, geotrust and data_exchange fixtures.
        for undefined in [
            "operation `GetRecipientVerificationStatus`: amazon.wsdl:1410:13: unknown element `GetRecipientVerificationStatus`",
            "operation `GetQuickApproverList`: geotrust.wsdl:121:7: unknown message `GetQuickApproverList`",
            "operation `submit`: data_exchange.wsdl:21:5: unknown type `{}YFUDataExchange`",
        ] {
            assert!(super::names_the_undefined(undefined), "{undefined}");
        }
        for refused in [
            "operation `x`: a.wsdl:1:2: unsupported: a SOAP-encoded array of `xs:int[,]` in complexType `M`",
            "operation `y`: a.wsdl:1:2: unsupported: an extension of the mixed-content type `unknown` in complexType `T`",
        ] {
            assert!(!super::names_the_undefined(refused), "{refused}");
        }
    }
}
