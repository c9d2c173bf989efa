#!/usr/bin/env bash
# What linting in build.rs adds to a rebuild with 1,000 revisions: two crates
# whose build scripts validate the same lint corpus (each revision alters the
# table before it, so every revision after the first has a finding), one with
# `.lint()` (every revision linted, no released baseline: the worst case) and
# one without. Both build migrate-build with its `lint` feature, so they compile
# the same build script dependencies; dependencies are built once. Each timing is
# a rebuild after touching one revision file, which reruns the build script
# (the edit-a-migration loop), median of RUNS. Goal: < 500 ms added.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-5}
REPO=$PWD
CORPUS=target/bench-corpus/lint-$N
[ -d "$CORPUS/native" ] || cargo run --release -q --example gen_corpus -- lint --n "$N" --out "$CORPUS" >/dev/null
WORK=$REPO/target/bench-lint-build
export CARGO_TARGET_DIR=$WORK/target

. bench/common.sh

make_crate() { # name, build.rs body
  local dir=$WORK/$1
  rm -rf "$dir"; mkdir -p "$dir/src" "$dir/migrations"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
[build-dependencies]
migrate-build = { path = "$REPO/migrate-build", features = ["lint"] }
[workspace]
TOML
  cp "$REPO/Cargo.lock" "$dir/"
  cp "$CORPUS"/native/migrations/*.sql "$dir/migrations/"
  echo 'fn main() {}' > "$dir/src/main.rs"
  printf 'fn main() {\n    %s\n}\n' "$2" > "$dir/build.rs"
}

# touched NAME: median ms of RUNS rebuilds after touching a revision file.
touched() {
  (cd "$WORK/$1" && cargo build --offline -q 2>/dev/null)
  local last; last=$(ls "$WORK/$1/migrations" | tail -1)
  for _ in $(seq "$RUNS"); do
    touch "$WORK/$1/migrations/$last"
    local t0; t0=$(now_ms)
    (cd "$WORK/$1" && cargo build --offline -q 2>/dev/null)
    echo $(( $(now_ms) - t0 ))
  done | median
}

make_crate validate_only 'migrate_build::Migrations::new("migrations").run();'
make_crate validate_lint 'let report = migrate_build::Migrations::new("migrations").lint().run(); assert!(!report.lint_findings.is_empty());'
plain=$(touched validate_only)
linted=$(touched validate_lint)
printf "cargo build after touching a revision (%s revisions), median of %s: validate %s ms, validate + lint %s ms, added %s ms (goal < 500)\n" \
  "$N" "$RUNS" "$plain" "$linted" "$((linted - plain))"
