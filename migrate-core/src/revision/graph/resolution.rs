//! Target resolution: a parsed target (`heads`, `abc1+2`, `auth@base`, ...)
//! turned into the graph nodes it names, with Alembic's messages when it is
//! ambiguous or names nothing.

use super::{Node, Resolved, RevisionGraph};
use crate::error::{Error, Result};
use crate::revision::target::{Anchor, BranchAt, Target};
use crate::revision::Direction;

impl RevisionGraph {
    /// `direction` is `None` for history ranges, where `-1` simply means one below.
    pub(super) fn resolve(
        &self,
        target: &Target,
        applied: &[bool],
        direction: Option<Direction>,
    ) -> Result<Resolved> {
        let state = |nodes| Ok(Resolved::State(nodes));
        match target {
            Target::Heads => state(self.heads.clone()),
            Target::Head => state(vec![self.single_head("head", &self.heads)?]),
            Target::Base => state(Vec::new()),
            Target::Revision(text) => state(vec![self.lookup(text)?]),
            Target::Relative { anchor, steps } => {
                let text = target.to_string();
                let from = match anchor {
                    None => self.current_for_relative(&text, applied, None)?,
                    Some(Anchor::Head) => vec![self.single_head("head", &self.heads)?],
                    Some(Anchor::Base) => Vec::new(),
                    Some(Anchor::Revision(r)) => vec![self.lookup(r)?],
                };
                if anchor.is_none() {
                    check_direction(&text, *steps, direction)?;
                }
                state(self.walk(&text, from, *steps, None)?)
            }
            Target::Branch { label, at } => {
                let members = self.branch_members(label)?;
                let text = target.to_string();
                match at {
                    BranchAt::Head => {
                        let heads: Vec<Node> =
                            self.heads.iter().copied().filter(|&n| members[n]).collect();
                        state(vec![self.single_head(&text, &heads)?])
                    }
                    BranchAt::Base => Ok(Resolved::RemoveFrom(self.branch_roots(&members))),
                    BranchAt::Revision(r) => {
                        let node = self.lookup(r)?;
                        if !members[node] {
                            return Err(Error::NotInBranch {
                                revision: self.revisions[node].id.clone(),
                                branch: label.clone(),
                            });
                        }
                        state(vec![node])
                    }
                    BranchAt::Relative(steps) => {
                        check_direction(&text, *steps, direction)?;
                        let from = self.current_for_relative(&text, applied, Some(&members))?;
                        if from.is_empty() {
                            // Nothing of the branch is applied yet: start just below it.
                            let roots = self.branch_roots(&members);
                            let below: Vec<Node> = roots
                                .iter()
                                .flat_map(|&r| self.parents.of(r).to_vec())
                                .collect();
                            return state(self.walk(&text, below, *steps, Some(&members))?);
                        }
                        state(self.walk(&text, from, *steps, Some(&members))?)
                    }
                }
            }
        }
    }

    /// The one current head a bare `+N`/`-N` starts from (none for an empty database).
    pub(super) fn current_for_relative(
        &self,
        text: &str,
        applied: &[bool],
        members: Option<&[bool]>,
    ) -> Result<Vec<Node>> {
        let current = self.current_heads_of(applied, members);
        if current.len() > 1 {
            return Err(Error::AmbiguousRelative {
                target: text
                    .trim_start_matches(|c: char| c != '+' && c != '-')
                    .to_string(),
                heads: self.ids(&current).into_iter().map(String::from).collect(),
            });
        }
        Ok(current)
    }

    /// Walks `steps` revisions from `from` (empty = before the bases): towards the
    /// heads when positive, towards the bases when negative. A walk may end on a
    /// fork (a merge's parents), but cannot pass through one.
    pub(super) fn walk(
        &self,
        text: &str,
        from: Vec<Node>,
        steps: i64,
        members: Option<&[bool]>,
    ) -> Result<Vec<Node>> {
        let out_of_range = |reason: String| Error::RelativeOutOfRange {
            target: text.to_string(),
            steps: steps.unsigned_abs(),
            reason,
        };
        let in_branch = |n: &Node| members.is_none_or(|m| m[*n]);
        let mut current = from;
        for taken in 0..steps.unsigned_abs() {
            let next: Vec<Node> = match current.as_slice() {
                [] if steps > 0 => (0..self.len())
                    .filter(|&n| self.parents.of(n).is_empty())
                    .filter(in_branch)
                    .collect(),
                [] => return Err(out_of_range("the walk reached base".to_string())),
                [one] if steps > 0 => self
                    .children
                    .of(*one)
                    .iter()
                    .copied()
                    .filter(in_branch)
                    .collect(),
                [one] => self.parents.of(*one).to_vec(),
                several => {
                    return Err(out_of_range(format!(
                        "after {taken} step(s) it reaches several revisions ({}); name one of them",
                        self.ids(several).join(", ")
                    )))
                }
            };
            if steps > 0 && next.is_empty() {
                let at = current
                    .first()
                    .map_or("base".to_string(), |&n| self.revisions[n].id.clone());
                return Err(out_of_range(format!("{at} is a head")));
            }
            if steps > 0 && next.len() > 1 {
                let ids = self.sorted_ids(next.iter().copied()).join(", ");
                return Err(out_of_range(match current.first() {
                    None => format!("there are several bases ({ids}); name one of them"),
                    Some(&n) => format!(
                        "{} is a branch point with several children ({ids}); use <label>@+N or name a revision",
                        self.revisions[n].id
                    ),
                }));
            }
            current = next;
        }
        Ok(current)
    }

    pub(super) fn single_head(&self, argument: &str, heads: &[Node]) -> Result<Node> {
        match heads {
            [one] => Ok(*one),
            [] => Err(Error::UnknownRevision {
                revision: argument.to_string(),
            }),
            several => Err(Error::MultipleHeads {
                argument: argument.to_string(),
                heads: self
                    .sorted_ids(several.iter().copied())
                    .into_iter()
                    .map(String::from)
                    .collect(),
            }),
        }
    }

    /// Full id, then branch label, then a unique prefix of 4+ characters.
    pub(super) fn lookup(&self, text: &str) -> Result<Node> {
        if let Some(&n) = self.index.get(text) {
            return Ok(n);
        }
        if self.labels.contains_key(text) {
            let members = self.branch_members(text)?;
            let heads: Vec<Node> = self.heads.iter().copied().filter(|&n| members[n]).collect();
            return self.single_head(&format!("{text}@head"), &heads);
        }
        let mut candidates: Vec<&str> = self
            .revisions
            .iter()
            .filter(|r| r.id.starts_with(text))
            .map(|r| r.id.as_str())
            .collect();
        match candidates.len() {
            0 => Err(Error::UnknownRevision {
                revision: text.to_string(),
            }),
            _ if text.len() < 4 => Err(Error::PrefixTooShort {
                prefix: text.to_string(),
            }),
            1 => Ok(self.index[candidates[0]]),
            _ => {
                candidates.sort();
                Err(Error::AmbiguousPrefix {
                    prefix: text.to_string(),
                    candidates: candidates.into_iter().map(String::from).collect(),
                })
            }
        }
    }

    /// The members of a branch: the labelled revision, its descendants, and its
    /// ancestors back to (not including) the nearest branch point, merge or base.
    pub(super) fn branch_members(&self, label: &str) -> Result<Vec<bool>> {
        let &labelled = self.labels.get(label).ok_or_else(|| Error::UnknownBranch {
            label: label.to_string(),
        })?;
        let mut members = vec![false; self.len()];
        let mut stack = vec![labelled];
        while let Some(n) = stack.pop() {
            if !std::mem::replace(&mut members[n], true) {
                stack.extend(self.children.of(n));
            }
        }
        let mut current = labelled;
        while let [parent] = self.parents.of(current) {
            if self.children.of(*parent).len() != 1 {
                break;
            }
            members[*parent] = true;
            current = *parent;
        }
        Ok(members)
    }

    /// Members of a branch whose parents are all outside it.
    pub(super) fn branch_roots(&self, members: &[bool]) -> Vec<Node> {
        self.order()
            .iter()
            .copied()
            .filter(|&n| members[n] && self.parents.of(n).iter().all(|&p| !members[p]))
            .collect()
    }
}

/// A bare `+N` only upgrades and `-N` only downgrades.
pub(super) fn check_direction(text: &str, steps: i64, direction: Option<Direction>) -> Result<()> {
    let wrong = match direction {
        Some(Direction::Up) => steps < 0,
        Some(Direction::Down) => steps > 0,
        None => false,
    };
    if wrong {
        return Err(Error::InvalidTarget {
            target: text.to_string(),
            reason: if steps < 0 {
                "a negative step moves down; use `downgrade`".to_string()
            } else {
                "a positive step moves up; use `upgrade`".to_string()
            },
        });
    }
    Ok(())
}
