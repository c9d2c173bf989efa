#!/usr/bin/env bash
# Issue 2's figure: what `embed_migrations!` of 1,000 revision files adds to
# `cargo build` of a crate, against the same crate embedding an empty directory.
# Dependencies are built once; each timing is a rebuild of the crate itself after
# touching its source (the edit-compile loop), median of RUNS. Goal: < 2 s added.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-5}
REPO=$PWD
CORPUS=target/bench-corpus/linear-$N
[ -d "$CORPUS/native" ] || python3 ../shared/bench/gen_corpus.py linear --n "$N" --out "$CORPUS" >/dev/null
WORK=$REPO/target/bench-embed
export CARGO_TARGET_DIR=$WORK/target

make_crate() { # name, migrations source dir (empty for none)
  local dir=$WORK/$1
  rm -rf "$dir"; mkdir -p "$dir/src" "$dir/migrations"
  [ -n "$2" ] && cp "$2"/*.sql "$dir/migrations/"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
[dependencies]
migrate = { path = "$REPO" }
[workspace]
TOML
  cp "$REPO/Cargo.lock" "$dir/"
  cat > "$dir/src/main.rs" <<'RS'
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");
fn main() { println!("{}", MIGRATIONS.files.len()); }
RS
}

now_ms() { date +%s%N | awk '{printf "%.0f", $1 / 1000000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
rebuild() {
  (cd "$WORK/$1" && cargo build --offline -q)  # warm: dependencies and a first build
  for _ in $(seq "$RUNS"); do
    touch "$WORK/$1/src/main.rs"
    local t0; t0=$(now_ms)
    (cd "$WORK/$1" && cargo build --offline -q)
    echo $(( $(now_ms) - t0 ))
  done | median
}

make_crate embed_none ""
make_crate embed_many "$CORPUS/native/migrations"
none=$(rebuild embed_none)
many=$(rebuild embed_many)
printf "cargo build (crate rebuild), median of %s: 0 files %s ms, %s files %s ms, added %s ms (goal < 2000)\n" \
  "$RUNS" "$none" "$N" "$many" "$((many - none))"
