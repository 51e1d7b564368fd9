//! The `Serialize`, `Deserialize` and `ReadObject` impls of generated
//! objects and requests, written out through the runtime's object helpers
//! (`rt::ObjectWriter`, `rt::value_as`) rather than derived.
//!
//! serde's derives expand to several times the code of these impls, and
//! across the whole API that expansion is most of the crate's build time;
//! the wire behaviour is the same (see the runtime's `wire::object`). This
//! module knows how fields are written and read, not what they mean.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::ty::{optional_adapter, or_empty_adapter, same_or};
use crate::names;

/// The path derives use for serde, written out in full so it resolves in
/// whatever scope the derive expands into.
const SERDE: &str = "::bitrix24_runtime::__private::serde";

/// `#[serde(crate = ...)]`, which every type deriving serde's traits needs
/// (enums and the newtypes of filters and orders still derive theirs).
pub fn serde_crate() -> TokenStream {
    quote!(#[serde(crate = #SERDE)])
}

/// How a field or parameter is read and written.
pub struct Wire<'a> {
    /// Its wire name.
    pub wire: &'a str,
    /// Its Rust name.
    pub rust: &'a str,
    /// Other wire names it is read from.
    pub aliases: &'a [String],
    /// The key may be absent (the Rust type is an `Option`).
    pub optional: bool,
    /// The server sends `""` for no value (the Rust type is an `Option`).
    pub or_empty: bool,
    /// The adapter of the value itself.
    pub adapter: Option<String>,
}

impl Wire<'_> {
    /// The adapter of the field's whole Rust type, if it needs one: an
    /// optional field's covers the `Option`.
    fn whole_adapter(&self) -> Option<TokenStream> {
        let adapter = if self.or_empty {
            Some(or_empty_adapter(self.adapter.clone()))
        } else if self.optional {
            self.adapter.as_deref().map(optional_adapter)
        } else {
            self.adapter.clone()
        };
        adapter.map(|adapter| {
            adapter
                .parse()
                .expect("adapters are paths the generator writes")
        })
    }
}

/// What a decoded object does with a key it does not list.
pub enum Unknown<'a> {
    /// Refuses it, naming the keys it takes: a request's parameters.
    Refuse,
    /// Keeps it in the named map of custom fields, where a value that does
    /// not fit its field's type also goes when decoding tolerantly: an
    /// object's.
    Keep(&'a str),
}

/// The three impls of a struct whose fields are `fields`.
pub fn object_impls(name: &str, fields: &[Wire<'_>], unknown: &Unknown<'_>) -> TokenStream {
    let name = ident(name);
    let serialize = serialize(fields, unknown);
    let read = read_object(fields, unknown);
    // The reader of an object takes the map over.
    let map = match unknown {
        Unknown::Refuse => quote!(mut map),
        Unknown::Keep(_) => quote!(map),
    };
    let impls = serde_impls(
        &name,
        &serialize,
        &quote!(rt::deserialize_object(deserializer)),
    );
    quote! {
        #impls

        impl rt::ReadObject for #name {
            fn read_object<'de, A: rt::serde::de::MapAccess<'de>>(
                #map: A,
            ) -> rt::Result<Self, A::Error> {
                #read
            }
        }
    }
}

/// Written-out `Serialize` and `Deserialize` impls with the given bodies,
/// which see `self`, `serializer` and `deserializer`.
pub fn serde_impls(
    name: &Ident,
    serialize: &TokenStream,
    deserialize: &TokenStream,
) -> TokenStream {
    quote! {
        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(
                &self,
                serializer: S,
            ) -> rt::Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> rt::Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}

fn serialize(fields: &[Wire<'_>], unknown: &Unknown<'_>) -> TokenStream {
    let writes = fields.iter().map(|field| {
        let wire = field.wire;
        let rust = ident(field.rust);
        let method = if field.optional {
            quote!(optional)
        } else {
            quote!(field)
        };
        let adapter = same_or_tokens(field.whole_adapter());
        quote!(object.#method::<#adapter, _>(#wire, &self.#rust)?;)
    });
    let custom = match unknown {
        Unknown::Keep(custom) => {
            let custom = ident(custom);
            Some(quote!(object.custom(&self.#custom)?;))
        }
        Unknown::Refuse => None,
    };
    // An object without fields writes nothing into the map.
    let binding = if fields.is_empty() && custom.is_none() {
        quote!(let object)
    } else {
        quote!(let mut object)
    };
    quote! {
        #binding = rt::ObjectWriter::start(serializer)?;
        #(#writes)*
        #custom
        object.end()
    }
}

fn read_object(fields: &[Wire<'_>], unknown: &Unknown<'_>) -> TokenStream {
    match unknown {
        Unknown::Refuse => read_request(fields),
        Unknown::Keep(custom) => read_keeping(fields, custom),
    }
}

/// The local a field's value is read into.
fn local(field: &Wire<'_>) -> Ident {
    ident(&names::decoded_field(field.rust))
}

/// The keys a field is read from.
fn keys<'a>(field: &'a Wire<'_>) -> impl Iterator<Item = &'a str> {
    std::iter::once(field.wire).chain(field.aliases.iter().map(String::as_str))
}

/// The struct from the locals: a required field that never came is an
/// error naming it.
fn members(fields: &[Wire<'_>], rest: Option<TokenStream>) -> TokenStream {
    let members = fields.iter().map(|field| {
        let rust = ident(field.rust);
        let local = local(field);
        if field.optional {
            quote!(#rust: #local,)
        } else {
            let wire = field.wire;
            quote!(#rust: rt::required(#local, #wire)?,)
        }
    });
    quote!(Self { #(#members)* #rest })
}

/// A request's parameters, strictly: a key it does not take is an error.
fn read_request(fields: &[Wire<'_>]) -> TokenStream {
    let members = members(fields, None);
    let expected = fields.iter().map(|field| field.wire);
    let refuse = quote!(return Err(rt::unknown_field(&key, &[#(#expected),*])));
    if fields.is_empty() {
        return quote! {
            if let Some(key) = rt::next_key(&mut map)? {
                #refuse;
            }
            Ok(#members)
        };
    }
    let declarations = fields.iter().map(|field| {
        let local = local(field);
        quote!(let mut #local = None;)
    });
    let arms = fields.iter().map(|field| {
        let local = local(field);
        let keys = keys(field);
        let adapter = same_or_tokens(field.whole_adapter());
        // An optional field's adapter decodes the `Option` itself, `null` as `None`.
        let value = if field.optional {
            quote!(rt::value_as::<#adapter, _, _>(&mut map)?)
        } else {
            quote!(Some(rt::value_as::<#adapter, _, _>(&mut map)?))
        };
        quote!(#(#keys)|* => #local = #value,)
    });
    quote! {
        #(#declarations)*
        while let Some(key) = rt::next_key(&mut map)? {
            match key.as_str() {
                #(#arms)*
                _ => #refuse,
            }
        }
        Ok(#members)
    }
}

/// An object's fields through the runtime's reader, which keeps every key
/// the schema does not list (and, decoding tolerantly, every value that
/// does not fit) in the map of custom fields.
fn read_keeping(fields: &[Wire<'_>], custom: &str) -> TokenStream {
    let custom = ident(custom);
    let members = members(fields, Some(quote!(#custom: map.finish(),)));
    if fields.is_empty() {
        return quote! {
            let mut map = rt::ObjectReader::new(map);
            while let Some(key) = map.next_key()? {
                map.keep(key)?;
            }
            Ok(#members)
        };
    }
    let declarations = fields.iter().map(|field| {
        let local = local(field);
        quote!(let mut #local = None;)
    });
    let arms = fields.iter().map(|field| {
        let local = local(field);
        let keys = keys(field);
        let adapter = same_or_tokens(field.whole_adapter());
        let read = if field.optional {
            quote!(optional)
        } else {
            quote!(required)
        };
        quote!(#(#keys)|* => map.#read::<#adapter, _>(key, &mut #local)?,)
    });
    quote! {
        #(#declarations)*
        let mut map = rt::ObjectReader::new(map);
        while let Some(key) = map.next_key()? {
            match key.as_str() {
                #(#arms)*
                _ => map.keep(key)?,
            }
        }
        Ok(#members)
    }
}

fn same_or_tokens(adapter: Option<TokenStream>) -> TokenStream {
    adapter.unwrap_or_else(|| same_or(None).parse().expect("rt::Same is a path"))
}
