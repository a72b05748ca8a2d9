//! `opinio report`: the legal memo. The Markdown memo for NotPetya is a reviewed snapshot;
//! the HTML page is checked for what makes it usable offline and in print.

use assert_cmd::Command;
use opinio::{KnowledgeBase, Scenario};
use opinio_cli::memo::{html, markdown, Memo, MemoRequest};
use std::path::Path;

fn notpetya() -> Scenario {
    let kb = KnowledgeBase::bundled().expect("bundled");
    let mut s = Scenario::new(&kb);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../opinio/tests/scenarios/notpetya.opinio");
    s.load_file(&path).expect("loads");
    s
}

fn request(goals: &[&str]) -> MemoRequest {
    MemoRequest {
        goals: goals.iter().map(|g| g.to_string()).collect(),
        positions: Vec::new(),
        knowledge_base: "the bundled knowledge base".into(),
        subject: "notpetya.opinio".into(),
    }
}

/// The memo with what changes with every edit of the knowledge base or the checkout (the
/// hashes, the scenario's path) replaced by placeholders.
fn stable(memo: &str) -> String {
    memo.lines()
        .map(|l| {
            if l.starts_with("- Knowledge base:") {
                "- Knowledge base: the bundled knowledge base, <N> files, SHA-256 <hash>."
                    .to_string()
            } else if l.starts_with("- Scenario:") {
                "- Scenario: <path>, SHA-256 <hash>.".to_string()
            } else if l.starts_with("- Computed with Opinio") {
                "- Computed with Opinio <version>.".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_notpetya_memo() {
    let s = notpetya();
    let memo = Memo::build(
        &s,
        &request(&[
            "violates_sovereignty(notpetya, ukraine)",
            "violates_sovereignty(notpetya, denmark)",
        ]),
    )
    .expect("builds");
    let md = markdown(&memo);
    // What issue 16 asks of the Danish question, in the memo's words.
    assert!(md.contains("2. Open: whether notpetya violates the sovereignty of denmark turns on a point on which the law is divided, sovereignty below the damage threshold, and no fact could settle it. Positions answering yes: france, ireland; answering no: uk, us_dod_2020."), "{md}");
    assert!(
        !md.contains("instructions of denmark"),
        "no fact about Denmark authoring NotPetya is listed"
    );
    assert!(md.lines().count() <= 150, "the memo fits in 150 lines");
    insta::assert_snapshot!("notpetya_memo_md", stable(&md));
}

#[test]
fn the_memo_records_what_it_was_computed_with() {
    let s = notpetya();
    let memo = Memo::build(&s, &request(&["attributable(notpetya, russia)"])).expect("builds");
    let p = &memo.provenance;
    let hash = &p.computed.knowledge_base_hash;
    assert_eq!(hash.len(), 64, "a SHA-256 in hex");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        *hash,
        s.knowledge_base().content_hash(),
        "the library's hash"
    );
    assert_eq!(p.computed.positions, ["tallinn2"]);
    assert_eq!(p.scenario_files.len(), 1);
    assert!(p.scenario_files[0].0.ends_with("notpetya.opinio"));
    assert!(
        p.limits_in_words().contains("derived statements"),
        "{}",
        p.limits_in_words()
    );
    assert!(p
        .search_in_words()
        .is_some_and(|w| w.contains("evaluations each way")));
    // The same knowledge base hashes the same; another one does not.
    let again =
        Memo::build(&notpetya(), &request(&["attributable(notpetya, russia)"])).expect("builds");
    assert_eq!(again.provenance.computed.knowledge_base_hash, *hash);
    let other =
        KnowledgeBase::from_strings([("k.opinio", "type T. predicate p(x: T).")]).expect("loads");
    let o = Memo::build(&Scenario::new(&other), &request(&[])).expect("builds");
    assert_ne!(o.provenance.computed.knowledge_base_hash, *hash);
    assert!(o.questions.is_empty());
    // A knowledge base of one file is "1 file", not "1 files".
    assert!(
        markdown(&o).contains(", 1 file, SHA-256"),
        "{}",
        markdown(&o)
    );
    assert!(html(&o).contains(", 1 file, SHA-256"));
}

#[test]
fn the_html_memo_is_self_contained_escaped_and_printable() {
    let s = notpetya();
    let mut memo =
        Memo::build(&s, &request(&["violates_sovereignty(notpetya, denmark)"])).expect("builds");
    memo.title = "Memorandum: <script>alert(1)</script> & co".into();
    let page = html(&memo);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(
        !page.contains("<script"),
        "no script, and the title is escaped"
    );
    for external in [
        "src=",
        "href=\"http",
        "href=\"//",
        "@import",
        "url(http",
        "url(//",
    ] {
        assert!(!page.contains(external), "an external asset: {external}");
    }
    // The picture of what the question rests on is inlined, and its ids are the page's own.
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(page.contains("What violates_sovereignty rests on, under the position tallinn2"));
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every id once");
    for r in page.split("url(#").skip(1) {
        let target: String = r.chars().take_while(|c| *c != ')').collect();
        assert!(
            ids.contains(&target.as_str()),
            "`url(#{target})` points at an id"
        );
    }
    assert!(page.contains("<details class=\"steps\">") && page.contains("<summary>"));
    assert!(page.contains("@media print"));
    // Every footnote reference points at a footnote.
    for (at, _) in page.match_indices("href=\"#fn") {
        let n: String = page[at + "href=\"#fn".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(page.contains(&format!("<li id=\"fn{n}\">")), "footnote {n}");
    }
    // Balanced tags.
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag ends");
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue; // the doctype, and SVG's empty elements (`<rect … />`)
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name == "meta" {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "tags nest");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// Two questions on two predicates: two pictures on one page, whose ids differ.
#[test]
fn two_pictures_on_one_page_share_no_id() {
    let s = notpetya();
    let memo = Memo::build(
        &s,
        &request(&[
            "attributable(notpetya, russia)",
            "violates_sovereignty(notpetya, ukraine)",
        ]),
    )
    .expect("builds");
    assert_eq!(memo.pictures.len(), 2);
    let page = html(&memo);
    assert_eq!(page.matches("<details class=\"picture\" open>").count(), 2);
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(
        ids.contains(&"g1-endarrow") && ids.contains(&"g2-endarrow"),
        "{ids:?}"
    );
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every id once");
    // The Markdown memo refers to no file: it says where the pictures are, in one line.
    let md = markdown(&memo);
    assert!(md.contains("The HTML version of this memo draws the rules each question rests on."));
    assert!(!md.contains("<svg"));
}

#[test]
fn report_writes_the_file_in_the_format_its_name_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("memo.html");
    Command::cargo_bin("opinio")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "-s",
            "../opinio/tests/scenarios/notpetya.opinio",
            "-g",
            "violates_sovereignty(notpetya, denmark)",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let page = std::fs::read_to_string(&out).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("sovereignty below the damage threshold"));
}

/// A name whose extension says a format Opinio does not write (`memo.pdf`, `graph.png`) is
/// refused, and nothing is written, instead of a file that does not open as its name says.
#[test]
fn a_file_named_for_a_format_opinio_does_not_write_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (args, name) in [
        (
            vec!["report", "-s", "../opinio/tests/scenarios/notpetya.opinio"],
            "memo.pdf",
        ),
        (vec!["graph"], "graph.png"),
    ] {
        let out = dir.path().join(name);
        Command::cargo_bin("opinio")
            .expect("binary")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("Opinio does not write"))
            .stderr(predicates::str::contains("help:"));
        assert!(!out.exists(), "{name} was written");
    }
}

#[test]
fn report_without_a_question_says_how_to_ask_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.opinio");
    std::fs::write(&case, "state(arcadia).\n").expect("written");
    let out = Command::cargo_bin("opinio")
        .expect("binary")
        .args(["report", "-s"])
        .arg(&case)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("--goals"), "{err}");
}

/// Names a scenario may give that Markdown or HTML would read as markup: emphasis, code, a
/// link, raw HTML and entities, a table's bar, and what starts a list or a heading.
const TRICKY: &str = r##"
state("<b>&\"x\"").
state("*Arcadia* _the_ `great`").
state("- Borduria | [link](http://example.org)").
state("1. Syldavia").
state("# Ruritania").
operation("op```tick").
conducted_by("op```tick", unit_1).
organ_of(unit_1, "*Arcadia* _the_ `great`").
intruded_into("op```tick", "<b>&\"x\"").
"##;

fn tricky_memo() -> Memo {
    let kb = KnowledgeBase::bundled().expect("bundled");
    let mut s = Scenario::new(&kb);
    s.add_text("tricky.opinio", TRICKY).expect("loads");
    let mut req = request(&[
        r#"violates_sovereignty("op```tick", "<b>&\"x\"")"#,
        r#"attributable("op```tick", "*Arcadia* _the_ `great`")"#,
    ]);
    req.subject = "case *1* `x`.opinio".into();
    Memo::build(&s, &req).expect("builds")
}

/// The Markdown memo as a CommonMark reader (with GitHub's tables and footnotes) sees it:
/// each heading and list item as its text (code spans as their content), by section, and
/// the markup that no memo writes (emphasis, links, images, raw HTML) named.
fn read_markdown(md: &str) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut unwanted = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Item) => {
                if depth == 0 {
                    current = Some(String::new());
                }
                depth += 1;
            }
            Event::End(end @ (TagEnd::Heading(_) | TagEnd::Item)) => {
                depth -= 1;
                if depth > 0 {
                    continue;
                }
                let text = current.take().unwrap_or_default();
                if matches!(end, TagEnd::Heading(_)) {
                    sections.push((text, Vec::new()));
                } else if let Some((_, items)) = sections.last_mut() {
                    items.push(text);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::Start(
                t @ (Tag::Emphasis
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::HtmlBlock
                | Tag::Strikethrough),
            ) => unwanted.push(format!("{t:?}")),
            e @ (Event::Html(_) | Event::InlineHtml(_) | Event::TaskListMarker(_)) => {
                unwanted.push(format!("{e:?}"))
            }
            Event::Start(Tag::List(_)) if depth > 0 => {
                // A list in an item: the elements of a rule, and nothing else.
                if let Some(c) = current.as_mut() {
                    c.push('\n');
                }
            }
            _ => {}
        }
    }
    (sections, unwanted)
}

#[test]
fn names_that_look_like_markup_show_as_written_in_the_markdown_memo() {
    let memo = tricky_memo();
    let md = markdown(&memo);
    let (sections, unwanted) = read_markdown(&md);
    assert!(
        unwanted.is_empty(),
        "markup from the names: {unwanted:?}\n{md}"
    );
    let section = |title: &str| {
        sections
            .iter()
            .find(|(t, _)| t == title)
            .map(|(_, items)| items.clone())
            .unwrap_or_else(|| panic!("no section {title}:\n{md}"))
    };
    assert_eq!(sections[0].0, memo.title, "{md}");
    assert_eq!(section("The facts as stated"), memo.facts, "{md}");
    let questions: Vec<String> = memo
        .questions
        .iter()
        .map(|q| {
            format!(
                "{}, under the position {}? ({})",
                q.question, q.position, q.goal
            )
        })
        .collect();
    assert_eq!(section("Questions presented"), questions, "{md}");
    let short: Vec<String> = memo
        .questions
        .iter()
        .map(|q| q.short_answer.clone())
        .collect();
    assert_eq!(
        section("Short answers")
            .iter()
            .map(|a| a.split("[^").next().unwrap_or_default().to_string())
            .collect::<Vec<_>>(),
        short,
        "{md}"
    );
    for (n, q) in memo.questions.iter().enumerate() {
        let heading = format!("{}. {}", n + 1, q.question);
        assert!(
            sections.iter().any(|(t, _)| *t == heading),
            "{heading}\n{md}"
        );
    }
    // The scenario's file name is a code span that shows it whole.
    let provenance = section("Provenance");
    assert!(
        provenance
            .iter()
            .any(|l| l.starts_with("Scenario: tricky.opinio, SHA-256 ")),
        "{provenance:?}"
    );
}

/// HTML needs no Markdown escapes: the same names are written with `&`, `<` and `>` as
/// entities, and nothing else changed.
#[test]
fn names_that_look_like_markup_are_escaped_in_the_html_memo() {
    let page = html(&tricky_memo());
    assert!(
        page.contains("<li>&lt;b&gt;&amp;\"x\" is a State</li>"),
        "{page}"
    );
    assert!(page
        .contains("<code>violates_sovereignty(\"op```tick\", \"&lt;b&gt;&amp;\\\"x\\\"\")</code>"));
    assert!(page.contains("<title>Memorandum: case *1* `x`.opinio</title>"));
    assert!(!page.contains("<b>"), "{page}");
}

/// Without `--goals`, the questions are the scenario's `expect` statements, each answered
/// under the position it names (NotPetya's test scenario asks some under `uk` and `france`),
/// and each answer is the one the statement expects.
#[test]
fn the_expect_statements_are_the_questions_each_under_its_position() {
    let s = notpetya();
    let memo = Memo::build(&s, &request(&[])).expect("builds");
    let program = s.program();
    let expected: Vec<(String, String, opinio::syntax::ast::Truth)> = s
        .expectations()
        .iter()
        .map(|e| {
            let position = s.position_id(None).expect("a default position");
            let position = program
                .position(e.position.unwrap_or(position))
                .name
                .clone();
            (e.text.clone(), position, e.value)
        })
        .collect();
    assert!(expected.iter().any(|(_, p, _)| p == "uk"), "{expected:?}");
    let asked: Vec<(String, String, opinio::syntax::ast::Truth)> = memo
        .questions
        .iter()
        .map(|q| (q.goal.clone(), q.position.clone(), q.value))
        .collect();
    assert_eq!(asked, expected);
    assert_eq!(
        memo.provenance.computed.positions,
        ["tallinn2", "france", "uk"]
    );
    let md = markdown(&memo);
    assert!(
        md.contains("Whether notpetya violates the sovereignty of ukraine, under the position uk? (`violates_sovereignty(notpetya, ukraine)`)"),
        "{md}"
    );
}

/// A question given twice, in the same words or not, is one question; so is a position.
#[test]
fn a_question_given_twice_is_answered_once() {
    let s = notpetya();
    let mut req = request(&[
        "attributable(notpetya, russia)",
        "attributable(notpetya, russia)",
        " attributable(notpetya,russia)",
        "attributable(notpetya, X)",
    ]);
    req.positions = vec!["uk".into(), "uk".into()];
    let memo = Memo::build(&s, &req).expect("builds");
    let asked: Vec<(&str, &str)> = memo
        .questions
        .iter()
        .map(|q| (q.goal.as_str(), q.position.as_str()))
        .collect();
    // `X` also asks of the other States, whose attribution is open; russia once.
    assert_eq!(asked[0], ("attributable(notpetya, russia)", "uk"));
    let mut unique = asked.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), asked.len(), "{asked:?}");
}

/// With a knowledge base of one's own (`--kb`), the scenario's `expect` statements are still
/// the questions, each under its position; the knowledge base's own (its tests) are not, and
/// `-g` given twice asks once.
#[test]
fn report_with_a_knowledge_base_asks_the_scenarios_expectations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kb = dir.path().join("kb");
    std::fs::create_dir(&kb).expect("created");
    std::fs::write(
        kb.join("law.opinio"),
        r#"type State. type Operation.
predicate state(s: State) reads "{s} is a State".
predicate operation(o: Operation) reads "{o} is an operation".
predicate hostile(o: Operation, s: State) reads "{o} is hostile to {s}".
predicate bad(o: Operation, s: State) reads "{o} is bad for {s}".
rule bad_if_hostile: bad(O, S) if hostile(O, S).
position lenient means "a lenient view" {
  withdraw bad_if_hostile.
}
"#,
    )
    .expect("written");
    std::fs::write(
        kb.join("tests.opinio"),
        "state(zed). operation(opz).\nexpect bad(opz, zed) = false.\n",
    )
    .expect("written");
    let case = dir.path().join("case.opinio");
    std::fs::write(
        &case,
        "state(arland). operation(op1). hostile(op1, arland).\n\
         expect under lenient bad(op1, arland) = false.\n\
         expect bad(op1, arland) = true.\n",
    )
    .expect("written");
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("opinio")
            .expect("binary")
            .arg("report")
            .arg("--kb")
            .arg(&kb)
            .arg("-s")
            .arg(&case)
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8_lossy(&out).into_owned()
    };
    let md = run(&[]);
    let questions = md
        .split("## Short answers")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        questions.contains("1. Whether op1 is bad for arland, under the position lenient?")
            && questions.contains("2. Whether op1 is bad for arland, under the position default?")
            && !questions.contains("3."),
        "{md}"
    );
    assert!(
        !md.contains("opz"),
        "the knowledge base's test is no question: {md}"
    );
    assert!(
        md.contains("1. No: it is not the case that op1 is bad for arland."),
        "{md}"
    );
    let md = run(&["-g", "bad(op1, arland)", "-g", "bad(op1, arland)"]);
    assert!(
        md.contains("1. Whether op1 is bad for arland, under the position default?")
            && !md.contains("2. Whether"),
        "{md}"
    );
}

/// A condition with a variable reads with "some": once, not after the noun the reading
/// already says ("notpetya is part of the campaign some campaign").
#[test]
fn a_condition_with_a_variable_names_its_noun_once() {
    let s = notpetya();
    let memo =
        Memo::build(&s, &request(&["self_defence_available(ukraine, notpetya)"])).expect("builds");
    let md = markdown(&memo);
    assert!(
        md.contains("notpetya is part of some campaign: **not met**"),
        "{md}"
    );
    assert!(!md.contains("the campaign some campaign"), "{md}");
}

/// The numbers of footnote marks as a reader meets them, each once.
fn first_seen(marks: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut seen = Vec::new();
    for n in marks {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen
}

/// The numbers that follow each occurrence of `prefix` in `text`.
fn numbers_after<'a>(text: &'a str, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        text[at + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    })
}

/// Footnotes are numbered 1, 2, 3… in the order their marks first appear, in both formats,
/// and each number is one footnote: NotPetya's sixteen questions cite the same authorities
/// in short answers, analyses and the table of positions.
#[test]
fn footnotes_are_numbered_in_the_order_they_first_appear() {
    let memo = Memo::build(&notpetya(), &request(&[])).expect("builds");
    let n = memo.footnotes.len();
    assert!(n > 10, "{n}");
    let in_order: Vec<usize> = (1..=n).collect();

    let md = markdown(&memo);
    let (body, authorities) = md.split_once("\n## Authorities\n").expect("authorities");
    assert_eq!(first_seen(numbers_after(body, "[^")), in_order, "{md}");
    let defined: Vec<usize> = authorities
        .lines()
        .filter(|l| l.starts_with("[^"))
        .filter_map(|l| numbers_after(l, "[^").next())
        .collect();
    assert_eq!(defined, in_order, "each footnote once, in order");
    for line in body.lines() {
        for (at, _) in line.match_indices("[^") {
            let mark: String = line[at..].chars().take_while(|c| *c != ']').collect();
            assert_eq!(line.matches(&format!("{mark}]")).count(), 1, "{line}");
        }
    }

    let page = html(&memo);
    let (body, authorities) = page
        .split_once("<h2>Authorities</h2>")
        .expect("authorities");
    assert_eq!(first_seen(numbers_after(body, "href=\"#fn")), in_order);
    assert_eq!(
        numbers_after(authorities, "<li id=\"fn").collect::<Vec<_>>(),
        in_order
    );
}
