//! Loads the knowledge base bundled in `opinio` (parsed and checked by the library itself) and
//! writes it compiled (`KnowledgeBase::to_compiled`) to `OUT_DIR/knowledge.bin`, which
//! `src/lib.rs` includes. A knowledge base that does not load writes an empty file: the
//! library then loads the texts at run time and reports the errors as it always does.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let bytes = match opinio::KnowledgeBase::bundled() {
        Ok(kb) => match kb.to_compiled() {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("cargo:warning=the bundled knowledge base is loaded at run time: {e}");
                Vec::new()
            }
        },
        Err(e) => {
            println!("cargo:warning=the bundled knowledge base does not load: {e}");
            Vec::new()
        }
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("knowledge.bin");
    if let Err(e) = std::fs::write(&out, bytes) {
        panic!("cannot write {}: {e}", out.display());
    }
}
