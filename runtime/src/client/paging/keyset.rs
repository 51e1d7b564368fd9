//! The requests of a keyset walk, as JSON: sorted by the key, filtered past
//! the last key seen, `start=-1` so the portal skips counting.
//!
//! Pure functions of the request's parameters; knows nothing about sending.
//! The parameter and field names are the method's own ([`Keyset`]), so a
//! method that reads only `filter` never gets a `FILTER` it would ignore.

use serde_json::{Map, Value};

use crate::method::Keyset;

/// Which way the walk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// Ascending keys: each page filtered by `>key`.
    Up,
    /// Descending keys: each page filtered by `<key`.
    Down,
}

impl Way {
    /// The filter operator that passes the last key seen.
    fn operator(self) -> &'static str {
        match self {
            Self::Up => ">",
            Self::Down => "<",
        }
    }

    /// Whether `key` lies past `last` in this direction.
    pub(super) fn passes(self, key: u64, last: u64) -> bool {
        match self {
            Self::Up => key > last,
            Self::Down => key < last,
        }
    }
}

/// A request that can be walked by key: its parameters and the direction.
#[derive(Debug, Clone)]
pub(super) struct KeysetWalk {
    keyset: Keyset,
    way: Way,
    params: Map<String, Value>,
}

impl KeysetWalk {
    /// Checks that `params` can be walked by `keyset`: the request sorts by
    /// the key alone, or not at all (then the walk goes up), and its filter,
    /// if any, is an object.
    pub(super) fn new(keyset: Keyset, params: &Value) -> Result<Self, &'static str> {
        let Value::Object(params) = params else {
            return Err("the parameters are not an object");
        };
        let way = match params.get(keyset.order) {
            None | Some(Value::Null) => Way::Up,
            Some(Value::Object(order)) if order.is_empty() => Way::Up,
            Some(Value::Object(order)) => {
                let mut entries = order.iter();
                match (entries.next(), entries.next()) {
                    (Some((field, Value::String(direction))), None)
                        if field.eq_ignore_ascii_case(keyset.field) =>
                    {
                        if direction.eq_ignore_ascii_case("asc") {
                            Way::Up
                        } else if direction.eq_ignore_ascii_case("desc") {
                            Way::Down
                        } else {
                            return Err("the sort direction is neither ASC nor DESC");
                        }
                    }
                    _ => return Err("the request sorts by other fields than the key"),
                }
            }
            Some(_) => return Err("the sort order is not an object"),
        };
        match params.get(keyset.filter) {
            None | Some(Value::Null | Value::Object(_)) => {}
            Some(_) => return Err("the filter is not an object"),
        }
        let mut params = params.clone();
        if let Some(Value::Array(fields)) = keyset.select.and_then(|select| params.get_mut(select))
        {
            let selected = fields.iter().any(|field| {
                field
                    .as_str()
                    .is_some_and(|name| name == "*" || name.eq_ignore_ascii_case(keyset.field))
            });
            if !fields.is_empty() && !selected {
                fields.push(keyset.field.into());
            }
        }
        Ok(Self {
            keyset,
            way,
            params,
        })
    }

    pub(super) fn way(&self) -> Way {
        self.way
    }

    /// The wire name of the key.
    pub(super) fn field(&self) -> &'static str {
        self.keyset.field
    }

    /// The parameters of the page after the item whose key is `last`, or of
    /// the first page: sorted by the key, `start=-1`, and past `last` in the
    /// walk's direction (which replaces the request's own bound on that side,
    /// a bound `last` already passed). `last` is a key, or a `$result`
    /// reference to one that the portal substitutes inside a batch.
    pub(super) fn page(&self, last: Option<Value>) -> Value {
        let Keyset {
            order,
            filter,
            field,
            ..
        } = self.keyset;
        let mut params = self.params.clone();
        let direction = match self.way {
            Way::Up => "ASC",
            Way::Down => "DESC",
        };
        params.insert(
            order.to_owned(),
            Value::Object(Map::from_iter([(field.to_owned(), direction.into())])),
        );
        if let Some(last) = last {
            let operator = self.way.operator();
            let mut conditions = match params.remove(filter) {
                Some(Value::Object(conditions)) => conditions,
                _ => Map::new(),
            };
            conditions.retain(|key, _| {
                let bound = key
                    .strip_prefix(operator)
                    .map(|rest| rest.strip_prefix('=').unwrap_or(rest));
                !bound.is_some_and(|name| name.eq_ignore_ascii_case(field))
            });
            conditions.insert(format!("{operator}{field}"), last);
            params.insert(filter.to_owned(), Value::Object(conditions));
        }
        // `start` last, where the generated requests send it.
        params.remove("start");
        params.insert("start".to_owned(), Value::from(-1));
        Value::Object(params)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const UPPER: Keyset = Keyset::new("ORDER", "FILTER", "ID");
    const LOWER: Keyset = Keyset::new("order", "filter", "id");

    #[test]
    fn the_first_page_sorts_by_the_key_and_skips_counting() {
        let walk =
            KeysetWalk::new(UPPER, &json!({"FILTER": {"%NAME": "Pro"}, "start": 100})).unwrap();
        assert_eq!(walk.way(), Way::Up);
        assert_eq!(
            walk.page(None).to_string(),
            r#"{"FILTER":{"%NAME":"Pro"},"ORDER":{"ID":"ASC"},"start":-1}"#
        );
    }

    #[test]
    fn later_pages_replace_the_bound_on_the_walk_side_only() {
        let params = json!({"ORDER": {"id": "asc"}, "FILTER": {">ID": 10, ">=ID": 5, "<ID": 900, "NAME": "x"}});
        let walk = KeysetWalk::new(UPPER, &params).unwrap();
        assert_eq!(
            walk.page(Some(77.into())).to_string(),
            r#"{"ORDER":{"ID":"ASC"},"FILTER":{"<ID":900,"NAME":"x",">ID":77},"start":-1}"#
        );
        let down = KeysetWalk::new(
            UPPER,
            &json!({"ORDER": {"ID": "DESC"}, "FILTER": {"<=ID": 50, ">ID": 3}}),
        )
        .unwrap();
        assert_eq!(down.way(), Way::Down);
        assert_eq!(
            down.page(Some(40.into())).to_string(),
            r#"{"ORDER":{"ID":"DESC"},"FILTER":{">ID":3,"<ID":40},"start":-1}"#
        );
    }

    #[test]
    fn uses_the_methods_own_names() {
        let walk = KeysetWalk::new(LOWER, &json!({"select": ["id"]})).unwrap();
        assert_eq!(
            walk.page(Some(3.into())).to_string(),
            r#"{"select":["id"],"order":{"id":"ASC"},"filter":{">id":3},"start":-1}"#
        );
    }

    #[test]
    fn a_selection_without_the_key_gets_it() {
        let keyset = LOWER.with_select("select");
        let walk = KeysetWalk::new(keyset, &json!({"select": ["title"]})).unwrap();
        assert_eq!(walk.page(None)["select"], json!(["title", "id"]));
        for kept in [json!(["*"]), json!(["ID", "title"]), json!([])] {
            let walk = KeysetWalk::new(keyset, &json!({"select": kept.clone()})).unwrap();
            assert_eq!(walk.page(None)["select"], kept);
        }
        let walk = KeysetWalk::new(keyset, &json!({})).unwrap();
        assert!(walk.page(None).get("select").is_none());
    }

    #[test]
    fn refuses_requests_sorted_by_anything_else() {
        for params in [
            json!({"ORDER": {"NAME": "ASC"}}),
            json!({"ORDER": {"ID": "ASC", "NAME": "ASC"}}),
            json!({"ORDER": {"ID": "UP"}}),
            json!({"ORDER": "ID"}),
            json!({"FILTER": ["x"]}),
            json!([1]),
        ] {
            assert!(KeysetWalk::new(UPPER, &params).is_err(), "{params}");
        }
    }

    #[test]
    fn keys_pass_in_the_walk_direction_only() {
        assert!(Way::Up.passes(5, 4) && !Way::Up.passes(4, 4) && !Way::Up.passes(3, 4));
        assert!(Way::Down.passes(3, 4) && !Way::Down.passes(4, 4));
    }
}
