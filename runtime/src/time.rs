//! The `time` object of every successful answer.
//!
//! A protocol type: the client reads it to track each method's operating-time
//! budget, so it is defined here and not in the schema of any method. Knows
//! nothing about how answers are received.

use serde::{Deserialize, Serialize};

use crate::wire::{LenientFloat, LenientInt};

/// Timing of a call, sent with every successful answer.
///
/// The operating fields appear only where the portal limits execution time
/// per method (the cloud).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Time {
    /// When the server started the request (Unix time, seconds).
    #[serde(with = "serde_with::As::<LenientFloat>")]
    pub start: f64,
    /// When the server finished the request (Unix time, seconds).
    #[serde(with = "serde_with::As::<LenientFloat>")]
    pub finish: f64,
    /// Seconds from start to finish.
    #[serde(with = "serde_with::As::<LenientFloat>")]
    pub duration: f64,
    /// Seconds spent in the method itself. Not every method sends it: the
    /// documentation says the fields of `time` vary by method and
    /// environment, and some documented answers have no `processing`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "serde_with::As::<Option<LenientFloat>>"
    )]
    pub processing: Option<f64>,
    /// The start as an ISO-8601 date and time with offset.
    pub date_start: chrono::DateTime<chrono::FixedOffset>,
    /// The finish as an ISO-8601 date and time with offset.
    pub date_finish: chrono::DateTime<chrono::FixedOffset>,
    /// When the oldest minute of this method's operating time expires (Unix
    /// time, seconds).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "serde_with::As::<Option<LenientInt>>"
    )]
    pub operating_reset_at: Option<i64>,
    /// Seconds this method ran for this application or webhook over the last
    /// ten minutes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "serde_with::As::<Option<LenientFloat>>"
    )]
    pub operating: Option<f64>,
}

impl Time {
    /// The timing of a call that ran from `date_start` to `date_finish`, for
    /// tests and examples: the Unix times, the duration and the processing
    /// time follow from the two dates, and the operating fields are `None`
    /// (every field is public).
    ///
    /// ```
    /// use bitrix24::{Time, chrono};
    ///
    /// let start = chrono::DateTime::parse_from_rfc3339("2026-03-18T19:15:53+02:00").unwrap();
    /// let time = Time::new(start, start + chrono::TimeDelta::milliseconds(250));
    /// assert_eq!(time.start, 1_773_854_153.0);
    /// assert_eq!(time.duration, 0.25);
    /// ```
    pub fn new(
        date_start: chrono::DateTime<chrono::FixedOffset>,
        date_finish: chrono::DateTime<chrono::FixedOffset>,
    ) -> Self {
        // Milliseconds since 1970 are exact in an f64 for 285,000 years; the
        // duration is taken before dividing, so it is as exact as it can be.
        #[allow(clippy::cast_precision_loss)]
        let seconds = |millis: i64| millis as f64 / 1000.0;
        let (start, finish) = (
            date_start.timestamp_millis(),
            date_finish.timestamp_millis(),
        );
        let duration = seconds(finish.saturating_sub(start));
        Self {
            start: seconds(start),
            finish: seconds(finish),
            duration,
            processing: Some(duration),
            date_start,
            date_finish,
            operating_reset_at: None,
            operating: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATES: &str =
        r#""date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:54+02:00""#;

    #[test]
    fn processing_is_read_where_sent_and_none_where_not() {
        let sent: Time = serde_json::from_str(&format!(
            r#"{{"start":1,"finish":2,"duration":1,"processing":"0.5",{DATES}}}"#
        ))
        .unwrap();
        assert_eq!(sent.processing, Some(0.5));
        let missing: Time =
            serde_json::from_str(&format!(r#"{{"start":1,"finish":2,"duration":1,{DATES}}}"#))
                .unwrap();
        assert_eq!(missing.processing, None);
        let encoded = serde_json::to_value(&missing).unwrap();
        assert!(encoded.get("processing").is_none(), "{encoded}");
    }

    #[test]
    fn the_other_timings_stay_required() {
        let error = serde_json::from_str::<Time>(&format!(r#"{{"start":1,"finish":2,{DATES}}}"#))
            .unwrap_err();
        assert!(error.to_string().contains("duration"), "{error}");
    }
}
