//! `cargo xtask regenerate [--wsdl PATH|URL] [--check]` and `cargo xtask bench`.

use std::process::{Command, ExitCode};

use xtask::regenerate::{self, Source};

const USAGE: &str = "\
usage:
  cargo xtask regenerate [--wsdl PATH|URL] [--check]
      Regenerate generated/ from the WSDL (default ../shared/wsdl/mktows-2_2.wsdl).
      --check writes nothing and fails, naming the stale files, when generated/ is out of date.
  cargo xtask bench [--quick]
      Build in release mode and print benchmark figures, one `name value unit` per line.
      --quick skips the bulk-sync figures (which take over a minute).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") => regenerate_command(&args[1..]),
        Some("bench") => bench_command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn regenerate_command(args: &[String]) -> Result<(), String> {
    let mut source = Source::Path(xtask::default_wsdl());
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--wsdl" => source = Source::parse(args.next().ok_or("--wsdl needs a path or URL")?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let files = regenerate::generate(&source)?;
    let crate_dir = xtask::workspace_root().join("generated");
    if check {
        let stale = regenerate::stale_files(&files, &crate_dir);
        if stale.is_empty() {
            println!("generated/ is up to date with {}", source.display_name());
            return Ok(());
        }
        let list: Vec<String> = stale.iter().map(|s| format!("  {s}")).collect();
        return Err(format!("generated/ is stale; run `cargo xtask regenerate`:\n{}", list.join("\n")));
    }
    let touched = regenerate::write(&files, &crate_dir)?;
    if touched.is_empty() {
        println!("generated/ was already up to date with {}", source.display_name());
    }
    for path in touched {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn bench_command(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let root = xtask::workspace_root();
    // The bulk-sync figures run the real `mktows` binary, so it is built in release mode too.
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "mktows-cli", "--package", "mktows-bench"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err(format!("the release build failed ({built})"));
    }
    let status = Command::new(root.join("target/release/mktows-bench"))
        .env("MKTOWS_BIN", root.join("target/release/mktows"))
        .args(args)
        .status()
        .map_err(|e| format!("cannot run the benchmark: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("the benchmark failed ({status})"))
}
