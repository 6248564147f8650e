//! The UsernameToken profile (WSS 1.0 and 1.1): a user name and a password, sent as text
//! or as a digest of a nonce, the creation time and the password.

use std::fmt;

use base64::Engine as _;

use super::{BASE64_BINARY, PASSWORD_DIGEST, PASSWORD_TEXT};
use crate::xml::{DateTime, XmlWriter};

/// A user name and password, sent as text or as a digest (see [`password_digest`]).
#[derive(Clone)]
pub struct UsernameToken {
    username: String,
    password: String,
    digest: bool,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("digest", &self.digest)
            .finish()
    }
}

impl UsernameToken {
    /// The password as sent (`#PasswordText`): only over TLS.
    pub fn text(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self { username: username.into(), password: password.into(), digest: false }
    }

    /// The password as a digest (`#PasswordDigest`) of a fresh nonce, the creation time
    /// and the password, with the nonce and the time beside it, as ONVIF cameras and
    /// WSS4J servers take it.
    pub fn digest(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self { username: username.into(), password: password.into(), digest: true }
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub(crate) fn written(&self, created: &DateTime, nonce: &[u8]) -> Written {
        let password = match self.digest {
            true => Password::Digest {
                digest: password_digest(nonce, created.as_str(), &self.password),
                nonce: base64::engine::general_purpose::STANDARD.encode(nonce),
                created: created.clone(),
            },
            false => Password::Text(self.password.clone()),
        };
        Written { username: self.username.clone(), password }
    }
}

/// `Base64(SHA-1(nonce + created + password))`, the UsernameToken profile's digest: `nonce`
/// as bytes (decoded), `created` as written in `wsu:Created`.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    context.update(nonce);
    context.update(created.as_bytes());
    context.update(password.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(context.finish())
}

/// A token as one request carries it.
#[derive(Clone)]
pub(crate) struct Written {
    username: String,
    password: Password,
}

#[derive(Clone)]
enum Password {
    Text(String),
    Digest { digest: String, nonce: String, created: DateTime },
}

impl Written {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.start("wsse:UsernameToken");
        w.text_element("wsse:Username", &self.username);
        match &self.password {
            Password::Text(password) => password_element(w, PASSWORD_TEXT, password),
            Password::Digest { digest, nonce, created } => {
                password_element(w, PASSWORD_DIGEST, digest);
                w.open("wsse:Nonce");
                w.attribute_text("EncodingType", BASE64_BINARY);
                w.close_start();
                w.text(nonce);
                w.end("wsse:Nonce");
                w.text_element("wsu:Created", created.as_str());
            }
        }
        w.end("wsse:UsernameToken");
    }
}

fn password_element(w: &mut XmlWriter, kind: &str, value: &str) {
    w.open("wsse:Password");
    w.attribute_text("Type", kind);
    w.close_start();
    w.text(value);
    w.end("wsse:Password");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ONVIF Application Programmer's Guide's example (section 6.1.1.3), computed by
    /// nobody here.
    #[test]
    fn the_digest_of_the_onvif_guide() {
        let nonce = base64::engine::general_purpose::STANDARD.decode("LKqI6G/AikKCQrN0zqZFlg==").unwrap();
        assert_eq!(password_digest(&nonce, "2010-09-16T07:50:45Z", "userpassword"), "tuOSpGlFlIXsozq4HFNeeGeFLEI=");
    }

    #[test]
    fn the_password_stays_out_of_debug() {
        let token = UsernameToken::digest("admin", "s3cret-pw");
        assert!(!format!("{token:?}").contains("s3cret-pw"));
        let header = super::super::WsSecurity::new().username_token(token).header_at(&DateTime::now(), b"n");
        assert!(!format!("{header:?}").contains("s3cret-pw"));
    }
}
