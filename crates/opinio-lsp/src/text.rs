//! Places in a text: byte offsets (what Opinio's spans hold) and the protocol's line and
//! character positions, whose characters are counted in the code units the client negotiated
//! (UTF-16 by default, UTF-8 if both sides offer it).
//!
//! Every conversion is total: an offset past the end, inside a character or inside a line
//! break, and a position past the end of its line or of the text, are moved to the nearest
//! place that exists instead of failing.

use lsp_types::Position;

/// The unit a [`Position`]'s `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units: one for most characters, two for those beyond U+FFFF.
    Utf16,
}

impl Encoding {
    fn width(self, c: char) -> u32 {
        let n = match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        // A character is at most 4 bytes or 2 UTF-16 units.
        u32::try_from(n).unwrap_or(4)
    }
}

/// Where the lines of a text start. A line ends at `\n`, `\r\n` or a lone `\r`, as the
/// protocol says.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The byte offset of each line's first character; the first is 0.
    starts: Vec<usize>,
    /// The text's length in bytes.
    len: usize,
}

impl LineIndex {
    /// The lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The byte range of line `line`'s characters, its line break excluded.
    fn line_range(&self, text: &str, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let content = text.get(start..next)?;
        let trimmed = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .or_else(|| content.strip_suffix('\r'))
            .unwrap_or(content);
        Some((start, start + trimmed.len()))
    }

    /// The position of byte `offset` (moved back to a character boundary, and to the end of
    /// the text if past it).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (start, end) = self.line_range(text, line).unwrap_or((0, 0));
        // An offset inside the line break counts as the end of the line.
        let upto = offset.min(end).max(start);
        let character = text
            .get(start..upto)
            .unwrap_or("")
            .chars()
            .map(|c| encoding.width(c))
            .sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character,
        }
    }

    /// The byte offset of `position`: past the last line, the end of the text; past the end
    /// of its line, the end of the line; inside a character (half of a UTF-16 pair, a byte of
    /// a UTF-8 sequence), the start of that character.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = usize::try_from(position.line).unwrap_or(usize::MAX);
        let Some((start, end)) = self.line_range(text, line) else {
            return text.len();
        };
        let mut units = 0u32;
        for (i, c) in text.get(start..end).unwrap_or("").char_indices() {
            let w = encoding.width(c);
            if units + w > position.character {
                return start + i;
            }
            units += w;
        }
        end
    }

    /// The number of lines (at least one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_positions_are_bytes_in_both_encodings() {
        let text = "ab\ncd\n";
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(idx.position(text, 4, enc), pos(1, 1));
            assert_eq!(idx.offset(text, pos(1, 1), enc), 4);
            assert_eq!(idx.position(text, 6, enc), pos(2, 0));
        }
    }

    #[test]
    fn non_ascii_characters_count_by_the_negotiated_unit() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝔄` (U+1D504) 4 bytes and 2 UTF-16 units.
        let text = "note \"é𝔄\" x";
        let x = text.find(" x").map(|i| i + 1).unwrap_or(0);
        let idx = LineIndex::new(text);
        // `note "` is 6 units; then é (1 unit, 2 bytes), 𝔄 (2 units, 4 bytes), `" `.
        assert_eq!(idx.position(text, x, Encoding::Utf16), pos(0, 11));
        assert_eq!(idx.position(text, x, Encoding::Utf8), pos(0, 14));
        assert_eq!(idx.offset(text, pos(0, 11), Encoding::Utf16), x);
        assert_eq!(idx.offset(text, pos(0, 14), Encoding::Utf8), x);
    }

    #[test]
    fn a_position_inside_a_character_goes_to_its_start() {
        let text = "𝔄b";
        let idx = LineIndex::new(text);
        // Between the two halves of the surrogate pair.
        assert_eq!(idx.offset(text, pos(0, 1), Encoding::Utf16), 0);
        assert_eq!(idx.offset(text, pos(0, 2), Encoding::Utf16), 4);
        // An offset inside the 4-byte sequence counts from the character's start.
        assert_eq!(idx.position(text, 2, Encoding::Utf16), pos(0, 0));
    }

    #[test]
    fn out_of_range_places_are_clamped() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, pos(0, 99), Encoding::Utf16),
            2,
            "end of line 0"
        );
        assert_eq!(idx.offset(text, pos(7, 0), Encoding::Utf16), text.len());
        assert_eq!(idx.position(text, 999, Encoding::Utf16), pos(1, 2));
        // Inside the `\r\n`: the end of the first line.
        assert_eq!(idx.position(text, 3, Encoding::Utf16), pos(0, 2));
    }

    #[test]
    fn every_kind_of_line_break_ends_a_line() {
        let text = "a\rb\r\nc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.offset(text, pos(3, 0), Encoding::Utf16), 7);
        assert_eq!(idx.position(text, 2, Encoding::Utf8), pos(1, 0));
    }

    #[test]
    fn positions_and_offsets_round_trip_on_mixed_text() {
        let text = "# Überblick\nrule r: a(X) note \"Zürich — 東京 🙂\".\r\n\n";
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for (i, _) in text.char_indices() {
                let p = idx.position(text, i, enc);
                let back = idx.offset(text, p, enc);
                let is_in_break = text.get(i..).is_some_and(|r| r.starts_with('\n'))
                    && text.get(..i).is_some_and(|l| l.ends_with('\r'));
                if !is_in_break {
                    assert_eq!(back, i, "offset {i} in {enc:?}");
                }
            }
        }
    }
}
