//! Rustdoc attributes from schema prose.
//!
//! Schema descriptions are written for people, not for rustdoc: square
//! brackets would become broken intra-doc links, `<` would open HTML tags,
//! indentation would start a code block and bare URLs draw warnings. Each line
//! becomes its own `#[doc = " ..."]` so the formatter prints plain `///` lines.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for prose, made safe for rustdoc.
pub fn doc(text: &str) -> TokenStream {
    lines(&text.lines().map(sanitize_line).collect::<Vec<_>>())
}

/// Doc attributes for lines that are already valid Markdown (written by the
/// generator itself, such as links and lists).
pub fn lines(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Escapes Markdown that rustdoc would misread, outside `code spans`.
pub fn sanitize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, segment) in line.trim_start().split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 {
            out.push_str(segment);
            continue;
        }
        for (word_index, word) in segment.split(' ').enumerate() {
            if word_index > 0 {
                out.push(' ');
            }
            if word.starts_with("https://") || word.starts_with("http://") {
                let url = word.trim_end_matches(['.', ',', ';', ')']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&word[url.len()..]);
                continue;
            }
            for c in word.chars() {
                if matches!(c, '[' | ']' | '<' | '>' | '*') || (c == '#' && out.is_empty()) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize_line;

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
}
