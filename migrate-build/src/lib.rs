//! Build-script helper for `migrate`: implementation in progress.
