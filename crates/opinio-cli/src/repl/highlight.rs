//! Highlighting of the line being typed, from the library's lexer
//! ([`opinio::fmt::lex`]): commands, keywords, predicate names (an unknown one underlined in
//! red), variables, quoted texts and comments, in the colours of [`crate::style::palette`].

use super::catalog::Catalog;
use crate::style::palette;
use opinio::fmt::lex::{tokens, TokenKind};

/// Colours a line without changing its characters.
pub fn highlight(line: &str, catalog: &Catalog) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut paint = |colour: Option<&str>, text: &str| match colour {
        Some(c) => {
            out.push_str(c);
            out.push_str(text);
            out.push_str(palette::RESET);
        }
        None => out.push_str(text),
    };
    // Lexing starts again after a command's name, which is not a token of the language.
    let mut from = 0;
    'lexing: while from < line.len() {
        let rest = line.get(from..).unwrap_or("");
        for t in tokens(rest) {
            let (start, end) = (from + t.range.start, from + t.range.end);
            let text = line.get(start..end).unwrap_or("");
            let at_line_start = line
                .get(..start)
                .unwrap_or("")
                .rsplit('\n')
                .next()
                .unwrap_or("")
                .trim()
                .is_empty();
            let colour = match (t.kind, text) {
                (TokenKind::Punct, ":") if at_line_start => {
                    let name_end = line
                        .get(start..)
                        .and_then(|r| r.find(char::is_whitespace))
                        .map_or(line.len(), |n| start + n);
                    paint(
                        Some(palette::COMMAND),
                        line.get(start..name_end).unwrap_or(""),
                    );
                    from = name_end;
                    continue 'lexing;
                }
                (TokenKind::Punct, "?") if at_line_start => Some(palette::QUESTION),
                (TokenKind::Comment, _) => Some(palette::DIM),
                (TokenKind::Text, _) => Some(palette::STRING),
                (TokenKind::Keyword, _) => Some(palette::KEYWORD),
                (TokenKind::Variable, _) => Some(palette::VARIABLE),
                (TokenKind::Name, word) => {
                    let next = line.get(end..).and_then(|r| r.trim_start().chars().next());
                    match (next, catalog.predicate(word)) {
                        (Some('('), Some(_)) => Some(palette::PREDICATE),
                        (Some('('), None) => Some(palette::UNKNOWN_NAME),
                        _ => None,
                    }
                }
                _ => None,
            };
            paint(colour, text);
        }
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::catalog::PredEntry;

    fn catalog() -> Catalog {
        Catalog {
            predicates: vec![PredEntry {
                name: "consented".into(),
                signature: "consented(victim: State, op: Operation)".into(),
                meaning: "the State validly consented to the operation".into(),
                slot_types: vec!["State".into(), "Operation".into()],
            }],
            ..Catalog::default()
        }
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = ":why not consented(ukraine, Op) # x \"s\"";
        let strip = |s: &str| {
            let mut out = String::new();
            let mut chars = s.chars();
            while let Some(c) = chars.next() {
                if c == '\x1b' {
                    for d in chars.by_ref() {
                        if d == 'm' {
                            break;
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            out
        };
        let h = highlight(line, &catalog());
        assert_ne!(h, line);
        assert_eq!(strip(&h), line);
        assert!(highlight("bogus(x)", &catalog()).contains(palette::UNKNOWN_NAME));
    }

    #[test]
    fn each_kind_has_its_colour() {
        let c = catalog();
        let h = highlight(":why not consented(X, y)", &c);
        assert!(h.starts_with(&format!("{}:why{}", palette::COMMAND, palette::RESET)));
        assert!(h.contains(&format!("{}not{}", palette::KEYWORD, palette::RESET)));
        assert!(h.contains(&format!(
            "{}consented{}",
            palette::PREDICATE,
            palette::RESET
        )));
        assert!(h.contains(&format!("{}X{}", palette::VARIABLE, palette::RESET)));
        assert!(h.ends_with(", y)"), "a plain name stays plain: {h}");
        let q = highlight("? a(b) # c", &c);
        assert!(q.starts_with(&format!("{}?{}", palette::QUESTION, palette::RESET)));
        assert!(q.ends_with(&format!("{}# c{}", palette::DIM, palette::RESET)));
        assert_eq!(highlight("", &c), "");
    }
}
