//! Line editing for the terminal: completion of commands, names, constants, positions and
//! files; hints with a predicate's signature and meaning; highlighting (by
//! [`super::highlight`]); and multi-line input that stays open while a statement is
//! incomplete (judged by the real parser).

use super::catalog::{Catalog, PredEntry};
use super::commands::{self, ArgKind};
use super::highlight::highlight;
use super::input;
use crate::style::palette;
use opinio::fmt::lex::{is_word_char, tokens, TokenKind};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;

/// What a hint shows, and what the right arrow inserts.
pub struct OpinioHint {
    display: String,
    completion: Option<String>,
}

impl Hint for OpinioHint {
    fn display(&self) -> &str {
        &self.display
    }
    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

/// The line editor's helper: completion, hints, highlighting and multi-line validation.
#[derive(Default)]
pub struct OpinioHelper {
    /// The names the session knows; the terminal front end refreshes it after every line.
    pub catalog: Catalog,
    /// Set while an interview waits for an answer: no statement rules apply then.
    pub answering: bool,
    files: FilenameCompleter,
}

impl Helper for OpinioHelper {}

impl OpinioHelper {
    /// A helper that knows the names of `catalog`.
    pub fn new(catalog: Catalog) -> OpinioHelper {
        OpinioHelper {
            catalog,
            answering: false,
            files: FilenameCompleter::new(),
        }
    }

    /// Completion candidates for the word ending at `pos`, with where it starts.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = line.get(..pos).unwrap_or(line);
        if self.answering {
            let start = word_start(before);
            let word = before.get(start..).unwrap_or("");
            let pairs = ["yes", "no", "unknown", "skip", "stop"]
                .iter()
                .filter(|a| a.starts_with(word))
                .map(|a| pair(a, a))
                .collect();
            return (start, pairs);
        }
        let trimmed = before.trim_start();
        let lead = before.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(':') {
            // The command's own name.
            if !rest.contains(char::is_whitespace) {
                let pairs = commands::COMMANDS
                    .iter()
                    .filter(|c| c.name.starts_with(rest))
                    .map(|c| {
                        let space = if c.arg == ArgKind::None { "" } else { " " };
                        pair(&format!(":{}", c.name), &format!(":{}{space}", c.name))
                    })
                    .collect();
                return (lead, pairs);
            }
            let (name, _) = commands::split(rest);
            let Some(cmd) = commands::find_typed(name) else {
                return (pos, Vec::new());
            };
            let start = word_start(before);
            let word = before.get(start..).unwrap_or("");
            let words_before = before.get(..start).unwrap_or("").split_whitespace().count();
            return match cmd.arg {
                ArgKind::None => (pos, Vec::new()),
                ArgKind::Date => (start, matching(["operation", "off"].iter(), word)),
                ArgKind::Position => (start, matching(self.catalog.positions.iter(), word)),
                ArgKind::Command => (
                    start,
                    matching(commands::COMMANDS.iter().map(|c| &c.name), word),
                ),
                ArgKind::Pattern => (
                    start,
                    matching(self.catalog.predicates.iter().map(|p| &p.name), word),
                ),
                ArgKind::File => file_argument_candidates(before),
                ArgKind::Graph => {
                    let path_like = path_word(before);
                    if words_before <= 1 && !path_like.contains(['/', '.']) {
                        (
                            start,
                            matching(self.catalog.predicates.iter().map(|p| &p.name), word),
                        )
                    } else {
                        self.file_candidates(line, pos)
                    }
                }
                ArgKind::Goal | ArgKind::Fact => self.atom_candidates(before),
            };
        }
        self.atom_candidates(before)
    }

    /// `:graph`'s file, a word after the predicate's: completed as rustyline completes a
    /// word of a shell line.
    fn file_candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        self.files
            .complete_path(line, pos)
            .unwrap_or((pos, Vec::new()))
    }

    /// Inside an atom: constants of the slot's type; elsewhere: predicate names (and the
    /// words `not` and `unknown` at the start of a statement).
    fn atom_candidates(&self, before: &str) -> (usize, Vec<Pair>) {
        let start = word_start(before);
        let word = before.get(start..).unwrap_or("");
        if word.starts_with(|c: char| c.is_ascii_uppercase()) {
            return (start, Vec::new()); // a variable: the user's own name
        }
        match atom_context(before.get(..start).unwrap_or("")) {
            Some((pred, slot)) => {
                let consts = match self
                    .catalog
                    .predicate(&pred)
                    .and_then(|p| p.slot_types.get(slot))
                {
                    Some(ty) => self.catalog.constants_of(ty),
                    None => self.catalog.all_constants(),
                };
                let pairs = consts
                    .into_iter()
                    .filter(|c| c.starts_with(word))
                    .map(|c| pair(c, c))
                    .collect();
                (start, pairs)
            }
            None => {
                let mut pairs: Vec<Pair> = self
                    .catalog
                    .predicates
                    .iter()
                    .filter(|p| p.name.starts_with(word))
                    .map(|p| pair(&p.name, &format!("{}(", p.name)))
                    .collect();
                let at_statement_start = before
                    .get(..start)
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches(':')
                    .split_whitespace()
                    .all(|w| commands::find(w).is_some() || w == "?")
                    || before.get(..start).unwrap_or("").trim().ends_with('.');
                if at_statement_start && !word.is_empty() {
                    for kw in ["not", "unknown"] {
                        if kw.starts_with(word) {
                            pairs.push(pair(kw, &format!("{kw} ")));
                        }
                    }
                }
                (start, pairs)
            }
        }
    }

    /// The hint for the line so far (the cursor at its end).
    pub fn hint_for(&self, line: &str) -> Option<OpinioHint> {
        if self.answering || line.trim().is_empty() {
            return None;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(':') {
            if !rest.contains(char::is_whitespace) {
                let matches: Vec<_> = commands::COMMANDS
                    .iter()
                    .filter(|c| c.name.starts_with(rest))
                    .collect();
                if let [c] = matches.as_slice() {
                    let tail = c.name.get(rest.len()..).unwrap_or("").to_string();
                    let args = if c.args.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", c.args)
                    };
                    return Some(OpinioHint {
                        display: truncate(&format!("{tail}{args}  — {}", c.about), 90),
                        completion: (!tail.is_empty()).then_some(tail),
                    });
                }
                return None;
            }
            let (name, arg) = commands::split(rest);
            let cmd = commands::find_typed(name)?;
            if !matches!(cmd.arg, ArgKind::Goal | ArgKind::Fact) {
                if arg.is_empty() && line.ends_with(' ') && !cmd.args.is_empty() {
                    return Some(OpinioHint {
                        display: cmd.args.to_string(),
                        completion: None,
                    });
                }
                return None;
            }
        }
        // Room left on the screen line, assuming a terminal of 100 columns and the prompt.
        let typed = line.rsplit('\n').next().unwrap_or(line).chars().count();
        let room = 100usize.saturating_sub(20 + typed).max(30);
        // Inside an atom: its signature and meaning.
        let start = word_start(line);
        let word = line.get(start..).unwrap_or("");
        if let Some((pred, _)) = atom_context(line.get(..start).unwrap_or("")) {
            let p = self.catalog.predicate(&pred)?;
            return Some(OpinioHint {
                display: truncate(&format!("   {} — {}", p.signature, p.meaning), room),
                completion: None,
            });
        }
        // Typing a name: complete it when only one fits.
        if word.len() >= 2 && word.starts_with(|c: char| c.is_ascii_lowercase()) {
            let matches: Vec<&PredEntry> = self
                .catalog
                .predicates
                .iter()
                .filter(|p| p.name.starts_with(word))
                .collect();
            if let [p] = matches.as_slice() {
                let tail = p.name.get(word.len()..).unwrap_or("");
                let sig = p.signature.get(p.name.len()..).unwrap_or("");
                return Some(OpinioHint {
                    display: truncate(&format!("{tail}{sig} — {}", p.meaning), room),
                    completion: Some(format!("{tail}(")),
                });
            }
        }
        if line.contains('\n') && input::needs_more(line) {
            return Some(OpinioHint {
                display:
                    "   (the statement continues: end it with `.`, or press Enter on an empty line)"
                        .to_string(),
                completion: None,
            });
        }
        None
    }
}

fn pair(display: &str, replacement: &str) -> Pair {
    Pair {
        display: display.to_string(),
        replacement: replacement.to_string(),
    }
}

fn matching<'a, I, S>(items: I, word: &str) -> Vec<Pair>
where
    I: Iterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    items
        .map(|s| s.as_ref())
        .filter(|s| s.starts_with(word))
        .map(|s| pair(s, s))
        .collect()
}

/// Where the name ending at the end of `s` starts.
fn word_start(s: &str) -> usize {
    s.char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

/// The last blank-separated word of `s`.
fn path_word(s: &str) -> &str {
    s.rsplit(char::is_whitespace).next().unwrap_or("")
}

/// If `s` ends inside the parentheses of an atom: the predicate's name and the index of the
/// argument being typed. Quoted texts and comments are skipped.
fn atom_context(s: &str) -> Option<(String, usize)> {
    let mut stack: Vec<(&str, usize)> = Vec::new();
    let mut last_word = "";
    for t in tokens(s) {
        let text = s.get(t.range.start..t.range.end).unwrap_or("");
        match (t.kind, text) {
            (TokenKind::Keyword | TokenKind::Variable | TokenKind::Name, word) => last_word = word,
            (TokenKind::Punct, "(") => stack.push((std::mem::take(&mut last_word), 0)),
            (TokenKind::Punct, ")") => {
                stack.pop();
            }
            (TokenKind::Punct, ",") => {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
            }
            // Any white space may stand between a name and its `(` here.
            (TokenKind::Punct, p) if p.chars().all(char::is_whitespace) => {}
            (TokenKind::Punct, _) => last_word = "",
            (TokenKind::Space | TokenKind::Comment | TokenKind::Text, _) => {}
        }
    }
    stack
        .pop()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, slot)| (name.to_string(), slot))
}

/// `s` cut to at most `max` characters, ending with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Completes the file name of `:load`, `:save` or `:report` (`before`: the line up to the
/// cursor) the way [`super::load_save::file_argument`] reads it back: unquoted, the whole
/// rest of the line is the name, spaces and all, so a candidate is written as it is; between
/// double quotes (typed, or needed because the name starts with a quote or ends in a space),
/// with `\"` and `\\` as the language writes them, and a closing quote after a file. A shell's
/// escapes (`my\ case.opinio`, `\$`) would be read back as part of the name. Returns the byte
/// offset where the replacement starts and the candidates, sorted; files and folders whose
/// names hold control characters (which the commands refuse) or are not UTF-8 are left out,
/// and hidden ones unless their first letter is typed.
fn file_argument_candidates(before: &str) -> (usize, Vec<Pair>) {
    let cmd_end = before.find(char::is_whitespace).unwrap_or(before.len());
    let rest = before.get(cmd_end..).unwrap_or("");
    let arg_start = cmd_end + (rest.len() - rest.trim_start().len());
    let arg = before.get(arg_start..).unwrap_or("");
    if arg.starts_with('\'') {
        return (before.len(), Vec::new());
    }
    let (quoted, typed) = match arg.strip_prefix('"') {
        Some(q) => (true, unescape_typed(q)),
        None => (false, arg.to_string()),
    };
    let (dir, stem) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed.as_str()),
    };
    let folder = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return (before.len(), Vec::new());
    };
    let mut out: Vec<Pair> = Vec::new();
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !name.starts_with(stem)
            || (stem.is_empty() && name.starts_with('.'))
            || name.chars().any(char::is_control)
        {
            continue;
        }
        let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
        let mut path = format!("{dir}{name}");
        if is_dir {
            path.push('/');
        }
        let needs_quotes =
            quoted || path.starts_with(['"', '\'']) || path.ends_with(char::is_whitespace);
        let replacement = if needs_quotes {
            let mut r = String::from("\"");
            for c in path.chars() {
                if c == '"' || c == '\\' {
                    r.push('\\');
                }
                r.push(c);
            }
            if !is_dir {
                r.push('"');
            }
            r
        } else {
            path
        };
        out.push(Pair {
            display: if is_dir { format!("{name}/") } else { name },
            replacement,
        });
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    (arg_start, out)
}

/// A quoted file name as typed so far, its escapes read (`\"` → `"`, `\\` → `\`; an escape
/// not finished yet is dropped).
fn unescape_typed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Completer for OpinioHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for OpinioHelper {
    type Hint = OpinioHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<OpinioHint> {
        if pos < line.len() {
            return None;
        }
        self.hint_for(line)
    }
}

/// Every line is taken as entered: an unfinished statement continues on the next line under
/// a continuation prompt (the terminal front end's loop), which rustyline's own multi-line
/// editing cannot show.
impl Validator for OpinioHelper {
    fn validate(&self, _ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Highlighter for OpinioHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.answering {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(line, &self.catalog))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("{}{hint}{}", palette::DIM, palette::RESET))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        kind == CmdKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog {
            predicates: vec![
                PredEntry {
                    name: "conducted_by".into(),
                    signature: "conducted_by(op: Operation, actor: Actor)".into(),
                    meaning: "the actor carried out the operation".into(),
                    slot_types: vec!["Operation".into(), "Actor".into()],
                },
                PredEntry {
                    name: "consented".into(),
                    signature: "consented(victim: State, op: Operation)".into(),
                    meaning: "the State validly consented to the operation".into(),
                    slot_types: vec!["State".into(), "Operation".into()],
                },
            ],
            constants: vec![
                ("Actor".into(), vec!["gru".into()]),
                ("Operation".into(), vec!["notpetya".into()]),
                ("State".into(), vec!["russia".into(), "ukraine".into()]),
            ],
            positions: vec!["tallinn2".into(), "uk".into()],
        }
    }

    fn replacements(h: &OpinioHelper, line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = h.candidates(line, line.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    /// A completed file name is read back by the command as the very file: unquoted as it is
    /// (spaces and all), quoted with the language's escapes; never a shell's `\ `.
    #[test]
    fn file_names_complete_as_the_commands_read_them() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().to_string_lossy().into_owned();
        for f in [
            "my case.opinio",
            "q\"x.opinio",
            "$cost.opinio",
            ".hidden.opinio",
        ] {
            std::fs::write(dir.path().join(f), "").unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::create_dir(dir.path().join("sub dir")).unwrap_or_else(|e| panic!("{e}"));
        let complete = |line: &str| {
            let (start, pairs) = file_argument_candidates(line);
            assert_eq!(start, line.find(' ').map_or(0, |i| i + 1), "{line}");
            pairs.into_iter().map(|p| p.replacement).collect::<Vec<_>>()
        };
        assert_eq!(
            complete(&format!(":load {d}/my")),
            [format!("{d}/my case.opinio")]
        );
        assert_eq!(
            complete(&format!(":load {d}/$")),
            [format!("{d}/$cost.opinio")]
        );
        assert_eq!(complete(&format!(":load {d}/s")), [format!("{d}/sub dir/")]);
        assert_eq!(
            complete(&format!(":save \"{d}/q")),
            [format!("\"{d}/q\\\"x.opinio\"")]
        );
        assert_eq!(
            complete(&format!(":save \"{d}/q\\\"")),
            [format!("\"{d}/q\\\"x.opinio\"")]
        );
        // Hidden files only when asked for; every name read back as the file it names.
        let all = complete(&format!(":load {d}/"));
        assert_eq!(all.len(), 4, "{all:?}");
        assert_eq!(complete(&format!(":load {d}/.")).len(), 1);
        for r in all.iter().filter(|r| !r.ends_with('/')) {
            let name = super::super::load_save::file_argument(r).unwrap_or_else(|e| panic!("{e}"));
            assert!(std::path::Path::new(&name).is_file(), "{r} -> {name}");
        }
    }

    #[test]
    fn completes_commands_predicates_constants_and_positions() {
        let h = OpinioHelper::new(catalog());
        assert_eq!(
            replacements(&h, ":wh"),
            (0, vec![":why ".into(), ":whynot ".into()])
        );
        assert_eq!(replacements(&h, ":fa"), (0, vec![":facts".into()]));
        assert_eq!(
            replacements(&h, "con"),
            (0, vec!["conducted_by(".into(), "consented(".into()])
        );
        assert_eq!(
            replacements(&h, "? cond"),
            (2, vec!["conducted_by(".into()])
        );
        assert_eq!(
            replacements(&h, "consented(u"),
            (10, vec!["ukraine".into()])
        );
        assert_eq!(
            replacements(&h, "consented(ukraine, n"),
            (19, vec!["notpetya".into()])
        );
        assert_eq!(
            replacements(&h, "conducted_by(notpetya, "),
            (23, vec!["gru".into()])
        );
        assert_eq!(replacements(&h, ":position u"), (10, vec!["uk".into()]));
        assert_eq!(replacements(&h, "no"), (0, vec!["not ".into()]));
        assert_eq!(
            replacements(&h, ":why cons"),
            (5, vec!["consented(".into()])
        );
    }

    #[test]
    fn hints_show_signature_and_meaning() {
        let h = OpinioHelper::new(catalog());
        let inside = h
            .hint_for("consented(ukraine, ")
            .map(|x| x.display)
            .unwrap_or_default();
        assert!(
            inside.starts_with("   consented(victim: State, op: Operation) — the State"),
            "{inside}"
        );
        assert!(
            inside.chars().count() <= 61,
            "the hint fits the line: {inside}"
        );
        let typing = h.hint_for("conduc");
        assert_eq!(
            typing.as_ref().and_then(|x| x.completion.as_deref()),
            Some("ted_by(")
        );
        assert!(h
            .hint_for(":inter")
            .is_some_and(|x| x.display.starts_with("view GOAL")));
    }

    #[test]
    fn atom_context_finds_the_slot() {
        assert_eq!(
            atom_context("consented(ukraine, "),
            Some(("consented".into(), 1))
        );
        assert_eq!(atom_context("consented(ukraine, x). "), None);
        assert_eq!(
            atom_context("not consented("),
            Some(("consented".into(), 0))
        );
    }
}
