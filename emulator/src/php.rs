//! PHP-like values: the data model the real server works in.
//!
//! Request parameters are PHP arrays (ordered maps whose numeric-string keys become integers), and
//! responses are produced by `json_encode`, which writes an array as a JSON list only when its keys
//! are exactly `0..n`. Modelling that here keeps key order, echoes JSON numbers as numbers and form
//! values as strings, and makes empty sections serialize as `[]`. This module knows nothing about
//! HTTP or about any REST method.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An array key: PHP turns canonical integer strings into integer keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Int(i64),
    Str(String),
}

impl Key {
    /// Converts a key the way PHP does when it is used as an array index.
    pub(crate) fn from_php(raw: &str) -> Key {
        let digits = raw.strip_prefix('-').unwrap_or(raw);
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && raw != "-0";
        match raw.parse::<i64>() {
            Ok(n) if canonical => Key::Int(n),
            _ => Key::Str(raw.to_owned()),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(n) => write!(f, "{n}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

/// An ordered PHP array.
///
/// Entries keep insertion order; an index from key to position makes lookup, assignment and
/// append O(1), so decoding `n` parameters costs O(n) (a linear scan per key made a body of
/// 40,000 keys take tens of seconds under the portal's lock).
#[derive(Clone, Debug, Default)]
pub(crate) struct Array {
    entries: Vec<(Key, Value)>,
    index: HashMap<Key, usize>,
    /// PHP's `nNextFreeElement`: one past the largest integer key ever set, at least 0.
    next_free: i64,
}

impl PartialEq for Array {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Array {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.get_key(&Key::from_php(key))
    }

    pub(crate) fn get_key(&self, key: &Key) -> Option<&Value> {
        self.index.get(key).map(|&i| &self.entries[i].1)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_mut_key(&Key::from_php(key))
    }

    pub(crate) fn get_mut_key(&mut self, key: &Key) -> Option<&mut Value> {
        let i = *self.index.get(key)?;
        Some(&mut self.entries[i].1)
    }

    /// Sets a key, keeping its position when it already exists (PHP assignment semantics).
    pub(crate) fn insert(&mut self, key: Key, value: Value) {
        *self.slot(key, || Value::Null) = value;
    }

    /// The value at `key`, inserted with `default()` at the end when the key is new.
    fn slot(&mut self, key: Key, default: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                if let Key::Int(n) = key {
                    self.next_free = self.next_free.max(n.saturating_add(1));
                }
                let i = self.entries.len();
                self.index.insert(key.clone(), i);
                self.entries.push((key, default()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// The array at `key`, replacing any non-array value there (how PHP's `$a[k][...] = v`
    /// treats a scalar it meets on the way).
    pub(crate) fn array_at(&mut self, key: Key) -> &mut Array {
        let slot = self.slot(key, || Value::Array(Array::new()));
        if !matches!(slot, Value::Array(_)) {
            *slot = Value::Array(Array::new());
        }
        match slot {
            Value::Array(child) => child,
            _ => unreachable!("just made an array"),
        }
    }

    pub(crate) fn set(&mut self, key: &str, value: Value) {
        self.insert(Key::from_php(key), value);
    }

    /// Removes a key (O(n): positions after it shift; only a few keys are ever removed).
    pub(crate) fn remove(&mut self, key: &str) -> Option<Value> {
        let pos = self.index.remove(&Key::from_php(key))?;
        let (_, value) = self.entries.remove(pos);
        for (k, _) in &self.entries[pos..] {
            if let Some(i) = self.index.get_mut(k) {
                *i -= 1;
            }
        }
        Some(value)
    }

    /// The key `$a[] = $v` would use.
    pub(crate) fn next_key(&self) -> Key {
        Key::Int(self.next_free)
    }

    /// Appends with the next integer key, like `$a[] = $v`, and returns that key.
    pub(crate) fn push(&mut self, value: Value) -> Key {
        let key = self.next_key();
        self.insert(key.clone(), value);
        key
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `json_encode` writes a list only for the keys `0, 1, …, n-1` in that order.
    fn is_list(&self) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| *k == Key::Int(i as i64))
    }

    /// Replaces top-level keys with those of `other` (`array_replace`).
    pub(crate) fn replace_with(&mut self, other: Array) {
        for (k, v) in other.entries {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(&'static str, Value)> for Array {
    fn from_iter<I: IntoIterator<Item = (&'static str, Value)>>(iter: I) -> Self {
        let mut array = Array::new();
        for (k, v) in iter {
            array.set(k, v);
        }
        array
    }
}

impl FromIterator<Value> for Array {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        let mut array = Array::new();
        for v in iter {
            array.push(v);
        }
        array
    }
}

/// A PHP value as far as the REST layer can see one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Array),
}

impl Value {
    pub(crate) fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// A database ID: the legacy API returns every ID as a numeric string.
    pub(crate) fn id(n: u64) -> Value {
        Value::Str(n.to_string())
    }

    pub(crate) fn flag(on: bool) -> Value {
        Value::str(if on { "Y" } else { "N" })
    }

    pub(crate) fn object(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
        Value::Array(pairs.into_iter().collect())
    }

    pub(crate) fn list(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Array(items.into_iter().collect())
    }

    pub(crate) fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// PHP `(int)` cast.
    pub(crate) fn intval(&self) -> i64 {
        match self {
            Value::Null => 0,
            Value::Bool(b) => i64::from(*b),
            Value::Int(n) => *n,
            Value::Float(f) if f.is_finite() => *f as i64,
            Value::Float(_) => 0,
            Value::Str(s) => php_string_to_int(s),
            Value::Array(a) => i64::from(!a.is_empty()),
        }
    }

    /// PHP `(bool)` cast.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !(s.is_empty() || s == "0"),
            Value::Array(a) => !a.is_empty(),
        }
    }

    /// The string PHP would produce for a scalar, used when a batch reference sits inside a
    /// longer string; `None` where PHP would leave the text alone.
    pub(crate) fn to_php_string(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }
}

/// PHP 8 integer conversion of a string: leading whitespace, then the longest numeric prefix
/// (`"12abc"` is 12, `"1e3"` is 1000, `"1.9"` is 1); anything else is 0.
pub(crate) fn php_string_to_int(s: &str) -> i64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let bytes = t.as_bytes();
    let digits_from = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let sign = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let mut end = digits_from(sign);
    let mut float = false;
    if bytes.get(end) == Some(&b'.')
        && (end > sign || bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
    {
        end = digits_from(end + 1);
        float = true;
    }
    if end == sign || (end == sign + 1 && float) {
        return 0;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let exp_sign = end + 1 + usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        let exp_end = digits_from(exp_sign);
        if exp_end > exp_sign {
            end = exp_end;
            float = true;
        }
    }
    let number = &t[..end];
    if float {
        number.parse::<f64>().map_or(0, |f| f as i64)
    } else {
        number.parse::<i64>().unwrap_or(if number.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        })
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<Array> for Value {
    fn from(a: Array) -> Self {
        Value::Array(a)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::Str(s) => serializer.serialize_str(s),
            Value::Array(a) => a.serialize(serializer),
        }
    }
}

impl Serialize for Array {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_list() {
            let mut seq = serializer.serialize_seq(Some(self.len()))?;
            for v in self.values() {
                seq.serialize_element(v)?;
            }
            seq.end()
        } else {
            let mut map = serializer.serialize_map(Some(self.len()))?;
            for (k, v) in self.iter() {
                map.serialize_entry(&k.to_string(), v)?;
            }
            map.end()
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Decodes JSON like `json_decode($body, true)`: objects keep their key order.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut array = Array::new();
        while let Some(v) = seq.next_element::<Value>()? {
            array.push(v);
        }
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut array = Array::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            array.set(&k, v);
        }
        Ok(Value::Array(array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_string_keys_become_integers() {
        assert_eq!(Key::from_php("7"), Key::Int(7));
        assert_eq!(Key::from_php("-3"), Key::Int(-3));
        assert_eq!(Key::from_php("07"), Key::Str("07".into()));
        assert_eq!(Key::from_php("-0"), Key::Str("-0".into()));
        assert_eq!(Key::from_php("ID"), Key::Str("ID".into()));
    }

    #[test]
    fn intval_follows_php() {
        assert_eq!(Value::str("12abc").intval(), 12);
        assert_eq!(Value::str("  -4").intval(), -4);
        assert_eq!(Value::str("abc").intval(), 0);
        assert_eq!(Value::str("1e3").intval(), 1000);
        assert_eq!(Value::str("1.9x").intval(), 1);
        assert_eq!(Value::str(".5").intval(), 0);
        assert_eq!(Value::str("-").intval(), 0);
        assert_eq!(Value::str("99999999999999999999").intval(), i64::MAX);
        assert_eq!(Value::Float(3.9).intval(), 3);
        assert_eq!(Value::list([Value::Int(0)]).intval(), 1);
        assert_eq!(Value::Null.intval(), 0);
    }

    #[test]
    fn truthiness_follows_php() {
        assert!(!Value::str("0").truthy());
        assert!(!Value::str("").truthy());
        assert!(Value::str("false").truthy());
        assert!(Value::Int(1).truthy());
    }

    #[test]
    fn sequential_arrays_are_lists_and_others_objects() {
        let list = Value::list([Value::Int(1), Value::str("a")]);
        assert_eq!(serde_json::to_string(&list).unwrap(), r#"[1,"a"]"#);
        let mut gap = Array::new();
        gap.insert(Key::Int(0), Value::Int(1));
        gap.insert(Key::Int(2), Value::Int(3));
        assert_eq!(serde_json::to_string(&gap).unwrap(), r#"{"0":1,"2":3}"#);
        assert_eq!(serde_json::to_string(&Array::new()).unwrap(), "[]");
    }

    #[test]
    fn json_objects_keep_their_order() {
        let v: Value = serde_json::from_str(r#"{"z":1,"a":[true,null],"5":2.5}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"z":1,"a":[true,null],"5":2.5}"#
        );
        assert_eq!(
            v.as_array().unwrap().get_key(&Key::Int(5)),
            Some(&Value::Float(2.5))
        );
    }
}
