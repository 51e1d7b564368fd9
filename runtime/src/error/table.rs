//! A method's own errors as data, and the behaviour of every generated error
//! type written once over that data.
//!
//! A generated error type is an enum with a variant per documented error
//! plus `System` and `Unknown`. What it implements itself is
//! [`ErrorTable`]: the table of its own errors in the order the server
//! checks them ([`OwnError`] entries: the answers each matches and the
//! variant they become) and which class a value is ([`ErrorClass`]).
//! Everything else, [`MethodError`] (matching, `code`, `description`,
//! `as_system`) and the text its `Display` writes, is derived here from
//! those two, so no generated code is written per variant.

use std::fmt;
use std::mem;

use super::{ApiError, SystemError, UnknownError};
use crate::method::MethodError;

/// A method's error type described as data: its own errors as a table, and
/// where it keeps the errors any method can return and the unknown ones.
///
/// Implemented by every generated error type; [`MethodError`] follows from
/// it. An implementation is an enum whose table has one entry per variant
/// that is not a system or unknown error, each with a distinct variant.
pub trait ErrorTable:
    std::error::Error + From<SystemError> + From<UnknownError> + Clone + Send + Sync + 'static
{
    /// The method's own errors, in the order the server checks them: an
    /// answer is the first entry that matches it.
    const OWN_ERRORS: &'static [OwnError<Self>];

    /// Which class of error this is: one of the method's own (with the text
    /// its variant keeps from the server, if it keeps any), an error any
    /// method can return, or one this crate does not know.
    fn class(&self) -> ErrorClass<'_>;
}

/// Which class of error a method error is, as [`ErrorTable::class`] tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass<'a> {
    /// One of the method's own errors, with the text its variant keeps: the
    /// server's code for an entry matched by description alone, the
    /// server's description for one matched by code alone; `None` for a
    /// variant that keeps nothing.
    Own(Option<&'a str>),
    /// An error any method can return.
    System(&'a SystemError),
    /// An error this crate does not know.
    Unknown(&'a UnknownError),
}

/// One of a method's own errors: the answers it matches and the variant
/// they become.
///
/// An answer matches when its code is one of the entry's codes (any code if
/// there are none) and its description is one of the entry's descriptions
/// (any description if there are none), as [`ApiError::matches`] compares.
/// The first code and the first description are the ones the error reports
/// when the variant keeps none of its own.
#[derive(Debug, Clone, Copy)]
pub struct OwnError<E> {
    variant: Variant<E>,
    codes: &'static [&'static str],
    descriptions: &'static [&'static str],
}

/// How an entry makes its variant.
#[derive(Debug, Clone, Copy)]
enum Variant<E> {
    /// The schema fixes the code and the description: the variant keeps
    /// nothing.
    Fixed(E),
    /// Matched on the description alone: the variant keeps the server's
    /// code.
    KeepsCode(fn(String) -> E),
    /// Matched on the code alone: the variant keeps the server's
    /// description.
    KeepsDescription(fn(String) -> E),
}

impl<E> OwnError<E> {
    /// An error the schema fixes both the code and the description of:
    /// `variant`, for an answer with one of `codes` and one of
    /// `descriptions`.
    pub const fn new(
        variant: E,
        codes: &'static [&'static str],
        descriptions: &'static [&'static str],
    ) -> Self {
        Self {
            variant: Variant::Fixed(variant),
            codes,
            descriptions,
        }
    }

    /// An error recognised by its description alone, with any code: the
    /// variant `variant` makes from the server's code.
    pub const fn keeping_code(
        variant: fn(String) -> E,
        descriptions: &'static [&'static str],
    ) -> Self {
        Self {
            variant: Variant::KeepsCode(variant),
            codes: &[],
            descriptions,
        }
    }

    /// An error recognised by its code alone, with any description: the
    /// variant `variant` makes from the server's description.
    pub const fn keeping_description(
        variant: fn(String) -> E,
        codes: &'static [&'static str],
    ) -> Self {
        Self {
            variant: Variant::KeepsDescription(variant),
            codes,
            descriptions: &[],
        }
    }

    /// The codes the entry matches, the one it reports first; empty for any
    /// code.
    pub fn codes(&self) -> &'static [&'static str] {
        self.codes
    }

    /// The descriptions the entry matches, the one it reports first; empty
    /// for any description.
    pub fn descriptions(&self) -> &'static [&'static str] {
        self.descriptions
    }

    /// Whether `error` is this entry's error.
    pub fn matches(&self, error: &ApiError) -> bool {
        error.matches(self.codes, self.descriptions)
    }

    /// The code an error of this entry reports: the one the variant `kept`,
    /// else the entry's.
    fn code<'a>(&self, kept: Option<&'a str>) -> &'a str {
        match self.variant {
            Variant::KeepsCode(_) => kept.unwrap_or_default(),
            Variant::Fixed(_) | Variant::KeepsDescription(_) => first(self.codes),
        }
    }

    /// The description an error of this entry reports: the one the variant
    /// `kept`, else the entry's.
    fn description<'a>(&self, kept: Option<&'a str>) -> &'a str {
        match self.variant {
            Variant::KeepsDescription(_) => kept.unwrap_or_default(),
            Variant::Fixed(_) | Variant::KeepsCode(_) => first(self.descriptions),
        }
    }
}

impl<E: Clone> OwnError<E> {
    /// The variant for `error`, an answer this entry matches.
    fn variant_for(&self, error: &ApiError) -> E {
        match &self.variant {
            Variant::Fixed(variant) => variant.clone(),
            Variant::KeepsCode(variant) => variant(error.code().to_owned()),
            Variant::KeepsDescription(variant) => variant(error.description().to_owned()),
        }
    }

    /// Whether `error` is this entry's variant, whatever it keeps.
    fn is_variant_of(&self, error: &E) -> bool {
        let own = match &self.variant {
            Variant::Fixed(variant) => mem::discriminant(variant),
            Variant::KeepsCode(variant) | Variant::KeepsDescription(variant) => {
                mem::discriminant(&variant(String::new()))
            }
        };
        own == mem::discriminant(error)
    }
}

fn first(texts: &'static [&'static str]) -> &'static str {
    texts.first().copied().unwrap_or_default()
}

/// The entry of `error`'s variant, if it is one of the method's own. A
/// table that leaves out an own variant breaks the trait's contract; such a
/// variant reports the text it keeps, if any, rather than panic.
fn entry<E: ErrorTable>(error: &E) -> Option<&'static OwnError<E>> {
    E::OWN_ERRORS.iter().find(|own| own.is_variant_of(error))
}

/// Every method error described by a table: its own errors are tried in the
/// table's order, and each reports the code and description of its entry or
/// the one its variant keeps.
impl<E: ErrorTable> MethodError for E {
    fn own(error: &ApiError) -> Option<Self> {
        let own = E::OWN_ERRORS.iter().find(|own| own.matches(error))?;
        Some(own.variant_for(error))
    }

    fn code(&self) -> &str {
        match self.class() {
            ErrorClass::Own(kept) => {
                entry(self).map_or(kept.unwrap_or_default(), |own| own.code(kept))
            }
            ErrorClass::System(error) => error.code().as_str(),
            ErrorClass::Unknown(error) => error.code(),
        }
    }

    fn description(&self) -> &str {
        match self.class() {
            ErrorClass::Own(kept) => {
                entry(self).map_or(kept.unwrap_or_default(), |own| own.description(kept))
            }
            ErrorClass::System(error) => error.description(),
            ErrorClass::Unknown(error) => error.description(),
        }
    }

    fn as_system(&self) -> Option<&SystemError> {
        match self.class() {
            ErrorClass::System(error) => Some(error),
            ErrorClass::Own(_) | ErrorClass::Unknown(_) => None,
        }
    }
}

/// Writes a method error as its `Display` shows it: an own error as its
/// description, a system or unknown error as that error shows itself.
pub fn display_error<E: ErrorTable>(error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match error.class() {
        ErrorClass::Own(_) => f.write_str(MethodError::description(error)),
        ErrorClass::System(error) => fmt::Display::fmt(error, f),
        ErrorClass::Unknown(error) => fmt::Display::fmt(error, f),
    }
}

/// Implements for the error type `$error` what every generated error type
/// has beside its [`ErrorTable`]: `From` its `System` and `Unknown`
/// variants' errors, `Display` and `std::error::Error`.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_impls {
    ($error:ident) => {
        impl $crate::__private::From<$crate::__private::SystemError> for $error {
            fn from(error: $crate::__private::SystemError) -> Self {
                Self::System(error)
            }
        }

        impl $crate::__private::From<$crate::__private::UnknownError> for $error {
            fn from(error: $crate::__private::UnknownError) -> Self {
                Self::Unknown(error)
            }
        }

        impl $crate::__private::fmt::Display for $error {
            fn fmt(
                &self,
                f: &mut $crate::__private::fmt::Formatter<'_>,
            ) -> $crate::__private::fmt::Result {
                $crate::__private::display_error(self, f)
            }
        }

        impl ::std::error::Error for $error {}
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error of each shape the schema allows, in an order where the
    /// first entry takes answers the later ones would also match.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Sample {
        /// `ERROR_VALUE` with `Bad value`.
        BadValue,
        /// `ERROR_VALUE` with any other description.
        Invalid {
            description: String,
        },
        /// The empty code or its legacy codes, with `Not found`.
        NotFound,
        /// Any code with `Access denied` or `No access`.
        Denied {
            code: String,
        },
        System(SystemError),
        Unknown(UnknownError),
    }

    impl ErrorTable for Sample {
        const OWN_ERRORS: &'static [OwnError<Self>] = &[
            OwnError::new(Self::BadValue, &["ERROR_VALUE"], &["Bad value"]),
            OwnError::keeping_description(
                |description| Self::Invalid { description },
                &["ERROR_VALUE"],
            ),
            OwnError::new(Self::NotFound, &["", "ERROR_CORE"], &["Not found"]),
            OwnError::keeping_code(
                |code| Self::Denied { code },
                &["Access denied", "No access"],
            ),
        ];

        fn class(&self) -> ErrorClass<'_> {
            match self {
                Self::Invalid { description: kept } | Self::Denied { code: kept } => {
                    ErrorClass::Own(Some(kept))
                }
                Self::System(error) => ErrorClass::System(error),
                Self::Unknown(error) => ErrorClass::Unknown(error),
                Self::BadValue | Self::NotFound => ErrorClass::Own(None),
            }
        }
    }

    crate::__error_impls!(Sample);

    fn classify(code: &str, description: &str) -> Sample {
        Sample::from_api(ApiError::new(code, description))
    }

    #[test]
    fn the_first_entry_that_matches_wins() {
        assert_eq!(classify("ERROR_VALUE", "Bad value."), Sample::BadValue);
        assert_eq!(
            classify("ERROR_VALUE", "Too long"),
            Sample::Invalid {
                description: "Too long".to_owned()
            }
        );
    }

    #[test]
    fn the_empty_code_matches_its_legacy_codes_too() {
        assert_eq!(classify("", "Not found"), Sample::NotFound);
        assert_eq!(classify("ERROR_CORE", " Not found "), Sample::NotFound);
        assert!(matches!(
            classify("ERROR_ARGUMENT", "Not found"),
            Sample::Unknown(_)
        ));
    }

    #[test]
    fn an_entry_without_codes_matches_any_code_and_keeps_it() {
        let denied = classify("ERROR_PERMISSION", "No access");
        assert_eq!(
            denied,
            Sample::Denied {
                code: "ERROR_PERMISSION".to_owned()
            }
        );
        assert_eq!(denied.code(), "ERROR_PERMISSION");
        assert_eq!(
            denied.description(),
            "Access denied",
            "the first description"
        );
        assert_eq!(denied.to_string(), "Access denied");
    }

    #[test]
    fn an_entry_without_descriptions_reports_the_servers() {
        let invalid = classify("ERROR_VALUE", "Too long");
        assert_eq!(invalid.code(), "ERROR_VALUE");
        assert_eq!(invalid.description(), "Too long");
        assert_eq!(invalid.to_string(), "Too long");
    }

    #[test]
    fn a_fixed_entry_reports_its_first_code_and_description() {
        let found = classify("ERROR_CORE", "Not found.");
        assert_eq!(found.code(), "");
        assert_eq!(found.description(), "Not found");
        assert_eq!(found.to_string(), "Not found");
        assert_eq!(found.as_system(), None);
    }

    #[test]
    fn system_and_unknown_errors_report_themselves() {
        let system = classify("QUERY_LIMIT_EXCEEDED", "Too many requests");
        let Some(inner) = system.as_system() else {
            panic!("a system error: {system:?}");
        };
        assert_eq!(system.code(), "QUERY_LIMIT_EXCEEDED");
        assert_eq!(system.description(), "Too many requests");
        assert_eq!(system.to_string(), inner.to_string());

        let unknown = classify("ERROR_ELSE", "Something else");
        let Sample::Unknown(inner) = &unknown else {
            panic!("an unknown error: {unknown:?}");
        };
        assert_eq!(unknown.code(), "ERROR_ELSE");
        assert_eq!(unknown.description(), "Something else");
        assert_eq!(unknown.to_string(), inner.to_string());
        assert_eq!(unknown.as_system(), None);
    }

    #[test]
    fn an_own_error_comes_before_a_system_error_with_the_same_code() {
        assert_eq!(
            classify("ACCESS_DENIED", "Access denied"),
            Sample::Denied {
                code: "ACCESS_DENIED".to_owned()
            }
        );
        assert!(classify("ACCESS_DENIED", "Other").as_system().is_some());
    }

    #[test]
    fn the_table_is_readable_as_data() {
        let entry = &Sample::OWN_ERRORS[2];
        assert_eq!(entry.codes(), ["", "ERROR_CORE"]);
        assert_eq!(entry.descriptions(), ["Not found"]);
        assert!(entry.matches(&ApiError::new("ERROR_CORE", "Not found")));
        assert!(!entry.matches(&ApiError::new("ERROR_CORE", "Found")));
    }

    /// A REST 3.0 method that lists a system code as its own error.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum TaskError {
        NoSuchTask,
        System(SystemError),
        Unknown(UnknownError),
    }

    impl ErrorTable for TaskError {
        const OWN_ERRORS: &'static [OwnError<Self>] = &[OwnError::new(
            Self::NoSuchTask,
            &["BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION"],
            &["No such task."],
        )];

        fn class(&self) -> ErrorClass<'_> {
            match self {
                Self::System(error) => ErrorClass::System(error),
                Self::Unknown(error) => ErrorClass::Unknown(error),
                Self::NoSuchTask => ErrorClass::Own(None),
            }
        }
    }

    crate::__error_impls!(TaskError);

    #[test]
    fn a_methods_own_error_wins_over_the_rest_v3_system_code() {
        let code = "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION";
        let own = TaskError::from_api(ApiError::new(code, "No such task"));
        assert_eq!(own, TaskError::NoSuchTask);
        let other = TaskError::from_api(ApiError::new(code, "No such file"));
        let system = other.as_system().expect("a system error");
        assert_eq!(system.code(), crate::SystemErrorCode::RestV3EntityNotFound);
        assert_eq!(system.description(), "No such file");
    }

    #[test]
    fn validation_entries_survive_classification() {
        use crate::error::Violation;
        let entries = [Violation::new("id", "Required field `id` is not specified")];
        let answer = ApiError::new(
            "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
            "Error validating request object",
        )
        .with_validation(entries.clone());
        let error = TaskError::from_api(answer.clone());
        let system = error.as_system().expect("a system error");
        assert_eq!(system.validation(), entries);
        assert_eq!(
            system.to_string(),
            "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION: Error validating request object (id: Required field `id` is not specified)"
        );
        assert_eq!(ApiError::from(system.clone()), answer);
        let unknown = TaskError::from_api(
            ApiError::new("BITRIX_REST_V3_EXCEPTION_NEW", "m").with_validation(entries.clone()),
        );
        let TaskError::Unknown(unknown) = unknown else {
            panic!("{unknown:?}")
        };
        assert_eq!(unknown.validation(), entries);
    }
}
