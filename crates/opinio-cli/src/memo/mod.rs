//! The legal memo (`opinio report`): a scenario's questions answered in the form lawyers use —
//! questions presented, short answers, the facts as stated, an analysis of each question
//! element by element with its authorities as footnotes, the positions of States side by
//! side, what would change the answer, and what the memo was computed with.
//!
//! [`Memo::build`] computes the document from a [`Scenario`]; [`markdown`] and [`html`] write
//! it. Everything a reader sees is phrased through the knowledge base's `reads` templates
//! ([`Scenario::phrase`]); open points of law go by their short titles.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use crate::graph::DependencyGraph;
use crate::style::answer_in_words;
use opinio::explain::{
    Basis, ExplainOptions, Explanation, FactValue, GroundAtom, Label, Node, Term, UnknownKind,
};
use opinio::program::{PosId, PredId, ReadingPart};
use opinio::syntax::ast::{CmpOp, Truth};
use opinio::{Error, Scenario};
use sha2::{Digest, Sha256};

/// A memo, ready to be written as Markdown or HTML.
#[derive(Debug, Clone)]
pub struct Memo {
    /// The memo's title ("Memorandum: notpetya.opinio").
    pub title: String,
    /// The questions, each analysed under one position, in the order asked, each answer once
    /// under each position.
    pub questions: Vec<QuestionMemo>,
    /// The facts of the scenario, each in plain language, in the order stated.
    pub facts: Vec<String>,
    /// The authorities cited, numbered from 1 in the order a reader first meets their marks
    /// (short answers, analysis, table of positions), each once.
    pub footnotes: Vec<String>,
    /// The rules involved: for each predicate asked about, under each position analysed,
    /// what it rests on (the HTML memo draws them).
    pub pictures: Vec<DependencyGraph>,
    /// What the memo was computed with.
    pub provenance: Provenance,
}

/// One question, analysed under one position.
#[derive(Debug, Clone)]
pub struct QuestionMemo {
    /// The question as the language writes it (`violates_sovereignty(notpetya, denmark)`).
    pub goal: String,
    /// The question presented ("Whether notpetya violates the sovereignty of denmark").
    pub question: String,
    /// The position the analysis follows.
    pub position: String,
    /// The answer.
    pub value: Truth,
    /// The short answer, in a sentence or two.
    pub short_answer: String,
    /// The footnotes of the short answer's authorities (1-based numbers).
    pub short_answer_notes: Vec<usize>,
    /// The elements of the analysis, in the order the rules state them.
    pub elements: Vec<Element>,
    /// The answer under every position, side by side.
    pub positions: Vec<PositionLine>,
    /// What would change the answer (for an open answer), one line each.
    pub would_change: Vec<String>,
    /// The explanation tree as text, for readers who want every step.
    pub tree: String,
}

/// One element of an analysis: a condition of the deciding rule, with its status and the
/// authority for it.
#[derive(Debug, Clone)]
pub struct Element {
    /// How deep the element sits (0: a condition of the rule that decides; 1: a condition of
    /// a rule among several that might).
    pub depth: usize,
    /// The element in plain language.
    pub text: String,
    /// "met", "not met", "open", "does not apply" (an exception), ….
    pub status: String,
    /// Where the status comes from, in words ("stated in the facts", "by rule …").
    pub basis: String,
    /// The footnotes of its authorities.
    pub notes: Vec<usize>,
}

/// One position's answer to a question.
#[derive(Debug, Clone)]
pub struct PositionLine {
    /// The position's name.
    pub position: String,
    /// Whose view it is, in words (the position's `means`).
    pub view: String,
    /// Its answer.
    pub value: Truth,
    /// For an open answer, what keeps it open (missing facts, divided law, both).
    pub open_because: Option<UnknownKind>,
    /// What decided it under the position.
    pub decided_by: String,
    /// When the position was published, if the knowledge base dates it.
    pub published: Option<String>,
    /// The footnotes of the position's documents.
    pub documents: Vec<usize>,
}

/// What a memo was computed with.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// What the library records of any result: Opinio's version, the knowledge base's
    /// content hash ([`opinio::KnowledgeBase::content_hash`]), the positions the questions
    /// were analysed under, the date asked as of, the limits and the bounds of the search
    /// for facts that would change an answer.
    pub computed: opinio::Provenance,
    /// Where the knowledge base came from ("bundled", or the folders given).
    pub knowledge_base: String,
    /// The number of knowledge-base files.
    pub kb_files: usize,
    /// The scenario files, each with the SHA-256 of its text (hex).
    pub scenario_files: Vec<(String, String)>,
}

impl Provenance {
    /// The limits of each evaluation, in words ("at most 20,000,000 derived statements,
    /// 2,048 MiB of memory, a time limit of 60 s").
    pub fn limits_in_words(&self) -> String {
        let l = &self.computed.limits;
        let time = match l.time_limit_seconds {
            Some(t) => format!("a time limit of {t} s"),
            None => "no time limit".to_string(),
        };
        format!(
            "at most {} derived statements, {} of memory, {time}",
            thousands(l.max_atoms),
            bytes(l.max_memory_bytes)
        )
    }

    /// The bounds of the search for facts that would change an open answer, in words, if
    /// explanations were made.
    pub fn search_in_words(&self) -> Option<String> {
        let s = self.computed.search.as_ref()?;
        let mut parts = Vec::new();
        if let Some(n) = s.max_sets {
            parts.push(format!("at most {} sets of facts each way", thousands(n)));
        }
        if let Some(n) = s.max_candidates {
            parts.push(format!(
                "the {} most relevant missing facts tried",
                thousands(n)
            ));
        }
        parts.push(format!(
            "at most {} evaluations each way",
            thousands(s.max_evaluations)
        ));
        Some(parts.join(", "))
    }
}

/// How a memo is asked for.
#[derive(Debug, Clone, Default)]
pub struct MemoRequest {
    /// The questions; none: the goals of the scenario's `expect` statements. A question
    /// given twice is answered once.
    pub goals: Vec<String>,
    /// The positions to analyse every question under; none: for the questions of `expect`
    /// statements, the position each names (`expect under uk …`), else the default position.
    pub positions: Vec<String>,
    /// Where the knowledge base came from, in words.
    pub knowledge_base: String,
    /// The title's subject (the scenario's file name).
    pub subject: String,
}

impl Memo {
    /// Computes the memo for the scenario.
    ///
    /// # Errors
    ///
    /// A goal that does not parse or names nothing known, an unknown position, or an
    /// evaluation past its limits.
    pub fn build(s: &Scenario, req: &MemoRequest) -> Result<Memo, Error> {
        let mut b = Builder {
            s,
            footnotes: Vec::new(),
        };
        let asked = b.asked(req);
        let program = s.program();
        // Every position is checked before anything is evaluated, so that a misspelt one is
        // told at once; the provenance names each once, in the order first asked.
        let mut position_names: Vec<String> = Vec::new();
        let mut named: Vec<Option<&str>> = asked.iter().map(|(_, p)| p.as_deref()).collect();
        if named.is_empty() {
            named.push(None);
        }
        for p in named {
            let name = program.position(s.position_id(p)?).name.clone();
            if !position_names.contains(&name) {
                position_names.push(name);
            }
        }
        let mut questions: Vec<QuestionMemo> = Vec::new();
        let mut drawn: Vec<(PredId, PosId)> = Vec::new();
        for (goal, p) in &asked {
            let result = s.query(goal, p.as_deref())?;
            for a in &result.answers {
                // An answer already analysed under this position (a goal asked twice, in two
                // spellings, or with a variable that one of its answers fills) is one
                // question, analysed once.
                if questions
                    .iter()
                    .any(|q| q.goal == a.atom && q.position == result.position)
                {
                    continue;
                }
                questions.push(b.question(a)?);
                if !drawn.contains(&(a.pred, a.position)) {
                    drawn.push((a.pred, a.position));
                }
            }
            let said = questions
                .iter()
                .any(|q| q.goal == *goal && q.position == result.position);
            if result.answers.is_empty() && !said {
                // A question whose every instance is false: say so, under the position.
                questions.push(QuestionMemo {
                    goal: goal.clone(),
                    question: format!("Whether {goal} holds for any value"),
                    position: result.position.clone(),
                    value: Truth::False,
                    short_answer: format!(
                        "No: under {}, {goal} is false whatever the values of its variables.",
                        result.position
                    ),
                    short_answer_notes: Vec::new(),
                    elements: Vec::new(),
                    positions: Vec::new(),
                    would_change: Vec::new(),
                    tree: String::new(),
                });
            }
        }
        let facts = b.facts();
        let provenance = b.provenance(req, position_names)?;
        let pictures = drawn
            .into_iter()
            .map(|(pred, pos)| DependencyGraph::rests_on(s.knowledge_base(), pos, pred))
            .collect();
        let mut memo = Memo {
            title: format!("Memorandum: {}", req.subject),
            questions,
            facts,
            footnotes: b.footnotes,
            pictures,
            provenance,
        };
        memo.number_footnotes();
        Ok(memo)
    }

    /// Numbers the footnotes in the order a reader meets their marks: the short answers,
    /// then the analysis of each question, then the table of positions (the order in which
    /// both [`markdown`] and [`html`] write them). They were numbered as the questions were
    /// analysed, each question's short answer after its analysis, which put a short answer's
    /// note 31 before note 3. A note no mark points to is left out, and a mark repeated in
    /// one place is written once.
    fn number_footnotes(&mut self) {
        let mut met: Vec<usize> = Vec::new();
        let mut meet = |notes: &[usize]| {
            for n in notes {
                if !met.contains(n) {
                    met.push(*n);
                }
            }
        };
        for q in &self.questions {
            meet(&q.short_answer_notes);
        }
        for q in &self.questions {
            for e in &q.elements {
                meet(&e.notes);
            }
        }
        for (p, _) in position_table(self) {
            meet(&p.documents);
        }
        let renumber = |notes: &mut Vec<usize>| {
            let mut out: Vec<usize> = Vec::with_capacity(notes.len());
            for old in notes.iter() {
                if let Some(i) = met.iter().position(|m| m == old) {
                    if !out.contains(&(i + 1)) {
                        out.push(i + 1);
                    }
                }
            }
            *notes = out;
        };
        for q in &mut self.questions {
            renumber(&mut q.short_answer_notes);
            for e in &mut q.elements {
                renumber(&mut e.notes);
            }
            for p in &mut q.positions {
                renumber(&mut p.documents);
            }
        }
        self.footnotes = met
            .iter()
            .filter_map(|old| self.footnotes.get(old.wrapping_sub(1)).cloned())
            .collect();
    }
}

struct Builder<'a> {
    s: &'a Scenario,
    footnotes: Vec<String>,
}

impl Builder<'_> {
    /// The footnote for a text, numbered on first use (1-based).
    fn note(&mut self, text: String) -> usize {
        if let Some(i) = self.footnotes.iter().position(|f| *f == text) {
            return i + 1;
        }
        self.footnotes.push(text);
        self.footnotes.len()
    }

    /// A citation as rendered in explanations (`tm2 Rule 4, commentary`), with the source's
    /// key replaced by its full title.
    fn cite(&mut self, citation: &str) -> usize {
        let program = self.s.program();
        let (key, pinpoint) = citation.split_once(' ').unwrap_or((citation, ""));
        let text = match program.source_id(key) {
            Some(id) if pinpoint.is_empty() => program.source(id).title.clone(),
            Some(id) => format!("{}, {pinpoint}", program.source(id).title),
            None => citation.to_string(),
        };
        self.note(text)
    }

    fn phrase(&self, a: &GroundAtom) -> String {
        self.s.phrase(a.pred, &a.args)
    }

    fn point_title(&self, point: &str) -> String {
        let program = self.s.program();
        match program.point_id(point) {
            Some(id) => program.point_title(id),
            None => point.replace('_', " "),
        }
    }

    /// The questions asked, each with the position to answer it under (`None`: the default
    /// one), in order and each once: the goals given, under each position given; without
    /// goals, those of the scenario's `expect` statements, each under the position it names
    /// unless positions are given. The knowledge base's own `expect` statements (its tests)
    /// are not questions about the scenario.
    fn asked(&self, req: &MemoRequest) -> Vec<(String, Option<String>)> {
        let program = self.s.program();
        let given: Vec<Option<String>> = if req.positions.is_empty() {
            vec![None]
        } else {
            req.positions.iter().cloned().map(Some).collect()
        };
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        let mut ask = |goal: &str, position: Option<String>| {
            let q = (goal.trim().to_string(), position);
            if !out.contains(&q) {
                out.push(q);
            }
        };
        if req.goals.is_empty() {
            for e in self.s.expectations() {
                if req.positions.is_empty() {
                    let own = e.position.map(|id| program.position(id).name.clone());
                    ask(&e.text, own);
                } else {
                    for p in &given {
                        ask(&e.text, p.clone());
                    }
                }
            }
        } else {
            for goal in &req.goals {
                for p in &given {
                    ask(goal, p.clone());
                }
            }
        }
        out
    }

    fn question(&mut self, a: &opinio::Answer) -> Result<QuestionMemo, Error> {
        let e = self.s.explain(a)?;
        let sentence = self.s.phrase(a.pred, &a.args);
        let rows = self.s.compare(&a.atom)?;
        let (short_answer, short_answer_notes) = self.short_answer(&e, &sentence, &rows);
        let mut elements = Vec::new();
        self.elements(&e.tree, 0, &mut elements);
        let positions = self.position_lines(&rows);
        let would_change = self.would_change(&e, &rows);
        Ok(QuestionMemo {
            goal: a.atom.clone(),
            question: format!("Whether {sentence}"),
            position: e.position.clone(),
            value: e.value,
            short_answer,
            short_answer_notes,
            elements,
            positions,
            would_change,
            tree: opinio::explain::render_text(&e, false),
        })
    }

    fn short_answer(
        &mut self,
        e: &Explanation,
        sentence: &str,
        rows: &[opinio::PositionRow],
    ) -> (String, Vec<usize>) {
        let mut notes = Vec::new();
        let text = match e.value {
            Truth::True => {
                let by = match &e.tree.basis {
                    Basis::Rule { name, citations } => {
                        notes = citations.iter().map(|c| self.cite(c)).collect();
                        format!(", by the rule {name}")
                    }
                    Basis::Stated => ", as the facts state".to_string(),
                    Basis::Stipulated => ", as stipulated for argument's sake".to_string(),
                    _ => String::new(),
                };
                format!("Yes: {sentence}{by}.")
            }
            Truth::False => format!("No: {}.", answer_in_words(sentence, Truth::False)),
            Truth::Unknown => {
                let titles: Vec<String> = e
                    .unsettled_points
                    .iter()
                    .map(|p| self.point_title(&p.point))
                    .collect();
                if e.cannot_be_settled_by_facts_alone {
                    let mut t = format!(
                        "Open: whether {sentence} turns on a point on which the law is divided, {}, and no fact could settle it.",
                        titles.join(" and ")
                    );
                    t.push_str(&divided_positions(rows));
                    t
                } else {
                    let mut t =
                        format!("Open: whether {sentence} cannot be said on the facts stated");
                    if !e.missing_facts.is_empty() {
                        t.push_str(&format!(
                            ": it rests on {} that nobody has stated",
                            count(e.missing_facts.len(), "fact", "facts")
                        ));
                    }
                    t.push('.');
                    if !titles.is_empty() {
                        t.push_str(&format!(
                            " It also turns on an open point of law, {}.",
                            titles.join(", ")
                        ));
                    }
                    t
                }
            }
        };
        (text, notes)
    }

    /// The elements of a node: its conditions, or, when several rules might decide it, each
    /// rule with its conditions one level deeper. Ways that rest only on facts nobody has
    /// stated, none of which could change the answer, come folded into one line by the
    /// explanation itself ([`Label::Folded`]).
    fn elements(&mut self, n: &Node, depth: usize, out: &mut Vec<Element>) {
        let ways = |rule: &str| {
            n.children
                .iter()
                .filter(|c| matches!(&c.label, Label::RuleInstance { rule: r, .. } if r == rule))
                .count()
        };
        let mut seen: Vec<&str> = Vec::new();
        for c in &n.children {
            if let Label::RuleInstance { rule, .. } = &c.label {
                seen.push(rule);
                let of = ways(rule);
                let text = if of > 1 {
                    let k = seen.iter().filter(|r| **r == rule.as_str()).count();
                    format!("the rule {rule}, way {k} of {of}")
                } else {
                    format!("the rule {rule}")
                };
                let mut notes = Vec::new();
                if let Basis::Rule { citations, .. } = &c.basis {
                    notes = citations.iter().map(|x| self.cite(x)).collect();
                }
                out.push(Element {
                    depth,
                    text,
                    status: status(c.value, false).to_string(),
                    basis: String::new(),
                    notes,
                });
                if depth == 0 {
                    self.elements(c, depth + 1, out);
                }
                continue;
            }
            if let Some(el) = self.element(c, depth) {
                out.push(el);
            }
        }
    }

    fn element(&mut self, c: &Node, depth: usize) -> Option<Element> {
        let (text, exception) = match &c.label {
            // Comparisons of names (`russia != ukraine`) are mechanical: never shown.
            Label::Comparison { .. } => return None,
            Label::Folded { rule, through } => {
                let n = through.len().max(1);
                return Some(Element {
                    depth,
                    text: format!(
                        "{} by the rule {rule}",
                        count(n, "other way", "other ways")
                    ),
                    status: "cannot change the answer".to_string(),
                    basis: format!(
                        "{} only on facts nobody has stated, and none of them could change the answer",
                        if n == 1 { "it turns" } else { "they turn" }
                    ),
                    notes: Vec::new(),
                });
            }
            Label::Exception(_) => {
                let inner = c.label.unless_part()?;
                (format!("exception: {}", self.label_text(inner)), true)
            }
            other => (self.label_text(other), false),
        };
        let mut notes = Vec::new();
        let basis = match &c.basis {
            Basis::Rule { name, citations } => {
                notes = citations.iter().map(|x| self.cite(x)).collect();
                format!("by the rule {name}")
            }
            Basis::UnsettledLaw { point, reason } => {
                let title = self.point_title(point);
                notes.push(self.note(format!("Open point of law, {title}: {reason}")));
                "an open point of law".to_string()
            }
            Basis::Settled {
                point,
                by,
                citations,
            } => {
                notes = citations.iter().map(|x| self.cite(x)).collect();
                format!("{} settled by {by}", self.point_title(point))
            }
            Basis::Stated => "stated in the facts".to_string(),
            Basis::Stipulated => "stipulated for argument's sake".to_string(),
            Basis::MissingFact => "nobody has stated it".to_string(),
            _ => c.reason.to_string(),
        };
        Some(Element {
            depth,
            text,
            status: status(c.value, exception).to_string(),
            basis,
            notes,
        })
    }

    fn label_text(&self, l: &Label) -> String {
        match l {
            Label::Atom(a) => self.phrase(a),
            Label::Not(inner) => format!("not: {}", self.label_text(inner)),
            Label::Exception(_) => match l.unless_part() {
                Some(inner) => self.label_text(inner),
                None => l.to_string(),
            },
            Label::Connective { or: true, parts } if one_of_names(parts).is_some() => {
                let (left, names) = one_of_names(parts).unwrap_or_default();
                match names.as_slice() {
                    [one] => format!("{left} is {one}"),
                    _ => format!("{left} is one of {}", names.join(", ")),
                }
            }
            Label::Comparison { left, op, right } => match op {
                CmpOp::Eq => format!("{left} is {right}"),
                CmpOp::Ne => format!("{left} is not {right}"),
                _ => l.to_string(),
            },
            Label::Connective { or, parts } => {
                let parts: Vec<String> = parts.iter().map(|p| self.label_text(p)).collect();
                if *or {
                    format!("one of: {}", parts.join("; or "))
                } else {
                    format!("all of: {}", parts.join("; and "))
                }
            }
            Label::OpenPoint(p) => format!("the open point of law on {}", self.point_title(p)),
            Label::Pattern { predicate, args } => self.pattern_text(predicate, args),
            other => other.to_string(),
        }
    }

    /// An atom with variables in plain language: the predicate's reading, with "some
    /// SLOT" for each variable ("the wrongfulness of notpetya is precluded by some
    /// circumstance").
    fn pattern_text(&self, predicate: &str, args: &[Term]) -> String {
        let program = self.s.program();
        let info = program
            .predicate_id(predicate)
            .map(|id| program.predicate(id));
        let Some((info, reading)) = info.and_then(|i| Some((i, i.reading.as_ref()?))) else {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            return format!("{predicate}({})", args.join(", "));
        };
        let mut out = String::new();
        for part in &reading.parts {
            match part {
                ReadingPart::Words(w) => out.push_str(w),
                ReadingPart::Slot(i) => match args.get(*i) {
                    Some(Term::Name(n)) => out.push_str(n),
                    _ => {
                        let slot = info.slots.get(*i).map_or("thing", |s| s.name.as_str());
                        some_slot(&mut out, &slot.replace('_', " "));
                    }
                },
            }
        }
        out
    }

    fn position_lines(&mut self, rows: &[opinio::PositionRow]) -> Vec<PositionLine> {
        let program = self.s.program();
        let mut out = Vec::new();
        for r in rows {
            let info = program
                .position_id(&r.position)
                .map(|id: PosId| program.position(id));
            // A position cites its documents with a short title as the pinpoint
            // ("Chatham House speech, 23 May 2018"), which the source's full title already
            // says: the footnote gives the full title alone.
            let documents: Vec<String> = info
                .map(|p| {
                    p.citations
                        .iter()
                        .map(|c| program.source(c.source).title.clone())
                        .collect()
                })
                .unwrap_or_default();
            let documents = documents.into_iter().map(|c| self.note(c)).collect();
            out.push(PositionLine {
                position: r.position.clone(),
                view: info.and_then(|p| p.meaning.clone()).unwrap_or_default(),
                value: r.value,
                open_because: r.why.as_ref().map(|w| w.kind),
                decided_by: r.decided_by.clone(),
                published: r.published.map(|d| d.to_string()),
                documents,
            });
        }
        out
    }

    fn would_change(&self, e: &Explanation, rows: &[opinio::PositionRow]) -> Vec<String> {
        let mut out = Vec::new();
        if e.value != Truth::Unknown {
            return out;
        }
        for p in &e.unsettled_points {
            out.push(format!(
                "Settling the open point of law on {}{}",
                self.point_title(&p.point),
                divided_positions(rows)
                    .strip_prefix(" Positions ")
                    .map(|s| format!(" (positions {})", s.trim_end_matches('.')))
                    .unwrap_or_default()
            ));
        }
        if e.cannot_be_settled_by_facts_alone {
            out.push(
                "No fact, stated either way, would settle the answer under this position."
                    .to_string(),
            );
            return out;
        }
        for (what, sets, needs_law) in [
            ("true", &e.would_make_true, e.true_needs_settled_law),
            ("false", &e.would_make_false, e.false_needs_settled_law),
        ] {
            if needs_law {
                out.push(format!(
                    "No facts alone would make it {what}: the open point of law would have to be settled first."
                ));
                continue;
            }
            for set in sets {
                let facts: Vec<String> = set.iter().map(|f| self.fact_value(f)).collect();
                out.push(format!("It would be {what} if {}.", facts.join(", and ")));
            }
        }
        out
    }

    fn fact_value(&self, f: &FactValue) -> String {
        answer_in_words(&self.phrase(&f.atom), f.value)
    }

    /// The scenario's facts (not the knowledge base's), in plain language.
    fn facts(&self) -> Vec<String> {
        self.s
            .facts()
            .iter()
            .map(|f| {
                let sentence = self.s.phrase(f.pred, &f.args);
                match f.value {
                    Truth::True => sentence,
                    Truth::False => answer_in_words(&sentence, Truth::False),
                    Truth::Unknown => format!("it is not known whether {sentence}"),
                }
            })
            .collect()
    }

    fn provenance(&self, req: &MemoRequest, positions: Vec<String>) -> Result<Provenance, Error> {
        let kb_files = self.s.knowledge_base().sources().len();
        let all = self.s.sources();
        let mut scenario_files = Vec::new();
        for i in kb_files..all.len() {
            let id = opinio::syntax::span::FileId(u32::try_from(i).unwrap_or(u32::MAX));
            if let Some(f) = all.get(id) {
                if f.name.starts_with('<') {
                    continue; // a question typed, not a file
                }
                scenario_files.push((f.name.clone(), hex(&Sha256::digest(f.text.as_bytes()))));
            }
        }
        Ok(Provenance {
            computed: self
                .s
                .provenance(&positions, Some(ExplainOptions::default()))?,
            knowledge_base: req.knowledge_base.clone(),
            kb_files,
            scenario_files,
        })
    }
}

/// "some SLOT" for a variable in a reading, after the words before it. A reading that names
/// the slot's noun before it ("{op} is part of the campaign {campaign}") gives it once: "is
/// part of some campaign", not "is part of the campaign some campaign".
fn some_slot(out: &mut String, noun: &str) {
    let named = format!("the {noun} ");
    if let Some(before) = out.strip_suffix(&named) {
        // "the" as a word of its own, not the end of another ("bathe campaign").
        if before.is_empty() || before.ends_with(' ') {
            let keep = before.len();
            out.truncate(keep);
        }
    }
    out.push_str("some ");
    out.push_str(noun);
}

/// For alternatives that all compare one name with another (`x = a or x = b`): the name
/// and the names it may be (`("x", ["a", "b"])`).
fn one_of_names(parts: &[Label]) -> Option<(String, Vec<String>)> {
    let mut left: Option<String> = None;
    let mut names = Vec::new();
    for p in parts {
        let Label::Comparison {
            left: l,
            op: CmpOp::Eq,
            right,
        } = p
        else {
            return None;
        };
        let l = l.to_string();
        if left.as_ref().is_some_and(|x| *x != l) {
            return None;
        }
        left = Some(l);
        names.push(right.to_string());
    }
    Some((left?, names))
}

/// " The positions answering yes: a, b; answering no: c." from a comparison's rows ("" if
/// no position answers either way).
fn divided_positions(rows: &[opinio::PositionRow]) -> String {
    let with = |v: Truth| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.value == v)
            .map(|r| r.position.as_str())
            .collect()
    };
    let (yes, no) = (with(Truth::True), with(Truth::False));
    let mut parts = Vec::new();
    if !yes.is_empty() {
        parts.push(format!("answering yes: {}", yes.join(", ")));
    }
    if !no.is_empty() {
        parts.push(format!("answering no: {}", no.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Positions {}.", parts.join("; "))
    }
}

/// The answer of a position in the table of positions: "yes", "no", or "open" with what
/// keeps it open.
pub(crate) fn position_answer(p: &PositionLine) -> String {
    match (p.value, p.open_because) {
        (Truth::True, _) => "yes".to_string(),
        (Truth::False, _) => "no".to_string(),
        (Truth::Unknown, Some(UnknownKind::MissingFacts)) => "open (facts missing)".to_string(),
        (Truth::Unknown, Some(UnknownKind::DividedLaw)) => "open (law divided)".to_string(),
        (Truth::Unknown, Some(UnknownKind::Both)) => "open (facts and law)".to_string(),
        (Truth::Unknown, Some(UnknownKind::Stipulated)) => "open (stipulated)".to_string(),
        (Truth::Unknown, _) => "open".to_string(),
    }
}

/// The rows of the table of positions: one per position, in the order of the first question
/// that lists it, with its line for each question (`None` where a question does not list it).
pub(crate) fn position_table(m: &Memo) -> Vec<(&PositionLine, Vec<Option<&PositionLine>>)> {
    let mut rows: Vec<(&PositionLine, Vec<Option<&PositionLine>>)> = Vec::new();
    for q in &m.questions {
        for p in &q.positions {
            if !rows.iter().any(|(r, _)| r.position == p.position) {
                rows.push((p, Vec::new()));
            }
        }
    }
    for (first, cells) in &mut rows {
        *cells = m
            .questions
            .iter()
            .map(|q| q.positions.iter().find(|p| p.position == first.position))
            .collect();
    }
    rows
}

/// How an element stands, in words; an exception "does not apply" when false.
fn status(v: Truth, exception: bool) -> &'static str {
    match (v, exception) {
        (Truth::True, false) => "met",
        (Truth::False, false) => "not met",
        (Truth::True, true) => "applies",
        (Truth::False, true) => "does not apply",
        (Truth::Unknown, _) => "open",
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `20000000` → `20,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", thousands(n / MIB))
    } else {
        format!("{} bytes", thousands(n))
    }
}

/// A verdict as the memo words it: yes, no or open.
fn word(v: Truth) -> &'static str {
    match v {
        Truth::True => "yes",
        Truth::False => "no",
        Truth::Unknown => "open",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_after_its_noun_is_named_once() {
        let mut out = "notpetya is part of the campaign ".to_string();
        some_slot(&mut out, "campaign");
        assert_eq!(out, "notpetya is part of some campaign");
        let mut out = "the campaign ".to_string();
        some_slot(&mut out, "campaign");
        assert_eq!(out, "some campaign");
        let mut out = "an armed attack by ".to_string();
        some_slot(&mut out, "attacker");
        assert_eq!(out, "an armed attack by some attacker");
        let mut out = "bathe campaign ".to_string();
        some_slot(&mut out, "campaign");
        assert_eq!(out, "bathe campaign some campaign");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2_000), "2,000");
        assert_eq!(thousands(20_000_000), "20,000,000");
        assert_eq!(bytes(2048 * 1024 * 1024), "2,048 MiB");
        assert_eq!(bytes(1_500), "1,500 bytes");
    }
}
