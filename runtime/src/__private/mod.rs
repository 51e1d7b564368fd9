//! The contract between the generated `bitrix24` crate and this runtime: the
//! only items generated code may name.
//!
//! Generated code reaches the runtime through `::bitrix24_runtime::__private`
//! alone (a test checks every generated file), so the runtime can change
//! anything else without regenerating, and whatever this module does not
//! export cannot be relied on by accident. It is hidden from the docs and is
//! not part of the public API: users name the same items through the
//! `bitrix24` crate's root.
//!
//! What it holds:
//! - the traits every generated type implements ([`Method`], and
//!   [`ErrorTable`] for errors, from which [`MethodError`] follows), the
//!   entries of an error table ([`OwnError`], [`ErrorClass`]), the error
//!   types generated errors wrap, and [`error_impls!`], which writes the
//!   impls every generated error has beside its table;
//! - the wire building blocks generated types are made of ([`Id`],
//!   [`OneOrMany`], [`File`], the filter and order builders, the adapters
//!   for numbers, flags, dates, `""` and PHP arrays);
//! - what the generated client functions and setters need ([`Client`],
//!   [`Call`], [`ClientHandle`], [`HasRequest`], [`prepare`]);
//! - the object helpers generated `Serialize` and `Deserialize` impls are
//!   written with ([`ObjectWriter`], [`ReadObject`], [`value_as`], ...);
//! - the serde crates, so derives resolve without the generated crate
//!   depending on them itself;
//! - the std items generated code names (`Option`, `String`, `Vec`, `Into`,
//!   `fmt`, ...), so it names them through `rt::` as well: shorter than
//!   their full paths, and just as impossible for a schema name to shadow;
//! - the checks behind the tests generated from schema examples;
//! - [`schema`], the types of the method descriptions generated behind the
//!   `schema` feature (public as `bitrix24::schema`), which are also the
//!   format of the data the generator embeds in each crate, and
//!   [`EmbeddedSchema`] and [`SchemaCatalog`], which parse it on first use
//!   and find methods and types in it;
//! - [`reserved`], every name the runtime claims at each place generated
//!   code writes into, which the generator also reads.

mod embedded;
mod examples;
mod handle;
pub mod reserved;
pub mod schema;

pub use ::core::convert::{From, Into};
pub use ::core::fmt;
pub use ::core::iter::{IntoIterator, Iterator};
pub use ::core::option::Option;
pub use ::core::result::Result;
pub use ::std::borrow::ToOwned;
pub use ::std::string::String;
pub use ::std::vec::Vec;
pub use chrono;
pub use indexmap::IndexMap;
pub use serde;
pub use serde_json;
pub use serde_with;
pub use serde_with::Same;

pub use self::embedded::{EmbeddedSchema, SchemaCatalog};
pub use self::examples::{check_answer_example, check_error_example, check_request_example};
#[cfg(feature = "blocking")]
pub(crate) use self::handle::sealed::Sealed as HandleSealed;
pub use self::handle::{ClientHandle, HasRequest, prepare};
pub use crate::__error_impls as error_impls;
pub use crate::client::{Call, Client, Field, Param};
pub use crate::error::table::display_error;
pub use crate::error::{ApiError, ErrorClass, ErrorTable, OwnError, SystemError, UnknownError};
pub use crate::id::Id;
pub use crate::method::{Batchable, Keyset, Method, MethodError, Paged, RestVersion};
pub use crate::wire::{
    Conditions, CustomFields, Direction, File, Key, LenientDate, LenientFloat, LenientInt,
    LocalDateTime, ObjectReader, ObjectWriter, OneOrMany, OneZero, OneZeroNumber, OrEmpty, PhpMap,
    ReadObject, SortOrder, TrueFalse, UnixTime, YesNo, deserialize_numeric_id,
    deserialize_numeric_with, deserialize_object, deserialize_str_with, next_key, required,
    unknown_field, value_as,
};
