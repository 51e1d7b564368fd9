//! Tolerant decoding: a value that does not fit its field's type costs that
//! field, never the rest of the answer.
//!
//! An answer is first decoded as it always is, straight into its types. Only
//! when that fails is it decoded again in tolerant mode ([`decode`]), where
//! each field of a generated object ([`ObjectReader::required`],
//! [`ObjectReader::optional`]) is read as JSON first and then as its type: a
//! value that does not fit leaves the field absent, is kept in the object's
//! custom fields under its key as it came, and is reported as a [`Mismatch`]
//! with its JSON path. A required field that does not fit fails its object,
//! which is then the value that does not fit in the field around it. PHP's
//! empty values (`false`, `[]`, `""`) in an optional field read as absent
//! and are no mismatch ([`is_empty_value`]), so a strict decode, which fails
//! on any mismatch, accepts them too. Answers that fit pay nothing for this:
//! the mode is one thread-local flag, read once per field.
//!
//! The mode is per thread because decoding is synchronous: nothing else runs
//! on the thread between the start of a decode and its end. It knows nothing
//! about particular objects or about HTTP.

use std::cell::{Cell, RefCell};
use std::fmt;

use std::marker::PhantomData;

use serde::de;
use serde_json::Value;
use serde_with::DeserializeAs;
use serde_with::de::DeserializeAsWrap;

use super::custom::CustomFields;
use super::object::Key;

/// How answers that do not fit their types are decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Decoding {
    /// A value that does not fit its field reads as absent, is kept in the
    /// object's custom fields and is reported ([`Response::mismatches`],
    /// and once per method and path as a `tracing` warning): the rest of the
    /// answer is decoded. The default.
    ///
    /// [`Response::mismatches`]: crate::Response::mismatches
    #[default]
    Tolerant,
    /// A value that does not fit its field fails the call with a decode
    /// error naming its path: for tests that the schema matches the portal.
    /// PHP's empty values (`false`, `[]`, `""`) in an optional field whose
    /// type has none read as absent in either mode.
    Strict,
}

/// A value of an answer that did not fit the type the schema gives it.
///
/// The value itself is kept in the custom fields of the object that holds
/// it, under its key; the field reads as absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mismatch {
    path: String,
    reason: String,
}

impl Mismatch {
    /// The JSON path of the value in the answer, such as
    /// `result.items[3].purchasingPrice`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why it did not fit, such as `invalid type: floating point
    /// `28104.13`, expected i64`.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The mismatch with its reason rewritten, to mask secrets in it.
    pub(crate) fn map_reason(self, rewrite: impl FnOnce(&str) -> String) -> Self {
        Self {
            reason: rewrite(&self.reason),
            ..self
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// At most this many mismatches are kept per decode: past it a hostile
/// answer would only cost memory. Later ones are counted in the last.
const MISMATCH_LIMIT: usize = 100;

/// How deep in the result fields are read tolerantly. Each tolerant level
/// holds its value as JSON while the level below holds its own part, so an
/// answer nested without end (a recursive type) could cost its size once per
/// level; below this depth a value decodes directly, and a mismatch there is
/// one of the deepest tolerant field.
const DEPTH_LIMIT: usize = 8;

thread_local! {
    /// Whether the decode running on this thread is tolerant.
    static TOLERANT: Cell<bool> = const { Cell::new(false) };
    static STATE: RefCell<State> = const { RefCell::new(State::new()) };
}

/// The tolerant decode running on this thread: where it is, what it found.
struct State {
    path: Vec<Frame>,
    mismatches: Vec<Mismatch>,
    /// Mismatches past [`MISMATCH_LIMIT`].
    dropped: usize,
}

/// One step of the path: a key, or an item of a list.
struct Frame {
    segment: String,
    /// The value is a list: the objects read directly in it are its items.
    list: bool,
    /// How many objects have been read directly in it.
    objects: usize,
}

impl State {
    const fn new() -> Self {
        Self {
            path: Vec::new(),
            mismatches: Vec::new(),
            dropped: 0,
        }
    }

    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.path {
            if !path.is_empty() && !frame.segment.starts_with('[') {
                path.push('.');
            }
            path.push_str(&frame.segment);
        }
        path
    }

    fn record(&mut self, reason: String) {
        if self.mismatches.len() < MISMATCH_LIMIT {
            let path = self.path();
            self.mismatches.push(Mismatch { path, reason });
        } else {
            self.dropped += 1;
        }
    }
}

/// Ends tolerant mode when dropped, also when a decode panics.
struct Tolerant;

impl Tolerant {
    fn start(root: &str, list: bool) -> Self {
        STATE.with_borrow_mut(|state| {
            *state = State::new();
            state.path.push(Frame {
                segment: root.to_owned(),
                list,
                objects: 0,
            });
        });
        TOLERANT.set(true);
        Self
    }
}

impl Drop for Tolerant {
    fn drop(&mut self) {
        TOLERANT.set(false);
    }
}

/// Runs `decode` in tolerant mode: the value it decodes sits at `root` in
/// the answer (`result`) and is a list if `list`. Gives what it decoded and
/// the mismatches on the way.
pub(crate) fn decode<T, E>(
    root: &str,
    list: bool,
    decode: impl FnOnce() -> Result<T, E>,
) -> (Result<T, E>, Vec<Mismatch>) {
    let guard = Tolerant::start(root, list);
    let decoded = decode();
    drop(guard);
    let mut mismatches = STATE.with_borrow_mut(|state| {
        let dropped = state.dropped;
        let mut mismatches = std::mem::take(&mut state.mismatches);
        *state = State::new();
        if dropped > 0 {
            mismatches.push(Mismatch {
                path: root.to_owned(),
                reason: format!("{dropped} more values did not fit their types"),
            });
        }
        mismatches
    });
    mismatches.shrink_to_fit();
    (decoded, mismatches)
}

/// Whether the field being read is read tolerantly: in tolerant mode, and
/// not below [`DEPTH_LIMIT`].
#[inline]
fn tolerant() -> bool {
    TOLERANT.get() && STATE.with_borrow(|state| state.path.len() <= DEPTH_LIMIT)
}

/// Whether the value `text` (the JSON of a whole result) is a list.
pub(crate) fn is_list(text: &str) -> bool {
    text.trim_start().starts_with('[')
}

/// Called as a generated object starts reading its keys: an object read
/// directly in a list is that list's next item on the path. Gives whether
/// it added to the path, for [`leave_object`].
#[inline]
pub(crate) fn enter_object() -> bool {
    TOLERANT.get() && enter_list_item()
}

/// The part of [`enter_object`] that runs in tolerant mode only.
#[cold]
#[inline(never)]
fn enter_list_item() -> bool {
    STATE.with_borrow_mut(|state| {
        let Some(parent) = state.path.last_mut().filter(|frame| frame.list) else {
            return false;
        };
        let segment = format!("[{}]", parent.objects);
        parent.objects += 1;
        state.path.push(Frame {
            segment,
            list: false,
            objects: 0,
        });
        true
    })
}

/// Called as the object [`enter_object`] started ends.
#[inline]
pub(crate) fn leave_object(entered: bool) {
    if entered {
        STATE.with_borrow_mut(|state| state.path.pop());
    }
}

/// Whether a field read tolerantly may be absent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Required,
    Optional,
}

/// PHP's ways of saying "no value" whatever a field's type: `false`, an
/// empty array (`[]`) and an empty string. In an optional field whose type
/// has no such value they read as absent, neither a mismatch nor kept: the
/// portal sends `false` for a list of CRM bindings that has none, `""` for
/// a flag or a list not set.
fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => !flag,
        Value::Array(items) => items.is_empty(),
        Value::String(text) => text.is_empty(),
        _ => false,
    }
}

/// Reads the keys of a generated object: each listed field into its slot,
/// every other key into the object's custom fields, and, in tolerant mode,
/// a value that does not fit its field into the custom fields too (the slot
/// is left as it was, so the field reads as absent).
#[derive(Debug)]
pub struct ObjectReader<'de, A> {
    map: A,
    custom: CustomFields,
    input: PhantomData<&'de ()>,
}

impl<'de, A: de::MapAccess<'de>> ObjectReader<'de, A> {
    /// Starts reading the entries of `map`.
    pub fn new(map: A) -> Self {
        Self {
            map,
            custom: CustomFields::new(),
            input: PhantomData,
        }
    }

    /// The next key, or `None` after the last.
    pub fn next_key(&mut self) -> Result<Option<Key<'de>>, A::Error> {
        self.map.next_key()
    }

    /// Reads the value of the required field `key` into `slot`, through
    /// the adapter `As`.
    #[inline]
    pub fn required<As: for<'any> DeserializeAs<'any, T>, T>(
        &mut self,
        key: Key<'de>,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if tolerant() {
            if let Some(value) = self.tolerantly::<As, T>(key, Field::Required)? {
                *slot = Some(value);
            }
            return Ok(());
        }
        *slot = Some(
            self.map
                .next_value::<DeserializeAsWrap<T, As>>()?
                .into_inner(),
        );
        Ok(())
    }

    /// Reads the value of the optional field `key` into `slot`, through the
    /// adapter `As` of the whole `Option` (`null` reads as `None`).
    #[inline]
    pub fn optional<As: for<'any> DeserializeAs<'any, Option<T>>, T>(
        &mut self,
        key: Key<'de>,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if tolerant() {
            if let Some(value) = self.tolerantly::<As, Option<T>>(key, Field::Optional)? {
                *slot = value;
            }
            return Ok(());
        }
        *slot = self
            .map
            .next_value::<DeserializeAsWrap<Option<T>, As>>()?
            .into_inner();
        Ok(())
    }

    /// Keeps the value of a key the object does not list.
    pub fn keep(&mut self, key: Key<'de>) -> Result<(), A::Error> {
        let value = self.map.next_value::<Value>()?;
        self.custom.insert(key.into_owned(), value);
        Ok(())
    }

    /// The custom fields, once every key is read.
    pub fn finish(self) -> CustomFields {
        self.custom
    }

    /// Reads the value as JSON, then as `T`; on a mismatch records it and keeps
    /// the JSON in `custom`, unless the field is optional and the value is
    /// one of PHP's empty values ([`is_empty_value`]), which reads as absent.
    /// Only the second decode of an answer that did not fit comes here.
    #[cold]
    #[inline(never)]
    fn tolerantly<As: for<'any> DeserializeAs<'any, T>, T>(
        &mut self,
        key: Key<'de>,
        field: Field,
    ) -> Result<Option<T>, A::Error> {
        let value: Value = self.map.next_value()?;
        STATE.with_borrow_mut(|state| {
            state.path.push(Frame {
                segment: key.as_str().to_owned(),
                list: value.is_array(),
                objects: 0,
            });
        });
        // The state is not borrowed while the value decodes: its objects
        // record their own mismatches.
        let decoded = As::deserialize_as(&value);
        let empty = decoded.is_err() && field == Field::Optional && is_empty_value(&value);
        STATE.with_borrow_mut(|state| {
            if let Err(error) = &decoded
                && !empty
            {
                state.record(error.to_string());
            }
            state.path.pop();
        });
        match decoded {
            Ok(decoded) => Ok(Some(decoded)),
            Err(_) if empty => Ok(None),
            Err(_) => {
                self.custom.insert(key.into_owned(), value);
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Deserializer};
    use serde_with::Same;

    use super::*;
    use crate::wire::{LenientInt, ReadObject, deserialize_object, required};

    /// What the generator writes for an answer's object: a required field,
    /// optional ones, a nested list of objects, and custom fields.
    #[derive(Debug, PartialEq)]
    struct Product {
        id: i64,
        price: Option<i64>,
        rows: Option<Vec<Row>>,
        custom: crate::wire::CustomFields,
    }

    #[derive(Debug, PartialEq)]
    struct Row {
        quantity: i64,
        custom: crate::wire::CustomFields,
    }

    impl ReadObject for Product {
        fn read_object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let (mut id, mut price, mut rows) = (None, None, None);
            let mut map = ObjectReader::new(map);
            while let Some(key) = map.next_key()? {
                match key.as_str() {
                    "ID" => map.required::<LenientInt, _>(key, &mut id)?,
                    "PRICE" => map.optional::<Same, _>(key, &mut price)?,
                    "ROWS" => map.optional::<Same, _>(key, &mut rows)?,
                    _ => map.keep(key)?,
                }
            }
            Ok(Self {
                id: required(id, "ID")?,
                price,
                rows,
                custom: map.finish(),
            })
        }
    }

    impl ReadObject for Row {
        fn read_object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut quantity = None;
            let mut map = ObjectReader::new(map);
            while let Some(key) = map.next_key()? {
                match key.as_str() {
                    "QUANTITY" => map.required::<Same, _>(key, &mut quantity)?,
                    _ => map.keep(key)?,
                }
            }
            Ok(Self {
                quantity: required(quantity, "QUANTITY")?,
                custom: map.finish(),
            })
        }
    }

    impl<'de> Deserialize<'de> for Product {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    impl<'de> Deserialize<'de> for Row {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    fn tolerant(text: &str) -> (Result<Vec<Product>, serde_json::Error>, Vec<Mismatch>) {
        decode("result", is_list(text), || serde_json::from_str(text))
    }

    #[test]
    fn a_value_that_does_not_fit_costs_its_field_and_is_kept_with_its_path() {
        let text = r#"[{"ID":"1","PRICE":5},{"ID":"2","PRICE":28104.13,"UF_1":"x"}]"#;
        assert!(
            serde_json::from_str::<Vec<Product>>(text).is_err(),
            "strict fails"
        );
        let (products, mismatches) = tolerant(text);
        let products = products.expect("tolerant decodes the rest");
        assert_eq!(products[0].price, Some(5));
        assert_eq!((products[1].id, products[1].price), (2, None));
        // Kept as it came, in order with the unknown key.
        let kept: Vec<(&str, &Value)> = products[1].custom.iter().collect();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0], ("PRICE", &serde_json::json!(28104.13)));
        assert_eq!(kept[1].0, "UF_1");
        assert_eq!(mismatches.len(), 1);
        assert_eq!(mismatches[0].path(), "result[1].PRICE");
        assert!(
            mismatches[0].reason().contains("28104.13"),
            "{}",
            mismatches[0]
        );
    }

    #[test]
    fn a_required_field_that_does_not_fit_fails_its_object_inside_the_field_around_it() {
        let text = r#"{"ID":3,"ROWS":[{"QUANTITY":1},{"QUANTITY":"many"}],"PRICE":true}"#;
        let (product, mismatches) = decode("result", is_list(text), || {
            serde_json::from_str::<Product>(text)
        });
        let product = product.expect("the product decodes");
        assert_eq!(product.id, 3);
        assert_eq!(product.rows, None);
        assert_eq!(product.price, None);
        assert!(product.custom.contains_key("ROWS") && product.custom.contains_key("PRICE"));
        let paths: Vec<&str> = mismatches.iter().map(Mismatch::path).collect();
        assert_eq!(
            paths,
            ["result.ROWS[1].QUANTITY", "result.ROWS", "result.PRICE"],
            "{mismatches:?}"
        );
    }

    #[test]
    fn php_empty_values_in_optional_fields_read_as_absent_and_are_no_mismatch() {
        for empty in ["false", "[]", "\"\""] {
            let text = format!(r#"[{{"ID":1,"PRICE":{empty},"ROWS":{empty}}}]"#);
            let (products, mismatches) = tolerant(&text);
            let products = products.expect("decodes");
            // `[]` is a list, which ROWS is.
            let rows = (empty == "[]").then(Vec::new);
            assert_eq!(
                (products[0].price, &products[0].rows),
                (None, &rows),
                "{empty}"
            );
            assert!(products[0].custom.is_empty(), "{empty}: nothing to keep");
            assert_eq!(mismatches, [], "{empty}");
        }
        // Not empty: a mismatch, kept.
        let (products, mismatches) = tolerant(r#"[{"ID":1,"PRICE":true}]"#);
        assert!(products.expect("decodes")[0].custom.contains_key("PRICE"));
        assert_eq!(mismatches.len(), 1);
        // A required field has no empty value.
        let (products, _) = tolerant(r#"[{"ID":""}]"#);
        assert!(products.is_err());
    }

    #[test]
    fn what_tolerance_cannot_save_still_fails_and_the_mode_ends() {
        let (products, _) = tolerant(r#"[{"PRICE":1}]"#);
        assert!(
            products
                .unwrap_err()
                .to_string()
                .contains("missing field `ID`")
        );
        let (products, _) = tolerant(r#"[{"ID":"x"}]"#);
        assert!(products.is_err());
        // Out of tolerant mode, a mismatch is an error again.
        assert!(serde_json::from_str::<Product>(r#"{"ID":1,"PRICE":"x"}"#).is_err());
        assert!(!TOLERANT.get());
    }

    /// A recursive object: a chain of nodes.
    #[derive(Debug)]
    struct Node {
        n: Option<i64>,
        child: Option<Box<Node>>,
        custom: crate::wire::CustomFields,
    }

    impl ReadObject for Node {
        fn read_object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let (mut n, mut child) = (None, None);
            let mut map = ObjectReader::new(map);
            while let Some(key) = map.next_key()? {
                match key.as_str() {
                    "n" => map.optional::<Same, _>(key, &mut n)?,
                    "child" => map.optional::<Same, _>(key, &mut child)?,
                    _ => map.keep(key)?,
                }
            }
            Ok(Self {
                n,
                child,
                custom: map.finish(),
            })
        }
    }

    impl<'de> Deserialize<'de> for Node {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    #[test]
    fn a_deep_answer_is_read_tolerantly_only_near_the_top() {
        let depth = 100;
        let text = format!(
            "{}{{\"n\":\"x\"}}{}",
            r#"{"n":1,"child":"#.repeat(depth),
            "}".repeat(depth)
        );
        let (node, mismatches) = decode("result", false, || serde_json::from_str::<Node>(&text));
        let mut node = &node.expect("decodes");
        let [mismatch] = &mismatches[..] else {
            panic!("one mismatch: {mismatches:?}")
        };
        // Reported, and kept, at the deepest field read tolerantly.
        let levels = mismatch.path().matches("child").count();
        assert_eq!(levels, DEPTH_LIMIT, "{}", mismatch.path());
        for _ in 1..levels {
            node = node.child.as_deref().expect("a child");
        }
        assert_eq!(node.n, Some(1));
        assert!(node.child.is_none());
        assert!(node.custom.contains_key("child"));
    }

    #[test]
    fn a_hostile_answer_keeps_a_bounded_number_of_mismatches() {
        let items: Vec<String> = (0..MISMATCH_LIMIT + 50)
            .map(|index| format!(r#"{{"ID":{index},"PRICE":"p{index}"}}"#))
            .collect();
        let text = format!("[{}]", items.join(","));
        let (products, mismatches) = tolerant(&text);
        assert_eq!(products.expect("decodes").len(), MISMATCH_LIMIT + 50);
        assert_eq!(mismatches.len(), MISMATCH_LIMIT + 1);
        let last = mismatches.last().expect("a summary");
        assert_eq!(
            (last.path(), last.reason()),
            ("result", "50 more values did not fit their types")
        );
    }
}
