//! Reading a request body within bounds: its size, the time it may take, the bytes all
//! requests hold at once, and the number of records a call may name, counted as the bytes
//! arrive so that an oversized batch is never held whole.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Body;

/// A list a call may send at most `limit` elements of: its name, the element's local name
/// and what the elements are, for the message.
#[derive(Debug, Clone)]
pub(crate) struct RecordLimit {
    pub(crate) list: &'static str,
    pub(crate) element: &'static str,
    pub(crate) noun: &'static str,
    pub(crate) limit: usize,
}

pub(crate) struct BodyLimits {
    pub(crate) max_bytes: usize,
    pub(crate) timeout: Duration,
    pub(crate) records: Vec<RecordLimit>,
}

/// A body that arrived whole. When it names too many records, `bytes` is only what came
/// before the record past the limit (enough to authenticate the call) and the rest was
/// read and dropped.
pub(crate) struct Arrived<'b> {
    pub(crate) bytes: Bytes,
    pub(crate) over: Option<RecordLimit>,
    /// Held until the call is answered.
    pub(crate) _reservation: Reservation<'b>,
}

#[derive(Debug)]
pub(crate) enum BodyError {
    TooLarge {
        limit: usize,
    },
    TimedOut {
        after: Duration,
    },
    /// Taking it would hold more than the bytes all requests may hold at once.
    Busy,
    Broken(String),
}

/// Reads `body` within `limits`, holding its bytes against `budget`.
pub(crate) async fn read<'b, B>(body: B, limits: &BodyLimits, budget: &'b Budget) -> Result<Arrived<'b>, BodyError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    if body.size_hint().lower() > limits.max_bytes as u64 {
        return Err(BodyError::TooLarge { limit: limits.max_bytes });
    }
    let reading = collect(body, limits, budget);
    tokio::time::timeout(limits.timeout, reading).await.unwrap_or(Err(BodyError::TimedOut { after: limits.timeout }))
}

async fn collect<'b, B>(mut body: B, limits: &BodyLimits, budget: &'b Budget) -> Result<Arrived<'b>, BodyError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    let mut reservation = budget.reserve();
    let mut counter = RecordCounter::new(&limits.records);
    let (mut buffer, mut total, mut over) = (Vec::new(), 0usize, None);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
        let Ok(data) = frame.into_data() else { continue };
        total += data.len();
        if total > limits.max_bytes {
            return Err(BodyError::TooLarge { limit: limits.max_bytes });
        }
        if over.is_some() {
            continue;
        }
        if !reservation.grow(data.len()) {
            return Err(BodyError::Busy);
        }
        buffer.extend_from_slice(&data);
        over = counter.feed(&data).cloned();
    }
    Ok(Arrived { bytes: Bytes::from(buffer), over, _reservation: reservation })
}

/// The request bytes held at once, over all connections.
pub(crate) struct Budget {
    limit: usize,
    used: AtomicUsize,
}

impl Budget {
    pub(crate) fn new(limit: usize) -> Self {
        Self { limit, used: AtomicUsize::new(0) }
    }

    fn reserve(&self) -> Reservation<'_> {
        Reservation { budget: self, bytes: 0 }
    }
}

/// One request's share of the [`Budget`], given back when dropped.
pub(crate) struct Reservation<'b> {
    budget: &'b Budget,
    bytes: usize,
}

impl Reservation<'_> {
    fn grow(&mut self, bytes: usize) -> bool {
        let before = self.budget.used.fetch_add(bytes, Ordering::Relaxed);
        if before + bytes > self.budget.limit {
            self.budget.used.fetch_sub(bytes, Ordering::Relaxed);
            return false;
        }
        self.bytes += bytes;
        true
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// Counts start tags by local name across chunks. `<` cannot appear inside a tag or in
/// text (it is escaped there), so every `<` starts markup; comments, CDATA sections and
/// processing instructions are skipped whole, as they may hold anything.
struct RecordCounter<'l> {
    limits: &'l [RecordLimit],
    counts: Vec<usize>,
    state: State,
}

enum State {
    Text,
    /// The bytes after a `<`, up to the end of the name (a few bytes are enough: longer
    /// names are no watched name).
    Name(Vec<u8>),
    /// Inside markup that ends with `terminator`; `last` holds the latest bytes.
    Skip {
        terminator: &'static [u8],
        last: [u8; 3],
    },
}

/// Longer than any watched name, with a prefix.
const MAX_NAME: usize = 64;

impl<'l> RecordCounter<'l> {
    fn new(limits: &'l [RecordLimit]) -> Self {
        Self { limits, counts: vec![0; limits.len()], state: State::Text }
    }

    /// Takes the next chunk; the first limit gone past, if any.
    fn feed(&mut self, chunk: &[u8]) -> Option<&'l RecordLimit> {
        let mut rest = chunk;
        while !rest.is_empty() {
            let (used, over) = self.step(rest);
            if over.is_some() {
                return over;
            }
            rest = &rest[used..];
        }
        None
    }

    /// Consumes a prefix of `rest` in the current state.
    fn step(&mut self, rest: &[u8]) -> (usize, Option<&'l RecordLimit>) {
        match &mut self.state {
            State::Text => match rest.iter().position(|&b| b == b'<') {
                Some(i) => {
                    self.state = State::Name(Vec::new());
                    (i + 1, None)
                }
                None => (rest.len(), None),
            },
            State::Name(name) => {
                let byte = rest[0];
                if byte.is_ascii_whitespace() || byte == b'>' || (byte == b'/' && !name.is_empty()) {
                    let over = self.count();
                    return (1, over);
                }
                name.push(byte);
                self.state = match name.as_slice() {
                    b"!--" => State::Skip { terminator: b"-->", last: [0; 3] },
                    b"![CDATA[" => State::Skip { terminator: b"]]>", last: [0; 3] },
                    [b'?'] => State::Skip { terminator: b"?>", last: [0; 3] },
                    _ if name.len() > MAX_NAME => State::Text,
                    _ => return (1, None),
                };
                (1, None)
            }
            State::Skip { terminator, last } => {
                *last = [last[1], last[2], rest[0]];
                if last.ends_with(terminator) {
                    self.state = State::Text;
                }
                (1, None)
            }
        }
    }

    /// The name just read has ended: counts it if it is watched.
    fn count(&mut self) -> Option<&'l RecordLimit> {
        let State::Name(name) = std::mem::replace(&mut self.state, State::Text) else { return None };
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(&name);
        let index = self.limits.iter().position(|l| l.element.as_bytes() == local)?;
        self.counts[index] += 1;
        (self.counts[index] > self.limits[index].limit).then_some(&self.limits[index])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leads(limit: usize) -> Vec<RecordLimit> {
        vec![RecordLimit { list: "leadRecordList", element: "leadRecord", noun: "leads", limit }]
    }

    fn count(doc: &[u8], limit: usize, chunk: usize) -> Option<usize> {
        let limits = leads(limit);
        let mut counter = RecordCounter::new(&limits);
        for (i, piece) in doc.chunks(chunk).enumerate() {
            if counter.feed(piece).is_some() {
                return Some(i);
            }
        }
        None
    }

    #[test]
    fn counts_start_tags_by_local_name_whatever_the_chunks() {
        let doc = br#"<e:Envelope><e:Body><p><leadRecordList><leadRecord><Email>a</Email></leadRecord><ns1:leadRecord/><leadRecord
>x</leadRecord><!-- <leadRecord> --><v><![CDATA[<leadRecord>]]></v><?pi <leadRecord>?><leadRecords/></leadRecordList></p></e:Body></e:Envelope>"#;
        for chunk in 1..doc.len() {
            assert_eq!(count(doc, 3, chunk), None, "chunks of {chunk}");
            assert!(count(doc, 2, chunk).is_some(), "chunks of {chunk}");
        }
    }

    /// A body of these chunks, each one frame.
    struct Chunks(std::collections::VecDeque<Bytes>);

    impl Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
            std::task::Poll::Ready(self.0.pop_front().map(|chunk| Ok(hyper::body::Frame::data(chunk))))
        }
    }

    fn body_of(chunks: Vec<Vec<u8>>) -> Chunks {
        Chunks(chunks.into_iter().map(Bytes::from).collect())
    }

    fn limits(max_bytes: usize) -> BodyLimits {
        BodyLimits { max_bytes, timeout: Duration::from_secs(5), records: leads(300) }
    }

    #[tokio::test]
    async fn stops_holding_a_batch_at_the_record_past_the_limit() {
        let head = b"<e:Envelope><e:Body><p><leadRecordList>".to_vec();
        let lead = b"<leadRecord><Email>someone@example.com</Email></leadRecord>".to_vec();
        let chunks: Vec<Vec<u8>> = std::iter::once(head).chain(std::iter::repeat_n(lead.clone(), 10_000)).collect();
        let total: usize = chunks.iter().map(Vec::len).sum();
        let budget = Budget::new(total);
        let arrived = read(body_of(chunks), &limits(total), &budget).await.unwrap();
        assert_eq!(arrived.over.map(|o| o.limit), Some(300));
        assert!(arrived.bytes.len() < 302 * lead.len(), "held {} of {total} bytes", arrived.bytes.len());
        assert_eq!(budget.used.load(Ordering::Relaxed), arrived.bytes.len());
        drop(arrived._reservation);
        assert_eq!(budget.used.load(Ordering::Relaxed), 0);
    }

    #[tokio::test]
    async fn size_and_budget_are_checked_as_bytes_arrive() {
        let chunks = || vec![vec![b'x'; 600], vec![b'y'; 600]];
        let budget = Budget::new(10_000);
        assert!(matches!(read(body_of(chunks()), &limits(1000), &budget).await, Err(BodyError::TooLarge { .. })));
        let small = Budget::new(1000);
        let held = small.reserve();
        assert!(matches!(read(body_of(chunks()), &limits(5000), &small).await, Err(BodyError::Busy)));
        drop(held);
        assert_eq!(small.used.load(Ordering::Relaxed), 0, "a refused body gives its share back");
        assert_eq!(read(body_of(chunks()), &limits(5000), &budget).await.unwrap().bytes.len(), 1200);
    }
}
