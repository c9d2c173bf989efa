//! `migrate lint`: prints the findings of `crate::lint`, as lines or JSON.

use std::process::ExitCode;

use super::args::LintArgs;
use super::output::{message, print, Output};
use crate::error::Result;
use crate::lint::{self, Finding, Options, Severity};
use crate::revision::RevisionGraph;

/// `migrate lint`: one line per finding (`path:line: severity [rule] message;
/// fix: ...`), or a JSON array; exit 1 when an error or a warning is reported.
pub fn lint(graph: &RevisionGraph, args: &LintArgs, output: &mut Output<'_>) -> Result<ExitCode> {
    let options = Options {
        dialects: args.dialects()?,
        info: args.info,
        range: args.range.clone(),
        after: args.after.clone(),
    };
    let findings = lint::lint(graph, &options)?;
    if args.json {
        let list: Vec<serde_json::Value> = findings.iter().map(json).collect();
        print(output, &serde_json::Value::Array(list).to_string());
    } else {
        for finding in &findings {
            print(output, &finding.to_string());
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    message(
        output,
        &format!(
            "{errors} error(s), {warnings} warning(s), {} info in {} finding(s)",
            count(Severity::Info),
            findings.len()
        ),
    );
    Ok(if errors + warnings > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// A finding as JSON: `revision`, `path`, `line`, `rule`, `severity`, `message`, `fix`.
fn json(f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "revision": f.revision,
        "path": f.path,
        "line": f.line,
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "message": f.message,
        "fix": f.fix,
    })
}
