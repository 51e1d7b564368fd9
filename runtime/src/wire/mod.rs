//! Wire-level building blocks shared by every generated method.
//!
//! Bitrix24 speaks a loose dialect of JSON: numbers arrive as numeric strings,
//! flags in four forms, unset values as `""`, empty maps as `[]`, list
//! parameters accept one value or many, and the batch method needs
//! parameters as a PHP-style query string. This module turns those quirks
//! into ordinary Rust types. It knows nothing about particular methods, HTTP
//! or authentication.

mod custom;
mod dates;
mod file;
mod flag;
mod json_path;
mod lenient;
mod list;
mod object;
mod one_or_many;
mod or_empty;
mod php_array;
mod php_query;
mod text;
mod tolerant;

pub use custom::CustomFields;
pub use dates::{LenientDate, LocalDateTime, UnixTime};
pub use file::File;
pub use flag::{OneZero, OneZeroNumber, TrueFalse, YesNo};
pub(crate) use json_path::failure_path as json_failure_path;
pub use lenient::{LenientFloat, LenientInt, deserialize_numeric_id};
pub use list::{Conditions, Direction, SortOrder};
pub use object::{
    Key, ObjectWriter, ReadObject, deserialize_object, next_key, required, unknown_field, value_as,
};
pub use one_or_many::OneOrMany;
pub use or_empty::OrEmpty;
pub use php_array::PhpMap;
pub use php_query::to_php_query;
pub use text::{deserialize_numeric_with, deserialize_str_with};
pub use tolerant::{Decoding, Mismatch, ObjectReader};
pub(crate) use tolerant::{decode as decode_tolerantly, is_list};
