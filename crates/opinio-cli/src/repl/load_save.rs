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
    fn save_target(name: &str) -> (PathBuf, String) {
        let name = name.trim();
        let mut path = expand_path(name);
        let mut shown = name.trim_matches('"').trim_matches('\'').to_string();
        if path.extension().is_none() && !path.is_dir() {
            path.set_extension("opinio");
            shown.push_str(".opinio");
        }
        (path, shown)
    }

    /// If saving to `name` would replace a file this session neither loaded nor saved, that
    /// file's name as shown.
    pub fn would_replace(&self, name: &str) -> Option<String> {
        let (path, shown) = Session::save_target(name);
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
        let (path, shown) = Session::save_target(name);
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
fn file_identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `~/x` → the home folder's `x`; surrounding quotes are dropped.
pub(super) fn expand_path(s: &str) -> PathBuf {
    let s = s.trim().trim_matches('"').trim_matches('\'');
    if let Some(rest) = s.strip_prefix("~/") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    PathBuf::from(s)
}
