//! Benchmarks printed as `name value unit`, one per line (run with `cargo xtask bench`).
//!
//! Each figure is the median of many timed runs after a warm-up. Wire figures come with
//! floors measured in the same rounds (see `wire`): quick-xml alone writing and scanning the
//! same bytes with no typed model, and a plain copy.

mod bulk;
mod generation;
mod serde_baseline;
mod wire;

use std::hint::black_box;
use std::time::{Duration, Instant};

use mktows::runtime::transport::HttpResponse;

fn main() {
    machine_to_stderr();
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, count] = args.as_slice() {
        if let Some(profile) = profile(flag) {
            (0..count.parse::<usize>().expect("a count")).for_each(|_| profile());
            return;
        }
    }

    let wsdl_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wsdl/mktows-2_2.wsdl");
    let wsdl_text = std::fs::read_to_string(wsdl_path).expect("../shared/wsdl/mktows-2_2.wsdl");
    let regenerate = median(30, || {
        let wsdl = mktows_wsdl::parse(&wsdl_text, "mktows-2_2.wsdl").unwrap();
        black_box(mktows_codegen::generate(&wsdl).unwrap());
    });
    report("regenerate_ms", regenerate.as_secs_f64() * 1e3, "ms");
    generation::run(report);

    wire::serialize(report);
    wire::parse(report);

    match std::env::var_os("MKTOWS_BIN") {
        Some(_) if args.iter().any(|a| a == "--quick") => {}
        Some(mktows) => bulk::run(std::path::Path::new(&mktows), report),
        None => eprintln!("# MKTOWS_BIN not set: skipping the bulk-sync figures (run through `cargo xtask bench`)"),
    }
}

/// `--profile-parse N` decodes the 300-status response N times, `--profile-serialize N`
/// encodes the 300-lead request N times, `--profile-scan N` scans the response with bare
/// quick-xml N times, and nothing is printed: for running under a profiler (or valgrind,
/// whose instruction counts stay the same on a busy machine).
fn profile(flag: &str) -> Option<Box<dyn Fn()>> {
    let response = HttpResponse::new(200, wire::three_hundred_statuses());
    match flag {
        "--profile-parse" => Some(Box::new(move || drop(black_box(wire::decode(black_box(&response)))))),
        "--profile-scan" => Some(Box::new(move || {
            black_box(wire::quick_xml_scan(black_box(&response.body)));
        })),
        "--profile-serialize" => {
            let (writer, params) = (wire::Request::new(), wire::three_hundred_leads());
            Some(Box::new(move || drop(black_box(writer.encode(black_box(&params))))))
        }
        _ => None,
    }
}

fn report(name: &str, value: f64, unit: &str) {
    println!("{name} {value:.3} {unit}");
}

fn throughput(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e6
}

/// The median of `runs` timed calls, after `runs / 10` untimed ones.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..runs / 10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[runs / 2]
}

fn machine_to_stderr() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    eprintln!("# machine: {cpu}, {cores} cores");
}
