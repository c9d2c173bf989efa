#!/usr/bin/env bash
# What a small migration costs on a large SQLite database: a revision creating one
# new table, applied by the release `migrate` binary to a database whose `child`
# table has ROWS rows (default 3,000,000) with a foreign key to `parent`, against
# `sqlite3` applying the same SQL in one transaction. Goal: at most 1.2x sqlite3.
#
# With BASELINE=<another migrate binary> (one built from an older commit, say) it
# is timed too, in the same runs. Each run resets the database untimed (the new
# table dropped, its ledger row deleted), then times the commands in turn;
# figures are medians of RUNS runs (default 11) after one untimed warm-up.
# Needs sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-3000000}
RUNS=${RUNS:-11}
cargo build --release -q --bin migrate
BIN=$PWD/target/release/migrate
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB=$WORK/app.db
DIR=$WORK/migrations
mkdir -p "$DIR"

cat > "$DIR/r1_tables.sql" <<'SQL'
-- revision: r1
-- down_revision: none
-- message: parent and child

-- migrate:up
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), note TEXT);
CREATE INDEX child_parent ON child (parent_id);
SQL
UP="CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, what TEXT);"
cat > "$DIR/r2_audit.sql" <<SQL
-- revision: r2
-- down_revision: r1
-- message: one new table

-- migrate:up
$UP
SQL
printf 'BEGIN;\n%s\nCOMMIT;\n' "$UP" > "$WORK/up.sql"

"$BIN" --dir "$DIR" --url "sqlite://$DB" -q upgrade r1
sqlite3 "$DB" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO parent SELECT i, 'parent ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
INSERT INTO child SELECT i, i % 1000 + 1, 'row ' || i FROM n;
COMMIT;
SQL

reset() { sqlite3 "$DB" "DROP TABLE IF EXISTS audit_log; DELETE FROM migrate_version WHERE revision = 'r2';"; }
check_applied() {
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'")" = 1 ] || {
    echo "$1 did not create audit_log" >&2; exit 1; }
}
now_ns() { date +%s%N; }
# timed NAME COMMAND...: resets, runs the command once, appends its ms to NAME's list.
declare -A RESULT
timed() {
  local name=$1; shift
  reset
  local t0 t1; t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns)
  check_applied "$name"
  RESULT[$name]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e6}') "
}
run_sqlite3() { sqlite3 "$DB" < "$WORK/up.sql"; }
run_migrate() { "$1" --dir "$DIR" --url "sqlite://$DB" -q upgrade heads; }

for i in $(seq 0 "$RUNS"); do
  timed sqlite3 run_sqlite3
  timed migrate run_migrate "$BIN"
  if [ -n "${BASELINE:-}" ]; then timed baseline run_migrate "$BASELINE"; fi
  # Run 0 warms the page cache and is not counted.
  if [ "$i" = 0 ]; then RESULT=(); fi
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
floor=$(echo "${RESULT[sqlite3]}" | median)
printf "one-table revision, child table of %s rows, median of %s runs (ms)\n" "$ROWS" "$RUNS"
printf "%-9s %8.1f\n" sqlite3 "$floor"
for name in migrate baseline; do
  if [ -z "${RESULT[$name]:-}" ]; then continue; fi
  ms=$(echo "${RESULT[$name]}" | median)
  printf "%-9s %8.1f   %.2fx sqlite3%s\n" "$name" "$ms" "$(awk -v a="$ms" -v b="$floor" 'BEGIN {print a / b}')" \
    "$([ "$name" = migrate ] && echo ' (goal <= 1.2x)')"
done
