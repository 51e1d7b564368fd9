//! A family's `tests/examples.rs`: a test per documented example of each of
//! its methods, checking the example against the generated types:
//! documented answers decode, documented errors are recognised, and
//! documented requests encode to the same JSON.
//!
//! An integration test of the family's crate rather than unit tests in its
//! method files: the library is then compiled once for `cargo test`, not a
//! second time with `cfg(test)`, which halves the build of the largest
//! families' tests. The tests reach the methods by the crate's name.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{EmittedFile, ident, runtime_import};
use crate::layout::Layout;
use crate::model::{Example, Family};

/// The examples file of `family`: a module per method with examples.
pub fn emit(layout: &Layout, family: &Family) -> EmittedFile {
    let member = layout.family(&family.module);
    let family_crate = ident(&member.crate_name());
    let runtime = runtime_import();
    let modules = family
        .methods
        .iter()
        .filter(|method| !method.examples.is_empty())
        .map(|method| {
            let module = ident(&method.module);
            let request = ident(&method.type_name);
            let request = quote!(::#family_crate::#request);
            let tests = method
                .examples
                .iter()
                .enumerate()
                .map(|(index, example)| example_test(&request, index, example));
            quote! {
                mod #module {
                    #(#tests)*
                }
            }
        });
    EmittedFile {
        path: format!("{}/tests/examples.rs", member.dir),
        source: format!("the examples of the {} methods in schema/", family.wire),
        module_doc: format!(
            "The documented examples of the `{}.*` methods, a test each.",
            family.wire
        ),
        tokens: quote! {
            #runtime
            #(#modules)*
        },
    }
}

fn example_test(request: &TokenStream, index: usize, example: &Example) -> TokenStream {
    let name = format_ident!("example_{}", index + 1);
    let description = format!(" {}", super::docs::sanitize_line(&example.description));
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
                super::rt::check_request_example::<#request>(params);
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
            super::rt::#check::<#request>(body);
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
