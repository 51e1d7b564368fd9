//! What a command prints on standard output: JSON (pretty on a terminal,
//! one line otherwise, so scripts read one value per line), JSON lines (one
//! item a line), CSV, or a table of a list's items; `--columns` keeps some
//! keys of each item. A list is written as its pages arrive, except a
//! table, whose column widths need every row. Knows nothing about where
//! the values came from.

use std::io::{self, Write};

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented JSON.
    Pretty,
    /// One JSON value per line.
    Line,
    /// A text table of a list's items.
    Table,
    /// CSV: a header of the columns, then a row per item.
    Csv,
    /// JSON lines: one item of a list per line.
    Jsonl,
}

/// Writes a method's result in `format`. A list is written item by item;
/// an object, in a table or CSV, as rows of `key` and `value`; `columns`
/// keeps only those keys of a list's items, or of an object.
pub fn value(
    out: &mut impl Write,
    value: &Value,
    format: Format,
    columns: Option<&[String]>,
) -> io::Result<()> {
    match format {
        Format::Pretty => {
            serde_json::to_writer_pretty(&mut *out, &only_columns(value, columns))?;
            writeln!(out)
        }
        Format::Line => {
            serde_json::to_writer(&mut *out, &only_columns(value, columns))?;
            writeln!(out)
        }
        Format::Table | Format::Csv | Format::Jsonl => {
            let (items, columns) = match value {
                Value::Array(items) => (items.clone(), columns),
                Value::Object(map) if format != Format::Jsonl => {
                    let rows = select(map, columns)
                        .into_iter()
                        .map(|(key, value)| serde_json::json!({"key": key, "value": value}))
                        .collect();
                    (rows, None)
                }
                Value::Object(map) => (vec![Value::Object(select(map, columns))], None),
                other => (vec![other.clone()], None),
            };
            let mut list = ListWriter::new(out, format, columns.map(<[String]>::to_vec))?;
            list.page(items)?;
            list.finish()
        }
    }
}

/// `value` with only `columns` kept of its items, or of itself when it
/// is an object.
fn only_columns(value: &Value, columns: Option<&[String]>) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| match item {
                    Value::Object(map) => Value::Object(select(map, columns)),
                    other => other.clone(),
                })
                .collect(),
        ),
        Value::Object(map) => Value::Object(select(map, columns)),
        other => other.clone(),
    }
}

/// The keys of `map` named in `columns`, in that order (all of them when
/// no columns are asked for).
fn select(map: &Map<String, Value>, columns: Option<&[String]>) -> Map<String, Value> {
    match columns {
        None => map.clone(),
        Some(columns) => columns
            .iter()
            .filter_map(|column| Some((column.clone(), map.get(column)?.clone())))
            .collect(),
    }
}

/// The columns of a table or CSV: those asked for, else every key of the
/// items in the order keys first appear (`value` for an item that is no
/// object).
fn columns_of(items: &[Value], asked: Option<&[String]>) -> Vec<String> {
    if let Some(asked) = asked {
        return asked.to_vec();
    }
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        let keys: Vec<&str> = match item {
            Value::Object(map) => map.keys().map(String::as_str).collect(),
            _ => vec!["value"],
        };
        for key in keys {
            if !columns.iter().any(|column| column == key) {
                columns.push(key.to_owned());
            }
        }
    }
    columns
}

/// The text of `item`'s `column`: a string as it is, null and a missing
/// key as nothing, anything else as compact JSON.
fn text(item: &Value, column: &str) -> String {
    let value = match item {
        Value::Object(map) => map.get(column),
        other if column == "value" => Some(other),
        _ => None,
    };
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The items as a table: a column per key, in the order keys first appear.
pub fn table(out: &mut impl Write, items: &[Value], asked: Option<&[String]>) -> io::Result<()> {
    let columns = columns_of(items, asked);
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|column| cell(&text(item, column)))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(n, column)| {
            rows.iter()
                .map(|row| row[n].width())
                .chain([column.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            // Padded by the columns the text takes on a terminal: a CJK
            // character or an emoji takes two, a combining mark none.
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        writeln!(out, "{}", text.join("  ").trim_end())
    };
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    line(out, &header)?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    Ok(())
}

/// A table cell: control characters shown as escapes, so an answer cannot
/// move the terminal's cursor.
fn cell(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// A list written page by page, so a long walk is printed as its pages
/// arrive (a table excepted: its widths need every row).
pub struct ListWriter<W: Write> {
    columns: Option<Vec<String>>,
    kind: Kind<W>,
}

enum Kind<W: Write> {
    /// A JSON array, pretty or on one line.
    Array { out: W, pretty: bool, items: usize },
    /// One JSON value a line.
    Lines(W),
    /// CSV, whose header is written with the first page that has items.
    Csv {
        // Boxed: the writer holds its buffer inline, several times the
        // other variants' size.
        out: Box<csv::Writer<W>>,
        header: bool,
    },
    /// A table, written at the end.
    Table { out: W, items: Vec<Value> },
}

impl<W: Write> ListWriter<W> {
    /// Starts the list. `columns` keeps only those keys of each item and,
    /// for a table or CSV, names the columns.
    pub fn new(mut out: W, format: Format, columns: Option<Vec<String>>) -> io::Result<Self> {
        let kind = match format {
            Format::Pretty | Format::Line => {
                out.write_all(b"[")?;
                Kind::Array {
                    out,
                    pretty: format == Format::Pretty,
                    items: 0,
                }
            }
            Format::Jsonl => Kind::Lines(out),
            Format::Csv => Kind::Csv {
                out: Box::new(csv::Writer::from_writer(out)),
                header: false,
            },
            Format::Table => Kind::Table {
                out,
                items: Vec::new(),
            },
        };
        Ok(Self { columns, kind })
    }

    /// Writes the next page's items.
    pub fn page(&mut self, items: Vec<Value>) -> io::Result<()> {
        let columns = self.columns.as_deref();
        match &mut self.kind {
            Kind::Array {
                out,
                pretty,
                items: written,
            } => {
                for item in items {
                    if *written > 0 {
                        out.write_all(b",")?;
                    }
                    *written += 1;
                    let item = only_columns(&item, columns);
                    if *pretty {
                        out.write_all(b"\n  ")?;
                        let text = serde_json::to_string_pretty(&item)?;
                        out.write_all(text.replace('\n', "\n  ").as_bytes())?;
                    } else {
                        serde_json::to_writer(&mut *out, &item)?;
                    }
                }
                out.flush()
            }
            Kind::Lines(out) => {
                for item in items {
                    serde_json::to_writer(&mut *out, &only_columns(&item, columns))?;
                    writeln!(out)?;
                }
                out.flush()
            }
            Kind::Csv { out, header } => {
                if items.is_empty() {
                    return Ok(());
                }
                if !*header {
                    // The columns asked for, else the keys of this first
                    // page: a key first seen on a later page has no column.
                    self.columns = Some(columns_of(&items, columns));
                    out.write_record(self.columns.iter().flatten())?;
                    *header = true;
                }
                for item in &items {
                    out.write_record(
                        self.columns
                            .iter()
                            .flatten()
                            .map(|column| text(item, column)),
                    )?;
                }
                out.flush()
            }
            Kind::Table {
                items: collected, ..
            } => {
                collected.extend(items);
                Ok(())
            }
        }
    }

    /// Ends the list.
    pub fn finish(self) -> io::Result<()> {
        match self.kind {
            Kind::Array {
                mut out,
                pretty,
                items,
            } => {
                if pretty && items > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(b"]\n")?;
                out.flush()
            }
            Kind::Lines(mut out) => out.flush(),
            Kind::Csv { mut out, header } => {
                // No item came: the header of the columns asked for, if any.
                if let (false, Some(columns)) = (header, &self.columns) {
                    out.write_record(columns)?;
                }
                out.flush()
            }
            Kind::Table { mut out, items } => {
                table(&mut out, &items, self.columns.as_deref())?;
                out.flush()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unicode_width::UnicodeWidthStr;

    use super::{Format, ListWriter, table, value};

    fn written(
        format: Format,
        pages: &[Vec<serde_json::Value>],
        columns: Option<&[&str]>,
    ) -> String {
        let mut out = Vec::new();
        let columns = columns.map(|columns| columns.iter().map(|c| (*c).to_owned()).collect());
        let mut list = ListWriter::new(&mut out, format, columns).unwrap();
        for page in pages {
            list.page(page.clone()).unwrap();
        }
        list.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_is_quoted_and_its_header_is_the_first_pages_keys() {
        let pages = [
            vec![
                json!({"ID": "1", "TITLE": "a, \"b\"\nc"}),
                json!({"ID": "2", "OWNER": {"ID": 1}}),
            ],
            vec![json!({"ID": "3", "LATE": "not a column", "TITLE": null})],
        ];
        assert_eq!(
            written(Format::Csv, &pages, None),
            "ID,TITLE,OWNER\n1,\"a, \"\"b\"\"\nc\",\n2,,\"{\"\"ID\"\":1}\"\n3,,\n"
        );
        assert_eq!(
            written(Format::Csv, &pages, Some(&["TITLE", "ID"])),
            "TITLE,ID\n\"a, \"\"b\"\"\nc\",1\n,2\n,3\n"
        );
        assert_eq!(written(Format::Csv, &[vec![]], Some(&["ID"])), "ID\n");
    }

    #[test]
    fn json_lines_are_one_item_a_line_with_the_columns_asked_for() {
        let pages = [
            vec![json!({"ID": "1", "X": 2}), json!(5)],
            vec![json!({"X": 3})],
        ];
        assert_eq!(
            written(Format::Jsonl, &pages, Some(&["X"])),
            "{\"X\":2}\n5\n{\"X\":3}\n"
        );
        let mut out = Vec::new();
        value(
            &mut out,
            &json!({"ID": 1, "SECRET": 2}),
            Format::Jsonl,
            Some(&["ID".to_owned()]),
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\"ID\":1}\n");
    }

    #[test]
    fn columns_line_up_on_a_terminal_whatever_the_script() {
        let items = [
            json!({"NAME": "Проект", "ID": "1"}),
            json!({"NAME": "項目チーム", "ID": "22"}),
            json!({"NAME": "🚀 Launch", "ID": "333"}),
            json!({"NAME": "Cafe\u{301}", "ID": "4"}),
            json!({"NAME": "❤️ 你好", "ID": "5"}),
            json!({"NAME": "👩‍👩‍👧 家族", "ID": "6"}),
        ];
        // As terminals draw them: an emoji with its presentation selector,
        // and a family joined by zero-width joiners, two columns each.
        assert_eq!("❤️".width(), 2);
        assert_eq!("👩‍👩‍👧".width(), 2);
        let mut out = Vec::new();
        table(&mut out, &items, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        let starts: Vec<usize> = text
            .lines()
            .map(|line| {
                let (name, _) = line.rsplit_once("  ").unwrap();
                name.width() + 2
            })
            .collect();
        assert!(starts.windows(2).all(|pair| pair[0] == pair[1]), "{text}");
        assert_eq!(starts[0], "項目チーム".width() + 2, "{text}");
    }
}
