//! The two load limits of a cloud portal: the per-portal leaky bucket on requests and the
//! per-method operating-time limit. Both run on emulated seconds supplied by the caller and
//! know nothing about HTTP or methods.

mod bucket;
mod operating;

pub(crate) use bucket::LeakyBucket;
pub(crate) use operating::OperatingLimiter;
