//! The Marketo layer of the generated `mktows` crate: the generic generator, told which
//! header Marketo signs, which credentials type signs it, and what to re-export. A WSDL
//! generated without these options has no Marketo in it.

use mktows_codegen::{Options, Signing};

pub fn options() -> Options {
    Options {
        regenerate_hint: "run `cargo xtask regenerate`".to_owned(),
        signing: Some(Signing {
            header_element: "AuthenticationHeader".to_owned(),
            credentials_type: "mktows_marketo::Credentials".to_owned(),
        }),
        reexports: vec![
            "mktows_marketo as marketo".to_owned(),
            "mktows_marketo::{Credentials, MarketoCode, MarketoError, Timestamp}".to_owned(),
        ],
        endpoint_doc: Some(
            "Marketo accounts each have their own endpoint, shown in the admin console; pass that to [`Client::new`]."
                .to_owned(),
        ),
        ..Options::default()
    }
}
