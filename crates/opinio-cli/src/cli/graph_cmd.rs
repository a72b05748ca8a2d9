//! `opinio graph [PREDICATE]`: the rule dependency graph of a position, as a picture (SVG
//! laid out in Rust) or as Graphviz DOT, on standard output or into a file.

use crate::graph::DependencyGraph;
use crate::options::KbArgs;
use crate::style::print_load_error;
use clap::ValueEnum;
use opinio::diagnostic::suggest;
use std::path::PathBuf;
use std::process::ExitCode;

/// How `opinio graph` draws.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A picture any web browser opens, with a legend; laid out without Graphviz.
    Svg,
    /// Graphviz's DOT text, one cluster per area of law, for `dot -Tsvg` or `dot -Tpdf`.
    Dot,
}

/// Runs `opinio graph`: exit code 1 if the knowledge base, the position or the predicate
/// is not found, or the file cannot be written.
pub fn run(
    args: &KbArgs,
    predicate: Option<&str>,
    position: Option<&str>,
    format: Option<GraphFormat>,
    output: Option<&PathBuf>,
) -> ExitCode {
    if let Some(out) = output.filter(|o| o.as_os_str() != "-") {
        if let Some(law) = crate::files::clobbered_input(out, &args.files_on_disk()) {
            eprintln!(
                "error: `{}` is a file of the knowledge base (`{}`): writing the graph there would destroy it\n  help: give another file for the graph, e.g. `-o graph.svg`",
                out.display(),
                law.display()
            );
            return ExitCode::from(1);
        }
    }
    let kb = match args.load() {
        Ok(kb) => kb,
        Err(e) => {
            print_load_error(&e);
            return ExitCode::from(1);
        }
    };
    let program = kb.program();
    let pos = match opinio::Scenario::new(&kb).position_id(position) {
        Ok(p) => p,
        Err(e) => return super::args::report_error(&e),
    };
    let around = match predicate {
        None => None,
        Some(name) => match program.predicate_id(name) {
            Some(p) => Some(p),
            None => {
                let help = suggest::help_with(
                    name,
                    program.predicates.iter().map(|p| p.name.as_str()),
                    "the REPL's `:rules` lists the names",
                );
                eprintln!("error: no fact or conclusion is named `{name}`\n  help: {help}");
                return ExitCode::from(1);
            }
        },
    };
    let extension = output
        .filter(|o| o.as_os_str() != "-")
        .and_then(|o| o.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let format = match (format, extension.as_deref()) {
        (Some(f), _) => f,
        (None, Some("dot" | "gv")) => GraphFormat::Dot,
        (None, None | Some("svg")) => GraphFormat::Svg,
        // A file named `graph.png` holding SVG text opens as a broken image.
        (None, Some(other)) => {
            eprintln!(
                "error: Opinio does not write `.{other}` files: the graph is SVG (`.svg`) or Graphviz DOT (`.dot`)\n  help: name the file `.svg` or `.dot`, or give `--format svg` to write SVG under this name; an SVG converts to other formats with tools such as `rsvg-convert` or a browser"
            );
            return ExitCode::from(1);
        }
    };
    let graph = DependencyGraph::new(&kb, pos, around);
    let text = match format {
        GraphFormat::Svg => graph.to_svg(),
        GraphFormat::Dot => graph.to_dot(),
    };
    match output {
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            ExitCode::SUCCESS
        }
        Some(path) => match crate::files::write_atomically(path, &text) {
            Ok(()) => {
                eprintln!(
                    "wrote {} ({} predicates, {} links)",
                    path.display(),
                    graph.nodes.len(),
                    graph.edges.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write `{}`: {}; nothing was written\n  help: {}",
                    path.display(),
                    crate::files::write_words(&e),
                    crate::files::write_help(&e)
                );
                ExitCode::from(1)
            }
        },
    }
}
