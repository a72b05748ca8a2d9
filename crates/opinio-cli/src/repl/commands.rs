//! The commands of the interactive session: names, arguments and one-line descriptions,
//! shared by `:help`, the dispatcher and tab completion.

/// What a command's argument is, for completion and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// No argument.
    None,
    /// A question such as `violates_sovereignty(notpetya, V)`.
    Goal,
    /// A fact such as `not consented(ukraine, op)`.
    Fact,
    /// A position's name.
    Position,
    /// Part of a predicate or rule name.
    Pattern,
    /// A file name.
    File,
    /// `[PREDICATE] [FILE]`.
    Graph,
    /// A command name.
    Command,
    /// A date (`2017-06-27`), `operation`, or `off`.
    Date,
}

/// One command of the session, as `:help`, completion and hints show it.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// Its name, typed after `:`.
    pub name: &'static str,
    /// Its arguments as `:help` shows them (`GOAL`, `[NAME]`), empty if none.
    pub args: &'static str,
    /// What it does, in one line.
    pub about: &'static str,
    /// What its argument is.
    pub arg: ArgKind,
    /// Other names that run the same command.
    pub aliases: &'static [&'static str],
    /// A longer explanation for `:help NAME`.
    pub detail: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "help",
        args: "[COMMAND]",
        about: "list the commands, or explain one (`:help interview`)",
        arg: ArgKind::Command,
        aliases: &["h", "?"],
        detail: "Without a name, lists every command. With a name, explains that command.",
    },
    CommandInfo {
        name: "why",
        args: "[-d N] GOAL",
        about: "explain an answer: the rules, facts and sources behind it",
        arg: ArgKind::Goal,
        aliases: &["explain"],
        detail: "Starts with a summary (the answer, the rule that decided it, and why it is unknown if it is), then shows the answer as an indented tree: each line is a legal conclusion or a fact, with its value and the rule (and the sources it cites) or the fact that decided it. For an unknown answer it also lists the missing facts and the open points of law that can change it. `-d N` shows N levels of the tree. With a variable (`:why violates_sovereignty(notpetya, V)`), each answer is explained.",
    },
    CommandInfo {
        name: "whynot",
        args: "GOAL",
        about: "explain why a conclusion does not hold, or is not established",
        arg: ArgKind::Goal,
        aliases: &[],
        detail: "For a conclusion you expected to hold: shows, for every rule that could have reached it, the element that failed (false) or that is still open (unknown). If the conclusion does hold, says so and shows why.",
    },
    CommandInfo {
        name: "missing",
        args: "[--all] GOAL",
        about: "the smallest sets of facts that would settle an open answer, each way",
        arg: ArgKind::Goal,
        aliases: &[],
        detail: "For an answer that is unknown: the facts nobody has stated that it rests on, and the smallest combinations of them that would make it true, or false (each checked by evaluating again). Where the law itself is unsettled, says that facts alone cannot settle it. The lists stop at 5 sets each way and 14 facts tried, and say so; `--all` lifts those caps.",
    },
    CommandInfo {
        name: "assume",
        args: "FACT",
        about: "state a fact for argument's sake, even a conclusion (`:assume attributable(op, russia)`)",
        arg: ArgKind::Fact,
        aliases: &[],
        detail: "States a fact like typing it does, and also accepts conclusions of the rules: `:assume attributable(op, russia)` sets the rules aside for that conclusion and takes it as true (`:assume not ...` as false). Explanations then say \"stipulated\". `:retract` withdraws it.",
    },
    CommandInfo {
        name: "retract",
        args: "FACT",
        about: "withdraw a fact stated earlier",
        arg: ArgKind::Fact,
        aliases: &["forget"],
        detail: "Withdraws a fact stated earlier (typed, assumed, answered in an interview or loaded from a file). Afterwards nothing is stated about it: it is unknown, or false if what is not stated is false for that kind of fact.",
    },
    CommandInfo {
        name: "position",
        args: "[NAME]",
        about: "show the position the answers follow, or change it (`:position uk`)",
        arg: ArgKind::Position,
        aliases: &[],
        detail: "A position is a reading of the law: the majority of the Tallinn Manual 2.0 experts (the default), or a State's published view. What a State's view does not address is taken from the default, and explanations say so.",
    },
    CommandInfo {
        name: "positions",
        args: "",
        about: "list the positions: the Tallinn Manual majority and States' published views",
        arg: ArgKind::None,
        aliases: &[],
        detail: "Lists every position with the document it encodes; the one the answers follow is marked with `*`.",
    },
    CommandInfo {
        name: "as-of",
        args: "[DATE|operation|off]",
        about: "ask as of a date: positions published later are left out (`:as-of 2017-06-27`, `:as-of off`)",
        arg: ArgKind::Date,
        aliases: &["asof"],
        detail: "Sets the date the answers are given as of: `:as-of 2017-06-27`, `:as-of operation` for the date of the operation the facts date with `occurred_on`, `:as-of off` for today. Positions published after the date are left out of `:compare`; an element of a position resting on a later statement is marked. No answer ever changes with the date: a State's later statement is still its view of the law. With no argument, shows the date in use. A date that cannot be used (`:as-of operation` when no operation, or several, are dated with `occurred_on`) is refused and the date in use is kept; if the facts change so that the operation's date can no longer be found, questions are refused until `:as-of off` (or a date) is given.",
    },
    CommandInfo {
        name: "compare",
        args: "GOAL",
        about: "the answer under every position, in one table",
        arg: ArgKind::Goal,
        aliases: &[],
        detail: "One row per position: the value, and the rule that decided it. \"inherited\" means the position says nothing of its own on the point and the default view applies.",
    },
    CommandInfo {
        name: "interview",
        args: "GOAL",
        about: "answer questions, one at a time, until the answer is settled",
        arg: ArgKind::Goal,
        aliases: &[],
        detail: "Asks about the facts the answer still depends on, one at a time and most decisive first, in the words of the knowledge base. Answer yes, no, unknown (nobody can tell: recorded as unknown) or skip (leave it open for now); stop ends the interview. Your answers become facts of the session. Ends with the verdict and its explanation.",
    },
    CommandInfo {
        name: "facts",
        args: "",
        about: "list the facts stated so far, and where they come from",
        arg: ArgKind::None,
        aliases: &[],
        detail: "Lists every fact of the session, grouped by the file it was loaded from or marked as stated in this session.",
    },
    CommandInfo {
        name: "rules",
        args: "[PATTERN]",
        about: "what you can state and what the rules conclude; with a name, the rules themselves",
        arg: ArgKind::Pattern,
        aliases: &["vocabulary"],
        detail: "Without a pattern: the facts a scenario can state and the conclusions the rules draw, each with its meaning. With a pattern (`:rules sovereignty`): every fact, conclusion or rule whose name contains it, with its meaning, its sources and the text of the rules in force.",
    },
    CommandInfo {
        name: "sources",
        args: "",
        about: "the legal sources the rules cite",
        arg: ArgKind::None,
        aliases: &[],
        detail: "Lists the treaties, judgments, manuals and State statements the knowledge base cites, with the short names used in explanations.",
    },
    CommandInfo {
        name: "load",
        args: "FILE",
        about: "add the facts of a scenario file (`:load notpetya.opinio`)",
        arg: ArgKind::File,
        aliases: &["l"],
        detail: "Adds the facts of a scenario file (`.opinio`, or `.json`) to the session. Nothing is added if the file has a mistake; the problem is shown.",
    },
    CommandInfo {
        name: "reload",
        args: "",
        about: "read the knowledge base and the loaded files again (typed facts are kept)",
        arg: ArgKind::None,
        aliases: &[],
        detail: "Reads the knowledge base and the scenario files loaded so far again, then restates the facts typed in this session. If anything fails, the session stays as it was.",
    },
    CommandInfo {
        name: "save",
        args: "FILE",
        about: "write the session's facts to a scenario file",
        arg: ArgKind::File,
        aliases: &["w"],
        detail: "Writes every fact of the session to a scenario file (`.opinio` is added when the name has no extension). The file is written in full or not at all; a link is followed, and the file replaced keeps its permissions. A file the session did not load or save is not replaced unless you type `:save! FILE`.",
    },
    CommandInfo {
        name: "clear",
        args: "",
        about: "withdraw every fact and start a new case",
        arg: ArgKind::None,
        aliases: &[],
        detail: "Withdraws every fact of the session. The position stays as it is.",
    },
    CommandInfo {
        name: "graph",
        args: "[PREDICATE] [FILE]",
        about: "how the conclusions depend on each other, as a picture",
        arg: ArgKind::Graph,
        aliases: &[],
        detail: "Writes the dependency graph of the rules under the current position as a picture (SVG, which a web browser opens) to FILE, or, with no file, to a new file `opinio-graph-PREDICATE.svg` (or `opinio-graph-all.svg`) in the current folder, never replacing one. A FILE ending in `.dot` gets Graphviz's DOT instead, grouped by area of law. Boxes are conclusions, rounded boxes facts a scenario states, dashed arrows read under `not` or `unless`; a legend says so. With a predicate, only what it rests on and what rests on it.",
    },
    CommandInfo {
        name: "report",
        args: "FILE [GOAL]",
        about: "write a legal memo on the session's facts (`memo.html` or `memo.md`)",
        arg: ArgKind::File,
        aliases: &[],
        detail: "Writes the memo `opinio report` writes, for the facts of the session under the current position: the question presented (GOAL, or else the questions of the loaded files' `expect` statements), the short answer, the facts as stated, the analysis element by element with its authorities as footnotes, the positions side by side, what would change the answer, and what it was computed with. `memo.html` gives one self-contained page that prints well; any other name Markdown. The file is written in full or not at all.",
    },
    CommandInfo {
        name: "quit",
        args: "",
        about: "leave the session (you are offered to save unsaved facts)",
        arg: ArgKind::None,
        aliases: &["q", "exit"],
        detail: "Leaves the session. Ctrl-D does the same; Ctrl-C only cancels the line being typed, or stops the question being answered.",
    },
];

/// The command named `name` (or one of its aliases).
pub fn find(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// The command a typed name runs: as [`find`], and also `save!` (`:save!` replaces a file
/// the session did not load or save).
pub fn find_typed(name: &str) -> Option<&'static CommandInfo> {
    find(name).or_else(|| {
        name.strip_suffix('!')
            .and_then(find)
            .filter(|c| c.name == "save")
    })
}

/// Splits `:name rest` into the name and the trimmed rest.
pub fn split(line: &str) -> (&str, &str) {
    let body = line.trim().trim_start_matches(':');
    match body.find(char::is_whitespace) {
        Some(i) => (&body[..i], body[i..].trim()),
        None => (body, ""),
    }
}

/// `:help`: every command with its one-line description, and how to state and ask.
pub fn help_text() -> String {
    let mut out = String::new();
    out.push_str("State facts and ask questions:\n");
    let examples = [
        ("state(ukraine).", "state a fact (end it with a full stop)"),
        (
            "not consented(ukraine, op).",
            "state that something is not the case",
        ),
        (
            "unknown knew_of(russia, op).",
            "record that nobody can tell",
        ),
        ("? violates_sovereignty(op, ukraine)", "ask a question"),
        (
            "? violates_sovereignty(op, V)",
            "a capital letter asks \"for which V?\"",
        ),
    ];
    for (e, what) in examples {
        out.push_str(&format!("  {e:<38} {what}\n"));
    }
    out.push_str("\nCommands:\n");
    let width = COMMANDS
        .iter()
        .map(|c| usage(c).chars().count())
        .max()
        .unwrap_or(10);
    for c in COMMANDS {
        out.push_str(&format!("  {:<width$}  {}\n", usage(c), c.about));
    }
    out.push_str(
        "\nGOAL is a question such as `violates_sovereignty(notpetya, ukraine)`; FACT is a fact \
such as `organ_of(gru, russia)`.\nTab completes commands, names and files; a statement without \
its final `.` continues on the next line (press Enter on an empty line to give up on it).\n",
    );
    out
}

/// `:help NAME`.
pub fn help_for(c: &CommandInfo) -> String {
    let mut out = format!("{}  {}\n\n{}\n", usage(c), c.about, c.detail);
    if !c.aliases.is_empty() {
        let names: Vec<String> = c.aliases.iter().map(|a| format!(":{a}")).collect();
        out.push_str(&format!("Also: {}\n", names.join(", ")));
    }
    out
}

/// How a command is typed: `:why GOAL`.
pub fn usage(c: &CommandInfo) -> String {
    if c.args.is_empty() {
        format!(":{}", c.name)
    } else {
        format!(":{} {}", c.name, c.args)
    }
}

/// Every command name and alias, for "did you mean".
pub fn all_names() -> impl Iterator<Item = &'static str> {
    COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let mut names: Vec<&str> = all_names().collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "a name or alias is used twice");
        assert_eq!(find("q").map(|c| c.name), Some("quit"));
        assert_eq!(find("whynot").map(|c| c.name), Some("whynot"));
        assert!(find("nope").is_none());
        assert_eq!(find_typed("save!").map(|c| c.name), Some("save"));
        assert_eq!(find_typed("w!").map(|c| c.name), Some("save"));
        assert!(find_typed("why!").is_none());
    }

    #[test]
    fn split_separates_name_and_argument() {
        assert_eq!(split(":why  state(x) "), ("why", "state(x)"));
        assert_eq!(split(":facts"), ("facts", ""));
    }

    #[test]
    fn help_lists_every_command() {
        let h = help_text();
        for c in COMMANDS {
            assert!(
                h.contains(&format!(":{}", c.name)),
                "{} missing from :help",
                c.name
            );
        }
    }
}
