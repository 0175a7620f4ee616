//! A one-line text input: a cursor, editing, paste, and a masked display for secrets.
//!
//! The text lives in a zeroizing buffer with room reserved up front, so typing a token does not leave
//! copies of it behind in freed memory when the string grows.

use std::fmt;

use zeroize::Zeroizing;

use crate::validate::MAX_TOKEN_LEN;

/// Room for any valid value plus a generous paste; growing past it moves the text into a new buffer
/// and wipes the old one.
const INITIAL_CAPACITY: usize = MAX_TOKEN_LEN * 2;

/// The character shown for each character of a hidden value.
pub const MASK: char = '•';

pub struct Field {
    text: Zeroizing<String>,
    /// Cursor position in characters, `0..=len`.
    cursor: usize,
    secret: bool,
    revealed: bool,
}

impl Field {
    /// A field whose value may be shown (the service-user ID).
    pub fn plain() -> Self {
        Field {
            text: Zeroizing::new(String::with_capacity(INITIAL_CAPACITY)),
            cursor: 0,
            secret: false,
            revealed: false,
        }
    }

    /// A field whose value is masked until revealed (the token).
    pub fn secret() -> Self {
        Field {
            secret: true,
            ..Field::plain()
        }
    }

    pub fn value(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// Whether the value is shown as typed.
    pub fn is_visible(&self) -> bool {
        !self.secret || self.revealed
    }

    pub fn toggle_reveal(&mut self) {
        if self.secret {
            self.revealed = !self.revealed;
        }
    }

    pub fn hide(&mut self) {
        self.revealed = false;
    }

    pub fn insert_char(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buffer));
    }

    pub fn insert_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.reserve(s.len());
        let at = self.byte_index(self.cursor);
        self.text.insert_str(at, s);
        self.cursor += s.chars().count();
    }

    /// Delete the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_index(self.cursor);
        self.text.remove(at);
    }

    /// Delete the character under the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte_index(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Empty the field. The old text is wiped, not just forgotten.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Replace the whole value (the cursor goes to the end).
    pub fn set(&mut self, value: &str) {
        self.clear();
        self.insert_str(value);
    }

    /// The part of the value that fits in `width` columns, masked unless visible, with the cursor's column in it.
    /// The window scrolls so the cursor stays in view.
    pub fn display(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        // One column is kept for the cursor after the last character.
        let start = (self.cursor + 1).saturating_sub(width);
        let shown: String = if self.is_visible() {
            self.text.chars().skip(start).take(width).collect()
        } else {
            std::iter::repeat_n(MASK, self.len().saturating_sub(start).min(width)).collect()
        };
        (shown, self.cursor - start)
    }

    fn byte_index(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(index, _)| index)
    }

    fn reserve(&mut self, extra: usize) {
        let needed = self.text.len() + extra;
        if needed <= self.text.capacity() {
            return;
        }
        let mut bigger =
            Zeroizing::new(String::with_capacity(needed.max(self.text.capacity() * 2)));
        bigger.push_str(&self.text);
        // The old buffer is wiped when it drops here.
        self.text = bigger;
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Field");
        if self.secret {
            debug.field("text", &"[REDACTED]");
        } else {
            debug.field("text", &self.text.as_str());
        }
        debug
            .field("cursor", &self.cursor)
            .field("revealed", &self.revealed)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_text(mut field: Field, text: &str) -> Field {
        field.insert_str(text);
        field
    }

    #[test]
    fn edits_at_the_cursor_by_characters_not_bytes() {
        type Edit = fn(&mut Field);
        let cases: [(&str, &[Edit], &str, usize); 2] = [
            (
                "SERVICE-2",
                &[
                    Field::left,
                    |field| field.insert_char('1'),
                    Field::home,
                    Field::delete,
                    Field::end,
                    Field::backspace,
                ],
                "ERVICE-1",
                8,
            ),
            ("aé€b", &[Field::left, Field::backspace], "aéb", 2),
        ];
        for (typed, edits, value, cursor) in cases {
            let mut field = with_text(Field::plain(), typed);
            for edit in edits {
                edit(&mut field);
            }
            assert_eq!((field.value(), field.cursor()), (value, cursor), "{typed}");
        }
    }

    #[test]
    fn secret_is_masked_until_revealed() {
        let mut field = with_text(Field::secret(), "hunter2");
        // Shown, then revealed, then hidden again: the cursor stays at the end throughout.
        let shown: Vec<(String, usize)> = (0..3)
            .map(|_| {
                let shown = field.display(20);
                field.toggle_reveal();
                shown
            })
            .collect();
        let masked = ("•••••••".to_string(), 7);
        assert_eq!(shown, [masked.clone(), ("hunter2".to_string(), 7), masked]);
    }

    #[test]
    fn plain_field_cannot_be_revealed_or_hidden() {
        let mut field = with_text(Field::plain(), "SERVICE-1");
        field.toggle_reveal();
        assert!(field.is_visible());
    }

    #[test]
    fn display_scrolls_to_keep_the_cursor_visible() {
        let mut field = with_text(Field::plain(), "abcdefghij");
        assert_eq!(field.display(5), ("ghij".to_string(), 4));
        field.home();
        assert_eq!(field.display(5), ("abcde".to_string(), 0));
    }

    #[test]
    fn debug_of_a_secret_field_is_redacted() {
        let field = with_text(Field::secret(), "very-secret");
        assert!(!format!("{field:?}").contains("very-secret"));
    }

    #[test]
    fn growing_past_the_reserved_room_keeps_the_text() {
        let mut field = Field::secret();
        let long = "x".repeat(INITIAL_CAPACITY + 10);
        field.insert_str(&long);
        field.insert_char('y');
        assert_eq!(field.len(), INITIAL_CAPACITY + 11);
    }
}
