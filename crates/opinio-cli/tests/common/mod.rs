//! Helpers shared by the integration tests (`mod common;` in each test file that uses them).

#![allow(dead_code, reason = "each test file uses some of these helpers")]

pub mod tmux;

use std::path::Path;

/// A new temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"))
}

/// Writes `text` to `path`, creating the folders above it.
pub fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
