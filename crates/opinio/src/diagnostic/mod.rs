//! Diagnostics: what the user is told when something they wrote is wrong or doubtful.
//!
//! Every layer reports problems as [`Diagnostic`] values (never by printing or panicking). A
//! diagnostic points at spans in a [`SourceMap`]; [`Diagnostic::to_report`] turns it into a
//! miette report that shows the file, the lines and the labels.

mod code;
mod remedy;
pub mod suggest;
pub use code::Code;
pub use remedy::Remedy;

use crate::source::{SourceMap, Span};
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is refused: nothing of it is loaded.
    Error,
    /// The input is accepted, but probably not what the author meant.
    Warning,
    /// A remark that helps reading the result (shown as a note).
    Advice,
}

/// A labelled place in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Label {
    /// The place pointed at.
    pub span: Span,
    /// What is said under it.
    pub text: String,
}

/// One problem found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error, warning or advice.
    pub severity: Severity,
    /// A stable code, e.g. `opinio::unknown_predicate`.
    pub code: Code,
    /// The problem in one sentence, for a reader who is not a programmer.
    pub message: String,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// What to do about it in the reader's program (a flag, a command), worded by the front
    /// end: see [`Remedy`].
    pub remedy: Option<Remedy>,
}

impl Diagnostic {
    /// An error with no label and no help yet.
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            remedy: None,
        }
    }

    /// A warning with no label and no help yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// An advice (a note) with no label and no help yet.
    pub fn advice(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Advice,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds a label; the first one added is the primary place.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Sets the remedy a front end words for itself (see [`Remedy`]).
    pub fn with_remedy(mut self, remedy: Remedy) -> Diagnostic {
        self.remedy = Some(remedy);
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether the diagnostic refuses the input.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The place of the first label, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// A miette report carrying the source text, ready to print.
    pub fn to_report(&self, sources: &SourceMap) -> miette::Report {
        miette::Report::new(self.rendered(sources, true))
    }

    /// The miette face of the diagnostic. Every way a diagnostic is shown goes through here:
    /// the text handed to miette is an [`Excerpt`] (the lines around the labels, long lines
    /// cut to windows, invisible characters escaped), never the whole file.
    fn rendered(&self, sources: &SourceMap, codes: bool) -> Rendered {
        let primary = self.primary_span();
        let primary_line = primary.map(|s| sources.line_col(s).0);
        let mut here: Vec<&Label> = Vec::new();
        let mut related = Vec::new();
        for label in &self.labels {
            // Labels far apart in one file would make miette print every line between
            // them: show a distant label as a note of its own instead.
            let near = primary_line.is_none_or(|p| sources.line_col(label.span).0.abs_diff(p) <= 8);
            if primary.is_some_and(|p| p.file == label.span.file) && near {
                here.push(label);
            } else {
                // miette shows one text per diagnostic: a label in another file becomes a note.
                let (source, labels) = excerpt(sources, label.span.file, &[label]);
                related.push(Rendered {
                    severity: miette::Severity::Advice,
                    code: None,
                    message: escape_invisible(&format!(
                        "see also {} line {}",
                        sources.name(label.span.file),
                        sources.line_col(label.span).0
                    )),
                    labels,
                    help: None,
                    source,
                    related: Vec::new(),
                });
            }
        }
        let (source, labels) = match primary {
            Some(p) => excerpt(sources, p.file, &here),
            None => (None, Vec::new()),
        };
        Rendered {
            severity: match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Advice => miette::Severity::Advice,
            },
            code: codes.then_some(self.code),
            message: escape_invisible(&self.message),
            labels,
            help: self.help.as_deref().map(escape_invisible),
            source,
            related,
        }
    }

    /// Plain one-line form: `file:line:col: error: message`, on one line whatever the message
    /// quotes (line breaks escaped) and at most a few hundred characters (the middle of a long
    /// message or file name left out).
    pub fn one_line(&self, sources: &SourceMap) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "note",
        };
        let message = one_line_text(&self.message, ONE_LINE_MESSAGE);
        match self.primary_span() {
            Some(span) => {
                let (line, col) = sources.line_col(span);
                format!(
                    "{}:{line}:{col}: {kind}: {message}",
                    one_line_text(sources.name(span.file), ONE_LINE_NAME),
                )
            }
            None => format!("{kind}: {message}"),
        }
    }
}

/// The message, on one line and at most a few hundred characters (see
/// [`Diagnostic::one_line`] for the place too).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line_text(&self.message, ONE_LINE_MESSAGE))
    }
}

impl std::error::Error for Diagnostic {}

/// A diagnostic alone, without the texts its labels point into: its code, severity and help.
/// [`Diagnostic::to_report`] gives the full miette face, labels and lines included.
impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }
}

// ---------------------------------------------------------------- invisible characters

/// Whether a character shows nothing (or moves the cursor, or reorders what follows) when it
/// is printed: control characters other than tab and line feed (so a lone carriage return),
/// format characters (zero-width spaces and joiners, direction marks and overrides, the byte
/// order mark, the soft hyphen, tags), line and paragraph separators, fillers that print as
/// blanks, and variation selectors. Diagnostics show them escaped, as `\u{200B}`.
pub fn is_invisible(c: char) -> bool {
    if c == '\n' || c == '\t' {
        return false;
    }
    c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{34F}'
                | '\u{600}'..='\u{605}'
                | '\u{61C}'
                | '\u{6DD}'
                | '\u{70F}'
                | '\u{890}'..='\u{891}'
                | '\u{8E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// How an invisible character is shown: `\u{200B}` (at least four hex digits).
pub fn escaped_char(c: char) -> String {
    format!("\\u{{{:04X}}}", u32::from(c))
}

/// The text with every [invisible](is_invisible) character shown as `\u{…}`.
pub fn escape_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&escaped_char(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The most characters of a message [`Diagnostic::one_line`] shows: a message quotes what the
/// user wrote, which may be a megabyte long.
const ONE_LINE_MESSAGE: usize = 300;
/// The most characters of a file name [`Diagnostic::one_line`] shows.
const ONE_LINE_NAME: usize = 120;

/// `text` on one line and at most `max` characters: line breaks and tabs written as `\n` and
/// `\t`, invisible characters escaped, and the middle of a long text left out (`…`).
fn one_line_text(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return escaped_on_one_line(text.chars());
    }
    let half = max / 2;
    format!(
        "{}{ELLIPSIS}{}",
        escaped_on_one_line(text.chars().take(half)),
        escaped_on_one_line(text.chars().skip(count - half))
    )
}

/// Characters with line breaks and tabs written `\n` and `\t`, and invisible ones escaped.
pub(crate) fn escaped_on_one_line(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in chars {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_invisible(c) => out.push_str(&escaped_char(c)),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------- excerpts

/// A line wider than this many columns (characters; an invisible one counts as wide as its
/// escape `\u{200B}`) is shown as windows around its labels.
pub const LONG_LINE: usize = 200;
/// How many columns of a long line are shown on either side of a label's start and end.
pub const WINDOW_MARGIN: usize = 40;
/// How many columns of a long line that holds no label's start or end are shown.
const LONG_LINE_HEAD: usize = 80;
/// What stands for the characters of a long line that are not shown.
const ELLIPSIS: &str = "…";

/// What miette is given to show: a few lines of a file, ready to print, with the real place
/// (line and column in the whole file) of each label. miette is never handed a whole file:
/// it would print a long line whole (a minified file, 60 KB on one line) and it panics
/// ("Formatting argument out of range") on a label past column 65,535.
#[derive(Debug)]
struct Excerpt {
    name: String,
    /// The lines shown, as printed: long lines cut, invisible characters escaped.
    text: String,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
    /// For each label: where it starts in `text`, and its 0-based line and column (in
    /// characters) in the file.
    places: Vec<(usize, usize, usize)>,
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // A label read alone gives the header's `file:line:column`: the real one.
        let place = self
            .places
            .iter()
            .find(|p| p.0 == span.offset())
            .filter(|_| before == 0);
        let (line, column) = match place {
            Some(&(_, line, column)) => (line, column),
            None => (self.first_line + inner.line(), inner.column()),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// The excerpt of `file` that shows `labels`, and the labels placed in it (the first one
/// primary). `None` when the file is not in the map.
fn excerpt(
    sources: &SourceMap,
    file: crate::source::FileId,
    labels: &[&Label],
) -> (Option<Excerpt>, Vec<miette::LabeledSpan>) {
    let Some(f) = sources.get(file) else {
        return (None, Vec::new());
    };
    let text: &str = &f.text;
    let spans: Vec<(usize, usize)> = labels
        .iter()
        .map(|l| {
            let start = floor_char(text, l.span.start as usize);
            let end = ceil_char(text, (l.span.end as usize).max(start));
            (start, end)
        })
        .collect();
    let lo = spans.iter().map(|s| s.0).min().unwrap_or(0);
    let hi = spans.iter().map(|s| s.1).max().unwrap_or(0);
    // The lines holding the labels, and one line either side (miette's context).
    let first = line_start(text, lo);
    let from = match first.checked_sub(1) {
        Some(prev_end) => line_start(text, prev_end),
        None => 0,
    };
    let last_end = line_end(text, hi);
    let to = if last_end < text.len() {
        line_end(text, last_end + 1)
    } else {
        text.len()
    };
    let to = if text.get(to..).is_some_and(|r| r.starts_with('\n')) {
        to + 1
    } else {
        to
    };
    let mut wanted: Vec<usize> = spans.iter().flat_map(|&(s, e)| [s, e]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut w = Writer {
        text,
        out: String::new(),
        wanted: &wanted,
        next: 0,
        placed: Vec::with_capacity(wanted.len()),
    };
    let mut at = from;
    while at < to {
        let end = line_end(text, at);
        let mut content = at;
        if at == 0 && text.starts_with('\u{FEFF}') {
            content = '\u{FEFF}'.len_utf8();
        }
        // `\r\n` ends a line as `\n` does; the `\r` is kept for miette, which knows it.
        let content_end = if end > content && text.get(..end).is_some_and(|t| t.ends_with('\r')) {
            end - 1
        } else {
            end
        };
        let line = text.get(content..content_end).unwrap_or("");
        if forward(line, 0, LONG_LINE) >= line.len() {
            w.copy(content, content_end);
        } else {
            let points: Vec<(Option<usize>, Option<usize>)> = spans
                .iter()
                .map(|&(s, e)| {
                    let inside = |o: usize| o.checked_sub(content).filter(|_| o <= content_end);
                    (inside(s), inside(e))
                })
                .collect();
            w.windows(content, line, &windows(line, &points));
        }
        // The line break, as written (`\n` or `\r\n`).
        let next = if end < text.len() { end + 1 } else { end };
        w.copy(content_end, next.min(to));
        at = next.max(at + 1);
    }
    w.mark(usize::MAX);
    let display = |o: usize| {
        w.placed
            .iter()
            .find(|p| p.0 == o)
            .map_or(w.out.len(), |p| p.1)
    };
    let mut placed = Vec::with_capacity(spans.len());
    let mut places = Vec::with_capacity(spans.len());
    for (i, (&(s, e), label)) in spans.iter().zip(labels).enumerate() {
        let (ds, de) = (display(s), display(e).max(display(s)));
        let (line, col) = crate::source::line_col_at(text, s);
        places.push((ds, line.saturating_sub(1), col.saturating_sub(1)));
        let note = (!label.text.is_empty()).then(|| escape_invisible(&label.text));
        placed.push(if i == 0 {
            miette::LabeledSpan::new_primary_with_span(note, (ds, de - ds))
        } else {
            miette::LabeledSpan::new_with_span(note, (ds, de - ds))
        });
    }
    let first_line = text.get(..from).map_or(0, |t| t.matches('\n').count());
    let excerpt = Excerpt {
        name: escape_invisible(&f.name),
        text: w.out,
        first_line,
        places,
    };
    (Some(excerpt), placed)
}

/// How many columns a character takes in an excerpt (an invisible one is escaped).
fn char_width(c: char) -> usize {
    if is_invisible(c) {
        escaped_char(c).len()
    } else {
        1
    }
}

/// The offset in `line` reached from `from` going forward over about `columns` columns
/// (the end of the line at most).
fn forward(line: &str, from: usize, columns: usize) -> usize {
    let mut used = 0;
    for (i, c) in line.get(from..).unwrap_or("").char_indices() {
        if used >= columns {
            return from + i;
        }
        used += char_width(c);
    }
    line.len()
}

/// The offset in `line` reached from `from` going back over about `columns` columns.
fn backward(line: &str, from: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut at = from;
    for (i, c) in line.get(..from).unwrap_or("").char_indices().rev() {
        if used >= columns {
            break;
        }
        used += char_width(c);
        at = i;
    }
    at
}

/// The byte ranges of a long line to show, given where each label starts and ends on it
/// (offsets in the line; `None` when that end is on another line): [`WINDOW_MARGIN`]
/// columns either side of each, one window for a short label, ranges that meet merged.
fn windows(line: &str, points: &[(Option<usize>, Option<usize>)]) -> Vec<(usize, usize)> {
    let m = WINDOW_MARGIN;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in points {
        match (s, e) {
            (Some(s), Some(e)) if forward(line, s, 2 * m) >= e => {
                ranges.push((backward(line, s, m), forward(line, e, m)));
            }
            _ => {
                for p in [s, e].into_iter().flatten() {
                    ranges.push((backward(line, p, m), forward(line, p, m)));
                }
            }
        }
    }
    if ranges.is_empty() {
        ranges.push((0, forward(line, 0, LONG_LINE_HEAD)));
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= forward(line, last.1, ELLIPSIS.len()) => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Builds an excerpt's text and remembers where the labels' ends land in it.
struct Writer<'t> {
    text: &'t str,
    out: String,
    /// The byte offsets (in the file) whose place in `out` is wanted, sorted.
    wanted: &'t [usize],
    next: usize,
    /// (offset in the file, offset in `out`).
    placed: Vec<(usize, usize)>,
}

impl Writer<'_> {
    /// Every wanted offset up to `offset` lands here (one left out lands at the next
    /// character shown).
    fn mark(&mut self, offset: usize) {
        while let Some(&o) = self.wanted.get(self.next) {
            if o > offset {
                break;
            }
            self.placed.push((o, self.out.len()));
            self.next += 1;
        }
    }

    /// Shows the text between two offsets, invisible characters escaped.
    fn copy(&mut self, from: usize, to: usize) {
        let part = self.text.get(from..to).unwrap_or("");
        for (i, c) in part.char_indices() {
            self.mark(from + i);
            if is_invisible(c)
                && !(c == '\r' && part.get(i + 1..).is_some_and(|r| r.starts_with('\n')))
            {
                self.out.push_str(&escaped_char(c));
            } else {
                self.out.push(c);
            }
        }
    }

    /// Shows some byte ranges of a long line that starts at `start`, with `…` for what is
    /// left out.
    fn windows(&mut self, start: usize, line: &str, ranges: &[(usize, usize)]) {
        let mut shown_to = 0;
        for &(s, e) in ranges {
            if s > shown_to {
                self.out.push_str(ELLIPSIS);
            }
            self.copy(start + s, start + e);
            shown_to = e;
        }
        if shown_to < line.len() {
            self.mark(start + shown_to);
            self.out.push_str(ELLIPSIS);
        }
    }
}

/// The start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Where the line holding `offset` ends (the offset of its `\n`, or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| offset + i)
}

fn floor_char(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

fn ceil_char(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o += 1;
    }
    o
}

/// The miette face of a [`Diagnostic`], with its text attached.
#[derive(Debug)]
struct Rendered {
    severity: miette::Severity,
    code: Option<Code>,
    message: String,
    labels: Vec<miette::LabeledSpan>,
    help: Option<String>,
    source: Option<Excerpt>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

#[cfg(feature = "render")]
/// Renders diagnostics to text with a fixed, colour-free theme (for snapshots and pipes) or
/// with colours and Unicode (for terminals, or wherever the front end asks for colour:
/// `NO_COLOR` is the front end's to weigh). Each diagnostic's code (`opinio::syntax`) is
/// shown; [`render_with`] can leave it out.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, fancy: bool) -> String {
    render_with(
        diagnostics,
        sources,
        RenderOptions {
            colour: fancy,
            codes: true,
        },
    )
}

/// How [`render_with`] lays diagnostics out.
#[cfg(feature = "render")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colours and the Unicode theme's colours (`false`: the colour-free theme).
    pub colour: bool,
    /// Whether each diagnostic's code (`opinio::functional_conflict`) is shown above it: for
    /// programmers and for searching the documentation; a reader of the law does without.
    pub codes: bool,
}

#[cfg(feature = "render")]
/// Renders diagnostics to text as `options` say; see [`render`].
pub fn render_with(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    let handler = if options.colour {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    }
    .with_width(100)
    .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let report = d.rendered(sources, options.codes);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&d.one_line(sources));
        }
        out.push('\n');
    }
    out
}

/// A number of bytes for people: `512 bytes`, `64 KiB`, `1.5 MiB`, `2 GiB` (binary units,
/// rounded down to a tenth). Here, below every other module, so that all messages share it.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let whole = bytes / unit;
            let tenths = (bytes % unit) * 10 / unit;
            return if tenths == 0 {
                format!("{whole} {name}")
            } else {
                format!("{whole}.{tenths} {name}")
            };
        }
    }
    if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    }
}
