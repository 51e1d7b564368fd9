//! The parts of the documentation's Markdown dialect (YFM) the importer
//! reads: headings with their anchors, `#| || ... || |#` tables, fenced code
//! blocks, and inline markup reduced to plain text.
//!
//! Everything here is a pure function of a page's text and never panics: a
//! table that is not closed ends with the page, an unclosed fence likewise.
//! Knows nothing about methods.

/// A heading and the lines under it, up to the next heading of any level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// `#` count.
    pub level: usize,
    /// The heading's text, without its anchor.
    pub title: String,
    /// The anchor, from `{#anchor}`, if any.
    pub anchor: Option<String>,
    /// The lines of the section's body.
    pub lines: Vec<&'a str>,
}

/// The page's sections, in order; text before the first heading is a
/// section of level 0.
pub fn sections(text: &str) -> Vec<Section<'_>> {
    let mut sections = vec![Section {
        level: 0,
        title: String::new(),
        anchor: None,
        lines: Vec::new(),
    }];
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        let is_heading = !fenced && (1..=6).contains(&hashes) && line[hashes..].starts_with(' ');
        if is_heading {
            let (title, anchor) = split_anchor(line[hashes..].trim());
            sections.push(Section {
                level: hashes,
                title,
                anchor,
                lines: Vec::new(),
            });
        } else if let Some(section) = sections.last_mut() {
            section.lines.push(line);
        }
    }
    sections
}

/// `Title {#anchor}` into the title and the anchor.
fn split_anchor(heading: &str) -> (String, Option<String>) {
    if let Some(open) = heading.rfind("{#")
        && heading.ends_with('}')
    {
        let anchor = heading[open + 2..heading.len() - 1].trim().to_owned();
        return (heading[..open].trim().to_owned(), Some(anchor));
    }
    (heading.to_owned(), None)
}

/// A table: rows of cells, each cell's text as written (several lines).
pub type Table = Vec<Vec<String>>;

/// Every `#| ... |#` table in `lines`, in order.
pub fn tables(lines: &[&str]) -> Vec<Table> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if lines[index].trim() == "#|" {
            let start = index + 1;
            let mut end = start;
            while end < lines.len() && lines[end].trim() != "|#" {
                end += 1;
            }
            found.push(table(&lines[start..end]));
            index = end + 1;
        } else {
            index += 1;
        }
    }
    found
}

/// The rows of one table body: a row runs from `||` to `||`, its cells are
/// separated by `|` outside inline code, links and nested fences.
fn table(lines: &[&str]) -> Table {
    let body = lines.join("\n");
    let mut rows = Vec::new();
    let mut rest = body.as_str();
    while let Some(open) = rest.find("||") {
        let after = &rest[open + 2..];
        let Some(close) = row_end(after) else {
            break;
        };
        rows.push(cells(&after[..close]));
        rest = &after[close + 2..];
    }
    rows
}

/// Where a row's closing `||` is, skipping any inside code.
fn row_end(text: &str) -> Option<usize> {
    let mut in_code = false;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index + 1 < bytes.len() {
        match bytes[index] {
            b'`' => in_code = !in_code,
            b'|' if !in_code && bytes[index + 1] == b'|' => return Some(index),
            _ => {}
        }
        index += 1;
    }
    None
}

fn cells(row: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for c in row.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                current.push(c);
            }
            '|' if !in_code => cells.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    cells.push(current.trim().to_owned());
    cells
}

/// A fenced code block: its language tag and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The tag after the opening backticks (`json`, `bash`, ...), lower-cased.
    pub language: String,
    /// The lines between the fences, with the block's indentation removed.
    pub text: String,
}

/// Every fenced code block in `lines`, in order.
pub fn fences(lines: &[&str]) -> Vec<Fence> {
    let mut found = Vec::new();
    let mut open: Option<(usize, String, Vec<&str>)> = None;
    for line in lines {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None if trimmed.starts_with("```") => {
                open = Some((indent, trimmed[3..].trim().to_ascii_lowercase(), Vec::new()));
            }
            None => {}
            Some(_) if trimmed.starts_with("```") => {
                if let Some((indent, language, body)) = open.take() {
                    let text = body
                        .iter()
                        .map(|line| line.get(indent.min(leading_spaces(line))..).unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join("\n");
                    found.push(Fence { language, text });
                }
            }
            Some((_, _, body)) => body.push(line),
        }
    }
    found
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Inline markup as plain text: links become their text, emphasis and
/// YFM attributes (`{.b24-info}`) go, inline code keeps its backticks
/// (the schema's prose is Markdown too), whitespace runs become one space.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A link's text and target are short: looking further would make
        // a run of brackets quadratic.
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = within(after, LINK_REACH).find("](")
            && let Some(end) = within(&after[close + 2..], LINK_REACH).find(')')
        {
            out.push_str(&after[..close]);
            rest = &after[close + 2 + end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("{.")
            && let Some(end) = after.find('}')
        {
            rest = &after[end + 1..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if c != '*' {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How far a link's parts are looked for, in bytes.
const LINK_REACH: usize = 2048;

/// At most the first `bytes` of `text`, cut at a character boundary.
fn within(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_split_rows_and_cells_but_not_code() {
        let lines = [
            "#|",
            "|| **Name**",
            "`type` | **Description** ||",
            "|| **ID***",
            "[`integer`](../data-types.md) | The `a|b` ID.",
            "",
            "More. ||",
            "|#",
        ];
        let found = tables(&lines);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 2);
        assert_eq!(found[0][1][0], "**ID***\n[`integer`](../data-types.md)");
        assert_eq!(found[0][1][1], "The `a|b` ID.\n\nMore.");
    }

    #[test]
    fn an_unclosed_table_or_fence_ends_with_the_page() {
        assert_eq!(tables(&["#|", "|| a | b ||", "|| c"]).len(), 1);
        assert!(fences(&["```json", "{}"]).is_empty());
    }

    #[test]
    fn headings_inside_fences_are_not_sections() {
        let found = sections("# T\n```bash\n# comment\n```\n## B {#b}\nx");
        let titles: Vec<&str> = found.iter().map(|section| section.title.as_str()).collect();
        assert_eq!(titles, ["", "T", "B"]);
        assert_eq!(found[2].anchor.as_deref(), Some("b"));
    }

    #[test]
    fn plain_text_keeps_code_and_drops_links_and_emphasis() {
        assert_eq!(
            plain("**Scope**: [`crm`](../x.md) and\n  {.b24-info} more"),
            "Scope: `crm` and more"
        );
        assert_eq!(plain("[unclosed"), "[unclosed");
        let brackets = "[".repeat(200_000);
        assert_eq!(plain(&brackets).len(), 200_000, "linear, and kept");
    }

    #[test]
    fn fences_lose_their_list_indentation() {
        let found = fences(&[
            "- cURL",
            "",
            "    ```bash",
            "    curl \\",
            "      -d x",
            "    ```",
        ]);
        assert_eq!(
            found,
            [Fence {
                language: "bash".into(),
                text: "curl \\\n  -d x".into()
            }]
        );
    }
}
