//! Errors as a person reads them: the whole chain of causes, and no secrets.

/// `error` and its causes, outermost first (`error sending request ...: tcp connect error:
/// Connection refused`), with any URL's userinfo redacted. A cause whose text its parent
/// already shows is left out.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    redact(&mktows_runtime::error::with_causes(error.to_string(), error.source()))
}

/// The innermost cause, for a short status (`Connection refused (os error 111)`).
pub fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    redact(&cause.to_string())
}

/// `text` with the userinfo of every URL in it (`https://user:secret@host/`) replaced by
/// `***`, so that a credential in an endpoint never reaches a log, an error or a file.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail.find(|c: char| "/?#".contains(c) || c.is_whitespace() || "\"'`)>]".contains(c));
        let authority = &tail[..authority_end.unwrap_or(tail.len())];
        match authority.rfind('@') {
            Some(userinfo_end) => {
                out.push_str("***");
                rest = &tail[userinfo_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted_wherever_a_url_appears() {
        assert_eq!(
            redact("error sending request for url (http://user:SECRET@host:8/soap?x=1): refused"),
            "error sending request for url (http://***@host:8/soap?x=1): refused"
        );
        assert_eq!(redact("`https://a:b@c@h/` and https://h/p@q"), "`https://***@h/` and https://h/p@q");
        assert_eq!(redact("no url here"), "no url here");
    }

    #[test]
    fn the_chain_of_causes_is_shown_once_each() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("error sending request for url (http://u:p@h/)")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let error = Outer(io);
        assert_eq!(describe(&error), "error sending request for url (http://***@h/): Connection refused");
        assert_eq!(root_cause(&error), "Connection refused");
    }
}
