//! Wire-level building blocks shared by every generated method.
//!
//! Bitrix24 speaks a loose dialect of JSON: numbers arrive as numeric strings,
//! flags as `"Y"`/`"N"`, list parameters accept one value or many, and the batch
//! method needs parameters as a PHP-style query string. This module turns those
//! quirks into ordinary Rust types. It knows nothing about particular methods,
//! HTTP or authentication.

mod lenient;
mod one_or_many;
mod php_query;
mod text;
mod yes_no;

pub use lenient::{LenientFloat, LenientInt, deserialize_numeric_id};
pub use one_or_many::OneOrMany;
pub use php_query::to_php_query;
pub use text::deserialize_str_with;
pub use yes_no::YesNo;
