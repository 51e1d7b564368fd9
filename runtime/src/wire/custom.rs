//! The fields of an object that its schema does not list: custom fields
//! (`UF_CRM_1`, `ufCrm11_1`), fields the documentation leaves out, and
//! values that did not fit their field's type (see [`Decoding`]).
//!
//! Every generated object has such a map, and most answers fill none: the
//! map is allocated only when a first field is kept, so an object that fits
//! its schema pays one pointer for it.
//!
//! [`Decoding`]: crate::Decoding

use indexmap::IndexMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fields of an object that its schema does not list, in the order they
/// came (or were set), as JSON.
///
/// Every generated object has them as its `custom` field: an answer keeps
/// here whatever the portal sent beyond the schema's fields, and an object
/// sent in a request writes them after its other fields. Read them as JSON
/// or typed:
///
/// ```
/// use bitrix24::CustomFields;
///
/// let mut custom = CustomFields::new();
/// custom.insert("UF_CRM_1".to_owned(), serde_json::json!(12.5));
/// assert_eq!(custom.get_as::<f64>("UF_CRM_1").unwrap(), Some(12.5));
/// assert_eq!(custom.get_as::<f64>("UF_CRM_2").unwrap(), None);
/// assert!(custom.get_as::<bool>("UF_CRM_1").is_err());
/// assert_eq!(custom.keys().collect::<Vec<_>>(), ["UF_CRM_1"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct CustomFields(Option<Box<IndexMap<String, Value>>>);

/// The same fields with the same values, in any order (as maps compare).
impl PartialEq for CustomFields {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(key, value)| other.get(key) == Some(value))
    }
}

impl CustomFields {
    /// No fields.
    pub const fn new() -> Self {
        Self(None)
    }

    /// The value of the field `key`, as JSON.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// The field `key` decoded as `T`; `Ok(None)` when there is no such
    /// field.
    ///
    /// # Errors
    ///
    /// The field's value does not decode as `T`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, serde_json::Error> {
        self.get(key).map(T::deserialize).transpose()
    }

    /// Whether the field `key` is here.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets the field `key` to `value`, keeping its place if it was set
    /// before; gives the value it had.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0.get_or_insert_with(Box::default).insert(key, value)
    }

    /// Sets the field `key` to `value` encoded as JSON, keeping its place if
    /// it was set before.
    ///
    /// # Errors
    ///
    /// `value` does not encode as JSON (a map with keys that are not text).
    pub fn set<T: Serialize>(
        &mut self,
        key: impl Into<String>,
        value: T,
    ) -> Result<(), serde_json::Error> {
        self.insert(key.into(), serde_json::to_value(value)?);
        Ok(())
    }

    /// Removes the field `key`, keeping the order of the others; gives its
    /// value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.as_mut()?.shift_remove(key)
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0
            .iter()
            .flat_map(|map| map.iter())
            .map(|(key, value)| (key.as_str(), value))
    }

    /// The names of the fields in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(key, _)| key)
    }

    /// The fields as a map of JSON values.
    pub fn into_map(self) -> IndexMap<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl From<IndexMap<String, Value>> for CustomFields {
    fn from(fields: IndexMap<String, Value>) -> Self {
        if fields.is_empty() {
            return Self::new();
        }
        Self(Some(Box::new(fields)))
    }
}

impl FromIterator<(String, Value)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Self {
        Self::from(fields.into_iter().collect::<IndexMap<_, _>>())
    }
}
