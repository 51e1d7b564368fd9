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
            use super::*;

            #(#tests)*
        }
    }
}

fn example_test(method: &Method, index: usize, example: &Example) -> TokenStream {
    let name = format_ident!("example_{}", index + 1);
    let description = format!(" {}", example.description);
    let request = ident(&method.type_name);
    let error = ident(&method.error_name);
    let params = example.params.to_string();
    let body = example.body.to_string();
    let check = if example.status == 200 {
        quote! {
            let request: #request = serde_json::from_str(#params).expect("the example's parameters form a request");
            let params: serde_json::Value = serde_json::from_str(#params).expect("valid JSON");
            assert_eq!(request.to_json(), params, "the request encodes back to the example's parameters");
            let body: serde_json::Value = serde_json::from_str(#body).expect("valid JSON");
            let result: <#request as Method>::Response =
                serde_json::from_value(body["result"].clone()).expect("the example's result decodes");
            let encoded = serde::Serialize::serialize(&result, serde_json::value::Serializer).expect("the result encodes");
            let decoded_again: <#request as Method>::Response =
                serde_json::from_value(encoded).expect("the result decodes again");
            assert_eq!(decoded_again, result, "the result survives a round trip");
            let time: crate::Time = serde_json::from_value(body["time"].clone()).expect("the example's time decodes");
            assert!(time.finish >= time.start);
        }
    } else {
        quote! {
            let error: ApiError = serde_json::from_str(#body).expect("the example's error decodes");
            let typed = #error::from_api(error);
            let recognised = !matches!(typed, #error::Unknown { .. });
            assert!(recognised, "the documented error is recognised: {typed:?}");
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
