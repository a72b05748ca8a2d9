//! # opinio-lsp
//!
//! A Language Server for Opinio's rule language, for the people who write knowledge files
//! (rules, positions) and scenarios in an editor. `opinio lsp` runs it over standard input
//! and output; [`serve`] runs it on any [`lsp_server::Connection`].
//!
//! What it offers, for `.opinio` knowledge files, the knowledge base's folder and scenarios:
//!
//! - every problem `opinio check` finds, as you type, with the other places it names;
//! - hover: a predicate's signature, meaning, reading and sources; a rule's citations and
//!   notes; a source's full title; a position's documents and dates; a type's values; an open
//!   point's title and who settles it;
//! - go to definition and find references for predicates, rules (a `withdraw` or `replace`
//!   leads to the rule it changes), sources, types, values, positions and open points;
//! - completion of predicates (with their slots), values and constants, source keys, rule
//!   names after `withdraw`/`replace`/`affirm`, points after `settle`, positions after
//!   `extends`/`under`, types in slots;
//! - the outline of a file, formatting (the `opinio fmt` layout), and above each `expect`
//!   line of a scenario the answer it gets now (a code lens; clicking it shows the answer).
//!
//! Positions are counted in the unit the client negotiates: UTF-8 if it offers it, UTF-16
//! otherwise (see [`text`]). Nothing the editor sends makes the server panic: a request it
//! cannot read is answered with an error, a document that does not parse gets its syntax
//! error and keeps what still works.
//!
//! The knowledge base is the one given at start (the bundled one, or a folder with `--kb`);
//! an open knowledge file takes the place of the base file at the same path, or is added to
//! it. An open file holding only facts and `expect` lines is a scenario, checked on that
//! knowledge base, as `opinio check` does.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod analysis;
pub mod features;
pub mod text;
pub mod transport;

use analysis::{analyse, document_name, Analysis, Base, Document};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeLensRequest, Completion, DocumentSymbolRequest, ExecuteCommand, Formatting, GotoDefinition,
    HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeLens, CodeLensOptions, Command, CompletionItem, CompletionOptions, CompletionResponse,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    ExecuteCommandOptions, GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability,
    InitializeParams, InitializeResult, InsertTextFormat, Location, MarkupContent, MarkupKind,
    NumberOrString, OneOf, PositionEncodingKind, PublishDiagnosticsParams, Range,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Url,
};
use opinio::kb::KbFile;
use opinio::syntax::span::Span;
use opinio::Severity;
use std::collections::BTreeSet;
use std::path::PathBuf;
use text::{Encoding, LineIndex};

/// The command a code lens on an `expect` line runs: shows the answer in a message.
pub const SHOW_ANSWER: &str = "opinio.showAnswer";

/// What the server works on.
#[derive(Debug, Clone)]
pub struct Config {
    /// The files of the knowledge base (the bundled ones, or a folder's).
    pub files: Vec<KbFile>,
    /// Whether those files are files on disk (a folder given with `--kb`), whose problems are
    /// shown even when they are not open.
    pub on_disk: bool,
}

/// Runs the server on standard input and output until the editor says `exit`.
///
/// # Errors
/// A message that is not JSON-RPC, or standard input or output failing; described in words.
pub fn run_stdio(config: Config) -> Result<(), String> {
    let (connection, io) = transport::stdio();
    let served = serve(&connection, config);
    drop(connection);
    // When the connection failed, that is the cause of whatever the session reports.
    match io.join() {
        Err(e) => Err(format!("the editor's connection failed: {e}")),
        Ok(()) => served,
    }
}

/// Runs the server on `connection`: the initialisation, then every request and notification
/// until `shutdown` and `exit`.
///
/// # Errors
/// The connection closing before the initialisation is done, or a protocol error.
pub fn serve(connection: &Connection, config: Config) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the editor did not start the session: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate(&params);
    let snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "opinio".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the editor did not finish starting the session: {e}"))?;
    let mut server = Server {
        encoding,
        snippets,
        base: Base::new(config.files, config.on_disk),
        documents: Vec::new(),
        analysis: None,
        dirty: true,
        published: BTreeSet::new(),
        bundled_dir: None,
        kb_cache: None,
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                server.refresh(connection);
                let response = server.request(req, connection);
                send(connection, Message::Response(response));
            }
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
        if server.dirty && connection.receiver.is_empty() {
            server.refresh(connection);
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) {
    // The writer is gone only when the editor has closed the connection; the loop then ends.
    let _ = connection.sender.send(message);
}

fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), ",".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SHOW_ANSWER.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

struct Server {
    encoding: Encoding,
    snippets: bool,
    base: Base,
    documents: Vec<Document>,
    analysis: Option<Analysis>,
    dirty: bool,
    published: BTreeSet<Url>,
    /// Where the bundled knowledge base's files were written for "go to definition".
    bundled_dir: Option<PathBuf>,
    /// The knowledge base with the open knowledge files, kept while they do not change.
    kb_cache: Option<analysis::KbCache>,
}

/// A request's answer: its result, or an error code and message.
type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn to_value<T: serde::Serialize>(v: T) -> Answer {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn params<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("the request `{}` could not be read: {e}", req.method),
        )
    })
}

impl Server {
    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    self.documents.retain(|d| d.uri != uri);
                    self.documents.push(Document {
                        name: document_name(&uri),
                        uri,
                        text: p.text_document.text,
                    });
                    self.dirty = true;
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                {
                    let encoding = self.encoding;
                    if let Some(d) = self
                        .documents
                        .iter_mut()
                        .find(|d| d.uri == p.text_document.uri)
                    {
                        for change in p.content_changes {
                            apply_change(&mut d.text, change, encoding);
                        }
                        self.dirty = true;
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                {
                    self.documents.retain(|d| d.uri != p.text_document.uri);
                    self.dirty = true;
                }
            }
            _ => {}
        }
    }

    /// Checks everything again if a text changed, and shows the problems.
    fn refresh(&mut self, connection: &Connection) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let analysis = analyse(&self.base, &self.documents, &mut self.kb_cache);
        let mut by_file: Vec<Vec<lsp_types::Diagnostic>> = vec![Vec::new(); analysis.files.len()];
        for p in &analysis.problems {
            if let Some(d) = self.diagnostic(&analysis, &p.diagnostic) {
                if let Some(list) = by_file.get_mut(p.file) {
                    list.push(d);
                }
            }
        }
        let mut now = BTreeSet::new();
        for (i, diagnostics) in by_file.into_iter().enumerate() {
            let Some(f) = analysis.files.get(i) else {
                continue;
            };
            let uri = match &f.uri {
                Some(u) => u.clone(),
                None if self.base.on_disk && !diagnostics.is_empty() => {
                    match self.uri_of(&analysis, i) {
                        Some(u) => u,
                        None => continue,
                    }
                }
                None => continue,
            };
            let mut diagnostics = diagnostics;
            if f.is_scenario {
                if let Some(note) = &analysis.scenario_note {
                    diagnostics.push(lsp_types::Diagnostic {
                        range: Range::default(),
                        severity: Some(DiagnosticSeverity::INFORMATION),
                        source: Some("opinio".into()),
                        message: note.clone(),
                        ..lsp_types::Diagnostic::default()
                    });
                }
            }
            now.insert(uri.clone());
            publish(connection, uri, diagnostics);
        }
        // Clear what was shown for files no longer known or without problems.
        for uri in std::mem::take(&mut self.published) {
            if !now.contains(&uri) {
                publish(connection, uri, Vec::new());
            }
        }
        self.published = now;
        self.analysis = Some(analysis);
    }

    fn range(&self, a: &Analysis, span: Span) -> Option<(usize, Range)> {
        let i = usize::try_from(span.file.0).ok()?;
        let f = a.files.get(i)?;
        Some((
            i,
            Range {
                start: f
                    .lines
                    .position(&f.text, span.start as usize, self.encoding),
                end: f.lines.position(&f.text, span.end as usize, self.encoding),
            },
        ))
    }

    fn diagnostic(
        &mut self,
        a: &Analysis,
        d: &opinio::Diagnostic,
    ) -> Option<lsp_types::Diagnostic> {
        let range = match d.labels.first() {
            Some(l) => self.range(a, l.span)?.1,
            None => Range::default(),
        };
        let mut message = d.message.clone();
        if let Some(l) = d.labels.first().filter(|l| !l.text.is_empty()) {
            message.push_str(&format!(" ({})", l.text));
        }
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        let mut related = Vec::new();
        for l in d.labels.iter().skip(1) {
            let Some((i, range)) = self.range(a, l.span) else {
                continue;
            };
            let Some(uri) = self.uri_of(a, i) else {
                continue;
            };
            related.push(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: if l.text.is_empty() {
                    "here".into()
                } else {
                    l.text.clone()
                },
            });
        }
        Some(lsp_types::Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Advice => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.to_string())),
            source: Some("opinio".into()),
            message,
            related_information: if related.is_empty() {
                None
            } else {
                Some(related)
            },
            ..lsp_types::Diagnostic::default()
        })
    }

    /// The address of file `i`: an open document's own, a file on disk's path, or for a file
    /// of the bundled knowledge base a copy written once to a temporary folder (so that "go
    /// to definition" can open it).
    fn uri_of(&mut self, a: &Analysis, i: usize) -> Option<Url> {
        let f = a.files.get(i)?;
        if let Some(u) = &f.uri {
            return Some(u.clone());
        }
        let path = PathBuf::from(&f.name);
        if path.is_absolute() {
            return Url::from_file_path(&path).ok();
        }
        if self.base.on_disk {
            return Url::from_file_path(std::fs::canonicalize(&path).ok()?).ok();
        }
        // One folder per version, shared by the servers of that version: a file is written
        // only if it is missing or differs (another version's server never touches it).
        let dir = self
            .bundled_dir
            .get_or_insert_with(|| {
                std::env::temp_dir().join(format!("opinio-lsp-{}", env!("CARGO_PKG_VERSION")))
            })
            .clone();
        let target = dir.join(&path);
        let current = std::fs::read_to_string(&target).ok();
        if current.as_deref() != Some(&*f.text) {
            std::fs::create_dir_all(target.parent()?).ok()?;
            std::fs::write(&target, f.text.as_bytes()).ok()?;
        }
        Url::from_file_path(&target).ok()
    }

    /// The file and byte offset of a position in an open document.
    fn locate(&self, uri: &Url, position: lsp_types::Position) -> Option<(usize, usize)> {
        let a = self.analysis.as_ref()?;
        let i = a.files.iter().position(|f| f.uri.as_ref() == Some(uri))?;
        let f = a.files.get(i)?;
        Some((i, f.lines.offset(&f.text, position, self.encoding)))
    }

    fn symbol_at(
        &self,
        uri: &Url,
        position: lsp_types::Position,
    ) -> Option<opinio::syntax::symbols::Symbol> {
        let (i, offset) = self.locate(uri, position)?;
        let a = self.analysis.as_ref()?;
        let id = opinio::syntax::span::FileId(u32::try_from(i).ok()?);
        a.symbols.at(id, u32::try_from(offset).ok()?).cloned()
    }

    fn location(&mut self, span: Span) -> Option<Location> {
        let a = self.analysis.take()?;
        let found = self.range(&a, span).and_then(|(i, range)| {
            Some(Location {
                uri: self.uri_of(&a, i)?,
                range,
            })
        });
        self.analysis = Some(a);
        found
    }

    fn request(&mut self, req: Request, connection: &Connection) -> Response {
        let id: RequestId = req.id.clone();
        let answer = match req.method.as_str() {
            HoverRequest::METHOD => self.hover(&req),
            GotoDefinition::METHOD => self.definition(&req),
            References::METHOD => self.references(&req),
            Completion::METHOD => self.completion(&req),
            DocumentSymbolRequest::METHOD => self.outline(&req),
            Formatting::METHOD => self.formatting(&req),
            CodeLensRequest::METHOD => self.code_lens(&req),
            ExecuteCommand::METHOD => self.execute(&req, connection),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("Opinio's language server does not answer `{other}`"),
            )),
        };
        match answer {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn hover(&mut self, req: &Request) -> Answer {
        let p: lsp_types::HoverParams = params(req)?;
        let at = &p.text_document_position_params;
        let Some(symbol) = self.symbol_at(&at.text_document.uri, at.position) else {
            return self.citation_hover(&at.text_document.uri, at.position);
        };
        let Some(a) = self.analysis.as_ref() else {
            return Ok(serde_json::Value::Null);
        };
        let Some(markdown) = features::hover(a, &symbol) else {
            return Ok(serde_json::Value::Null);
        };
        to_value(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: self.range(a, symbol.span).map(|(_, r)| r),
        })
    }

    fn citation_hover(&self, uri: &Url, position: lsp_types::Position) -> Answer {
        let (Some((file, offset)), Some(a)) = (self.locate(uri, position), self.analysis.as_ref())
        else {
            return Ok(serde_json::Value::Null);
        };
        let found = u32::try_from(offset)
            .ok()
            .and_then(|o| features::citation_hover(a, file, o));
        let (Some(((s, e), markdown)), Some(f)) = (found, a.files.get(file)) else {
            return Ok(serde_json::Value::Null);
        };
        to_value(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(Range {
                start: f.lines.position(&f.text, s as usize, self.encoding),
                end: f.lines.position(&f.text, e as usize, self.encoding),
            }),
        })
    }

    fn definition(&mut self, req: &Request) -> Answer {
        let p: lsp_types::GotoDefinitionParams = params(req)?;
        let at = &p.text_document_position_params;
        let Some(symbol) = self.symbol_at(&at.text_document.uri, at.position) else {
            return Ok(serde_json::Value::Null);
        };
        let span = self
            .analysis
            .as_ref()
            .and_then(|a| a.symbols.definition_of(&symbol))
            .map(|d| d.span);
        match span.and_then(|s| self.location(s)) {
            Some(l) => to_value(GotoDefinitionResponse::Scalar(l)),
            None => Ok(serde_json::Value::Null),
        }
    }

    fn references(&mut self, req: &Request) -> Answer {
        let p: lsp_types::ReferenceParams = params(req)?;
        let at = &p.text_document_position;
        let Some(symbol) = self.symbol_at(&at.text_document.uri, at.position) else {
            return Ok(serde_json::Value::Null);
        };
        let spans: Vec<Span> = match self.analysis.as_ref() {
            Some(a) => {
                let defs = a
                    .symbols
                    .definitions
                    .iter()
                    .filter(|_| p.context.include_declaration)
                    .filter(|d| d.kind == symbol.kind && d.name == symbol.name);
                defs.chain(a.symbols.references_to(&symbol))
                    .map(|s| s.span)
                    .collect()
            }
            None => Vec::new(),
        };
        let locations: Vec<Location> = spans.into_iter().filter_map(|s| self.location(s)).collect();
        to_value(locations)
    }

    fn completion(&mut self, req: &Request) -> Answer {
        let p: lsp_types::CompletionParams = params(req)?;
        let at = &p.text_document_position;
        let Some((file, offset)) = self.locate(&at.text_document.uri, at.position) else {
            return Ok(serde_json::Value::Null);
        };
        let Some(a) = self.analysis.as_ref() else {
            return Ok(serde_json::Value::Null);
        };
        let items: Vec<CompletionItem> = features::complete(a, file, offset)
            .into_iter()
            .map(|p| {
                let (insert, format) = match (&p.snippet, &p.plain, self.snippets) {
                    (Some(s), _, true) => (Some(s.clone()), Some(InsertTextFormat::SNIPPET)),
                    (_, Some(t), _) => (Some(t.clone()), Some(InsertTextFormat::PLAIN_TEXT)),
                    _ => (None, None),
                };
                CompletionItem {
                    label: p.label,
                    kind: Some(p.kind),
                    detail: p.detail,
                    insert_text: insert,
                    insert_text_format: format,
                    ..CompletionItem::default()
                }
            })
            .collect();
        to_value(CompletionResponse::Array(items))
    }

    fn outline(&mut self, req: &Request) -> Answer {
        let p: lsp_types::DocumentSymbolParams = params(req)?;
        let Some(a) = self.analysis.as_ref() else {
            return Ok(serde_json::Value::Null);
        };
        let Some(f) = a
            .files
            .iter()
            .find(|f| f.uri.as_ref() == Some(&p.text_document.uri))
        else {
            return Ok(serde_json::Value::Null);
        };
        let Some(ast) = &f.ast else {
            return Ok(serde_json::Value::Null);
        };
        let encoding = self.encoding;
        let to_range = |(s, e): (u32, u32)| Range {
            start: f.lines.position(&f.text, s as usize, encoding),
            end: f.lines.position(&f.text, e as usize, encoding),
        };
        fn convert(o: features::Outline, to_range: &dyn Fn((u32, u32)) -> Range) -> DocumentSymbol {
            #[allow(deprecated)]
            DocumentSymbol {
                name: o.name,
                detail: o.detail,
                kind: o.kind,
                tags: None,
                deprecated: None,
                range: to_range(o.range),
                selection_range: to_range(o.selection),
                children: if o.children.is_empty() {
                    None
                } else {
                    Some(
                        o.children
                            .into_iter()
                            .map(|c| convert(c, to_range))
                            .collect(),
                    )
                },
            }
        }
        let symbols: Vec<DocumentSymbol> = features::outline(ast)
            .into_iter()
            .map(|o| convert(o, &to_range))
            .collect();
        to_value(DocumentSymbolResponse::Nested(symbols))
    }

    fn formatting(&mut self, req: &Request) -> Answer {
        let p: lsp_types::DocumentFormattingParams = params(req)?;
        let Some(d) = self.documents.iter().find(|d| d.uri == p.text_document.uri) else {
            return Ok(serde_json::Value::Null);
        };
        // A text that does not parse is left as it is: its syntax error is already shown.
        let Ok(formatted) = opinio::fmt::format_source(&d.text) else {
            return Ok(serde_json::Value::Null);
        };
        if formatted == d.text {
            return to_value(Vec::<TextEdit>::new());
        }
        let lines = LineIndex::new(&d.text);
        let end = lines.position(&d.text, d.text.len(), self.encoding);
        to_value(vec![TextEdit {
            range: Range {
                start: lsp_types::Position::default(),
                end,
            },
            new_text: formatted,
        }])
    }

    fn code_lens(&mut self, req: &Request) -> Answer {
        let p: lsp_types::CodeLensParams = params(req)?;
        let Some(a) = self.analysis.as_ref() else {
            return Ok(serde_json::Value::Null);
        };
        let Some(i) = a
            .files
            .iter()
            .position(|f| f.uri.as_ref() == Some(&p.text_document.uri))
        else {
            return Ok(serde_json::Value::Null);
        };
        let Some(f) = a.files.get(i) else {
            return Ok(serde_json::Value::Null);
        };
        let lenses: Vec<CodeLens> = features::expect_answers(a, i)
            .into_iter()
            .map(|((s, e), title)| {
                let range = Range {
                    start: f.lines.position(&f.text, s as usize, self.encoding),
                    end: f.lines.position(&f.text, e as usize, self.encoding),
                };
                CodeLens {
                    range,
                    command: Some(Command {
                        title: title.clone(),
                        command: SHOW_ANSWER.into(),
                        arguments: Some(vec![serde_json::Value::String(title)]),
                    }),
                    data: None,
                }
            })
            .collect();
        to_value(lenses)
    }

    fn execute(&mut self, req: &Request, connection: &Connection) -> Answer {
        let p: lsp_types::ExecuteCommandParams = params(req)?;
        if p.command != SHOW_ANSWER {
            return Err((
                ErrorCode::InvalidParams,
                format!(
                    "no command `{}`: the one command is `{SHOW_ANSWER}`",
                    p.command
                ),
            ));
        }
        let text = p
            .arguments
            .first()
            .and_then(|v| v.as_str())
            .unwrap_or("no answer given")
            .to_string();
        send(
            connection,
            Message::Notification(Notification::new(
                ShowMessage::METHOD.into(),
                ShowMessageParams {
                    typ: lsp_types::MessageType::INFO,
                    message: text,
                },
            )),
        );
        Ok(serde_json::Value::Null)
    }
}

fn publish(connection: &Connection, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) {
    send(
        connection,
        Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.into(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            },
        )),
    );
}

/// Applies one change the editor sent: a range replaced, or (without a range) the whole text.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = LineIndex::new(text);
            let start = lines.offset(text, range.start, encoding);
            let end = lines.offset(text, range.end, encoding).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incremental_change_counts_utf16_units() {
        let mut text = String::from("note \"é𝔄\" x.\n");
        // Replace the `x` (UTF-16 column 11: `𝔄` counts two) by `why`.
        let change = TextDocumentContentChangeEvent {
            range: Some(Range {
                start: lsp_types::Position {
                    line: 0,
                    character: 11,
                },
                end: lsp_types::Position {
                    line: 0,
                    character: 12,
                },
            }),
            range_length: None,
            text: "why".into(),
        };
        apply_change(&mut text, change, Encoding::Utf16);
        assert_eq!(text, "note \"é𝔄\" why.\n");
    }

    #[test]
    fn a_change_out_of_range_appends_instead_of_failing() {
        let mut text = String::from("a.");
        let far = lsp_types::Position {
            line: 40,
            character: 3,
        };
        let change = TextDocumentContentChangeEvent {
            range: Some(Range {
                start: far,
                end: far,
            }),
            range_length: None,
            text: "\nb.".into(),
        };
        apply_change(&mut text, change, Encoding::Utf16);
        assert_eq!(text, "a.\nb.");
    }
}
