//! Printing to stdout. A closed pipe (`mktows ops | head -1`) means the reader has what it
//! wanted: the command ends quietly instead of failing.

use std::io::Write;

/// How a command ends when it cannot go on.
#[derive(Debug)]
pub enum Failure {
    /// A usage error: exit code 2, with clap's wording.
    Usage(String),
    /// The run could not start or stopped on an error: exit code 1.
    Run(String),
    /// stdout was closed: stop without a word.
    Closed,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Run(message)
    }
}

/// Writes `text` and a newline to stdout.
pub fn line(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::Closed),
        Err(e) => Err(Failure::Run(format!("cannot write to stdout: {e}"))),
    }
}
