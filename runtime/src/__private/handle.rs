//! How generated client functions and setters reach a client and a request.
//!
//! Generated code cannot add inherent methods to [`Client`] or [`Call`],
//! which live in this crate. Instead, each family of methods gets a trait of
//! client functions whose supertrait is [`ClientHandle`], and each method
//! with optional parameters a trait of setters implemented for everything
//! that [`HasRequest`]: the request itself and a pending [`Call`] of it. So
//! each setter is written once and works on both. [`ClientHandle`] is sealed:
//! only the runtime's clients ([`Client`], and `blocking::Client`) implement
//! it, so no user type implements a generated trait of client functions and adding a method to one is never a breaking
//! change.

use crate::client::{Call, Client};
use crate::method::Method;

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// Something that can send calls: the supertrait of every generated trait of
/// client functions.
pub trait ClientHandle: sealed::Sealed {
    /// The client that sends the call.
    fn client(&self) -> &Client;
}

impl sealed::Sealed for Client {}

impl ClientHandle for Client {
    fn client(&self) -> &Client {
        self
    }
}

/// Prepares a call of `request` on the client behind `handle`.
pub fn prepare<M: Method>(handle: &(impl ClientHandle + ?Sized), request: M) -> Call<M> {
    handle.client().prepare(request)
}

/// Something that holds a request whose optional parameters can be set: the
/// request itself, or a pending call of it.
pub trait HasRequest: Sized {
    /// The request type.
    type Request: Method;

    /// The request, to change a parameter.
    fn request_mut(&mut self) -> &mut Self::Request;
}

impl<M: Method> HasRequest for M {
    type Request = M;

    fn request_mut(&mut self) -> &mut M {
        self
    }
}
