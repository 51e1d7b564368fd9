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
    let body = &example.body_json;
    let check = if example.status == 200 {
        let params = &example.params_json;
        quote! {
            let params = #params;
            let body = #body;
            super::rt::check_success_example::<super::#request>(params, body);
        }
    } else {
        quote! {
            let body = #body;
            super::rt::check_error_example::<super::#request>(body);
        }
    };
    quote! {
        #[doc = #description]
        #[test]
        fn #name() {
            #check
        }
    }
}
