//! One method's file: the request type, its `Method` impl, the trait of
//! setters for its optional parameters, its error type and the types defined
//! in the method's schema file.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, lines, link, sanitize_line};
use super::named::{markers, named_type};
use super::serde::{Unknown, Wire, object_impls};
use super::ty::{adapter, option, rust_type};
use super::value::{Arg, arg};
use super::{EmittedFile, builder_method_lints, family_dir, ident, runtime_import};
use crate::layout::Layout;
use crate::model::{Family, Keyset, Method, MethodError, Param, RestVersion};
use crate::names;

/// The generated file of one method.
pub fn emit(layout: &Layout, family: &Family, method: &Method) -> EmittedFile {
    let request = request(method);
    let method_impl = method_impl(method);
    let paged_impl = paged_impl(method);
    let params_struct = params_struct(method);
    let setters = setters(method);
    let error = error_type(method);
    let types = method.types.iter().map(named_type);
    let markers = markers(&method.types);
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
            #paged_impl
            #params_struct
            #setters
            #error
            #(#types)*
            #markers
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
    let scopes: Vec<String> = method.scopes.iter().map(|scope| code(scope)).collect();
    let scopes = match scopes.as_slice() {
        [one] => format!("scope {one}"),
        [rest @ .., last] => format!("any of the scopes {} or {last}", rest.join(", ")),
        [] => String::new(),
    };
    text.push(format!("Calls `{}` ({scopes}).", method.wire));
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
    text.push(match (method.rest_version, method.writes, method.retry_safe) {
        (RestVersion::V3, true, _) => "**Retry:** safe; each call carries an `Idempotency-Key`, the same on every attempt, so a repeat after an ambiguous failure never runs twice.".to_owned(),
        (_, _, true) => "**Retry:** safe; a call sent twice has the same effect as once.".to_owned(),
        (_, _, false) => "**Retry:** not safe; a call sent twice may act twice, so an ambiguous failure is reported, never retried."
            .to_owned(),
    });
    if method.rest_version == RestVersion::V3 {
        text.push(String::new());
        text.push(
            "**REST 3.0:** sent to `/rest/api/` as JSON; it cannot be a command of a `batch`."
                .to_owned(),
        );
    }
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
        let ty = param_type(param);
        let ty = if param.required { ty } else { option(ty) };
        quote!(#field: #ty,)
    });
    let wires: Vec<Wire<'_>> = method
        .params
        .iter()
        .map(|param| Wire {
            wire: &param.wire,
            rust: &param.rust,
            aliases: &param.aliases,
            optional: !param.required,
            or_empty: false,
            adapter: param_adapter(param),
        })
        .collect();
    // A request takes only its parameters: a key it does not know is a
    // typo in an example or a request read from elsewhere.
    let serde_impls = object_impls(&method.type_name, &wires, &Unknown::Refuse);
    let constructor = constructor(method);
    let default = method
        .required_params()
        .next()
        .is_none()
        .then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, #default PartialEq)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor
        }

        #serde_impls
    }
}

/// The Rust type of a parameter's value: the page offset of a paged
/// method is a `u64`, like the answer's `next`.
fn param_type(param: &Param) -> TokenStream {
    if param.page_start {
        quote!(u64)
    } else {
        rust_type(&param.ty)
    }
}

/// The adapter of a parameter's value; the page offset needs none.
fn param_adapter(param: &Param) -> Option<String> {
    if param.page_start {
        None
    } else {
        adapter(&param.ty)
    }
}

fn constructor(method: &Method) -> TokenStream {
    let docs = lines(&with_required_params(
        vec!["Creates the request from its required parameters.".to_owned()],
        method,
    ));
    let args = required_args(method);
    let params = args.iter().map(|arg| &arg.param);
    let inits = method.params.iter().map(|param| {
        let name = ident(&param.rust);
        match args.iter().find(|arg| arg.name == param.rust) {
            Some(arg) => {
                let value = &arg.value;
                quote!(#name: #value,)
            }
            None => quote!(#name: None,),
        }
    });
    let lint = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #docs
        #lint
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* }
        }
    }
}

/// The argument of each required parameter, in order.
pub fn required_args(method: &Method) -> Vec<Arg> {
    method
        .required_params()
        .map(|param| arg(&param.rust, &param.ty))
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
        let param_rust = param.rust.clone();
        let mut text: Vec<String> = param.doc.lines().map(sanitize_line).collect();
        text.push(String::new());
        text.push(format!("Sent as {}.", code(&param.wire)));
        let docs = lines(&text);
        // The page offset takes the answer's `next` as it is, an `Option`.
        let (param, value) = if param.page_start {
            (
                quote!(#name: impl rt::Into<rt::Option<u64>>),
                quote!(rt::Into::into(#name)),
            )
        } else {
            let arg = arg(&param.rust, &param.ty);
            let value = arg.value;
            (arg.param, quote!(Some(#value)))
        };
        let lints = builder_method_lints(&param_rust);
        quote! {
            #docs
            #lints
            fn #name(mut self, #param) -> Self {
                rt::HasRequest::request_mut(&mut self).#name = #value;
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
    let scopes = &method.scopes;
    let retry_safe = method.retry_safe;
    let paged = method.paging.is_some();
    // REST 2 and no writes are the trait's defaults, left unsaid.
    let version = match method.rest_version {
        RestVersion::V2 => None,
        RestVersion::V3 => Some(quote!(
            const REST_VERSION: rt::RestVersion = rt::RestVersion::V3;
        )),
    };
    let writes = method.writes.then(|| {
        quote!(
            const WRITES: bool = true;
        )
    });
    let batchable =
        (method.rest_version == RestVersion::V2).then(|| quote!(impl rt::Batchable for #name {}));
    let response = rust_type(&method.result);
    let decode_result = adapter(&method.result).map(|adapter| {
        let adapter: TokenStream = adapter.parse().unwrap_or_default();
        quote! {
            fn decode_result<'de, D: rt::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> rt::Result<Self::Response, D::Error> {
                <#adapter as rt::serde_with::DeserializeAs<'de, Self::Response>>::deserialize_as(
                    deserializer,
                )
            }
        }
    });
    quote! {
        impl rt::Method for #name {
            const NAME: &'static str = #wire;
            const SCOPES: &'static [&'static str] = &[#(#scopes),*];
            const RETRY_SAFE: bool = #retry_safe;
            const PAGED: bool = #paged;
            #version
            #writes
            type Response = #response;
            type Error = #error;

            #decode_result
        }

        #batchable
    }
}

/// The keys of a request's parameters (`SonetGroupUserUpdate::PARAMS`), to
/// bind them to results of earlier commands of a batch.
fn params_struct(method: &Method) -> Option<TokenStream> {
    let params_name = ident(method.params_struct.as_ref()?);
    let request = ident(&method.type_name);
    let params: Vec<&Param> = method
        .params
        .iter()
        .filter(|param| !param.page_start)
        .collect();
    let fields = params.iter().map(|param| {
        let field = ident(&param.rust);
        let ty = param_type(param);
        let docs = doc(&format!("`{}`.", param.wire));
        quote! {
            #docs
            pub #field: rt::Param<#request, #ty>,
        }
    });
    let values = params.iter().map(|param| {
        let field = ident(&param.rust);
        let wire = &param.wire;
        quote!(#field: rt::Param::new(#wire),)
    });
    let docs = doc(&format!(
        "The parameters of [`{}`], to bind to results of earlier commands of a batch.",
        method.type_name
    ));
    Some(quote! {
        #docs
        #[derive(Debug, Clone, Copy)]
        #[non_exhaustive]
        pub struct #params_name {
            #(#fields)*
        }

        impl #request {
            /// The keys of the parameters, to bind to results of earlier commands of a batch.
            pub const PARAMS: #params_name = #params_name {
                #(#values)*
            };
        }
    })
}

/// `impl rt::Paged` for a paged method: its item type, how to take the list
/// out of a result and, for keyset paging, the key of an item.
fn paged_impl(method: &Method) -> Option<TokenStream> {
    let paging = method.paging.as_ref()?;
    let name = ident(&method.type_name);
    let item = rust_type(&paging.item);
    let items = match &paging.items_field {
        None => quote!(result),
        Some(field) => {
            let field = ident(field);
            quote!(result.#field)
        }
    };
    let items_wire = paging
        .items_wire
        .as_ref()
        .map(|wire| quote!(const ITEMS: rt::Option<&'static str> = Some(#wire);));
    let keyset = paging.keyset.as_ref().map(|keyset| {
        let walk = keyset_expr(keyset);
        let field = ident(&keyset.item_field);
        let value = match (keyset.id, keyset.item_field_optional) {
            (true, false) => quote!(Some(rt::From::from(item.#field))),
            (true, true) => quote!(item.#field.map(rt::From::from)),
            (false, false) => quote!(u64::try_from(item.#field).ok()),
            (false, true) => quote!(item.#field.and_then(|key| u64::try_from(key).ok())),
        };
        quote! {
            const KEYSET: rt::Option<rt::Keyset> = Some(#walk);

            fn keyset_value(item: &Self::Item) -> rt::Option<u64> {
                #value
            }
        }
    });
    Some(quote! {
        impl rt::Paged for #name {
            type Item = #item;
            #items_wire
            #keyset

            fn into_items(result: Self::Response) -> rt::Vec<Self::Item> {
                #items
            }
        }
    })
}

/// The `rt::Keyset` value of a keyset walk, for the `Paged` impl and the
/// method's description alike.
pub(super) fn keyset_expr(keyset: &Keyset) -> TokenStream {
    let (order, filter, key) = (&keyset.order, &keyset.filter, &keyset.field);
    let select = keyset
        .select
        .as_ref()
        .map(|select| quote!(.with_select(#select)));
    quote!(rt::Keyset::new(#order, #filter, #key)#select)
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
    let table = method.errors.iter().map(own_error);
    let class = error_class(method);
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

        impl rt::ErrorTable for #name {
            const OWN_ERRORS: &'static [rt::OwnError<Self>] = &[#(#table),*];

            #class
        }

        rt::error_impls!(#name);
    }
}

/// What a variant carries: nothing when the schema fixes both code and
/// description, else the part the server chose.
#[derive(Clone, Copy)]
enum Shape {
    Unit,
    /// Matched on the code alone: carries the server's description.
    Description,
    /// Matched on the description alone: carries the server's code.
    Code,
}

fn variant_shape(error: &MethodError) -> Shape {
    match (error.code.is_some(), error.descriptions.is_empty()) {
        (true, false) => Shape::Unit,
        (true, true) => Shape::Description,
        (false, _) => Shape::Code,
    }
}

/// The name of the field a variant keeps the server's text in.
fn kept_field(shape: Shape) -> Option<&'static str> {
    match shape {
        Shape::Unit => None,
        Shape::Description => Some("description"),
        Shape::Code => Some("code"),
    }
}

/// The entry of `error` in the table of the method's own errors: its
/// variant, the codes and the descriptions it matches.
fn own_error(error: &MethodError) -> TokenStream {
    let variant = ident(&error.variant);
    let codes = codes_expr(error);
    let descriptions = &error.descriptions;
    match variant_shape(error) {
        Shape::Unit => quote! {
            rt::OwnError::new(Self::#variant, #codes, &[#(#descriptions),*])
        },
        Shape::Description => quote! {
            rt::OwnError::keeping_description(
                |description| Self::#variant { description },
                #codes,
            )
        },
        Shape::Code => quote! {
            rt::OwnError::keeping_code(|code| Self::#variant { code }, &[#(#descriptions),*])
        },
    }
}

/// `ErrorTable::class`: the variants that keep a text from the server give
/// it, the fallbacks their errors; the other variants keep nothing.
fn error_class(method: &Method) -> TokenStream {
    let keeping: Vec<TokenStream> = method
        .errors
        .iter()
        .filter_map(|error| {
            let field = ident(kept_field(variant_shape(error))?);
            let variant = ident(&error.variant);
            Some(quote!(Self::#variant { #field: kept }))
        })
        .collect();
    let kept =
        (!keeping.is_empty()).then(|| quote!(#(#keeping)|* => rt::ErrorClass::Own(Some(kept)),));
    let rest =
        (method.errors.len() > keeping.len()).then(|| quote!(_ => rt::ErrorClass::Own(None),));
    quote! {
        fn class(&self) -> rt::ErrorClass<'_> {
            match self {
                #kept
                Self::System(error) => rt::ErrorClass::System(error),
                Self::Unknown(error) => rt::ErrorClass::Unknown(error),
                #rest
            }
        }
    }
}

/// The name of a family's list of the codes that the empty code stands for,
/// private at the root of its crate: no schema name can take it, since
/// modules are snake_case and types UpperCamelCase without underscores.
const EMPTY_CODES: &str = "EMPTY_CODES";

/// Whether `error` matches the empty code and the legacy codes with it.
fn uses_empty_codes(error: &MethodError) -> bool {
    error.code.as_deref() == Some("") && error.codes.len() > 1
}

/// The codes `error` matches, as an expression: the family's `EMPTY_CODES`
/// for the empty code with its legacy codes, else the list itself.
fn codes_expr(error: &MethodError) -> TokenStream {
    if uses_empty_codes(error) {
        let name = ident(EMPTY_CODES);
        quote!(crate::#name)
    } else {
        let codes = &error.codes;
        quote!(&[#(#codes),*])
    }
}

/// The family's `EMPTY_CODES`, if an error of one of its methods uses it:
/// the legacy codes are the schema's, the same for every method.
pub(super) fn empty_codes(family: &Family) -> TokenStream {
    let Some(error) = family
        .methods
        .iter()
        .flat_map(|method| &method.errors)
        .find(|error| uses_empty_codes(error))
    else {
        return quote!();
    };
    let name = ident(EMPTY_CODES);
    let codes = &error.codes;
    quote! {
        /// The codes of errors with an empty code: older servers send the
        /// same errors with a legacy code.
        const #name: &[&str] = &[#(#codes),*];
    }
}

fn error_variant(error: &MethodError) -> TokenStream {
    let variant = ident(&error.variant);
    let mut text = Vec::new();
    if let Some(doc) = &error.doc {
        text.extend(doc.lines().map(sanitize_line));
        text.push(String::new());
    }
    let texts: Vec<String> = error.descriptions.iter().map(|text| code(text)).collect();
    let described = texts.join(" or ");
    let code_text = match error.code.as_deref() {
        Some("") if error.codes.len() > 1 => {
            let legacy: Vec<String> = error.codes[1..].iter().map(|legacy| code(legacy)).collect();
            format!("an empty code (older servers: {})", legacy.join(", "))
        }
        Some("") => "an empty code".to_owned(),
        Some(known) => format!("code {}", code(known)),
        None => "any code".to_owned(),
    };
    match variant_shape(error) {
        Shape::Unit => {
            text.push(format!("The server answers {described} with {code_text}."));
            let docs = lines(&text);
            quote! {
                #docs
                #variant,
            }
        }
        Shape::Description => {
            text.push(format!(
                "The server answers with {code_text}; the description gives the reason."
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
        Shape::Code => {
            text.push(format!("The server answers {described} with {code_text}."));
            let docs = lines(&text);
            quote! {
                #docs
                #variant {
                    /// The server's code.
                    code: rt::String,
                },
            }
        }
    }
}
