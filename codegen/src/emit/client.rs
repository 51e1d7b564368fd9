//! The client functions of a method: `client.sonet_group_user_get(69)` and
//! the setters on the pending call, so a call reads like the request it sends.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{lines, sanitize_line};
use super::ident;
use super::method::{required_args, setter_docs, with_required_params};
use super::ty::rust_type;
use crate::model::Method;
use crate::names;

/// `impl Client` with the method's function, and `impl Call<Request>` with
/// one setter per optional parameter.
pub fn emit(method: &Method) -> TokenStream {
    let request = ident(&method.type_name);
    let function = ident(&names::method_fn(&method.wire));
    let args = required_args(method);
    let arg_names = method.required_params().map(|param| ident(&param.rust));
    let text = vec![
        format!(
            "Prepares a `{}` call: {}",
            method.wire,
            sanitize_line(&method.summary)
        ),
        String::new(),
        format!(
            "Set optional parameters on the returned call, then `.await` it. See [`{}`] for the details.",
            method.type_name
        ),
    ];
    let docs = lines(&with_required_params(text, method));
    let setters = method.optional_params().map(|param| {
        let name = ident(&param.rust);
        let ty = rust_type(&param.ty);
        let docs = setter_docs(param);
        quote! {
            #docs
            pub fn #name(self, #name: impl Into<#ty>) -> Self {
                self.map(|request| request.#name(#name))
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let call_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl crate::Call<#request> {
                #(#setters)*
            }
        }
    });
    quote! {
        impl crate::Client {
            #docs
            pub fn #function(&self, #(#args),*) -> crate::Call<#request> {
                self.prepare(#request::new(#(#arg_names),*))
            }
        }

        #call_impl
    }
}
