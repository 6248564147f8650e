//! Marketo SOAP authentication: every request carries an `AuthenticationHeader` holding the
//! user id, a timestamp, and the lowercase hex HMAC-SHA1 of `timestamp + userId` keyed with
//! the secret key.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use mktows_runtime::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use mktows_runtime::{DecodeError, HeaderSigner};
use sha1::Sha1;

/// The local name of the SOAP header block that carries the signature, the
/// `SIGNED_HEADER` of every mktows operation.
pub const AUTH_HEADER: &str = "AuthenticationHeader";

/// A Marketo SOAP user id and its secret key.
///
/// The secret never appears in `Debug` output, so a `Credentials` can sit inside a logged
/// struct without leaking.
#[derive(Clone)]
pub struct Credentials {
    user_id: String,
    secret_key: String,
}

impl Credentials {
    pub fn new(user_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self { user_id: user_id.into(), secret_key: secret_key.into() }
    }

    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Signs `timestamp` as Marketo expects and returns the header values for one request.
    pub fn sign(&self, timestamp: &Timestamp) -> SignedHeader {
        SignedHeader {
            user_id: self.user_id.clone(),
            signature: signature(&self.secret_key, &self.user_id, timestamp.as_str()),
            timestamp: timestamp.as_str().to_owned(),
        }
    }

    /// Signs the current time.
    pub fn sign_now(&self) -> SignedHeader {
        self.sign(&Timestamp::now())
    }

    /// Whether `signature` is the right one for `timestamp` (a server-side check).
    /// The comparison takes the same time wherever the first difference is.
    pub fn verify(&self, timestamp: &str, signature_hex: &str) -> bool {
        let expected = signature(&self.secret_key, &self.user_id, timestamp);
        expected.len() == signature_hex.len()
            && expected.bytes().zip(signature_hex.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b.to_ascii_lowercase()))
                == 0
    }
}

impl Credentials {
    /// A signer that signs every request at `timestamp`, for reproducible requests (tests,
    /// the seed's test vectors): Marketo refuses a time far from its clock, so this is no
    /// way to call it.
    pub fn at(&self, timestamp: Timestamp) -> SignedAt {
        SignedAt { credentials: self.clone(), timestamp }
    }
}

/// [`Credentials`] signing at one fixed time (see [`Credentials::at`]).
#[derive(Debug, Clone)]
pub struct SignedAt {
    credentials: Credentials,
    timestamp: Timestamp,
}

impl HeaderSigner for SignedAt {
    fn signed_header(&self) -> Box<dyn ToXml + Send + Sync> {
        Box::new(self.credentials.sign(&self.timestamp))
    }
}

/// Signs every request with the current time.
impl HeaderSigner for Credentials {
    fn signed_header(&self) -> Box<dyn ToXml + Send + Sync> {
        Box::new(self.sign_now())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("user_id", &self.user_id).field("secret_key", &"<redacted>").finish()
    }
}

/// The three values of a signed `AuthenticationHeader`. The signature is only valid for this
/// timestamp and reveals nothing about the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeader {
    pub user_id: String,
    pub signature: String,
    pub timestamp: String,
}

/// Writes the element `name` holding `mktowsUserId`, `requestSignature` and
/// `requestTimestamp`.
impl ToXml for SignedHeader {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.start(name);
        w.text_element("mktowsUserId", &self.user_id);
        w.text_element("requestSignature", &self.signature);
        w.text_element("requestTimestamp", &self.timestamp);
        w.end(name);
    }
}

/// Reads the three values (trimmed; other children are skipped); each is required.
impl FromXml for SignedHeader {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let (mut user_id, mut signature, mut timestamp) = (None, None, None);
        while let Some(child) = r.next_child(element)? {
            match child.local_name() {
                b"mktowsUserId" => user_id = Some(r.read::<String>(&child)?.trim().to_owned()),
                b"requestSignature" => signature = Some(r.read::<String>(&child)?.trim().to_owned()),
                b"requestTimestamp" => timestamp = Some(r.read::<String>(&child)?.trim().to_owned()),
                _ => r.skip(&child)?,
            }
        }
        Ok(Self {
            user_id: r.required(user_id, "mktowsUserId", element)?,
            signature: r.required(signature, "requestSignature", element)?,
            timestamp: r.required(timestamp, "requestTimestamp", element)?,
        })
    }
}

/// Lowercase hex HMAC-SHA1 of `timestamp + user_id`, keyed with `secret_key`.
pub fn signature(secret_key: &str, user_id: &str, timestamp: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret_key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(user_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hex
}

/// A request timestamp in W3C date-time form with an explicit offset, such as
/// `2013-08-01T18:22:30-07:00`, which is the form Marketo signs and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp(String);

impl Timestamp {
    /// Takes a timestamp as given, for reproducible requests and tests. It must already be in
    /// `YYYY-MM-DDThh:mm:ss±hh:mm` form (or end in `Z`).
    pub fn from_w3c(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        if parse_w3c_seconds(&text).is_some() {
            Ok(Self(text))
        } else {
            Err(format!("`{text}` is not a W3C date-time with an offset, such as 2013-08-01T18:22:30-07:00"))
        }
    }

    /// The current time in UTC, as `YYYY-MM-DDThh:mm:ss+00:00`.
    pub fn now() -> Self {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Self::from_unix_seconds(secs as i64)
    }

    pub fn from_unix_seconds(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = mktows_runtime::xml::civil_from_days(days);
        Self(format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00", rem / 3600, rem % 3600 / 60, rem % 60))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seconds since the Unix epoch, taking the offset into account.
    pub fn unix_seconds(&self) -> i64 {
        parse_w3c_seconds(&self.0).expect("validated on construction")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)` into Unix seconds; `None` when it is not
/// of that form. Used by servers to check a request's clock skew.
pub fn parse_w3c_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let on_the_calendar = mktows_runtime::xml::is_calendar_date(year, month as u32, day as u32);
    if !on_the_calendar || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest.as_bytes() {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let hours = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
            let minutes = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            let total = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let days = mktows_runtime::xml::days_from_civil(year, month as u32, day as u32);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "demo17_1_809934544BFABAE58E5D27";
    const SECRET: &str = "27272727aa";

    #[test]
    fn reproduces_both_seed_signatures() {
        let creds = Credentials::new(USER, SECRET);
        let first = creds.sign(&Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap());
        assert_eq!(first.signature, "b5e21953ae9f1b263e644da5eccce9ff33802513");
        let second = creds.sign(&Timestamp::from_w3c("2013-08-20T10:26:07-07:00").unwrap());
        assert_eq!(second.signature, "ca67d597ced5bfce7f638e96204d6e1f38d3ffe7");
        assert_eq!(second.user_id, USER);
        assert_eq!(second.timestamp, "2013-08-20T10:26:07-07:00");
    }

    #[test]
    fn verify_accepts_the_right_signature_only() {
        let creds = Credentials::new(USER, SECRET);
        assert!(creds.verify("2013-08-01T18:22:30-07:00", "b5e21953ae9f1b263e644da5eccce9ff33802513"));
        assert!(creds.verify("2013-08-01T18:22:30-07:00", "B5E21953AE9F1B263E644DA5ECCCE9FF33802513"));
        assert!(!creds.verify("2013-08-01T18:22:31-07:00", "b5e21953ae9f1b263e644da5eccce9ff33802513"));
        assert!(!creds.verify("2013-08-01T18:22:30-07:00", "b5e21953"));
        assert!(!Credentials::new(USER, "other")
            .verify("2013-08-01T18:22:30-07:00", "b5e21953ae9f1b263e644da5eccce9ff33802513"));
    }

    #[test]
    fn the_signed_header_is_written_and_read_back_as_marketo_sends_it() {
        let header = Credentials::new(USER, SECRET).sign(&Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap());
        let mut w = XmlWriter::new();
        header.write_xml(&mut w, "ns1:AuthenticationHeader");
        let xml = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(
            xml,
            "<ns1:AuthenticationHeader><mktowsUserId>demo17_1_809934544BFABAE58E5D27</mktowsUserId>\
             <requestSignature>b5e21953ae9f1b263e644da5eccce9ff33802513</requestSignature>\
             <requestTimestamp>2013-08-01T18:22:30-07:00</requestTimestamp></ns1:AuthenticationHeader>"
        );
        let mut r = XmlReader::new(xml.as_bytes());
        let root = r.root().unwrap();
        assert_eq!(r.read::<SignedHeader>(&root).unwrap(), header);
    }

    #[test]
    fn credentials_sign_each_request_now() {
        let creds = Credentials::new(USER, SECRET);
        let mut w = XmlWriter::new();
        creds.signed_header().write_xml(&mut w, "h");
        let xml = String::from_utf8(w.into_bytes()).unwrap();
        let field = |name: &str| xml.split(&format!("<{name}>")).nth(1).and_then(|s| s.split('<').next()).unwrap();
        let sent = parse_w3c_seconds(field("requestTimestamp")).unwrap();
        assert!(Timestamp::now().unix_seconds().abs_diff(sent) < 5, "{xml}");
        assert!(creds.verify(field("requestTimestamp"), field("requestSignature")), "{xml}");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?} {:#?}", Credentials::new(USER, SECRET), Credentials::new(USER, SECRET));
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains(USER));
    }

    #[test]
    fn timestamps_round_trip_through_unix_seconds() {
        // 2013-08-01T18:22:30-07:00 is 2013-08-02T01:22:30Z.
        let ts = Timestamp::from_w3c("2013-08-01T18:22:30-07:00").unwrap();
        assert_eq!(ts.unix_seconds(), 1_375_406_550);
        assert_eq!(Timestamp::from_unix_seconds(1_375_406_550).as_str(), "2013-08-02T01:22:30+00:00");
        assert_eq!(Timestamp::from_unix_seconds(951_782_400).as_str(), "2000-02-29T00:00:00+00:00");
        assert_eq!(parse_w3c_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_w3c_seconds("1970-01-01T00:00:00.250+01:00"), Some(-3600));
    }

    #[test]
    fn rejects_timestamps_without_an_offset_or_malformed() {
        for bad in [
            "2013-08-01T18:22:30",
            "2013-08-01 18:22:30Z",
            "2013-13-01T18:22:30Z",
            "2013-08-01T18:22:30+7:00",
            "",
            "2013-08-01T18:22:30-07:0x",
            "2013-02-31T00:00:00Z",
            "2013-02-29T00:00:00Z",
        ] {
            assert!(Timestamp::from_w3c(bad).is_err(), "{bad}");
        }
        assert!(Timestamp::from_w3c("2012-02-29T00:00:00Z").is_ok());
        let now = Timestamp::now();
        assert!(parse_w3c_seconds(now.as_str()).is_some(), "{now}");
    }
}
