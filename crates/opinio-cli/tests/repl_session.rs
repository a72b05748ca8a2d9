//! The session logic without a terminal: `Session::handle_line` driven from code.

use opinio::{KnowledgeBase, Truth};
use opinio_cli::cli::KbArgs;
use opinio_cli::repl::{Session, Status};
use std::collections::VecDeque;

fn session() -> Session {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
    Session::new(&kb, KbArgs::default())
}

/// Runs one line; its status and output. `answers` feed an interview.
fn run(s: &mut Session, line: &str, answers: &[&str]) -> (Status, String) {
    let mut queue: VecDeque<String> = answers.iter().map(|a| a.to_string()).collect();
    let mut out = Vec::new();
    let status = s.handle_line(line, &mut out, &mut |_prompt| queue.pop_front());
    (status, String::from_utf8_lossy(&out).into_owned())
}

fn ok(s: &mut Session, line: &str) -> String {
    let (status, out) = run(s, line, &[]);
    assert_eq!(status, Status::Done, "`{line}` failed:\n{out}");
    out
}

const CASE: &str = "state(astoria). state(borduria). operation(op). conducted_by(op, unit). organ_of(unit, borduria).";

fn value(s: &Session, goal: &str) -> Truth {
    let r = s
        .scenario()
        .query(goal, Some(s.position_name()))
        .unwrap_or_else(|e| panic!("{e}"));
    r.answers.first().map(|a| a.value).unwrap_or(Truth::False)
}

#[test]
fn facts_are_stated_and_questions_answered_with_a_reason() {
    let mut s = session();
    let out = ok(&mut s, CASE);
    assert!(
        out.contains("noted: organ_of(unit, borduria) is true"),
        "{out}"
    );
    ok(&mut s, "agents_present_in(op, astoria).");
    let out = ok(&mut s, "? violates_sovereignty(op, astoria)");
    assert!(
        out.starts_with(
            "violates_sovereignty(op, astoria) = true — by rule sovereignty_violation_by_state"
        ),
        "{out}"
    );
    let out = ok(&mut s, "? violates_sovereignty(op, V)");
    assert!(
        out.contains("V = astoria"),
        "every binding is listed: {out}"
    );
    let out = ok(&mut s, "? knew_of(borduria, op)");
    assert!(
        out.contains("= unknown — nobody has stated it: a missing fact"),
        "{out}"
    );
}

#[test]
fn a_bad_line_changes_nothing_and_the_session_goes_on() {
    let mut s = session();
    ok(&mut s, CASE);
    let before = s.scenario().facts().len();
    for bad in [
        "state(x). organ_of(unit).",
        "conducted_by(op unit2).",
        "not conducted_by(op, unit).",
        "orgn_of(unit, astoria).",
        "? violates_sovereignty(op, atlantis)",
        ":nonsense",
        ":position nowhere",
        ":load /nonexistent/case.opinio",
    ] {
        let (status, out) = run(&mut s, bad, &[]);
        assert_eq!(status, Status::Failed, "`{bad}` should fail:\n{out}");
        assert!(!out.is_empty(), "`{bad}` explains its problem");
        assert_eq!(
            s.scenario().facts().len(),
            before,
            "`{bad}` changed the facts"
        );
    }
    let (_, out) = run(&mut s, "state(x). organ_of(unit).", &[]);
    assert!(
        out.contains("organ_of(unit)") && out.contains("╭─"),
        "the span is shown: {out}"
    );
    assert_eq!(s.position_name(), "tallinn2");
    ok(&mut s, "? violates_sovereignty(op, astoria)");
}

#[test]
fn assume_retract_and_unsaved_facts() {
    let mut s = session();
    ok(&mut s, CASE);
    assert_eq!(s.unsaved(), 5);
    ok(&mut s, ":assume attributable(op, astoria)");
    assert_eq!(value(&s, "attributable(op, astoria)"), Truth::True);
    let out = ok(&mut s, ":assume not attributable(op, astoria)");
    assert!(out.contains("replaces the earlier statement"), "{out}");
    assert_eq!(value(&s, "attributable(op, astoria)"), Truth::False);
    ok(&mut s, ":retract attributable(op, astoria)");
    assert_eq!(value(&s, "attributable(op, astoria)"), Truth::Unknown);
    let (status, _) = run(&mut s, ":retract attributable(op, astoria)", &[]);
    assert_eq!(status, Status::Failed, "nothing left to withdraw");
    assert_eq!(s.unsaved(), 5);
}

#[test]
fn save_writes_the_whole_file_and_load_reads_it_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("case");
    let mut s = session();
    ok(&mut s, CASE);
    let out = ok(&mut s, &format!(":save {}", path.display()));
    assert!(out.contains("Saved 5 facts to"), "{out}");
    assert_eq!(s.unsaved(), 0);
    let file = dir.path().join("case.opinio");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("organ_of(unit, borduria)."));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["case.opinio".to_string()],
        "no temporary file is left"
    );

    let mut t = session();
    let out = ok(&mut t, &format!(":load {}", file.display()));
    assert!(out.contains("Loaded 5 facts"), "{out}");
    assert_eq!(t.unsaved(), 0, "loaded facts are in a file");
    ok(&mut t, "targeted(op, astoria).");
    assert_eq!(t.unsaved(), 1);
    // `:reload` reads the file again and keeps the typed fact.
    let out = ok(&mut t, ":reload");
    assert!(out.contains("6 facts"), "{out}");
    assert_eq!(value(&t, "targeted(op, astoria)"), Truth::True);

    // Saving into a folder that does not exist fails and leaves nothing behind.
    let (status, out) = run(
        &mut t,
        &format!(":save {}/no/such/dir/x.opinio", dir.path().display()),
        &[],
    );
    assert_eq!(status, Status::Failed, "{out}");
    assert!(out.contains("Nothing was written"), "{out}");
}

#[test]
fn an_interview_asks_until_the_answer_is_settled() {
    let mut s = session();
    ok(
        &mut s,
        "state(arcadia). state(borduria). operation(blackout). conducted_by(blackout, crew).
         originated_from(blackout, arcadia). effect_in(blackout, borduria, physical_damage).",
    );
    let goal = "breaches_due_diligence(arcadia, blackout, borduria)";
    assert_eq!(value(&s, goal), Truth::Unknown);
    let (status, out) = run(
        &mut s,
        &format!(":interview {goal}"),
        &["yes", "yes", "no", "yes"],
    );
    assert_eq!(status, Status::Done);
    // The question in the words of the predicate's reading, its meaning underneath.
    assert!(
        out.contains(
            "1. Is it the case that arcadia had feasible measures to end or curtail blackout?\n   (that is: the State had measures"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!("Verdict under tallinn2: {goal} is true.")),
        "{out}"
    );
    assert_eq!(value(&s, goal), Truth::True);
    assert!(
        s.scenario()
            .facts()
            .iter()
            .any(|f| s.scenario().fact_text(f) == "not took_feasible_measures(arcadia, blackout)."),
        "a `no` is stated as `not`"
    );
    // One question at a time: a decisive `no` ends it at once.
    let mut t = session();
    ok(
        &mut t,
        "state(arcadia). state(borduria). operation(blackout). conducted_by(blackout, crew).
         originated_from(blackout, arcadia). effect_in(blackout, borduria, physical_damage).",
    );
    let (_, out) = run(&mut t, &format!(":interview {goal}"), &["no", "yes", "yes"]);
    assert!(out.contains(&format!("{goal} is false.")), "{out}");
    assert!(
        !out.contains("2. Is it the case"),
        "only one question was needed:\n{out}"
    );
}

#[test]
fn help_lists_every_command_and_completion_data_is_ready() {
    let mut s = session();
    let out = ok(&mut s, ":help");
    for c in opinio_cli::repl::commands::COMMANDS {
        assert!(
            out.contains(&format!(":{}", c.name)),
            ":help lists :{}",
            c.name
        );
    }
    ok(&mut s, CASE);
    let catalog = s.catalog();
    assert!(catalog.positions.iter().any(|p| p == "uk"));
    assert!(catalog
        .predicates
        .iter()
        .any(|p| p.name == "organ_of" && !p.meaning.is_empty()));
    let states = catalog
        .constants
        .iter()
        .find(|(t, _)| t == "State")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(states.contains(&"astoria".to_string()), "{states:?}");
    assert!(s.prompt().contains("tallinn2"));
    assert!(s.banner().contains("Type :help"));
}

#[test]
fn quit_ends_and_later_lines_are_not_run() {
    let mut s = session();
    let (status, _) = run(&mut s, ":quit\nstate(x).", &[]);
    assert_eq!(status, Status::Quit);
    assert!(s.scenario().facts().is_empty());
}

#[test]
fn report_writes_the_memo_of_the_session() {
    let mut s = session();
    ok(&mut s, CASE);
    ok(&mut s, "agents_present_in(op, astoria).");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("memo.html");
    let line = format!(
        ":report {} violates_sovereignty(op, astoria)",
        file.display()
    );
    let out = ok(&mut s, &line);
    assert!(
        out.contains("Wrote the memo (1 question, under tallinn2)"),
        "{out}"
    );
    let page = std::fs::read_to_string(&file).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"), "HTML for `.html`");
    assert!(page.contains("Whether op violates the sovereignty of astoria"));
    assert!(page.contains("agents of the acting State were present in astoria to carry out op"));
    // Markdown for any other name; without a question and without `expect`s, a question is
    // asked for.
    let md = dir.path().join("memo.md");
    ok(
        &mut s,
        &format!(":report {} violates_sovereignty(op, astoria)", md.display()),
    );
    assert!(std::fs::read_to_string(&md)
        .expect("written")
        .starts_with("# Memorandum: the facts of this session\n"));
    let (status, out) = run(&mut s, &format!(":report {}", md.display()), &[]);
    assert_eq!(status, Status::Failed);
    assert!(
        out.contains("Which question should the memo answer?"),
        "{out}"
    );
}

/// `:save` over the file the session loaded keeps what the reader wrote there: the case
/// narrative in comments, the layout; a withdrawn fact's line goes, new facts follow.
#[test]
fn save_over_a_loaded_file_keeps_its_comments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.opinio");
    let original = "\
# The blackout case.
# Sources: press reports of March 2024.
state(astoria).
state(borduria).
operation(op). # the blackout
conducted_by(op, unit).  # named by Astoria's CERT
organ_of(unit, borduria).
";
    std::fs::write(&path, original).expect("write");
    let mut s = session();
    let shown = path.display().to_string();
    ok(&mut s, &format!(":load {shown}"));
    ok(&mut s, ":retract organ_of(unit, borduria).");
    ok(&mut s, "targeted(op, astoria).");
    let out = ok(&mut s, &format!(":save {shown}"));
    assert!(out.contains("Saved 5 facts"), "{out}");
    let saved = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        saved,
        "\
# The blackout case.
# Sources: press reports of March 2024.
state(astoria).
state(borduria).
operation(op). # the blackout
conducted_by(op, unit).  # named by Astoria's CERT

# Stated in the Opinio session:
targeted(op, astoria).
"
    );
    // The file still loads to the same facts.
    let mut again = session();
    ok(&mut again, &format!(":load {shown}"));
    assert_eq!(again.scenario().facts().len(), 5);
}

/// A name written like a date (`"2019-01-02"`, quoted: a name, not a date) is saved with its
/// quotes, and a date in a date's slot without them, so the file loads back as it was typed.
#[test]
fn save_keeps_the_quotes_of_a_name_written_like_a_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dates.opinio");
    let mut s = session();
    let case = r#"state("2019-01-02"). state(astoria). operation(op). occurred_on(op, 2020-03-04). organ_of(unit, "2019-01-02")."#;
    ok(&mut s, case);
    // The same name as a date is the same constant: refused, with a name to use instead.
    let (status, out) = run(&mut s, "occurred_on(op, 2019-01-02).", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(out.contains("\"state 2019-01-02\""), "{out}");
    ok(&mut s, &format!(":save {}", path.display()));
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(saved.contains("state(\"2019-01-02\").\n"), "{saved}");
    assert!(
        saved.contains("organ_of(unit, \"2019-01-02\").\n"),
        "{saved}"
    );
    assert!(saved.contains("occurred_on(op, 2020-03-04).\n"), "{saved}");
    let mut t = session();
    let out = ok(&mut t, &format!(":load {}", path.display()));
    assert!(out.contains("Loaded 5 facts"), "{out}");
    assert_eq!(value(&t, r#"organ_of(unit, "2019-01-02")"#), Truth::True);
    // A variable's value is written as in its slot: quoted for the Actor's State, bare for
    // the date.
    let binding = |goal: &str, var: &str| {
        let r = t
            .scenario()
            .query(goal, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let found = r.answers[0]
            .bindings
            .iter()
            .find(|(v, _)| v == var)
            .cloned();
        found.map(|(_, value)| value)
    };
    assert_eq!(
        binding("organ_of(A, S)", "S").as_deref(),
        Some("\"2019-01-02\"")
    );
    assert_eq!(
        binding("occurred_on(O, D)", "D").as_deref(),
        Some("2020-03-04")
    );
}

/// A file the session did not load is written in full, as before.
#[test]
fn save_to_a_new_file_writes_the_facts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new.opinio");
    let mut s = session();
    ok(&mut s, "state(astoria).");
    ok(&mut s, &format!(":save {}", path.display()));
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(saved.starts_with("# Saved by Opinio.\n"), "{saved}");
    assert!(saved.contains("state(astoria).\n"), "{saved}");
}

/// A refused `:as-of` leaves the date in use as it was and says so; it used to stay set and
/// refuse every later question, with `:as-of off` the only way out and said nowhere.
#[test]
fn a_refused_as_of_keeps_the_date_in_use() {
    let mut s = session();
    ok(&mut s, CASE);
    // No operation is dated: "as of the operation" cannot be found.
    let (status, out) = run(&mut s, ":as-of operation", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(
        out.contains("dates no operation") && out.contains("`:as-of off`"),
        "{out}"
    );
    assert!(!out.contains("--as-of"), "the session has no flags: {out}");
    assert!(out.contains("still given as of today"), "{out}");
    let out = ok(&mut s, "? state(astoria)");
    assert!(out.starts_with("state(astoria) = true"), "{out}");
    // A date set before is kept when a later `:as-of` is refused.
    ok(&mut s, ":as-of 2017-06-27");
    ok(
        &mut s,
        "occurred_on(op, 2017-06-27). occurred_on(op2, 2018-01-01).",
    );
    let (status, out) = run(&mut s, ":as-of operation", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(out.contains("ambiguous"), "{out}");
    assert!(out.contains("still given as of 27 June 2017"), "{out}");
    let out = ok(&mut s, ":as-of");
    assert!(out.contains("as of 27 June 2017"), "{out}");
    ok(&mut s, "? state(astoria)");
    let (status, out) = run(&mut s, ":as-of 2017-02-30", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(out.contains("still given as of 27 June 2017"), "{out}");
    // The help of the command says how to go back to today.
    let out = ok(&mut s, ":help as-of");
    assert!(
        out.contains("`:as-of off`") && out.contains("refused"),
        "{out}"
    );
}

/// "As of the operation", once set, reads the facts at each question: when they change so
/// that the date cannot be found, the refusal names the session's commands.
#[test]
fn an_operation_date_lost_later_says_how_to_go_back_to_today() {
    let mut s = session();
    ok(&mut s, CASE);
    ok(&mut s, "occurred_on(op, 2017-06-27).");
    ok(&mut s, ":as-of operation");
    ok(&mut s, ":retract occurred_on(op, 2017-06-27)");
    let (status, out) = run(&mut s, "? state(astoria)", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(
        out.contains("`:as-of off`") && !out.contains("--as-of"),
        "{out}"
    );
    ok(&mut s, ":as-of off");
    ok(&mut s, "? state(astoria)");
}

/// An unknown name is shown as it is written in the language (quoted when it is not plain),
/// in the message, the suggestion and the list of known names: it was shown bare
/// (`` `Fancy Beer` is not a State ``), which cannot be typed back.
#[test]
fn unknown_names_are_shown_as_written() {
    let mut s = session();
    ok(&mut s, "state(\"Fancy Bear\"). state(astoria).");
    let (status, out) = run(&mut s, "? state(\"Fancy Beer\")", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(
        out.contains("`\"Fancy Beer\"` is not a State the scenario or knowledge base knows"),
        "{out}"
    );
    assert!(out.contains("did you mean `\"Fancy Bear\"`?"), "{out}");
    let (_, out) = run(&mut s, "? state(\"Zz qq\")", &[]);
    assert!(
        out.contains("the State values known here: \"Fancy Bear\", astoria"),
        "{out}"
    );
    // A name written like a date, in a slot that is not a date, keeps its quotes; a tab is
    // written as the language writes it, not printed raw.
    let (_, out) = run(&mut s, "? state(\"2019-01-02\")", &[]);
    assert!(out.contains("`\"2019-01-02\"` is not a State"), "{out}");
    let (_, out) = run(&mut s, "? state(\"a\\tb\")", &[]);
    assert!(out.contains("`\"a\\tb\"` is not a State"), "{out}");
    assert!(!out.contains('\t'), "{out}");
    let (_, out) = run(&mut s, ":position \"Foo bar\"", &[]);
    assert!(out.contains("no position is named `\"Foo bar\"`"), "{out}");
}

/// `goal(x)` holds by any one of twelve rules of two unknown facts each: 24 missing facts,
/// 2¹² smallest sets that would make it false, more than any search tries.
fn wide_kb() -> KnowledgeBase {
    let mut text = String::from(
        "source s \"S\".\ntype T.\npredicate t(x: T) closed means \"a thing\".\npredicate goal(x: T) means \"the goal\".\n",
    );
    for i in 0..12 {
        text.push_str(&format!(
            "predicate a{i}(x: T) means \"a{i}\".\npredicate b{i}(x: T) means \"b{i}\".\nrule r{i}: goal(X) if t(X) and a{i}(X) and b{i}(X) cites s \"1\".\n"
        ));
    }
    KnowledgeBase::from_strings([("wide.opinio", text.as_str())])
        .unwrap_or_else(|e| panic!("{}", e.render()))
}

/// `:missing --all` cannot send the reader to `:missing --all` again: when even its search
/// is cut, it says that stating facts narrows it (it said "`:missing --all GOAL` searches
/// further").
#[test]
fn missing_all_does_not_point_to_itself() {
    let mut s = Session::new(&wide_kb(), KbArgs::default());
    ok(&mut s, "t(x).");
    let out = ok(&mut s, ":missing goal(x)");
    assert!(out.contains("`:missing --all GOAL`"), "{out}");
    let out = ok(&mut s, ":missing --all goal(x)");
    assert!(out.contains("Facts that would make it false"), "{out}");
    assert!(!out.contains("--all"), "{out}");
    assert!(
        out.contains("so there may be more; stating some of the facts above narrows it"),
        "{out}"
    );
}

/// A question may end with `?` wherever one is asked, not only on a line of its own: `?
/// GOAL?` and the commands' goals were refused ("expected the end of the text or `.`").
#[test]
fn a_question_mark_may_end_any_question() {
    let mut s = session();
    ok(&mut s, CASE);
    let out = ok(&mut s, "? state(astoria)?");
    assert!(out.starts_with("state(astoria) = true"), "{out}");
    let out = ok(&mut s, "state(astoria)?");
    assert!(out.starts_with("state(astoria) = true"), "{out}");
    ok(&mut s, ":why state(astoria)?");
    ok(&mut s, ":whynot attributable(op, astoria)?");
    ok(&mut s, ":missing knew_of(borduria, op)?");
    let out = ok(&mut s, ":compare attributable(op, borduria)?");
    assert!(
        !out.contains(")?"),
        "the table names the question as asked: {out}"
    );
    // A fact is not a question.
    let (status, _) = run(&mut s, ":retract state(astoria)?", &[]);
    assert_eq!(status, Status::Failed);
}

/// A file name between double quotes is read as a quoted name is: `\"` is a double quote
/// and `\\` a backslash. `:save "q\"x.opinio"` wrote a file named `q\"x.opinio`; a quote left
/// open was dropped silently.
#[test]
fn a_quoted_file_name_is_read_as_a_quoted_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().display().to_string();
    let mut s = session();
    ok(&mut s, "state(astoria).");
    let out = ok(&mut s, &format!(":save \"{d}/q\\\"x.opinio\""));
    assert!(out.contains("q\"x.opinio"), "{out}");
    assert!(dir.path().join("q\"x.opinio").is_file());
    ok(&mut s, &format!(":save \"{d}/my case\""));
    assert!(dir.path().join("my case.opinio").is_file());
    let out = ok(&mut s, &format!(":save \"{d}/a\\\\b.opinio\""));
    assert!(out.contains("a\\b.opinio"), "{out}");
    assert!(dir.path().join("a\\b.opinio").is_file());
    ok(&mut s, &format!(":load \"{d}/q\\\"x.opinio\""));
    for (bad, says) in [
        (format!(":save \"{d}/open"), "does not close it"),
        (
            format!(":save \"{d}/x\\q.opinio\""),
            "`\\q` in a quoted file name is not an escape",
        ),
        (
            format!(":save \"{d}/x.opinio\" more"),
            "`more` follows the file name's closing quote",
        ),
        (
            format!(":save \"{d}/x\\ty.opinio\""),
            "control character U+0009",
        ),
        (format!(":load \"{d}/open"), "does not close it"),
    ] {
        let (status, out) = run(&mut s, &bad, &[]);
        assert_eq!(status, Status::Failed, "{bad}: {out}");
        assert!(out.contains(says), "{bad}: {out}");
    }
    let files = std::fs::read_dir(dir.path()).expect("list").count();
    assert_eq!(files, 3, "nothing else was written");
}

/// The answer "in words" shows a name's invisible characters escaped, as messages do: a
/// right-to-left override printed raw reordered the rest of the line.
#[test]
fn an_answer_in_words_shows_invisible_characters_escaped() {
    let mut s = session();
    ok(&mut s, "state(\"ukr\u{202E}aine\").");
    let out = ok(&mut s, "? state(X)");
    let words = out
        .lines()
        .find(|l| l.contains("in words:"))
        .unwrap_or_else(|| panic!("no answer in words: {out}"));
    assert!(words.contains("ukr\\u{202E}aine is a State"), "{out}");
    assert!(!words.contains('\u{202E}'), "{out}");
}

/// `:graph [PREDICATE] [FILE]`: the file is the rest of the line, as `:save` reads one
/// (spaces and all, or between double quotes); the suggested Graphviz command quotes it for
/// a shell.
#[test]
fn graph_takes_a_file_name_with_spaces_or_quotes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().display().to_string();
    let mut s = session();
    ok(&mut s, &format!(":graph state {d}/my graph.svg"));
    assert!(dir.path().join("my graph.svg").is_file());
    let out = ok(&mut s, &format!(":graph \"{d}/q\\\"g.dot\""));
    assert!(dir.path().join("q\"g.dot").is_file(), "{out}");
    assert!(out.contains("dot -Tsvg '"), "{out}");
    let (status, out) = run(&mut s, ":graph nosuch x.svg", &[]);
    assert_eq!(status, Status::Failed, "{out}");
    assert!(
        out.contains("No fact or conclusion is named `nosuch`"),
        "{out}"
    );
}

/// `:save ""` and `:load ""`: an empty name between quotes is refused in words (it wrote
/// `.opinio` and read "``" before).
#[test]
fn an_empty_quoted_file_name_is_refused() {
    let mut s = session();
    ok(&mut s, "state(astoria).");
    for line in [":save \"\"", ":load \"\""] {
        let (status, out) = run(&mut s, line, &[]);
        assert_eq!(status, Status::Failed, "{line}: {out}");
        assert!(
            out.contains("The file name between the quotes is empty"),
            "{line}: {out}"
        );
    }
}

/// `:missing --al GOAL`: a misspelt option is named, with the one option there is (it was
/// read as the question and failed as a syntax error at its `-`).
#[test]
fn a_misspelt_missing_option_is_named() {
    let mut s = session();
    ok(&mut s, "state(astoria).");
    for line in [":missing --al state(X)", ":missing -all state(X)"] {
        let (status, out) = run(&mut s, line, &[]);
        assert_eq!(status, Status::Failed, "{line}: {out}");
        assert!(
            out.contains("`:missing` knows one option, `--all`"),
            "{line}: {out}"
        );
    }
}

/// `:save` over a loaded file whose lines end in CRLF (as Windows editors save) writes the
/// facts stated since with CRLF too, not a file of mixed line ends.
#[test]
fn save_over_a_crlf_file_keeps_its_line_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("case.opinio");
    std::fs::write(&file, "# case\r\nstate(astoria).\r\n").expect("written");
    let mut s = session();
    ok(&mut s, &format!(":load {}", file.display()));
    ok(&mut s, "state(borduria).");
    ok(&mut s, &format!(":save {}", file.display()));
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(
        text.starts_with("# case\r\nstate(astoria).\r\n"),
        "{text:?}"
    );
    assert!(text.ends_with("state(borduria).\r\n"), "{text:?}");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "{text:?}"
    );
}

/// `:graph` and `:report` never write over a file loaded in the session, nor to a `.opinio`
/// name (a scenario or a knowledge file, `--extend` ones included): the memo had replaced
/// the scenario, comments and all.
#[test]
fn graph_and_report_refuse_to_replace_a_loaded_or_opinio_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("case.txt");
    std::fs::write(&case, "# my notes\nstate(astoria).\n").expect("written");
    let mut s = session();
    ok(&mut s, &format!(":load {}", case.display()));
    let d = dir.path().display().to_string();
    for (line, says) in [
        (
            format!(":graph state {}", case.display()),
            "is a file loaded in this session",
        ),
        (
            format!(":report {} state(X)", case.display()),
            "is a file loaded in this session",
        ),
        (
            format!(":graph state {d}/law.opinio"),
            "is named as a scenario or knowledge file",
        ),
        (
            format!(":report {d}/other.opinio state(X)"),
            "is named as a scenario or knowledge file",
        ),
    ] {
        let (status, out) = run(&mut s, &line, &[]);
        assert_eq!(status, Status::Failed, "{line}: {out}");
        assert!(out.contains(says), "{line}: {out}");
    }
    let text = std::fs::read_to_string(&case).expect("read");
    assert_eq!(text, "# my notes\nstate(astoria).\n");
    assert!(!dir.path().join("law.opinio").exists());
}
