//! A checked knowledge base as bytes: what loading computed (the texts, the checked program,
//! the index masks, the warnings), written once and read back without parsing or checking.
//!
//! The bytes are `OPINIOKB`, then a header (the format number and the version of Opinio that
//! wrote them) and the body, both in [postcard](https://docs.rs/postcard)'s encoding of the
//! library's own types. The encoding follows the types, so only the same format and the same
//! version of Opinio may read them back: any other header is refused before the body is read.

use super::{KbInner, KnowledgeBase, MaskSets};
use crate::diagnostic::Diagnostic;
use crate::program::Program;
use crate::source::SourceMap;
use serde::{Deserialize, Serialize};

/// The first bytes of a compiled knowledge base.
const MAGIC: &[u8; 8] = b"OPINIOKB";

/// The layout of the body; raised when it changes within one version of Opinio.
const FORMAT: u32 = 1;

/// Why bytes could not be read back as a compiled knowledge base
/// ([`KnowledgeBase::from_compiled`]), or a knowledge base could not be written as bytes
/// ([`KnowledgeBase::to_compiled`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum CompiledError {
    /// The bytes do not start as a compiled knowledge base does.
    #[error("the bytes are not a compiled Opinio knowledge base")]
    #[diagnostic(
        code(opinio::not_compiled),
        help("give the bytes `KnowledgeBase::to_compiled` wrote")
    )]
    NotCompiled,
    /// The bytes were written by another version of Opinio, or in another format.
    #[error(
        "the compiled knowledge base was written by Opinio {found} (format {found_format}), \
         not by this Opinio {expected} (format {expected_format})"
    )]
    #[diagnostic(
        code(opinio::compiled_by_another_version),
        help("compile the knowledge base again with this version, or load its files")
    )]
    OtherVersion {
        /// The version that wrote the bytes.
        found: String,
        /// The format number of the bytes.
        found_format: u32,
        /// This library's version.
        expected: String,
        /// This library's format number.
        expected_format: u32,
    },
    /// The header is right but the body cannot be read (cut short, altered, or bytes left over).
    #[error("the compiled knowledge base is damaged: {0}")]
    #[diagnostic(
        code(opinio::compiled_damaged),
        help("compile the knowledge base again, or load its files")
    )]
    Damaged(String),
    /// The knowledge base could not be written (a value the encoding cannot hold).
    #[error("the knowledge base cannot be compiled: {0}")]
    #[diagnostic(code(opinio::cannot_compile))]
    Unwritable(String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
}

/// The body as written: borrowed from the knowledge base.
#[derive(Serialize)]
struct BodyOut<'a> {
    files: Vec<(&'a str, &'a str)>,
    program: &'a Program,
    #[serde(serialize_with = "sorted_masks")]
    masks: &'a MaskSets,
    /// The warnings as JSON: a diagnostic's serde form is its JSON form (a remedy is an
    /// internally tagged enum), which postcard cannot read back; warnings are few.
    warnings: String,
}

/// The body as read (the same fields, in the same order, owned).
#[derive(Deserialize)]
struct BodyIn {
    files: Vec<(String, String)>,
    program: Program,
    masks: MaskSets,
    warnings: String,
}

/// The masks sorted by predicate, each predicate's masks sorted (a map of sequences, read
/// back as a map of sets): the same masks give the same bytes whatever order their hash tables
/// hold them in.
fn sorted_masks<S: serde::Serializer>(masks: &MaskSets, s: S) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<_> = masks
        .iter()
        .map(|(pred, set)| {
            let mut set: Vec<_> = set.iter().copied().collect();
            set.sort_unstable();
            (*pred, set)
        })
        .collect();
    entries.sort_unstable_by_key(|(pred, _)| *pred);
    s.collect_map(entries)
}

impl KnowledgeBase {
    /// This knowledge base as bytes that [`KnowledgeBase::from_compiled`] reads back without
    /// parsing or checking: its files' names and texts, the checked program, the index masks
    /// and the warnings (not the positions compiled for evaluation: those are compiled on
    /// first use, as after loading). The bytes hold for this version of Opinio only.
    ///
    /// ```
    /// use opinio::KnowledgeBase;
    ///
    /// let kb = KnowledgeBase::bundled()?;
    /// let bytes = kb.to_compiled()?;
    /// let again = KnowledgeBase::from_compiled(&bytes)?;
    /// assert_eq!(again.content_hash(), kb.content_hash());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CompiledError::Unwritable`] when a value cannot be encoded (not expected for a
    /// knowledge base that loaded).
    pub fn to_compiled(&self) -> Result<Vec<u8>, CompiledError> {
        let unwritable = |e: &dyn std::fmt::Display| CompiledError::Unwritable(e.to_string());
        let inner = &*self.inner;
        let files = (0..inner.sources.len())
            .filter_map(|i| {
                let id = crate::source::FileId(u32::try_from(i).ok()?);
                inner.sources.get(id)
            })
            .map(|f| (f.name.as_str(), &*f.text))
            .collect();
        let warnings = serde_json::to_string(&inner.warnings).map_err(|e| unwritable(&e))?;
        let header = Header {
            format: FORMAT,
            version: KnowledgeBase::version().to_string(),
        };
        let body = BodyOut {
            files,
            program: &inner.program,
            masks: &inner.masks,
            warnings,
        };
        let mut out = MAGIC.to_vec();
        out.extend(postcard::to_allocvec(&header).map_err(|e| unwritable(&e))?);
        out.extend(postcard::to_allocvec(&body).map_err(|e| unwritable(&e))?);
        Ok(out)
    }

    /// Reads back a knowledge base that [`KnowledgeBase::to_compiled`] wrote, in a fraction
    /// of the time loading its files takes: it answers, explains and reports exactly as the
    /// knowledge base that was written (the same texts, program, warnings and content hash).
    ///
    /// The bytes must come from the same version of Opinio (see
    /// [`KnowledgeBase::version`]): the encoding follows the library's types. Bad bytes are
    /// an error, never a panic.
    ///
    /// # Errors
    ///
    /// [`CompiledError::NotCompiled`] when the bytes do not start as a compiled knowledge base,
    /// [`CompiledError::OtherVersion`] when another version (or format) wrote them, and
    /// [`CompiledError::Damaged`] when the rest cannot be read.
    pub fn from_compiled(bytes: &[u8]) -> Result<KnowledgeBase, CompiledError> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or(CompiledError::NotCompiled)?;
        let (header, rest) =
            postcard::take_from_bytes::<Header>(rest).map_err(|_| CompiledError::NotCompiled)?;
        if header.format != FORMAT || header.version != KnowledgeBase::version() {
            return Err(CompiledError::OtherVersion {
                found: header.version,
                found_format: header.format,
                expected: KnowledgeBase::version().to_string(),
                expected_format: FORMAT,
            });
        }
        let damaged = |e: &dyn std::fmt::Display| CompiledError::Damaged(e.to_string());
        let (body, rest) = postcard::take_from_bytes::<BodyIn>(rest).map_err(|e| damaged(&e))?;
        if !rest.is_empty() {
            return Err(CompiledError::Damaged(format!(
                "{} bytes after the end",
                rest.len()
            )));
        }
        let warnings: Vec<Diagnostic> =
            serde_json::from_str(&body.warnings).map_err(|e| damaged(&e))?;
        let mut sources = SourceMap::new();
        for (name, text) in body.files {
            sources.add(name, text);
        }
        let compiled = (0..body.program.positions.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(KnowledgeBase {
            inner: std::sync::Arc::new(KbInner {
                plans: crate::eval::RulePlans::new(&body.program),
                cones: super::ConeCompilations::default(),
                sources,
                program: body.program,
                compiled,
                masks: body.masks,
                warnings,
                id: super::next_id(),
                hash: std::sync::OnceLock::new(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> KnowledgeBase {
        KnowledgeBase::from_strings([(
            "mini.opinio",
            "source law \"A law\".\n\
             type Person.\n\
             predicate citizen(p: Person) means \"p is a citizen\".\n\
             predicate voter(p: Person) means \"p may vote\".\n\
             rule citizens_vote: voter(P) if citizen(P) cites law \"s. 1\".\n",
        )])
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let kb = small();
        let bytes = kb.to_compiled().unwrap_or_else(|e| panic!("{e}"));
        let again = KnowledgeBase::from_compiled(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.content_hash(), kb.content_hash());
        assert_eq!(again.to_compiled().ok(), Some(bytes));
        assert_ne!(again.id(), kb.id());
    }

    #[test]
    fn knows_the_bundled_texts() {
        let bundled = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
        assert!(bundled.has_bundled_texts());
        assert!(!small().has_bundled_texts());
        // The same files with one byte more in the last one are not the bundled texts.
        let mut files = crate::kb::bundled_files();
        if let Some(last) = files.last_mut() {
            last.text.push('\n');
        }
        let changed = KnowledgeBase::from_files(files).unwrap_or_else(|e| panic!("{e}"));
        assert!(!changed.has_bundled_texts());
    }

    #[test]
    fn refuses_other_bytes() {
        assert_eq!(
            KnowledgeBase::from_compiled(b"").err(),
            Some(CompiledError::NotCompiled)
        );
        assert_eq!(
            KnowledgeBase::from_compiled(b"not a knowledge base at all").err(),
            Some(CompiledError::NotCompiled)
        );
        let mut other = MAGIC.to_vec();
        let header = Header {
            format: FORMAT,
            version: "0.0.0-other".to_string(),
        };
        other.extend(postcard::to_allocvec(&header).unwrap_or_default());
        assert!(matches!(
            KnowledgeBase::from_compiled(&other),
            Err(CompiledError::OtherVersion { found, .. }) if found == "0.0.0-other"
        ));
    }

    #[test]
    fn refuses_damaged_bytes_without_panicking() {
        let bytes = small().to_compiled().unwrap_or_else(|e| panic!("{e}"));
        let header_end = MAGIC.len() + 2 + KnowledgeBase::version().len();
        // Every prefix past the header is cut short; every extension has bytes left over.
        for cut in header_end..bytes.len() {
            assert!(
                matches!(
                    KnowledgeBase::from_compiled(bytes.get(..cut).unwrap_or_default()),
                    Err(CompiledError::Damaged(_))
                ),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            KnowledgeBase::from_compiled(&longer),
            Err(CompiledError::Damaged(_))
        ));
        // Altered bytes are an error or a knowledge base, never a panic.
        for i in header_end..bytes.len() {
            let mut altered = bytes.clone();
            if let Some(b) = altered.get_mut(i) {
                *b ^= 0xa5;
            }
            let _ = KnowledgeBase::from_compiled(&altered);
        }
    }
}
