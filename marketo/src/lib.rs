//! Everything about Marketo's mktows SOAP API that its WSDL does not say, on top of the
//! service-neutral `mktows-runtime`:
//!
//! * [`auth`]: [`Credentials`], the HMAC-SHA1 request signature and the signed
//!   `AuthenticationHeader` ([`SignedHeader`]); `Credentials` is the client's
//!   [`HeaderSigner`](mktows_runtime::HeaderSigner).
//! * [`codes`]: every Marketo error code, and which are worth a retry or stop a bulk run.
//! * [`limits`]: the rate, concurrency, batch and clock limits, and [`RateLimit`].
//! * [`fault`]: Marketo's fault shape and its `serviceException` detail.
//! * [`error`]: [`MarketoError`], the Marketo code of a call's `Error`.
//! * [`server`]: authentication and Marketo's faults for requests no operation takes.

pub mod auth;
pub mod codes;
pub mod error;
pub mod fault;
pub mod limits;
pub mod server;

pub use auth::{Credentials, SignedAt, SignedHeader, Timestamp};
pub use codes::MarketoCode;
pub use error::{retry_policy, MarketoError};
pub use fault::ServiceException;
pub use limits::RateLimit;

/// The mktows target namespace, which Marketo's fault details are qualified with.
pub const NAMESPACE: &str = "http://www.marketo.com/mktows/";
