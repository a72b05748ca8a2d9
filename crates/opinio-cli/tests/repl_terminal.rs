//! The interactive session in a real pseudo-terminal, driven through tmux: tab completion,
//! multi-line input, Ctrl-C, persistent history and the offer to save at Ctrl-D.
//!
//! Skipped, with a message, when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"))
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-J", "-t", "repl"]).stdout)
            .into_owned()
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "repl", "-l", text]);
    }

    /// Presses keys by name (`Enter`, `Tab`, `C-c`, `C-d`).
    fn press(&self, key: &str) {
        self.run(&["send-keys", "-t", "repl", key]);
    }

    /// Waits until the screen satisfies `ok`; the screen.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(60) {
                panic!("timed out waiting for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("`{text}`"), |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Only the server this test started, on its own socket.
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn start() -> Option<Tmux> {
    if !tmux_available() {
        eprintln!("SKIPPED: tmux is not installed, so the terminal test cannot run (apt-get install -y tmux)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let t = Tmux {
        socket: format!("opinio-test-{}", std::process::id()),
        dir,
    };
    let bin = env!("CARGO_BIN_EXE_opinio");
    let history = t.dir.path().join("history.txt");
    // The marker after the program shows that it ended: tmux does not always notice a pane's
    // process has exited ("Pane is dead" may never appear), which made this test flaky.
    let command = format!(
        "cd {} && OPINIO_HISTORY={} TERM=xterm-256color {}; echo \"[opinio exited: $?]\"",
        shell_quote(t.dir.path()),
        shell_quote(&history),
        shell_quote(Path::new(bin))
    );
    let out = t.run(&[
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "160",
        "-y",
        "50",
        &command,
    ]);
    assert!(
        out.status.success(),
        "tmux could not start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.run(&["set-option", "-t", "repl", "remain-on-exit", "on"]);
    Some(t)
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn completion_multi_line_and_exit_in_a_terminal() {
    let Some(t) = start() else {
        return;
    };
    t.wait_text("Type :help for commands");

    // Completion of a command name.
    t.type_text(":fa");
    t.press("Tab");
    t.wait_text("> :facts");
    t.press("Enter");
    t.wait_text("No facts yet.");

    // Completion of a predicate name (the hint shows its meaning), then a fact.
    t.type_text("stat");
    t.wait_text("the entity is a State under international law");
    t.press("Tab");
    t.wait_text("> state(");
    t.type_text("ukraine).");
    t.press("Enter");
    t.wait_text("noted: state(ukraine) is true");

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
    t.type_text(":position");
    t.press("Enter");
    let s = t.wait_text("The answers follow the position tallinn2");
    assert!(
        !s.contains("opinio::syntax"),
        "the cancelled line was not run:\n{s}"
    );

    // Ctrl-D leaves, offering to save the unsaved facts.
    t.press("C-d");
    t.wait_text("You have 2 unsaved facts. Save them to a file?");
    t.type_text("case");
    t.press("Enter");
    t.wait_text("Saved 2 facts to case.opinio.");
    t.wait_text("[opinio exited: 0]");

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
