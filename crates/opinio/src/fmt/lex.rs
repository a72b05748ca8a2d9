//! The lexer of the language tools: a source text as a sequence of [`Token`]s with their byte
//! ranges, for the formatter (which must find the comments the syntax tree leaves out) and
//! the REPL's highlighting and completion (which see text that does not parse yet).
//!
//! The parser does not use it: the grammar (`grammar/opinio.pest`) is the definition of the
//! language. This lexer agrees with it on where white space, comments, quoted texts and words
//! are, which is all the tools need. Scanning left to right, it never fails: every character
//! of the text is in exactly one token, so the tokens' texts put together are the text.
//!
//! ```
//! use opinio::fmt::lex::{tokens, TokenKind};
//! let kinds: Vec<TokenKind> = tokens("not a(X). # c").map(|t| t.kind).collect();
//! assert_eq!(kinds, [
//!     TokenKind::Keyword, TokenKind::Space, TokenKind::Name, TokenKind::Punct,
//!     TokenKind::Variable, TokenKind::Punct, TokenKind::Punct, TokenKind::Space,
//!     TokenKind::Comment,
//! ]);
//! ```

use crate::syntax::KEYWORDS;

/// A byte range `start..end` in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A comment: from `#` (outside a quoted text) to the end of its line, the line break
    /// excluded.
    Comment,
    /// A quoted text, quotes included; `\` escapes the next character. One left open runs
    /// to the end of the text.
    Text,
    /// A reserved word of the language (one of [`KEYWORDS`]), such as `not` or `expect`.
    Keyword,
    /// A word that starts with a capital letter or `_`: a variable (`X`), or in a
    /// declaration a type name (`State`).
    Variable,
    /// Any other word (ASCII letters, digits and `_`): a name such as `conducted_by`.
    Name,
    /// A run of the white space the grammar skips: space, tab, line breaks, U+FEFF and
    /// U+00A0. (Other Unicode white space is not white space to the grammar: each such
    /// character is a [`TokenKind::Punct`].)
    Space,
    /// Any other single character: punctuation such as `(`, `,`, `.`, `:`, `?`, `=`.
    Punct,
}

/// One token: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its bytes in the text (never empty, on character boundaries).
    pub range: Range,
}

/// The tokens of a text, in order, covering all of it.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// The iterator [`tokens`] returns.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

/// Whether a character may be part of a word (`ident_char` in the grammar).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether a character is white space to the grammar (`WHITESPACE`).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{FEFF}' | '\u{A0}')
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        let rest = self.text.get(start..)?;
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        // The length of the token, in bytes of `rest`.
        let len = match first {
            '#' => rest.find('\n').unwrap_or(rest.len()),
            '"' => {
                let mut escaped = false;
                let mut end = rest.len();
                for (i, c) in chars {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = i + 1;
                        break;
                    }
                }
                end
            }
            c if is_word_char(c) => rest.find(|c| !is_word_char(c)).unwrap_or(rest.len()),
            c if is_space(c) => rest.find(|c| !is_space(c)).unwrap_or(rest.len()),
            c => c.len_utf8(),
        };
        let end = start + len;
        self.pos = end;
        let word = rest.get(..len).unwrap_or("");
        let kind = match first {
            '#' => TokenKind::Comment,
            '"' => TokenKind::Text,
            c if is_word_char(c) => {
                if KEYWORDS.contains(&word) {
                    TokenKind::Keyword
                } else if c.is_ascii_uppercase() || c == '_' {
                    TokenKind::Variable
                } else {
                    TokenKind::Name
                }
            }
            c if is_space(c) => TokenKind::Space,
            _ => TokenKind::Punct,
        };
        Some(Token {
            kind,
            range: Range { start, end },
        })
    }
}

/// The comments and the quoted texts of one source text, in order: what the formatter needs
/// to put the comments back, which the syntax tree does not keep.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexed {
    /// Each comment from its `#` to the end of its line (the line break excluded).
    pub(crate) comments: Vec<Range>,
    /// Each quoted text, quotes included.
    pub(crate) strings: Vec<Range>,
}

impl Lexed {
    /// The comments and quoted texts of `text`.
    pub(crate) fn new(text: &str) -> Lexed {
        let mut out = Lexed::default();
        for t in tokens(text) {
            match t.kind {
                TokenKind::Comment => out.comments.push(t.range),
                TokenKind::Text => out.strings.push(t.range),
                _ => {}
            }
        }
        out
    }

    /// The comments that start in `start..end`.
    pub(crate) fn comments_in(&self, start: usize, end: usize) -> &[Range] {
        let from = self.comments.partition_point(|c| c.start < start);
        let to = self.comments.partition_point(|c| c.start < end);
        self.comments.get(from..to).unwrap_or(&[])
    }

    /// Whether byte `pos` lies strictly inside a quoted text (after its opening quote).
    pub(crate) fn inside_string(&self, pos: usize) -> bool {
        let i = self.strings.partition_point(|s| s.start < pos);
        i > 0
            && self
                .strings
                .get(i - 1)
                .is_some_and(|s| s.start < pos && pos < s.end)
    }

    /// The first byte at or after `pos` (a token boundary) that is neither white space nor
    /// part of a comment.
    pub(crate) fn next_token(&self, text: &str, pos: usize) -> Option<usize> {
        tokens(text.get(pos..)?)
            .find(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Comment))
            .map(|t| pos + t.range.start)
    }
}

/// The text of a comment as it is printed: trailing white space removed.
pub(crate) fn comment_text(text: &str, c: Range) -> &str {
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

    #[test]
    fn tokens_cover_the_text_and_classify_words() {
        let text = "expect under uk x(\"a\\\"b\", _Y, 2x) = true.\u{A0}é \"open";
        let toks: Vec<Token> = tokens(text).collect();
        let joined: String = toks
            .iter()
            .filter_map(|t| text.get(t.range.start..t.range.end))
            .collect();
        assert_eq!(joined, text);
        let of = |w: &str| {
            toks.iter()
                .find(|t| text.get(t.range.start..t.range.end) == Some(w))
                .map(|t| t.kind)
        };
        assert_eq!(of("expect"), Some(TokenKind::Keyword));
        assert_eq!(of("true"), Some(TokenKind::Keyword));
        assert_eq!(of("uk"), Some(TokenKind::Name));
        assert_eq!(of("2x"), Some(TokenKind::Name));
        assert_eq!(of("_Y"), Some(TokenKind::Variable));
        assert_eq!(of("\"a\\\"b\""), Some(TokenKind::Text));
        assert_eq!(of("é"), Some(TokenKind::Punct));
        assert_eq!(toks.last().map(|t| t.kind), Some(TokenKind::Text));
    }

    #[test]
    fn next_token_skips_blanks_and_comments() {
        let text = "a.  # c\n\u{FEFF} { b }";
        let l = Lexed::new(text);
        assert_eq!(l.next_token(text, 2), text.find('{'));
        assert_eq!(l.next_token(text, text.len()), None);
    }
}
