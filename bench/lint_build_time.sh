#!/usr/bin/env bash
# What linting in build.rs adds to a rebuild with 1,000 revisions: crates whose
# build scripts validate the same lint corpus (each revision alters the table
# before it, so every revision after the first has a finding), with `.lint()`
# (no released baseline: the worst case), with `.lint_released(ID)` (all but
# the last 10 released: the typical case) and without linting. All build
# migrate-build with its `lint` feature, so they compile the same build script
# dependencies; dependencies are built once, in the dev profile and with
# `[profile.dev.build-override] opt-level = 3`. Each timing is a rebuild that
# reruns the build script, median of RUNS: after editing the last revision file
# by name (ids are random, so it sits mid-chain: t0541 of 1,000; a comment is
# appended, so the lint cache misses for it) and after touching it (text
# unchanged, the cache answers every revision). Goal: < 500 ms added. The
# CPU time cargo and the build script use (user + sys) is printed too: on a
# loaded machine it varies far less than the wall-clock time.
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

make_crate() { # name, build.rs body, extra Cargo.toml lines
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
${3:-}
TOML
  cp "$REPO/Cargo.lock" "$dir/"
  cp "$CORPUS"/native/migrations/*.sql "$dir/migrations/"
  echo 'fn main() {}' > "$dir/src/main.rs"
  printf 'fn main() {\n    %s\n}\n' "$2" > "$dir/build.rs"
}

# rebuilt NAME touch|edit: median ms of RUNS rebuilds after touching the last
# revision file by name (its text unchanged: the lint cache answers) or editing
# it (a comment appended: it is linted again).
rebuilt() {
  (cd "$WORK/$1" && cargo build --offline -q 2>/dev/null)
  local last; last=$(ls "$WORK/$1/migrations" | tail -1)
  for i in $(seq "$RUNS"); do
    if [ "$2" = edit ]; then echo "-- edit $RANDOM $i" >> "$WORK/$1/migrations/$last"; else touch "$WORK/$1/migrations/$last"; fi
    local t0 cpu; t0=$(now_ms)
    cpu=$(/usr/bin/time -f "%U %S" sh -c "cd '$WORK/$1' && cargo build --offline -q 2>/dev/null" 2>&1 | tail -1 | awk '{printf "%.0f", ($1 + $2) * 1000}')
    echo "$(( $(now_ms) - t0 )) $cpu"
  done > "$WORK/runs"
  echo "$(cut -d' ' -f1 "$WORK/runs" | median) $(cut -d' ' -f2 "$WORK/runs" | median)"
}

# The README's advice for projects that lint in build.rs: optimise build
# scripts and their dependencies (compiled once, like any dependency).
OPT='[profile.dev.build-override]
opt-level = 3'
# The typical case: all but the last 10 revisions released.
RELEASED=$(ls "$CORPUS/native/migrations" | grep "_t$(printf %04d $((N - 10))).sql\$" | cut -c1-12)
LINT='let report = migrate_build::Migrations::new("migrations").lint().run(); assert!(!report.lint_findings.is_empty());'
RELEASED_LINT="let report = migrate_build::Migrations::new(\"migrations\").lint_released(\"$RELEASED\").run(); assert!(!report.lint_findings.is_empty());"
VALIDATE='migrate_build::Migrations::new("migrations").run();'
make_crate validate_only "$VALIDATE"
make_crate validate_lint "$LINT"
make_crate released_lint "$RELEASED_LINT"
make_crate validate_only_opt "$VALIDATE" "$OPT"
make_crate validate_lint_opt "$LINT" "$OPT"
make_crate released_lint_opt "$RELEASED_LINT" "$OPT"
report() { # label, plain crate, linted crate
  local how plain linted
  for how in "an edit" "a touch"; do
    read -r plain plain_cpu < <(rebuilt "$2" "${how#* }"); read -r linted linted_cpu < <(rebuilt "$3" "${how#* }")
    printf "%s, after %s: validate %s ms, validate + lint %s ms, added %s ms (goal < 500); CPU added %s ms\n" "$1" "$how" "$plain" "$linted" "$((linted - plain))" "$((linted_cpu - plain_cpu))"
  done
}
echo "cargo build rerunning the build script ($N revisions), median of $RUNS:"
report "dev profile, no baseline (worst case)" validate_only validate_lint
report "dev profile, $((N - 10)) released (typical)" validate_only released_lint
report "build-override opt-level 3, no baseline (worst case)" validate_only_opt validate_lint_opt
report "build-override opt-level 3, $((N - 10)) released (typical)" validate_only_opt released_lint_opt
