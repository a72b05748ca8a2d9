//! The terminal front end in a pseudo-terminal, as a scholar meets it: what the line editor
//! shows while a statement is pending, and the hints for words typed without their colon.
#![cfg(unix)]

use rexpect::session::{spawn_command, PtySession};
use std::process::Command;

fn opinio() -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opinio"));
    cmd.env("OPINIO_HISTORY", "off")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    let mut p = spawn_command(cmd, Some(30_000)).expect("the REPL starts in a pseudo-terminal");
    p.exp_string("opinio (tallinn2)> ").expect("first prompt");
    p
}

#[test]
fn an_unfinished_statement_shows_a_continuation_prompt_and_completes_on_the_next_line() {
    let mut p = opinio();
    p.send_line("state(arcadia)").expect("send");
    p.exp_string("...> ").expect("continuation prompt");
    p.send_line(".").expect("send");
    p.exp_string("noted: state(arcadia) is true")
        .expect("the joined statement is stated");
    p.exp_string("opinio (tallinn2)> ")
        .expect("back to the main prompt");
    p.send_line(":quit").expect("send");
    p.exp_string("Save it to a file?")
        .expect("the offer to save");
    p.send_line("").expect("discard");
    p.exp_eof().expect("ends");
}

#[test]
fn a_pending_statement_is_dropped_by_ctrl_c_and_said_so() {
    let mut p = opinio();
    p.send_line("operation(op").expect("send");
    p.exp_string("...> ").expect("continuation prompt");
    p.send_control('c').expect("ctrl-c");
    p.exp_string("the unfinished statement was dropped")
        .expect("said");
    p.exp_string("opinio (tallinn2)> ")
        .expect("main prompt again");
    p.send_line(":facts").expect("send");
    p.exp_string("No facts").expect("nothing was stated");
    p.send_line(":quit").expect("send");
    p.exp_eof().expect("ends");
}

#[test]
fn bare_help_and_quit_get_hints_in_a_terminal() {
    let mut p = opinio();
    p.send_line("help").expect("send");
    p.exp_string(":help").expect("points to :help");
    p.exp_string("opinio (tallinn2)> ").expect("prompt");
    p.send_line("quit").expect("send");
    p.exp_string(":quit").expect("points to :quit");
    p.exp_string("opinio (tallinn2)> ").expect("prompt");
    p.send_line(":quit").expect("send");
    p.exp_eof().expect("ends");
}
