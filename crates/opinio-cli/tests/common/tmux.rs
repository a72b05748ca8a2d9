//! The interactive session in a real pseudo-terminal, driven through tmux (one server per
//! test, on its own socket). [`start`] skips, with a message, when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long a wait may take before the test fails, showing the screen.
const PATIENCE: Duration = Duration::from_secs(60);

/// A tmux server running `opinio` in a window named `repl`, in a temporary folder.
pub struct Tmux {
    socket: String,
    /// The folder the session runs in (its history file is `history.txt` there).
    pub dir: tempfile::TempDir,
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

    /// What the terminal shows now.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-J", "-t", "repl"]).stdout)
            .into_owned()
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "repl", "-l", text]);
    }

    /// Presses keys by name (`Enter`, `Tab`, `C-c`, `C-d`).
    pub fn press(&self, key: &str) {
        self.run(&["send-keys", "-t", "repl", key]);
    }

    /// Waits until the screen shows `text` after the last `after` (anywhere for `""`); the
    /// screen.
    pub fn wait_after(&self, after: &str, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            let rest = match after {
                "" => Some(s.as_str()),
                _ => s.rsplit_once(after).map(|(_, rest)| rest),
            };
            if rest.is_some_and(|r| r.contains(text)) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for `{text}` after `{after}`; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `text`; the screen.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_after("", text)
    }

    /// Waits until the program has ended; its exit status, as the shell that started it
    /// prints it (tmux does not always notice that a pane's process has exited: "Pane is
    /// dead" may never appear, and `pane_dead_status` may never be filled in).
    pub fn wait_exit(&self) -> String {
        let s = self.wait_text(EXIT_MARKER);
        s.rsplit_once(EXIT_MARKER)
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(status, _)| status.to_string())
            .unwrap_or_default()
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

/// What the shell prints after the program, before its exit status.
const EXIT_MARKER: &str = "[exit ";

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// Starts `ENV opinio ARGS` in a 160 × 50 pseudo-terminal, in a fresh folder prepared by
/// `prepare`, with its history in that folder; `None` (and a message) without tmux.
pub fn start(name: &str, env: &str, args: &str, prepare: impl FnOnce(&Path)) -> Option<Tmux> {
    let tmux = Command::new("tmux").arg("-V").output();
    if !tmux.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: tmux is not installed, so the terminal test cannot run (apt-get install -y tmux)");
        return None;
    }
    let t = Tmux {
        socket: format!("opinio-{name}-{}", std::process::id()),
        dir: super::tempdir(),
    };
    prepare(t.dir.path());
    let bin = env!("CARGO_BIN_EXE_opinio");
    let command = format!(
        "cd {} && {env} OPINIO_HISTORY={} TERM=xterm-256color {} {args}; echo \"{EXIT_MARKER}$?]\"",
        shell_quote(t.dir.path()),
        shell_quote(&t.dir.path().join("history.txt")),
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
