//! What a server checks of a request's `wsse:Security` block: the UsernameToken's user and
//! password (text or digest), that its nonce was not seen before, and that the Timestamp
//! and the token's creation time are neither expired nor too far from the clock.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;

use super::{password_digest, PASSWORD_DIGEST, PASSWORD_TEXT};
use crate::error::DecodeError;
use crate::server::RequestContext;
use crate::xml::{DateTime, Element, FromXml, XmlReader};

/// The checks, and the nonces already used.
pub struct Verifier {
    passwords: HashMap<String, String>,
    /// How far a creation time may be from the server's clock (default 5 minutes); nonces
    /// are remembered as long.
    pub max_clock_skew: Duration,
    /// Whether a request without a `wsu:Timestamp` is refused (default no).
    pub require_timestamp: bool,
    /// Whether a password sent as text is refused (default no).
    pub require_digest: bool,
    seen: Mutex<HashMap<String, i64>>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let users: Vec<&String> = self.passwords.keys().collect();
        f.debug_struct("Verifier").field("users", &users).field("max_clock_skew", &self.max_clock_skew).finish()
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a request's Security block was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No `wsse:Security` header block, or none with a UsernameToken.
    Missing,
    /// The block is not what WSS describes.
    Malformed(String),
    /// The user, or the password (digest) for it, is wrong. One refusal for both, so that
    /// an answer does not tell which user names exist.
    FailedAuthentication,
    /// The nonce was used before within the clock skew.
    ReplayedNonce,
    /// The Timestamp's `Expires` has passed, or a creation time is older than the skew.
    Expired,
    /// A creation time is later than the server's clock allows.
    CreatedInTheFuture,
    /// No Timestamp, and the verifier requires one.
    TimestampRequired,
    /// A password as text, and the verifier requires a digest.
    DigestRequired,
}

impl Refusal {
    /// The WSS fault code for the refusal (WSS 1.1, section 12), `wsse`-prefixed.
    pub fn fault_code(&self) -> &'static str {
        match self {
            Refusal::Missing | Refusal::Malformed(_) => "wsse:InvalidSecurity",
            Refusal::FailedAuthentication | Refusal::ReplayedNonce | Refusal::DigestRequired => {
                "wsse:FailedAuthentication"
            }
            Refusal::Expired | Refusal::CreatedInTheFuture => "wsse:MessageExpired",
            Refusal::TimestampRequired => "wsse:InvalidSecurity",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => f.write_str("the request has no WS-Security UsernameToken"),
            Refusal::Malformed(why) => write!(f, "the WS-Security header is malformed: {why}"),
            Refusal::FailedAuthentication => f.write_str("the user name or password is wrong"),
            Refusal::ReplayedNonce => f.write_str("the nonce was used before (a replayed request)"),
            Refusal::Expired => f.write_str("the message has expired"),
            Refusal::CreatedInTheFuture => f.write_str("the message was created in the future"),
            Refusal::TimestampRequired => f.write_str("the request has no wsu:Timestamp"),
            Refusal::DigestRequired => f.write_str("the password must be sent as a digest"),
        }
    }
}

impl std::error::Error for Refusal {}

impl Verifier {
    pub fn new() -> Self {
        Self {
            passwords: HashMap::new(),
            max_clock_skew: Duration::from_secs(300),
            require_timestamp: false,
            require_digest: false,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Accepts `username` with `password`.
    pub fn user(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.passwords.insert(username.into(), password.into());
        self
    }

    /// Checks the request's Security block at `now` (Unix seconds); the user name on success.
    pub fn check(&self, request: &RequestContext, now: i64) -> Result<String, Refusal> {
        let block = request.header::<Received>("Security").ok_or(Refusal::Missing)?;
        let received = block.map_err(|e| Refusal::Malformed(e.to_string()))?;
        self.check_timestamp(&received, now)?;
        let token = received.token.ok_or(Refusal::Missing)?;
        let password = self.passwords.get(&token.username).ok_or(Refusal::FailedAuthentication)?;
        match token.password_type.as_deref() {
            Some(PASSWORD_DIGEST) => self.check_digest(&token, password, now),
            Some(PASSWORD_TEXT) | None if self.require_digest => Err(Refusal::DigestRequired),
            Some(PASSWORD_TEXT) | None => match constant_time_eq(token.password.as_bytes(), password.as_bytes()) {
                true => Ok(token.username),
                false => Err(Refusal::FailedAuthentication),
            },
            Some(other) => Err(Refusal::Malformed(format!("unknown password type `{other}`"))),
        }
    }

    fn check_timestamp(&self, received: &Received, now: i64) -> Result<(), Refusal> {
        let Some((created, expires)) = &received.timestamp else {
            return match self.require_timestamp {
                true => Err(Refusal::TimestampRequired),
                false => Ok(()),
            };
        };
        self.check_created(created, now)?;
        match expires {
            Some(expires) if instant(expires, "Expires")? <= now => Err(Refusal::Expired),
            _ => Ok(()),
        }
    }

    fn check_created(&self, created: &DateTime, now: i64) -> Result<i64, Refusal> {
        let created = instant(created, "Created")?;
        let skew = self.max_clock_skew.as_secs() as i64;
        match created {
            c if c > now + skew => Err(Refusal::CreatedInTheFuture),
            c if c < now - skew => Err(Refusal::Expired),
            c => Ok(c),
        }
    }

    fn check_digest(&self, token: &Token, password: &str, now: i64) -> Result<String, Refusal> {
        let (Some(nonce), Some(created)) = (&token.nonce, &token.created) else {
            return Err(Refusal::Malformed("a password digest needs a Nonce and a Created".into()));
        };
        let created_at = self.check_created(created, now)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(nonce.trim())
            .map_err(|_| Refusal::Malformed("the nonce is not base64".into()))?;
        let expected = password_digest(&bytes, created.as_str(), password);
        if !constant_time_eq(expected.as_bytes(), token.password.trim().as_bytes()) {
            return Err(Refusal::FailedAuthentication);
        }
        // Remembered only once the digest is right, so that nobody can spend others' nonces.
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let window = self.max_clock_skew.as_secs() as i64;
        seen.retain(|_, at| *at >= now - window);
        match seen.insert(nonce.trim().to_owned(), created_at) {
            Some(_) => Err(Refusal::ReplayedNonce),
            None => Ok(token.username.clone()),
        }
    }
}

fn instant(value: &DateTime, what: &str) -> Result<i64, Refusal> {
    value.unix_seconds().ok_or_else(|| Refusal::Malformed(format!("{what} `{value}` has no time zone")))
}

/// Compares without stopping at the first difference, so the time taken does not say where
/// it is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A Security block as received.
struct Received {
    timestamp: Option<(DateTime, Option<DateTime>)>,
    token: Option<Token>,
}

struct Token {
    username: String,
    password: String,
    password_type: Option<String>,
    nonce: Option<String>,
    created: Option<DateTime>,
}

impl FromXml for Received {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let (mut timestamp, mut token) = (None, None);
        while let Some(child) = r.next_child(element)? {
            match child.local_name() {
                b"Timestamp" => timestamp = Some(read_timestamp(r, &child)?),
                b"UsernameToken" => token = Some(read_token(r, &child)?),
                _ => r.skip(&child)?,
            }
        }
        Ok(Self { timestamp, token })
    }
}

fn read_timestamp<'a>(
    r: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<(DateTime, Option<DateTime>), DecodeError> {
    let (mut created, mut expires) = (None, None);
    while let Some(child) = r.next_child(element)? {
        match child.local_name() {
            b"Created" => created = Some(r.read::<DateTime>(&child)?),
            b"Expires" => expires = Some(r.read::<DateTime>(&child)?),
            _ => r.skip(&child)?,
        }
    }
    Ok((r.required(created, "Created", element)?, expires))
}

fn read_token<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Token, DecodeError> {
    let (mut username, mut password, mut password_type, mut nonce, mut created) = (None, None, None, None, None);
    while let Some(child) = r.next_child(element)? {
        match child.local_name() {
            b"Username" => username = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"Password" => {
                password_type = r.attribute::<String>(&child, "Type", false)?;
                password = Some(r.read::<String>(&child)?);
            }
            b"Nonce" => nonce = Some(r.read::<String>(&child)?),
            b"Created" => created = Some(r.read::<DateTime>(&child)?),
            _ => r.skip(&child)?,
        }
    }
    let username = r.required(username, "Username", element)?;
    Ok(Token { username, password: password.unwrap_or_default(), password_type, nonce, created })
}
