//! A parameter that takes one value or a list, such as `USER_ID`.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

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

/// A `serde_with` adapter that applies `U` to each value, so a one-or-many
/// of values that need an adapter themselves (`OneOrMany<LenientInt>` for
/// `OneOrMany<i64>`) encodes and decodes like the values alone.
impl<T, U: SerializeAs<T>> SerializeAs<OneOrMany<T>> for OneOrMany<U> {
    fn serialize_as<S: Serializer>(
        source: &OneOrMany<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match source {
            OneOrMany::One(value) => U::serialize_as(value, serializer),
            OneOrMany::Many(values) => <Vec<U>>::serialize_as(values, serializer),
        }
    }
}

impl<'de, T, U: DeserializeAs<'de, T>> DeserializeAs<'de, OneOrMany<T>> for OneOrMany<U> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OneOrMany<T>, D::Error> {
        // Which form it is shows only after reading: buffer the value (the
        // API speaks JSON only), then decode the scalar or each item.
        let value = serde_json::Value::deserialize(deserializer)?;
        let decoded = match value {
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(U::deserialize_as)
                .collect::<Result<Vec<T>, _>>()
                .map(OneOrMany::Many),
            scalar => U::deserialize_as(scalar).map(OneOrMany::One),
        };
        decoded.map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde_with::serde_as;

    use super::*;
    use crate::wire::LenientInt;

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Params {
        #[serde_as(as = "OneOrMany<LenientInt>")]
        ids: OneOrMany<i64>,
    }

    #[test]
    fn adapted_values_encode_and_decode_in_both_forms() {
        let one = Params { ids: 7.into() };
        let many = Params { ids: [7, 8].into() };
        assert_eq!(serde_json::to_string(&one).unwrap(), r#"{"ids":7}"#);
        assert_eq!(serde_json::to_string(&many).unwrap(), r#"{"ids":[7,8]}"#);
        let decoded: Params = serde_json::from_str(r#"{"ids":["7","8"]}"#).unwrap();
        assert_eq!(decoded, many);
        let decoded: Params = serde_json::from_str(r#"{"ids":"7"}"#).unwrap();
        assert_eq!(decoded, one);
        assert!(serde_json::from_str::<Params>(r#"{"ids":["x"]}"#).is_err());
    }
}
