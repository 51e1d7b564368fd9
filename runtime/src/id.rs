//! Numeric identifiers, one type per kind of thing, written once.
//!
//! `Id<UserMarker>` and `Id<GroupMarker>` are different types, so a group ID
//! cannot be passed where a user ID is expected, yet every ID shares this one
//! implementation (as twilight's `Id<Marker>` does). The generated crate
//! declares the markers and names each kind (`type UserId = Id<UserMarker>`).
//! Knows nothing about which kinds exist.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::{OneOrMany, deserialize_numeric_id};

/// The identifier of one kind of thing, such as a user or a workgroup.
///
/// Sent as a number; decoded from a number or a numeric string, as the
/// server returns most IDs.
///
/// ```
/// use bitrix24_runtime::Id;
///
/// enum UserMarker {}
/// type UserId = Id<UserMarker>;
///
/// let id: UserId = 69.into();
/// assert_eq!(id.get(), 69);
/// assert_eq!(id.to_string(), "69");
/// assert_eq!(serde_json::from_str::<UserId>(r#""69""#).unwrap(), id);
/// ```
pub struct Id<Marker> {
    value: u64,
    marker: PhantomData<fn() -> Marker>,
}

impl<Marker> Id<Marker> {
    /// The ID with the given number.
    pub const fn new(value: u64) -> Self {
        Self {
            value,
            marker: PhantomData,
        }
    }

    /// The number.
    pub const fn get(self) -> u64 {
        self.value
    }
}

// Written by hand rather than derived: a derive would demand the same trait
// of the marker, which is an empty enum.
impl<Marker> Clone for Id<Marker> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Marker> Copy for Id<Marker> {}

impl<Marker> PartialEq for Id<Marker> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<Marker> Eq for Id<Marker> {}

impl<Marker> PartialOrd for Id<Marker> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<Marker> Ord for Id<Marker> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<Marker> Hash for Id<Marker> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<Marker> fmt::Debug for Id<Marker> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.value)
    }
}

impl<Marker> fmt::Display for Id<Marker> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<Marker> From<u64> for Id<Marker> {
    fn from(value: u64) -> Self {
        Self::new(value)
    }
}

impl<Marker> From<Id<Marker>> for u64 {
    fn from(id: Id<Marker>) -> Self {
        id.value
    }
}

impl<Marker> Serialize for Id<Marker> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.value)
    }
}

impl<'de, Marker> Deserialize<'de> for Id<Marker> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_numeric_id(deserializer).map(Self::new)
    }
}

impl<Marker> From<u64> for OneOrMany<Id<Marker>> {
    fn from(id: u64) -> Self {
        Self::One(Id::new(id))
    }
}

impl<Marker> From<Vec<u64>> for OneOrMany<Id<Marker>> {
    fn from(ids: Vec<u64>) -> Self {
        Self::Many(ids.into_iter().map(Id::new).collect())
    }
}

impl<Marker, const N: usize> From<[u64; N]> for OneOrMany<Id<Marker>> {
    fn from(ids: [u64; N]) -> Self {
        Self::Many(ids.into_iter().map(Id::new).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum UserMarker {}
    enum GroupMarker {}

    #[test]
    fn ids_decode_from_numbers_and_numeric_strings_only() {
        let id: Id<UserMarker> = serde_json::from_str("\"1271\"").expect("a numeric string");
        assert_eq!(id, Id::new(1271));
        assert_eq!(
            serde_json::from_str::<Id<UserMarker>>("1271").ok(),
            Some(id)
        );
        assert!(serde_json::from_str::<Id<UserMarker>>("\"x\"").is_err());
        assert!(serde_json::from_str::<Id<UserMarker>>("-1").is_err());
        assert_eq!(serde_json::to_string(&id).expect("encodes"), "1271");
    }

    #[test]
    fn one_or_many_ids_from_plain_numbers() {
        let one: OneOrMany<Id<GroupMarker>> = 69.into();
        let many: OneOrMany<Id<GroupMarker>> = [1, 2].into();
        let listed: OneOrMany<Id<GroupMarker>> = vec![3].into();
        assert_eq!(one.as_slice(), &[Id::new(69)]);
        assert_eq!(many.len(), 2);
        assert_eq!(listed.into_vec(), vec![Id::new(3)]);
        assert_eq!(format!("{:?}", Id::<GroupMarker>::new(7)), "Id(7)");
    }
}
