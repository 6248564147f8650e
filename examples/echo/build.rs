//! Generates the echo client and server from echo.wsdl into OUT_DIR, as a user's build
//! script would.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    mktows_codegen::Builder::new().compile("echo.wsdl")?;
    Ok(())
}
