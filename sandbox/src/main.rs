//! `mktows-sandbox [ADDR]`: serves the sandbox in the foreground until Ctrl-C.
//!
//! ADDR defaults to 127.0.0.1:0 (a free port). Credentials come from `MKTOWS_USER_ID` and
//! `MKTOWS_SECRET_KEY`, or default to the ones in Marketo's seed examples.

use std::process::ExitCode;

use mktows_sandbox::{Sandbox, SandboxConfig, DEFAULT_USER_ID};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let Ok(address) = address.parse() else {
        eprintln!("error: `{address}` is not an address such as 127.0.0.1:8080");
        return ExitCode::FAILURE;
    };
    let mut config = SandboxConfig::default();
    if let (Ok(user_id), Ok(secret_key)) = (std::env::var("MKTOWS_USER_ID"), std::env::var("MKTOWS_SECRET_KEY")) {
        config.user_id = user_id;
        config.secret_key = secret_key;
    }
    let user_id = config.user_id.clone();
    let sandbox = match Sandbox::start(config, address).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("error: cannot listen on {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sandbox.endpoint());
    let default_note = if user_id == DEFAULT_USER_ID {
        " (the default; set MKTOWS_USER_ID and MKTOWS_SECRET_KEY to change it)"
    } else {
        ""
    };
    eprintln!("mktows sandbox serving at {} for user id {user_id}{default_note}; Ctrl-C stops it", sandbox.endpoint());
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
