//! `sonet_group.get`: the list of groups, paged by 50 with `next`/`total`.
//!
//! A reduced implementation: `ORDER` by `ID`, `NAME` or `OWNER_ID`; `FILTER` on `ID`,
//! `OWNER_ID`, `NAME`, the `Y`/`N` flags and `IS_EXTRANET` with the usual operator prefixes
//! (other fields are ignored, filter keys with unknown operators are dropped as the server
//! does); `GROUP_ID`; `IS_ADMIN=Y` for admins; `start`, where `-1` skips counting.

use std::cmp::Ordering;

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
        conditions.push(Condition {
            op: "=",
            field: "ID".into(),
            value: id.clone(),
        });
    }

    let mut groups: Vec<&Group> = portal
        .groups()
        .filter(|g| bypass || portal.visible_to(g, &call.user, true))
        .filter(|g| conditions.iter().all(|c| c.matches(g)))
        .collect();
    sort(&mut groups, params.get("ORDER").and_then(Value::as_array));

    let count_total = call.start >= 0;
    let offset = usize::try_from(call.start).unwrap_or(0);
    let total = groups.len();
    let page = groups
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .map(|g| row(portal, g, call.site));
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

/// One `FILTER` entry split into operator and field.
struct Condition {
    op: &'static str,
    field: String,
    value: Value,
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
            Some(Condition {
                op,
                field: key[split..].to_owned(),
                value: value.clone(),
            })
        })
        .collect()
}

impl Condition {
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

    fn candidates(&self) -> Vec<&Value> {
        match &self.value {
            Value::Array(list) => list.values().collect(),
            single => vec![single],
        }
    }

    fn compare_number(&self, actual: u64) -> bool {
        let actual = actual as i64;
        let wanted: Vec<i64> = self.candidates().into_iter().map(Value::intval).collect();
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
        let wanted: Vec<String> = self
            .candidates()
            .into_iter()
            .filter_map(Value::to_php_string)
            .collect();
        let contains = || {
            wanted
                .iter()
                .any(|w| actual.to_lowercase().contains(&w.to_lowercase()))
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
