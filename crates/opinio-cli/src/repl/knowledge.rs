//! Browsing the knowledge base: `:position`, `:positions`, `:sources`, `:rules` and
//! `:graph`.

use super::load_save::{expand_path, file_argument, first_file_word};
use super::session::{plural, Session, Status};
use crate::files::write_atomically;
use opinio::diagnostic::suggest;
use opinio::program::{PosId, PredId, TypeKind};
use std::collections::BTreeSet;
use std::io::Write;

impl Session {
    /// `:position [NAME]`: shows the position the answers follow, or changes it.
    /// `:as-of [DATE|operation|off]`: sets (or shows) the date the answers are given as of. The
    /// date is kept in the session's options, so `:reload` keeps it.
    pub(super) fn set_as_of(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        let wanted = match arg.trim() {
            "" => self.args.as_of,
            "off" | "today" | "none" => None,
            text => match text.parse::<opinio::AsOf>() {
                Ok(a) => Some(a),
                Err(e) => {
                    self.say(
                        out,
                        &format!("`{text}` is not a date: {e}. Write `:as-of 2017-06-27`, `:as-of operation` or `:as-of off`. {}", self.as_of_kept()),
                    );
                    return Status::Failed;
                }
            },
        };
        // The new date is tried before it is kept: "as of the operation" with no dated
        // operation (or several) would otherwise stay set and refuse every later question.
        let previous = self.scenario.as_of();
        self.scenario.set_as_of(wanted);
        let date = match self.scenario.as_of_date() {
            Ok(d) => d,
            Err(e) => {
                // Shown before the previous date is put back: its help reads the date tried.
                self.show_error(out, &e);
                self.scenario.set_as_of(previous);
                if arg.trim().is_empty() {
                    // `:as-of` alone asked what is in use: it is what fails.
                    self.say(out, "`:as-of off` answers as of today again.");
                } else {
                    self.say(out, &self.as_of_kept());
                }
                return Status::Failed;
            }
        };
        self.args.as_of = wanted;
        let text = match date {
            None => "Answers are given as of today: every position is shown.".to_string(),
            Some(d) => {
                let later = self.scenario.positions_published_after(d);
                let mut t = format!("Answers are given as of {}.", d.in_words());
                if !later.is_empty() {
                    t.push_str(&format!(" Not yet published then: {}.", later.join(", ")));
                }
                let current = &self.scenario.program().position(self.position).name;
                if later.iter().any(|p| p == current) {
                    t.push_str(&format!(
                        "\nThe answers follow {current}, which was not yet published then: questions are refused until you choose another position (`:position NAME`) or `:as-of off`."
                    ));
                }
                t
            }
        };
        self.say(out, &text);
        Status::Done
    }

    /// After a refused `:as-of`: the date still in use, in words, and how to go back to today.
    fn as_of_kept(&self) -> String {
        match self.scenario.as_of_date() {
            Ok(Some(d)) => format!(
                "The answers are still given as of {} (`:as-of off` gives them as of today).",
                d.in_words()
            ),
            // Nothing usable is set: as of today, or an operation's date that the facts no
            // longer give (then questions are refused until `:as-of off`).
            Ok(None) => "The answers are still given as of today.".to_string(),
            Err(_) => {
                "The date in use cannot be found either: `:as-of off` answers as of today again."
                    .to_string()
            }
        }
    }

    pub(super) fn set_position(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        // A name between double quotes is read as the language reads one: `:position "uk"`
        // is `uk`.
        let unquoted = match first_file_word(arg) {
            Ok((name, "")) if arg.trim_start().starts_with('"') => Some(name),
            _ => None,
        };
        let arg = unquoted.as_deref().unwrap_or(arg);
        if !arg.is_empty() {
            match self.scenario.position_id(Some(arg)) {
                Ok(p) => self.position = p,
                Err(e) => {
                    self.show_error(out, &e);
                    return Status::Failed;
                }
            }
        }
        let program = self.scenario.program();
        let pos = program.position(self.position);
        let mut text = if arg.is_empty() {
            format!("The answers follow the position {}", pos.name)
        } else {
            format!("The answers now follow the position {}", pos.name)
        };
        if let Some(m) = &pos.meaning {
            text.push_str(&format!(": {m}"));
        }
        text.push('.');
        if !pos.citations.is_empty() {
            text.push_str("\nIt encodes:");
            for c in &pos.citations {
                text.push_str(&format!("\n  - {}", program.source(c.source).title));
            }
        }
        if let Some(parent) = pos.parent {
            text.push_str(&format!(
                "\nWhere it is silent, the {} view applies.",
                program.position(parent).name
            ));
        }
        if let Some(d) = pos.date {
            text.push_str(&format!("\nPublished on {}.", d.in_words()));
        }
        if let (Ok(Some(as_of)), Some(d)) = (self.scenario.as_of_date(), pos.date) {
            if d > as_of {
                text.push_str(&format!(
                    "\nAnswers are given as of {}, before it was published: questions under it are refused until `:as-of off` or a later date.",
                    as_of.in_words()
                ));
            }
        }
        if arg.is_empty() {
            text.push_str("\n`:position NAME` changes it; `:positions` lists them.");
        }
        self.say(out, &text);
        Status::Done
    }

    /// `:positions`: every position with its meaning; the one followed marked `*`.
    pub(super) fn positions(&mut self, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        let names = self.scenario.knowledge_base().position_names();
        let width = names.iter().map(|n| n.len()).max().unwrap_or(8);
        self.say(out, "Positions (the answers follow the one marked *):");
        for name in names {
            let Some(id) = program.position_id(name) else {
                continue;
            };
            let p = program.position(id);
            let mark = if id == self.position { '*' } else { ' ' };
            let mut meaning = p.meaning.clone().unwrap_or_default();
            if p.is_default {
                meaning.push_str(" [default]");
            }
            self.say(out, &format!("{mark} {name:<width$}  {meaning}"));
        }
        self.say(
            out,
            "`:position NAME` changes it; `:compare GOAL` shows a question under every position.",
        );
        Status::Done
    }

    /// `:sources`: the legal sources the rules cite.
    pub(super) fn sources(&mut self, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        let width = program
            .sources
            .iter()
            .map(|s| s.key.len())
            .max()
            .unwrap_or(4);
        self.say(
            out,
            "Sources cited by the rules (the short name is used in explanations):",
        );
        for s in &program.sources {
            self.say(out, &format!("  {:<width$}  {}", s.key, s.title));
        }
        Status::Done
    }

    /// `:rules [PATTERN]`: the vocabulary, or the predicates and rules whose name contains a pattern.
    pub(super) fn rules(&mut self, pattern: &str, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        if pattern.is_empty() {
            for (title, derived) in [
                (
                    "Facts you can state (`:rules NAME` shows one in full):",
                    false,
                ),
                (
                    "Conclusions the rules draw (`:rules NAME` shows the rules behind one):",
                    true,
                ),
            ] {
                self.say(out, title);
                let mut preds: Vec<&opinio::program::PredInfo> = program
                    .predicates
                    .iter()
                    .filter(|p| p.derived == derived)
                    .collect();
                preds.sort_by(|a, b| a.name.cmp(&b.name));
                for p in preds {
                    let slots: Vec<&str> = p.slots.iter().map(|s| s.name.as_str()).collect();
                    let meaning = p.meaning.as_deref().unwrap_or("");
                    self.say(
                        out,
                        &format!("  {}({}) — {meaning}", p.name, slots.join(", ")),
                    );
                }
                self.say(out, "");
            }
            self.say(
                out,
                &format!(
                    "{} {} in force under {}.",
                    program.position(self.position).rules.len(),
                    plural(program.position(self.position).rules.len(), "rule", "rules"),
                    self.position_name()
                ),
            );
            return Status::Done;
        }
        let pattern = pattern.trim();
        let pos = program.position(self.position);
        let preds: Vec<PredId> = (0..program.predicates.len())
            .map(PredId::from_index)
            .filter(|p| program.predicate(*p).name.contains(pattern))
            .collect();
        let shown_rules: BTreeSet<usize> = preds
            .iter()
            .flat_map(|p| {
                pos.rules
                    .iter()
                    .filter(move |r| program.rule(**r).head.pred == *p)
                    .map(|r| r.index())
            })
            .collect();
        let other_rules: Vec<usize> = pos
            .rules
            .iter()
            .map(|r| r.index())
            .filter(|r| !shown_rules.contains(r))
            .filter(|r| {
                program
                    .rules
                    .get(*r)
                    .is_some_and(|x| x.name.contains(pattern))
            })
            .collect();
        if preds.is_empty() && other_rules.is_empty() {
            let names = program
                .predicates
                .iter()
                .map(|p| p.name.as_str())
                .chain(program.rules.iter().map(|r| r.name.as_str()));
            let help = suggest::help_with(pattern, names, "`:rules` lists what there is");
            self.say(
                out,
                &format!("No fact, conclusion or rule has `{pattern}` in its name; {help}"),
            );
            return Status::Failed;
        }
        let mut first = true;
        for p in &preds {
            if !first {
                self.say(out, "");
            }
            first = false;
            self.say(out, &self.predicate_text(*p));
        }
        if !other_rules.is_empty() {
            if !first {
                self.say(out, "");
            }
            self.say(out, &format!("Rules whose name contains `{pattern}`:"));
            for r in other_rules {
                self.say(out, &self.rule_text(opinio::program::RuleId::from_index(r)));
            }
        }
        Status::Done
    }

    /// A predicate in full: its slots, meaning, sources, notes and the rules that conclude it.
    fn predicate_text(&self, p: PredId) -> String {
        let program = self.scenario.program();
        let info = program.predicate(p);
        let slots: Vec<String> = info
            .slots
            .iter()
            .map(|s| format!("{}: {}", s.name, program.type_info(s.ty).name))
            .collect();
        let kind = if info.derived { "conclusion" } else { "fact" };
        let mut out = format!("{}({})  [{kind}]\n", info.name, slots.join(", "));
        if let Some(m) = &info.meaning {
            out.push_str(&format!("  means: {m}\n"));
        }
        if !info.derived {
            if info.closed {
                out.push_str("  what is not stated is false (the facts of what happened are described in full)\n");
            } else {
                out.push_str("  what is not stated is unknown\n");
            }
            if info.functional {
                out.push_str("  at most one value of its last argument can be true\n");
            }
        }
        if !info.citations.is_empty() {
            let cites: Vec<String> = info
                .citations
                .iter()
                .map(|c| program.cite_text(c))
                .collect();
            out.push_str(&format!("  sources: {}\n", cites.join("; ")));
        }
        for n in &info.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
        for s in &info.slots {
            if let TypeKind::Enumerated { values, .. } = &program.type_info(s.ty).kind {
                let v: Vec<&str> = values.iter().map(|v| program.interner.name(*v)).collect();
                out.push_str(&format!("  {}: one of {}\n", s.name, v.join(", ")));
            }
        }
        if info.derived {
            let pos = program.position(self.position);
            let rules: Vec<_> = pos
                .rules
                .iter()
                .filter(|r| program.rule(**r).head.pred == p)
                .collect();
            if rules.is_empty() {
                out.push_str(&format!("  no rule concludes it under {}\n", pos.name));
            } else {
                out.push_str(&format!("  rules in force under {}:\n", pos.name));
                for r in rules {
                    out.push_str(&self.rule_text(*r));
                    out.push('\n');
                }
            }
            let mut withdrawn: Vec<(&String, PosId)> = pos
                .withdrawals
                .iter()
                .filter(|(name, _)| {
                    program
                        .rules
                        .iter()
                        .any(|r| &r.name == *name && r.head.pred == p)
                })
                .map(|(name, w)| (name, w.by))
                .collect();
            withdrawn.sort();
            for (name, by) in withdrawn {
                out.push_str(&format!(
                    "  rule {name} is withdrawn by {}\n",
                    program.position(by).name
                ));
            }
        }
        out.trim_end().to_string()
    }

    /// A rule's text as written, indented, with the position it comes from if not this one.
    fn rule_text(&self, r: opinio::program::RuleId) -> String {
        let program = self.scenario.program();
        let rule = program.rule(r);
        let text = self.scenario.sources().snippet(rule.span);
        let origin = program.position(rule.origin);
        let from = if origin.is_default || rule.origin == self.position {
            String::new()
        } else {
            format!("    (from the {} position)\n", origin.name)
        };
        if text.is_empty() {
            return format!("{from}    rule {}", rule.name);
        }
        let body: Vec<String> = text
            .lines()
            .map(|l| format!("    {}", l.trim_end()))
            .collect();
        // Continuation lines of a rule are indented in the file; keep their relative indent.
        format!("{from}{}", dedent(&body).join("\n"))
    }

    /// `:graph [PREDICATE] [FILE]`: the dependency graph in Graphviz DOT, printed or written to a file.
    pub(super) fn graph(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        // `:graph [PREDICATE] [FILE]`: the file is the rest of the line, read as `:save` reads
        // its file (`my graph.svg` spaces and all, or between double quotes).
        let arg = arg.trim();
        let (pred, file) = if arg.is_empty() || arg.starts_with(['"', '\'']) {
            (None, (!arg.is_empty()).then_some(arg))
        } else {
            let (w, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
            let rest = rest.trim();
            if let Some(p) = program.predicate_id(w) {
                (Some(p), (!rest.is_empty()).then_some(rest))
            } else if w.contains('.') || w.contains('/') {
                (None, Some(arg))
            } else {
                let help = suggest::help_with(
                    w,
                    program.predicates.iter().map(|p| p.name.as_str()),
                    "`:rules` lists the names",
                );
                self.say(
                    out,
                    &format!("No fact or conclusion is named `{w}`; {help}"),
                );
                return Status::Failed;
            }
        };
        let d =
            crate::graph::DependencyGraph::new(self.scenario.knowledge_base(), self.position, pred);
        let (nodes, edges, text) = (d.nodes.len(), d.edges.len(), d.to_dot());
        // Without a file, the graph goes to a new file in the current folder, not into the
        // session: a hundred lines of DOT mean nothing to a reader. An existing file is never
        // replaced by this default.
        let file: String = match file {
            Some(f) => f.to_string(),
            None => {
                let stem = pred.map_or("all", |p| program.predicate(p).name.as_str());
                match free_file_name(&format!("opinio-graph-{stem}")) {
                    Some(name) => name,
                    None => {
                        self.say(out, "Could not find a free file name for the graph: give one, `:graph [PREDICATE] FILE`.");
                        return Status::Failed;
                    }
                }
            }
        };
        // A quoted name is read as `:save` reads one (`"my graph.svg"` without its quotes).
        let file = match file_argument(&file) {
            Ok(f) => f,
            Err(e) => {
                self.say(out, &e);
                return Status::Failed;
            }
        };
        let f = file.as_str();
        let path = expand_path(f);
        if let Some(why) = self.refused_output(&path, f, "graph", "graph.svg") {
            self.say(out, &why);
            return Status::Failed;
        }
        // A picture (SVG, for a web browser) unless the file asks for Graphviz's DOT.
        let dot = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("dot") || e.eq_ignore_ascii_case("gv"));
        let text = if dot { text } else { d.to_svg() };
        match write_atomically(&path, &text) {
            Ok(()) => {
                let how = if dot {
                    // Quoted for a shell when the name needs it (`'my graph.dot'`).
                    let shell = shlex::try_quote(f).unwrap_or(std::borrow::Cow::Borrowed(f));
                    format!("draw it with Graphviz: dot -Tsvg {shell} -o graph.svg")
                } else {
                    "open it in a web browser".to_string()
                };
                self.say(
                    out,
                    &format!(
                        "Wrote the graph ({nodes} {}, {edges} {}) to {f}; {how}.",
                        plural(nodes, "name", "names"),
                        plural(edges, "link", "links")
                    ),
                );
                Status::Done
            }
            Err(e) => {
                self.say(
                    out,
                    &format!(
                        "Could not write {f}: {}. Nothing was written.",
                        opinio::kb::files::io_words(&e)
                    ),
                );
                Status::Failed
            }
        }
    }
}

/// Removes the common leading blanks beyond the first line's indentation.
fn dedent(lines: &[String]) -> Vec<String> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let base = first.len() - first.trim_start().len();
    let rest_min = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(base);
    let extra = rest_min.saturating_sub(base + 2);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || extra == 0 {
                l.clone()
            } else {
                let cut = extra.min(l.len() - l.trim_start().len());
                l.get(cut..).unwrap_or(l).to_string()
            }
        })
        .collect()
}

/// `STEM.dot`, or `STEM-2.dot`, `STEM-3.dot`, … : the first that does not exist in the current
/// folder (`None` after a thousand).
fn free_file_name(stem: &str) -> Option<String> {
    (1..1000)
        .map(|i| match i {
            1 => format!("{stem}.svg"),
            _ => format!("{stem}-{i}.svg"),
        })
        .find(|n| !std::path::Path::new(n).exists())
}
