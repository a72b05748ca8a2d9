//! The interactive session in a real pseudo-terminal, driven through tmux: tab completion,
//! multi-line input, Ctrl-C, persistent history and the offer to save at Ctrl-D.
//!
//! Skipped, with a message, when tmux is not installed.

use std::time::Duration;

mod common;
use common::tmux::start;

#[test]
fn completion_multi_line_and_exit_in_a_terminal() {
    let Some(t) = start("terminal", "", "", |_| {}) else {
        return;
    };
    t.wait_text("Type :help for commands");

    // Completion of a command name.
    t.type_text(":fa");
    t.press("Tab");
    t.wait_text("> :facts");
    t.press("Enter");
    t.wait_text("No facts yet.");

    // A fact, then completion of a predicate name (the hint shows its meaning) and a second fact.
    t.type_text("state(ukraine).");
    t.press("Enter");
    t.wait_text("noted: state(ukraine) is true");
    t.type_text("organ_o");
    t.wait_text("the actor is a de jure or de facto organ");
    t.press("Tab");
    t.wait_text("> organ_of(");
    t.type_text("unit_1, ukraine).");
    t.press("Enter");
    t.wait_text("noted: organ_of(unit_1, ukraine) is true");

    // A statement left open continues on the next line.
    t.type_text("operation(");
    t.press("Enter");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !t.screen().contains("noted: operation"),
        "the open statement waits for more"
    );
    t.type_text("op1).");
    t.press("Enter");
    t.wait_text("noted: operation(op1) is true");

    // Completion of a constant of the right type, inside a question.
    t.type_text("? state(uk");
    t.press("Tab");
    t.wait_text("? state(ukraine");
    t.type_text(")");
    t.press("Enter");
    t.wait_text("state(ukraine) = true");

    // Ctrl-C cancels the line being typed; the session goes on.
    t.type_text("this is not a statement");
    t.press("C-c");
    // Keys typed before the editor is back at its prompt can be lost on a loaded machine.
    t.wait_after("this is not a statement", "opinio (tallinn2)>");
    t.type_text(":position");
    t.press("Enter");
    let s = t.wait_text("The answers follow the position tallinn2");
    assert!(
        !s.contains("opinio::syntax"),
        "the cancelled line was not run:\n{s}"
    );

    // Ctrl-D leaves, offering to save the unsaved facts.
    t.press("C-d");
    t.wait_text("You have 3 unsaved facts. Save them to a file?");
    t.type_text("case");
    t.press("Enter");
    t.wait_text("Saved 3 facts to case.opinio.");
    assert_eq!(t.wait_exit(), "0", "a clean exit");

    let saved = std::fs::read_to_string(t.dir.path().join("case.opinio"))
        .unwrap_or_else(|e| panic!("the case was saved: {e}"));
    assert!(saved.contains("state(ukraine).") && saved.contains("operation(op1)."));
    let history = std::fs::read_to_string(t.dir.path().join("history.txt"))
        .unwrap_or_else(|e| panic!("the history was kept: {e}"));
    assert!(
        history.contains(":facts") && history.contains("state(ukraine)."),
        "{history}"
    );
}
