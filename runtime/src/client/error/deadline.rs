//! The overall deadline of a call ran out.
//!
//! Knows only what the deadline cut short, not why the earlier attempts failed.

use std::fmt;
use std::time::Duration;

/// The call's overall deadline passed before it finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineExceeded {
    deadline: Duration,
    attempts: u32,
    in_flight: bool,
}

impl DeadlineExceeded {
    pub(crate) fn new(deadline: Duration, attempts: u32, in_flight: bool) -> Self {
        Self {
            deadline,
            attempts,
            in_flight,
        }
    }

    /// The configured deadline.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// How many requests were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a request was on its way when the deadline passed, in which
    /// case it may or may not have taken effect.
    pub fn in_flight(&self) -> bool {
        self.in_flight
    }
}

impl fmt::Display for DeadlineExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the call's deadline of {:?} passed after {} attempt(s)",
            self.deadline, self.attempts
        )?;
        if self.in_flight {
            f.write_str("; the last request was cut off and may or may not have taken effect")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeadlineExceeded {}
