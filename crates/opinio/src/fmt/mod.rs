//! The formatter: the canonical layout of knowledge and scenario files (what `opinio fmt` writes).
//!
//! The layout is printed from the syntax tree, so it depends only on what a file says, never
//! on how it was spaced:
//!
//! - statements stay in the order written, one a line; a declaration or a rule continues on
//!   indented lines (`means`, `cites`, `note`; the conditions of a rule one `and` / `or` a
//!   line, then `unless`, `cites`, `note`); the items of a position are indented in its `{ }`;
//! - citations that do not fit on one line go one a line, their pinpoints aligned;
//! - names that need quotes are quoted, and quoted texts are escaped (`\"`, `\\`);
//! - comments are kept where they were: a comment on lines of its own stays before the
//!   statement that follows it, a comment after a statement on the same line stays after it
//!   (aligned with its neighbours), and a run of blank lines becomes one blank line;
//! - a statement with a comment *inside* it is kept as written (only re-indented), so that no
//!   comment is ever lost or moved into a different statement.
//!
//! [`format_source`] checks its own output before returning it: the output must parse to the
//! same program as the input and keep every comment; otherwise it returns an error and the
//! caller leaves the file alone.

pub mod lex;
mod print;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::{File, PositionDecl, Statement};
use crate::syntax::{self, ParseError};
use lex::{comment_text, Lexed, Range};

/// The canonical layout of a knowledge or scenario file.
///
/// ```
/// let out = opinio::fmt::format_source("state(russia).  state( ukraine ) . # two States\n").unwrap();
/// assert_eq!(out, "state(russia).\nstate(ukraine).  # two States\n");
/// ```
///
/// The file's encoding marks are its own, not layout: a byte-order mark at the start is kept,
/// and a file most of whose lines end in CRLF (Windows) gets CRLF line ends throughout.
pub fn format_source(text: &str) -> Result<String, ParseError> {
    let bom = text.starts_with('\u{feff}');
    // CRLF when most line breaks are (a file of mixed ends gets the more common one, and a
    // line break inside a quoted text does not decide alone).
    let crlf = crate::source::line_end(text) == "\r\n";
    let out = format_layout(text)?;
    if !bom && !crlf {
        return Ok(out);
    }
    let mut marked = String::with_capacity(out.len() + out.len() / 16 + 3);
    if bom && !out.starts_with('\u{feff}') {
        marked.push('\u{feff}');
    }
    if crlf {
        for line in out.split_inclusive('\n') {
            match line.strip_suffix('\n') {
                Some(l) => {
                    marked.push_str(l.strip_suffix('\r').unwrap_or(l));
                    marked.push_str("\r\n");
                }
                None => marked.push_str(line),
            }
        }
    } else {
        marked.push_str(&out);
    }
    Ok(marked)
}

/// The canonical layout, line ends `\n`.
fn format_layout(text: &str) -> Result<String, ParseError> {
    let file = syntax::parse_file(FileId(0), text)?;
    let lexed = Lexed::new(text);
    let out = Formatter {
        text,
        lexed: &lexed,
    }
    .file(&file);
    verify(text, &lexed, &file, &out)?;
    Ok(out)
}

/// Refuses an output that would change the program or lose a comment (a bug in the
/// formatter, never the user's fault).
fn verify(text: &str, lexed: &Lexed, original: &File, out: &str) -> Result<(), ParseError> {
    let internal = |what: &str| {
        ParseError {
        diagnostic: Diagnostic::error(
            crate::diagnostic::Code::FmtInternal,
            format!("the formatter could not lay out this file without {what}; the file is left as it is"),
        )
        .with_help("this is a bug in the formatter: please report it with the file"),
        incomplete: false,
    }
    };
    let again = syntax::parse_file(FileId(0), out).map_err(|_| internal("breaking its syntax"))?;
    if syntax::dump(&again) != syntax::dump(original) {
        return Err(internal("changing its meaning"));
    }
    // Every comment, in the order written.
    let mut rest = out;
    for c in &lexed.comments {
        let body = comment_text(text, *c);
        match rest.find(body) {
            Some(at) => rest = rest.get(at + body.len()..).unwrap_or(""),
            None => return Err(internal("losing or moving a comment")),
        }
    }
    Ok(())
}

/// One line-level piece of the output.
enum Entry {
    Blank,
    /// A comment on a line of its own.
    Comment(String),
    /// A statement (lines already indented) and the comment after it on its last line.
    Item {
        lines: Vec<String>,
        trailing: Option<String>,
    },
}

/// A statement to lay out among the comments around it.
struct Piece {
    range: Range,
    lines: Vec<String>,
}

struct Formatter<'a> {
    text: &'a str,
    lexed: &'a Lexed,
}

impl Formatter<'_> {
    fn file(&self, file: &File) -> String {
        let pieces = file
            .statements
            .iter()
            .map(|s| {
                let span = s.span();
                let range = Range {
                    start: span.start as usize,
                    end: span.end as usize,
                };
                Piece {
                    range,
                    lines: self.statement(s, range),
                }
            })
            .collect::<Vec<_>>();
        let region = Range {
            start: 0,
            end: self.text.len(),
        };
        let (_, entries) = self.sequence(region, pieces, false);
        let mut out = render(&entries, 0);
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    fn has_comment(&self, r: Range) -> bool {
        !self.lexed.comments_in(r.start, r.end).is_empty()
    }

    fn statement(&self, s: &Statement, range: Range) -> Vec<String> {
        if let Statement::Position(p) = s {
            return self.position(p, range, 0);
        }
        if self.has_comment(range) {
            return self.verbatim(range, 0);
        }
        match s {
            Statement::Source(d) => print::source(d, 0),
            Statement::Import(d) => print::import(d, 0),
            Statement::Type(d) => print::type_decl(d, 0),
            Statement::Predicate(d) => print::predicate(d, 0),
            Statement::PointTitle(d) => print::point_title(d, 0),
            Statement::Rule(r) => print::rule("rule", r, 0),
            Statement::Position(p) => self.position(p, range, 0),
            Statement::Fact(f) => print::fact(f, 0),
            Statement::Expect(e) => print::expect(e, 0),
        }
    }

    fn position(&self, p: &PositionDecl, range: Range, indent: usize) -> Vec<String> {
        // The header ends with the last thing the tree records; `{` or `.` comes next.
        let mut header_end = p.name.span.end;
        for s in p
            .is_default
            .iter()
            .copied()
            .chain(p.extends.iter().map(|e| e.span))
            .chain(p.meaning.iter().map(|m| m.span))
            .chain(p.citations.iter().map(|c| c.span))
        {
            header_end = header_end.max(s.end);
        }
        let opener = self.lexed.next_token(self.text, header_end as usize);
        let opener_char = opener.and_then(|o| self.text.as_bytes().get(o).copied());
        let close = range.end.saturating_sub(1);
        let well_formed = match opener_char {
            Some(b'.') => opener.map(|o| o + 1) == Some(range.end),
            Some(b'{') => self.text.as_bytes().get(close) == Some(&b'}'),
            _ => false,
        };
        let Some(opener) = opener.filter(|_| well_formed) else {
            return self.verbatim(range, indent);
        };
        if self.has_comment(Range {
            start: range.start,
            end: opener,
        }) {
            return self.verbatim(range, indent);
        }
        let header = print::position_header(p, indent);
        let body = Range {
            start: opener + 1,
            end: close,
        };
        if p.items.is_empty() && (opener_char == Some(b'.') || !self.has_comment(body)) {
            return print::finish(header, ".");
        }
        let inner = indent + print::STEP;
        let pieces = p
            .items
            .iter()
            .map(|item| {
                let span = print::position_item_span(item);
                let r = Range {
                    start: span.start as usize,
                    end: span.end as usize,
                };
                let lines = if self.has_comment(r) {
                    self.verbatim(r, inner)
                } else {
                    print::position_item(item, inner)
                };
                Piece { range: r, lines }
            })
            .collect::<Vec<_>>();
        let (after_brace, entries) = self.sequence(body, pieces, true);
        let mut lines = print::finish(header, " {");
        if let (Some(c), Some(last)) = (after_brace, lines.last_mut()) {
            last.push_str("  ");
            last.push_str(&c);
        }
        let rendered = render(&entries, inner);
        if !rendered.is_empty() {
            lines.extend(rendered.split('\n').map(str::to_string));
        }
        lines.push(format!("{}}}", " ".repeat(indent)));
        lines
    }

    /// Lays out statements and the comments between them in `region`. Returns the comment
    /// that follows the region's opening `{` on its line, if any, and the entries.
    fn sequence(
        &self,
        region: Range,
        pieces: Vec<Piece>,
        keep_leading_blank: bool,
    ) -> (Option<String>, Vec<Entry>) {
        // Comments between the pieces (those inside a piece belong to it).
        let mut loose: Vec<Range> = Vec::new();
        let mut next_piece = pieces.iter().peekable();
        for c in self.lexed.comments_in(region.start, region.end) {
            while next_piece.peek().is_some_and(|p| p.range.end <= c.start) {
                next_piece.next();
            }
            let inside = next_piece
                .peek()
                .is_some_and(|p| p.range.start <= c.start && c.start < p.range.end);
            if !inside {
                loose.push(*c);
            }
        }
        enum Prev {
            Opener,
            Comment,
            Item,
        }
        let mut prev = Prev::Opener;
        let mut prev_end = region.start;
        let mut opener_comment = None;
        let mut entries: Vec<Entry> = Vec::new();
        let mut comments = loose.into_iter().peekable();
        let mut pieces = pieces.into_iter().peekable();
        loop {
            let take_comment = match (comments.peek(), pieces.peek()) {
                (Some(c), Some(p)) => c.start < p.range.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let start = if take_comment {
                comments.peek().map(|c| c.start)
            } else {
                pieces.peek().map(|p| p.range.start)
            }
            .unwrap_or(prev_end);
            let gap = self.text.get(prev_end..start).unwrap_or("");
            let newlines = gap.matches('\n').count();
            if take_comment {
                let Some(c) = comments.next() else { break };
                let body = comment_text(self.text, c).to_string();
                prev_end = c.end;
                if newlines == 0 {
                    match prev {
                        Prev::Item => {
                            if let Some(Entry::Item { trailing, .. }) = entries.last_mut() {
                                *trailing = Some(body);
                                prev = Prev::Comment;
                                continue;
                            }
                        }
                        Prev::Opener if keep_leading_blank => {
                            opener_comment = Some(body);
                            prev = Prev::Comment;
                            continue;
                        }
                        _ => {}
                    }
                }
                if newlines >= 2 && (keep_leading_blank || !entries.is_empty()) {
                    entries.push(Entry::Blank);
                }
                entries.push(Entry::Comment(body));
                prev = Prev::Comment;
            } else {
                let Some(p) = pieces.next() else { break };
                if newlines >= 2 && (keep_leading_blank || !entries.is_empty()) {
                    entries.push(Entry::Blank);
                }
                prev_end = p.range.end;
                entries.push(Entry::Item {
                    lines: p.lines,
                    trailing: None,
                });
                prev = Prev::Item;
            }
        }
        (opener_comment, entries)
    }

    /// A statement as written, moved to `indent`: its continuation lines shift by the same
    /// amount (never inside a quoted text), trailing white space goes, and a run of blank lines
    /// becomes one.
    fn verbatim(&self, r: Range, indent: usize) -> Vec<String> {
        let line_start = self
            .text
            .get(..r.start)
            .and_then(|s| s.rfind('\n'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let column = self
            .text
            .get(line_start..r.start)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        let src = self.text.get(r.start..r.end).unwrap_or("");
        let mut lines = Vec::new();
        let mut offset = r.start;
        let mut previous_ends_in_string = false;
        for (i, line) in src.split('\n').enumerate() {
            let line_end = offset + line.len();
            let starts_in_string = i > 0 && self.lexed.inside_string(offset);
            let ends_in_string = self.lexed.inside_string(line_end);
            let mut l = if i == 0 {
                format!("{}{line}", " ".repeat(indent))
            } else if starts_in_string {
                line.to_string()
            } else if indent >= column {
                format!("{}{line}", " ".repeat(indent - column))
            } else {
                let mut rest = line;
                for _ in 0..(column - indent) {
                    match rest.strip_prefix([' ', '\t']) {
                        Some(r) => rest = r,
                        None => break,
                    }
                }
                rest.to_string()
            };
            if !ends_in_string {
                l.truncate(l.trim_end_matches([' ', '\t', '\r']).len());
            }
            // A run of blank lines becomes one, as between statements.
            let blank_again = l.is_empty()
                && !starts_in_string
                && lines.last().is_some_and(|p: &String| p.is_empty())
                && !previous_ends_in_string;
            previous_ends_in_string = ends_in_string;
            if !blank_again {
                lines.push(l);
            }
            offset = line_end + 1;
        }
        lines
    }
}

/// Prints entries at `indent`, aligning the trailing comments of neighbouring one-line
/// statements. No final line break.
fn render(entries: &[Entry], indent: usize) -> String {
    // The column of the trailing comments of each run of one-line statements.
    let mut columns: Vec<Option<usize>> = vec![None; entries.len()];
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, columns: &mut Vec<Option<usize>>| {
        let widest = run
            .iter()
            .filter_map(|&i| match entries.get(i) {
                Some(Entry::Item {
                    lines,
                    trailing: Some(_),
                }) => lines.first().map(|l| l.chars().count()),
                _ => None,
            })
            .max();
        if let Some(w) = widest {
            for &i in run.iter() {
                if let Some(c) = columns.get_mut(i) {
                    *c = Some(w + 2);
                }
            }
        }
        run.clear();
    };
    for (i, e) in entries.iter().enumerate() {
        match e {
            Entry::Item { lines, .. } if lines.len() == 1 => run.push(i),
            _ => flush(&mut run, &mut columns),
        }
    }
    flush(&mut run, &mut columns);

    let mut out: Vec<String> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e {
            Entry::Blank => out.push(String::new()),
            Entry::Comment(c) => out.push(format!("{}{c}", " ".repeat(indent))),
            Entry::Item { lines, trailing } => {
                let mut lines = lines.clone();
                if let (Some(c), Some(last)) = (trailing, lines.last_mut()) {
                    let w = last.chars().count();
                    let col = columns
                        .get(i)
                        .copied()
                        .flatten()
                        .unwrap_or(w + 2)
                        .max(w + 2);
                    last.push_str(&" ".repeat(col - w));
                    last.push_str(c);
                }
                out.extend(lines);
            }
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::format_source;

    fn fmt(s: &str) -> String {
        match format_source(s) {
            Ok(o) => o,
            Err(e) => format!("error: {}", e.diagnostic.message),
        }
    }

    #[test]
    fn facts_one_a_line_with_comments() {
        assert_eq!(
            fmt("# head\n\n\n\nstate(a). state(b).   # two\nnot   p(a) .\n\n# end\n"),
            "# head\n\nstate(a).\nstate(b).  # two\nnot p(a).\n\n# end\n"
        );
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_kept() {
        assert_eq!(
            fmt("\u{feff}state( a ).\r\n# x\r\n\r\n\r\nstate(b).\r\n"),
            "\u{feff}state(a).\r\n# x\r\n\r\nstate(b).\r\n"
        );
        // Formatting is idempotent on such a file.
        let once = fmt("\u{feff}state( a ).\r\nstate(b).\r\n");
        assert_eq!(fmt(&once), once);
        // Most line ends decide: LF files stay LF, a tie is LF.
        assert_eq!(fmt("state( a ).\nstate(b).\r\n"), "state(a).\nstate(b).\n");
        assert_eq!(
            fmt("state( a ).\nstate(b).\r\nstate(c).\r\n"),
            "state(a).\r\nstate(b).\r\nstate(c).\r\n"
        );
    }

    #[test]
    fn quoted_constants() {
        assert_eq!(
            fmt("p(\"abc\", \"Fancy Bear\", \"a\\\"b\", \"true\")."),
            "p(abc, \"Fancy Bear\", \"a\\\"b\", \"true\").\n"
        );
    }
}
