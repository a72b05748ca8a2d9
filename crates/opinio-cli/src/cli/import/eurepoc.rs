//! EuRepoC, Global Database 1.1: one scenario per incident (row). The mapping, column by
//! column, is in `docs/datasets.md`; in short:
//!
//! - receivers that are States → `state`, `targeted` and the coded effects in each;
//! - effects: `data_theft`, `disruption`, `hijacking`, `physical_effects_spatial`,
//!   `MITRE_impact`, `incident_type` → `effect_in`, `scale_of_effect`, `intruded_into`, …;
//!   "Not available" leaves the effect unknown;
//! - initiators → `conducted_by` (their names as actors) and, for their countries, `unknown
//!   originated_from` (an actor's nationality is not where an operation was launched from);
//! - attribution: in strict mode the claims of the evidence vocabulary (`claim_attributes`, …),
//!   in trusting mode also `organ_of` for an initiator coded "State";
//! - every State of the scenario that the coding does not name as an initiator's country gets
//!   the negative attribution facts, so that no victim is left open as a possible author.

use super::countries::{self, Country, Place};
use super::table::{read_csv, Row, Table};
use super::{attribution_facts, iso_date, name, pylist, EurepocArgs, Fatal, Incident, Mode};
use super::{RowProblem, Run};
use std::collections::{BTreeSet, HashMap};

/// The columns of the global database that the importer reads.
const REQUIRED: &[&str] = &[
    "ID",
    "start_date",
    "incident_type",
    "receiver_country",
    "receiver_category",
    "initiator_name",
    "initiator_country",
    "initiator_category",
    "data_theft",
    "disruption",
    "hijacking",
    "physical_effects_spatial",
    "MITRE_impact",
];

/// The attribution columns, in the global database ("; "-separated, one entry per
/// attribution) and in the attribution table (one row per attribution).
const ATTRIBUTION: &[&str] = &[
    "attribution_date",
    "attribution_type",
    "attribution_basis",
    "attributing_actor",
    "attribution_it_company",
    "attributing_country",
    "attributed_initiator",
    "attributed_initiator_country",
    "attributed_initiator_category",
];

/// Runs the import.
pub fn import(a: &EurepocArgs, run: &mut Run) -> Result<(), Fatal> {
    let table = read_csv(&a.file, a.common.max_file_size())?;
    table.require(REQUIRED, &a.file, "EuRepoC's global database")?;
    let from_table = match &a.attribution {
        Some(p) => Some(read_attribution(p, a.common.max_file_size(), run)?),
        None => None,
    };
    let columns_present = ATTRIBUTION.iter().all(|c| table.has(c));
    // Incident number -> the row it was first on: `7`, `7.0` and `007` are one incident, and
    // two scenarios named `eurepoc_7` would be told apart by nobody downstream.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        run.read += 1;
        if let Some(p) = row.shape_problem() {
            run.error(p);
            continue;
        }
        match super::incident_number(row, "ID") {
            Ok(id) => {
                if let Some(first) = seen.get(&id) {
                    run.error(
                        RowProblem::new(
                            row.number,
                            "ID",
                            format!("incident {id} is already on row {first}; this row is left out"),
                        )
                        .incident(&id)
                        .help("each incident is one row of the global database: remove the repeated row, or give it its own number"),
                    );
                    continue;
                }
                seen.insert(id, row.number);
            }
            Err(p) => {
                run.error(p);
                continue;
            }
        }
        match incident(
            row,
            from_table.as_ref(),
            columns_present,
            a.common.mode,
            a.skip_unidentified_receivers,
            run,
        ) {
            Ok(Some(inc)) => run.scenario(&inc),
            Ok(None) => {}
            Err(p) => run.error(p),
        }
    }
    Ok(())
}

/// One attribution: a row of the attribution table, or one entry of the global database's
/// attribution columns.
#[derive(Default, Clone)]
struct AttributionRow {
    claim: String,
    date: String,
    kind: String,
    basis: String,
    actor: String,
    company: String,
    country: String,
    initiator: String,
    initiator_country: String,
    initiator_category: String,
}

/// The attribution table, by incident.
type ByIncident = HashMap<String, Vec<(usize, AttributionRow)>>;

fn read_attribution(
    path: &std::path::Path,
    max_bytes: u64,
    run: &mut Run,
) -> Result<ByIncident, Fatal> {
    let table: Table = read_csv(path, max_bytes)?;
    let mut need = vec!["incident_ID", "attribution_ID"];
    need.extend_from_slice(ATTRIBUTION);
    table.require(&need, path, "EuRepoC's attribution table")?;
    let mut out: ByIncident = HashMap::new();
    for row in &table.rows {
        let r = (|| -> Result<(String, AttributionRow), RowProblem> {
            if let Some(p) = row.shape_problem() {
                return Err(p);
            }
            let incident = super::incident_number(row, "incident_ID")?;
            let id = row.get("attribution_ID")?;
            let claim = name("c_", id.strip_suffix(".0").unwrap_or(id)).ok_or_else(|| {
                RowProblem::new(
                    row.number,
                    "attribution_ID",
                    "the attribution has no identifier",
                )
                .incident(&incident)
            })?;
            Ok((
                incident,
                AttributionRow {
                    claim,
                    date: row.get("attribution_date")?.to_string(),
                    kind: row.get("attribution_type")?.to_string(),
                    basis: row.get("attribution_basis")?.to_string(),
                    actor: row.get("attributing_actor")?.to_string(),
                    company: row.get("attribution_it_company")?.to_string(),
                    country: row.get("attributing_country")?.to_string(),
                    initiator: row.get("attributed_initiator")?.to_string(),
                    initiator_country: row.get("attributed_initiator_country")?.to_string(),
                    initiator_category: row.get("attributed_initiator_category")?.to_string(),
                },
            ))
        })();
        match r {
            Ok((incident, a)) => out.entry(incident).or_default().push((row.number, a)),
            Err(p) => {
                run.note("attribution-table rows that could not be read (left out; each is a warning above)".to_string());
                run.warning(p);
            }
        }
    }
    Ok(out)
}

/// The incident's number, as a whole number written in the cell.
fn list(row: &Row, column: &str, id: &str) -> Result<Vec<String>, RowProblem> {
    pylist::flat(row.get(column)?).map_err(|e| list_problem(row, column, id, &e))
}

fn nested(row: &Row, column: &str, id: &str) -> Result<Vec<Vec<String>>, RowProblem> {
    pylist::nested(row.get(column)?).map_err(|e| list_problem(row, column, id, &e))
}

fn list_problem(row: &Row, column: &str, id: &str, e: &str) -> RowProblem {
    RowProblem::new(row.number, column, format!("the list cannot be read: {e}"))
        .incident(id)
        .help("EuRepoC writes lists as ['Name', 'Other name']: correct the cell")
}

/// A State for a country name, noting what is not one.
fn state_of(place_name: &str, column: &str, run: &mut Run) -> Option<&'static Country> {
    let place = countries::lookup(place_name);
    if let Some(why) = place.why_not_a_state() {
        if place != Place::Unknown {
            run.note(format!("{column}: `{}` is {why}", place_name.trim()));
        }
        return None;
    }
    if let Place::Territory { territory, state } = place {
        run.note(format!(
            "{column}: `{}` read as the territory of {}",
            territory.name, state.constant
        ));
    }
    place.state()
}

/// Builds the scenario of a row; `None` when the incident is skipped (counted in `run`).
fn incident(
    row: &Row,
    from_table: Option<&ByIncident>,
    columns_present: bool,
    mode: Mode,
    skip_unidentified: bool,
    run: &mut Run,
) -> Result<Option<Incident>, RowProblem> {
    let id = super::incident_number(row, "ID")?;
    let op = format!("op_{id}");
    let mut inc = Incident::new(format!("eurepoc_{id}"));

    // Receivers.
    let receivers = list(row, "receiver_country", &id)?;
    let categories = nested(row, "receiver_category", &id)?;
    let subcodes = if row.get("receiver_category_subcode").is_ok() {
        nested(row, "receiver_category_subcode", &id).unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut victims: Vec<(String, BTreeSet<String>)> = Vec::new();
    let mut unplaced: BTreeSet<String> = BTreeSet::new();
    for (i, r) in receivers.iter().enumerate() {
        let mut cats: BTreeSet<String> = categories
            .get(i)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        cats.extend(subcodes.get(i).cloned().unwrap_or_default());
        let Some(state) = state_of(r, "receiver_country", run) else {
            if countries::lookup(r) != Place::Organisation {
                unplaced.extend(cats);
            }
            continue;
        };
        match victims.iter_mut().find(|(s, _)| s == state.constant) {
            Some((_, c)) => c.extend(cats),
            None => victims.push((state.constant.to_string(), cats)),
        }
    }
    if victims.is_empty() {
        let organisations = !receivers.is_empty()
            && receivers
                .iter()
                .all(|r| countries::lookup(r) == Place::Organisation);
        if organisations {
            run.skip("the receivers are international organisations, not States");
            return Ok(None);
        }
        if skip_unidentified {
            run.skip(
                if receivers
                    .iter()
                    .all(|r| countries::lookup(r) == Place::Unknown)
                {
                    "no receiver country coded (empty, unknown or not available)"
                } else {
                    "no receiver is a State (regions or unrecognised names)"
                },
            );
            return Ok(None);
        }
        // The effects were in some State's territory: a State whose identity the coding does
        // not give, named like an unidentified actor.
        run.note(
            "receiver State unidentified (region, unknown or not coded): `unidentified_state_ID`"
                .to_string(),
        );
        victims.push((format!("unidentified_state_{id}"), unplaced));
    }

    // Initiators: actors, and the States their countries are.
    let names = list(row, "initiator_name", &id)?;
    let countries_ = list(row, "initiator_country", &id)?;
    let cats = list(row, "initiator_category", &id)?;
    let unidentified = format!("actor_unidentified_{id}");
    let actor_of = |n: Option<&String>| -> String {
        n.filter(|n| countries::lookup(n) != Place::Unknown)
            .and_then(|n| name("actor_", n))
            .unwrap_or_else(|| unidentified.clone())
    };
    let n = names.len().max(countries_.len()).max(1);
    let pick = |l: &Vec<String>, i: usize| -> Option<String> {
        l.get(i)
            .cloned()
            .or_else(|| (l.len() == 1).then(|| l[0].clone()))
    };
    // (actor, State, category) for each initiator.
    let mut initiators: Vec<(String, Option<&'static Country>, String)> = Vec::new();
    for i in 0..n {
        let actor = actor_of(pick(&names, i).as_ref());
        let state = pick(&countries_, i).and_then(|c| state_of(&c, "initiator_country", run));
        let category = pick(&cats, i).unwrap_or_default();
        initiators.push((actor, state, category));
    }
    // One actor coded with several countries (one name for a group such as "Five Eyes", or
    // none, beside a list of countries) is read as one actor per country: an actor is the
    // organ of one State at most, and the coding does not say which of them it was.
    let mut spans_states: Vec<&str> = Vec::new();
    for (a, s, _) in &initiators {
        let Some(s) = s else { continue };
        if initiators
            .iter()
            .any(|(b, t, _)| b == a && t.is_some_and(|t| t.constant != s.constant))
            && !spans_states.contains(&a.as_str())
        {
            spans_states.push(a.as_str());
        }
    }
    let spans_states: Vec<String> = spans_states.into_iter().map(String::from).collect();
    for (a, s, _) in &mut initiators {
        if let Some(s) = s {
            if spans_states.contains(a) {
                *a = format!("{a}_{}", s.constant);
            }
        }
    }

    // Claims.
    let rows = match from_table.and_then(|t| t.get(&id)) {
        Some(rows) => rows.clone(),
        None if columns_present => attribution_entries(row, &id)?,
        None => Vec::new(),
    };
    let claims = claims(&rows, &op, run);

    // Every State of the scenario.
    let mut all_states: Vec<String> = Vec::new();
    let mut add_state = |s: &str, inc: &mut Incident| {
        if !all_states.iter().any(|x| x == s) {
            all_states.push(s.to_string());
            inc.fact(format!("state({s})"));
        }
    };
    for (v, _) in &victims {
        add_state(v, &mut inc);
    }
    for (_, s, _) in &initiators {
        if let Some(s) = s {
            add_state(s.constant, &mut inc);
        }
    }
    for c in &claims {
        for s in c
            .by_state
            .iter()
            .chain(&c.attributes)
            .chain(&c.suggests)
            .chain(&c.places)
        {
            add_state(s, &mut inc);
        }
    }
    inc.fact(format!("operation({op})"));
    let start = row.get("start_date")?;
    match iso_date(start) {
        Some(d) => inc.fact(format!("occurred_on({op}, {d})")),
        None if start.is_empty() || countries::lookup(start) == Place::Unknown => {}
        None => run.warning(
            RowProblem::new(
                row.number,
                "start_date",
                format!("`{start}` is not a date of the calendar written YYYY-MM-DD; the date is left out"),
            )
            .incident(&id),
        ),
    }
    let mut actors: Vec<&String> = Vec::new();
    for (a, _, _) in &initiators {
        if !actors.contains(&a) {
            actors.push(a);
            inc.fact(format!("conducted_by({op}, {a})"));
        }
    }

    // Effects, the same in every receiver State (EuRepoC codes them per incident).
    let fx = effects(row, &id, run)?;
    for (v, cats) in &victims {
        inc.fact(format!("targeted({op}, {v})"));
        for (e, scale) in &fx.known {
            inc.fact(format!("effect_in({op}, {v}, {e})"));
            if let Some(l) = scale {
                inc.fact(format!("scale_of_effect({op}, {v}, {e}, {l})"));
            }
        }
        for e in &fx.unknown {
            inc.unknown(format!("effect_in({op}, {v}, {e})"));
        }
        match fx.intrusion {
            Some(true) => inc.fact(format!("intruded_into({op}, {v})")),
            Some(false) => {}
            None => inc.unknown(format!("intruded_into({op}, {v})")),
        }
        if fx.encrypted {
            inc.fact(format!("data_encrypted({op}, {v})"));
        }
        let government = cats.iter().any(|c| c.starts_with("State institutions"));
        let critical = cats
            .iter()
            .any(|c| c.starts_with("Critical infrastructure"));
        for (holds, fact) in [
            (
                government,
                format!("interferes_with_governmental_function({op}, {v})"),
            ),
            (
                critical,
                format!("critical_infrastructure_affected({op}, {v})"),
            ),
        ] {
            match (holds, fx.disruptive) {
                (true, Some(true)) => inc.fact(fact),
                (true, None) => inc.unknown(fact),
                _ => {}
            }
        }
        if cats
            .iter()
            .any(|c| c.starts_with("Election infrastructure"))
        {
            inc.fact(format!("election_related({op}, {v})"));
        }
    }
    if fx.extortion {
        inc.fact(format!("extortion_demand({op})"));
    }
    if fx.published {
        inc.fact(format!("published_exfiltrated_data({op})"));
    }

    // Where it was launched from is not coded: unknown for the initiators' countries.
    for (_, s, _) in &initiators {
        if let Some(s) = s {
            inc.unknown(format!("originated_from({op}, {})", s.constant));
        }
    }

    // Attribution as fact (trusting mode only).
    if mode == Mode::Trusting {
        for (actor, s, category) in &initiators {
            let Some(s) = s else { continue };
            let [organ, empowered, instructed, controlled, adopted] =
                attribution_facts(&op, actor, s.constant);
            if category == "State" {
                inc.fact(organ);
            } else if category.starts_with("Non-state actor, state-affiliation suggested") {
                inc.not(organ);
                inc.not(empowered);
            } else if category == "Non-state-group" || category == "Individual hacker(s)" {
                for f in [organ, empowered, instructed, controlled, adopted] {
                    inc.not(f);
                }
            }
        }
    }
    // The States the coding does not name as an initiator's country are not authors.
    let initiator_states: BTreeSet<&str> = initiators
        .iter()
        .filter_map(|(_, s, _)| s.map(|s| s.constant))
        .collect();
    for s in &all_states {
        if initiator_states.contains(s.as_str()) {
            continue;
        }
        for a in &actors {
            for f in attribution_facts(&op, a, s) {
                inc.not(f);
            }
        }
    }

    // The attribution claims (evidence vocabulary), in both modes: they are the record.
    for c in &claims {
        c.facts(&op, &mut inc);
    }
    Ok(Some(inc))
}

/// The global database's attribution columns as one entry per attribution: the columns hold
/// "; "-separated values, one per attribution; a column with a single value applies to all.
fn attribution_entries(row: &Row, id: &str) -> Result<Vec<(usize, AttributionRow)>, RowProblem> {
    let mut cols: Vec<Vec<String>> = Vec::new();
    for c in ATTRIBUTION {
        let v = row.get(c)?;
        cols.push(if v.is_empty() {
            Vec::new()
        } else {
            v.split("; ").map(|s| s.trim().to_string()).collect()
        });
    }
    let n = cols
        .get(7)
        .map_or(0, Vec::len)
        .max(cols.get(4).map_or(0, Vec::len));
    let n = if n == 0 {
        cols.iter().map(Vec::len).max().unwrap_or(0)
    } else {
        n
    };
    let at = |k: usize, i: usize| -> String {
        match cols.get(k) {
            Some(l) if l.len() == n => l.get(i).cloned().unwrap_or_default(),
            Some(l) if l.len() == 1 => l[0].clone(),
            _ => String::new(),
        }
    };
    Ok((0..n)
        .map(|i| {
            (
                row.number,
                AttributionRow {
                    claim: format!("c_{id}_{}", i + 1),
                    date: at(0, i),
                    kind: at(1, i),
                    basis: at(2, i),
                    actor: at(3, i),
                    company: at(4, i),
                    country: at(5, i),
                    initiator: at(6, i),
                    initiator_country: at(7, i),
                    initiator_category: at(8, i),
                },
            )
        })
        .collect())
}

/// A claim of the evidence vocabulary (knowledge/evidence.opinio), merged from the rows that
/// share an attribution identifier (EuRepoC repeats a row per attributing country and per
/// initiator).
#[derive(Default)]
struct Claim {
    name: String,
    date: Option<String>,
    source: Option<&'static str>,
    forms: Vec<&'static str>,
    bases: Vec<&'static str>,
    by: BTreeSet<String>,
    by_state: BTreeSet<&'static str>,
    attributes: BTreeSet<&'static str>,
    suggests: BTreeSet<&'static str>,
    places: BTreeSet<&'static str>,
    names: BTreeSet<String>,
}

impl Claim {
    fn facts(&self, op: &str, inc: &mut Incident) {
        let c = &self.name;
        if let Some(d) = &self.date {
            inc.fact(format!("claim_date({c}, {d})"));
        }
        if let Some(s) = self.source {
            inc.fact(format!("claim_source({c}, {s})"));
        }
        for f in &self.forms {
            inc.fact(format!("claim_form({c}, {f})"));
        }
        for b in &self.bases {
            inc.fact(format!("claim_basis({c}, {b})"));
        }
        for a in &self.by {
            inc.fact(format!("claim_by({c}, {a})"));
        }
        for s in &self.by_state {
            inc.fact(format!("claim_by_state({c}, {s})"));
        }
        for s in &self.attributes {
            inc.fact(format!("claim_attributes({c}, {op}, {s})"));
            for r in &self.by_state {
                if r != s {
                    inc.fact(format!("publicly_attributed({r}, {op}, {s})"));
                }
            }
        }
        for s in &self.suggests {
            inc.fact(format!("claim_suggests_affiliation({c}, {op}, {s})"));
        }
        for s in &self.places {
            inc.fact(format!("claim_places_author_in({c}, {op}, {s})"));
        }
        for a in &self.names {
            inc.fact(format!("claim_names_actor({c}, {op}, {a})"));
        }
    }
}

fn claims(rows: &[(usize, AttributionRow)], op: &str, run: &mut Run) -> Vec<Claim> {
    let _ = op;
    let mut out: Vec<Claim> = Vec::new();
    for (_, r) in rows {
        let i = match out.iter().position(|c| c.name == r.claim) {
            Some(i) => i,
            None => {
                out.push(Claim {
                    name: r.claim.clone(),
                    ..Claim::default()
                });
                out.len() - 1
            }
        };
        let attributing = if r.country.is_empty() {
            None
        } else {
            state_of(&r.country, "attributing_country", run)
        };
        let c = &mut out[i];
        if c.date.is_none() {
            c.date = iso_date(&r.date);
        }
        let source = source_of(&r.basis, attributing.is_some());
        if c.source.is_none() || (c.source == Some("other_source") && source.is_some()) {
            c.source = source.or(c.source);
        }
        let (forms, bases) = forms_of(&r.kind);
        for f in forms {
            if !c.forms.contains(f) {
                c.forms.push(f);
            }
        }
        for b in bases {
            if !c.bases.contains(b) {
                c.bases.push(b);
            }
        }
        for who in [&r.actor, &r.company] {
            if countries::lookup(who) != Place::Unknown {
                if let Some(a) = name("actor_", who) {
                    c.by.insert(a);
                }
            }
        }
        if let (Some(s), Some("government" | "international_organization")) =
            (attributing, c.source)
        {
            c.by_state.insert(s.constant);
        }
        if let Some(target) = (!r.initiator_country.is_empty())
            .then(|| state_of(&r.initiator_country, "attributed_initiator_country", run))
            .flatten()
        {
            let cat = r.initiator_category.as_str();
            if cat == "State" {
                c.attributes.insert(target.constant);
            } else if cat.starts_with("Non-state actor, state-affiliation suggested") {
                c.suggests.insert(target.constant);
            } else if cat == "Non-state-group" || cat == "Individual hacker(s)" {
                c.places.insert(target.constant);
            }
        }
        if countries::lookup(&r.initiator) != Place::Unknown {
            if let Some(a) = name("actor_", &r.initiator) {
                c.names.insert(a);
            }
        }
    }
    out
}

/// `claim_source` for EuRepoC's `attribution_basis` (several, "; "-separated: the first
/// that says more than "other").
fn source_of(basis: &str, country_is_state: bool) -> Option<&'static str> {
    let mut fallback = None;
    for b in basis.split("; ").map(str::trim) {
        let s = match b {
            "" | "Not available" | "None" | "Unknown" => continue,
            "Attacker confirms" => "attacker",
            "IT-security community attributes attacker" => "security_company",
            "Media-based attribution" => "media",
            "Receiver attributes attacker" => "private_victim",
            "Attribution by third-party" if country_is_state => "government",
            b if b.starts_with("Attribution by receiver government") => "government",
            "Attribution by EU institution/agency"
            | "Attribution by international organization" => "international_organization",
            _ => {
                fallback = Some("other_source");
                continue;
            }
        };
        return Some(s);
    }
    fallback
}

/// `claim_form` and `claim_basis` for EuRepoC's `attribution_type`.
fn forms_of(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    let k = kind.trim();
    let forms: &'static [&'static str] = if k.starts_with("Technical report") {
        &["technical_report"]
    } else if k.starts_with("Self-attribution") {
        &["self_declaration"]
    } else if k.starts_with("Direct statement in media report") {
        &["media_statement"]
    } else if k.starts_with("Anonymous statement") {
        &["anonymous_statement"]
    } else if k.starts_with("Attribution given, type unclear") {
        &["form_unclear"]
    } else if k.starts_with("Political statement / report") {
        &["political_statement"]
    } else if k.starts_with("Domestic legal action") {
        &["legal_action"]
    } else if k.starts_with("Media report") {
        &["media_report"]
    } else if k.starts_with("Statement in media report and political statement") {
        &["media_statement", "political_statement", "technical_report"]
    } else if k.starts_with("Political statement/report and indictment") {
        &["political_statement", "legal_action"]
    } else if k.starts_with("Statement in media report and indictment") {
        &["media_statement", "legal_action"]
    } else {
        &[]
    };
    let bases: &'static [&'static str] = match forms {
        ["technical_report"] => &["technical_indicators"],
        ["self_declaration"] => &["self_attribution"],
        ["legal_action"]
        | ["political_statement", "legal_action"]
        | ["media_statement", "legal_action"] => &["legal_proceedings"],
        ["media_statement", "political_statement", "technical_report"] => &["technical_indicators"],
        _ => &[],
    };
    (forms, bases)
}

/// The coded effects of an incident.
struct Effects {
    /// Effects known to have occurred, with their scale when the coding gives one.
    known: Vec<(&'static str, Option<&'static str>)>,
    /// Effects the coding leaves open ("Not available").
    unknown: Vec<&'static str>,
    /// Unauthorised access: known to have happened, known not to, or unknown.
    intrusion: Option<bool>,
    /// Whether some effect disrupted the functioning of systems (unknown if not coded).
    disruptive: Option<bool>,
    encrypted: bool,
    extortion: bool,
    published: bool,
}

impl Effects {
    fn add(&mut self, e: &'static str, scale: Option<&'static str>) {
        match self.known.iter_mut().find(|(k, _)| *k == e) {
            Some((_, s)) => {
                if s.is_none() {
                    *s = scale;
                }
            }
            None => self.known.push((e, scale)),
        }
        self.unknown.retain(|u| *u != e);
    }

    /// A column that codes one effect by its extent: `None` (no such effect), not available
    /// (the effect left open), or a value starting with one of `scales`' prefixes (the effect
    /// at that scale). Anything else leaves the effect open and returns false, for the caller
    /// to report.
    fn extent(
        &mut self,
        value: &str,
        effect: &'static str,
        scales: &[(&str, &'static str)],
    ) -> bool {
        let v = value.to_lowercase();
        if v == "none" {
            return true;
        }
        if not_available(value) {
            self.open(effect);
            return true;
        }
        match scales.iter().find(|(prefix, _)| v.starts_with(prefix)) {
            Some((_, scale)) => {
                self.add(effect, Some(scale));
                true
            }
            None => {
                self.open(effect);
                false
            }
        }
    }

    fn open(&mut self, e: &'static str) {
        if !self.known.iter().any(|(k, _)| *k == e) && !self.unknown.contains(&e) {
            self.unknown.push(e);
        }
    }
}

const DISRUPTIVE: &[&str] = &[
    "temporary_loss_of_functionality",
    "loss_of_functionality",
    "reinstallation_required",
    "physical_damage",
];

fn not_available(v: &str) -> bool {
    countries::lookup(v) == Place::Unknown
}

fn effects(row: &Row, id: &str, run: &mut Run) -> Result<Effects, RowProblem> {
    let mut fx = Effects {
        known: Vec::new(),
        unknown: Vec::new(),
        intrusion: Some(false),
        disruptive: Some(false),
        encrypted: false,
        extortion: false,
        published: false,
    };
    let mut intrusion_unknown = false;
    let unrecognised = |column: &str, v: &str, run: &mut Run| {
        run.note(format!(
            "{column}: value not recognised, left unknown: `{v}`"
        ));
        run.warning(
            RowProblem::new(
                row.number,
                column,
                format!("`{v}` is not a value EuRepoC's codebook uses; the effect is left unknown"),
            )
            .incident(id),
        );
    };

    let theft = row.get("data_theft")?;
    let t = theft.to_lowercase();
    if t == "none" {
    } else if not_available(theft) {
        fx.open("data_exfiltration");
        intrusion_unknown = true;
    } else if t.contains("non-sensitive") {
        fx.add("data_exfiltration", Some("minor"));
    } else if t.contains("sensitive") {
        fx.add("data_exfiltration", Some("significant"));
    } else {
        fx.open("data_exfiltration");
        intrusion_unknown = true;
        unrecognised("data_theft", theft, run);
    }

    let disruption = row.get("disruption")?;
    if !fx.extent(
        disruption,
        "temporary_loss_of_functionality",
        &[("short-term", "minor"), ("long-term", "significant")],
    ) {
        unrecognised("disruption", disruption, run);
    }

    let hijacking = row.get("hijacking")?;
    let h = hijacking.to_lowercase();
    if h == "none" {
    } else if not_available(hijacking) {
        intrusion_unknown = true;
    } else if h.contains("not used") {
        fx.intrusion = Some(true);
        fx.add("malware_emplacement", None);
    } else if h.contains("misuse") {
        fx.intrusion = Some(true);
    } else {
        intrusion_unknown = true;
        unrecognised("hijacking", hijacking, run);
    }

    let physical = row.get("physical_effects_spatial")?;
    if !fx.extent(
        physical,
        "physical_damage",
        &[("local", "significant"), ("widespread", "grave")],
    ) {
        unrecognised("physical_effects_spatial", physical, run);
    }

    let mitre = row.get("MITRE_impact")?;
    for m in mitre.split(';').map(str::trim) {
        match m {
            "" | "Not available" | "None" => {}
            "Data Exfiltration" => {
                let scale = fx
                    .known
                    .iter()
                    .find(|(e, _)| *e == "data_exfiltration")
                    .and_then(|(_, s)| *s);
                fx.add("data_exfiltration", scale);
            }
            "Data Encrypted for Impact" => {
                fx.add("reinstallation_required", None);
                fx.encrypted = true;
            }
            "Disk Wipe"
            | "Disk Content Wipe"
            | "Disk Structure Wipe"
            | "Inhibit System Recovery" => fx.add("reinstallation_required", None),
            "Data Destruction"
            | "Defacement"
            | "Internal Defacement"
            | "External Defacement"
            | "Data Manipulation"
            | "Stored Data Manipulation"
            | "Transmitted Data Manipulation"
            | "Runtime Data Manipulation" => fx.add("data_alteration", None),
            "Firmware Corruption" => fx.add("loss_of_functionality", None),
            "Network Denial of Service"
            | "Endpoint Denial of Service"
            | "Service Stop"
            | "Account Access Removal"
            | "System Shutdown/Reboot" => {
                let scale = fx
                    .known
                    .iter()
                    .find(|(e, _)| *e == "temporary_loss_of_functionality")
                    .and_then(|(_, s)| *s);
                fx.add("temporary_loss_of_functionality", scale)
            }
            "Resource Hijacking" => fx.intrusion = Some(true),
            other => unrecognised("MITRE_impact", other, run),
        }
    }

    let kind = row.get("incident_type")?;
    if kind.contains("Ransomware") {
        fx.encrypted = true;
        fx.extortion = true;
        fx.add("reinstallation_required", None);
    }
    if kind.contains("Doxing") {
        fx.published = true;
        let scale = fx
            .known
            .iter()
            .find(|(e, _)| *e == "data_exfiltration")
            .and_then(|(_, s)| *s);
        fx.add("data_exfiltration", scale);
    }

    // Data taken, altered, encrypted or implanted means the systems were accessed.
    if fx.known.iter().any(|(e, _)| {
        matches!(
            *e,
            "data_exfiltration"
                | "data_alteration"
                | "reinstallation_required"
                | "malware_emplacement"
        )
    }) {
        fx.intrusion = Some(true);
    }
    if fx.intrusion != Some(true) && intrusion_unknown {
        fx.intrusion = None;
    }
    // A denial of service alone says nothing about access either way.
    if fx.intrusion == Some(false) {
        fx.intrusion = None;
    }
    fx.disruptive = if fx.known.iter().any(|(e, _)| DISRUPTIVE.contains(e)) {
        Some(true)
    } else if fx.unknown.iter().any(|e| DISRUPTIVE.contains(e)) {
        None
    } else {
        Some(false)
    };
    Ok(fx)
}
