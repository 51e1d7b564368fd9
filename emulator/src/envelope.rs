//! The success envelope (`result`, `next`, `total`, `time`) and the `time` object.
//!
//! Knows how the server formats times (`microtime(true)` floats and PHP `date('c')`), not how
//! they were measured.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::methods::Output;
use crate::php::Value;

/// Measurements of one call, in real Unix seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) start: f64,
    pub(crate) finish: f64,
    pub(crate) processing: f64,
    pub(crate) operating: f64,
    pub(crate) operating_reset_at: f64,
}

/// PHP `date('c')` in the portal's time zone.
pub(crate) fn date_c(unix: f64, offset: FixedOffset) -> String {
    let secs = unix.floor() as i64;
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

impl Timing {
    pub(crate) fn to_value(self, offset: FixedOffset) -> Value {
        Value::object([
            ("start", Value::Float(self.start)),
            ("finish", Value::Float(self.finish)),
            ("duration", Value::Float(self.finish - self.start)),
            ("processing", Value::Float(self.processing)),
            ("date_start", Value::Str(date_c(self.start, offset))),
            ("date_finish", Value::Str(date_c(self.finish, offset))),
            (
                "operating_reset_at",
                Value::Int(self.operating_reset_at.ceil() as i64),
            ),
            ("operating", Value::Float(self.operating)),
        ])
    }
}

/// Serializes `value` (PHP-style values serialize like `json_encode`).
pub(crate) fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    // Serializing in-memory values with string keys cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// `{"result": …, "next": …, "total": …, "time": {…}}`.
pub(crate) fn success(output: Output, time: Value) -> Value {
    let mut pairs = vec![("result", output.result)];
    if let Some(next) = output.next {
        pairs.push(("next", Value::Int(next)));
    }
    if let Some(total) = output.total {
        pairs.push(("total", Value::Int(total)));
    }
    pairs.push(("time", time));
    Value::object(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_use_php_c_format() {
        // 1773850553 is 16:15:53 UTC. (The reference's example pairs it with 19:15:53+02:00,
        // an hour off; date('c') of the timestamp is what the source computes.)
        let offset = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(date_c(1773850553.26, offset), "2026-03-18T18:15:53+02:00");
        assert_eq!(
            date_c(1773850553.0, FixedOffset::east_opt(0).unwrap()),
            "2026-03-18T16:15:53+00:00"
        );
    }

    #[test]
    fn envelope_orders_fields() {
        let mut out = Output::new(Value::list([]));
        out.next = Some(50);
        out.total = Some(51);
        let json = serde_json::to_string(&success(out, Value::Null)).unwrap();
        assert_eq!(json, r#"{"result":[],"next":50,"total":51,"time":null}"#);
    }
}
