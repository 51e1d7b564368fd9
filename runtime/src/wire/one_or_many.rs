//! A parameter that takes one value or a list, such as `USER_ID`.

use serde::{Deserialize, Serialize};

/// One value or several, sent as a scalar or as an array.
///
/// Methods such as `sonet_group.user.add` accept `USER_ID` either as a single
/// ID or as an array of IDs. Any single value, array or `Vec` converts into it:
///
/// ```
/// use bitrix24::wire::OneOrMany;
///
/// let one: OneOrMany<u64> = 7.into();
/// let many: OneOrMany<u64> = [7, 8].into();
/// assert_eq!(one.as_slice(), &[7]);
/// assert_eq!(many.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value, sent as a scalar.
    One(T),
    /// Several values, sent as an array.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice, whichever form they take.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(value) => std::slice::from_ref(value),
            Self::Many(values) => values,
        }
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are no values (only possible with an empty list).
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The values as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(value) => vec![value],
            Self::Many(values) => values,
        }
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        Self::One(value)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(values: Vec<T>) -> Self {
        Self::Many(values)
    }
}

impl<T, const N: usize> From<[T; N]> for OneOrMany<T> {
    fn from(values: [T; N]) -> Self {
        Self::Many(values.into())
    }
}

impl<T> FromIterator<T> for OneOrMany<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::Many(iter.into_iter().collect())
    }
}
