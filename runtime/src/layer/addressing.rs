//! WS-Addressing (the `wsa` feature): `wsa:Action`, `wsa:To`, `wsa:MessageID` and an
//! anonymous `wsa:ReplyTo` on every request, for services that require them (WCF's
//! `wsHttpBinding`, EWS in some setups, ONVIF events).
//!
//! The action is the operation's [`Operation::ACTION`](crate::Operation::ACTION) (the
//! WSDL's `wsam:Action`, else the SOAP action), `To` the endpoint (without userinfo). A
//! header the caller already sends (a WSDL that declares `wsa:Action` as a `soap:header`)
//! is not written twice.

use super::{CallInfo, Layer, LayerError, OutgoingHeaders};
use crate::xml::{ToXml, XmlWriter};

/// The W3C recommendation's namespace (WS-Addressing 1.0, 2005), the default.
pub const W3C: &str = "http://www.w3.org/2005/08/addressing";
/// The 2004 member submission's, which older stacks (WSE, some Java ones) take.
pub const SUBMISSION: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

#[derive(Debug, Clone)]
pub struct WsAddressing {
    namespace: &'static str,
    must_understand: bool,
}

impl Default for WsAddressing {
    fn default() -> Self {
        Self::new()
    }
}

impl WsAddressing {
    /// WS-Addressing 1.0, with `mustUnderstand="1"` on `Action` and `To` (as WCF writes).
    pub fn new() -> Self {
        Self { namespace: W3C, must_understand: true }
    }

    /// The 2004 submission's namespace instead.
    pub fn submission() -> Self {
        Self { namespace: SUBMISSION, ..Self::new() }
    }

    pub fn must_understand(mut self, must: bool) -> Self {
        self.must_understand = must;
        self
    }

    /// The anonymous address of this version: "reply on the same connection".
    fn anonymous(&self) -> &'static str {
        match self.namespace {
            SUBMISSION => "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous",
            _ => "http://www.w3.org/2005/08/addressing/anonymous",
        }
    }
}

impl Layer for WsAddressing {
    fn headers(&self, call: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        let mut id = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut id)
            .map_err(|_| LayerError::before_sending("WS-Addressing: the system's random generator failed"))?;
        let block = |text: String, must_understand: bool| Block {
            namespace: self.namespace,
            text,
            must_understand: must_understand && self.must_understand,
        };
        let blocks = [
            ("Action", block(call.action.to_owned(), true)),
            ("MessageID", block(format!("urn:uuid:{}", uuid_v4(id)), false)),
            ("ReplyTo", block(self.anonymous().to_owned(), false)),
            ("To", block(call.endpoint.to_string(), true)),
        ];
        for (name, value) in blocks {
            if !headers.has(name) {
                headers.push(format!("wsa:{name}"), value);
            }
        }
        Ok(())
    }
}

/// One addressing header: its text, or for `ReplyTo` an `Address` child holding it.
struct Block {
    namespace: &'static str,
    text: String,
    must_understand: bool,
}

impl ToXml for Block {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        w.attribute_text("xmlns:wsa", self.namespace);
        if self.must_understand {
            w.attribute_text("SOAP-ENV:mustUnderstand", "1");
        }
        w.close_start();
        match name {
            "wsa:ReplyTo" => w.text_element("wsa:Address", &self.text),
            _ => w.text(&self.text),
        }
        w.end(name);
    }
}

/// RFC 9562's version 4 layout of 16 random bytes: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_ids_are_version_4_uuids() {
        let id = super::uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(super::uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
