//! Typed references from one command of a batch to the result of an earlier
//! one, which the portal substitutes before it runs the later command.
//!
//! [`BatchKey::result`] starts a [`Ref`] to a command's result; [`Ref::at`]
//! goes into a list, [`Ref::field`] into an object through a generated
//! [`Field`] (such as `GroupMember::USER_ID`). A request's parameters are
//! generated as [`Param`]s (such as `SonetGroupUserUpdate::PARAMS.user_id`),
//! and [`Param::to`] binds one to a reference whose type [`Fits`] it, so a
//! reference of the wrong type does not compile. The portal reads the
//! binding as `$result[c00][0][USER_ID]`. Knows the reference syntax, not how
//! batches are sent.

use std::fmt;
use std::marker::PhantomData;

use super::BatchKey;
use crate::Method;
use crate::wire::OneOrMany;

/// A reference to a value in the result of an earlier command of the same
/// batch, of type `T`.
pub struct Ref<T> {
    batch: u64,
    /// `$result[c00][0][USER_ID]`.
    path: String,
    value: PhantomData<fn() -> T>,
}

impl<M: Method> BatchKey<M> {
    /// A reference to the command's whole result, for a later command of
    /// the same batch.
    pub fn result(&self) -> Ref<M::Response> {
        Ref {
            batch: self.batch,
            path: format!("$result[{}]", super::command_key(self.index)),
            value: PhantomData,
        }
    }
}

impl<T> Ref<Vec<T>> {
    /// The item at `index` of the list (`[0]` for the first).
    pub fn at(&self, index: usize) -> Ref<T> {
        self.step(&index.to_string())
    }
}

impl<T> Ref<T> {
    /// The field of the object, such as `GroupMember::USER_ID`.
    pub fn field<F>(&self, field: Field<T, F>) -> Ref<F> {
        self.step(field.wire)
    }

    fn step<U>(&self, key: &str) -> Ref<U> {
        Ref {
            batch: self.batch,
            path: format!("{}[{key}]", self.path),
            value: PhantomData,
        }
    }

    /// The reference as the portal reads it, such as `$result[c00][0][USER_ID]`.
    pub fn as_str(&self) -> &str {
        &self.path
    }
}

impl<T> Clone for Ref<T> {
    fn clone(&self) -> Self {
        Self {
            batch: self.batch,
            path: self.path.clone(),
            value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Ref<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Ref").field(&self.path).finish()
    }
}

/// A field of the object type `O`, holding a `T`; generated as a constant
/// of each object type, such as `GroupMember::USER_ID`.
pub struct Field<O, T> {
    wire: &'static str,
    types: PhantomData<fn() -> (O, T)>,
}

/// A parameter of the request `R`, of type `T`; generated in the `PARAMS`
/// of each request, such as `SonetGroupUserUpdate::PARAMS.user_id`.
pub struct Param<R, T> {
    wire: &'static str,
    types: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Param<R, T> {
    /// Binds the parameter to `reference`; the request's own value for it is
    /// replaced when it is added with [`Batch::add_bound`](super::Batch::add_bound).
    ///
    /// The reference must fit the parameter's type:
    ///
    /// ```
    /// use bitrix24::sonet_group::GroupMember;
    /// use bitrix24::{Batch, SonetGroupUserGet, SonetGroupUserUpdate};
    ///
    /// let mut batch = Batch::new();
    /// let members = batch.add(SonetGroupUserGet::new(69)).unwrap();
    /// let user = members.result().at(0).field(GroupMember::USER_ID);
    /// let binding = SonetGroupUserUpdate::PARAMS.user_id.to(user);
    /// ```
    ///
    /// A user's ID is not a group's:
    ///
    /// ```compile_fail,E0277
    /// use bitrix24::sonet_group::GroupMember;
    /// use bitrix24::{Batch, SonetGroupUserGet, SonetGroupUserUpdate};
    ///
    /// let mut batch = Batch::new();
    /// let members = batch.add(SonetGroupUserGet::new(69)).unwrap();
    /// let user = members.result().at(0).field(GroupMember::USER_ID);
    /// let binding = SonetGroupUserUpdate::PARAMS.group_id.to(user);
    /// ```
    ///
    /// and a member is not a user's ID:
    ///
    /// ```compile_fail,E0277
    /// use bitrix24::{Batch, SonetGroupUserGet, SonetGroupUserUpdate};
    ///
    /// let mut batch = Batch::new();
    /// let members = batch.add(SonetGroupUserGet::new(69)).unwrap();
    /// let binding = SonetGroupUserUpdate::PARAMS.user_id.to(members.result().at(0));
    /// ```
    pub fn to<V: Fits<T>>(self, reference: Ref<V>) -> Binding<R> {
        Binding {
            batch: reference.batch,
            wire: self.wire,
            path: reference.path,
            request: PhantomData,
        }
    }
}

/// The constructor, the wire name, `Clone`, `Copy` and `Debug` of a key
/// (`Field`, `Param`): the same for both, whatever they key.
macro_rules! key {
    ($name:ident, $what:literal) => {
        impl<A, B> $name<A, B> {
            #[doc = concat!("The ", $what, " with the wire name `wire`.")]
            pub const fn new(wire: &'static str) -> Self {
                Self {
                    wire,
                    types: PhantomData,
                }
            }

            /// The wire name.
            pub fn wire(&self) -> &'static str {
                self.wire
            }
        }

        impl<A, B> Clone for $name<A, B> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<A, B> Copy for $name<A, B> {}

        impl<A, B> fmt::Debug for $name<A, B> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.wire).finish()
            }
        }
    };
}

key!(Field, "field");
key!(Param, "parameter");

/// A parameter of a request of type `R` bound to a reference; see
/// [`Param::to`].
pub struct Binding<R> {
    pub(super) batch: u64,
    pub(super) wire: &'static str,
    pub(super) path: String,
    request: PhantomData<fn() -> R>,
}

impl<R> Clone for Binding<R> {
    fn clone(&self) -> Self {
        Self {
            batch: self.batch,
            wire: self.wire,
            path: self.path.clone(),
            request: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Binding<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binding")
            .field("param", &self.wire)
            .field("to", &self.path)
            .finish()
    }
}

/// A value of type `Self` can stand for a parameter of type `T`: the same
/// type, one value or a list for a one-or-many parameter.
pub trait Fits<T>: sealed::Sealed<T> {}

impl<T> Fits<T> for T {}
impl<T> sealed::Sealed<T> for T {}
impl<T> Fits<OneOrMany<T>> for T {}
impl<T> sealed::Sealed<OneOrMany<T>> for T {}
impl<T> Fits<OneOrMany<T>> for Vec<T> {}
impl<T> sealed::Sealed<OneOrMany<T>> for Vec<T> {}

mod sealed {
    pub trait Sealed<T> {}
}
