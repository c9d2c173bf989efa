#!/usr/bin/env bash
# What `embed_migrations!` of 1,000 revision files adds to
# `cargo build` of a crate, against the same crate embedding an empty directory.
# Dependencies are built once; each timing is a rebuild of the crate itself after
# touching its source (the edit-compile loop), median of RUNS. Goal: < 2 s added.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-5}
REPO=$PWD
CORPUS=target/bench-corpus/linear-$N
[ -d "$CORPUS/native" ] || cargo run --release -q --example gen_corpus -- linear --n "$N" --out "$CORPUS" >/dev/null
WORK=$REPO/target/bench-embed
export CARGO_TARGET_DIR=$WORK/target

. bench/common.sh

make_crate() { # name, migrations source dir (empty for none)
  new_crate "$1" "{ path = \"$REPO\" }"
  mkdir -p "$WORK/$1/migrations"
  [ -n "$2" ] && cp "$2"/*.sql "$WORK/$1/migrations/"
  cat > "$WORK/$1/src/main.rs" <<'RS'
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");
fn main() { println!("{}", MIGRATIONS.files.len()); }
RS
}

make_crate embed_none ""
make_crate embed_many "$CORPUS/native/migrations"
none=$(rebuild embed_none)
many=$(rebuild embed_many)
printf "cargo build (crate rebuild), median of %s: 0 files %s ms, %s files %s ms, added %s ms (goal < 2000)\n" \
  "$RUNS" "$none" "$N" "$many" "$((many - none))"
