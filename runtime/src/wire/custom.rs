//! The fields of an object that its schema does not list: custom fields
//! (`UF_CRM_1`, `ufCrm11_1`), fields the documentation leaves out, and
//! values that did not fit their field's type (see [`Decoding`]).
//!
//! [`Decoding`]: crate::Decoding

use std::ops::{Deref, DerefMut};

use indexmap::IndexMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fields of an object that its schema does not list, in the order they
/// came (or were set), as JSON.
///
/// Every generated object has them as its `custom` field: an answer keeps
/// here whatever the portal sent beyond the schema's fields, and an object
/// sent in a request writes them after its other fields. It is a map of
/// JSON values (it dereferences to an [`IndexMap`]), with typed reading:
///
/// ```
/// use bitrix24::CustomFields;
///
/// let mut custom = CustomFields::new();
/// custom.insert("UF_CRM_1".to_owned(), serde_json::json!(12.5));
/// assert_eq!(custom.get_as::<f64>("UF_CRM_1").unwrap(), Some(12.5));
/// assert_eq!(custom.get_as::<f64>("UF_CRM_2").unwrap(), None);
/// assert!(custom.get_as::<bool>("UF_CRM_1").is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomFields(IndexMap<String, Value>);

impl CustomFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The field `key` decoded as `T`; `Ok(None)` when there is no such
    /// field.
    ///
    /// # Errors
    ///
    /// The field's value does not decode as `T`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, serde_json::Error> {
        self.0.get(key).map(T::deserialize).transpose()
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
        self.0.insert(key.into(), serde_json::to_value(value)?);
        Ok(())
    }

    /// The fields as a map of JSON values.
    pub fn into_inner(self) -> IndexMap<String, Value> {
        self.0
    }
}

impl Deref for CustomFields {
    type Target = IndexMap<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for CustomFields {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<IndexMap<String, Value>> for CustomFields {
    fn from(fields: IndexMap<String, Value>) -> Self {
        Self(fields)
    }
}

impl FromIterator<(String, Value)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Self {
        Self(fields.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a CustomFields {
    type Item = (&'a String, &'a Value);
    type IntoIter = indexmap::map::Iter<'a, String, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
