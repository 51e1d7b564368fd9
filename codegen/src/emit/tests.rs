//! A test module per method that checks the schema's examples against the
//! generated types: documented answers decode, documented errors are
//! recognised, and documented requests encode to the same JSON.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::model::{Example, Method};

/// The `#[cfg(test)]` module of a method, or nothing when it has no examples.
pub fn emit(method: &Method) -> TokenStream {
    if method.examples.is_empty() {
        return quote!();
    }
    let tests = method
        .examples
        .iter()
        .enumerate()
        .map(|(index, example)| example_test(method, index, example));
    quote! {
        #[cfg(test)]
        mod tests {
            #(#tests)*
        }
    }
}

fn example_test(method: &Method, index: usize, example: &Example) -> TokenStream {
    let name = format_ident!("example_{}", index + 1);
    let description = format!(" {}", super::docs::sanitize_line(&example.description));
    let request = ident(&method.type_name);
    // The parameters of an error example may be exactly what the typed
    // request refuses (a role it cannot assign): they document the refusal.
    let error_answer = example
        .answer
        .as_ref()
        .is_some_and(|answer| !answer.is_success());
    let request_check = example
        .params_json
        .as_ref()
        .filter(|_| !error_answer)
        .map(|params| {
            quote! {
                let params = #params;
                super::rt::check_request_example::<super::#request>(params);
            }
        });
    let answer_check = example.answer.as_ref().map(|answer| {
        let body = &answer.body_json;
        let check = if answer.is_success() {
            quote!(check_answer_example)
        } else {
            quote!(check_error_example)
        };
        quote! {
            let body = #body;
            super::rt::#check::<super::#request>(body);
        }
    });
    let ignore = example
        .disagrees
        .as_ref()
        .map(|reason| quote!(#[ignore = #reason]));
    quote! {
        #[doc = #description]
        #[test]
        #ignore
        fn #name() {
            #request_check
            #answer_check
        }
    }
}
