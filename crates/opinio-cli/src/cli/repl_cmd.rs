//! `opinio repl [-s FILE…]` (and `opinio` with no command): starts a session on the
//! knowledge base, loads the scenario files given, and hands it to the terminal front end,
//! or to the piped one when standard input is not a terminal.

use crate::options::KbArgs;
use crate::repl::{piped, terminal, Session};
use crate::style::{fancy_stdout, print_load_error};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs the session; the exit code is 1 if the knowledge base could not be loaded, or (with
/// piped input) if a scenario file or a line failed.
pub fn run(args: &KbArgs, scenarios: &[PathBuf]) -> ExitCode {
    let kb = match args.load() {
        Ok(kb) => kb,
        Err(e) => {
            print_load_error(&e);
            eprintln!("The knowledge base could not be loaded, so the session cannot start.");
            return ExitCode::from(1);
        }
    };
    let mut session = Session::new(&kb, args.clone());
    session.set_colour(fancy_stdout());
    let is_terminal = std::io::stdin().is_terminal();
    let mut out = std::io::stdout();
    if is_terminal {
        session.say(&mut out, &session.banner());
    }
    let mut failed = false;
    for f in scenarios {
        failed |= !session.load(f, &mut out);
    }
    if is_terminal {
        terminal::run(&mut session);
        ExitCode::SUCCESS
    } else {
        failed |= piped::run(&mut session);
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}
