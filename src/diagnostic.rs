//! Diagnostics: what the user is told when something they wrote is wrong or doubtful.
//!
//! Every layer reports problems as [`Diagnostic`] values (never by printing or panicking). A
//! diagnostic points at spans in a [`SourceMap`]; [`Diagnostic::to_report`] turns it into a
//! miette report that shows the file, the lines and the labels.

use crate::syntax::span::{SourceMap, Span};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

/// A labelled place in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code, e.g. `opinio::unknown_predicate`.
    pub code: &'static str,
    pub message: String,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn advice(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Advice,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// A miette report carrying the source text, ready to print.
    pub fn to_report(&self, sources: &SourceMap) -> miette::Report {
        miette::Report::new(self.rendered(sources))
    }

    fn rendered(&self, sources: &SourceMap) -> Rendered {
        let file = self.primary_span().map(|s| s.file);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        let primary_line = self.primary_span().map(|s| sources.line_col(s).0);
        for (i, label) in self.labels.iter().enumerate() {
            // Labels far apart in one file would make miette print every line between
            // them: show a distant label as a note of its own instead.
            let near = primary_line.is_none_or(|p| sources.line_col(label.span).0.abs_diff(p) <= 8);
            if Some(label.span.file) == file && near {
                labels.push(to_miette_label(label, sources, i == 0));
            } else {
                // miette shows one text per diagnostic: a label in another file becomes a note.
                related.push(Rendered {
                    severity: miette::Severity::Advice,
                    code: None,
                    message: format!(
                        "see also {} line {}",
                        sources.name(label.span.file),
                        sources.line_col(label.span).0
                    ),
                    labels: vec![to_miette_label(label, sources, true)],
                    help: None,
                    source: named_source(sources, label.span),
                    related: Vec::new(),
                });
            }
        }
        Rendered {
            severity: match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Advice => miette::Severity::Advice,
            },
            code: Some(self.code),
            message: self.message.clone(),
            labels,
            help: self.help.clone(),
            source: self.primary_span().and_then(|s| named_source(sources, s)),
            related,
        }
    }

    /// Plain one-line form: `file:line:col: error: message`.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "note",
        };
        match self.primary_span() {
            Some(span) => {
                let (line, col) = sources.line_col(span);
                format!(
                    "{}:{line}:{col}: {kind}: {}",
                    sources.name(span.file),
                    self.message
                )
            }
            None => format!("{kind}: {}", self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

fn to_miette_label(label: &Label, sources: &SourceMap, primary: bool) -> miette::LabeledSpan {
    let text_len = sources
        .get(label.span.file)
        .map(|f| f.text.len())
        .unwrap_or(0);
    let start = (label.span.start as usize).min(text_len);
    let end = (label.span.end as usize).clamp(start, text_len);
    let text = if label.text.is_empty() {
        None
    } else {
        Some(label.text.clone())
    };
    if primary {
        miette::LabeledSpan::new_primary_with_span(text, (start, end - start))
    } else {
        miette::LabeledSpan::new_with_span(text, (start, end - start))
    }
}

fn named_source(sources: &SourceMap, span: Span) -> Option<miette::NamedSource<String>> {
    let file = sources.get(span.file)?;
    Some(miette::NamedSource::new(
        file.name.clone(),
        file.text.to_string(),
    ))
}

/// The miette face of a [`Diagnostic`], with its text attached.
#[derive(Debug)]
struct Rendered {
    severity: miette::Severity,
    code: Option<&'static str>,
    message: String,
    labels: Vec<miette::LabeledSpan>,
    help: Option<String>,
    source: Option<miette::NamedSource<String>>,
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

/// Renders diagnostics to text with a fixed, colour-free theme (for snapshots and pipes) or
/// with colours and Unicode (for terminals).
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, fancy: bool) -> String {
    let handler = if fancy {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    }
    .with_width(100)
    .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let report = d.rendered(sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&d.one_line(sources));
        }
        out.push('\n');
    }
    out
}
