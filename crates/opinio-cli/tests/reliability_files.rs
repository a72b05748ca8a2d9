//! Hostile files and folders: link loops, named pipes, devices, files too large, missing files.
//! Each case is a row of "Bad input and what the user sees" in `docs/reliability.md`.
//!
//! Cases that hung or grew without bound before run the real binary under a generous
//! watchdog: the tests check the outcome, not a speed.

use assert_cmd::Command;
use opinio::kb::files::{parse_size, read_text_from, DEFAULT_MAX_FILE_SIZE};
use opinio::{KnowledgeBase, Scenario};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;
use common::{tempdir, write};

/// Far above what any case here needs: a hang or a runaway read fails the test instead of
/// blocking the suite.
const WATCHDOG: Duration = Duration::from_secs(60);

const KB: &str = r#"
source law "A law".
type Person.
predicate citizen(p: Person) means "p is a citizen".
predicate voter(p: Person) means "p may vote".
rule citizens_vote: voter(P) if citizen(P) cites law "s. 1".
"#;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").unwrap_or_else(|e| panic!("binary: {e}"));
    c.env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .timeout(WATCHDOG);
    c
}

/// The output with miette's line wrapping undone (lines joined by one space, the `│` of
/// continued lines dropped), so that a message is found whatever the length of the temporary
/// folder's path.
fn flat(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start().trim_start_matches('│').trim();
        if t.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// Whether the (unwrapped) output contains `needle`.
fn says(needle: &str) -> impl Predicate<str> {
    let needle = needle.to_string();
    predicate::function(move |out: &str| flat(out).contains(&needle))
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target.as_ref(), link.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", link.as_ref().display()));
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A knowledge folder `kb` with one file and two links looping back into it.
#[cfg(unix)]
fn looping_kb(dir: &Path) -> PathBuf {
    let kb = dir.join("kb");
    write(&kb.join("law.opinio"), KB);
    symlink(".", kb.join("self"));
    symlink("../kb", kb.join("up"));
    kb
}

// ------------------------------------------------------------------ link loops

#[cfg(unix)]
#[test]
fn link_loops_in_a_knowledge_folder_read_each_file_once() {
    let dir = tempdir();
    let kb = looping_kb(dir.path());
    let folder = opinio::kb::read_folder(&kb, DEFAULT_MAX_FILE_SIZE)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let names: Vec<&str> = folder.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec![format!("{}/law.opinio", kb.display())]);
    assert!(folder.skipped.is_empty());
    KnowledgeBase::from_dir(&kb).unwrap_or_else(|e| panic!("{}", e.render()));
    for args in [vec!["check", "--kb"], vec!["check"]] {
        opinio()
            .args(&args)
            .arg(&kb)
            .assert()
            .success()
            .stderr(says("declared twice").not())
            .stderr(says("0 errors"));
    }
    opinio()
        .args(["check", "--kb"])
        .arg(&kb)
        .assert()
        .stderr(says("checked 1 file:"));
    // A scenario checked against a knowledge base is counted apart from it.
    let case = kb.with_file_name("case.opinio");
    write(&case, "# a scenario\n");
    opinio()
        .args(["check", "--kb"])
        .arg(&kb)
        .arg(&case)
        .assert()
        .stderr(says("checked 1 file and the knowledge base (1 file):"));
}

#[cfg(unix)]
#[test]
fn a_file_reached_by_two_paths_is_read_once_under_its_own_name() {
    let dir = tempdir();
    let kb = dir.path().join("kb");
    write(&kb.join("sub/law.opinio"), KB);
    symlink("sub/law.opinio", kb.join("alias.opinio"));
    symlink("sub", kb.join("also"));
    std::fs::hard_link(kb.join("sub/law.opinio"), kb.join("hard.opinio"))
        .unwrap_or_else(|e| panic!("hard link: {e}"));
    let folder = opinio::kb::read_folder(&kb, DEFAULT_MAX_FILE_SIZE)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(folder.files.len(), 1, "{:?}", folder.files);
    KnowledgeBase::from_dir(&kb).unwrap_or_else(|e| panic!("{}", e.render()));
}

#[cfg(unix)]
#[test]
fn link_loops_in_a_test_folder_run_each_file_once() {
    let dir = tempdir();
    let tests = dir.path().join("tests");
    write(
        &tests.join("case.opinio"),
        "state(arcadia).\nexpect state(arcadia) = true.\n",
    );
    symlink(".", tests.join("self"));
    symlink("../tests", tests.join("up"));
    opinio()
        .arg("test")
        .arg(&tests)
        .assert()
        .success()
        .stdout(says("1 passed, 0 failed"));
}

// ------------------------------------------------------------------ named pipes

#[cfg(unix)]
#[test]
fn a_named_pipe_in_a_folder_is_skipped_with_a_warning() {
    let dir = tempdir();
    let kb = dir.path().join("kb");
    write(&kb.join("law.opinio"), KB);
    mkfifo(&kb.join("pipe.opinio"));
    let skipped = "was skipped: it is not a regular file but a named pipe";
    for args in [vec!["check", "--kb"], vec!["check"]] {
        opinio()
            .args(&args)
            .arg(&kb)
            .assert()
            .success()
            .stderr(says(skipped))
            .stderr(says("0 errors, 1 warning"));
    }
    opinio()
        .args(["query", "--kb"])
        .arg(&kb)
        .args(["voter(X)"])
        .assert()
        .success()
        .stderr(says(skipped));
    // The library lists it among the knowledge base's warnings.
    let loaded = KnowledgeBase::from_dir(&kb).unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(
        loaded
            .warnings()
            .iter()
            .any(|w| w.message.contains(skipped)),
        "{:?}",
        loaded.warnings()
    );
    // `opinio test` walks folders the same way.
    let tests = dir.path().join("tests");
    write(
        &tests.join("case.opinio"),
        "state(arcadia).\nexpect state(arcadia) = true.\n",
    );
    mkfifo(&tests.join("pipe.opinio"));
    opinio()
        .arg("test")
        .arg(&tests)
        .assert()
        .success()
        .stderr(says(skipped))
        .stdout(says("1 passed, 0 failed"));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_given_as_a_file_is_refused() {
    let dir = tempdir();
    let pipe = dir.path().join("case.opinio");
    mkfifo(&pipe);
    let refused = "is not a regular file: it is a named pipe";
    opinio()
        .args(["query", "-s"])
        .arg(&pipe)
        .arg("state(X)")
        .assert()
        .failure()
        .stderr(says(refused))
        .stderr(says("ordinary files saved on disk"));
    opinio()
        .arg("check")
        .arg(&pipe)
        .assert()
        .failure()
        .stderr(says(refused));
    opinio()
        .arg("repl")
        .write_stdin(format!(":load {}\n", pipe.display()))
        .assert()
        .failure()
        .stdout(says(refused))
        .stdout(says("the session is as it was"));
}

// ------------------------------------------------------------------ devices

#[cfg(unix)]
#[test]
fn dev_zero_as_a_scenario_is_refused_not_read() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    opinio()
        .args(["query", "-s", "/dev/zero", "state(X)"])
        .assert()
        .failure()
        .stderr(says("`/dev/zero` is not a regular file: it is a device"))
        .stderr(says("help:"));
    opinio()
        .arg("repl")
        .write_stdin(":load /dev/zero\nstate(a).\n? state(a)\n")
        .assert()
        .failure()
        .stdout(says("`/dev/zero` is not a regular file"))
        .stdout(says("state(a) = true"));
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let err = Scenario::new(&kb)
        .load_file(Path::new("/dev/zero"))
        .err()
        .map(|e| e.render())
        .unwrap_or_default();
    assert!(err.contains("opinio::not_a_file"), "{err}");
}

/// A device named `x.opinio` inside a knowledge folder is never opened. Making a device needs
/// the right to (`mknod`, usually as root); without it the case is skipped.
#[cfg(unix)]
#[test]
fn a_device_inside_a_knowledge_folder_is_skipped() {
    let dir = tempdir();
    let kb = dir.path().join("kb");
    write(&kb.join("law.opinio"), KB);
    let made = std::process::Command::new("mknod")
        .arg(kb.join("x.opinio"))
        .args(["c", "1", "5"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: cannot make a device here (mknod needs privileges); case skipped");
        return;
    }
    opinio()
        .args(["check", "--kb"])
        .arg(&kb)
        .assert()
        .success()
        .stderr(says(
            "x.opinio` was skipped: it is not a regular file but a device",
        ))
        .stderr(says("out of memory").not());
}

/// A link to `/dev/zero` in a folder of tests (where links may lead out) is skipped too.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_in_a_test_folder_is_skipped() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let dir = tempdir();
    let tests = dir.path().join("tests");
    write(
        &tests.join("case.opinio"),
        "state(arcadia).\nexpect state(arcadia) = true.\n",
    );
    symlink("/dev/zero", tests.join("zero.opinio"));
    opinio()
        .arg("test")
        .arg(&tests)
        .assert()
        .success()
        .stderr(says(
            "zero.opinio` was skipped: it is not a regular file but a device",
        ))
        .stdout(says("1 passed, 0 failed"));
}

// ------------------------------------------------------------------ size

#[test]
fn the_default_cap_is_64_mib_and_sizes_read_in_plain_units() {
    assert_eq!(DEFAULT_MAX_FILE_SIZE, 64 * 1024 * 1024);
    assert_eq!(parse_size("64M"), Ok(DEFAULT_MAX_FILE_SIZE));
    assert_eq!(parse_size("1k"), Ok(1024));
    assert_eq!(parse_size("2GiB"), Ok(2 << 30));
    assert_eq!(parse_size("12345"), Ok(12345));
    assert!(parse_size("64X").is_err());
    assert!(parse_size("99999999999999G").is_err());
    assert_eq!(parse_size("1.5K"), Ok(1536));
    assert_eq!(parse_size("0.5G"), Ok(1 << 29));
    assert_eq!(parse_size("1_000"), Ok(1000));
    for (bad, says) in [
        ("-1", "a size cannot be negative"),
        ("0", "too small a size"),
        ("0.0001K", "too small a size"),
        ("1.5", "not a whole number of bytes"),
        (
            "18446744073709551616",
            "the most is 18446744073709551615 bytes",
        ),
        ("17179869184G", "the most is 18446744073709551615 bytes"),
        ("1.2.3M", "is not a size"),
        (".", "is not a size"),
    ] {
        let err = parse_size(bad).err().unwrap_or_default();
        assert!(err.contains(says), "{bad}: {err}");
    }
    opinio()
        .args(["--max-file-size", "lots", "check"])
        .assert()
        .code(2)
        .stderr(says("is not a size"));
}

#[test]
fn a_file_larger_than_the_default_cap_is_refused_without_reading_it() {
    let dir = tempdir();
    let big = dir.path().join("big.opinio");
    // A sparse file: 65 MiB long, nothing written, so the test stays small on disk.
    let f = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    f.set_len(65 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    opinio()
        .args(["query", "-s"])
        .arg(&big)
        .arg("state(X)")
        .assert()
        .failure()
        .stderr(says(
            "big.opinio` is 65 MiB, larger than 64 MiB, the most Opinio reads from one file",
        ))
        .stderr(says("--max-file-size 128M"));
}

#[test]
fn max_file_size_lowers_and_raises_the_cap() {
    let dir = tempdir();
    let case = dir.path().join("case.opinio");
    let text: String = (0..200).map(|i| format!("state(s{i}).\n")).collect();
    write(&case, &text);
    assert!(text.len() > 2048);
    opinio()
        .args(["--max-file-size", "1K", "query", "-s"])
        .arg(&case)
        .arg("state(s199)")
        .assert()
        .failure()
        .stderr(says("larger than 1 KiB"));
    opinio()
        .args(["query", "--max-file-size", "1M", "-s"])
        .arg(&case)
        .arg("state(s199)")
        .assert()
        .success()
        .stdout(says("state(s199) = true"));
    // The cap holds for the files of a knowledge folder, and for `opinio check`.
    let kb = dir.path().join("kb");
    write(&kb.join("law.opinio"), KB);
    opinio()
        .args(["check", "--max-file-size", "100", "--kb"])
        .arg(&kb)
        .assert()
        .failure()
        .stderr(says("larger than 100 bytes"));
    opinio()
        .args(["check", "--max-file-size", "1K"])
        .arg(&case)
        .assert()
        .failure()
        .stderr(says("larger than 1 KiB"));
    // The library: a setting on the scenario, and on loading a folder.
    let bundled = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let mut s = Scenario::new(&bundled);
    assert_eq!(s.max_file_size(), DEFAULT_MAX_FILE_SIZE);
    s.set_max_file_size(1000);
    let err = s
        .load_file(&case)
        .err()
        .map(|e| e.render())
        .unwrap_or_default();
    assert!(err.contains("opinio::file_too_large"), "{err}");
    assert!(s.facts().is_empty());
    let err = KnowledgeBase::from_dir_with_limit(&kb, 100)
        .err()
        .map(|e| e.render())
        .unwrap_or_default();
    assert!(err.contains("larger than 100 bytes"), "{err}");
}

/// Even an input that never ends (a file that keeps growing, a device) is read no further
/// than one byte past the cap.
#[test]
fn an_endless_input_is_read_only_to_the_cap() {
    let err = read_text_from(std::io::repeat(b'a'), "endless", 1 << 20)
        .err()
        .map(|d| d.message)
        .unwrap_or_default();
    assert_eq!(
        err,
        "`endless` is larger than 1 MiB, the most Opinio reads from one file"
    );
    let text = read_text_from(&b"state(a).\n"[..], "short", 10).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(text, "state(a).\n");
}

// ------------------------------------------------------------------ standard input

#[test]
fn a_scenario_can_be_read_from_standard_input_within_the_cap() {
    opinio()
        .args(["query", "-s", "-", "state(X)"])
        .write_stdin("state(arcadia).\n")
        .assert()
        .success()
        .stdout(says("state(arcadia) = true"));
    opinio()
        .args(["query", "-s", "-", "state(X)"])
        .write_stdin(r#"{"facts": ["state(borduria)"]}"#)
        .assert()
        .success()
        .stdout(says("state(borduria) = true"));
    let long: String = (0..1000).map(|i| format!("state(s{i}).\n")).collect();
    opinio()
        .args(["--max-file-size", "4K", "query", "-s", "-", "state(X)"])
        .write_stdin(long)
        .assert()
        .failure()
        .stderr(says("`standard input` is larger than 4 KiB"));
}

// ------------------------------------------------------------------ plain words

#[test]
fn missing_files_and_folders_are_reported_in_plain_words() {
    let no_os_error = || says("os error").not();
    opinio()
        .args(["query", "-s", "nothere.opinio", "state(X)"])
        .assert()
        .failure()
        .stderr(says(
            "cannot read `nothere.opinio`: there is no such file or folder",
        ))
        .stderr(no_os_error());
    let dir = tempdir();
    // A binary file (here: bytes with NULs, as in any image or program) is named as such,
    // not parsed into a screen of replacement characters.
    let binary = dir.path().join("photo.opinio");
    std::fs::write(&binary, [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe]).expect("written");
    for args in [vec!["check"], vec!["query", "-s"]] {
        opinio()
            .args(&args)
            .arg(&binary)
            .args(if args.len() > 1 {
                vec!["state(X)"]
            } else {
                vec![]
            })
            .assert()
            .failure()
            .stderr(says("is not a text file: it holds binary data"))
            .stderr(says("Ȃ").not());
    }
    opinio()
        .args(["query", "-s"])
        .arg(dir.path())
        .arg("state(X)")
        .assert()
        .failure()
        .stderr(says("it is a folder, not a file"))
        .stderr(no_os_error());
    opinio()
        .args(["check", "--kb", "no/such/folder"])
        .assert()
        .failure()
        .stderr(says(
            "cannot open the knowledge base folder `no/such/folder`: there is no such file or folder",
        ))
        .stderr(no_os_error());
    opinio()
        .args(["check", "nothere.opinio"])
        .assert()
        .failure()
        .stderr(says("there is no such file or folder"))
        .stderr(no_os_error());
    opinio()
        .arg("repl")
        .write_stdin(":load nothere.opinio\n")
        .assert()
        .failure()
        .stdout(says("there is no such file or folder"))
        .stdout(no_os_error());
}

/// `opinio fmt` neither blocks on a named pipe in a folder it formats nor on one given to
/// it: it skips or refuses it, and formats the ordinary files.
#[cfg(unix)]
#[test]
fn fmt_skips_a_named_pipe_and_refuses_one_given_to_it() {
    let dir = tempdir();
    write(&dir.path().join("case.opinio"), "state(a).   state(b).\n");
    mkfifo(&dir.path().join("pipe.opinio"));
    let out = opinio()
        .arg("fmt")
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pipe.opinio` is not an ordinary file"),
        "{err}"
    );
    assert!(err.contains("formatted"), "{err}");
    let out = opinio()
        .arg("fmt")
        .arg(dir.path().join("pipe.opinio"))
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not an ordinary file"), "{err}");
}

// ------------------------------------------------------------------ outputs

const NOTPETYA: &str = "../opinio/tests/scenarios/notpetya.opinio";

/// An output that is a named pipe is written into, never replaced by a plain file: the
/// reader at the other end gets the memo, and the pipe is still a pipe. (Renaming over it
/// left the reader waiting for ever; over a device such as `/dev/full`, run by an
/// administrator, it replaced the device.)
#[cfg(unix)]
#[test]
fn an_output_that_is_a_named_pipe_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempdir();
    let pipe = dir.path().join("memo.md");
    mkfifo(&pipe);
    // `timeout`: if the pipe were replaced, nobody would ever write to it.
    let reader = std::process::Command::new("timeout")
        .arg("20")
        .arg("cat")
        .arg(&pipe)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cat: {e}"));
    opinio()
        .args(["report", "-s", NOTPETYA, "-g", "state(russia)", "-o"])
        .arg(&pipe)
        .assert()
        .success();
    let read = reader
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cat: {e}"));
    let memo = String::from_utf8_lossy(&read.stdout);
    assert!(memo.contains("state(russia)"), "the reader got: {memo:?}");
    let kind = std::fs::symlink_metadata(&pipe)
        .unwrap_or_else(|e| panic!("{e}"))
        .file_type();
    assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
}

/// An output that is one of the command's inputs is refused, and the input is untouched:
/// the scenario of `report` (even with `--format md`, which lifts the check on the file's
/// extension) and the dataset files of `import`.
#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempdir();
    let scenario = dir.path().join("case.opinio");
    std::fs::copy(NOTPETYA, &scenario).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read_to_string(&scenario).unwrap_or_else(|e| panic!("{e}"));
    opinio()
        .args(["report", "-f", "md", "-g", "state(russia)", "-s"])
        .arg(&scenario)
        .arg("-o")
        .arg(dir.path().join(".").join("case.opinio"))
        .assert()
        .failure()
        .stderr(says("is the scenario being reported on"))
        .stderr(says("help: give another file for the memo"));
    let after = std::fs::read_to_string(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(before, after, "the scenario was overwritten");

    for (file, output) in [
        ("eurepoc_global.csv", "global"),
        ("eurepoc_attribution.csv", "attribution"),
    ] {
        let global = dir.path().join("eurepoc_global.csv");
        let attribution = dir.path().join("eurepoc_attribution.csv");
        for (name, path) in [
            ("eurepoc_global.csv", &global),
            ("eurepoc_attribution.csv", &attribution),
        ] {
            std::fs::copy(format!("tests/fixtures/datasets/{name}"), path)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let target = dir.path().join(file);
        let before = std::fs::read(&target).unwrap_or_else(|e| panic!("{e}"));
        opinio()
            .args(["import", "eurepoc"])
            .arg(&global)
            .arg("--attribution")
            .arg(&attribution)
            .arg("-o")
            .arg(&target)
            .assert()
            .failure()
            .stderr(says("is the dataset being read"))
            .stderr(says("help: give another file"));
        let after = std::fs::read(&target).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before, after, "the {output} file was overwritten");
    }
}

/// A write that fails says why in words, with a help line, and no `(os error N)`.
#[test]
fn a_failed_write_is_told_in_words() {
    let dir = tempdir();
    let out = dir.path().join("no").join("such").join("memo.md");
    opinio()
        .args(["report", "-s", NOTPETYA, "-g", "state(russia)", "-o"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(says("its folder does not exist"))
        .stderr(says(
            "help: create the folder first, or give a file in a folder that exists",
        ))
        .stderr(predicate::str::contains("os error").not());
}

// ------------------------------------------------------------------ datasets without end

/// `batch` keeps a line only up to the file-size limit (one line is one scenario): a longer
/// line is reported and skipped, the lines around it are evaluated, and a line of zero bytes
/// without end no longer fills the memory.
#[test]
fn a_batch_line_longer_than_the_limit_is_reported_and_skipped() {
    let mut input = String::from("{\"facts\": [\"state(a)\"]}\n");
    input.push_str(&format!(
        "{{\"facts\": [\"state({})\"]}}\n",
        "x".repeat(5000)
    ));
    input.push_str("{\"facts\": [\"state(b)\"]}\n");
    let out = opinio()
        .args([
            "batch",
            "--max-file-size",
            "1K",
            "-i",
            "-",
            "--goals",
            "state(X)",
        ])
        .write_stdin(input)
        .assert()
        .failure()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].contains("state(a)"), "{out}");
    assert!(
        lines[1].contains(r#""line":2,"error":"the line is longer than 1 KiB"#),
        "{out}"
    );
    assert!(lines[1].contains("--max-file-size 64M"), "{out}");
    assert!(lines[2].contains("state(b)"), "{out}");

    // Five megabytes of zero bytes and no newline: one error, and the run ends.
    opinio()
        .args(["batch", "--max-file-size", "1M", "-i", "-"])
        .write_stdin(vec![0u8; 5 << 20])
        .assert()
        .failure()
        .stdout(says(r#"{"line":1,"error":"the line is longer than 1 MiB"#))
        .stderr(says("1 scenario, 1 error"));
}

/// `batch -i` takes a file or a named pipe: a folder and a device are refused before any line
/// is read, not reported as line 1 or read for ever.
#[test]
fn batch_refuses_a_folder_or_a_device_as_its_input() {
    let dir = tempdir();
    opinio()
        .args(["batch", "-i"])
        .arg(dir.path())
        .assert()
        .failure()
        .stdout("")
        .stderr(says("is a folder, not a file of scenarios"))
        .stderr(says("help: give the JSON Lines file itself"));
    if Path::new("/dev/zero").exists() {
        opinio()
            .args(["batch", "-i", "/dev/zero"])
            .assert()
            .failure()
            .stdout("")
            .stderr(says(
                "`/dev/zero` is not a file of scenarios: it is a device",
            ))
            .stderr(says("help: give a file or a named pipe"));
    }
}

/// `import` holds a whole table in memory: its files must be ordinary files within the
/// file-size limit, which `--max-file-size` moves.
#[test]
fn import_refuses_a_device_a_folder_and_a_file_too_large() {
    let global = "tests/fixtures/datasets/eurepoc_global.csv";
    let dir = tempdir();
    let mut bad: Vec<(PathBuf, &str)> =
        vec![(dir.path().to_path_buf(), "it is a folder, not a file")];
    if Path::new("/dev/zero").exists() {
        bad.push((
            PathBuf::from("/dev/zero"),
            "is not a regular file: it is a device",
        ));
    }
    for (path, says_what) in &bad {
        opinio()
            .args(["import", "eurepoc"])
            .arg(path)
            .assert()
            .failure()
            .stdout("")
            .stderr(says(says_what))
            .stderr(says("help: give the dataset's file"));
        opinio()
            .args(["import", "eurepoc", global, "--attribution"])
            .arg(path)
            .assert()
            .failure()
            .stdout("")
            .stderr(says(says_what));
    }
    opinio()
        .args(["import", "eurepoc", "--max-file-size", "100", global])
        .assert()
        .failure()
        .stdout("")
        .stderr(says(
            "larger than 100 bytes, the most Opinio reads from one file",
        ))
        .stderr(says(
            "help: if the dataset is meant to be this large, run again with --max-file-size 64M",
        ));
    opinio()
        .args(["import", "eurepoc", "--max-file-size", "1M", global])
        .assert()
        .stderr(says("9 incidents read, 5 converted"));
}

/// `-o /dev/stdout` into a pipe: the path leads, through `/proc/self/fd/1`, to a pipe whose
/// link text names no file; the memo is written into the pipe.
#[test]
fn a_memo_to_dev_stdout_reaches_a_pipe() {
    if !Path::new("/dev/stdout").exists() {
        return;
    }
    opinio()
        .args([
            "report",
            "-s",
            NOTPETYA,
            "-g",
            "state(russia)",
            "-f",
            "md",
            "-o",
        ])
        .arg("/dev/stdout")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Memorandum: notpetya.opinio"));
}

/// `batch --chart`, `report -o` and `graph -o` never write over what is being read: the
/// file of scenarios, or a file of the knowledge base (`--extend`). The tester's dataset had
/// become an SVG.
#[test]
fn a_chart_memo_or_graph_over_an_input_is_refused_and_the_input_kept() {
    let dir = tempdir();
    let lines = dir.path().join("cases.jsonl");
    write(&lines, "{\"facts\": [\"state(a)\"]}\n");
    let ext = dir.path().join("ext");
    let law = ext.join("law.opinio");
    write(&law, "predicate my_state(s: State) means \"s is mine\".\n");
    let before = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{e}"));
    let (lines_before, law_before) = (before(&lines), before(&law));
    let mut runs: Vec<(Vec<std::ffi::OsString>, &str)> = Vec::new();
    let os = |v: &[&dyn AsRef<std::ffi::OsStr>]| -> Vec<std::ffi::OsString> {
        v.iter().map(|s| s.as_ref().to_os_string()).collect()
    };
    runs.push((
        os(&[
            &"batch",
            &"-i",
            &lines,
            &"--summary",
            &"--goals",
            &"state(X)",
            &"--chart",
            &lines,
        ]),
        "is the file of scenarios being read",
    ));
    runs.push((
        os(&[
            &"batch",
            &"--extend",
            &ext,
            &"-i",
            &lines,
            &"--summary",
            &"--goals",
            &"state(X)",
            &"--chart",
            &law,
        ]),
        "is a file of the knowledge base",
    ));
    runs.push((
        os(&[
            &"report",
            &"--extend",
            &ext,
            &"-s",
            &NOTPETYA,
            &"-g",
            &"state(X)",
            &"-o",
            &law,
        ]),
        "is a file of the knowledge base",
    ));
    runs.push((
        os(&[
            &"graph",
            &"--extend",
            &ext,
            &"-o",
            &ext.join(".").join("law.opinio"),
        ]),
        "is a file of the knowledge base",
    ));
    for (args, says_what) in runs {
        opinio()
            .args(&args)
            .assert()
            .failure()
            .stderr(says(says_what))
            .stderr(says("would destroy it"))
            .stderr(says("help: give another file"));
    }
    assert_eq!(
        before(&lines),
        lines_before,
        "the scenarios were overwritten"
    );
    assert_eq!(before(&law), law_before, "the law was overwritten");
}

/// An input read from standard input (`-i -`, `-s -`) is an input too: `< cases.jsonl
/// --chart cases.jsonl` and `< case.opinio -o case.opinio` are refused and the file kept.
#[cfg(unix)]
#[test]
fn an_output_over_the_file_behind_standard_input_is_refused() {
    let dir = tempdir();
    let lines = dir.path().join("cases.jsonl");
    write(&lines, "{\"facts\": [\"state(a)\"]}\n");
    let scenario = dir.path().join("case.opinio");
    std::fs::copy(NOTPETYA, &scenario).unwrap_or_else(|e| panic!("{e}"));
    let before = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{e}"));
    let (lines_before, scenario_before) = (before(&lines), before(&scenario));
    // The file itself as standard input (not its content through a pipe), as `< file` does.
    let run_with_stdin = |args: &[&std::ffi::OsStr], input: &Path| {
        let bin = assert_cmd::cargo::cargo_bin("opinio");
        let out = std::process::Command::new(bin)
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(std::fs::File::open(input).unwrap_or_else(|e| panic!("{e}")))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success());
        flat(&String::from_utf8_lossy(&out.stderr))
    };
    let os = std::ffi::OsStr::new;
    let chart = [
        "batch",
        "-i",
        "-",
        "--summary",
        "--goals",
        "state(X)",
        "--chart",
    ];
    let mut args: Vec<&std::ffi::OsStr> = chart.iter().map(os).collect();
    args.push(lines.as_os_str());
    let err = run_with_stdin(&args, &lines);
    assert!(
        err.contains("is the file of scenarios being read (standard input)"),
        "{err}"
    );
    let memo = ["report", "-s", "-", "-g", "state(X)", "-f", "md", "-o"];
    let mut args: Vec<&std::ffi::OsStr> = memo.iter().map(os).collect();
    args.push(scenario.as_os_str());
    let err = run_with_stdin(&args, &scenario);
    assert!(
        err.contains("is the scenario being reported on (standard input)"),
        "{err}"
    );
    assert_eq!(
        before(&lines),
        lines_before,
        "the scenarios were overwritten"
    );
    assert_eq!(
        before(&scenario),
        scenario_before,
        "the scenario was overwritten"
    );
}
