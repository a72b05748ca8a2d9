//! A piece of input as a [`ReplCommand`], and the one `match` that runs each: the session's
//! command dispatch. Names, arguments and help texts are in [`super::commands`].

use super::commands;
use super::input;
use super::load_save::{expand_path, file_argument};
use super::session::{How, Input, Session, Status};
use opinio::diagnostic::suggest;
use std::io::Write;

/// What one piece of input asks for. Arguments are the trimmed text after the command's name
/// (empty when none was given; a command that takes none ignores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplCommand<'a> {
    /// Statements to state: facts and expectations (`state(ukraine).`).
    State(&'a str),
    /// `? GOAL`.
    Ask(&'a str),
    /// `:help [COMMAND]`.
    Help(&'a str),
    /// `:why GOAL`.
    Why(&'a str),
    /// `:whynot GOAL`.
    WhyNot(&'a str),
    /// `:missing GOAL`.
    Missing(&'a str),
    /// `:assume FACT`.
    Assume(&'a str),
    /// `:retract FACT`.
    Retract(&'a str),
    /// `:position [NAME]`.
    Position(&'a str),
    /// `:positions`.
    Positions,
    /// `:as-of [DATE|operation|off]`.
    AsOf(&'a str),
    /// `:compare GOAL`.
    Compare(&'a str),
    /// `:interview GOAL`.
    Interview(&'a str),
    /// `:facts`.
    Facts,
    /// `:rules [PATTERN]`.
    Rules(&'a str),
    /// `:sources`.
    Sources,
    /// `:load FILE`.
    Load(&'a str),
    /// `:reload`.
    Reload,
    /// `:save FILE`, or with `replace` `:save! FILE` (which may replace a file the session
    /// did not load or save).
    Save {
        /// The file, as typed.
        file: &'a str,
        /// Whether it was `:save!`.
        replace: bool,
    },
    /// `:clear`.
    Clear,
    /// `:graph [PREDICATE] [FILE]`.
    Graph(&'a str),
    /// `:report FILE [GOAL]`.
    Report(&'a str),
    /// `:quit`.
    Quit,
    /// A bare word such as `help` or `quit`, answered with a hint.
    Hint(&'static str),
    /// `:NAME` where no command has that name.
    NoSuchCommand(&'a str),
}

impl<'a> ReplCommand<'a> {
    /// The command a piece of input is: a command after `:`, a question after `?`, and
    /// otherwise statements.
    pub fn parse(text: &'a str) -> ReplCommand<'a> {
        let trimmed = text.trim();
        if let Some(rest) = trimmed.strip_prefix(':') {
            let (name, arg) = commands::split(rest);
            return ReplCommand::named(name, arg);
        }
        if let Some(hint) = input::bare_word_hint(trimmed) {
            return ReplCommand::Hint(hint);
        }
        if let Some(goal) = trimmed.strip_prefix('?') {
            return ReplCommand::Ask(goal.trim());
        }
        if input::is_trailing_question(trimmed) {
            return ReplCommand::Ask(trimmed.trim_end_matches('?').trim());
        }
        ReplCommand::State(text)
    }

    /// The command `:name arg`, by its name or an alias.
    fn named(name: &'a str, arg: &'a str) -> ReplCommand<'a> {
        let Some(c) = commands::find_typed(name) else {
            return ReplCommand::NoSuchCommand(name);
        };
        match c.name {
            "help" => ReplCommand::Help(arg),
            "why" => ReplCommand::Why(arg),
            "whynot" => ReplCommand::WhyNot(arg),
            "missing" => ReplCommand::Missing(arg),
            "assume" => ReplCommand::Assume(arg),
            "retract" => ReplCommand::Retract(arg),
            "position" => ReplCommand::Position(arg),
            "positions" => ReplCommand::Positions,
            "as-of" => ReplCommand::AsOf(arg),
            "compare" => ReplCommand::Compare(arg),
            "interview" => ReplCommand::Interview(arg),
            "facts" => ReplCommand::Facts,
            "rules" => ReplCommand::Rules(arg),
            "sources" => ReplCommand::Sources,
            "load" => ReplCommand::Load(arg),
            "reload" => ReplCommand::Reload,
            "save" => ReplCommand::Save {
                file: arg,
                replace: name.ends_with('!'),
            },
            "clear" => ReplCommand::Clear,
            "graph" => ReplCommand::Graph(arg),
            "report" => ReplCommand::Report(arg),
            "quit" => ReplCommand::Quit,
            _ => ReplCommand::NoSuchCommand(name),
        }
    }
}

impl Session {
    /// Runs one command; `input` reads the answers of an interview.
    pub(super) fn run_command(
        &mut self,
        command: ReplCommand<'_>,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        match command {
            ReplCommand::State(text) => self.state_text(text, How::Typed, out),
            ReplCommand::Ask(goal) => self.ask(goal, out),
            ReplCommand::Help(topic) => self.help(topic, out),
            ReplCommand::Why(goal) => self.why(goal, false, out),
            ReplCommand::WhyNot(goal) => self.why(goal, true, out),
            ReplCommand::Missing(goal) => self.missing(goal, out),
            ReplCommand::Assume(fact) => self.assume(fact, out),
            ReplCommand::Retract(fact) => self.retract(fact, out),
            ReplCommand::Position(name) => self.set_position(name, out),
            ReplCommand::Positions => self.positions(out),
            ReplCommand::AsOf(arg) => self.set_as_of(arg, out),
            ReplCommand::Compare(goal) => self.compare(goal, out),
            ReplCommand::Interview(goal) => self.interview(goal, out, input),
            ReplCommand::Facts => self.list_facts(out),
            ReplCommand::Rules(pattern) => self.rules(pattern, out),
            ReplCommand::Sources => self.sources(out),
            ReplCommand::Load(file) => {
                if file.is_empty() {
                    return self.usage_error(out, "load", "notpetya.opinio");
                }
                let name = match file_argument(file) {
                    Ok(name) => name,
                    Err(e) => {
                        self.say(out, &e);
                        return Status::Failed;
                    }
                };
                if self.load(&expand_path(&name), out) {
                    Status::Done
                } else {
                    Status::Failed
                }
            }
            ReplCommand::Reload => self.reload(out),
            ReplCommand::Save { file, replace } => self.save_command(file, replace, out),
            ReplCommand::Clear => self.clear(out),
            ReplCommand::Graph(arg) => self.graph(arg, out),
            ReplCommand::Report(arg) => self.report(arg, out),
            ReplCommand::Quit => Status::Quit,
            ReplCommand::Hint(hint) => {
                self.say(out, hint);
                Status::Failed
            }
            ReplCommand::NoSuchCommand(name) => {
                let help = match suggest::did_you_mean(name, commands::all_names()) {
                    Some(s) => format!("did you mean `:{s}`? (`:help` lists the commands)"),
                    None => "`:help` lists the commands.".to_string(),
                };
                self.say(out, &format!("There is no command `:{name}`; {help}"));
                Status::Failed
            }
        }
    }

    /// `:help [COMMAND]`: every command, or one explained.
    fn help(&self, topic: &str, out: &mut dyn Write) -> Status {
        if topic.is_empty() {
            self.say(out, &commands::help_text());
            return Status::Done;
        }
        match commands::find(topic.trim_start_matches(':')) {
            Some(c) => {
                self.say(out, &commands::help_for(c));
                Status::Done
            }
            None => {
                self.say(
                    out,
                    &format!("There is no command `:{topic}`; `:help` lists them."),
                );
                Status::Failed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_parses_into_commands() {
        assert_eq!(
            ReplCommand::parse("state(a)."),
            ReplCommand::State("state(a).")
        );
        assert_eq!(
            ReplCommand::parse(" ? state(X) "),
            ReplCommand::Ask("state(X)")
        );
        assert_eq!(
            ReplCommand::parse(":explain a(b)"),
            ReplCommand::Why("a(b)")
        );
        assert_eq!(ReplCommand::parse(":facts extra"), ReplCommand::Facts);
        assert_eq!(
            ReplCommand::parse(":save! x.opinio"),
            ReplCommand::Save {
                file: "x.opinio",
                replace: true
            }
        );
        assert_eq!(
            ReplCommand::parse("violates_sovereignty(op, x)?"),
            ReplCommand::Ask("violates_sovereignty(op, x)")
        );
        assert_eq!(
            ReplCommand::parse("help"),
            ReplCommand::Hint(input::bare_word_hint("help").unwrap_or_default())
        );
        assert_eq!(
            ReplCommand::parse(":nope"),
            ReplCommand::NoSuchCommand("nope")
        );
    }
}
