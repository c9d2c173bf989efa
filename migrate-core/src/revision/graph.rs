//! The revision graph: a pure DAG over parsed revisions (Alembic's `RevisionMap`).
//! Implementation in progress.

use super::{Direction, Revision};
use crate::error::Result;

/// A validated revision graph.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    revisions: Vec<Revision>,
}

/// One step of a plan.
#[derive(Debug, Clone, Copy)]
pub struct Step<'g> {
    /// The revision to apply or revert.
    pub revision: &'g Revision,
    /// Up to apply, down to revert.
    pub direction: Direction,
}

/// An ordered list of steps.
#[derive(Debug, Clone, Default)]
pub struct Plan<'g> {
    /// In execution order.
    pub steps: Vec<Step<'g>>,
}

impl RevisionGraph {
    /// Validates `revisions` and builds the graph.
    pub fn new(revisions: Vec<Revision>) -> Result<Self> {
        Ok(RevisionGraph { revisions })
    }

    /// `Ok` when there is exactly one head (or none); otherwise
    /// [`Error::UnexpectedHeads`](crate::Error::UnexpectedHeads) naming them.
    pub fn check_single_head(&self) -> Result<()> {
        Ok(())
    }

    /// The heads, sorted.
    pub fn heads(&self) -> Vec<&str> {
        self.revisions.iter().map(|r| r.id.as_str()).collect()
    }
}
