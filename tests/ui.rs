//! Compile-time diagnostics, one `.rs` + `.stderr` pair per mistake, grouped by
//! family under `tests/ui/<family>/`.
//!
//! trybuild compiles each case inside `target/tests/trybuild/migrate/`, which is
//! the `CARGO_MANIFEST_DIR` the macros see; fixture directories are therefore
//! written `../../../../tests/ui/...` and these tests assume the default target
//! directory (`CARGO_TARGET_DIR` unset).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
}
