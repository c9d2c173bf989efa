//! [`Direction`]: up or down. A leaf, so that [`error`](crate::error) can name a
//! direction without depending on the rest of `revision`.

use std::fmt;

/// Which way a section or a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// `-- migrate:up`
    Up,
    /// `-- migrate:down`
    Down,
}

impl Direction {
    /// `"up"` or `"down"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
