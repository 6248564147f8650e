//! The wire figures: the 300-lead `syncMultipleLeads` request written and the 300-status
//! response read, each beside its floors (a bare quick-xml writer and scan, a copy of the
//! bytes) and the serde + quick-xml alternative. A figure and the floors it is divided by
//! are measured in turn, one run of each per round, so that their ratios hold on a machine
//! whose speed changes during the run.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mktows::runtime::transport::HttpResponse;
use mktows::*;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

use crate::{serde_baseline, throughput};

const LEADS: usize = 300;
const ATTRIBUTES: usize = 4;

/// Writes the signed 300-lead request, as `Client::sync_multiple_leads` does, signed at a
/// fixed time so that every run writes the same bytes (the signing is timed).
pub struct Request {
    credentials: Credentials,
    client: Client,
    timestamp: Timestamp,
}

impl Request {
    pub fn new() -> Self {
        let credentials = Credentials::new("bench_user", "bench_secret");
        let client = Client::new("http://127.0.0.1:9/soap/mktows/2_2", credentials.clone()).unwrap();
        let timestamp = Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap();
        Self { credentials, client, timestamp }
    }

    pub fn encode(&self, params: &ParamsSyncMultipleLeads) -> Vec<u8> {
        let signed = self.credentials.sign(&self.timestamp);
        self.client.soap().encode_with::<operations::SyncMultipleLeads>(params, &[], Some(&signed))
    }
}

pub fn serialize(report: fn(&str, f64, &str)) {
    let writer = Request::new();
    let params = three_hundred_leads();
    let request = writer.encode(&params);
    assert!(quick_xml_write(&params).len() > request.len() / 2);
    let serde_envelope = serde_baseline::envelope(&params);
    assert!(serde_baseline::write(&serde_envelope).contains("<attrName>Phone</attrName>"));
    let [serialize, copy, quick_xml] = medians(
        2000,
        [
            &mut || drop(black_box(writer.encode(black_box(&params)))),
            // The floor of floors: copying the request's bytes into a new buffer.
            &mut || {
                let mut copied = Vec::with_capacity(request.len());
                copied.extend_from_slice(black_box(&request));
                black_box(copied);
            },
            &mut || drop(black_box(quick_xml_write(black_box(&params)))),
        ],
    );
    report("serialize_300_leads_us", micros(serialize), "us");
    report("serialize_300_leads_mb_s", throughput(request.len(), serialize), "MB/s");
    report("serialize_300_leads_bytes", request.len() as f64, "bytes");
    report("memcpy_300_leads_us", micros(copy), "us");
    report("serialize_vs_memcpy_ratio", ratio(serialize, copy), "x");
    report("quickxml_write_300_leads_us", micros(quick_xml), "us");
    report("serialize_vs_quickxml_ratio", ratio(serialize, quick_xml), "x");

    let [serialize, serde] = medians(
        300,
        [&mut || drop(black_box(writer.encode(black_box(&params)))), &mut || {
            drop(black_box(serde_baseline::write(black_box(&serde_envelope))))
        }],
    );
    report("serde_quickxml_write_300_leads_us", micros(serde), "us");
    report("serialize_vs_serde_quickxml_ratio", ratio(serialize, serde), "x");

    // The cost per lead of a 30,000-lead envelope (14 MB) against the 300-lead one's: flat
    // is 1.0; a buffer grown by doubling copies the output again and again.
    let many = leads(100 * LEADS);
    let [small, large] = medians(
        40,
        [&mut || drop(black_box(writer.encode(black_box(&params)))), &mut || {
            drop(black_box(writer.encode(black_box(&many))))
        }],
    );
    let per_lead = |time: Duration, leads: usize| time.as_secs_f64() * 1e6 / leads as f64;
    report("serialize_30000_leads_us_per_lead", per_lead(large, 100 * LEADS), "us");
    let growth = per_lead(large, 100 * LEADS) / per_lead(small, LEADS);
    report("serialize_30000_vs_300_leads_per_lead_ratio", growth, "x (1 is flat)");
}

pub fn parse(report: fn(&str, f64, &str)) {
    let response = HttpResponse::new(200, three_hundred_statuses());
    let decoded = decode(&response);
    assert_eq!(decoded.result.sync_status_list.sync_status.len(), LEADS);
    let statuses = serde_baseline::read(&response.body);
    assert_eq!((statuses.len(), statuses[2].error.as_deref()), (LEADS, Some("Lead has no key")));
    assert_eq!((statuses[0].lead_id, statuses[0].status.as_str()), (1_090_000, "CREATED"));
    let [parse, scan] = medians(
        2000,
        [&mut || drop(black_box(decode(black_box(&response)))), &mut || {
            black_box(quick_xml_scan(black_box(&response.body)));
        }],
    );
    report("parse_300_statuses_us", micros(parse), "us");
    report("parse_300_statuses_mb_s", throughput(response.body.len(), parse), "MB/s");
    report("parse_300_statuses_bytes", response.body.len() as f64, "bytes");
    report("quickxml_scan_300_statuses_us", micros(scan), "us");
    report("parse_vs_quickxml_scan_ratio", ratio(parse, scan), "x");

    let [parse, serde] = medians(
        300,
        [&mut || drop(black_box(decode(black_box(&response)))), &mut || {
            drop(black_box(serde_baseline::read(black_box(&response.body))))
        }],
    );
    report("serde_quickxml_parse_300_statuses_us", micros(serde), "us");
    report("parse_vs_serde_quickxml_ratio", ratio(parse, serde), "x");
}

pub fn decode(response: &HttpResponse) -> SuccessSyncMultipleLeads {
    mktows::runtime::client::decode::<operations::SyncMultipleLeads>(response).unwrap()
}

fn micros(time: Duration) -> f64 {
    time.as_secs_f64() * 1e6
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// The median time of each of `fs`, over `rounds` rounds that run each once in turn, after
/// `rounds / 10` rounds untimed.
fn medians<const N: usize>(rounds: usize, mut fs: [&mut dyn FnMut(); N]) -> [Duration; N] {
    for _ in 0..rounds / 10 {
        fs.iter_mut().for_each(|f| f());
    }
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    for _ in 0..rounds {
        for (f, times) in fs.iter_mut().zip(samples.iter_mut()) {
            let start = Instant::now();
            f();
            times.push(start.elapsed());
        }
    }
    samples.map(|mut times| {
        times.sort();
        times[rounds / 2]
    })
}

pub fn three_hundred_leads() -> ParamsSyncMultipleLeads {
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
pub fn quick_xml_scan(bytes: &[u8]) -> usize {
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
pub fn three_hundred_statuses() -> Vec<u8> {
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
