//! The `time` object of every successful answer.
//!
//! A protocol type: the client reads it to track each method's operating-time
//! budget, so it is defined here and not in the schema of any method. Knows
//! nothing about how answers are received.

use serde::{Deserialize, Serialize};
use serde_with::serde_as;

use crate::wire::{LenientFloat, LenientInt};

/// Timing of a call, sent with every successful answer.
///
/// The operating fields appear only where the portal limits execution time
/// per method (the cloud).
#[serde_as]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Time {
    /// When the server started the request (Unix time, seconds).
    #[serde_as(as = "LenientFloat")]
    pub start: f64,
    /// When the server finished the request (Unix time, seconds).
    #[serde_as(as = "LenientFloat")]
    pub finish: f64,
    /// Seconds from start to finish.
    #[serde_as(as = "LenientFloat")]
    pub duration: f64,
    /// Seconds spent in the method itself.
    #[serde_as(as = "LenientFloat")]
    pub processing: f64,
    /// The start as an ISO-8601 date and time with offset.
    pub date_start: chrono::DateTime<chrono::FixedOffset>,
    /// The finish as an ISO-8601 date and time with offset.
    pub date_finish: chrono::DateTime<chrono::FixedOffset>,
    /// When the oldest minute of this method's operating time expires (Unix
    /// time, seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde_as(as = "Option<LenientInt>")]
    pub operating_reset_at: Option<i64>,
    /// Seconds this method ran for this application or webhook over the last
    /// ten minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde_as(as = "Option<LenientFloat>")]
    pub operating: Option<f64>,
}
