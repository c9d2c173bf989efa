//! The target grammar (`docs/targets.md`): `head`, `heads`, `base`, ids and prefixes,
//! `+N`/`-N`, `<rev>+N`, `base+N`, `<label>@head|base|+N|<rev>` and ranges `a:b`.
//!
//! Parsing is separate from resolution: a [`Target`] says what was asked for, and
//! [`RevisionGraph`](super::RevisionGraph) decides what it means for a given graph
//! and database state.

use std::fmt;

use crate::error::{Error, Result};

/// What an upgrade, downgrade or stamp aims at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `heads`: every head.
    Heads,
    /// `head`: the one head (an error when there are several).
    Head,
    /// `base`: before every revision.
    Base,
    /// A full id, a unique prefix of 4+ characters, or a bare branch label
    /// (meaning `<label>@head`).
    Revision(String),
    /// `+N`, `-N` (from the database's current heads) or `<anchor>+N`, `<anchor>-N`.
    Relative {
        /// `None`: from the current heads.
        anchor: Option<Anchor>,
        /// Positive: towards heads; negative: towards bases.
        steps: i64,
    },
    /// `<label>@...`.
    Branch {
        /// The branch label.
        label: String,
        /// Which part of the branch.
        at: BranchAt,
    },
}

/// The left side of `<anchor>+N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// `head+N`/`head-N`.
    Head,
    /// `base+N`.
    Base,
    /// `<rev>+N`.
    Revision(String),
}

/// The right side of `<label>@...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchAt {
    /// `@head`
    Head,
    /// `@base`
    Base,
    /// `@+N` / `@-N`, from the branch's current head in the database.
    Relative(i64),
    /// `@<rev>`: a revision that must be on the branch.
    Revision(String),
}

impl Target {
    /// Parses a target string.
    ///
    /// ```
    /// use migrate_core::revision::target::{Anchor, BranchAt, Target};
    /// assert_eq!(Target::parse("heads").unwrap(), Target::Heads);
    /// assert_eq!(Target::parse("ae10+2").unwrap(),
    ///            Target::Relative { anchor: Some(Anchor::Revision("ae10".into())), steps: 2 });
    /// assert_eq!(Target::parse("auth@head").unwrap(),
    ///            Target::Branch { label: "auth".into(), at: BranchAt::Head });
    /// assert!(Target::parse("a b").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Target> {
        let invalid = |reason: &str| Error::InvalidTarget {
            target: text.to_string(),
            reason: reason.to_string(),
        };
        let s = text.trim();
        if s.is_empty() {
            return Err(invalid("empty target"));
        }
        if s.contains(':') {
            return Err(invalid(
                "a range `a:b` is only accepted by `history -r` and `--sql`",
            ));
        }
        if let Some((label, at)) = s.split_once('@') {
            if !super::file::is_valid_label(label) {
                return Err(invalid("the part before `@` must be a branch label"));
            }
            let at = match at {
                "head" | "heads" => BranchAt::Head,
                "base" => BranchAt::Base,
                _ if at.starts_with('+') || at.starts_with('-') => BranchAt::Relative(
                    parse_steps(at).ok_or_else(|| invalid("expected <label>@+N or <label>@-N"))?,
                ),
                rev if super::file::is_valid_id(rev) => BranchAt::Revision(rev.to_string()),
                _ => {
                    return Err(invalid(
                        "expected <label>@head, <label>@base, <label>@+N or <label>@<rev>",
                    ))
                }
            };
            return Ok(Target::Branch {
                label: label.to_string(),
                at,
            });
        }
        match s {
            "heads" => return Ok(Target::Heads),
            "head" => return Ok(Target::Head),
            "base" => return Ok(Target::Base),
            _ => {}
        }
        if s.starts_with('+') || s.starts_with('-') {
            let steps =
                parse_steps(s).ok_or_else(|| invalid("expected +N or -N with N a whole number"))?;
            return Ok(Target::Relative {
                anchor: None,
                steps,
            });
        }
        if let Some(split) = s.rfind(['+', '-']) {
            let (anchor, steps) = s.split_at(split);
            if let Some(steps) = parse_steps(steps) {
                let anchor = match anchor {
                    "head" | "heads" => Anchor::Head,
                    "base" => Anchor::Base,
                    rev if super::file::is_valid_id(rev) => Anchor::Revision(rev.to_string()),
                    _ => return Err(invalid("expected <rev>+N, <rev>-N or base+N")),
                };
                return Ok(Target::Relative {
                    anchor: Some(anchor),
                    steps,
                });
            }
        }
        if super::file::is_valid_label(s) {
            return Ok(Target::Revision(s.to_string()));
        }
        Err(invalid(
            "expected head, heads, base, a revision id or prefix, +N/-N, <rev>+N, or <label>@head",
        ))
    }
}

/// `+N` or `-N` as a signed count; `None` unless N is a whole number.
fn parse_steps(s: &str) -> Option<i64> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().map(|n| sign * n)
}

/// Splits a history range `a:b`; either side may be empty. `None` for a plain target.
pub fn split_range(text: &str) -> Option<(Option<&str>, Option<&str>)> {
    let (a, b) = text.split_once(':')?;
    Some((non_empty(a), non_empty(b)))
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Heads => f.write_str("heads"),
            Target::Head => f.write_str("head"),
            Target::Base => f.write_str("base"),
            Target::Revision(r) => f.write_str(r),
            Target::Relative { anchor, steps } => {
                match anchor {
                    None => {}
                    Some(Anchor::Head) => f.write_str("head")?,
                    Some(Anchor::Base) => f.write_str("base")?,
                    Some(Anchor::Revision(r)) => f.write_str(r)?,
                }
                write!(f, "{steps:+}")
            }
            Target::Branch { label, at } => match at {
                BranchAt::Head => write!(f, "{label}@head"),
                BranchAt::Base => write!(f, "{label}@base"),
                BranchAt::Relative(n) => write!(f, "{label}@{n:+}"),
                BranchAt::Revision(r) => write!(f, "{label}@{r}"),
            },
        }
    }
}
