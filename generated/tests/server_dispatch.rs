//! The generated server side: `dispatch` routes Marketo's own example requests to a
//! `Service`, and the client reads what it answers.

mod common;

use common::example;
use mktows::runtime::server::{RequestContext, Response};
use mktows::runtime::transport::HttpResponse;
use mktows::server::{dispatch, Service};
use mktows::*;

/// Answers syncMultipleLeads with one CREATED status per lead, numbered from 1000, checks
/// the user id it was called with, and answers other requests with Marketo's faults.
struct Echo;

impl Service for Echo {
    fn request_fault(&self, error: mktows::runtime::server::RequestError) -> Fault {
        mktows::marketo::server::request_fault(&error)
    }

    async fn sync_multiple_leads(
        &self,
        context: &RequestContext,
        params: ParamsSyncMultipleLeads,
    ) -> Result<SuccessSyncMultipleLeads, Fault> {
        assert_eq!(mktows::marketo::server::authenticate(context).unwrap().user_id, common::USER_ID);
        let sync_status = (0..params.lead_record_list.lead_record.len())
            .map(|i| SyncStatus { lead_id: 1000 + i as i32, status: LeadSyncStatus::Created, error: Nillable::Nil })
            .collect();
        Ok(SuccessSyncMultipleLeads {
            result: ResultSyncMultipleLeads { sync_status_list: ArrayOfSyncStatus { sync_status } },
        })
    }
}

fn as_client_sees<Op: mktows::runtime::Operation>(response: Response) -> Result<Op::Output, mktows::Error> {
    mktows::runtime::client::decode::<Op>(&HttpResponse::new(response.status, response.body))
}

#[tokio::test]
async fn routes_the_example_request_and_answers_in_soap() {
    let response = dispatch(&Echo, &example("syncmultipleleads/request.xml")).await;
    assert_eq!(response.status, 200);
    let success = as_client_sees::<operations::SyncMultipleLeads>(response).unwrap();
    let ids: Vec<_> = success.result.sync_status_list.sync_status.iter().map(|s| s.lead_id).collect();
    assert_eq!(ids, [1000, 1001]);
}

#[tokio::test]
async fn operations_the_service_does_not_implement_answer_20019() {
    let response = dispatch(&Echo, &example("getlead/request.xml")).await;
    assert_eq!(response.status, 500);
    let err = as_client_sees::<operations::GetLead>(response).unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::UnsupportedOperation));
    assert!(err.to_string().contains("getLead is not implemented"), "{err}");
}

#[tokio::test]
async fn unknown_body_elements_and_garbage_are_faults() {
    let unknown = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><paramsDoMagic/></e:Body></e:Envelope>"#;
    let fault = as_client_sees::<operations::SyncLead>(dispatch(&Echo, unknown).await).unwrap_err();
    assert_eq!(fault.marketo_code(), Some(MarketoCode::UnsupportedOperation));
    let fault = as_client_sees::<operations::SyncLead>(dispatch(&Echo, b"{\"json\": true}").await).unwrap_err();
    assert_eq!(fault.marketo_code(), Some(MarketoCode::RequestNotUnderstood));
}

#[tokio::test]
async fn a_body_that_breaks_the_schema_is_an_invalid_request() {
    // leadId must be an int; leadRecordList is required.
    let request = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://www.marketo.com/mktows/"><e:Body><m:paramsSyncMultipleLeads><dedupEnabled>maybe</dedupEnabled></m:paramsSyncMultipleLeads></e:Body></e:Envelope>"#;
    let err = as_client_sees::<operations::SyncMultipleLeads>(dispatch(&Echo, request).await).unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::InvalidRequest));
    assert!(err.to_string().contains("`maybe` is not a valid xs:boolean"), "{err}");
}

/// Without a `request_fault` of its own, a service answers with plain SOAP faults.
#[tokio::test]
async fn the_default_request_faults_are_plain_soap_faults() {
    struct Plain;
    impl Service for Plain {}
    let response = dispatch(&Plain, &example("getlead/request.xml")).await;
    assert_eq!(response.status, 500);
    let err = as_client_sees::<operations::GetLead>(response).unwrap_err();
    let fault = err.fault().unwrap();
    assert_eq!(
        (fault.code.as_str(), fault.message.as_str()),
        ("SOAP-ENV:Server", "getLead is not implemented by this server")
    );
    assert_eq!((fault.detail.as_ref(), err.marketo_code()), (None, None));
    let fault = as_client_sees::<operations::SyncLead>(dispatch(&Plain, b"garbage").await).unwrap_err();
    assert_eq!(fault.fault().unwrap().code, "SOAP-ENV:Client");
}
