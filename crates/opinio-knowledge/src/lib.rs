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

/// The compiled copy, when it can be read and holds exactly the linked library's bundled texts.
pub fn compiled() -> Option<KnowledgeBase> {
    let kb = KnowledgeBase::from_compiled(COMPILED).ok()?;
    kb.has_bundled_texts().then_some(kb)
}
