//! One method's file: the request type, its `Method` impl, its error type and
//! the types defined in the method's schema file.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, lines, link, sanitize_line};
use super::named::{crate_imports, named_type, serde_attrs};
use super::ty::{adapter, named_types, rust_type, uses_one_or_many};
use super::{EmittedFile, OUTPUT_DIR, ident};
use crate::model::{Method, MethodError, Param, TypeKind};
use crate::names;

/// The generated file of one method.
pub fn emit(method: &Method) -> EmittedFile {
    let imports = imports(method);
    let request = request(method);
    let method_impl = method_impl(method);
    let error = error_type(method);
    let client = super::client::emit(method);
    let types = method.types.iter().map(named_type);
    let tests = super::tests::emit(method);
    EmittedFile {
        path: format!("{OUTPUT_DIR}/{}.rs", method.module),
        source: method.source.clone(),
        module_doc: format!("`{}`: {}", method.wire, sanitize_line(&method.summary)),
        tokens: quote! {
            #imports
            #request
            #method_impl
            #client
            #error
            #(#types)*
            #tests
        },
    }
}

fn imports(method: &Method) -> TokenStream {
    let mut mentioned = Vec::new();
    let mut one_or_many = false;
    for param in &method.params {
        named_types(&param.ty, &mut mentioned);
        one_or_many |= uses_one_or_many(&param.ty);
    }
    named_types(&method.result, &mut mentioned);
    for named in &method.types {
        if let TypeKind::Object { fields } = &named.kind {
            for field in fields {
                named_types(&field.ty, &mut mentioned);
            }
        }
    }
    mentioned.extend(["Method", "MethodError"]);
    let defined: Vec<&str> = method
        .types
        .iter()
        .map(|named| named.name.as_str())
        .collect();
    let types = crate_imports(mentioned, &defined, one_or_many);
    quote! {
        use crate::error::{ApiError, SystemError};
        #types
    }
}

fn request_docs(method: &Method) -> TokenStream {
    let mut text = vec![sanitize_line(&method.summary)];
    if let Some(description) = &method.description {
        text.push(String::new());
        text.extend(description.lines().map(sanitize_line));
    }
    text.push(String::new());
    text.push(format!(
        "Calls `{}` (scope {}).",
        method.wire,
        code(&method.scope)
    ));
    text.push(String::new());
    text.push(format!(
        "**Who may call it:** {}",
        sanitize_line(&method.access)
    ));
    text.push(String::new());
    text.push(if method.retry_safe {
        "**Retry:** safe; a call sent twice has the same effect as once.".to_owned()
    } else {
        "**Retry:** not safe; a call sent twice may act twice, so an ambiguous failure is reported, never retried."
            .to_owned()
    });
    text.push(String::new());
    text.push(format!(
        "**Returns:** {}",
        sanitize_line(&method.result_doc)
    ));
    if !method.errors.is_empty() {
        text.push(String::new());
        text.push(format!(
            "**Errors**, in the order the server checks them: see [`{}`].",
            method.error_name
        ));
    }
    text.push(String::new());
    text.push(link("Bitrix24 documentation", &method.docs_url));
    lines(&text)
}

fn request(method: &Method) -> TokenStream {
    let name = ident(&method.type_name);
    let docs = request_docs(method);
    let fields = method.params.iter().map(|param| {
        let field = ident(&param.rust);
        let ty = rust_type(&param.ty);
        let optional = !param.required;
        let ty = if optional { quote!(Option<#ty>) } else { ty };
        let adapted = adapter(&param.ty);
        let attrs = serde_attrs(&param.wire, &param.rust, optional, adapted.is_some());
        let serde_as = adapted.map(|adapter| {
            let adapter = if optional {
                format!("Option<{adapter}>")
            } else {
                adapter
            };
            quote!(#[serde_as(as = #adapter)])
        });
        quote!(#attrs #serde_as #field: #ty,)
    });
    let serde_as = method
        .params
        .iter()
        .any(|param| adapter(&param.ty).is_some())
        .then(|| quote!(#[serde_with::serde_as]));
    let constructor = constructor(method);
    let setters = method.optional_params().map(setter);
    let default = method
        .required_params()
        .next()
        .is_none()
        .then(|| quote!(Default,));
    quote! {
        #docs
        #serde_as
        #[derive(Debug, Clone, #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

fn constructor(method: &Method) -> TokenStream {
    let docs = lines(&with_required_params(
        vec!["Creates the request from its required parameters.".to_owned()],
        method,
    ));
    let args = required_args(method);
    let inits = method.params.iter().map(|param| {
        let name = ident(&param.rust);
        if param.required {
            quote!(#name: #name.into(),)
        } else {
            quote!(#name: None,)
        }
    });
    quote! {
        #docs
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* }
        }
    }
}

/// The rustdoc of an optional parameter's setter.
pub fn setter_docs(param: &Param) -> TokenStream {
    let mut text: Vec<String> = param.doc.lines().map(sanitize_line).collect();
    text.push(String::new());
    text.push(format!("Sent as {}.", code(&param.wire)));
    lines(&text)
}

/// `name: impl Into<Type>` for each required parameter, in order.
pub fn required_args(method: &Method) -> Vec<TokenStream> {
    method
        .required_params()
        .map(|param| {
            let name = ident(&param.rust);
            let ty = rust_type(&param.ty);
            quote!(#name: impl Into<#ty>)
        })
        .collect()
}

/// Rustdoc `text` followed by a list of the required parameters, if any.
pub fn with_required_params(mut text: Vec<String>, method: &Method) -> Vec<String> {
    let mut required = method.required_params().peekable();
    if required.peek().is_some() {
        text.push(String::new());
        text.extend(required.map(param_doc_line));
    }
    text
}

/// One line of a constructor's argument list in rustdoc.
fn param_doc_line(param: &Param) -> String {
    format!(
        "- `{}` ({}): {}",
        names::unraw(&param.rust),
        code(&param.wire),
        sanitize_line(&param.doc)
    )
}

fn setter(param: &Param) -> TokenStream {
    let name = ident(&param.rust);
    let ty = rust_type(&param.ty);
    let docs = setter_docs(param);
    quote! {
        #docs
        pub fn #name(mut self, #name: impl Into<#ty>) -> Self {
            self.#name = Some(#name.into());
            self
        }
    }
}

fn method_impl(method: &Method) -> TokenStream {
    let name = ident(&method.type_name);
    let error = ident(&method.error_name);
    let wire = &method.wire;
    let scope = &method.scope;
    let retry_safe = method.retry_safe;
    let paged = method.paged;
    let response = rust_type(&method.result);
    quote! {
        impl Method for #name {
            const NAME: &'static str = #wire;
            const SCOPE: &'static str = #scope;
            const RETRY_SAFE: bool = #retry_safe;
            const PAGED: bool = #paged;
            type Response = #response;
            type Error = #error;
        }
    }
}

fn error_type(method: &Method) -> TokenStream {
    let name = ident(&method.error_name);
    let docs = lines(&[
        format!("An error answer to `{}`.", method.wire),
        String::new(),
        "The method's own errors come first, in the order the server checks them; then errors any method can \
         return, and a fallback that keeps whatever else the server said."
            .to_owned(),
    ]);
    let variants = method.errors.iter().map(error_variant);
    let described = method
        .errors
        .iter()
        .filter(|error| error.description.is_some())
        .map(|error| {
            let variant = ident(&error.variant);
            let description = error.description.as_deref().unwrap_or_default();
            quote!(#description => return Self::#variant,)
        });
    let by_code = method
        .errors
        .iter()
        .filter(|error| error.description.is_none())
        .map(|error| {
            let variant = ident(&error.variant);
            let code = &error.code;
            quote! {
                if error.code() == #code {
                    return Self::#variant { description: error.into_parts().1 };
                }
            }
        });
    let description_match = method
        .errors
        .iter()
        .any(|error| error.description.is_some())
        .then(|| {
            quote! {
                if error.has_method_error_code() {
                    match error.description() {
                        #(#described)*
                        _ => {}
                    }
                }
            }
        });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error any method can return, such as a rate limit or an expired token.
            #[error(transparent)]
            System(#[from] SystemError),
            /// An error this crate does not know, as the server sent it.
            #[error("{description} (code {code:?})")]
            Unknown {
                /// The `error` code; may be empty.
                code: String,
                /// The `error_description`.
                description: String,
            },
        }

        impl MethodError for #name {
            fn from_api(error: ApiError) -> Self {
                #description_match
                #(#by_code)*
                match SystemError::try_from(error) {
                    Ok(system) => Self::System(system),
                    Err(error) => {
                        let (code, description) = error.into_parts();
                        Self::Unknown { code, description }
                    }
                }
            }
        }
    }
}

fn error_variant(error: &MethodError) -> TokenStream {
    let variant = ident(&error.variant);
    let mut text = Vec::new();
    if let Some(doc) = &error.doc {
        text.extend(doc.lines().map(sanitize_line));
        text.push(String::new());
    }
    match &error.description {
        Some(description) => {
            let code = if error.code.is_empty() {
                "an empty code".to_owned()
            } else {
                format!("code {}", code(&error.code))
            };
            let description_text = super::docs::code(description);
            text.push(format!(
                "The server answers {description_text} with {code}."
            ));
            let docs = lines(&text);
            let message = description.replace('{', "{{").replace('}', "}}");
            quote! {
                #docs
                #[error(#message)]
                #variant,
            }
        }
        None => {
            text.push(format!(
                "The server answers with code {}; the description gives the reason.",
                code(&error.code)
            ));
            let docs = lines(&text);
            quote! {
                #docs
                #[error("{description}")]
                #variant {
                    /// The server's description.
                    description: String,
                },
            }
        }
    }
}
