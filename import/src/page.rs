//! One method page read into what it documents: the method's name,
//! scopes, access and prose, its parameter tables (with the nested tables
//! they point to), the returned fields, the example request and answers,
//! the error table, and the REST version it belongs to.
//!
//! Reads the page's structure only; what the types mean is `types.rs`, and
//! the schema file is written by `write.rs`. A page that is not a method
//! page is a [`Skip`] with the reason.

use crate::version::{self, RestVersion};
use crate::yfm::{self, Section};

/// What a method page documents, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodPage {
    /// The wire name, from the title.
    pub name: String,
    /// The REST version the page documents.
    pub version: RestVersion,
    /// The scopes from the `Scope:` line.
    pub scopes: Vec<String>,
    /// Who may call it.
    pub access: String,
    /// The first sentence of the introduction.
    pub summary: String,
    /// The rest of the introduction.
    pub description: Option<String>,
    /// The parameter table.
    pub params: Vec<Row>,
    /// Tables of nested parameters, by the anchor of their section.
    pub nested: Vec<(String, Vec<Row>)>,
    /// The returned-data table.
    pub returned: Vec<Row>,
    /// The documented answers, in page order: status and JSON text.
    pub answers: Vec<(u16, String)>,
    /// The request parameters of the first webhook example, as JSON text.
    pub request: Option<String>,
    /// The error table: code (empty for none), description, meaning.
    pub errors: Vec<(String, String, String)>,
}

/// A row of a parameter or field table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The wire name.
    pub name: String,
    /// The documented type, such as `integer` or `crm_status[]`.
    pub ty: String,
    /// Marked required (`*`).
    pub required: bool,
    /// The description as plain text.
    pub doc: String,
    /// The anchors the description links to on the same page (`#fields`).
    pub links: Vec<String>,
}

/// Why a page is not imported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// The title names no method (an overview, an event, a guide).
    NotAMethod,
    /// A method page without a parameter table or answer.
    NoTables,
    /// No scope is documented (the format needs one).
    NoScope,
}

impl Skip {
    /// The reason, for the report.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::NotAMethod => "the title names no method (overviews, events, guides)",
            Self::NoTables => {
                "a method page with neither a parameter table nor a documented answer"
            }
            Self::NoScope => "a method page without a `Scope:` line",
        }
    }
}

/// Reads a page (its includes already resolved).
pub fn read(text: &str) -> Result<MethodPage, Skip> {
    let sections = yfm::sections(text);
    let title = sections
        .iter()
        .find(|section| section.level == 1)
        .ok_or(Skip::NotAMethod)?;
    let name = method_name(&title.title).ok_or(Skip::NotAMethod)?;
    let mut page = MethodPage {
        name,
        version: version::of_page(&sections),
        ..MethodPage::default()
    };
    intro(title, &mut page);
    let mut under: Option<String> = None;
    for section in &sections {
        if section.level == 2 {
            under = Some(section.title.to_ascii_lowercase());
        }
        let heading = section.title.to_ascii_lowercase();
        let within = under.as_deref().unwrap_or("");
        let first_table = || yfm::tables(&section.lines).into_iter().next();
        match (section.level, heading.as_str(), within) {
            (2, "method parameters" | "parameters", _) => {
                page.params = first_table().map(|table| rows(&table)).unwrap_or_default();
            }
            (3.., _, "method parameters" | "parameters") => {
                if let (Some(anchor), Some(table)) = (&section.anchor, first_table()) {
                    page.nested.push((anchor.clone(), rows(&table)));
                }
            }
            (2, "code examples", _) => page.request = request(&section.lines),
            (2, "response handling" | "error handling", _) => answers(section, &mut page.answers),
            (3.., "returned data", _) | (2, "returned data", _) => {
                page.returned = first_table().map(|table| rows(&table)).unwrap_or_default();
            }
            (3.., "possible error codes", _) => {
                page.errors = first_table()
                    .map(|table| errors(&table))
                    .unwrap_or_default();
            }
            _ => {}
        }
    }
    if page.params.is_empty() && page.answers.is_empty() && page.returned.is_empty() {
        return Err(Skip::NoTables);
    }
    if page.scopes.is_empty() {
        return Err(Skip::NoScope);
    }
    Ok(page)
}

/// The wire name at the end of a title: `Get Deal crm.deal.get`.
fn method_name(title: &str) -> Option<String> {
    let last = title.split_whitespace().last()?.trim_matches('`');
    let mut parts = last.split('.');
    let valid = |part: &str| {
        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let first = parts.next()?;
    let starts_lower = first.starts_with(|c: char| c.is_ascii_lowercase());
    (starts_lower && valid(first) && last.contains('.') && parts.all(valid))
        .then(|| last.to_owned())
}

/// The scope and access lines, and the introduction's sentences.
fn intro(title: &Section<'_>, page: &mut MethodPage) {
    let mut prose = Vec::new();
    let mut in_note = false;
    for line in &title.lines {
        let trimmed = line.trim();
        if trimmed.starts_with("{% note") {
            in_note = true;
        } else if trimmed.starts_with("{% endnote") {
            in_note = false;
        } else if let Some(quote) = trimmed.strip_prefix('>') {
            let quote = quote.trim();
            if let Some(scopes) = quote.strip_prefix("Scope:") {
                page.scopes = backticked(scopes);
            } else if let Some((_, who)) = quote.split_once("execute the method:") {
                page.access = yfm::plain(who);
            }
        } else if !in_note && !trimmed.starts_with("{%") {
            prose.push(*line);
        }
    }
    let text = yfm::plain(&prose.join("\n"));
    let (summary, rest) = first_sentence(&text);
    page.summary = summary;
    page.description = (!rest.is_empty()).then_some(rest);
}

/// The first sentence and the rest.
fn first_sentence(text: &str) -> (String, String) {
    let mut in_code = false;
    for (index, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' | ':' if !in_code => {
                let after = &text[index + 1..];
                if after.is_empty() || after.starts_with(' ') {
                    let mut sentence = text[..index].trim().to_owned();
                    sentence.push('.');
                    return (sentence, after.trim().to_owned());
                }
            }
            _ => {}
        }
    }
    (text.trim().to_owned(), String::new())
}

/// Every backticked word of `text`.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The rows of a name/type/description table, its header left out.
fn rows(table: &yfm::Table) -> Vec<Row> {
    table
        .iter()
        .skip(1)
        .filter_map(|cells| {
            let first = cells.first()?;
            let name = first
                .split("**")
                .nth(1)?
                .trim()
                .trim_matches('`')
                .to_owned();
            let after_name = first.split("**").nth(2).unwrap_or("");
            // The marker is `*` or the superscript `^*^`, after the bold
            // name or inside it (`**id^*^**`).
            let marked = |text: &str| text.starts_with('*') || text.starts_with("^*^");
            let required = marked(after_name) || name.ends_with('*') || name.ends_with("^*^");
            let name = name
                .strip_suffix("^*^")
                .unwrap_or(&name)
                .trim_end_matches('*')
                .trim()
                .to_owned();
            let ty = backticked(first).into_iter().last().unwrap_or_default();
            let raw_doc = cells.get(1).cloned().unwrap_or_default();
            Some(Row {
                links: anchors(&raw_doc),
                doc: yfm::plain(&raw_doc),
                name,
                ty,
                required,
            })
        })
        // A row whose name has no letter names no field (`\\`, `...`).
        .filter(|row| row.name.chars().any(|c| c.is_ascii_alphabetic()))
        .collect()
}

/// The same-page anchors a text links to: `](#fields)`.
fn anchors(text: &str) -> Vec<String> {
    text.match_indices("](#")
        .filter_map(|(at, _)| {
            let rest = &text[at + 3..];
            rest.find(')').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// The error table: code (`—` or "Empty value" for none), description, meaning.
fn errors(table: &yfm::Table) -> Vec<(String, String, String)> {
    table
        .iter()
        .skip(1)
        .filter_map(|cells| {
            let code = yfm::plain(cells.first()?).trim_matches('`').to_owned();
            let code = match code.as_str() {
                "—" | "-" | "" | "Empty value" | "Empty string" | "empty" => String::new(),
                _ => code,
            };
            let description = yfm::plain(cells.get(1)?).trim_matches('`').to_owned();
            let meaning = yfm::plain(cells.get(2).map_or("", String::as_str));
            let meaning = if meaning == ">" {
                String::new()
            } else {
                meaning
            };
            Some((code, description, meaning))
        })
        .filter(|(_, description, _)| !description.is_empty())
        .collect()
}

/// The documented answers of a section: each JSON block with the status
/// written before it.
fn answers(section: &Section<'_>, found: &mut Vec<(u16, String)>) {
    let mut status = None;
    let mut in_fence = false;
    let mut fence_lines: Vec<&str> = Vec::new();
    for line in &section.lines {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            if in_fence {
                let text = yfm::fences(&fence_lines_with(trimmed, &fence_lines))
                    .into_iter()
                    .next();
                if let (Some(status), Some(fence)) = (status, text)
                    && fence.language == "json"
                {
                    found.push((status, fence.text));
                }
                fence_lines.clear();
            } else {
                fence_lines.push(line);
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            fence_lines.push(line);
        } else if let Some(code) = http_status(trimmed) {
            status = Some(code);
        }
    }
}

fn fence_lines_with<'a>(closing: &'a str, body: &[&'a str]) -> Vec<&'a str> {
    let mut lines = body.to_vec();
    lines.push(closing);
    lines
}

/// `HTTP status: **200**` in any case.
fn http_status(line: &str) -> Option<u16> {
    let lower = line.to_ascii_lowercase();
    let rest = lower.strip_prefix("http status:")?;
    rest.trim().trim_matches('*').trim().parse().ok()
}

/// The JSON body of the first webhook cURL example: the text of `-d '...'`.
fn request(lines: &[&str]) -> Option<String> {
    yfm::fences(lines)
        .into_iter()
        .filter(|fence| fence.language == "bash" && fence.text.contains("curl"))
        .find_map(|fence| {
            let start = fence.text.find("-d '")? + 4;
            let end = fence.text[start..].find("' \\")? + start;
            let body = &fence.text[start..end];
            // Shell substitutions (`'"$(date)"'`) make no JSON.
            (!body.contains("'\"")).then(|| body.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_methods_by_their_last_word() {
        assert_eq!(
            method_name("Get Deal crm.deal.get").as_deref(),
            Some("crm.deal.get")
        );
        assert_eq!(method_name("Overview of Methods"), None);
        assert_eq!(method_name("Event OnCrmDealAdd"), None);
        assert_eq!(method_name("Version 1.2"), None);
    }

    #[test]
    fn the_first_sentence_ends_outside_code() {
        let (summary, rest) = first_sentence("The method `a.b.c` adds. It is fast.");
        assert_eq!(summary, "The method `a.b.c` adds.");
        assert_eq!(rest, "It is fast.");
    }

    #[test]
    fn required_markers_are_read_in_each_form_and_left_out_of_the_name() {
        let cells = |first: &str| vec![first.to_owned(), "What it is.".to_owned()];
        let table = vec![
            cells("**Name**\n`type`"),
            cells("**id^*^**\n`integer`"),
            cells("**USER_ID**^*^\n`integer`"),
            cells("**CODE***\n`string`"),
            cells("**NAME**\n`string`"),
        ];
        let read: Vec<(String, bool)> = rows(&table)
            .into_iter()
            .map(|row| (row.name, row.required))
            .collect();
        let expected = [
            ("id", true),
            ("USER_ID", true),
            ("CODE", true),
            ("NAME", false),
        ];
        assert_eq!(
            read,
            expected.map(|(name, required)| (name.to_owned(), required))
        );
    }

    #[test]
    fn statuses_are_read_in_any_case() {
        assert_eq!(http_status("HTTP Status: **400**"), Some(400));
        assert_eq!(http_status("HTTP status: 200"), Some(200));
        assert_eq!(http_status("status"), None);
    }
}
