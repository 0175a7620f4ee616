//! The few styles the wizard uses. With `NO_COLOR` set (https://no-color.org), the same roles are shown with
//! bold, dim and reverse only, so nothing depends on colour.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub header: Style,
    pub title: Style,
    pub text: Style,
    pub dim: Style,
    pub ok: Style,
    pub warning: Style,
    pub error: Style,
    /// The highlighted entry of a list or menu.
    pub selected: Style,
    /// Key names in the footer and the help.
    pub key: Style,
    /// An input field's text.
    pub input: Style,
    pub input_focused: Style,
    pub border: Style,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        if no_color {
            Theme::plain()
        } else {
            Theme::colored()
        }
    }

    pub fn colored() -> Self {
        Theme {
            header: Style::new().fg(Color::Black).bg(Color::Cyan),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            ok: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            input: Style::new().bg(Color::DarkGray).fg(Color::White),
            input_focused: Style::new().bg(Color::Blue).fg(Color::White),
            border: Style::new().fg(Color::Cyan),
        }
    }

    /// No colour at all: emphasis through modifiers only.
    pub fn plain() -> Self {
        Theme {
            header: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
            text: Style::new(),
            dim: Style::new().add_modifier(Modifier::DIM),
            ok: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new().add_modifier(Modifier::BOLD),
            error: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            key: Style::new().add_modifier(Modifier::BOLD),
            input: Style::new().add_modifier(Modifier::UNDERLINED),
            input_focused: Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            border: Style::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_theme_has_no_colours() {
        let theme = Theme::plain();
        for style in [
            theme.header,
            theme.title,
            theme.text,
            theme.dim,
            theme.ok,
            theme.warning,
            theme.error,
            theme.selected,
            theme.key,
            theme.input,
            theme.input_focused,
            theme.border,
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
    }
}
