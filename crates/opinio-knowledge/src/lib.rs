//! The knowledge base bundled in [`opinio`], checked when this crate is built.
//!
//! [`KnowledgeBase::bundled`] parses and checks the bundled law at every call (about 20 ms in
//! a release build). This crate's build script does that once, when it is built, and keeps the
//! result as bytes ([`KnowledgeBase::to_compiled`]); [`bundled`] reads them back
//! ([`KnowledgeBase::from_compiled`]) in well under a millisecond. The answers, explanations and
//! diagnostics are the same: the bytes hold the texts, the checked program and the warnings.
//!
//! ```
//! let kb = opinio_knowledge::bundled().expect("the bundled knowledge base loads");
//! assert_eq!(
//!     kb.content_hash(),
//!     opinio::KnowledgeBase::bundled().expect("it loads").content_hash()
//! );
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use opinio::{KnowledgeBase, LoadError};

/// The bundled knowledge base as compiled by `build.rs` (empty when it did not load).
static COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/knowledge.bin"));

/// The knowledge base bundled in `opinio`, read from the copy compiled when this crate was
/// built; the same as [`KnowledgeBase::bundled`], only faster.
///
/// When the compiled copy cannot be used, the texts are loaded at run time instead (as
/// [`KnowledgeBase::bundled`] does: slower, with the same result): when it was written by
/// another version of `opinio` than the one linked (see [`KnowledgeBase::from_compiled`]), or
/// when its texts are not the linked library's bundled texts, name for name and byte for byte.
///
/// # Errors
///
/// Those of [`KnowledgeBase::bundled`]: only when the bundled knowledge base itself has
/// errors, and then the compiled copy is empty.
pub fn bundled() -> Result<KnowledgeBase, LoadError> {
    match compiled() {
        Some(kb) => Ok(kb),
        None => KnowledgeBase::bundled(),
    }
}

/// The compiled copy, when it can be read and holds exactly the linked library's bundled texts
/// (`None`: [`bundled`] parses the texts at run time instead).
pub fn compiled() -> Option<KnowledgeBase> {
    usable(COMPILED)
}

/// The knowledge base `bytes` hold, when they are a compiled knowledge base of this version
/// of `opinio` made of exactly its bundled texts.
fn usable(bytes: &[u8]) -> Option<KnowledgeBase> {
    let kb = KnowledgeBase::from_compiled(bytes).ok()?;
    kb.has_bundled_texts().then_some(kb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_copy_is_used() {
        assert!(!COMPILED.is_empty());
        assert!(usable(COMPILED).is_some());
    }

    #[test]
    fn other_bytes_are_not_used() {
        assert!(usable(b"").is_none());
        assert!(usable(b"OPINIOKB and then nothing sensible").is_none());
        assert!(usable(COMPILED.get(..COMPILED.len() / 2).unwrap_or_default()).is_none());
        // A well-formed compiled knowledge base, but not of the bundled texts.
        let other = KnowledgeBase::from_strings([("law.opinio", "type Person.\n")])
            .unwrap_or_else(|e| panic!("{e}"));
        let bytes = other.to_compiled().unwrap_or_else(|e| panic!("{e}"));
        assert!(KnowledgeBase::from_compiled(&bytes).is_ok());
        assert!(usable(&bytes).is_none());
    }
}
