//! What the server knows of the texts: the knowledge base (the base files given at start,
//! with the open knowledge files in place of or added to them), the open scenarios checked
//! on it, every problem found, and the definitions and uses of every name.
//!
//! It is recomputed from scratch when the editor is idle after a change; nothing here fails:
//! a text that does not parse still has its syntax error shown, and simply contributes no
//! names.

use crate::text::LineIndex;
use lsp_types::Url;
use opinio::kb::{KbFile, KnowledgeBase, LoadError};
use opinio::syntax::ast;
use opinio::syntax::span::{FileId, SourceMap};
use opinio::syntax::symbols::SymbolTable;
use opinio::{Diagnostic, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A text open in the editor.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its address in the editor.
    pub uri: Url,
    /// The name Opinio uses for it in messages: its path, or the address if it has none.
    pub name: String,
    /// Its current text.
    pub text: String,
}

/// Whether a text holds only facts, expectations and comments (a scenario), judged by the
/// parser; a text that does not parse is a scenario unless one of its lines starts with a
/// word only a declaration starts with. (The same judgement as `opinio check`.)
pub fn is_scenario_text(text: &str) -> bool {
    match opinio::syntax::parse_file(FileId(0), text) {
        Ok(f) => f.statements.iter().all(|s| s.is_scenario_statement()),
        Err(_) => !text.lines().any(|l| {
            let t = l.trim_start();
            ["rule ", "predicate ", "type ", "source ", "position "]
                .iter()
                .any(|k| t.starts_with(k))
        }),
    }
}

/// One file the server knows: a base file of the knowledge base or an open document.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The name Opinio's messages use.
    pub name: String,
    /// The editor's address of an open document; `None` for a base file.
    pub uri: Option<Url>,
    /// The text.
    pub text: Arc<str>,
    /// Its lines.
    pub lines: LineIndex,
    /// Its syntax tree, if it parses (spans use this entry's index as [`FileId`]).
    pub ast: Option<ast::File>,
    /// Whether it is a scenario (facts and expectations) rather than a knowledge file.
    pub is_scenario: bool,
    /// Whether it is a base file replaced by an open document (then no problem is placed in
    /// it, and it has no tree unless the document does not parse).
    pub replaced: bool,
}

impl FileEntry {
    fn new(index: usize, name: String, uri: Option<Url>, text: Arc<str>) -> FileEntry {
        let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        let ast = opinio::syntax::parse_file(id, &text).ok();
        let is_scenario = match &ast {
            Some(f) => uri.is_some() && f.statements.iter().all(|s| s.is_scenario_statement()),
            None => uri.is_some() && is_scenario_text(&text),
        };
        // A scenario being typed has a syntax error most of the time: the statements around
        // it still give hover, navigation and the outline.
        let ast = match ast {
            None if is_scenario => statements_that_parse(id, &text),
            other => other,
        };
        FileEntry {
            lines: LineIndex::new(&text),
            name,
            uri,
            text,
            ast,
            is_scenario,
            replaced: false,
        }
    }
}

/// The statements of `text` that parse, when the whole does not: the statement holding each
/// syntax error is blanked out (spaces, line breaks kept, so every span stays where it was)
/// and the rest parsed again, for at most 32 errors. `None` if that does not converge.
fn statements_that_parse(id: FileId, text: &str) -> Option<ast::File> {
    let mut blanked = text.to_string();
    for _ in 0..32 {
        let at = match opinio::syntax::parse_file(id, &blanked) {
            Ok(file) => return Some(file),
            Err(e) => e.diagnostic.primary_span()?.start as usize,
        };
        let bytes = blanked.as_bytes();
        let ends_statement = |i: usize| {
            bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
        };
        let start = (0..at.min(bytes.len()))
            .rev()
            .find(|i| ends_statement(*i))
            .map_or(0, |i| i + 1);
        let end = (at..bytes.len())
            .find(|i| ends_statement(*i))
            .map_or(bytes.len(), |i| i + 1);
        if start >= end {
            return None;
        }
        // As many spaces as bytes (a multi-byte character is several), so nothing moves.
        let hole: String = blanked
            .get(start..end)?
            .chars()
            .map(|c| match c {
                '\n' => "\n".to_string(),
                c => " ".repeat(c.len_utf8()),
            })
            .collect();
        blanked.replace_range(start..end, &hole);
    }
    None
}

/// A problem to show, placed in a file the server knows (by its index in
/// [`Analysis::files`]).
#[derive(Debug, Clone)]
pub struct Placed {
    /// The file it is shown in.
    pub file: usize,
    /// The problem; the [`FileId`] of each label's span is the index in
    /// [`Analysis::files`] of the file it points into (labels into other texts are left out).
    pub diagnostic: Diagnostic,
}

/// `d` with its labels' spans moved from the files of `sources` to the server's `files`
/// (matched by name), and the file it belongs in: the primary label's, else `fallback`.
fn place(
    d: &Diagnostic,
    sources: &SourceMap,
    files: &[Arc<FileEntry>],
    fallback: Option<usize>,
) -> Option<Placed> {
    let mut d = d.clone();
    d.labels.retain_mut(|l| {
        let name = sources.get(l.span.file).map(|s| s.name.as_str());
        match name.and_then(|n| files.iter().position(|f| f.name == n && !f.replaced)) {
            Some(i) => {
                l.span.file = FileId(u32::try_from(i).unwrap_or(u32::MAX));
                true
            }
            None => false,
        }
    });
    let file = match d.labels.first() {
        Some(l) => usize::try_from(l.span.file.0).ok(),
        None => fallback,
    }?;
    Some(Placed {
        file,
        diagnostic: d,
    })
}

/// The checked state of the knowledge base and the open documents.
#[derive(Debug)]
pub struct Analysis {
    /// Every file: the base files, then the open documents. The index is the [`FileId`] of
    /// the syntax trees' spans.
    pub files: Vec<Arc<FileEntry>>,
    /// Definitions and uses of every name of every file.
    pub symbols: SymbolTable,
    /// The problems, each placed in one file; spans are mapped to `files` by name.
    pub problems: Vec<Placed>,
    /// The open scenarios, checked, by file index (for the answers of their `expect` lines).
    pub scenarios: BTreeMap<usize, Scenario>,
    /// Why a scenario could not be checked (the knowledge base has errors), if it could not.
    pub scenario_note: Option<String>,
}

/// The base of the knowledge base, read once: its files and, checked, the knowledge base
/// they make on their own.
#[derive(Debug)]
pub struct Base {
    /// The files (the bundled knowledge base's or a folder's).
    pub files: Vec<KbFile>,
    /// Whether the files are real files on disk (a folder) rather than the bundled ones.
    pub on_disk: bool,
    /// The knowledge base of the files alone, or why it has none.
    pub kb: Result<KnowledgeBase, LoadError>,
    /// The files read (the index of each is its [`FileId`]).
    pub entries: Vec<Arc<FileEntry>>,
}

impl Base {
    /// Reads the base once.
    pub fn new(files: Vec<KbFile>, on_disk: bool) -> Base {
        let kb = KnowledgeBase::from_files(files.clone());
        let entries = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Arc::new(FileEntry::new(
                    i,
                    f.name.clone(),
                    None,
                    f.text.as_str().into(),
                ))
            })
            .collect();
        Base {
            files,
            on_disk,
            kb,
            entries,
        }
    }
}

/// The knowledge base last built with open knowledge files, and the files it was built from
/// (name and text of each), so that editing a scenario does not build it again.
#[derive(Debug)]
pub struct KbCache {
    key: Vec<(String, String)>,
    kb: Result<KnowledgeBase, LoadError>,
}

/// Whether an open document at `path` is the base file named `name` (a path, or a name
/// relative to the bundled knowledge base such as `knowledge/sovereignty.opinio`).
fn is_same_file(path: &Path, name: &str) -> bool {
    let base = Path::new(name);
    if base.is_absolute() {
        return match (path.canonicalize(), base.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => path == base,
        };
    }
    if let (Ok(a), Ok(b)) = (path.canonicalize(), base.canonicalize()) {
        return a == b;
    }
    path.ends_with(base)
}

/// The name Opinio gives a document: its path if it is a file, its address otherwise.
pub fn document_name(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(p) => p.display().to_string(),
        Err(()) => uri.to_string(),
    }
}

/// `affirm NAME` and `unverified NAME, …` name a rule, an open point or (for `unverified`) a
/// predicate; the symbol table records them as rules, leaving the choice to the checker. Here
/// a name that no rule has but an open point or a predicate has is taken to be that, so that
/// hover, definition and references find it.
fn resolve_named_items(symbols: &mut SymbolTable) {
    use opinio::syntax::symbols::SymbolKind;
    let defined = |kind: SymbolKind, name: &str, defs: &[opinio::syntax::symbols::Symbol]| {
        defs.iter().any(|d| d.kind == kind && d.name == name)
    };
    let definitions = std::mem::take(&mut symbols.definitions);
    for r in symbols
        .references
        .iter_mut()
        .filter(|r| r.kind == SymbolKind::Rule)
    {
        if defined(SymbolKind::Rule, &r.name, &definitions) {
            continue;
        }
        if let Some(kind) = [SymbolKind::Point, SymbolKind::Predicate]
            .into_iter()
            .find(|k| defined(*k, &r.name, &definitions))
        {
            r.kind = kind;
        }
    }
    symbols.definitions = definitions;
}

/// Checks everything: the knowledge base with the open knowledge files, then each open
/// scenario on it.
pub fn analyse(base: &Base, documents: &[Document], cache: &mut Option<KbCache>) -> Analysis {
    let mut files = Vec::new();
    let paths: Vec<Option<PathBuf>> = documents
        .iter()
        .map(|d| d.uri.to_file_path().ok())
        .collect();
    let doc_is_scenario: Vec<bool> = documents
        .iter()
        .map(|d| is_scenario_text(&d.text))
        .collect();
    // The base files, less those open in the editor as knowledge files.
    let mut kb_files = Vec::new();
    // The base files keep their places (the index of each is its `FileId`), so that their
    // syntax trees, read once, serve every analysis. One replaced by an open document keeps
    // its place with no tree, unless the document does not parse: then the names of the file
    // as it was read stand in for the document's while it is being written (for completion,
    // hover and navigation; its problems are the document's).
    for (f, entry) in base.files.iter().zip(&base.entries) {
        let replacing = documents
            .iter()
            .zip(&paths)
            .zip(&doc_is_scenario)
            .find(|((_, p), s)| !**s && p.as_deref().is_some_and(|p| is_same_file(p, &f.name)))
            .map(|((d, _), _)| d);
        if let Some(d) = replacing {
            let parses = opinio::syntax::parse_file(FileId(0), &d.text).is_ok();
            files.push(Arc::new(FileEntry {
                ast: if parses { None } else { entry.ast.clone() },
                replaced: true,
                ..FileEntry::clone(entry)
            }));
        } else {
            files.push(Arc::clone(entry));
            kb_files.push(f.clone());
        }
    }
    let knowledge_docs: Vec<&Document> = documents
        .iter()
        .zip(&doc_is_scenario)
        .filter(|(_, s)| !**s)
        .map(|(d, _)| d)
        .collect();
    for d in documents {
        files.push(Arc::new(FileEntry::new(
            files.len(),
            d.name.clone(),
            Some(d.uri.clone()),
            d.text.as_str().into(),
        )));
    }
    let mut symbols = SymbolTable::of(files.iter().filter_map(|f| f.ast.as_ref()));
    resolve_named_items(&mut symbols);
    let mut problems = Vec::new();

    // The knowledge base: the base's own if no knowledge file is open, the last one built if
    // the open knowledge files have not changed since (only a scenario was edited).
    let kb_result: &Result<KnowledgeBase, LoadError> = if knowledge_docs.is_empty() {
        &base.kb
    } else {
        let key: Vec<(String, String)> = knowledge_docs
            .iter()
            .map(|d| (d.name.clone(), d.text.clone()))
            .collect();
        if cache.as_ref().is_none_or(|c| c.key != key) {
            kb_files.extend(knowledge_docs.iter().map(|d| KbFile {
                name: d.name.clone(),
                text: d.text.clone(),
            }));
            *cache = Some(KbCache {
                key,
                kb: KnowledgeBase::from_files(kb_files),
            });
        }
        match cache {
            Some(c) => &c.kb,
            None => &base.kb,
        }
    };
    let (kb_diags, kb_sources): (&[Diagnostic], &SourceMap) = match kb_result {
        Ok(kb) => (kb.warnings(), kb.sources()),
        Err(e) => (&e.diagnostics, &e.sources),
    };
    let first_knowledge_doc = files.iter().position(|f| f.uri.is_some() && !f.is_scenario);
    problems.extend(
        kb_diags
            .iter()
            .filter_map(|d| place(d, kb_sources, &files, first_knowledge_doc)),
    );

    // The scenarios, on the knowledge base if it has no error, else on the base's.
    let scenario_kb = match (kb_result, &base.kb) {
        (Ok(kb), _) | (Err(_), Ok(kb)) => Some(kb),
        (Err(_), Err(_)) => None,
    };
    let scenario_note = match (kb_result, scenario_kb) {
        (Ok(_), _) => None,
        (Err(_), Some(_)) => Some(
            "checked on the knowledge base without your open knowledge files, which have errors"
                .to_string(),
        ),
        (Err(_), None) => {
            Some("not checked: the knowledge base has errors; correct them first".to_string())
        }
    };
    let mut scenarios = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if !f.is_scenario {
            continue;
        }
        let Some(kb) = scenario_kb else {
            let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
            if let Err(e) = opinio::syntax::parse_file(id, &f.text) {
                problems.push(Placed {
                    file: i,
                    diagnostic: e.diagnostic,
                });
            }
            continue;
        };
        let mut s = Scenario::new(kb);
        match s.add_text(&f.name, &f.text) {
            Ok(warnings) => {
                let sources = s.sources();
                problems.extend(
                    warnings
                        .iter()
                        .filter_map(|d| place(d, sources, &files, Some(i))),
                );
                scenarios.insert(i, s);
            }
            Err(e) => {
                problems.extend(
                    e.diagnostics
                        .iter()
                        .filter_map(|d| place(d, &e.sources, &files, Some(i))),
                );
            }
        }
    }
    Analysis {
        files,
        symbols,
        problems,
        scenarios,
        scenario_note,
    }
}
