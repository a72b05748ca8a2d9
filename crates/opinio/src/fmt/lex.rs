//! Where the comments and the quoted texts of a source text are.
//!
//! The syntax tree keeps no comments, so the formatter finds them here. Only three kinds of
//! token matter: a quoted text (`"…"`, where `\` escapes the next character), a comment (`#` to
//! the end of the line, outside a quoted text) and everything else. Scanning left to right with
//! these three rules finds exactly the comments the grammar skips.

/// A byte range `start..end` in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: usize,
    pub end: usize,
}

/// The comments and the quoted texts of one source text, in order.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    /// Each comment from its `#` to the end of its line (the line break excluded).
    pub comments: Vec<Range>,
    /// Each quoted text, quotes included.
    pub strings: Vec<Range>,
}

impl Lexed {
    pub fn new(text: &str) -> Lexed {
        let bytes = text.as_bytes();
        let mut out = Lexed::default();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    let start = i;
                    i += 1;
                    while let Some(&c) = bytes.get(i) {
                        match c {
                            b'\\' => i += 2,
                            b'"' => {
                                i += 1;
                                break;
                            }
                            _ => i += 1,
                        }
                    }
                    let end = i.min(bytes.len());
                    out.strings.push(Range { start, end });
                    i = end;
                }
                b'#' => {
                    let start = i;
                    while bytes.get(i).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                    out.comments.push(Range { start, end: i });
                }
                _ => i += 1,
            }
        }
        out
    }

    /// The comments that start in `start..end`.
    pub fn comments_in(&self, start: usize, end: usize) -> &[Range] {
        let from = self.comments.partition_point(|c| c.start < start);
        let to = self.comments.partition_point(|c| c.start < end);
        self.comments.get(from..to).unwrap_or(&[])
    }

    /// Whether byte `pos` lies strictly inside a quoted text (after its opening quote).
    pub fn inside_string(&self, pos: usize) -> bool {
        let i = self.strings.partition_point(|s| s.start < pos);
        i > 0
            && self
                .strings
                .get(i - 1)
                .is_some_and(|s| s.start < pos && pos < s.end)
    }

    /// The first byte at or after `pos` that is neither white space nor part of a comment.
    pub fn next_token(&self, text: &str, pos: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut i = pos;
        loop {
            match bytes.get(i) {
                None => return None,
                Some(b'#') => {
                    while bytes.get(i).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                Some(c) if c.is_ascii_whitespace() => i += 1,
                Some(_) => {
                    // The grammar also counts U+FEFF and U+00A0 as white space.
                    let ch = text.get(i..).and_then(|s| s.chars().next());
                    match ch {
                        Some(ch @ ('\u{FEFF}' | '\u{A0}')) => i += ch.len_utf8(),
                        _ => return Some(i),
                    }
                }
            }
        }
    }
}

/// The text of a comment as it is printed: trailing white space removed.
pub fn comment_text(text: &str, c: Range) -> &str {
    text.get(c.start..c.end)
        .unwrap_or("#")
        .trim_end_matches([' ', '\t', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let text = "a(\"# not\", \"q\\\"# no\"). # yes\n# also\nb(x).";
        let l = Lexed::new(text);
        let found: Vec<&str> = l.comments.iter().map(|c| comment_text(text, *c)).collect();
        assert_eq!(found, vec!["# yes", "# also"]);
        assert_eq!(l.strings.len(), 2);
        assert!(l.inside_string(4));
        assert!(!l.inside_string(2));
    }
}
