//! Plans: the steps `upgrade`, `downgrade` and `stamp` take to reach a target,
//! and the `history` listing.

use super::traversal::Reach;
use super::{Node, Plan, Resolved, RevisionGraph};
use crate::error::{Error, Result};
use crate::revision::target::{self, Target};
use crate::revision::{Direction, Revision};

impl RevisionGraph {
    /// The plan that brings `applied` up to `target` (grammar: `docs/targets.md`).
    /// Revisions already applied are skipped, so a target at or below the current
    /// state is an empty plan, not an error.
    pub fn upgrade_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let target = Target::parse(target)?;
        let set = self.applied_mask(applied);
        let heads = match self.resolve(&target, &set, Some(Direction::Up))? {
            Resolved::State(heads) => heads,
            Resolved::RemoveFrom(_) => {
                return Err(Error::InvalidTarget {
                    target: target.to_string(),
                    reason: "<label>@base is a downgrade target".to_string(),
                })
            }
        };
        let missing: Vec<bool> = set.iter().map(|applied| !applied).collect();
        let nodes = self.ancestors_in_order(&heads, &missing);
        Ok(self.plan(nodes, Direction::Up))
    }

    /// The plan that brings `applied` down to `target`: every applied revision that
    /// descends from the target is reverted, dependents first.
    pub fn downgrade_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let target = Target::parse(target)?;
        let set = self.applied_mask(applied);
        let remove = match self.resolve(&target, &set, Some(Direction::Down))? {
            Resolved::State(keep) if keep.is_empty() => set.clone(),
            Resolved::State(keep) => {
                let current = self.current_heads_of(&set, None);
                if let Some(&bad) = keep.iter().find(|&&n| !set[n]) {
                    return Err(Error::NotDowngradeTarget {
                        target: self.revisions[bad].id.clone(),
                        current: self.ids(&current).into_iter().map(String::from).collect(),
                    });
                }
                let kept = self.reach(&keep, &self.all_mask(), Reach::Ancestors);
                let roots: Vec<Node> = keep
                    .iter()
                    .flat_map(|&n| self.children.of(n).iter().chain(self.dependents.of(n)))
                    .copied()
                    .collect();
                let below = self.reach(&roots, &self.all_mask(), Reach::Descendants);
                (0..self.len())
                    .map(|n| set[n] && below[n] && !kept[n])
                    .collect()
            }
            Resolved::RemoveFrom(roots) => {
                let below = self.reach(&roots, &self.all_mask(), Reach::Descendants);
                (0..self.len()).map(|n| set[n] && below[n]).collect()
            }
        };
        let mut nodes = self.ancestors_in_order(&self.sinks_of(&remove), &remove);
        nodes.reverse();
        Ok(self.plan(nodes, Direction::Down))
    }

    /// The plan for `stamp`: an upgrade plan when the target is ahead of the
    /// database, a downgrade plan when it is behind. No SQL is meant to run; the
    /// caller only records the steps in the ledger.
    pub fn stamp_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let up = self.upgrade_plan(applied, target);
        match up {
            Ok(plan) if !plan.is_empty() => Ok(plan),
            _ => match self.downgrade_plan(applied, target) {
                Ok(plan) => Ok(plan),
                Err(down_error) => up.and(Err(down_error)),
            },
        }
    }

    /// The revisions of a history range `a:b` (either side may be empty, and a plain
    /// target means `:target`), newest first, as `migrate history -r` prints them.
    /// `current` in the range means the database's current heads.
    pub fn history<S: AsRef<str>>(
        &self,
        range: Option<&str>,
        applied: &[S],
    ) -> Result<Vec<&Revision>> {
        let set = self.applied_mask(applied);
        let (lower, upper) = match range {
            None => (None, None),
            Some(r) => target::split_range(r).unwrap_or((None, Some(r))),
        };
        let side = |text: Option<&str>| -> Result<Option<Vec<Node>>> {
            match text {
                None => Ok(None),
                Some("current") => Ok(Some(self.current_heads_of(&set, None))),
                Some(t) => match self.resolve(&Target::parse(t)?, &set, None)? {
                    Resolved::State(nodes) | Resolved::RemoveFrom(nodes) => Ok(Some(nodes)),
                },
            }
        };
        // A lower bound at base (`base:`, or `current:` on an empty database) is
        // no bound at all: everything lies above base.
        let lower = side(lower)?.filter(|nodes| !nodes.is_empty());
        let upper = side(upper)?;
        let all = self.all_mask();
        let mut within = match &upper {
            Some(nodes) => self.reach(nodes, &all, Reach::Ancestors),
            None => all.clone(),
        };
        if let Some(nodes) = &lower {
            let below = self.reach(nodes, &all, Reach::Descendants);
            within.iter_mut().zip(below).for_each(|(w, b)| *w &= b);
        }
        Ok(self
            .order()
            .iter()
            .rev()
            .filter(|&&n| within[n])
            .map(|&n| &self.revisions[n])
            .collect())
    }
}
