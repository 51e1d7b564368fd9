//! One method's file: the request type, its `Method` impl, the trait of
//! setters for its optional parameters, its error type and the types defined
//! in the method's schema file.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{code, lines, link, sanitize_line};
use super::named::{markers, named_type};
use super::serde::{field_attrs, serde_as, serde_crate};
use super::ty::{adapter, option, rust_type};
use super::{EmittedFile, family_dir, ident, runtime_import};
use crate::layout::Layout;
use crate::model::{Family, Method, MethodError, Param};
use crate::names;

/// The generated file of one method.
pub fn emit(layout: &Layout, family: &Family, method: &Method) -> EmittedFile {
    let request = request(method);
    let method_impl = method_impl(method);
    let setters = setters(method);
    let error = error_type(method);
    let types = method.types.iter().map(named_type);
    let markers = markers(&method.types);
    let tests = super::tests::emit(method);
    let runtime = runtime_import();
    EmittedFile {
        path: format!(
            "{}/{}.rs",
            family_dir(layout, family),
            names::unraw(&method.module)
        ),
        source: method.source.clone(),
        module_doc: format!("`{}`: {}", method.wire, sanitize_line(&method.summary)),
        tokens: quote! {
            #runtime
            #request
            #method_impl
            #setters
            #error
            #(#types)*
            #markers
            #tests
        },
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
    if let Some(setters) = &method.setters_trait {
        text.push(String::new());
        text.push(format!(
            "Required parameters are the arguments of [`new`](Self::new); optional ones are set with [`{setters}`], on the request or on a pending call."
        ));
    }
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
        let ty = if optional { option(ty) } else { ty };
        let attrs = field_attrs(&param.wire, &param.rust, optional, adapter(&param.ty));
        quote!(#attrs #field: #ty,)
    });
    let serde_as = serde_as(
        method
            .params
            .iter()
            .any(|param| adapter(&param.ty).is_some()),
    );
    let serde_crate = serde_crate();
    let constructor = constructor(method);
    let default = method
        .required_params()
        .next()
        .is_none()
        .then(|| quote!(Default,));
    quote! {
        #docs
        #serde_as
        #[derive(Debug, Clone, #default PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #serde_crate
        #[serde(deny_unknown_fields)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor
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
            quote!(#name: rt::Into::into(#name),)
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

/// `name: impl Into<Type>` for each required parameter, in order.
pub fn required_args(method: &Method) -> Vec<TokenStream> {
    method
        .required_params()
        .map(|param| {
            let name = ident(&param.rust);
            let ty = rust_type(&param.ty);
            quote!(#name: impl rt::Into<#ty>)
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

/// The trait of setters, written once for the request and a pending call of
/// it: both hold the request (`HasRequest`).
fn setters(method: &Method) -> TokenStream {
    let Some(trait_name) = &method.setters_trait else {
        return quote!();
    };
    let trait_name = ident(trait_name);
    let request = ident(&method.type_name);
    let docs = lines(&[
        format!(
            "The optional parameters of `{}`, set on a [`{}`] or on a pending call of it.",
            method.wire, method.type_name
        ),
        String::new(),
        "Bring it into scope with `use bitrix24::prelude::*;`.".to_owned(),
    ]);
    let setters = method.optional_params().map(|param| {
        let name = ident(&param.rust);
        let ty = rust_type(&param.ty);
        let mut text: Vec<String> = param.doc.lines().map(sanitize_line).collect();
        text.push(String::new());
        text.push(format!("Sent as {}.", code(&param.wire)));
        let docs = lines(&text);
        quote! {
            #docs
            fn #name(mut self, #name: impl rt::Into<#ty>) -> Self {
                rt::HasRequest::request_mut(&mut self).#name =
                    Some(rt::Into::into(#name));
                self
            }
        }
    });
    quote! {
        #docs
        pub trait #trait_name: rt::HasRequest<Request = #request> {
            #(#setters)*
        }

        impl<T: rt::HasRequest<Request = #request>> #trait_name for T {}
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
        impl rt::Method for #name {
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
    let own = own_errors(method);
    let display = method.errors.iter().map(|error| {
        let variant = ident(&error.variant);
        match &error.description {
            Some(description) => quote!(Self::#variant => f.write_str(#description),),
            None => quote!(Self::#variant { description } => f.write_str(description),),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error any method can return, such as a rate limit or an expired token.
            System(rt::SystemError),
            /// An error this crate does not know, as the server sent it.
            Unknown(rt::UnknownError),
        }

        impl rt::MethodError for #name {
            #own
        }

        impl rt::From<rt::SystemError> for #name {
            fn from(error: rt::SystemError) -> Self {
                Self::System(error)
            }
        }

        impl rt::From<rt::UnknownError> for #name {
            fn from(error: rt::UnknownError) -> Self {
                Self::Unknown(error)
            }
        }

        impl rt::fmt::Display for #name {
            fn fmt(&self, f: &mut rt::fmt::Formatter<'_>) -> rt::fmt::Result {
                match self {
                    #(#display)*
                    Self::System(error) => rt::fmt::Display::fmt(error, f),
                    Self::Unknown(error) => rt::fmt::Display::fmt(error, f),
                }
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// `MethodError::own`: which answers are this method's own errors. Errors
/// with a description are matched on it (for the codes method errors use);
/// errors without one, on their code alone.
fn own_errors(method: &Method) -> TokenStream {
    let described: Vec<(&str, Ident)> = method
        .errors
        .iter()
        .filter_map(|error| Some((error.description.as_deref()?, ident(&error.variant))))
        .collect();
    let by_code = method
        .errors
        .iter()
        .filter(|error| error.description.is_none())
        .map(|error| {
            let variant = ident(&error.variant);
            let code = &error.code;
            quote! {
                if error.code() == #code {
                    let description = rt::ToOwned::to_owned(error.description());
                    return Some(Self::#variant { description });
                }
            }
        });
    let by_description = match described.as_slice() {
        [] => quote!(),
        [(description, variant)] => quote! {
            if error.has_method_error_code() && error.description() == #description {
                return Some(Self::#variant);
            }
        },
        described => {
            let arms = described
                .iter()
                .map(|(description, variant)| quote!(#description => return Some(Self::#variant),));
            quote! {
                if error.has_method_error_code() {
                    match error.description() {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    };
    let used = if method.errors.is_empty() {
        quote!(_error)
    } else {
        quote!(error)
    };
    quote! {
        fn own(#used: &rt::ApiError) -> rt::Option<Self> {
            #by_description
            #(#by_code)*
            None
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
            quote! {
                #docs
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
                #variant {
                    /// The server's description.
                    description: rt::String,
                },
            }
        }
    }
}
