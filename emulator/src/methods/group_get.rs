//! `sonet_group.get`: the list of groups, paged by 50 with `next`/`total`.
//!
//! A reduced implementation: `ORDER` by `ID`, `NAME` or `OWNER_ID`; `FILTER` on `ID`,
//! `OWNER_ID`, `NAME`, the `Y`/`N` flags and `IS_EXTRANET` with the usual operator prefixes
//! (other fields are ignored, filter keys with unknown operators are dropped as the server
//! does); `GROUP_ID`; `IS_ADMIN=Y` for admins; `start`, where `-1` skips counting.
//!
//! The work per request stays proportional to the rows the answer needs, as the database's
//! index makes it on the real server: a `>ID`/`>=ID` filter starts the scan at that ID, an
//! order by `ID` walks the groups in ID order without sorting, and `start=-1` stops after the
//! page. So a keyset walk (`>ID` with `ORDER {ID: ASC}` and `start=-1`) costs each page about
//! its fifty rows, whatever the portal's size. Other orders collect and sort the matches.

use std::cmp::Ordering;
use std::ops::Bound;

use super::{Call, Output};
use crate::error::RestError;
use crate::php::{Array, Value};
use crate::state::{Group, Portal};

/// `IRestService::LIST_LIMIT`.
const PAGE_SIZE: usize = 50;

/// Operator prefixes `checkGroupFilter` lets through.
const OPERATORS: &[&str] = &[
    "", "!", "<", "<=", ">", ">=", "><", "!><", "?", "=", "!=", "%", "!%",
];

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let portal = &*call.portal;
    let params = call.params;
    let bypass = call.user.admin && params.get("IS_ADMIN").and_then(Value::as_str) == Some("Y");
    let mut conditions = params
        .get("FILTER")
        .and_then(Value::as_array)
        .map(parse_filter)
        .unwrap_or_default();
    if let Some(id) = params.get("GROUP_ID").filter(|v| v.intval() > 0) {
        conditions.push(Condition::new("=", "ID", id.clone()));
    }
    let order = params.get("ORDER").and_then(Value::as_array);

    let keep = |g: &&Group| {
        (bypass || portal.visible_to(g, &call.user, true))
            && conditions.iter().all(|c| c.matches(g))
    };
    let scanned = portal.groups_from(lowest_id(&conditions));
    let ordered: Box<dyn Iterator<Item = &Group>> = match id_order(order) {
        Some(Direction::Ascending) => Box::new(scanned.filter(keep)),
        Some(Direction::Descending) => Box::new(scanned.rev().filter(keep)),
        None => {
            let mut groups: Vec<&Group> = scanned.filter(keep).collect();
            sort(&mut groups, order);
            Box::new(groups.into_iter())
        }
    };

    let count_total = call.start >= 0;
    let offset = usize::try_from(call.start).unwrap_or(0);
    let (mut total, mut page) = (0, Vec::with_capacity(PAGE_SIZE));
    for group in ordered {
        if total >= offset && page.len() < PAGE_SIZE {
            page.push(row(portal, group, call.site));
        }
        total += 1;
        if !count_total && page.len() == PAGE_SIZE {
            break;
        }
    }
    let mut output = Output::new(Value::list(page));
    if count_total {
        output.total = Some(total as i64);
        if offset + PAGE_SIZE < total {
            output.next = Some((offset + PAGE_SIZE) as i64);
        }
    }
    Ok(output)
}

fn row(portal: &Portal, g: &Group, site: &super::Site) -> Value {
    let members = portal.member_count(g.id);
    let mut fields = vec![
        ("ID", Value::id(g.id)),
        ("SITE_ID", Value::str("s1")),
        ("NAME", Value::str(g.name.as_str())),
        ("DESCRIPTION", Value::Null),
        ("DATE_CREATE", Value::str(site.created.as_str())),
        ("DATE_UPDATE", Value::str(site.created.as_str())),
        ("ACTIVE", Value::flag(true)),
        ("VISIBLE", Value::flag(g.visible)),
        ("OPENED", Value::flag(g.opened)),
        ("CLOSED", Value::flag(false)),
        ("SUBJECT_ID", Value::id(1)),
        ("OWNER_ID", Value::id(g.owner)),
        ("KEYWORDS", Value::Null),
        ("NUMBER_OF_MEMBERS", Value::id(members as u64)),
        ("DATE_ACTIVITY", Value::str(site.created.as_str())),
        ("SUBJECT_NAME", Value::str("Workgroups")),
        ("PROJECT", Value::flag(g.project)),
        ("IS_EXTRANET", Value::flag(g.extranet)),
    ];
    if let Some(image) = g.image_id {
        fields.push((
            "IMAGE",
            Value::Str(format!("/upload/socialnetwork/{image}/group.png")),
        ));
    }
    Value::object(fields)
}

/// One `FILTER` entry split into operator and field, with its values read once.
struct Condition {
    op: &'static str,
    field: String,
    value: Value,
    /// The values as PHP integers (a list's elements, or the one value).
    numbers: Vec<i64>,
    /// The values as PHP strings, and lower-cased for the pattern operators.
    texts: Vec<String>,
    lower_texts: Vec<String>,
}

fn parse_filter(filter: &Array) -> Vec<Condition> {
    filter
        .iter()
        .filter_map(|(key, value)| {
            let key = key.to_string();
            let split = key
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(key.len());
            let op = OPERATORS.iter().find(|op| **op == &key[..split])?;
            Some(Condition::new(op, &key[split..], value.clone()))
        })
        .collect()
}

impl Condition {
    fn new(op: &'static str, field: &str, value: Value) -> Self {
        let candidates: Vec<&Value> = match &value {
            Value::Array(list) => list.values().collect(),
            single => vec![single],
        };
        let numbers = candidates.iter().map(|v| v.intval()).collect();
        let texts: Vec<String> = candidates
            .iter()
            .filter_map(|v| v.to_php_string())
            .collect();
        let lower_texts = texts.iter().map(|t| t.to_lowercase()).collect();
        Self {
            op,
            field: field.to_owned(),
            value,
            numbers,
            texts,
            lower_texts,
        }
    }

    fn matches(&self, g: &Group) -> bool {
        let flag = |on: bool| if on { "Y" } else { "N" };
        match self.field.as_str() {
            "ID" => self.compare_number(g.id),
            "OWNER_ID" => self.compare_number(g.owner),
            "NAME" => self.compare_text(&g.name),
            "ACTIVE" => self.compare_text("Y"),
            "CLOSED" => self.compare_text("N"),
            "VISIBLE" => self.compare_text(flag(g.visible)),
            "OPENED" => self.compare_text(flag(g.opened)),
            "PROJECT" => self.compare_text(flag(g.project)),
            "IS_EXTRANET" => match self.value.as_str() {
                Some("Y") => g.extranet,
                Some("N") => !g.extranet,
                _ => true,
            },
            _ => true,
        }
    }

    fn compare_number(&self, actual: u64) -> bool {
        let actual = actual as i64;
        let wanted = &self.numbers;
        let first = wanted.first().copied().unwrap_or(0);
        match self.op {
            "" | "=" => wanted.contains(&actual),
            "!" | "!=" => !wanted.contains(&actual),
            "<" => actual < first,
            "<=" => actual <= first,
            ">" => actual > first,
            ">=" => actual >= first,
            "><" | "!><" => {
                let inside = wanted.len() == 2 && (wanted[0]..=wanted[1]).contains(&actual);
                inside == (self.op == "><")
            }
            _ => true,
        }
    }

    fn compare_text(&self, actual: &str) -> bool {
        let wanted = &self.texts;
        let contains = || {
            let actual = actual.to_lowercase();
            self.lower_texts.iter().any(|w| actual.contains(w.as_str()))
        };
        match self.op {
            "" | "=" => wanted.iter().any(|w| w == actual),
            "!" | "!=" => !wanted.iter().any(|w| w == actual),
            "%" | "?" => contains(),
            "!%" => !contains(),
            _ => true,
        }
    }
}

/// The lowest group ID the `>ID` and `>=ID` conditions let through, where the scan can start.
/// Only lower bounds on non-negative values narrow it: every ID that passes `> x` for such an
/// `x` is above `x` as an unsigned number too, so the scan never skips a match (and the
/// conditions are still checked on every group scanned).
fn lowest_id(conditions: &[Condition]) -> Bound<u64> {
    conditions
        .iter()
        .filter(|c| c.field == "ID")
        .filter_map(|c| {
            let first = c.numbers.first().copied().unwrap_or(0);
            let bound = u64::try_from(first).ok()?;
            match c.op {
                ">" => Some(Bound::Excluded(bound)),
                ">=" => Some(Bound::Included(bound)),
                _ => None,
            }
        })
        .max_by_key(|bound| match bound {
            Bound::Included(id) => (*id, false),
            Bound::Excluded(id) => (*id, true),
            Bound::Unbounded => (0, false),
        })
        .unwrap_or(Bound::Unbounded)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Direction {
    Ascending,
    Descending,
}

/// The direction when the order is decided by the ID alone: no `ORDER` (`ID DESC`), or a
/// first key that [`sort`] compares by ID. IDs are unique, so later keys never matter then.
fn id_order(order: Option<&Array>) -> Option<Direction> {
    let Some((field, dir)) = order.and_then(|o| o.iter().next()) else {
        return Some(Direction::Descending);
    };
    let field = field.to_string().to_ascii_uppercase();
    if matches!(field.as_str(), "NAME" | "OWNER_ID") {
        return None;
    }
    let descending = dir.as_str().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    Some(if descending {
        Direction::Descending
    } else {
        Direction::Ascending
    })
}

/// Applies `ORDER` (default `ID DESC`); unknown fields order by ID.
fn sort(groups: &mut [&Group], order: Option<&Array>) {
    let keys: Vec<(String, bool)> = match order {
        Some(order) if !order.is_empty() => order
            .iter()
            .map(|(field, dir)| {
                let descending = dir.as_str().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                (field.to_string().to_ascii_uppercase(), descending)
            })
            .collect(),
        _ => vec![("ID".to_owned(), true)],
    };
    groups.sort_by(|a, b| {
        keys.iter()
            .map(|(field, descending)| {
                let ordering = match field.as_str() {
                    "NAME" => a.name.cmp(&b.name),
                    "OWNER_ID" => a.owner.cmp(&b.owner),
                    _ => a.id.cmp(&b.id),
                };
                if *descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
}
