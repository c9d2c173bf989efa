# Shared by the bench scripts: timing, medians, and throwaway crates.
# Expects REPO (the workspace root), WORK (a scratch directory) and RUNS.

now_ms() { date +%s%N | awk '{printf "%.0f", $1 / 1000000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# new_crate NAME DEPENDENCY: an empty binary crate depending on migrate, outside
# the workspace, locked to the workspace's versions.
new_crate() {
  local dir=$WORK/$1
  rm -rf "$dir"; mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
[dependencies]
migrate = $2
[profile.release]
debug = false
[workspace]
TOML
  cp "$REPO/Cargo.lock" "$dir/"
}

# rebuild NAME: median ms of RUNS rebuilds of the crate after touching its source
# (the edit-compile loop); dependencies and a first build come before.
rebuild() {
  (cd "$WORK/$1" && cargo build --offline -q)
  for _ in $(seq "$RUNS"); do
    touch "$WORK/$1/src/main.rs"
    local t0; t0=$(now_ms)
    (cd "$WORK/$1" && cargo build --offline -q)
    echo $(( $(now_ms) - t0 ))
  done | median
}
