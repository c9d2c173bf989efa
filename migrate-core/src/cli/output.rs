//! Where commands write: results to stdout, progress messages to stderr (unless
//! `-q`), so results can be piped while messages stay on the terminal.

use std::io::Write;

/// Where a command writes.
pub struct Output<'a> {
    /// Results.
    pub out: &'a mut dyn Write,
    /// Messages.
    pub err: &'a mut dyn Write,
    /// `-q`: no progress messages.
    pub quiet: bool,
}

/// Writes a progress message to stderr unless `-q`.
pub(crate) fn message(output: &mut Output<'_>, text: &str) {
    if !output.quiet {
        let _ = writeln!(output.err, "{text}");
    }
}

/// Writes a line to the results stream; a closed pipe is not an error worth reporting.
pub(crate) fn print(output: &mut Output<'_>, text: &str) {
    let _ = writeln!(output.out, "{text}");
}
