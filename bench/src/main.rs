//! Benchmarks printed as `name value unit`, one per line (run with `cargo xtask bench`).
//!
//! Each figure is the median of many timed runs after a warm-up. The quick-xml baselines
//! write and scan the same bytes with quick-xml alone and no typed model, as a floor for
//! what the generated code could reach.

mod bulk;
mod generation;

use std::hint::black_box;
use std::time::{Duration, Instant};

use mktows::runtime::transport::HttpResponse;
use mktows::*;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

const LEADS: usize = 300;
const ATTRIBUTES: usize = 4;

fn main() {
    machine_to_stderr();
    // `--profile-parse N` decodes the 300-status response N times, `--profile-serialize N`
    // encodes the 300-lead request N times, and print nothing else: for running under a profiler.
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, count] = args.as_slice() {
        if flag == "--profile-parse" {
            let response = HttpResponse { status: 200, body: three_hundred_statuses() };
            for _ in 0..count.parse::<usize>().expect("a count") {
                black_box(
                    mktows::runtime::client::decode::<operations::SyncMultipleLeads>(black_box(&response)).unwrap(),
                );
            }
            return;
        }
        if flag == "--profile-serialize" {
            let credentials = Credentials::new("bench_user", "bench_secret");
            let client = Client::new("http://127.0.0.1:9/soap/mktows/2_2", credentials.clone()).unwrap();
            let timestamp = Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap();
            let params = three_hundred_leads();
            for _ in 0..count.parse::<usize>().expect("a count") {
                let signed = credentials.sign(&timestamp);
                black_box(client.soap().encode_with::<operations::SyncMultipleLeads>(
                    black_box(&params),
                    &[],
                    Some(&signed),
                ));
            }
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

    let credentials = Credentials::new("bench_user", "bench_secret");
    let client = Client::new("http://127.0.0.1:9/soap/mktows/2_2", credentials.clone()).unwrap();
    let timestamp = Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap();
    let params = three_hundred_leads();
    // Signed at a fixed time, so that every run writes the same bytes; the signing is timed.
    let encode = |params: &ParamsSyncMultipleLeads| {
        let signed = credentials.sign(&timestamp);
        client.soap().encode_with::<operations::SyncMultipleLeads>(params, &[], Some(&signed))
    };
    let request = encode(&params);
    let serialize = median(2000, || {
        black_box(encode(black_box(&params)));
    });
    report("serialize_300_leads_us", serialize.as_secs_f64() * 1e6, "us");
    report("serialize_300_leads_mb_s", throughput(request.len(), serialize), "MB/s");
    report("serialize_300_leads_bytes", request.len() as f64, "bytes");
    // The cost per lead of a 30,000-lead envelope (14 MB) against the 300-lead one's: flat
    // is 1.0; a buffer grown by doubling copies the output again and again.
    let many = leads(100 * LEADS);
    let serialize_many = median(40, || {
        black_box(encode(black_box(&many)));
    });
    let per_lead = |time: Duration, leads: usize| time.as_secs_f64() * 1e6 / leads as f64;
    report("serialize_30000_leads_us_per_lead", per_lead(serialize_many, 100 * LEADS), "us");
    let growth = per_lead(serialize_many, 100 * LEADS) / per_lead(serialize, LEADS);
    report("serialize_30000_vs_300_leads_per_lead_ratio", growth, "x (1 is flat)");

    let baseline_write = median(2000, || {
        black_box(quick_xml_write(black_box(&params)));
    });
    assert!(quick_xml_write(&params).len() > request.len() / 2);
    report("quickxml_write_300_leads_us", baseline_write.as_secs_f64() * 1e6, "us");
    report("serialize_vs_quickxml_ratio", serialize.as_secs_f64() / baseline_write.as_secs_f64(), "x");

    let response = HttpResponse { status: 200, body: three_hundred_statuses() };
    let decoded = mktows::runtime::client::decode::<operations::SyncMultipleLeads>(&response).unwrap();
    assert_eq!(decoded.result.sync_status_list.sync_status.len(), LEADS);
    let parse = median(2000, || {
        black_box(mktows::runtime::client::decode::<operations::SyncMultipleLeads>(black_box(&response)).unwrap());
    });
    report("parse_300_statuses_us", parse.as_secs_f64() * 1e6, "us");
    report("parse_300_statuses_mb_s", throughput(response.body.len(), parse), "MB/s");
    report("parse_300_statuses_bytes", response.body.len() as f64, "bytes");

    let baseline_scan = median(2000, || {
        black_box(quick_xml_scan(black_box(&response.body)));
    });
    report("quickxml_scan_300_statuses_us", baseline_scan.as_secs_f64() * 1e6, "us");
    report("parse_vs_quickxml_ratio", parse.as_secs_f64() / baseline_scan.as_secs_f64(), "x");

    match std::env::var_os("MKTOWS_BIN") {
        Some(_) if args.iter().any(|a| a == "--quick") => {}
        Some(mktows) => bulk::run(std::path::Path::new(&mktows), report),
        None => eprintln!("# MKTOWS_BIN not set: skipping the bulk-sync figures (run through `cargo xtask bench`)"),
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

fn three_hundred_leads() -> ParamsSyncMultipleLeads {
    leads(LEADS)
}

fn leads(count: usize) -> ParamsSyncMultipleLeads {
    let lead = |n: usize| LeadRecord {
        email: format!("lead{n}@example.com").into(),
        lead_attribute_list: ArrayOfAttribute {
            attribute: [
                ("FirstName", "Ada"),
                ("LastName", "Lovelace"),
                ("Company", "Analytical Engines & Co"),
                ("Phone", "650-555-1000"),
            ]
            .iter()
            .take(ATTRIBUTES)
            .map(|(name, value)| Attribute {
                attr_name: (*name).into(),
                attr_value: format!("{value} {n}"),
                ..Default::default()
            })
            .collect(),
        }
        .into(),
        ..Default::default()
    };
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord { lead_record: (0..count).map(lead).collect() },
        dedup_enabled: Nillable::Value(true),
    }
}

/// The same envelope written with quick-xml's own writer from the same values, with no
/// typed model or signing: the floor for serialization.
fn quick_xml_write(params: &ParamsSyncMultipleLeads) -> Vec<u8> {
    let mut w = quick_xml::Writer::new(Vec::with_capacity(64 * 1024));
    let start = |name: &str| Event::Start(BytesStart::new(name.to_owned()));
    let end = |name: &str| Event::End(BytesEnd::new(name.to_owned()));
    let text = |w: &mut quick_xml::Writer<Vec<u8>>, name: &str, value: &str| {
        w.write_event(start(name)).unwrap();
        w.write_event(Event::Text(BytesText::new(value))).unwrap();
        w.write_event(end(name)).unwrap();
    };
    let mut envelope = BytesStart::new("SOAP-ENV:Envelope");
    envelope.push_attribute(("xmlns:SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/"));
    envelope.push_attribute(("xmlns:ns1", "http://www.marketo.com/mktows/"));
    w.write_event(Event::Start(envelope)).unwrap();
    w.write_event(start("SOAP-ENV:Header")).unwrap();
    w.write_event(start("ns1:AuthenticationHeader")).unwrap();
    text(&mut w, "mktowsUserId", "bench_user");
    text(&mut w, "requestSignature", "b5e21953ae9f1b263e644da5eccce9ff33802513");
    text(&mut w, "requestTimestamp", "2013-08-01T18:22:30-07:00");
    w.write_event(end("ns1:AuthenticationHeader")).unwrap();
    w.write_event(end("SOAP-ENV:Header")).unwrap();
    w.write_event(start("SOAP-ENV:Body")).unwrap();
    w.write_event(start("ns1:paramsSyncMultipleLeads")).unwrap();
    w.write_event(start("leadRecordList")).unwrap();
    for lead in &params.lead_record_list.lead_record {
        w.write_event(start("leadRecord")).unwrap();
        text(&mut w, "Email", lead.email.value().unwrap());
        w.write_event(start("leadAttributeList")).unwrap();
        for attribute in &lead.lead_attribute_list.value().unwrap().attribute {
            w.write_event(start("attribute")).unwrap();
            text(&mut w, "attrName", &attribute.attr_name);
            text(&mut w, "attrValue", &attribute.attr_value);
            w.write_event(end("attribute")).unwrap();
        }
        w.write_event(end("leadAttributeList")).unwrap();
        w.write_event(end("leadRecord")).unwrap();
    }
    w.write_event(end("leadRecordList")).unwrap();
    text(&mut w, "dedupEnabled", "true");
    w.write_event(end("ns1:paramsSyncMultipleLeads")).unwrap();
    w.write_event(end("SOAP-ENV:Body")).unwrap();
    w.write_event(end("SOAP-ENV:Envelope")).unwrap();
    w.into_inner()
}

/// Reads every event of the document with quick-xml and nothing else: the floor for parsing.
fn quick_xml_scan(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => return events,
            _ => events += 1,
        }
    }
}

/// Marketo's `successSyncMultipleLeads` example, indented as Marketo sends it, with its
/// `syncStatus` repeated for 300 leads.
fn three_hundred_statuses() -> Vec<u8> {
    let mut statuses = String::new();
    for n in 0..LEADS {
        let status = ["CREATED", "UPDATED", "FAILED"][n % 3];
        let error = if status == "FAILED" {
            "<error>Lead has no key</error>".to_owned()
        } else {
            r#"<error xsi:nil="true" />"#.to_owned()
        };
        statuses.push_str(&format!(
            "          <syncStatus>\n            <leadId>{}</leadId>\n            <status>{status}</status>\n            {error}\n          </syncStatus>\n",
            1_090_000 + n
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncMultipleLeads>
      <result>
        <syncStatusList>
{statuses}        </syncStatusList>
      </result>
    </ns1:successSyncMultipleLeads>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"#
    )
    .into_bytes()
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
