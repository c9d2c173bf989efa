#!/usr/bin/env bash
# The runner's figures, side by side in one run:
#   1. `migrate upgrade heads` over N generated revisions on a fresh database,
#      against the same SQL run in one transaction by sqlite3 and by `psql -1 -f`
#      (the engine's own floor). Goal: at most 1.15x the floor.
#   2. Start-up plus `current` on an up-to-date database of N revisions. Goal: < 30 ms.
# Each figure is the median of RUNS runs. Needs sqlite3, psql and a
# PostgreSQL server (MIGRATE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-7}
ADMIN_URL=${MIGRATE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
CORPUS=target/bench-corpus/linear-$N
[ -d "$CORPUS/native" ] || cargo run --release -q --example gen_corpus -- linear --n "$N" --out "$CORPUS" >/dev/null
cargo build --release -q --bin migrate
BIN=$PWD/target/release/migrate
DIR=$CORPUS/native/migrations
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BASE_URL=${ADMIN_URL%/*}

now_ms() { date +%s%N | awk '{printf "%.3f", $1 / 1000000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
timed() { local t0 t1; t0=$(now_ms); "$@" >/dev/null 2>&1; t1=$(now_ms); awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", b - a}'; }
fresh_pg() { psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS bench_migrate WITH (FORCE)" -c "CREATE DATABASE bench_migrate" >/dev/null 2>&1; }

sqlite_floor() { rm -f "$WORK/floor.db"; { echo "BEGIN;"; cat "$CORPUS/raw/all.sql"; echo "COMMIT;"; } | sqlite3 "$WORK/floor.db"; }
sqlite_migrate() { rm -f "$WORK/m.db"*; "$BIN" --dir "$DIR" --url "sqlite://$WORK/m.db" -q upgrade heads; }
pg_floor() { psql -q -1 -v ON_ERROR_STOP=1 -d "$BASE_URL/bench_migrate" -f "$CORPUS/raw/all.sql"; }
pg_migrate() { "$BIN" --dir "$DIR" --url "$BASE_URL/bench_migrate" -q upgrade heads; }

declare -A RESULT
for i in $(seq "$RUNS"); do
  RESULT[sqlite_floor]+="$(timed sqlite_floor) "
  RESULT[sqlite_migrate]+="$(timed sqlite_migrate) "
  fresh_pg; RESULT[pg_floor]+="$(timed pg_floor) "
  fresh_pg; RESULT[pg_migrate]+="$(timed pg_migrate) "
done
# The databases are now up to date: time start-up + `current`.
for i in $(seq "$RUNS"); do
  RESULT[sqlite_current]+="$(timed "$BIN" --dir "$DIR" --url "sqlite://$WORK/m.db" current) "
  RESULT[pg_current]+="$(timed "$BIN" --dir "$DIR" --url "$BASE_URL/bench_migrate" current) "
done
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS bench_migrate WITH (FORCE)" >/dev/null 2>&1

m() { echo "${RESULT[$1]}" | tr ' ' '\n' | grep . | median; }
printf "%s revisions, median of %s runs (ms)\n" "$N" "$RUNS"
for db in sqlite pg; do
  floor=$(m ${db}_floor); ours=$(m ${db}_migrate)
  printf "%-7s upgrade heads: migrate %8.1f   floor %8.1f   ratio %.2fx (goal <= 1.15x)\n" "$db" "$ours" "$floor" "$(awk -v a="$ours" -v b="$floor" 'BEGIN {print a / b}')"
done
printf "sqlite  start-up + current: %.1f ms (goal < 30)\n" "$(m sqlite_current)"
printf "pg      start-up + current: %.1f ms (goal < 30)\n" "$(m pg_current)"
