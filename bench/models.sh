#!/usr/bin/env bash
# The models' figures, from a throwaway crate of generated models:
#  1. `migrate::metadata()` over N_META (1,000) registered tables, each with five
#     columns, an index and a foreign key to the previous table (goal < 1 ms);
#  2. what `#[model]` adds to `cargo build` of a crate with N_BUILD (200) models,
#     against the same crate with plain structs: a rebuild of the crate after
#     touching its source, median of RUNS, dependencies built once.
set -euo pipefail
cd "$(dirname "$0")/.."
N_META=${N_META:-1000}
N_BUILD=${N_BUILD:-200}
RUNS=${RUNS:-5}
REPO=$PWD
WORK=$REPO/target/bench-models
export CARGO_TARGET_DIR=$WORK/target

models() { # count, attribute-or-empty
  local attr=$2 col=""
  [ -n "$attr" ] && col='#[column(primary_key)]'
  for i in $(seq 1 "$1"); do
    local fk="" ix=""
    if [ -n "$attr" ]; then
      ix="#[column(index)]"
      [ "$i" -gt 1 ] && fk="#[column(references = \"t$((i - 1)).id\", on_delete = \"cascade\")]"
      echo "#[migrate::model(table = \"t$i\")]"
    fi
    cat <<RS
pub struct T$i {
    $col
    pub id: i64,
    $ix
    pub name: String,
    pub note: Option<String>,
    pub score: f64,
    $fk
    pub parent: Option<i64>,
}
RS
  done
}

. bench/common.sh

make_crate() { # name, count, attribute-or-empty, main
  new_crate "$1" "{ path = \"$REPO\", default-features = false }"
  { echo '#![allow(dead_code)]'; models "$2" "$3"; echo "$4"; } > "$WORK/$1/src/main.rs"
}

make_crate models_meta "$N_META" model '
fn main() {
    // The first call assembles the schema; later calls return the cached value.
    let t = std::time::Instant::now();
    let schema = migrate::metadata().expect("valid models");
    let first = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(schema.tables.len(), '"$N_META"');
    let t = std::time::Instant::now();
    let again = migrate::metadata().expect("valid models");
    let cached = t.elapsed().as_secs_f64() * 1e3;
    assert!(std::ptr::eq(schema, again));
    // Assembling again in a warm process (what the first call costs without page faults).
    let mut warm: Vec<f64> = (0..100)
        .map(|_| {
            let t = std::time::Instant::now();
            let s = migrate::__private::assemble(
                migrate::__private::inventory::iter::<migrate::__private::ModelTable>,
                migrate::__private::inventory::iter::<migrate::__private::ModelEnum>,
            );
            let ms = t.elapsed().as_secs_f64() * 1e3;
            drop(s);
            ms
        })
        .collect();
    warm.sort_by(f64::total_cmp);
    println!("{first:.3} {cached:.4} {:.3}", warm[50]);
}'
(cd "$WORK/models_meta" && cargo build --offline -q --release)
# A fresh process per run: the first call is the cost a runner pays at start-up.
for _ in $(seq 50); do "$WORK/target/release/models_meta"; done > "$WORK/meta.txt"
first=$(cut -d' ' -f1 "$WORK/meta.txt" | median)
cached=$(cut -d' ' -f2 "$WORK/meta.txt" | median)
warm=$(cut -d' ' -f3 "$WORK/meta.txt" | median)
printf "metadata() over %s tables (release, median of 50 processes): first call %s ms, later calls %s ms, re-assembly in a warm process %s ms (goal < 1 ms)\n" "$N_META" "$first" "$cached" "$warm"

make_crate models_plain "$N_BUILD" "" 'fn main() {}'
make_crate models_model "$N_BUILD" model 'fn main() { println!("{}", migrate::metadata().map(|s| s.tables.len()).unwrap_or(0)); }'
plain=$(rebuild models_plain)
model=$(rebuild models_model)
printf "cargo build (crate rebuild), median of %s: %s plain structs %s ms, %s #[model] structs %s ms, added %s ms\n" \
  "$RUNS" "$N_BUILD" "$plain" "$N_BUILD" "$model" "$((model - plain))"
