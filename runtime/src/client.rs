//! The generic call path: sign, encode, post, decode. Generated clients are a thin typed
//! facade over [`SoapClient::call`].

use crate::auth::{Credentials, Timestamp};
use crate::error::{Error, ErrorKind};
use crate::soap::{self, HeaderBlock};
use crate::transport::{HttpResponse, Transport};
use crate::xml::{FromXml, ToXml};

pub use crate::transport::{ClientConfig, ConfigError};

/// What the runtime needs to know about one WSDL operation. Generated code implements it on
/// a unit struct per operation.
pub trait Operation {
    /// The WSDL name, such as `syncMultipleLeads`.
    const NAME: &'static str;
    const SOAP_ACTION: &'static str;
    /// The request body element, such as `paramsSyncMultipleLeads`.
    const INPUT_ELEMENT: &'static str;
    /// The response body element, such as `successSyncMultipleLeads`.
    const OUTPUT_ELEMENT: &'static str;
    /// Whether the binding requires the signed authentication header.
    const SIGNED: bool;
    type Input: ToXml + FromXml + Json + Send + Sync + 'static;
    type Output: ToXml + FromXml + Json + Send + Sync + 'static;
}

/// With the `serde` feature, operation inputs and outputs are also JSON: tools can then
/// handle any operation generically. Without it, every type qualifies.
#[cfg(feature = "serde")]
pub trait Json: serde::Serialize + serde::de::DeserializeOwned {}
#[cfg(feature = "serde")]
impl<T: serde::Serialize + serde::de::DeserializeOwned> Json for T {}

/// With the `serde` feature, operation inputs and outputs are also JSON: tools can then
/// handle any operation generically. Without it, every type qualifies.
#[cfg(not(feature = "serde"))]
pub trait Json {}
#[cfg(not(feature = "serde"))]
impl<T> Json for T {}

/// A service client: the endpoint, credentials, target namespace and a pooled HTTP client.
#[derive(Debug, Clone)]
pub struct SoapClient {
    transport: Transport,
    credentials: Credentials,
    namespace: &'static str,
}

impl SoapClient {
    pub fn new(
        namespace: &'static str,
        endpoint: &str,
        credentials: Credentials,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        Ok(Self { transport: Transport::new(endpoint, config)?, credentials, namespace })
    }

    pub fn endpoint(&self) -> &str {
        self.transport.endpoint()
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The exact request envelope `call` would send at `timestamp`.
    pub fn encode<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
        timestamp: &Timestamp,
    ) -> Vec<u8> {
        let auth = Op::SIGNED.then(|| self.credentials.sign(timestamp));
        soap::encode_request(self.namespace, auth.as_ref(), headers, Op::INPUT_ELEMENT, input)
    }

    /// Calls `Op`: signs with the current time, sends, and decodes the success element or
    /// the fault.
    pub async fn call<Op: Operation>(
        &self,
        input: &Op::Input,
        headers: &[HeaderBlock<'_>],
    ) -> Result<Op::Output, Error> {
        let body = self.encode::<Op>(input, headers, &Timestamp::now());
        let response = self.transport.post(Op::SOAP_ACTION, body).await.map_err(|e| {
            let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport(e) };
            Error::new(Op::NAME, kind)
        })?;
        decode::<Op>(&response)
    }
}

/// Turns an HTTP response into the operation's result. Marketo sends faults with status
/// 500, so the body is read as SOAP first whatever the status; only a body that is not a
/// SOAP answer falls back to an HTTP status error.
pub fn decode<Op: Operation>(response: &HttpResponse) -> Result<Op::Output, Error> {
    let success = (200..300).contains(&response.status);
    match soap::decode_response::<Op::Output>(&response.body, Op::OUTPUT_ELEMENT) {
        Ok(Ok(output)) if success => Ok(output),
        Ok(Err(fault)) => Err(Error::new(Op::NAME, ErrorKind::Fault(fault))),
        Err(decode) if success => Err(Error::new(Op::NAME, ErrorKind::Decode(decode))),
        Ok(Ok(_)) | Err(_) => {
            let body = String::from_utf8_lossy(&response.body[..response.body.len().min(512)]).into_owned();
            Err(Error::new(Op::NAME, ErrorKind::HttpStatus { status: response.status, body }))
        }
    }
}

/// A description of one operation, for tools that list or dispatch operations by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    pub name: &'static str,
    pub soap_action: &'static str,
    pub input_element: &'static str,
    pub output_element: &'static str,
    /// The Rust type of the request body.
    pub input_type: &'static str,
    /// The Rust type of the response body.
    pub output_type: &'static str,
    pub doc: &'static str,
}
