//! The library's modules depend on each other in one direction only.
//!
//! Data flows one way — source → syntax → check → program → graph → eval → explain → scenario —
//! and the compiler does not enforce that inside one crate. This test reads every `crate::…` path
//! in the library's code (comments and `#[cfg(test)]` blocks left out), maps it to the top-level
//! module it names (through the root's `pub use` re-exports for names like `crate::Scenario`),
//! and fails on a cycle, naming the modules and one line for each edge of it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One `crate::…` reference: the module it names and where it was written.
struct Edge {
    to: String,
    at: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its unit tests (a `#[cfg(test)] mod tests
/// { … }` block at the end; `#[cfg(test)] mod tests;` skips only that line): what the module
/// itself depends on. Unit tests in a file of their own, `tests.rs`, are left out by the
/// caller.
fn code_of(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut skip_next_item = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if skip_next_item && !trimmed.is_empty() {
            skip_next_item = false;
            // `#[cfg(test)] mod tests;`: the tests live in a file of their own (left out by
            // the caller); the rest of this file is still the module's code.
            if trimmed.ends_with(';') {
                continue;
            }
            // `#[cfg(test)] mod tests { … }`: the unit tests, at the end of the file.
            break;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            skip_next_item = true;
            continue;
        }
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        lines.push((i + 1, code.to_string()));
    }
    lines
}

/// `crate::NAME` occurrences in a line of code.
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        // `opinio_crate::` or `$crate::` are not paths into this crate.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: each first segment of the group.
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// The top-level modules (`src/NAME.rs` or `src/NAME/`) and, from `lib.rs`, which module each
/// name re-exported at the root comes from.
fn modules_and_reexports() -> (BTreeSet<String>, BTreeMap<String, String>) {
    let mut modules = BTreeSet::new();
    for e in fs::read_dir(src()).expect("src/ is readable").flatten() {
        let p = e.path();
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if name != "lib" && (p.is_dir() || p.extension().is_some_and(|x| x == "rs")) {
            modules.insert(name);
        }
    }
    let lib = fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs is readable");
    let mut reexports = BTreeMap::new();
    for (_, line) in code_of(&lib) {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module: String = path
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !modules.contains(&module) {
            continue;
        }
        // `pub use m::{A, B};`, `pub use m::x::{A, B as C};` or `pub use m::A;`
        let names = match (path.find('{'), path.find('}')) {
            (Some(a), Some(b)) if a < b => path[a + 1..b].to_string(),
            _ => path.rsplit("::").next().unwrap_or("").to_string(),
        };
        for n in names.split(',') {
            let n = n.trim().trim_end_matches(';');
            let n = n.rsplit(" as ").next().unwrap_or(n).trim();
            if !n.is_empty() {
                reexports.insert(n.to_string(), module.clone());
            }
        }
    }
    (modules, reexports)
}

fn edges() -> BTreeMap<String, Vec<Edge>> {
    let (modules, reexports) = modules_and_reexports();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, Vec<Edge>> =
        modules.iter().map(|m| (m.clone(), Vec::new())).collect();
    for file in files {
        let rel = file.strip_prefix(src()).unwrap_or(&file).to_path_buf();
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        let from = first.trim_end_matches(".rs").to_string();
        // Unit tests may load a knowledge base to test a pass; they are not the module's code.
        let is_unit_tests = rel.file_stem().is_some_and(|s| s == "tests");
        if from == "lib" || is_unit_tests {
            continue;
        }
        let text = fs::read_to_string(&file).expect("source files are readable");
        for (n, line) in code_of(&text) {
            for name in crate_paths(&line) {
                let to = if modules.contains(&name) {
                    name
                } else if let Some(m) = reexports.get(&name) {
                    m.clone()
                } else {
                    continue;
                };
                if to != from {
                    let at = format!("src/{}:{n}: {}", rel.display(), line.trim());
                    graph.entry(from.clone()).or_default().push(Edge { to, at });
                }
            }
        }
    }
    graph
}

/// A cycle in the module graph, as the list of modules on it, if there is one.
fn find_cycle(graph: &BTreeMap<String, Vec<Edge>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    fn visit(
        m: &str,
        graph: &BTreeMap<String, Vec<Edge>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(m.to_string(), Mark::OnPath);
        path.push(m.to_string());
        let targets: BTreeSet<&str> = graph
            .get(m)
            .map(|es| es.iter().map(|e| e.to.as_str()).collect())
            .unwrap_or_default();
        for t in targets {
            match marks.get(t).copied().unwrap_or(Mark::New) {
                Mark::OnPath => {
                    let start = path.iter().position(|p| p == t).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(t.to_string());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(t, graph, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(m.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for m in graph.keys() {
        if marks.get(m).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(m, graph, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_library_modules_form_no_cycle() {
    let graph = edges();
    if let Some(cycle) = find_cycle(&graph) {
        let mut why = String::new();
        for pair in cycle.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let at = graph[a]
                .iter()
                .find(|e| &e.to == b)
                .map(|e| e.at.as_str())
                .unwrap_or("");
            why.push_str(&format!("\n  {a} -> {b}   ({at})"));
        }
        panic!(
            "the library's modules depend on each other in a cycle: {}{why}",
            cycle.join(" -> ")
        );
    }
}

/// The test itself can see a cycle: a self-check on a made-up graph, so that a broken reader
/// cannot pass the real test by finding no edges at all.
#[test]
fn the_cycle_finder_finds_cycles_and_the_reader_finds_edges() {
    let mut g: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    let edge = |to: &str| Edge {
        to: to.to_string(),
        at: String::new(),
    };
    g.insert("a".into(), vec![edge("b")]);
    g.insert("b".into(), vec![edge("c")]);
    g.insert("c".into(), vec![edge("a")]);
    assert_eq!(
        find_cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    g.insert("c".into(), vec![]);
    assert_eq!(find_cycle(&g), None);

    assert_eq!(
        crate_paths("use crate::{syntax::ast, Scenario}; let x = crate::eval::run();"),
        vec!["syntax", "Scenario", "eval"]
    );
    assert!(crate_paths("$crate::x").is_empty());

    let code = code_of("use crate::a;\n#[cfg(test)]\nmod tests;\nuse crate::b;\n#[cfg(test)]\nmod tests {\n    use crate::c;\n}\n");
    let read: Vec<String> = code.iter().flat_map(|(_, l)| crate_paths(l)).collect();
    assert_eq!(
        read,
        ["a", "b"],
        "code after `mod tests;` is read, a tests block is not"
    );

    let real = edges();
    let eval_deps: BTreeSet<&str> = real["eval"].iter().map(|e| e.to.as_str()).collect();
    assert!(
        eval_deps.contains("syntax")
            || eval_deps.contains("program")
            || eval_deps.contains("check"),
        "the evaluator must depend on the program it evaluates: {eval_deps:?}"
    );
}
