//! Commands that read the graph: `heads`, `branches`, `history`, `show`.

use std::process::ExitCode;

use super::args::{HistoryArgs, ShowArgs};
use super::format::{self, LineStyle};
use super::output::{print, Output};
use crate::error::Result;
use crate::revision::{Revision, RevisionGraph};

/// `migrate heads`: `<rev> (<label>) (head)` per head.
pub fn heads(graph: &RevisionGraph, args: &ShowArgs, output: &mut Output<'_>) -> Result<ExitCode> {
    let heads: Vec<&Revision> = graph
        .heads()
        .into_iter()
        .filter_map(|id| graph.get(id))
        .collect();
    if args.json {
        let list: Vec<_> = heads.iter().map(|r| format::json(graph, r)).collect();
        print(output, &serde_json::Value::Array(list).to_string());
        return Ok(ExitCode::SUCCESS);
    }
    for rev in heads {
        let text = if args.verbose {
            format::entry(graph, rev, false)
        } else {
            format::line(graph, rev, LineStyle::default(), false)
        };
        print(output, &text);
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate branches`: each branch point, then one line per child.
pub fn branches(
    graph: &RevisionGraph,
    args: &ShowArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let points = graph.branch_points();
    let points: Vec<&Revision> = graph
        .revisions()
        .rev()
        .filter(|r| points.contains(&r.id.as_str()))
        .collect();
    if args.json {
        let list: Vec<_> = points
            .iter()
            .map(|r| {
                serde_json::json!({
                    "revision": r.id,
                    "children": graph.children_of(&r.id),
                })
            })
            .collect();
        print(output, &serde_json::Value::Array(list).to_string());
        return Ok(ExitCode::SUCCESS);
    }
    let tree = LineStyle {
        tree: true,
        ..LineStyle::default()
    };
    for point in points {
        print(output, &format::line(graph, point, tree, false));
        let indent = " ".repeat(point.id.len());
        for child in graph.children_of(&point.id) {
            if let Some(child) = graph.get(child) {
                let style = LineStyle {
                    tree: true,
                    message: args.verbose,
                    ..LineStyle::default()
                };
                print(
                    output,
                    &format!("{indent} -> {}", format::line(graph, child, style, false)),
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate history`: `<parent> -> <rev> (head), <message>`, newest first.
/// `applied` is the database's state when it was read (`--indicate-current`, or a
/// range with `current`); only then are current revisions marked, and only then
/// does `--json` carry `is_current`.
pub fn history<S: AsRef<str>>(
    graph: &RevisionGraph,
    args: &HistoryArgs,
    applied: Option<&[S]>,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let revisions = graph.history(args.range.as_deref(), applied.unwrap_or_default())?;
    let current: Option<Vec<&str>> = applied.map(|applied| graph.current_heads(applied));
    let is_current = |rev: &Revision| {
        current
            .as_ref()
            .is_some_and(|c| c.contains(&rev.id.as_str()))
    };
    if args.show.json {
        let list: Vec<_> = revisions
            .iter()
            .map(|r| {
                let mut value = format::json(graph, r);
                if current.is_some() {
                    value["is_current"] = serde_json::Value::Bool(is_current(r));
                }
                value
            })
            .collect();
        print(output, &serde_json::Value::Array(list).to_string());
        return Ok(ExitCode::SUCCESS);
    }
    let style = LineStyle {
        parents: true,
        tree: true,
        message: true,
    };
    for rev in revisions {
        let text = if args.show.verbose {
            format::entry(graph, rev, is_current(rev))
        } else {
            format::line(graph, rev, style, is_current(rev))
        };
        print(output, &text);
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate show REV`: the full entry of one revision (or of every head), then
/// its SQL.
pub fn show<S: AsRef<str>>(
    graph: &RevisionGraph,
    rev: &str,
    applied: &[S],
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let current = graph.current_heads(applied);
    let ids: Vec<&str> = match rev {
        "heads" => graph.heads(),
        "head" => {
            graph
                .check_single_head()
                .map_err(|_| crate::Error::MultipleHeads {
                    argument: "head".to_string(),
                    heads: graph.heads().into_iter().map(String::from).collect(),
                })?;
            graph.heads()
        }
        _ => vec![graph.find(rev)?.id.as_str()],
    };
    for id in ids {
        if let Some(r) = graph.get(id) {
            print(output, &format::entry(graph, r, current.contains(&id)));
            print(output, format::sections(r).trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}
