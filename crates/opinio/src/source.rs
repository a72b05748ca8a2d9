//! Where things were written: files and byte ranges in them.

use serde::Serialize;
use std::sync::Arc;

/// Identifies one loaded text (a file, a REPL line, a string given by an embedding program).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, serde::Deserialize,
)]
pub struct FileId(pub u32);

/// A byte range in one loaded text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, serde::Deserialize,
)]
pub struct Span {
    /// The text the range is in.
    pub file: FileId,
    /// First byte, counted from 0.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The bytes `start..end` of `file` (offsets past 4 GiB saturate).
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Its length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether it covers no byte (a place between two characters).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// One loaded text and the name it is shown under.
#[derive(Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics: a path, `<repl>`, or a name an embedding program chose.
    pub name: String,
    /// The whole text, shared (a span's text is a slice of it).
    pub text: Arc<str>,
}

impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("bytes", &self.text.len())
            .finish()
    }
}

/// Every text loaded so far, so that any span can be shown with its file.
///
/// `{:?}` shows how many texts there are and how large, never the texts themselves: a
/// knowledge base holds hundreds of kilobytes of law, and an error's debug output must stay
/// short.
#[derive(Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes: usize = self.files.iter().map(|s| s.text.len()).sum();
        f.debug_struct("SourceMap")
            .field("files", &self.files.len())
            .field("bytes", &bytes)
            .finish()
    }
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a text under a name and returns its id (ids count from 0 in order of addition).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        id
    }

    /// The text with this id, if it was added to this map.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The name of the text with this id (`<unknown>` for an id of another map).
    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.name.as_str()).unwrap_or("<unknown>")
    }

    /// The text a span covers ("" when the span is out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// 1-based line and column of the span's start (see [`line_col_at`]).
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        match self.get(span.file) {
            Some(f) => line_col_at(&f.text, span.start as usize),
            None => (0, 0),
        }
    }

    /// The id of the text most recently added under `name`, if any.
    pub fn find(&self, name: &str) -> Option<FileId> {
        let i = self.files.iter().rposition(|f| f.name == name)?;
        Some(FileId(u32::try_from(i).ok()?))
    }

    /// Forgets the texts added after the first `len` (a failed load's: nothing refers to them).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.files.truncate(len);
    }

    /// How many texts it holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether it holds no text.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// 1-based line and column of a byte offset in a text, as Opinio shows places everywhere:
///
/// - a line ends at `\n` (so `\r\n` ends a line too); a lone `\r` does not end a line, as in
///   the grammar (a comment runs on past it), and diagnostics show it as `\u{000D}`;
/// - a column counts characters (Unicode scalar values), not bytes;
/// - a byte order mark at the start of the text is not counted.
///
/// An offset inside a character counts from that character's start; one past the end of the
/// text counts from the end.
pub fn line_col_at(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let upto = text.get(..offset).unwrap_or("");
    let upto = upto.strip_prefix('\u{FEFF}').unwrap_or(upto);
    let line = upto.matches('\n').count() + 1;
    let col = upto.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// The line end a text mostly uses: `"\r\n"` when most of its line breaks are CRLF (as
/// Windows editors save), else `"\n"` (a tie, or no line break). What `opinio fmt` and the
/// REPL's `:save` write back, so that a file never ends with mixed line ends.
pub fn line_end(text: &str) -> &'static str {
    let breaks = text.matches('\n').count();
    if text.matches("\r\n").count() * 2 > breaks {
        "\r\n"
    } else {
        "\n"
    }
}
