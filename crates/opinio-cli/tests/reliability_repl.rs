//! Reliability of the interactive session (issue 7, "no lost session"): Ctrl-C during an
//! evaluation cancels it and keeps the session; `:save` keeps the permissions of the file it
//! replaces, writes through links, asks before replacing a file the session did not load or
//! save, and cleans up after a save that was killed; the history is kept line by line; the
//! offer to save at the end speaks of one fact or of several. Each case is a row of
//! `docs/reliability.md`.
//!
//! Tests that could hang run under a watchdog: a thread that fails the test after a generous
//! time, or `assert_cmd`'s timeout.

use assert_cmd::Command;
use opinio::{Cancel, EvalError, KnowledgeBase, Limits, Scenario, Truth};
use opinio_cli::cli::KbArgs;
use opinio_cli::repl::{Session, Status};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{chain, tempdir, write, CLOSURE};

/// Generous bound for anything that should end in well under a second once cancelled.
const WATCHDOG: Duration = Duration::from_secs(120);

fn opinio(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("opinio").unwrap_or_else(|e| panic!("binary: {e}"));
    c.env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .current_dir(dir)
        .timeout(WATCHDOG);
    c
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().contains(".tmp-"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Runs `f` on its own thread; fails the test if it has not ended after `limit`.
fn with_watchdog<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(_) => panic!("still running after {limit:?}: a hang"),
    }
}

/// Cancels `cancel` after `delay`, from another thread.
fn cancel_after(cancel: Cancel, delay: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        cancel.cancel();
    })
}

// ------------------------------------------------------------------ knowledge for long runs

/// A join that visits 300⁵ rows once `slow(x1)` is stated (hours), and derives almost
/// nothing: only cancelling (or the time budget) ends it, and it needs no memory meanwhile.
const SLOW: &str = "source s \"S\".
type N.
predicate n(a: N) closed means \"a node\".
predicate slow(a: N) closed means \"a node to start from\".
predicate some(a: N) means \"a node with company\".
rule any: some(A) if slow(A) and n(B) and n(C) and n(D) and n(E) cites s \"1\".
";

fn nodes() -> String {
    (0..300).map(|i| format!("n(x{i}).\n")).collect()
}

fn no_limits() -> Limits {
    Limits {
        max_atoms: usize::MAX,
        time_budget: None,
        max_memory: usize::MAX,
    }
}

// ------------------------------------------------------------------ cancellation (library)

/// A token cancelled from another thread stops a long transitive closure with
/// `EvalError::Cancelled`, which renders as a short error; the cancelled evaluation is not
/// cached: once the token is reset, the same question is answered.
#[test]
fn a_cancelled_transitive_closure_stops_and_the_scenario_still_answers() {
    with_watchdog(WATCHDOG, || {
        let kb = KnowledgeBase::from_strings([("closure.opinio", CLOSURE)])
            .unwrap_or_else(|e| panic!("{}", e.render()));
        let mut s = Scenario::new(&kb);
        // Long enough that the cancel, 50 ms in, comes before the end: an optimised build
        // computes the closure of 600 links in less.
        let links = if cfg!(debug_assertions) { 600 } else { 1500 };
        s.add_text("edges.opinio", &chain(links))
            .unwrap_or_else(|e| panic!("{}", e.render()));
        s.set_limits(no_limits());
        let cancel = Cancel::new();
        s.set_cancel(Some(cancel.clone()));
        assert_eq!(s.cancel_token(), Some(&cancel));

        let canceller = cancel_after(cancel.clone(), Duration::from_millis(50));
        let started = Instant::now();
        let r = s.query("path(n0, X)", None);
        let stopped_after = started.elapsed();
        let _ = canceller.join();
        match &r {
            Err(e @ opinio::Error::Limit(EvalError::Cancelled)) => {
                let text = e.render();
                assert_eq!(
                    text,
                    "error: the evaluation was cancelled before it finished; nothing was changed\n"
                );
                assert!(!text.contains("--max-atoms"), "{text}");
                assert_eq!(
                    EvalError::Cancelled.to_string(),
                    "evaluation stopped: it was cancelled"
                );
            }
            other => panic!("expected a cancelled evaluation, got {other:?}"),
        }
        assert_eq!(s.facts().len(), links, "the facts are as they were");

        // Asked again after a reset: evaluated anew (to the end), not the cached error.
        cancel.reset();
        let started = Instant::now();
        let r = s
            .query("path(n0, X)", None)
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(r.answers.len(), links);
        let full = started.elapsed();
        eprintln!("cancelled after {stopped_after:?}; the whole evaluation takes {full:?}");
    });
}

/// A join that would run for hours within one round (no new atoms, no round boundary)
/// stops soon after the token is cancelled: the search looks at it every few thousand rows.
#[test]
fn a_cancelled_join_stops_within_its_round() {
    with_watchdog(WATCHDOG, || {
        let kb = KnowledgeBase::from_strings([("slow.opinio", SLOW)])
            .unwrap_or_else(|e| panic!("{}", e.render()));
        let mut s = Scenario::new(&kb);
        s.add_text("nodes.opinio", &format!("{}slow(x1).\n", nodes()))
            .unwrap_or_else(|e| panic!("{}", e.render()));
        s.set_limits(no_limits());
        let cancel = Cancel::new();
        s.set_cancel(Some(cancel.clone()));
        let canceller = cancel_after(cancel.clone(), Duration::from_millis(200));
        let started = Instant::now();
        let r = s.query("some(x1)", None);
        let _ = canceller.join();
        assert!(
            matches!(r, Err(opinio::Error::Limit(EvalError::Cancelled))),
            "{r:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "took {:?} to stop",
            started.elapsed()
        );
        // Still usable: without the fact that makes it slow, the question is answered.
        cancel.reset();
        assert_eq!(s.retract("slow(x1)").ok(), Some(true));
        let r = s
            .query("some(x1)", None)
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(r.answers.first().map(|a| a.value), Some(Truth::False));
    });
}

/// A token cancelled before the question: every evaluation stops at once, nothing is
/// cached, and without a token (`set_cancel(None)`) nothing is stopped.
#[test]
fn a_token_cancelled_beforehand_stops_every_evaluation_until_reset() {
    let kb = KnowledgeBase::from_strings([("closure.opinio", CLOSURE)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mut s = Scenario::new(&kb);
    s.add_text("edges.opinio", &chain(20))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let cancel = Cancel::new();
    cancel.cancel();
    s.set_cancel(Some(cancel.clone()));
    for _ in 0..2 {
        assert!(matches!(
            s.query("path(n0, n20)", None),
            Err(opinio::Error::Limit(EvalError::Cancelled))
        ));
    }
    let clone = cancel.clone();
    assert_eq!(clone, cancel, "clones share the flag");
    assert!(clone.is_cancelled());
    assert_ne!(Cancel::new(), cancel);
    s.set_cancel(None);
    let r = s
        .query("path(n0, n20)", None)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(r.answers.first().map(|a| a.value), Some(Truth::True));
}

// ------------------------------------------------------------------ cancellation (session)

fn slow_session() -> Session {
    let kb = KnowledgeBase::from_strings([("slow.opinio", SLOW)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mut s = Session::new(&kb, KbArgs::default());
    let (status, out) = run(&mut s, &nodes());
    assert_eq!(status, Status::Done, "{out}");
    s
}

fn run(s: &mut Session, line: &str) -> (Status, String) {
    let mut out = Vec::new();
    let status = s.handle_line(line, &mut out, &mut |_| None);
    (status, String::from_utf8_lossy(&out).into_owned())
}

/// What a Ctrl-C does in the REPL, without a terminal: the session's token is cancelled
/// while a question is evaluated; the line ends with the message, the rest of a pasted
/// block is not run, and the session keeps its facts and answers the next question.
#[test]
fn ctrl_c_in_a_session_cancels_the_question_and_keeps_the_facts() {
    with_watchdog(WATCHDOG, || {
        let mut s = slow_session();
        let (_, out) = run(&mut s, "slow(x1).");
        assert!(out.contains("noted: slow(x1) is true"), "{out}");
        let facts = s.scenario().facts().len();
        let canceller = cancel_after(s.cancel_token(), Duration::from_millis(300));
        let (status, out) = run(&mut s, "? some(x1)\n:facts");
        let _ = canceller.join();
        assert_eq!(status, Status::Failed, "{out}");
        assert_eq!(
            out, "Stopped: the question was cancelled. The session is as it was.\n",
            "the message only, once, and `:facts` after it was not run"
        );
        assert_eq!(s.scenario().facts().len(), facts);
        assert_eq!(s.unsaved(), facts);
        // The next line starts with the token reset.
        let (status, out) = run(&mut s, ":retract slow(x1)");
        assert_eq!(status, Status::Done, "{out}");
        let (status, out) = run(&mut s, "? some(x1)");
        assert_eq!(status, Status::Done, "{out}");
        assert!(out.starts_with("some(x1) = false"), "{out}");
    });
}

/// `:reload` builds a new session: the Ctrl-C handler's token must still reach it.
#[test]
fn the_cancel_token_survives_reload() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::new(&kb, KbArgs::default());
    let token = s.cancel_token();
    let (status, out) = run(&mut s, ":reload");
    assert_eq!(status, Status::Done, "{out}");
    assert_eq!(s.cancel_token(), token);
    assert_eq!(s.scenario().cancel_token(), Some(&token));
}

// ------------------------------------------------------------------ the offer to save

/// The question at the end of a session speaks of one fact, or of several.
#[test]
fn the_offer_to_save_is_singular_or_plural() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::new(&kb, KbArgs::default());
    assert_eq!(s.save_offer(), None);
    run(&mut s, "state(ukraine).");
    assert_eq!(
        s.save_offer().as_deref(),
        Some("You have 1 unsaved fact. Save it to a file? (file name / Enter to discard) ")
    );
    run(&mut s, "state(russia).");
    assert_eq!(
        s.save_offer().as_deref(),
        Some("You have 2 unsaved facts. Save them to a file? (file name / Enter to discard) ")
    );
    let (_, out) = run(&mut s, ":facts");
    assert!(
        out.contains("2 of them are in no file yet (`:save FILE` keeps them)."),
        "{out}"
    );
    let dir = tempdir();
    let (status, out) = run(&mut s, &format!(":save {}", dir.path().join("a").display()));
    assert_eq!(status, Status::Done, "{out}");
    run(&mut s, "state(france).");
    let (_, out) = run(&mut s, ":facts");
    assert!(
        out.contains("1 of them is in no file yet (`:save FILE` keeps it)."),
        "{out}"
    );
}

// ------------------------------------------------------------------ :save

/// `:save` over a file only its owner may read keeps it so (it was left world-readable).
#[cfg(unix)]
#[test]
fn save_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempdir();
    let case = dir.path().join("case.opinio");
    write(&case, "state(ukraine).\n");
    std::fs::set_permissions(&case, std::fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    opinio(dir.path())
        .args(["repl", "-s", "case.opinio"])
        .write_stdin("state(russia).\n:save case.opinio\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 2 facts to case.opinio."));
    let mode = std::fs::metadata(&case)
        .unwrap_or_else(|e| panic!("{e}"))
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    assert!(read(&case).contains("state(russia)."));
    // The same through `:save!` over a file the session did not load, and a group-only one.
    let other = dir.path().join("other.opinio");
    write(&other, "# someone else's\n");
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o640))
        .unwrap_or_else(|e| panic!("{e}"));
    opinio(dir.path())
        .arg("repl")
        .write_stdin("state(x).\n:save! other.opinio\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 1 fact to other.opinio."));
    let mode = std::fs::metadata(&other)
        .unwrap_or_else(|e| panic!("{e}"))
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640, "mode {mode:o}");
    assert!(temp_files(dir.path()).is_empty());
}

/// `:save` to a link writes the file it points to, atomically; the link stays a link (it
/// was replaced by a plain file). A link to a file not yet there creates that file.
#[cfg(unix)]
#[test]
fn save_writes_through_a_link() {
    let dir = tempdir();
    let target = dir.path().join("cases/real.opinio");
    write(&target, "state(ukraine).\n");
    let link = dir.path().join("case.opinio");
    std::os::unix::fs::symlink("cases/real.opinio", &link).unwrap_or_else(|e| panic!("{e}"));
    opinio(dir.path())
        .args(["repl", "-s", "case.opinio"])
        .write_stdin("state(russia).\n:save case.opinio\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 2 facts to case.opinio."));
    let meta = std::fs::symlink_metadata(&link).unwrap_or_else(|e| panic!("{e}"));
    assert!(meta.file_type().is_symlink(), "the link is still a link");
    assert!(
        read(&target).contains("state(russia)."),
        "the target was written"
    );
    assert!(temp_files(dir.path()).is_empty() && temp_files(&dir.path().join("cases")).is_empty());

    // A dangling link: the file it names is created, the link kept.
    let dangling = dir.path().join("new.opinio");
    std::os::unix::fs::symlink("cases/new_target.opinio", &dangling)
        .unwrap_or_else(|e| panic!("{e}"));
    opinio(dir.path())
        .arg("repl")
        .write_stdin("state(x).\n:save new.opinio\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 1 fact to new.opinio."));
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap_or_else(|e| panic!("{e}"))
        .file_type()
        .is_symlink());
    assert!(read(&dir.path().join("cases/new_target.opinio")).contains("state(x)."));
}

/// `:save` does not replace a file the session did not load or save: it says what to type
/// (`:save! FILE`), and the file is untouched; `:save!` replaces it, after which `:save`
/// does too. New files and files the session loaded need no `!`.
#[test]
fn save_asks_before_replacing_an_unrelated_file() {
    let dir = tempdir();
    let notes = dir.path().join("notes.opinio");
    write(
        &notes,
        "# my notes, not from this session\nstate(france).\n",
    );
    opinio(dir.path())
        .arg("repl")
        .write_stdin("state(x).\n:save notes\n? state(x)\n")
        .assert()
        .failure()
        .stdout(predicate::str::contains(
            "notes.opinio already exists, and this session did not load or save it: nothing was written. To replace it, type `:save! notes`; to keep it, save under another name.",
        ))
        .stdout(predicate::str::contains("state(x) = true"));
    assert!(read(&notes).starts_with("# my notes"), "left untouched");

    opinio(dir.path())
        .arg("repl")
        .write_stdin("state(x).\n:save! notes\nstate(y).\n:save notes\n:save fresh\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 1 fact to notes.opinio."))
        .stdout(predicate::str::contains("Saved 2 facts to notes.opinio."))
        .stdout(predicate::str::contains("Saved 2 facts to fresh.opinio."));
    assert!(read(&notes).contains("state(y)."));

    // Loaded by the session: replaced without asking (under another spelling too).
    opinio(dir.path())
        .args(["repl", "-s", "notes.opinio"])
        .write_stdin("state(z).\n:save ./notes.opinio\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 3 facts to ./notes.opinio."));
    // `:help save` tells about `:save!`.
    opinio(dir.path())
        .arg("repl")
        .write_stdin(":help save\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("`:save! FILE`"));
}

/// A temporary file left by a save that was killed (`FILE.tmp-<pid>`) is removed by the next
/// save of the same file: those of processes that no longer run, and old ones; another
/// file's temporary files and a running process's fresh one are left alone.
#[cfg(unix)]
#[test]
fn a_save_cleans_up_what_a_killed_save_left() {
    let dir = tempdir();
    let gone = dir.path().join("case.opinio.tmp-4000000000"); // no such process
    let old = dir.path().join("case.opinio.tmp-1"); // a running process, but old
    let running = dir.path().join("case.opinio.tmp-2"); // fresh: perhaps being written
    let other = dir.path().join("other.opinio.tmp-4000000000");
    let unrelated = dir.path().join("case.opinio.tmp-notes");
    for p in [&gone, &old, &running, &other, &unrelated] {
        write(p, "state(half");
    }
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .and_then(|f| f.set_modified(hour_ago))
        .unwrap_or_else(|e| panic!("{e}"));
    let proc_fs = Path::new("/proc/self").exists();
    opinio(dir.path())
        .arg("repl")
        .write_stdin("state(x).\n:save case\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved 1 fact to case.opinio."));
    assert!(!old.exists(), "an old temporary file is removed");
    assert!(
        other.exists() && unrelated.exists(),
        "other files are left alone"
    );
    if proc_fs {
        assert!(
            !gone.exists(),
            "the file of a process that is gone is removed"
        );
        assert!(
            running.exists() == Path::new("/proc/2").exists(),
            "a fresh file of a running process is kept"
        );
    }
    // `opinio fmt` writes the same way.
    write(&gone, "state(half");
    write(&dir.path().join("case.opinio"), "state(  x ).\n");
    opinio(dir.path())
        .args(["fmt", "case.opinio"])
        .assert()
        .success();
    assert_eq!(read(&dir.path().join("case.opinio")), "state(x).\n");
    if proc_fs {
        assert!(!gone.exists());
    }
}

/// The same with a real kill: a REPL killed (`SIGKILL`) while it saves a large scenario
/// leaves its temporary file; the next save removes it.
#[cfg(unix)]
#[test]
fn a_save_after_a_killed_one_leaves_no_temporary_file() {
    use std::io::Write as _;
    use std::process::Stdio;
    if !Path::new("/proc/self").exists() {
        return; // the dead process's file would only go once ten minutes old
    }
    let dir = tempdir();
    // Many facts of a closed predicate: the file is large, the evaluation light (many
    // States would make the open world of predicates over pairs of States large).
    let big: String = (0..20_000)
        .map(|i| format!("military_or_intelligence(unit{i}).\n"))
        .collect();
    write(&dir.path().join("big.opinio"), &big);
    let mut left = false;
    for _ in 0..5 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("opinio"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("OPINIO_HISTORY", "0")
            .args(["repl", "-s", "big.opinio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(stdin) = child.stdin.as_mut() {
            let _ = stdin.write_all(b":save! case.opinio\n");
            let _ = stdin.flush();
        }
        let started = Instant::now();
        while temp_files(dir.path()).is_empty()
            && !dir.path().join("case.opinio").exists()
            && started.elapsed() < WATCHDOG
        {
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        if !temp_files(dir.path()).is_empty() {
            left = true;
            break;
        }
    }
    opinio(dir.path())
        .args(["repl", "-s", "big.opinio"])
        .write_stdin(":save! case.opinio\n")
        .assert()
        .success();
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
    assert!(
        read(&dir.path().join("case.opinio")).ends_with("military_or_intelligence(unit19999).\n")
    );
    eprintln!("a kill left a temporary file to clean: {left}");
}

// ------------------------------------------------------------------ in a terminal

mod terminal {
    use super::*;
    use common::tmux::start;

    /// Ctrl-C during a question that would run for hours: the question stops, the session
    /// goes on with its unsaved fact (it used to end with exit code 130, the fact lost); each
    /// line is in the history file as soon as it is entered; Ctrl-D offers to save the one
    /// unsaved fact in the singular.
    #[test]
    fn ctrl_c_stops_a_question_and_the_session_goes_on() {
        let Some(t) = start(
            "ctrl-c",
            "NO_COLOR=1",
            "repl --kb kb -s nodes.opinio",
            |dir| {
                write(&dir.join("kb/slow.opinio"), SLOW);
                write(&dir.join("nodes.opinio"), nodes());
            },
        ) else {
            return;
        };
        t.wait_text("Loaded 300 facts from nodes.opinio.");
        t.type_text("slow(x1).");
        t.press("Enter");
        t.wait_text("noted: slow(x1) is true");
        let history = t.dir.path().join("history.txt");
        assert!(
            std::fs::read_to_string(&history).is_ok_and(|h| h.contains("slow(x1).")),
            "the line is in the history before the session ends"
        );

        t.type_text("? some(x1)");
        t.press("Enter");
        std::thread::sleep(Duration::from_millis(700));
        t.press("C-c");
        t.wait_text("Stopped: the question was cancelled. The session is as it was.");

        // Still there, with its facts.
        t.type_text(":facts");
        t.press("Enter");
        let s = t.wait_text("in no file yet");
        assert!(s.contains("slow(x1)"), "{s}");
        assert!(!s.contains("Pane is dead"), "{s}");

        // A second Ctrl-C later on stops a second run just the same.
        t.type_text("? some(x2)");
        t.press("Enter");
        std::thread::sleep(Duration::from_millis(300));
        t.press("C-c");
        t.wait_after("? some(x2)", "Stopped: the question was cancelled.");

        // Ctrl-C while typing still only cancels the line.
        t.type_text("not run");
        t.press("C-c");
        // (Keys that reach rustyline together with the Ctrl-C are dropped with the line.)
        t.wait_after("not run", "opinio (default)>");
        t.type_text(":retract slow(x1)");
        t.press("Enter");
        t.wait_text("withdrawn: slow(x1).");
        t.type_text("n(y).");
        t.press("Enter");
        t.wait_text("noted: n(y) is true");
        t.type_text("? some(x1)");
        t.press("Enter");
        t.wait_text("some(x1) = false");

        let h = read(&history);
        assert!(
            h.contains("? some(x1)") && h.contains(":facts") && !h.contains("not run"),
            "{h}"
        );

        t.press("C-d");
        t.wait_text("You have 1 unsaved fact. Save it to a file? (file name / Enter to discard)");
        t.press("Enter");
        t.wait_text("The unsaved fact is discarded.");
        assert_eq!(t.wait_exit(), "0", "a clean exit");
    }
}
