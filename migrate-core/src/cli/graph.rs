//! `migrate graph`: the revision graph drawn as Graphviz DOT, a Mermaid flowchart,
//! or text lanes like `git log --graph` for a terminal.
//!
//! All three show the same things: each revision with its own branch labels and
//! message, `down_revision` edges (so branches and merges), `depends_on` edges
//! drawn differently (dashed; in text, named on the line), the heads, and with a
//! database the revisions it is at. Each is linear in the graph (text: times the
//! number of lanes open at once), so 10,000 revisions draw in milliseconds.

use std::collections::HashSet;
use std::fmt::Write;
use std::process::ExitCode;

use super::args::{GraphArgs, GraphFormat};
use super::output::Output;
use crate::error::Result;
use crate::revision::{Revision, RevisionGraph};

/// `migrate graph`: prints the drawing to stdout.
pub fn graph(
    graph: &RevisionGraph,
    args: &GraphArgs,
    current: &[&str],
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let current: HashSet<&str> = current.iter().copied().collect();
    let text = match args.format {
        GraphFormat::Text => text(graph, &current),
        GraphFormat::Dot => dot(graph, &current),
        GraphFormat::Mermaid => mermaid(graph, &current),
    };
    let _ = output.out.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// What a drawing says about one revision besides its edges.
struct Marks<'g> {
    labels: &'g [String],
    head: bool,
    current: bool,
}

fn marks<'g>(graph: &RevisionGraph, rev: &'g Revision, current: &HashSet<&str>) -> Marks<'g> {
    Marks {
        labels: &rev.branch_labels,
        head: graph.children_of(&rev.id).is_empty(),
        current: current.contains(rev.id.as_str()),
    }
}

/// `a1 (auth)`: the id and the revision's own branch labels.
fn title(rev: &Revision) -> String {
    if rev.branch_labels.is_empty() {
        rev.id.clone()
    } else {
        format!("{} ({})", rev.id, rev.branch_labels.join(", "))
    }
}

// ------------------------------------------------------------------ text

/// Newest first, one line per revision with a `*` in its lane, and rows of `|`,
/// `/`, `\` and `_` where lanes join (a branch point, below its children) or
/// split (a merge, above its parents); a base ends its lane with an empty row.
/// A line reads
/// `* <id> (<labels>) (head) (current) (depends on: <ids>), <message>`.
pub fn text(graph: &RevisionGraph, current: &HashSet<&str>) -> String {
    let mut out = String::new();
    // Lane i waits for the revision it holds: a child drawn above names it as parent.
    let mut lanes: Vec<Option<&str>> = Vec::new();
    for rev in graph.revisions().rev() {
        let id = rev.id.as_str();
        let waiting: Vec<usize> = (0..lanes.len()).filter(|&i| lanes[i] == Some(id)).collect();
        let col = match waiting.first() {
            Some(&col) => col,
            None => free_lane(&mut lanes, 0),
        };
        if waiting.len() > 1 {
            // A branch point: its other children's lanes join its own.
            for &lane in &waiting[1..] {
                lanes[lane] = None;
            }
            let mut row = lane_row(&lanes);
            for &lane in &waiting[1..] {
                slant_left(&mut row, col, lane);
            }
            push_row(&mut out, &row, "");
        }
        lanes[col] = Some(id);
        let mut row = lane_row(&lanes);
        row[2 * col] = '*';
        push_row(
            &mut out,
            &row,
            &text_line(rev, &marks(graph, rev, current), graph),
        );
        let parents = graph.parents_of(id);
        lanes[col] = parents.first().copied();
        let mut splits = Vec::new();
        let mut opened = Vec::new();
        for &parent in parents.iter().skip(1) {
            let lane = match lanes.iter().position(|l| *l == Some(parent)) {
                Some(lane) => lane,
                None => {
                    let lane = free_lane(&mut lanes, col + 1);
                    lanes[lane] = Some(parent);
                    opened.push(lane);
                    lane
                }
            };
            splits.push(lane);
        }
        if !splits.is_empty() {
            // A merge: lines to its other parents' lanes; a lane opened here
            // starts on the next row.
            let mut row = lane_row(&lanes);
            for &lane in &opened {
                row[2 * lane] = ' ';
            }
            for &lane in &splits {
                if lane > col {
                    slant_right(&mut row, col, lane);
                } else {
                    slant_left(&mut row, lane, col);
                }
            }
            push_row(&mut out, &row, "");
        }
        while lanes.last() == Some(&None) {
            lanes.pop();
        }
        if parents.is_empty() {
            // A base: its lane ends. A blank row keeps whatever is drawn next in
            // that lane from reading as its parent.
            push_row(&mut out, &lane_row(&lanes), "");
        }
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The first empty lane at or right of `from`, or a new one.
fn free_lane(lanes: &mut Vec<Option<&str>>, from: usize) -> usize {
    match (from..lanes.len()).find(|&i| lanes[i].is_none()) {
        Some(lane) => lane,
        None => {
            lanes.resize(lanes.len().max(from) + 1, None);
            lanes.len() - 1
        }
    }
}

/// `|` for every open lane, two columns per lane.
fn lane_row(lanes: &[Option<&str>]) -> Vec<char> {
    lanes
        .iter()
        .flat_map(|lane| [if lane.is_some() { '|' } else { ' ' }, ' '])
        .collect()
}

/// A line from lane `right` above to lane `left` below: `_` across, `/` last.
fn slant_left(row: &mut [char], left: usize, right: usize) {
    for cell in &mut row[2 * left + 1..2 * right - 1] {
        if *cell == ' ' {
            *cell = '_';
        }
    }
    row[2 * right - 1] = '/';
}

/// A line from lane `left` above to lane `right` below: `\` first, `_` across.
fn slant_right(row: &mut [char], left: usize, right: usize) {
    row[2 * left + 1] = '\\';
    for cell in row[2 * left + 2..]
        .iter_mut()
        .take(2 * right - 1 - (2 * left + 1))
    {
        if *cell == ' ' {
            *cell = '_';
        }
    }
}

fn push_row(out: &mut String, row: &[char], text: &str) {
    let cells: String = row.iter().collect();
    let cells = cells.trim_end();
    if text.is_empty() {
        out.push_str(cells);
    } else {
        let _ = write!(out, "{cells} {text}");
    }
    out.push('\n');
}

fn text_line(rev: &Revision, marks: &Marks<'_>, graph: &RevisionGraph) -> String {
    let mut line = rev.id.clone();
    if !marks.labels.is_empty() {
        let _ = write!(line, " ({})", marks.labels.join(", "));
    }
    if marks.head {
        line.push_str(" (head)");
    }
    if marks.current {
        line.push_str(" (current)");
    }
    let dependencies = graph.dependencies_of(&rev.id);
    if !dependencies.is_empty() {
        let _ = write!(line, " (depends on: {})", dependencies.join(", "));
    }
    if !rev.message.is_empty() {
        let _ = write!(line, ", {}", rev.message);
    }
    line
}

// ------------------------------------------------------------------ DOT

/// Graphviz: edges from parent to child, so parents above (`dot -Tsvg`), heads
/// with a double border,
/// current revisions filled, `depends_on` edges dashed.
pub fn dot(graph: &RevisionGraph, current: &HashSet<&str>) -> String {
    let mut out =
        String::from("digraph revisions {\n  node [shape=box, fontname=\"monospace\"];\n");
    for rev in graph.revisions() {
        let marks = marks(graph, rev, current);
        let mut label = dot_escape(&title(rev));
        if !rev.message.is_empty() {
            let _ = write!(label, "\\n{}", dot_escape(&rev.message));
        }
        let _ = write!(out, "  \"{}\" [label=\"{label}\"", dot_escape(&rev.id));
        if marks.head {
            out.push_str(", peripheries=2");
        }
        if marks.current {
            out.push_str(", style=filled, fillcolor=\"#cde8ff\"");
        }
        out.push_str("];\n");
    }
    for rev in graph.revisions() {
        let child = dot_escape(&rev.id);
        for parent in graph.parents_of(&rev.id) {
            let _ = writeln!(out, "  \"{}\" -> \"{child}\";", dot_escape(parent));
        }
        for dependency in graph.dependencies_of(&rev.id) {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{child}\" [style=dashed, label=\"depends on\"];",
                dot_escape(dependency)
            );
        }
    }
    out.push_str("}\n");
    out
}

fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

// ------------------------------------------------------------------ Mermaid

/// A Mermaid flowchart, parents above children: GitHub and GitLab render it in a
/// ```` ```mermaid ```` block. Heads have a thick border, current revisions are
/// filled, `depends_on` edges are dotted.
pub fn mermaid(graph: &RevisionGraph, current: &HashSet<&str>) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut heads = Vec::new();
    let mut currents = Vec::new();
    for rev in graph.revisions() {
        let marks = marks(graph, rev, current);
        let node = mermaid_id(&rev.id);
        let mut label = mermaid_escape(&title(rev));
        if !rev.message.is_empty() {
            let _ = write!(label, ": {}", mermaid_escape(&rev.message));
        }
        let _ = writeln!(out, "  {node}[\"{label}\"]");
        if marks.head {
            heads.push(node.clone());
        }
        if marks.current {
            currents.push(node);
        }
    }
    for rev in graph.revisions() {
        let child = mermaid_id(&rev.id);
        for parent in graph.parents_of(&rev.id) {
            let _ = writeln!(out, "  {} --> {child}", mermaid_id(parent));
        }
        for dependency in graph.dependencies_of(&rev.id) {
            let _ = writeln!(
                out,
                "  {} -. depends on .-> {child}",
                mermaid_id(dependency)
            );
        }
    }
    out.push_str("  classDef head stroke-width:3px\n  classDef current fill:#cde8ff\n");
    if !heads.is_empty() {
        let _ = writeln!(out, "  class {} head", heads.join(","));
    }
    if !currents.is_empty() {
        let _ = writeln!(out, "  class {} current", currents.join(","));
    }
    out
}

/// The node id: revision ids are `[A-Za-z0-9_]`, which Mermaid accepts, and `r_`
/// keeps one such as `end` from reading as a keyword.
fn mermaid_id(id: &str) -> String {
    format!("r_{id}")
}

fn mermaid_escape(text: &str) -> String {
    text.replace('"', "#quot;")
}
