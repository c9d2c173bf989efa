//! Lint results kept between runs, one entry per revision and dialect, so a
//! build script that lints on every rebuild reads with the parser only the
//! revisions whose results may have changed.
//!
//! A revision's findings and schema changes depend on its own text and on the
//! schema it starts from. So an entry is filed under a key made of the
//! revision itself (its sections, through [`Revision::checksum`], which covers
//! every marker and statement, plus the header fields the linter reads), the
//! *schema keys* of its parents and dependencies, the dialect, `info`, and a
//! salt the caller gives (what identifies the linter build). A revision's
//! schema key chains its stored schema changes with its predecessors' schema
//! keys: equal schema keys mean equal schemas. An edit that changes what a
//! revision does to the schema therefore relints it and its descendants; one
//! that does not (a comment, an index, a fixed finding) relints it alone.
//!
//! An entry holds the revision's findings (when they were asked for: a
//! released revision is only tracked) and its effect on the schema as
//! [`Op`]s. A run that must lint some revision rebuilds the schema before it
//! by replaying the ops of the cached ones, which costs no parsing.
//!
//! Column types are stored as SQL text and parsed back when replayed; a type
//! whose text does not parse back to the same type is never stored (its
//! revision is linted on every run instead, and its schema key is derived from
//! its entry key), so a replayed schema equals the one a cold run builds.

use std::fmt::Write as _;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use sqlparser::ast::DataType;

use super::parse;
use super::rules;
use super::schema_track::Op;
use super::Finding;
use crate::dialect::Dialect;
use crate::revision::{Direction, Revision};

/// The first line of a memo's text; another one (an older format, another
/// file) makes [`Memo::from_text`] read nothing.
const HEADER: &str = "migrate-lint-memo 2\n";

/// An entry's key.
pub(super) type Key = [u8; 32];

/// Per-revision lint results, as [`lint_memoized`](super::lint_memoized) reads
/// and returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memo {
    // Shared, so a run that keeps an entry does not copy it.
    entries: FxHashMap<Key, Arc<str>>,
}

impl Memo {
    /// Reads what [`Memo::to_text`] wrote. `None` for any other text (another
    /// format, a truncated or damaged file): the caller starts afresh.
    pub fn from_text(text: &str) -> Option<Memo> {
        let mut rest = text.strip_prefix(HEADER)?;
        let mut entries = FxHashMap::default();
        while !rest.is_empty() {
            let (line, tail) = rest.split_once('\n')?;
            let (key, len) = line.split_once(' ')?;
            let len: usize = len.parse().ok()?;
            entries.insert(from_hex(key)?, Arc::from(tail.get(..len)?));
            rest = tail.get(len..)?;
        }
        Some(Memo { entries })
    }

    /// The text to keep until the next run.
    pub fn to_text(&self) -> String {
        let size: usize = self.entries.values().map(|e| e.len() + 72).sum();
        let mut text = String::with_capacity(HEADER.len() + size);
        text.push_str(HEADER);
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (key, entry) in &self.entries {
            for b in key {
                text.push(HEX[usize::from(b >> 4)] as char);
                text.push(HEX[usize::from(b & 15)] as char);
            }
            let _ = writeln!(text, " {}", entry.len());
            text.push_str(entry);
        }
        text
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(super) fn get(&self, key: &Key) -> Option<&Arc<str>> {
        self.entries.get(key)
    }

    pub(super) fn insert(&mut self, key: Key, entry: Arc<str>) {
        self.entries.insert(key, entry);
    }
}

fn from_hex(hex: &str) -> Option<Key> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = digit(bytes[2 * i])? << 4 | digit(bytes[2 * i + 1])?;
    }
    Some(key)
}

/// The part of every key that is the same for all revisions of one walk.
pub(super) fn base_key(salt: &[u8], dialect: Dialect, info: bool) -> Sha256 {
    let mut hash = Sha256::new();
    field(&mut hash, HEADER.as_bytes());
    field(&mut hash, env!("CARGO_PKG_VERSION").as_bytes());
    field(&mut hash, salt);
    field(&mut hash, dialect.name().as_bytes());
    field(&mut hash, &[u8::from(info)]);
    hash
}

/// Length-prefixed, so no two different inputs hash the same stream.
fn field(hash: &mut Sha256, bytes: &[u8]) {
    hash.update((bytes.len() as u64).to_le_bytes());
    hash.update(bytes);
}

/// `rev`'s key, from the walk's base and its predecessors' schema keys (in
/// the order the walk joins their schemas). Covers every field of the
/// revision that `lint::revision` reads: a new one read there must be added
/// here.
pub(super) fn key(base: &Sha256, rev: &Revision, predecessors: &[Key]) -> Key {
    // Gathered first and hashed in one call: unoptimised, as build scripts
    // run, each call into the hasher costs more than the bytes it hashes.
    let mut bytes = Vec::with_capacity(256);
    let mut field = |data: &[u8]| {
        bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
        bytes.extend_from_slice(data);
    };
    field(rev.id.as_bytes());
    field(rev.path.as_bytes());
    field(&(rev.lint_allow.len() as u64).to_le_bytes());
    for name in &rev.lint_allow {
        field(name.as_bytes());
    }
    field(&(rev.lines.lint_allow as u64).to_le_bytes());
    // The checksum covers the text from the first marker on: every section's
    // marker and SQL. Where the sections start depends on the header too.
    field(&rev.checksum.0);
    for section in &rev.sections {
        let mut shape = [0u8; 19];
        shape[0] = u8::from(section.direction == Direction::Up);
        shape[1] = section.dialect.map_or(0, |d| 1 + d as u8);
        shape[2] = u8::from(section.transactional);
        shape[3..11].copy_from_slice(&(section.first_line as u64).to_le_bytes());
        shape[11..19].copy_from_slice(&(section.sql.len() as u64).to_le_bytes());
        field(&shape);
    }
    field(&(predecessors.len() as u64).to_le_bytes());
    for p in predecessors {
        bytes.extend_from_slice(p);
    }
    let mut hash = base.clone();
    hash.update(&bytes);
    hash.finalize().into()
}

/// The schema key after a revision whose ops an entry stores as `ops` (see
/// [`ops_text`]): equal for equal schemas, since replaying equal ops on equal
/// schemas gives equal schemas.
pub(super) fn schema_key(ops: &str, predecessors: &[Key]) -> Key {
    let mut bytes = Vec::with_capacity(ops.len() + 16 + 32 * predecessors.len());
    bytes.extend_from_slice(b"ops");
    bytes.extend_from_slice(&(ops.len() as u64).to_le_bytes());
    bytes.extend_from_slice(ops.as_bytes());
    for p in predecessors {
        bytes.extend_from_slice(p);
    }
    Sha256::digest(&bytes).into()
}

/// The schema key after a revision whose ops could not be stored: its entry
/// key, which covers its text and the schema before it.
pub(super) fn unstored_schema_key(key: &Key) -> Key {
    let mut bytes = b"unstored".to_vec();
    bytes.extend_from_slice(key);
    Sha256::digest(&bytes).into()
}

/// Column types as text and back, each distinct text parsed once per walk.
pub(super) struct Types {
    dialect: Dialect,
    parsed: FxHashMap<String, Option<DataType>>,
}

impl Types {
    pub(super) fn new(dialect: Dialect) -> Types {
        Types {
            dialect,
            parsed: FxHashMap::default(),
        }
    }

    /// `ty`'s text, when it parses back to `ty`.
    fn encode(&mut self, ty: &DataType) -> Option<String> {
        let text = ty.to_string();
        (self.decode(&text)? == *ty).then_some(text)
    }

    fn decode(&mut self, text: &str) -> Option<DataType> {
        if let Some(ty) = self.parsed.get(text) {
            return ty.clone();
        }
        let ty = parse::data_type(text, self.dialect);
        self.parsed.insert(text.to_string(), ty.clone());
        ty
    }
}

/// One revision's results, as an entry holds them.
pub(super) struct Entry {
    /// `None` when they were not asked for (the revision was not reported).
    pub findings: Option<Vec<Finding>>,
    pub ops: Vec<Op>,
}

/// An entry's text: `F` and the findings (or `N`), then the ops; every field
/// `length:text`. `None` when a type in the ops cannot be stored.
pub(super) fn encode(
    findings: Option<&[Finding]>,
    ops: &[Op],
    types: &mut Types,
) -> Option<String> {
    let mut out = String::new();
    match findings {
        Some(findings) => {
            put(&mut out, "F");
            put(&mut out, &findings.len().to_string());
            for f in findings {
                put(&mut out, &f.line.to_string());
                put(&mut out, f.rule);
                put(&mut out, &f.message);
            }
        }
        None => put(&mut out, "N"),
    }
    put(&mut out, &ops.len().to_string());
    for op in ops {
        match op {
            Op::CreateTable {
                name,
                if_not_exists,
                columns,
            } => {
                put(&mut out, "C");
                put(&mut out, name);
                put(&mut out, if *if_not_exists { "1" } else { "0" });
                put(&mut out, &columns.len().to_string());
                for (column, ty) in columns {
                    put(&mut out, column);
                    put(&mut out, &types.encode(ty)?);
                }
            }
            Op::DropTable(name) => {
                put(&mut out, "D");
                put(&mut out, name);
            }
            Op::MoveKnownTable { from, to } => {
                put(&mut out, "M");
                put(&mut out, from);
                put(&mut out, to);
            }
            Op::RenameTable { from, to } => {
                put(&mut out, "R");
                put(&mut out, from);
                put(&mut out, to);
            }
            Op::AddColumn {
                table,
                column,
                data_type,
                not_null,
            } => {
                put(&mut out, "A");
                put(&mut out, table);
                put(&mut out, column);
                put(&mut out, &types.encode(data_type)?);
                put(&mut out, if *not_null { "1" } else { "0" });
            }
            Op::DropColumns { table, columns } => {
                put(&mut out, "X");
                put(&mut out, table);
                put(&mut out, &columns.len().to_string());
                for c in columns {
                    put(&mut out, c);
                }
            }
            Op::RenameColumn { table, from, to } => {
                put(&mut out, "K");
                put(&mut out, table);
                put(&mut out, from);
                put(&mut out, to);
            }
            Op::SetType {
                table,
                column,
                data_type,
            } => {
                put(&mut out, "T");
                put(&mut out, table);
                put(&mut out, column);
                put(&mut out, &types.encode(data_type)?);
            }
            Op::SetNotNull { table, column } => {
                put(&mut out, "S");
                put(&mut out, table);
                put(&mut out, column);
            }
            Op::NotNullCheck {
                constraint,
                table,
                column,
            } => {
                put(&mut out, "Q");
                put(&mut out, constraint);
                put(&mut out, table);
                put(&mut out, column);
            }
            Op::Validate(name) => {
                put(&mut out, "V");
                put(&mut out, name);
            }
        }
    }
    Some(out)
}

fn put(out: &mut String, field: &str) {
    let _ = write!(out, "{}:", field.len());
    out.push_str(field);
}

/// An entry's fields, in order.
struct Fields<'a>(&'a str);

impl<'a> Fields<'a> {
    fn next(&mut self) -> Option<&'a str> {
        let (len, tail) = self.0.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let field = tail.get(..len)?;
        self.0 = &tail[len..];
        Some(field)
    }

    fn count(&mut self) -> Option<usize> {
        self.next()?.parse().ok()
    }

    fn string(&mut self) -> Option<String> {
        self.next().map(str::to_string)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.next()? {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }
}

/// The part of an entry that stores its ops.
pub(super) fn ops_text(entry: &str) -> Option<&str> {
    let mut fields = Fields(entry);
    if fields.next()? == "F" {
        for _ in 0..fields.count()?.saturating_mul(3) {
            fields.next()?;
        }
    }
    Some(fields.0)
}

/// The entry's findings for `rev`, without reading its ops. `None` when it
/// holds none or cannot be read.
pub(super) fn decode_findings(entry: &str, rev: &Revision) -> Option<Vec<Finding>> {
    findings(&mut Fields(entry), rev)?
}

fn findings(fields: &mut Fields<'_>, rev: &Revision) -> Option<Option<Vec<Finding>>> {
    match fields.next()? {
        "N" => Some(None),
        "F" => {
            let n = fields.count()?;
            // A damaged count must not reserve memory it does not describe.
            let mut out = Vec::with_capacity(n.min(fields.0.len()));
            for _ in 0..n {
                let line = fields.count()?;
                let rule = rules::find(fields.next()?)?;
                out.push(Finding {
                    revision: rev.id.clone(),
                    path: rev.path.clone(),
                    line,
                    rule: rule.name,
                    severity: rule.severity,
                    message: fields.string()?,
                    fix: rule.fix,
                });
            }
            Some(Some(out))
        }
        _ => None,
    }
}

/// The whole entry. `None` when it cannot be read.
pub(super) fn decode(entry: &str, rev: &Revision, types: &mut Types) -> Option<Entry> {
    let mut fields = Fields(entry);
    let findings = findings(&mut fields, rev)?;
    let n = fields.count()?;
    let mut ops = Vec::with_capacity(n.min(fields.0.len()));
    for _ in 0..n {
        let op = match fields.next()? {
            "C" => {
                let name = fields.string()?;
                let if_not_exists = fields.flag()?;
                let count = fields.count()?;
                let mut columns = Vec::with_capacity(count.min(fields.0.len()));
                for _ in 0..count {
                    let column = fields.string()?;
                    columns.push((column, types.decode(fields.next()?)?));
                }
                Op::CreateTable {
                    name,
                    if_not_exists,
                    columns,
                }
            }
            "D" => Op::DropTable(fields.string()?),
            "M" => Op::MoveKnownTable {
                from: fields.string()?,
                to: fields.string()?,
            },
            "R" => Op::RenameTable {
                from: fields.string()?,
                to: fields.string()?,
            },
            "A" => Op::AddColumn {
                table: fields.string()?,
                column: fields.string()?,
                data_type: types.decode(fields.next()?)?,
                not_null: fields.flag()?,
            },
            "X" => {
                let table = fields.string()?;
                let count = fields.count()?;
                let columns = (0..count)
                    .map(|_| fields.string())
                    .collect::<Option<Vec<String>>>()?;
                Op::DropColumns { table, columns }
            }
            "K" => Op::RenameColumn {
                table: fields.string()?,
                from: fields.string()?,
                to: fields.string()?,
            },
            "T" => Op::SetType {
                table: fields.string()?,
                column: fields.string()?,
                data_type: types.decode(fields.next()?)?,
            },
            "S" => Op::SetNotNull {
                table: fields.string()?,
                column: fields.string()?,
            },
            "Q" => Op::NotNullCheck {
                constraint: fields.string()?,
                table: fields.string()?,
                column: fields.string()?,
            },
            "V" => Op::Validate(fields.string()?),
            _ => return None,
        };
        ops.push(op);
    }
    fields.0.is_empty().then_some(Entry { findings, ops })
}

#[cfg(test)]
mod tests {
    use rustc_hash::FxHashSet;

    use super::super::{lint, lint_memoized, parse, schema_track, Options};
    use super::{decode, encode, Memo, Types};
    use crate::dialect::Dialect;
    use crate::revision::{Revision, RevisionGraph};

    /// A history with a branch, a merge and every kind of schema change, so a
    /// later revision's findings depend on what earlier ones did.
    const HISTORY: &[(&str, &str, &str)] = &[
        ("a0", "none", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
            CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(50), name TEXT, score NUMERIC(10,2), age INTEGER);\n\
            CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, total NUMERIC(10,2));"),
        ("a1", "a0", "ALTER TABLE users ADD CONSTRAINT ck_email_nn CHECK (email IS NOT NULL) NOT VALID;\n\
            CREATE INDEX ix_users_name ON users (name);"),
        ("a2", "a1", "ALTER TABLE users VALIDATE CONSTRAINT ck_email_nn;\n\
            ALTER TABLE users RENAME COLUMN name TO full_name;"),
        ("b1", "a0", "ALTER TABLE orders RENAME TO purchases;\n\
            CREATE TABLE IF NOT EXISTS users (x INT);\nCREATE TABLE scratch (id INT, at TIMESTAMP);"),
        ("b2", "b1", "ALTER TABLE purchases ALTER COLUMN total TYPE NUMERIC(12,2);\n\
            ALTER TABLE purchases ADD COLUMN note VARCHAR(10) NOT NULL DEFAULT '';\nDROP TABLE scratch;"),
        ("m1", "a2, b2", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
            ALTER TABLE users ALTER COLUMN full_name TYPE VARCHAR(20);\n\
            ALTER TABLE purchases ALTER COLUMN note TYPE TEXT;"),
        ("m2", "m1", "ALTER TABLE users DROP COLUMN age;\n\
            ALTER TABLE users ALTER COLUMN score TYPE NUMERIC(12,2);\nUPDATE users SET score = 0;"),
        ("c1", "m2", "ALTER TABLE users ADD COLUMN token UUID DEFAULT gen_random_uuid();\n\
            CREATE INDEX ix_users_token ON users (token);\nALTER TABLE users ALTER COLUMN score TYPE INTEGER;\n\
            ALTER TABLE users MODIFY COLUMN full_name VARCHAR(40);\n\
            ALTER TABLE users CHANGE COLUMN email mail VARCHAR(80);"),
    ];

    /// An edit that changes what later revisions find: `score` becomes an
    /// INTEGER column under the same name, the check is no longer proven.
    const EDIT: &str = "ALTER TABLE users RENAME COLUMN score TO points;\n\
        ALTER TABLE users ADD COLUMN score INTEGER;\nALTER TABLE users DROP CONSTRAINT ck_email_nn;";

    /// An edit that changes no schema: a comment, and an index on an
    /// existing table (a finding of its own).
    const QUIET_EDIT: &str = "-- a comment\nCREATE INDEX ix_users_id ON users (id);";

    fn graph(edited: Option<(&str, &str)>) -> RevisionGraph {
        RevisionGraph::new(
            HISTORY
                .iter()
                .map(|(id, down, up)| {
                    let up = match edited {
                        Some((edited, edit)) if edited == *id => format!("{up}\n{edit}"),
                        _ => up.to_string(),
                    };
                    let text = format!(
                        "-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\n{up}\n"
                    );
                    crate::revision::parse(&format!("m/{id}.sql"), &text).unwrap()
                })
                .collect(),
        )
        .unwrap()
    }

    /// `id` and the revisions that descend from it.
    fn descendants(graph: &RevisionGraph, id: &str) -> usize {
        let mut found: FxHashSet<&str> = [id].into_iter().collect();
        for rev in graph.revisions() {
            if graph
                .predecessors_of(&rev.id)
                .iter()
                .any(|p| found.contains(p))
            {
                found.insert(&rev.id);
            }
        }
        found.len()
    }

    fn options(after: Option<&str>, dialects: &[Dialect]) -> Options {
        Options {
            dialects: dialects.to_vec(),
            info: true,
            range: None,
            after: after.map(str::to_string),
        }
    }

    /// Linted cold, then with one revision edited: the memo answers every
    /// revision the edit cannot reach, the rest is linted again, and the
    /// findings equal a lint without any memo, whichever revision is edited
    /// and whatever the released baseline.
    #[test]
    fn an_edit_relints_its_descendants_and_finds_what_a_cold_lint_finds() {
        let before = graph(None);
        let mut changed = 0;
        for dialects in [&[][..], &Dialect::ALL[..]] {
            let walks = dialects.len().max(1);
            for after in [None, Some("a1"), Some("m1")] {
                let options = options(after, dialects);
                let cold = lint_memoized(&before, &options, b"salt", &Memo::default()).unwrap();
                assert_eq!(cold.findings, lint(&before, &options).unwrap());
                assert_eq!(cold.linted, HISTORY.len() * walks);
                // Nothing changed: nothing is parsed.
                let again = lint_memoized(&before, &options, b"salt", &cold.memo).unwrap();
                assert_eq!((again.linted, &again.findings), (0, &cold.findings));
                assert_eq!(again.memo, cold.memo);
                for (id, _, _) in HISTORY {
                    // Only the edited revision: the schema after it is the same.
                    let quiet = graph(Some((id, QUIET_EDIT)));
                    let warm = lint_memoized(&quiet, &options, b"salt", &cold.memo).unwrap();
                    assert_eq!(warm.findings, lint(&quiet, &options).unwrap(), "{id} quiet");
                    assert_eq!(warm.linted, walks, "{id} quiet");
                    let edited = graph(Some((id, EDIT)));
                    let expected = lint(&edited, &options).unwrap();
                    changed += usize::from(expected != cold.findings);
                    let warm = lint_memoized(&edited, &options, b"salt", &cold.memo).unwrap();
                    assert_eq!(warm.findings, expected, "{id} edited, after {after:?}");
                    assert_eq!(warm.linted, descendants(&edited, id) * walks, "{id}");
                    // And back: the edit's entries do not hide the original's.
                    let back = lint_memoized(&before, &options, b"salt", &warm.memo).unwrap();
                    assert_eq!(back.findings, cold.findings, "{id} edited back");
                }
                // Another salt (another linter build) reuses nothing.
                let other = lint_memoized(&before, &options, b"other", &cold.memo).unwrap();
                assert_eq!(other.linted, HISTORY.len() * walks);
            }
        }
        assert!(changed > 10, "the edits must change findings: {changed}");
    }

    /// A memo whose text is damaged, old or foreign reads as nothing; an
    /// entry that cannot be read is linted again, never trusted.
    #[test]
    fn unreadable_memos_and_entries_are_not_trusted() {
        let g = graph(None);
        let options = options(None, &[]);
        let cold = lint_memoized(&g, &options, b"salt", &Memo::default()).unwrap();
        let text = cold.memo.to_text();
        assert_eq!(Memo::from_text(&text).as_ref(), Some(&cold.memo));
        for bad in [
            "",
            "garbage",
            &text[..text.len() / 2],
            &text.replacen("migrate-lint-memo 2", "migrate-lint-memo 1", 1),
            &format!("{text}x"),
        ] {
            assert_eq!(Memo::from_text(bad), None, "{bad:.40}");
        }
        // A rule name changed inside an entry (same length, so the file
        // still reads): that entry is linted again.
        let damaged = text.replacen(
            "index-without-concurrently",
            "index-without-concurrentlx",
            1,
        );
        let memo = Memo::from_text(&damaged).unwrap();
        let warm = lint_memoized(&g, &options, b"salt", &memo).unwrap();
        assert_eq!(warm.findings, cold.findings);
        assert!(warm.linted >= 1, "{}", warm.linted);
    }

    /// Counts in a damaged entry reserve nothing they do not describe: no
    /// allocation failure, just an entry that does not read.
    #[test]
    fn huge_counts_in_an_entry_read_as_nothing() {
        let rev: Revision = crate::revision::parse(
            "m/x.sql",
            "-- revision: x\n-- down_revision: none\n-- migrate:up\nSELECT 1;\n",
        )
        .unwrap();
        let huge = "99999999999999999";
        for entry in [
            format!("1:F{}:{huge}", huge.len()),
            format!("1:N{}:{huge}", huge.len()),
            format!("1:N1:11:C1:t1:0{}:{huge}", huge.len()),
            format!("1:F{}:{}", 20, usize::MAX),
        ] {
            let mut types = Types::new(Dialect::Postgres);
            assert!(decode(&entry, &rev, &mut types).is_none(), "{entry}");
            assert!(super::decode_findings(&entry, &rev).is_none(), "{entry}");
            let _ = super::ops_text(&entry);
        }
    }

    /// Every op survives the memo's text with its types, so a replayed
    /// schema is the schema a cold walk builds.
    #[test]
    fn ops_read_back_as_written() {
        let rev: Revision = crate::revision::parse(
            "m/x.sql",
            "-- revision: x\n-- down_revision: none\n-- migrate:up\nSELECT 1;\n",
        )
        .unwrap();
        for dialect in Dialect::ALL {
            let mut types = Types::new(dialect);
            let mut ops = Vec::new();
            for (_, _, up) in HISTORY {
                for statement in crate::sql::split(&format!("{up}\n{EDIT}")) {
                    if let Some(s) = parse::statement(statement.sql, dialect) {
                        ops.extend(schema_track::ops(&s));
                    }
                }
            }
            let more = "CREATE TABLE t (a INT[], b CHARACTER VARYING(3), c DOUBLE PRECISION, d \"Custom\".\"Type\", e TIMESTAMP WITH TIME ZONE);\n\
                ALTER TABLE t RENAME TO u, ADD COLUMN f BIGINT NOT NULL;\nRENAME TABLE a TO b;\nDROP TABLE x, y;\n\
                ALTER TABLE u MODIFY COLUMN f INT, CHANGE COLUMN c g VARCHAR(5);";
            for statement in crate::sql::split(more) {
                if let Some(s) = parse::statement(statement.sql, dialect) {
                    ops.extend(schema_track::ops(&s));
                }
            }
            assert!(ops.len() > 20, "{dialect:?}: {}", ops.len());
            let text = encode(None, &ops, &mut types).expect("every type reads back");
            let entry = decode(&text, &rev, &mut Types::new(dialect)).unwrap();
            assert_eq!(entry.ops, ops, "{dialect:?}");
            assert!(entry.findings.is_none());
        }
    }

    proptest::proptest! {
        /// The pre-filter never skips a statement that changes the schema.
        #[test]
        fn statements_the_prefilter_skips_change_nothing(
            sql in "(CREATE|ALTER|DROP|RENAME|INDEX|UNIQUE|TABLE|INSERT|UPDATE|t|TO|ADD|COLUMN|a|INT|\\(|\\)|,|;|--|\n|/\\*|\\*/|\"| ){1,16}"
        ) {
            for dialect in Dialect::ALL {
                if !parse::may_change_schema(&sql) {
                    if let Some(s) = parse::statement(&sql, dialect) {
                        proptest::prop_assert!(schema_track::ops(&s).is_empty(), "{sql}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_prefilter_skips_indexes_and_data_but_not_tables() {
        for sql in [
            "CREATE INDEX ix ON t (a);",
            "create unique index ix on t (a);",
            "INSERT INTO t VALUES (1);",
            "UPDATE t SET a = 1;",
        ] {
            assert!(!parse::may_change_schema(sql), "{sql}");
        }
        for sql in [
            "CREATE TABLE t (a INT);",
            "CREATE/**/INDEX ix ON t (a);",
            "ALTER TABLE t ADD COLUMN b INT;",
            "DROP TABLE t;",
            "RENAME TABLE a TO b;",
            "\"weird\" statement",
            "CREATE\n  TEMPORARY TABLE t (a INT);",
        ] {
            assert!(parse::may_change_schema(sql), "{sql}");
        }
    }
}
