//! Text helpers for the views: wrapping to a width (so line counts are known before drawing), truncating
//! and padding by display width.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::wizard::theme::Theme;
use textwrap::core::display_width;

/// Wrap `text` to `width` columns, one `Line` per wrapped line, all in `style`. Blank input lines stay.
pub fn wrap(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    indented(text, width, "", "", style)
}

/// Wrap with a first-line prefix (e.g. a bullet) and an indent for the lines after it.
pub fn indented(
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
    style: Style,
) -> Vec<Line<'static>> {
    // No hyphenation: dates (2025-05-06), flags (--token-stdin) and IDs must not break at their hyphens.
    let options = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|line| Line::from(Span::styled(line.into_owned(), style)))
        .collect()
}

/// Wrap behind a mark (a bullet, a check mark), the lines after the first indented to stand under the text.
pub fn marked(mark: &str, text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    indented(text, width, mark, &" ".repeat(width_of(mark)), style)
}

/// Cut `text` to at most `width` columns, ending with `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut [0u8; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cut or padded with spaces to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let pad = width.saturating_sub(display_width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

pub fn width_of(text: &str) -> usize {
    display_width(text)
}

/// How a list entry is drawn: the `› ` marker and the selected style when highlighted, else blank and plain.
pub fn choice(highlighted: bool, theme: &Theme) -> (&'static str, Style) {
    if highlighted {
        ("› ", theme.selected)
    } else {
        ("  ", theme.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_with_an_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(fit("ab", 4), "ab  ");
    }

    #[test]
    fn never_breaks_at_hyphens() {
        let lines = wrap("retired on 2025-05-06", 15, Style::new());
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, vec!["retired on", "2025-05-06"]);
    }

    #[test]
    fn wraps_with_a_hanging_indent() {
        let lines = indented("one two three four", 9, "• ", "  ", Style::new());
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, vec!["• one two", "  three", "  four"]);
    }
}
