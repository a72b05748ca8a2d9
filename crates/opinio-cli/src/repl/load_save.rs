//! The session's files: `:load`, `:reload` and `:save`, and the offer to save at the end.
//! A file the session neither loaded nor saved is replaced only when asked (`:save!`).

use super::session::{fact_key, plural, FactKey, Session, Status};
use crate::files::write_atomically;
use std::io::Write;
use std::path::{Path, PathBuf};

impl Session {
    /// Loads a scenario file; `false` (with the problem shown) if it could not be.
    pub fn load(&mut self, path: &Path, out: &mut dyn Write) -> bool {
        let before = self.scenario.facts().len();
        let before_expect = self.scenario.expectations().len();
        match self.scenario.load_file(path) {
            Ok(warnings) => {
                let new = self.scenario.facts().len() - before;
                let keys: Vec<FactKey> = self
                    .scenario
                    .facts()
                    .iter()
                    .map(|f| fact_key(&self.scenario, f))
                    .collect();
                self.saved.extend(keys);
                self.files.push(path.to_path_buf());
                self.own_files.insert(file_identity(path));
                let mut msg = format!(
                    "Loaded {new} {} from {}.",
                    plural(new, "fact", "facts"),
                    path.display()
                );
                let ne = self.scenario.expectations().len() - before_expect;
                if ne > 0 {
                    msg.push_str(&format!(
                        " It also states {ne} {} (`opinio test {}` checks them).",
                        plural(ne, "expectation", "expectations"),
                        path.display()
                    ));
                }
                self.say(out, &msg);
                self.show_diagnostics(out, &warnings);
                true
            }
            Err(e) => {
                self.show_load_error(out, &e);
                self.say(
                    out,
                    "Nothing from the file was added; the session is as it was.",
                );
                false
            }
        }
    }

    /// `:reload`: reads the knowledge base and the files again and restates the typed facts;
    /// all or nothing.
    pub(super) fn reload(&mut self, out: &mut dyn Write) -> Status {
        let kb = match self.args.load() {
            Ok(kb) => kb,
            Err(e) => {
                self.show_load_error(out, &e);
                self.say(
                    out,
                    "The knowledge base could not be read again; the session is as it was.",
                );
                return Status::Failed;
            }
        };
        let mut fresh = Session::new(&kb, self.args.clone());
        fresh.colour = self.colour;
        // The Ctrl-C handler holds this session's token.
        fresh.cancel = self.cancel.clone();
        fresh.scenario.set_cancel(Some(self.cancel.clone()));
        fresh.own_files = self.own_files.clone();
        fresh.entries = self.entries;
        let mut sink = Vec::new();
        for f in &self.files {
            if !fresh.load(f, &mut sink) {
                self.say(out, String::from_utf8_lossy(&sink).trim_end());
                self.say(out, "The session is as it was before `:reload`.");
                return Status::Failed;
            }
        }
        if !self.typed.is_empty() {
            let typed = self.typed.join("\n");
            if let Err(e) = fresh.scenario.add_text("<typed>", &typed) {
                self.show_load_error(out, &e);
                self.say(out, "The facts typed in this session no longer fit; the session is as it was before `:reload`.");
                return Status::Failed;
            }
        }
        fresh.typed = self.typed.clone();
        fresh.saved = self.saved.clone();
        let name = self.position_name().to_string();
        let note = match fresh.scenario.position_id(Some(&name)) {
            Ok(p) => {
                fresh.position = p;
                String::new()
            }
            Err(_) => format!(
                " The position {name} no longer exists; the answers follow {}.",
                fresh.position_name()
            ),
        };
        let nf = self.files.len();
        let n = fresh.scenario.facts().len();
        *self = fresh;
        self.say(
            out,
            &format!(
                "Reloaded the knowledge base and {nf} scenario {}: {n} {}.{note}",
                plural(nf, "file", "files"),
                plural(n, "fact", "facts")
            ),
        );
        Status::Done
    }

    /// `:save FILE` and `:save! FILE`.
    pub(super) fn save_command(&mut self, arg: &str, replace: bool, out: &mut dyn Write) -> Status {
        if arg.is_empty() {
            return self.usage_error(out, "save", "my_case.opinio");
        }
        match self.save(arg, replace) {
            Ok((n, name)) => {
                self.say(
                    out,
                    &format!("Saved {n} {} to {name}.", plural(n, "fact", "facts")),
                );
                Status::Done
            }
            Err(e) => {
                self.say(out, &e);
                Status::Failed
            }
        }
    }

    /// The file `:save NAME` writes (`.opinio` added to a name without extension, unless the
    /// name is a folder, which `save` then refuses), and its name as shown.
    /// A name that cannot be a file name (an unclosed quote, an unknown escape) is the
    /// `Err`, in words.
    fn save_target(name: &str) -> Result<(PathBuf, String), String> {
        let name = file_argument(name)?;
        let mut path = expand_path(&name);
        let mut shown = name;
        if path.extension().is_none() && !path.is_dir() {
            path.set_extension("opinio");
            shown.push_str(".opinio");
        }
        Ok((path, shown))
    }

    /// If saving to `name` would replace a file this session neither loaded nor saved, that
    /// file's name as shown.
    pub fn would_replace(&self, name: &str) -> Option<String> {
        // A name that is no file name replaces nothing: `save` says what is wrong with it.
        let (path, shown) = Session::save_target(name).ok()?;
        let exists = std::fs::metadata(&path).is_ok_and(|m| !m.is_dir());
        (exists && !self.own_files.contains(&file_identity(&path))).then_some(shown)
    }

    /// Writes the session's facts to a scenario file, in full or not at all (through a link,
    /// to the file it points to; keeping the permissions of the file replaced). A file the
    /// session neither loaded nor saved is replaced only with `replace` (`:save!`). The number
    /// of facts and the file's name as written, or what went wrong.
    pub fn save(&mut self, name: &str, replace: bool) -> Result<(usize, String), String> {
        if self.scenario.is_empty() {
            return Err("There is nothing to save yet: no fact has been stated.".to_string());
        }
        let (path, shown) = Session::save_target(name)?;
        if path.is_dir() {
            return Err(format!(
                "{shown} is a folder; give a file name such as {shown}/case.opinio."
            ));
        }
        if !replace {
            if let Some(shown) = self.would_replace(name) {
                return Err(format!(
                    "{shown} already exists, and this session did not load or save it: nothing was written. To replace it, type `:save! {}`; to keep it, save under another name.",
                    name.trim()
                ));
            }
        }
        // Over a file the session loaded, what the reader wrote there (the narrative in its
        // comments, its layout) is kept; the facts stated since follow at the end.
        let identity = file_identity(&path);
        let text = self
            .files
            .iter()
            .rev()
            .find(|f| file_identity(f) == identity)
            .and_then(|f| self.scenario.to_text_over(&f.display().to_string()))
            .unwrap_or_else(|| self.scenario.to_text());
        write_atomically(&path, &text).map_err(|e| {
            format!(
                "Could not save to {shown}: {}. Nothing was written.",
                opinio::kb::files::io_words(&e)
            )
        })?;
        self.own_files.insert(file_identity(&path));
        self.saved = self
            .scenario
            .facts()
            .iter()
            .map(|f| fact_key(&self.scenario, f))
            .collect();
        Ok((self.scenario.facts().len(), shown))
    }

    /// The question asked at the end of a terminal session when facts are in no file, if any.
    pub fn save_offer(&self) -> Option<String> {
        let n = self.unsaved();
        (n > 0).then(|| {
            format!(
                "You have {n} unsaved {}. Save {} to a file? (file name / Enter to discard) ",
                plural(n, "fact", "facts"),
                plural(n, "it", "them")
            )
        })
    }
}

/// What tells two names of one file apart from two files: the full path, links followed.
impl Session {
    /// Why `:report` or `:graph` may not write `what` (a memo, a graph) to `path`, if it may
    /// not: the name of one of Opinio's own files (`.opinio`: scenarios and knowledge-base
    /// files alike, `--extend` ones included), or a file loaded in this session, whatever its
    /// name. A memo written there replaced the scenario, comments and all.
    pub(super) fn refused_output(
        &self,
        path: &Path,
        shown: &str,
        what: &str,
        example: &str,
    ) -> Option<String> {
        if self.files.iter().any(|f| crate::files::same_file(f, path)) {
            return Some(format!(
                "`{shown}` is a file loaded in this session: writing the {what} there would replace it. Give the {what} another name, such as `{example}`."
            ));
        }
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("opinio"))
            .then(|| {
                format!(
                    "`{shown}` is named as a scenario or knowledge file (`.opinio`): a {what} written there would replace one. Give the {what} another name, such as `{example}`."
                )
            })
    }
}

fn file_identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// A file name given to a command, as typed: between double quotes it is read as a quoted
/// name of the language is (`\"` for a double quote, `\\` for a backslash), so that
/// `:save "q\"x.opinio"` writes `q"x.opinio`; between single quotes, as it is; otherwise the
/// whole text, spaces and all (`:load my case.opinio`). A quote left open, an escape the
/// language does not know, text after the closing quote or a control character is refused
/// with what to write instead: they used to be written into the file's name (`q\"x.opinio`).
pub(super) fn file_argument(arg: &str) -> Result<String, String> {
    let arg = arg.trim();
    if !arg.starts_with('"') {
        // Unquoted: the whole text is the name, spaces and all.
        let name = single_quoted(arg);
        no_control_character(name)?;
        return Ok(name.to_string());
    }
    let (name, rest) = first_file_word(arg)?;
    if name.trim().is_empty() {
        return Err(
            "The file name between the quotes is empty: give one, such as `\"my case.opinio\"`."
                .to_string(),
        );
    }
    if !rest.is_empty() {
        return Err(format!(
            "`{rest}` follows the file name's closing quote: give one file name, such as `\"my case.opinio\"`."
        ));
    }
    Ok(name)
}

/// `'x'` → `x`: single quotes around a name are taken as a shell would take them, without
/// escapes.
fn single_quoted(s: &str) -> &str {
    s.strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(s)
}

/// The first file name of a command's argument and what follows it (`:report FILE GOAL`): a
/// name between double quotes as a quoted name of the language is read, or else the first
/// word.
pub(super) fn first_file_word(arg: &str) -> Result<(String, &str), String> {
    let arg = arg.trim();
    let Some(quoted) = arg.strip_prefix('"') else {
        let (word, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
        let word = single_quoted(word);
        no_control_character(word)?;
        return Ok((word.to_string(), rest.trim()));
    };
    let mut name = String::new();
    let mut chars = quoted.char_indices();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                end = Some(i + 1);
                break;
            }
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('"') => name.push('"'),
                Some('\\') => name.push('\\'),
                // Known escapes, refused below as control characters.
                Some('n') => name.push('\n'),
                Some('t') => name.push('\t'),
                Some(other) => {
                    return Err(format!(
                        "`\\{other}` in a quoted file name is not an escape Opinio knows: between double quotes, write `\\\"` for a double quote and `\\\\` for a backslash."
                    ))
                }
                None => break,
            },
            c => name.push(c),
        }
    }
    let Some(end) = end else {
        return Err(
            "The file name opens a double quote but does not close it: write the name between two quotes, such as `\"my case.opinio\"`, or without quotes.".to_string(),
        );
    };
    no_control_character(&name)?;
    Ok((name, quoted.get(end..).unwrap_or("").trim()))
}

/// A control character (a tab, a line break, `\n` between quotes) is refused in a file name:
/// the messages that name the file would print it raw.
fn no_control_character(name: &str) -> Result<(), String> {
    match name.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "A file name cannot hold the control character U+{:04X}: retype the name without it.",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// `~/x` → the home folder's `x`.
pub(super) fn expand_path(s: &str) -> PathBuf {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("~/") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    PathBuf::from(s)
}
