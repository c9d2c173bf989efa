#!/usr/bin/env bash
# MySQL/MariaDB's figure, next to bench/runner.sh's SQLite and
# PostgreSQL ones: `migrate upgrade heads` over N generated revisions on a fresh
# database, against the `mysql` client applying the same SQL (the engine's own
# floor). Goal: at most 1.15x the floor.
#
# The corpus is bench/runner.sh's (examples/gen_corpus.rs), with its TEXT
# columns as VARCHAR(255), which MySQL can index; the same edit goes into the
# revision files and into raw/all.sql, so both sides run the same statements.
# Each side starts from an empty database (dropped and created inside the timed
# command, the same few milliseconds on both sides). Timed by farm-bench --vs,
# which alternates the two and takes the ratio pair by pair.
#
# Needs the `mysql` client and a server (MIGRATE_TEST_MYSQL_URL, default
# mysql://root@127.0.0.1:3306/test: root without a password).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-5}
URL=${MIGRATE_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
HOSTPORT=${URL#*@}; HOSTPORT=${HOSTPORT%%/*}
HOST=${HOSTPORT%%:*}; PORT=${HOSTPORT##*:}
USER_=${URL#mysql://}; USER_=${USER_%%@*}
CORPUS=target/bench-corpus/linear-$N
# PROFILE=debug measures the test build's binary instead (no release build):
# an upper bound on migrate's own overhead, since a debug build is slower.
PROFILE=${PROFILE:-release}
FLAG=$([ "$PROFILE" = release ] && echo --release || true)
[ -d "$CORPUS/native" ] || cargo run $FLAG -q --example gen_corpus -- linear --n "$N" --out "$CORPUS" >/dev/null
cargo build $FLAG -q --bin migrate --features mysql
BIN=$PWD/target/$PROFILE/migrate
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/migrations"
for f in "$CORPUS"/native/migrations/*.sql; do
  sed 's/ TEXT/ VARCHAR(255)/g' "$f" >"$WORK/migrations/$(basename "$f")"
done
sed 's/ TEXT/ VARCHAR(255)/g' "$CORPUS/raw/all.sql" >"$WORK/all.sql"

CLIENT="mysql --protocol=TCP -h $HOST -P $PORT -u $USER_"
FRESH="$CLIENT -e 'DROP DATABASE IF EXISTS bench_migrate; CREATE DATABASE bench_migrate'"
cat >"$WORK/floor.sh" <<SH
$FRESH && $CLIENT bench_migrate <"$WORK/all.sql"
SH
cat >"$WORK/migrate.sh" <<SH
$FRESH && "$BIN" --dir "$WORK/migrations" --url "mysql://$USER_@$HOST:$PORT/bench_migrate" -q upgrade heads
SH
# One check that both sides do the whole job before timing them.
sh "$WORK/migrate.sh"
tables=$($CLIENT -N -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'bench_migrate'")
echo "migrate: $tables tables (ledger included) for $N revisions"
farm-bench -n "$RUNS" --timeout 3000 --vs "sh $WORK/floor.sh" -- sh "$WORK/migrate.sh"
$CLIENT -e 'DROP DATABASE IF EXISTS bench_migrate'
