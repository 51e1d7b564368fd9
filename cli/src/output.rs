//! What a command prints on standard output: JSON (pretty on a terminal,
//! one line otherwise, so scripts read one value per line) or a table of a
//! list's items. Knows nothing about where the values came from.

use std::io::{self, Write};

use serde_json::Value;
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
}

/// Writes one JSON value in `format` (a table for a list, else JSON).
pub fn value(out: &mut impl Write, value: &Value, format: Format) -> io::Result<()> {
    match format {
        Format::Pretty => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Line => {
            serde_json::to_writer(&mut *out, value)?;
            writeln!(out)
        }
        Format::Table => match value {
            Value::Array(items) => table(out, items),
            Value::Object(map) => {
                let rows: Vec<Value> = map
                    .iter()
                    .map(|(key, value)| serde_json::json!({"key": key, "value": value}))
                    .collect();
                table(out, &rows)
            }
            other => {
                writeln!(out, "{}", cell(other))
            }
        },
    }
}

/// The items as a table: a column per key, in the order keys first appear.
pub fn table(out: &mut impl Write, items: &[Value]) -> io::Result<()> {
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        match item {
            Value::Object(map) => {
                for key in map.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            _ => {
                if !columns.contains(&"value") {
                    columns.push("value");
                }
            }
        }
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|column| match item {
                    Value::Object(map) => map.get(*column).map(cell).unwrap_or_default(),
                    other if *column == "value" => cell(other),
                    _ => String::new(),
                })
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
    line(out, &columns)?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    Ok(())
}

/// A value in one table cell: text as it is (control characters shown as
/// escapes, so an answer cannot move the terminal's cursor), anything else
/// as compact JSON.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
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

/// A JSON array written item by item, so a long walk is printed as its
/// pages arrive.
pub struct ArrayWriter<W: Write> {
    out: W,
    format: Format,
    items: usize,
}

impl<W: Write> ArrayWriter<W> {
    /// Starts the array.
    pub fn new(mut out: W, format: Format) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Self {
            out,
            format,
            items: 0,
        })
    }

    /// Writes the next item.
    pub fn item(&mut self, item: &Value) -> io::Result<()> {
        if self.items > 0 {
            self.out.write_all(b",")?;
        }
        self.items += 1;
        match self.format {
            Format::Pretty => {
                self.out.write_all(b"\n  ")?;
                let text = serde_json::to_string_pretty(item)?;
                self.out.write_all(text.replace('\n', "\n  ").as_bytes())?;
            }
            Format::Line | Format::Table => serde_json::to_writer(&mut self.out, item)?,
        }
        self.out.flush()
    }

    /// Ends the array.
    pub fn finish(mut self) -> io::Result<()> {
        if self.format == Format::Pretty && self.items > 0 {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(b"]\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unicode_width::UnicodeWidthStr;

    use super::table;

    #[test]
    fn columns_line_up_on_a_terminal_whatever_the_script() {
        let items = [
            json!({"NAME": "Проект", "ID": "1"}),
            json!({"NAME": "項目チーム", "ID": "22"}),
            json!({"NAME": "🚀 Launch", "ID": "333"}),
            json!({"NAME": "Cafe\u{301}", "ID": "4"}),
        ];
        let mut out = Vec::new();
        table(&mut out, &items).unwrap();
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
