//! Loading a WSDL with the documents it imports: fixture trees under tests/fixtures/resolve, a
//! local HTTP server (feature `http`), and the real-world corpus in ../shared/wsdl-corpus.

use std::path::{Path, PathBuf};

use mktows_wsdl::{load, DefaultResolver, DocumentKind, DocumentSet, Error, Location, Resolver, Source};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resolve").join(relative)
}

fn load_fixture(relative: &str) -> Result<DocumentSet, Error> {
    load(&Source::Path(fixture(relative)), &DefaultResolver::new())
}

fn names(set: &DocumentSet) -> Vec<&str> {
    set.documents.iter().map(|d| d.name.as_str()).collect()
}

fn at(line: u32, column: u32) -> Location {
    Location { document: 0, line, column }
}

#[test]
fn follows_wsdl_and_schema_imports_through_subfolders_once_each() {
    let set = load_fixture("nested/service.wsdl").unwrap_or_else(|e| panic!("{e}"));
    // Depth-first in document order; the second spelling of messages.wsdl and base.xsd's include
    // back to types.xsd are not read again.
    let expected =
        ["service.wsdl", "wsdl/messages.wsdl", "xsd/types.xsd", "xsd/common/base.xsd", "xsd/common/redefined.xsd"];
    assert_eq!(names(&set), expected);
    let kinds: Vec<_> = set.documents.iter().map(|d| d.kind).collect();
    use DocumentKind::{Schema, Wsdl};
    assert_eq!(kinds, [Wsdl, Wsdl, Schema, Schema, Schema]);
    let from: Vec<_> = set.documents.iter().map(|d| d.imported_from.clone()).collect();
    assert_eq!(from[0], None);
    assert_eq!(from[1], Some(("service.wsdl".to_owned(), at(3, 3))));
    assert_eq!(from[2], Some(("wsdl/messages.wsdl".to_owned(), at(5, 7))));
    assert_eq!(from[3], Some(("xsd/types.xsd".to_owned(), at(3, 3))));
    assert_eq!(from[4], Some(("xsd/types.xsd".to_owned(), at(4, 3))));
    assert_eq!(set.documents[3].source, Source::Path(fixture("nested/xsd/common/base.xsd")));
    assert!(set.documents[2].text.contains("name=\"order\""));
}

#[test]
fn a_cycle_reads_each_document_once() {
    let set = load_fixture("cycle/a.xsd").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&set), ["a.xsd", "b.xsd"]);
    assert_eq!(set.documents[1].imported_from, Some(("a.xsd".to_owned(), at(2, 3))));
    // Each reference back to a document still being read is noted with where it stands; a
    // document including itself, too.
    assert_eq!(
        set.notes,
        [
            "b.xsd:2:3: `./a.xsd` (`a.xsd`) leads back to this document (an import cycle); read once",
            "b.xsd:3:3: `B/../b.xsd` (`b.xsd`) is this document itself; read once",
            "a.xsd:3:3: `a.xsd` is this document itself; read once",
        ]
    );
}

#[test]
fn a_wsdl_importing_itself_is_read_once_and_noted_in_the_model() {
    let wsdl = mktows_wsdl::load_wsdl(&Source::Path(fixture("cycle/self.wsdl")), &DefaultResolver::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wsdl.documents, ["self.wsdl"]);
    assert_eq!(wsdl.notes, ["self.wsdl:3:3: `self.wsdl` is this document itself; read once"]);
}

#[test]
fn nesting_past_the_depth_limit_is_an_error_in_the_document_where_it_is() {
    let dir = std::env::temp_dir().join(format!("mktows-depth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deep = |depth: usize| format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let schema = format!("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:annotation><xs:documentation>{}</xs:documentation></xs:annotation></xs:schema>", deep(100_000));
    std::fs::write(dir.join("deep.xsd"), schema).unwrap();
    let entry = "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <wsdl:import location=\"deep.xsd\"/>\n</wsdl:definitions>";
    std::fs::write(dir.join("entry.wsdl"), entry).unwrap();
    let error = load(&Source::Path(dir.join("entry.wsdl")), &DefaultResolver::new()).unwrap_err();
    let message = error.to_string();
    // The schema, the annotation and the documentation are three levels; the 126th <a> is the 129th.
    let column = 1 + "<xs:annotation><xs:documentation>".len() + 125 * "<a>".len();
    assert!(message.starts_with(&format!("deep.xsd:2:{column}: elements nest more than 128 deep")), "{message}");
    // Deep nesting at the root of the entry, too.
    std::fs::write(dir.join("root.wsdl"), deep(3000)).unwrap();
    let message = load(&Source::Path(dir.join("root.wsdl")), &DefaultResolver::new()).unwrap_err().to_string();
    assert!(message.starts_with("root.wsdl:1:385: elements nest more than 128 deep"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_import_names_the_importer_line_and_column() {
    let error = load_fixture("missing/service.wsdl").unwrap_err();
    assert_eq!(error.source_name.as_deref(), Some("service.wsdl"));
    assert_eq!(error.location, Some(at(5, 7)));
    let message = error.to_string();
    assert!(message.starts_with("service.wsdl:5:7: cannot read `sub/absent.xsd`: "), "{message}");
    assert!(message.contains("No such file"), "{message}");
}

#[test]
fn an_unreadable_entry_is_named() {
    let error = load_fixture("missing/nothing-here.wsdl").unwrap_err();
    assert_eq!((error.source_name.as_deref(), error.location), (Some("nothing-here.wsdl"), None));
    assert!(error.to_string().starts_with("nothing-here.wsdl: cannot be read: "), "{error}");
}

#[test]
fn malformed_imported_xml_is_located_in_that_document() {
    let error = load_fixture("malformed/service.wsdl").unwrap_err();
    assert_eq!(error.source_name.as_deref(), Some("broken.xsd"));
    assert!(matches!(error.kind, mktows_wsdl::ErrorKind::Xml(_)), "{error:?}");
    assert_eq!(error.location.map(|l| l.line), Some(3), "{error}");
}

#[test]
fn a_document_that_is_neither_wsdl_nor_schema_is_named_with_its_root() {
    let error = load_fixture("badroot/service.wsdl").unwrap_err();
    assert_eq!((error.source_name.as_deref(), error.location), (Some("page.html"), Some(at(2, 1))));
    assert!(error.to_string().contains("the root element is <html> in no namespace"), "{error}");
}

#[test]
fn mapped_urls_are_read_from_local_files_and_stay_urls() {
    let resolver = DefaultResolver::new()
        .map_url("http://schemas.xmlsoap.org/soap/encoding/", fixture("mapped/local/soapenc.xsd"))
        .map_url("http://example.com/schemas/", fixture("mapped/local"));
    let set = load(&Source::Path(fixture("mapped/service.wsdl")), &resolver).unwrap_or_else(|e| panic!("{e}"));
    let expected = [
        "service.wsdl",
        "http://schemas.xmlsoap.org/soap/encoding/",
        // As written, `:80` and all; the relative include under it is resolved as a URL.
        "http://example.com:80/schemas/types.xsd",
        "http://example.com/schemas/more/more.xsd",
    ];
    assert_eq!(names(&set), expected);
    assert_eq!(set.documents[3].source, Source::Url(expected[3].to_owned()));
    assert!(set.documents[3].text.contains("name=\"more\""));
    assert_eq!(resolver.mapped("http://EXAMPLE.com/schemas/a/../x.xsd#f"), Some(fixture("mapped/local/x.xsd")));
    assert_eq!(resolver.mapped("http://example.com/schemas/%2E%2E%2Fsecret"), None);
    assert_eq!(resolver.mapped("http://example.com/other.xsd"), None);
}

#[test]
fn a_document_named_by_its_path_and_by_a_url_mapped_to_it_is_read_once() {
    let resolver = DefaultResolver::new()
        .map_url("http://wcf.example/Service.svc?wsdl", fixture("wcf/service.wsdl"))
        .map_url("http://wcf.example/Service.svc?wsdl=wsdl0", fixture("wcf/service_0.wsdl"));
    let set = load(&Source::Path(fixture("wcf/service.wsdl")), &resolver).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&set), ["service.wsdl", "http://wcf.example/Service.svc?wsdl=wsdl0"]);
}

#[test]
fn bom_utf16_and_latin1_documents_are_decoded() {
    let set = load_fixture("encoding/service.wsdl").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&set), ["service.wsdl", "utf16le.xsd", "utf16be.xsd", "latin1.xsd"]);
    assert!(set.documents[0].text.starts_with("<?xml"), "the BOM is dropped");
    assert!(set.documents[0].text.contains("urn:café"));
    for document in &set.documents[1..] {
        assert!(document.text.contains("Grüße été"), "{}: {}", document.name, document.text);
    }
}

#[cfg(not(feature = "http"))]
#[test]
fn an_unmapped_url_without_the_http_feature_says_to_enable_it() {
    let resolver = DefaultResolver::new()
        .map_url("http://schemas.xmlsoap.org/soap/encoding/", fixture("mapped/local/soapenc.xsd"));
    let error = load(&Source::Path(fixture("mapped/service.wsdl")), &resolver).unwrap_err();
    assert_eq!((error.source_name.as_deref(), error.location), (Some("service.wsdl"), Some(at(5, 7))));
    assert!(error.to_string().contains("`http` feature"), "{error}");
}

/// Serves `http://gen/N.xsd` as a schema importing `N+1.xsd`, without end.
struct EndlessChain;

impl Resolver for EndlessChain {
    fn fetch(&self, source: &Source) -> Result<String, String> {
        let Source::Url(url) = source else { return Err("not a URL".to_owned()) };
        let n: u64 = url.trim_start_matches("http://gen/").trim_end_matches(".xsd").parse().map_err(|_| url.clone())?;
        let xsd = "http://www.w3.org/2001/XMLSchema";
        Ok(format!("<xs:schema xmlns:xs='{xsd}'>\n<xs:include schemaLocation='{}.xsd'/></xs:schema>", n + 1))
    }
}

#[test]
fn an_endless_import_chain_stops_at_the_document_bound() {
    let error = load(&Source::parse("http://gen/0.xsd"), &EndlessChain).unwrap_err();
    let limit = mktows_wsdl::MAX_DOCUMENTS;
    assert_eq!(error.source_name, Some(format!("http://gen/{}.xsd", limit - 1)));
    assert_eq!(error.location, Some(at(2, 1)));
    assert!(error.to_string().contains(&format!("more than {limit} documents")), "{error}");
}

#[cfg(feature = "http")]
mod http {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// Answers `requests` requests on 127.0.0.1 from `files` (path -> body), 404 otherwise.
    fn serve(files: Vec<(&'static str, &'static str)>, requests: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(requests) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = request_line.split(' ').nth(1).unwrap_or_default();
                let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                    Some((_, body)) => ("200 OK", *body),
                    None => ("404 Not Found", ""),
                };
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes()));
            }
        });
        base
    }

    const WSDL: &str = "<wsdl:definitions xmlns:wsdl='http://schemas.xmlsoap.org/wsdl/'>\n  <wsdl:types>\n    \
        <xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n      \
        <xs:import namespace='urn:t' schemaLocation='types/t.xsd'/>\n    </xs:schema>\n  </wsdl:types>\n\
        </wsdl:definitions>";
    const XSD: &str = "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n  \
        <xs:include schemaLocation='../gone.xsd'/>\n</xs:schema>";

    #[test]
    fn a_url_document_imports_a_relative_url_on_the_same_server() {
        let base = serve(vec![("/svc/service.wsdl", WSDL), ("/svc/types/t.xsd", XSD)], 3);
        let entry = Source::parse(&format!("{base}/svc/service.wsdl"));
        let error = load(&entry, &DefaultResolver::new()).unwrap_err();
        // service.wsdl and types/t.xsd were fetched; the 404 for gone.xsd is located in t.xsd.
        assert_eq!(error.source_name, Some(format!("{base}/svc/types/t.xsd")));
        assert_eq!(error.location, Some(at(2, 3)));
        let message = error.to_string();
        assert!(message.contains(&format!("cannot read `../gone.xsd` (`{base}/svc/gone.xsd`)")), "{message}");
        assert!(message.contains("404"), "{message}");
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        // Connections complete in the listen backlog, but nobody reads or answers them.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let entry = Source::parse(&format!("http://{}/service.wsdl", listener.local_addr().unwrap()));
        let resolver = DefaultResolver::new().timeout(std::time::Duration::from_millis(300));
        let started = std::time::Instant::now();
        let error = load(&entry, &resolver).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{error}");
        assert!(error.to_string().contains("timeout"), "{error}");
        drop(listener);
    }

    #[test]
    fn a_url_document_and_its_import_load() {
        let xsd = "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>";
        let base = serve(vec![("/svc/service.wsdl", WSDL), ("/svc/types/t.xsd", xsd)], 2);
        // The fragment is not sent: the server knows only the path.
        let entry = format!("{base}/svc/service.wsdl#top");
        let set = load(&Source::parse(&entry), &DefaultResolver::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names(&set), [entry.clone(), format!("{base}/svc/types/t.xsd")]);
        assert_eq!(set.documents[1].kind, DocumentKind::Schema);
        assert_eq!(set.documents[1].imported_from, Some((entry, at(4, 7))));
    }
}

mod corpus {
    use super::*;

    fn corpus_root() -> Option<PathBuf> {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wsdl-corpus"));
        root.is_dir().then_some(root)
    }

    /// `_external/URLMAP.tsv`: `#` comments, then `url<TAB>file relative to the corpus root`.
    fn resolver(root: &Path) -> DefaultResolver {
        let map = std::fs::read_to_string(root.join("_external/URLMAP.tsv")).expect("URLMAP.tsv");
        let lines = map.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty());
        lines.fold(DefaultResolver::new(), |resolver, line| {
            let (url, file) = line.split_once('\t').expect("url<TAB>file");
            resolver.map_url(url, root.join(file.trim()))
        })
    }

    fn wsdl_files(folder: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                wsdl_files(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "wsdl") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_corpus_wsdl_loads_or_names_a_file_and_line() {
        let Some(root) = corpus_root() else {
            println!("note: ../shared/wsdl-corpus is absent; corpus loading not checked");
            return;
        };
        let resolver = resolver(&root);
        let mut files = Vec::new();
        wsdl_files(&root, &mut files);
        assert_eq!(files.len(), 26, "the MANIFEST's 26 entries");
        for path in &files {
            let relative = path.strip_prefix(&root).unwrap().display().to_string();
            match load(&Source::Path(path.clone()), &resolver) {
                Ok(set) => println!("{relative}\t{} documents", set.documents.len()),
                Err(error) => {
                    println!("{relative}\terror: {error}");
                    assert!(error.source_name.is_some() && error.location.is_some(), "{relative}: {error}");
                }
            }
        }
    }

    #[test]
    fn team_software_loads_its_four_remote_schemas_depth_first() {
        let Some(root) = corpus_root() else { return println!("note: ../shared/wsdl-corpus is absent") };
        let entry = Source::Path(root.join("savon/team_software/team_software.wsdl"));
        let set = load(&entry, &resolver(&root)).unwrap_or_else(|e| panic!("{e}"));
        let url = |n: u32| format!("https://winteamservicestest.myteamsoftware.com/Services.svc?xsd=xsd{n}");
        // xsd0 imports xsd2 and xsd3 (and xsd2 imports xsd3) before the WSDL's own import of xsd1.
        let expected = ["team_software.wsdl".to_owned(), url(0), url(2), url(3), url(1)];
        assert_eq!(names(&set), expected);
        assert!(set.documents[4].text.contains("http://schemas.microsoft.com/2003/10/Serialization/"));
    }

    #[test]
    fn wasmuth_maps_its_port_80_urls_and_juniper_names_its_missing_import() {
        let Some(root) = corpus_root() else { return println!("note: ../shared/wsdl-corpus is absent") };
        let set = load(&Source::Path(root.join("savon/wasmuth/wasmuth.wsdl")), &resolver(&root)).unwrap();
        let url = |n: u32| format!("http://www3.mediaservice-wasmuth.de:80/online-ws-2.0/OnlineSync?xsd={n}");
        assert_eq!(names(&set), ["wasmuth.wsdl".to_owned(), url(1), url(2)]);
        assert_eq!(set.documents[2].imported_from, Some((url(1), at(3, 1))));
        let error = load(&Source::Path(root.join("savon/juniper.wsdl")), &resolver(&root)).unwrap_err();
        assert_eq!(error.source_name.as_deref(), Some("juniper.wsdl"));
        assert_eq!(error.location.map(|l| l.line), Some(5));
        assert!(error.to_string().contains("cannot read `SystemService?xsd=xsd0.xsd`"), "{error}");
    }
}
