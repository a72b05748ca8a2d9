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

/// Runs `f` on a new thread with a stack of `bytes` and returns what it returns; panics,
/// naming `what`, if `f` panics or the thread cannot start. The stack size is what a test of
/// deep input means: Opinio must not overflow it.
pub fn on_stack<T: Send + 'static>(
    bytes: usize,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .unwrap_or_else(|e| panic!("{e}"))
        .join()
        .unwrap_or_else(|_| panic!("{what} crashed"))
}

/// A knowledge base of one transitive closure: `path` over the `edge`s of a chain.
pub const CLOSURE: &str = "source s \"S\".
type Node.
predicate edge(a: Node, b: Node) closed means \"a link\".
predicate path(a: Node, b: Node) means \"a chain of links\".
rule step: path(X, Y) if edge(X, Y) cites s \"1\".
rule chain: path(X, Z) if edge(X, Y) and path(Y, Z) cites s \"2\".
";

/// A chain of `n` links: its transitive closure has n(n+1)/2 paths, over n rounds.
pub fn chain(n: usize) -> String {
    (0..n)
        .map(|i| format!("edge(n{i}, n{}).\n", i + 1))
        .collect()
}
