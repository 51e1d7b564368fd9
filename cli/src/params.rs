//! A method's parameters on the command line: one flag per parameter,
//! named after its wire name (`--GROUP_ID`, also `--group-id`), built from
//! the method's description when the method is called, and the JSON
//! object of parameters they make.
//!
//! Also checks a whole object of parameters (from `--params` or a batch
//! file) against the method: unknown names, missing required ones and
//! values of the wrong type are refused before anything is sent. Knows
//! nothing about sending.

use bitrix24::schema::{Kind, Method, Param, Ty};
use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

use crate::values;

/// The flag of a parameter, as clap knows it: the wire name.
fn flag_id(param: &'static Param) -> &'static str {
    &param.name
}

/// Whether a wire name can be a long flag as it is.
fn is_flag_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The lower-case kebab form of a wire name: `GROUP_ID` gives `group-id`.
pub fn kebab(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

/// The flags of `method`'s parameters, added to `command`; flags whose
/// names `taken` already holds (the global options) are left out, so those
/// parameters go through `--params`.
pub fn add_flags(mut command: Command, method: &'static Method, taken: &[&str]) -> Command {
    let mut used: Vec<String> = taken.iter().map(|name| (*name).to_owned()).collect();
    for param in &method.params {
        if !is_flag_name(&param.name) || used.contains(&param.name) {
            continue;
        }
        used.push(param.name.clone());
        let mut arg = Arg::new(flag_id(param))
            .long(flag_id(param))
            .value_name(value_name(&param.ty))
            .help(help(param));
        let alias = kebab(&param.name);
        if !used.contains(&alias) {
            arg = arg.visible_alias(alias.clone());
            used.push(alias);
        }
        for alias in param.aliases.iter().filter(|alias| is_flag_name(alias)) {
            if !used.contains(alias) {
                arg = arg.alias(alias.as_str());
                used.push(alias.clone());
            }
        }
        if let Some(values) = closed_values(item_type(&param.ty)) {
            arg = arg.value_parser(values);
        }
        arg = match param.ty {
            Ty::Array(_) | Ty::OneOrMany(_) => arg.action(ArgAction::Append),
            _ => arg.action(ArgAction::Set),
        };
        command = command.arg(arg);
    }
    command
}

/// The type of one flag's value: the item of a list.
fn item_type(ty: &Ty) -> &Ty {
    match ty {
        Ty::Array(item) | Ty::OneOrMany(item) => match **item {
            // A list of objects takes each object as JSON.
            Ty::Named(_) | Ty::Primitive(_) => item,
            _ => ty,
        },
        _ => ty,
    }
}

/// The values of a closed enum, for clap to check and list.
fn closed_values(ty: &Ty) -> Option<Vec<PossibleValue>> {
    let Ty::Named(path) = ty else {
        return None;
    };
    match &values::named(path).kind {
        Kind::Enum {
            values,
            extensible: false,
            ..
        } => Some(
            values
                .iter()
                .map(|value| PossibleValue::new(value.value.as_str()).help(value.doc.as_str()))
                .collect(),
        ),
        _ => None,
    }
}

fn value_name(ty: &Ty) -> &'static str {
    match item_type(ty) {
        Ty::Primitive(primitive) => match primitive {
            bitrix24::schema::Primitive::Integer => "INT",
            bitrix24::schema::Primitive::Number => "NUMBER",
            bitrix24::schema::Primitive::Boolean
            | bitrix24::schema::Primitive::YesNo
            | bitrix24::schema::Primitive::OneZero
            | bitrix24::schema::Primitive::OneZeroNumber => "Y|N",
            bitrix24::schema::Primitive::Datetime => "DATETIME",
            bitrix24::schema::Primitive::LocalDatetime => "LOCAL_DATETIME",
            bitrix24::schema::Primitive::Date => "DATE",
            bitrix24::schema::Primitive::Timestamp => "UNIX_SECONDS",
            bitrix24::schema::Primitive::File => "PATH",
            bitrix24::schema::Primitive::Direction => "ASC|DESC",
            bitrix24::schema::Primitive::Json => "JSON",
            bitrix24::schema::Primitive::String => "TEXT",
        },
        Ty::Named(path) => match values::named(path).kind {
            Kind::Id => "ID",
            Kind::Enum { .. } => "VALUE",
            Kind::Object { .. } | Kind::Filter { .. } | Kind::Order { .. } => "JSON",
        },
        Ty::Array(_) | Ty::Map(_) | Ty::OneOrMany(_) => "JSON",
    }
}

fn help(param: &Param) -> String {
    let mut text = param.doc.clone();
    if param.required {
        text.push_str(" [required]");
    }
    match param.ty {
        Ty::Array(_) => text.push_str(" [repeat the flag for several]"),
        Ty::OneOrMany(_) => text.push_str(" [one, or repeat the flag for several]"),
        _ => {}
    }
    if let Ty::Named(path) = item_type(&param.ty) {
        let named = values::named(path);
        match &named.kind {
            Kind::Enum {
                extensible: true, ..
            } => text.push_str(&format!(" [known values: {}]", values::enum_list(named))),
            Kind::Object { fields } => {
                let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
                text.push_str(&format!(" [a JSON object: {}]", names.join(", ")));
            }
            Kind::Filter { fields } => {
                let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
                text.push_str(&format!(" [JSON conditions on {}]", names.join(", ")));
            }
            Kind::Order { fields } => {
                text.push_str(&format!(
                    " [JSON: field to ASC or DESC; {}]",
                    fields.join(", ")
                ));
            }
            _ => {}
        }
    }
    text
}

/// The parameters the flags in `matches` give, in schema order.
///
/// # Errors
///
/// The flag and why its value does not fit.
pub fn from_flags(
    method: &'static Method,
    matches: &ArgMatches,
) -> Result<Map<String, Value>, String> {
    let mut params = Map::new();
    for param in &method.params {
        let present = matches.try_get_raw(flag_id(param)).ok().flatten();
        let Some(raw) = present else { continue };
        let texts: Vec<String> = raw
            .map(|text| text.to_string_lossy().into_owned())
            .collect();
        let item = item_type(&param.ty);
        let mut parsed = Vec::with_capacity(texts.len());
        for text in &texts {
            let value =
                values::from_text(text, item).map_err(|why| format!("--{}: {why}", param.name))?;
            parsed.push(value);
        }
        let value = match (&param.ty, item) {
            // A list given as one JSON value.
            (Ty::Array(_) | Ty::OneOrMany(_), Ty::Array(_) | Ty::OneOrMany(_)) => {
                parsed.pop().unwrap_or(Value::Null)
            }
            (Ty::Array(_), _) => Value::Array(parsed),
            (Ty::OneOrMany(_), _) if parsed.len() == 1 => parsed.pop().unwrap_or(Value::Null),
            (Ty::OneOrMany(_), _) => Value::Array(parsed),
            _ => parsed.pop().unwrap_or(Value::Null),
        };
        params.insert(param.name.clone(), value);
    }
    Ok(params)
}

/// Checks a whole object of parameters against `method`.
///
/// # Errors
///
/// The first parameter that is unknown, missing or of the wrong type.
pub fn check(method: &'static Method, params: &Map<String, Value>) -> Result<(), String> {
    for (name, value) in params {
        let Some(param) = method.param(name) else {
            let known: Vec<&str> = method
                .params
                .iter()
                .map(|param| param.name.as_str())
                .collect();
            return Err(format!(
                "{} has no parameter {name} (it has: {}); `b24 call` sends any parameters",
                method.name,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ));
        };
        values::check(value, &param.ty)
            // `FIELDS.TITLE: expected text`.
            .map_err(|mismatch| {
                format!("{}{}: {}", param.name, mismatch.path, mismatch.expected)
            })?;
    }
    for param in method.params.iter().filter(|param| param.required) {
        let given = params.contains_key(&param.name)
            || param.aliases.iter().any(|alias| params.contains_key(alias));
        if !given {
            return Err(format!(
                "{} needs the parameter {} (--{})",
                method.name, param.name, param.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use bitrix24::Method as _;
    use bitrix24::prelude::*;
    use serde_json::json;

    use super::*;

    /// The parameters `args` give for the method `name`, checked.
    fn params_of(name: &str, args: &[&str]) -> Result<Value, String> {
        let method = bitrix24::schema::method(name).expect("the method is in the schema");
        let matches = crate::cli::method_command(method)
            .try_get_matches_from(std::iter::once(name).chain(args.iter().copied()))
            .map_err(|error| error.to_string())?;
        let params = from_flags(method, &matches)?;
        check(method, &params)?;
        Ok(Value::Object(params))
    }

    #[test]
    fn flags_give_the_json_the_typed_client_sends() {
        let at =
            bitrix24::chrono::DateTime::parse_from_rfc3339("2026-03-18T19:15:53+02:00").unwrap();
        let typed = bitrix24::SonetGroupCreate::new("Launch")
            .visible(true)
            .opened(false)
            .initiate_perms(bitrix24::sonet_group::InitiatePerms::Moderators)
            .project_date_start(at)
            .owner_id(7)
            .site_id(["s1", "s2"])
            .to_json();
        let flags = params_of(
            "sonet_group.create",
            &[
                "--NAME",
                "Launch",
                "--visible",
                "yes",
                "--OPENED",
                "N",
                "--INITIATE_PERMS",
                "E",
                "--PROJECT_DATE_START",
                "2026-03-18T19:15:53+02:00",
                "--OWNER_ID",
                "7",
                "--SITE_ID",
                "s1",
                "--SITE_ID",
                "s2",
            ],
        );
        assert_eq!(flags.unwrap(), typed);

        let date = bitrix24::chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let typed = bitrix24::CalendarEventGet::new(bitrix24::calendar::CalendarType::User, 5)
            .from_date(date)
            .section([3, 4])
            .to_json();
        let flags = params_of(
            "calendar.event.get",
            &[
                "--type",
                "user",
                "--ownerId",
                "5",
                "--from",
                "2026-03-01",
                "--section",
                "3",
                "--section",
                "4",
            ],
        );
        assert_eq!(flags.unwrap(), typed);
    }

    #[test]
    fn one_or_many_is_one_value_or_a_list() {
        assert_eq!(
            params_of(
                "sonet_group.user.add",
                &["--GROUP_ID", "1", "--USER_ID", "5"]
            )
            .unwrap(),
            bitrix24::SonetGroupUserAdd::new(1, 5).to_json()
        );
        assert_eq!(
            params_of(
                "sonet_group.user.add",
                &["--GROUP_ID", "1", "--USER_ID", "5", "--USER_ID", "6"]
            )
            .unwrap(),
            json!({"GROUP_ID": 1, "USER_ID": [5, 6]})
        );
    }

    #[test]
    fn values_that_do_not_fit_are_refused_with_the_flag_named() {
        let refused = [
            (
                "sonet_group.create",
                vec!["--NAME", "x", "--VISIBLE", "maybe"],
                "--VISIBLE",
            ),
            (
                "sonet_group.create",
                vec!["--NAME", "x", "--PROJECT_DATE_START", "tomorrow"],
                "--PROJECT_DATE_START",
            ),
            (
                "calendar.event.get",
                vec!["--type", "user", "--ownerId", "1.5"],
                "--ownerId",
            ),
            (
                "calendar.event.get",
                vec!["--type", "user", "--ownerId", "1", "--from", "2026-13-01"],
                "--from",
            ),
            (
                "crm.deal.list",
                vec!["--ORDER", r#"{"ID": "UP"}"#],
                "--ORDER",
            ),
            ("crm.deal.list", vec!["--FILTER", "[1]"], "--FILTER"),
        ];
        for (method, args, flag) in refused {
            let error = params_of(method, &args).unwrap_err();
            assert!(error.contains(flag), "{method} {args:?}: {error}");
        }
    }

    #[test]
    fn objects_are_checked_field_by_field_and_keep_custom_fields() {
        let deal = params_of(
            "crm.deal.add",
            &["--fields", r#"{"TITLE": "Big", "UF_CRM_1": "x"}"#],
        );
        assert_eq!(deal.unwrap()["FIELDS"]["UF_CRM_1"], "x");
        let wrong =
            params_of("crm.deal.add", &["--fields", r#"{"TITLE": {"no": 1}}"#]).unwrap_err();
        assert!(wrong.contains("TITLE"), "{wrong}");
        let filter = params_of(
            "crm.deal.list",
            &["--FILTER", r#"{">OPPORTUNITY": 100, "@ID": [1, 2]}"#],
        );
        assert!(filter.is_ok(), "{filter:?}");
        let filter = params_of("crm.deal.list", &["--FILTER", r#"{"@ID": ["one"]}"#]).unwrap_err();
        assert!(filter.contains("ID"), "{filter}");
    }

    #[test]
    fn every_method_command_is_well_formed() {
        // clap's own checks: no flag twice, no alias on another flag.
        for method in bitrix24::schema::methods() {
            let command = crate::cli::method_command(method);
            command.debug_assert();
        }
    }
}
