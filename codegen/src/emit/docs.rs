//! Rustdoc from schema text, made inert: whatever a schema says shows up as
//! text, never as code, a doctest, a link or a rustdoc warning.
//!
//! Schema prose is written for people, not for rustdoc. Each line of it is
//! trimmed and its control characters become spaces, so a line break can never
//! end a comment and start code, and indentation can never start a code block.
//! Everything Markdown would act on is escaped: code fences (```` ``` ```` and
//! `~~~` anywhere), backticks that do not pair up, HTML tags and entities,
//! link, image and footnote brackets, tables, and block markers at the start
//! of a line (headings, lists, quotes, rules). Balanced single-backtick code
//! spans stay code spans, which the real schemas rely on, and bare URLs become
//! autolinks with anything an autolink cannot hold percent-encoded.
//! Lines the generator writes itself are Markdown already and pass through
//! [`lines`], which only splits them at line breaks. This module knows nothing
//! about which item a text documents.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for prose, made safe for rustdoc.
pub fn doc(text: &str) -> TokenStream {
    lines(&text.lines().map(sanitize_line).collect::<Vec<_>>())
}

/// Doc attributes for lines that are already valid Markdown (written by the
/// generator itself, such as links and lists), one attribute per line so the
/// formatter prints plain `///` lines.
pub fn lines(lines: &[String]) -> TokenStream {
    let attrs = lines
        .iter()
        .flat_map(|line| markdown_lines(line))
        .map(|line| {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #text])
        });
    quote!(#(#attrs)*)
}

/// The lines of generator-written Markdown, with control characters (a lone
/// carriage return among them, which rustc rejects in a comment) as spaces.
pub fn markdown_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| clean(line).trim_end().to_owned())
        .collect()
}

/// One line of prose as Markdown that shows exactly that text, except that
/// balanced `code spans` stay code. The result never holds a line break.
pub fn sanitize_line(line: &str) -> String {
    let line = clean(line);
    let line = line.trim();
    let mut out = String::with_capacity(line.len() + line.len() / 8);
    let mut at_start = true;
    for piece in code_spans(line) {
        match piece {
            Piece::Code(code) => {
                out.push('`');
                out.push_str(code);
                out.push('`');
            }
            Piece::Text(text) => escape_text(text, at_start, &mut out),
        }
        at_start = false;
    }
    out
}

/// Literal text (a wire name, an error code, a server message) as inline
/// code, or as escaped text when a code span cannot hold it.
pub fn code(text: &str) -> String {
    let text = clean(text);
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    if text.contains('`') || text.starts_with(' ') || text.ends_with(' ') {
        let mut out = String::new();
        escape_text(&text, true, &mut out);
        return out;
    }
    format!("`{text}`")
}

/// A Markdown link to `url`, with anything a link destination cannot hold
/// percent-encoded; `label` is Markdown written by the generator.
pub fn link(label: &str, url: &str) -> String {
    format!("[{label}]({})", encode_url(&clean(url), "()"))
}

/// Control characters become spaces; bidirectional formatting characters
/// (which rustc rejects in comments) are dropped.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| {
            if c.is_control() || (c.is_whitespace() && c != ' ') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

enum Piece<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// Splits a line into text and code spans: a code span is a single backtick,
/// text without backticks, and a single backtick. Every other backtick stays
/// in the text, where it is escaped.
fn code_spans(line: &str) -> Vec<Piece<'_>> {
    let mut runs = Vec::new();
    let bytes = line.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let start = index;
            while index < bytes.len() && bytes[index] == b'`' {
                index += 1;
            }
            runs.push((start, index - start));
        } else {
            index += 1;
        }
    }
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut run = 0;
    while run + 1 < runs.len() {
        let ((open, open_len), (close, close_len)) = (runs[run], runs[run + 1]);
        if open_len == 1 && close_len == 1 {
            if text_start < open {
                pieces.push(Piece::Text(&line[text_start..open]));
            }
            pieces.push(Piece::Code(&line[open + 1..close]));
            text_start = close + 1;
            run += 2;
        } else {
            run += 1;
        }
    }
    if text_start < line.len() {
        pieces.push(Piece::Text(&line[text_start..]));
    }
    pieces
}

/// Appends `text` so that Markdown shows it as it is. `at_start`: the text
/// begins the line, where list, heading and rule markers take effect.
fn escape_text(text: &str, at_start: bool, out: &mut String) {
    let mut rest = text;
    if at_start {
        rest = &rest[escape_line_start(rest, out)..];
    }
    while let Some(c) = rest.chars().next() {
        if let Some(url) = url_at(rest) {
            out.push('<');
            out.push_str(&encode_url(url, ""));
            out.push('>');
            rest = &rest[url.len()..];
        } else if c == ' ' {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            rest = rest.trim_start_matches(' ');
        } else {
            if matches!(
                c,
                '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '&' | '#' | '~' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Escapes a block marker that `line` starts with: a list item (`-`, `+`,
/// `1.`, `1)`), a setext heading underline or a thematic break (`=`, `-`,
/// `_`). Returns how much of `line` it wrote. Other markers (`#`, `>`, `*`,
/// fences) are escaped wherever they are.
fn escape_line_start(line: &str, out: &mut String) -> usize {
    if let Some(marker) = line
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '+' | '=' | '_'))
    {
        out.push('\\');
        out.push(marker);
        return 1;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => {
            out.push_str(&line[..digits]);
            out.push('\\');
            out.push_str(&line[digits..=digits]);
            digits + 1
        }
        _ => 0,
    }
}

/// The bare URL that `text` starts with, without trailing punctuation; a
/// closing bracket at the end is kept when the URL opened it.
fn url_at(text: &str) -> Option<&str> {
    let scheme = ["https://", "http://"].into_iter().find(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    })?;
    let mut url = &text[..text.find(' ').unwrap_or(text.len())];
    while let Some(last) = url.chars().next_back() {
        let unopened = [('(', ')'), ('[', ']'), ('{', '}'), ('<', '>')]
            .into_iter()
            .find(|(_, close)| *close == last)
            .is_some_and(|(open, close)| url.matches(close).count() > url.matches(open).count());
        if !unopened && !".,;:!?'\"*_~`".contains(last) {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    (url.len() > scheme.len()).then_some(url)
}

/// `url` with every character that Markdown could read as syntax inside an
/// autolink or link destination percent-encoded, plus those in `extra`.
fn encode_url(url: &str, extra: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c == ' '
            || matches!(
                c,
                '<' | '>' | '`' | '[' | ']' | '\\' | '"' | '{' | '}' | '|' | '^'
            )
            || extra.contains(c)
        {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{code, link, markdown_lines, sanitize_line};

    #[test]
    fn brackets_and_tags_are_escaped_outside_code() {
        assert_eq!(
            sanitize_line("USER_ID[0] <b> `a[0]`"),
            r"USER_ID\[0\] \<b\> `a[0]`"
        );
        assert_eq!(sanitize_line("# not a heading"), r"\# not a heading");
    }

    #[test]
    fn indentation_is_dropped_and_urls_are_linked() {
        assert_eq!(
            sanitize_line("    see https://example.com/x."),
            "see <https://example.com/x>."
        );
    }

    #[test]
    fn a_line_break_never_survives() {
        for hostile in [
            "a\npub fn evil() {}",
            "a\r\npub fn evil() {}",
            "a\rb",
            "a\u{2028}b",
            "a\u{85}b",
        ] {
            let line = sanitize_line(hostile);
            assert!(
                !line.contains(['\n', '\r', '\u{2028}', '\u{85}']),
                "{line:?}"
            );
        }
        assert_eq!(
            sanitize_line("a\n    pub fn evil() {}"),
            "a pub fn evil() {}"
        );
        assert_eq!(markdown_lines("a\r\nb\rc"), ["a", "b c"]);
    }

    #[test]
    fn code_fences_are_escaped_anywhere() {
        assert_eq!(sanitize_line("```rust"), r"\`\`\`rust");
        assert_eq!(
            sanitize_line("text ```rust fn x() {}```"),
            r"text \`\`\`rust fn x() {}\`\`\`"
        );
        assert_eq!(sanitize_line("~~~"), r"\~\~\~");
        assert_eq!(sanitize_line("  ~~~ rust"), r"\~\~\~ rust");
    }

    #[test]
    fn unbalanced_backticks_are_escaped_and_pairs_stay_code() {
        assert_eq!(sanitize_line("`a` and `b"), r"`a` and \`b");
        assert_eq!(sanitize_line("it`s `x`"), r"it`s `x\`");
        assert_eq!(
            sanitize_line("``double`` `single`"),
            r"\`\`double\`\` `single`"
        );
        assert_eq!(sanitize_line("`a``b`"), r"\`a\`\`b\`");
        assert_eq!(sanitize_line("`<b>[x](y)`"), "`<b>[x](y)`");
    }

    #[test]
    fn html_entities_links_and_images_are_text() {
        assert_eq!(
            sanitize_line("<script>alert(1)</script>"),
            r"\<script\>alert(1)\</script\>"
        );
        assert_eq!(sanitize_line("a&nbsp;b &amp;"), r"a\&nbsp;b \&amp;");
        assert_eq!(sanitize_line("[x](y) ![img](z)"), r"\[x\](y) !\[img\](z)");
        assert_eq!(sanitize_line("[x]: https://y"), r"\[x\]: <https://y>");
        assert_eq!(sanitize_line("[^1]"), r"\[^1\]");
        assert_eq!(sanitize_line(r"a\[b\] \`"), r"a\\\[b\\\] \\\`");
    }

    #[test]
    fn block_markers_at_the_start_are_escaped() {
        assert_eq!(sanitize_line("## heading"), r"\#\# heading");
        assert_eq!(sanitize_line("> quote"), r"\> quote");
        assert_eq!(sanitize_line("- item"), r"\- item");
        assert_eq!(sanitize_line("+ item"), r"\+ item");
        assert_eq!(sanitize_line("* item"), r"\* item");
        assert_eq!(sanitize_line("1. item"), r"1\. item");
        assert_eq!(sanitize_line("12) item"), r"12\) item");
        assert_eq!(sanitize_line("==="), r"\===");
        assert_eq!(sanitize_line("---"), r"\---");
        assert_eq!(sanitize_line("___"), r"\___");
        assert_eq!(sanitize_line("| a | b |"), r"\| a \| b \|");
        assert_eq!(sanitize_line("-     indented code"), r"\- indented code");
        assert_eq!(sanitize_line("a - b, 1. c"), "a - b, 1. c");
    }

    #[test]
    fn urls_become_autolinks_that_hold_only_url_text() {
        assert_eq!(
            sanitize_line("(see https://x.com/a_(b))."),
            r"(see <https://x.com/a_(b)>)."
        );
        assert_eq!(
            sanitize_line("https://x.com/a<b>c`d[e]"),
            "<https://x.com/a%3Cb%3Ec%60d%5Be%5D>"
        );
        assert_eq!(
            sanitize_line("<https://x.com/a>, [https://x.com/b]"),
            r"\<<https://x.com/a>\>, \[<https://x.com/b>\]"
        );
        assert_eq!(
            sanitize_line("at HTTPS://X.COM, then"),
            "at <HTTPS://X.COM>, then"
        );
        assert_eq!(sanitize_line("xhttps://x.com"), "x<https://x.com>");
        assert_eq!(sanitize_line("https:// alone"), "https:// alone");
        assert_eq!(
            sanitize_line("`https://x.com` in code"),
            "`https://x.com` in code"
        );
    }

    #[test]
    fn bidirectional_controls_are_dropped() {
        assert_eq!(sanitize_line("a\u{202e}b\u{2066}c"), "abc");
    }

    #[test]
    fn literal_text_is_code_or_escaped_text() {
        assert_eq!(code("USER_ID"), "`USER_ID`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a`b\n```"), r"a\`b \`\`\`");
        assert_eq!(code("<b>"), "`<b>`");
    }

    #[test]
    fn link_destinations_cannot_break_out() {
        assert_eq!(
            link("docs", "https://x.com/a) [b](c\n```"),
            "[docs](https://x.com/a%29%20%5Bb%5D%28c%20%60%60%60)"
        );
    }
}
