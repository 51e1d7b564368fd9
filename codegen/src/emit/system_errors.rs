//! The codes of errors any method can return, with their category and retry rule.

use quote::quote;

use super::docs::{code, lines, sanitize_line};
use super::{EmittedFile, OUTPUT_DIR, ident};
use crate::model::{Api, Category, Retry};

/// The `SystemErrorCode` file.
pub fn emit(api: &Api) -> EmittedFile {
    let variants = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        let mut text: Vec<String> = error.doc.lines().map(sanitize_line).collect();
        text.push(String::new());
        let status = error
            .status
            .map(|status| format!(", usually with HTTP status {status}"))
            .unwrap_or_default();
        text.push(format!(
            "Code {}: {}{status}.",
            code(&error.code),
            code(&error.description)
        ));
        let docs = lines(&text);
        quote!(#docs #variant,)
    });
    let as_str = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        let code = &error.code;
        quote!(Self::#variant => #code,)
    });
    let from_code = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        let code = &error.code;
        quote!(#code => Some(Self::#variant),)
    });
    let categories = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        let category = ident(category_variant(error.category));
        quote!(Self::#variant => SystemErrorCategory::#category,)
    });
    let retries = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        let retry = ident(retry_variant(error.retry));
        quote!(Self::#variant => SystemErrorRetry::#retry,)
    });
    let all = api.system_errors.iter().map(|error| {
        let variant = ident(&error.variant);
        quote!(Self::#variant)
    });
    let count = api.system_errors.len();
    EmittedFile {
        path: format!("{OUTPUT_DIR}/system_errors.rs"),
        source: "the system_errors in schema/".to_owned(),
        module_doc: "Codes of the errors any method can return.".to_owned(),
        tokens: quote! {
            use crate::error::{SystemErrorCategory, SystemErrorRetry};

            /// The code of an error any method can return.
            ///
            /// Match on this rather than on the HTTP status, which differs between
            /// server versions.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum SystemErrorCode {
                #(#variants)*
            }

            impl SystemErrorCode {
                /// Every known code.
                pub const ALL: [Self; #count] = [#(#all),*];

                /// The `error` code as the server sends it.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        #(#as_str)*
                    }
                }

                /// The code for an `error` string, if it is a known system error.
                pub fn from_code(code: &str) -> Option<Self> {
                    match code {
                        #(#from_code)*
                        _ => None,
                    }
                }

                /// What kind of failure the code reports.
                pub const fn category(self) -> SystemErrorCategory {
                    match self {
                        #(#categories)*
                    }
                }

                /// Whether a call that failed with the code may be sent again.
                pub const fn retry(self) -> SystemErrorRetry {
                    match self {
                        #(#retries)*
                    }
                }
            }

            impl std::fmt::Display for SystemErrorCode {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
    }
}

fn category_variant(category: Category) -> &'static str {
    match category {
        Category::RateLimit => "RateLimit",
        Category::OperationTimeLimit => "OperationTimeLimit",
        Category::ExpiredToken => "ExpiredToken",
        Category::Authentication => "Authentication",
        Category::Scope => "Scope",
        Category::AccessDenied => "AccessDenied",
        Category::Portal => "Portal",
        Category::MethodNotFound => "MethodNotFound",
        Category::BadRequest => "BadRequest",
        Category::Internal => "Internal",
    }
}

fn retry_variant(retry: Retry) -> &'static str {
    match retry {
        Retry::Never => "Never",
        Retry::Backoff => "Backoff",
        Retry::AfterOperatingReset => "AfterOperatingReset",
        Retry::AfterTokenRefresh => "AfterTokenRefresh",
        Retry::IfRetrySafe => "IfRetrySafe",
    }
}
