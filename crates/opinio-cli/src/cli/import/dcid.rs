//! DCID 2.0: one scenario per incident (row of the first sheet, "DCID_2.0_Release_public").
//! The mapping is in `docs/datasets.md`; in short: the dyad's initiator (a Correlates of War
//! code) acts against the other State of the dyad; `method` and `cyber_objective` give the
//! effects, `severity` their scale; the dataset's attribution to the initiator is a claim
//! (strict) or a fact (trusting); the victim is never left open as the author.

use super::countries::{self, Country, Place};
use super::table::{read_csv, read_workbook, Row};
use super::{attribution_facts, iso_date, DcidArgs, Fatal, Incident, Mode, RowProblem, Run};
use std::collections::HashMap;

const REQUIRED: &[&str] = &[
    "Cyberincidentnum",
    "StateA",
    "StateB",
    "interactionstartdate",
    "method",
    "targettype",
    "initiator",
    "cyber_objective",
    "severity",
    // Read as flags and codes: a sheet without them would still convert, with the proxy
    // attributions, critical infrastructure and ransomware silently left out.
    "information_operation",
    "3rdpartyinitiator",
    "Crit Inf",
    "Ransomware",
];

/// Runs the import.
pub fn import(a: &DcidArgs, run: &mut Run) -> Result<(), Fatal> {
    let csv = a
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let table = if csv {
        read_csv(&a.file, a.common.max_file_size())?
    } else {
        read_workbook(&a.file, a.sheet.as_deref(), a.common.max_file_size())?
    };
    table.require(REQUIRED, &a.file, "DCID 2.0's incident sheet")?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        run.read += 1;
        if let Some(p) = row.shape_problem() {
            run.error(p);
            continue;
        }
        match incident(row, a.common.mode, &mut seen, run) {
            Ok(Some(inc)) => run.scenario(&inc),
            Ok(None) => {}
            Err(p) => run.error(p),
        }
    }
    Ok(())
}

/// A number in a cell (`4.4000000000000004`, `3`, `3.0`).
fn number(row: &Row, column: &str, id: Option<&str>) -> Result<f64, RowProblem> {
    let v = row.get(column).map_err(|p| match id {
        // A row cut short still says which incident it is.
        Some(i) => p.incident(i),
        None => p,
    })?;
    v.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| {
            let p = RowProblem::new(
                row.number,
                column,
                if v.is_empty() {
                    "the cell is empty where the codebook requires a number".to_string()
                } else {
                    format!("`{v}` is not a number")
                },
            )
            .help("DCID codes this column with numbers: see its codebook");
            match id {
                Some(i) => p.incident(i),
                None => p,
            }
        })
}

/// An optional 0/1 column: `Some(true)` for 1, `None` when the column is absent or empty.
fn flag(row: &Row, column: &str) -> Option<bool> {
    let v = row.get(column).ok()?;
    match v.parse::<f64>() {
        Ok(f) => Some(f >= 0.5),
        Err(_) => None,
    }
}

/// A State for a cell of `StateA` / `StateB`, noting what is not one.
fn state(name: &str, column: &str, run: &mut Run) -> Option<&'static Country> {
    let place = countries::lookup(name);
    if let Some(why) = place.why_not_a_state() {
        if place != Place::Unknown {
            run.note(format!("{column}: `{}` is {why}", name.trim()));
        }
    }
    place.state()
}

/// An Excel serial day number (days since 1899-12-30) or an ISO date, as a date literal.
fn date(text: &str) -> Option<String> {
    if let Some(d) = iso_date(text) {
        return Some(d);
    }
    let serial = text.trim().parse::<f64>().ok()?;
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01, then the civil date (H. Hinnant's algorithm).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// `scale_of_effect` for DCID's severity (1–10): up to 3 (probing, harassment, targeted
/// theft) minor; 4 to 6 (widespread theft, a critical network targeted or disrupted)
/// significant; 7 and above (damage to critical infrastructure and beyond) grave.
fn scale(severity: f64) -> &'static str {
    if severity < 3.5 {
        "minor"
    } else if severity < 6.5 {
        "significant"
    } else {
        "grave"
    }
}

fn incident(
    row: &Row,
    mode: Mode,
    seen: &mut HashMap<String, usize>,
    run: &mut Run,
) -> Result<Option<Incident>, RowProblem> {
    let raw = row.get("Cyberincidentnum")?;
    let id = raw.strip_suffix(".0").unwrap_or(raw);
    let id = if id.bytes().all(|b| b.is_ascii_digit()) {
        super::canonical_number(id)
    } else {
        id.to_string()
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RowProblem::new(
            row.number,
            "Cyberincidentnum",
            if id.is_empty() {
                "the incident has no number".to_string()
            } else {
                format!("`{id}` is not an incident number (a whole number)")
            },
        )
        .help("each incident needs its number: correct or remove the row"));
    }
    if let Some(first) = seen.get(&id) {
        return Err(RowProblem::new(
            row.number,
            "Cyberincidentnum",
            format!("incident {id} is already on row {first}"),
        )
        .incident(&id)
        .help("read the sheet with one row per incident (the first sheet of the workbook)"));
    }
    seen.insert(id.clone(), row.number);

    let a = state(row.get("StateA")?, "StateA", run);
    let b = state(row.get("StateB")?, "StateB", run);
    let (Some(a), Some(b)) = (a, b) else {
        run.skip("a State of the dyad is not in the country table");
        return Ok(None);
    };
    let code = number(row, "initiator", Some(&id))?;
    let initiator = countries::by_cow(code as u16)
        .filter(|_| code.fract() == 0.0 && (0.0..65_536.0).contains(&code))
        .ok_or_else(|| {
            RowProblem::new(
                row.number,
                "initiator",
                format!("`{code}` is not the Correlates of War code of a current State"),
            )
            .incident(&id)
            .help("DCID codes the initiator with the Correlates of War number of StateA or StateB")
        })?;
    let victim = if initiator.constant == a.constant {
        b
    } else if initiator.constant == b.constant {
        a
    } else {
        return Err(RowProblem::new(
            row.number,
            "initiator",
            format!(
                "the initiator ({}, code {code}) is neither StateA ({}) nor StateB ({})",
                initiator.name, a.name, b.name
            ),
        )
        .incident(&id)
        .help("the initiator must be one of the dyad's two States"));
    };
    let (s, v) = (initiator.constant, victim.constant);
    let op = format!("op_{id}");
    let actor = format!("actor_dcid_{id}");
    let mut inc = Incident::new(format!("dcid_{id}"));
    inc.fact(format!("state({s})"));
    inc.fact(format!("state({v})"));
    inc.fact(format!("operation({op})"));
    inc.fact(format!("conducted_by({op}, {actor})"));
    inc.fact(format!("targeted({op}, {v})"));
    let start = row.get("interactionstartdate")?;
    match date(start) {
        Some(d) => inc.fact(format!("occurred_on({op}, {d})")),
        None if start.is_empty() => {}
        None => run.warning(
            RowProblem::new(
                row.number,
                "interactionstartdate",
                format!("`{start}` is not a date; the date is left out"),
            )
            .incident(&id),
        ),
    }

    let severity = number(row, "severity", Some(&id))?;
    let level = scale(severity);
    let method = number(row, "method", Some(&id))?;
    let objective = number(row, "cyber_objective", Some(&id))?;
    let tenths = (method * 10.0).round() as i64;
    let mut effects: Vec<&str> = Vec::new();
    match tenths / 10 {
        1 => {
            inc.fact(format!("intruded_into({op}, {v})"));
            effects.push("data_alteration");
        }
        2 => effects.push("temporary_loss_of_functionality"),
        3 => inc.fact(format!("intruded_into({op}, {v})")),
        4 => {
            inc.fact(format!("intruded_into({op}, {v})"));
            effects.push("malware_emplacement");
            if tenths == 43 {
                inc.fact(format!("self_propagating({op})"));
            }
        }
        _ => {
            return Err(RowProblem::new(
                row.number,
                "method",
                format!("`{method}` is not a method of the codebook (1 to 4)"),
            )
            .incident(&id))
        }
    }
    let disruptive = match objective.round() as i64 {
        1 => {
            effects.push("temporary_loss_of_functionality");
            true
        }
        2 | 3 => {
            effects.push("data_exfiltration");
            inc.fact(format!("intruded_into({op}, {v})"));
            false
        }
        4 => {
            effects.push("loss_of_functionality");
            true
        }
        _ => {
            return Err(RowProblem::new(
                row.number,
                "cyber_objective",
                format!("`{objective}` is not an objective of the codebook (1 to 4)"),
            )
            .incident(&id))
        }
    };
    if flag(row, "Ransomware") == Some(true) {
        effects.push("reinstallation_required");
        inc.fact(format!("data_encrypted({op}, {v})"));
        inc.fact(format!("extortion_demand({op})"));
    }
    for e in effects {
        inc.fact(format!("effect_in({op}, {v}, {e})"));
        inc.fact(format!("scale_of_effect({op}, {v}, {e}, {level})"));
    }
    let target = number(row, "targettype", Some(&id))?.round() as i64;
    if disruptive && (target == 2 || target == 3) {
        inc.fact(format!("interferes_with_governmental_function({op}, {v})"));
    }
    if let Ok(ci) = number(row, "Crit Inf", Some(&id)) {
        if disruptive && (1.0..=16.0).contains(&ci) {
            inc.fact(format!("critical_infrastructure_affected({op}, {v})"));
        }
    }
    if flag(row, "information_operation") == Some(true) {
        inc.unknown(format!("disinformation({op}, {v})"));
    }
    inc.unknown(format!("originated_from({op}, {s})"));

    // Attribution.
    let proxy = flag(row, "3rdpartyinitiator") == Some(true);
    let [organ, empowered, instructed, _, _] = attribution_facts(&op, &actor, s);
    if mode == Mode::Trusting {
        if proxy {
            inc.not(organ);
            inc.not(empowered);
            inc.fact(instructed);
        } else {
            inc.fact(organ);
        }
    }
    for f in attribution_facts(&op, &actor, v) {
        inc.not(f);
    }
    let claim = format!("c_dcid_{id}");
    inc.fact(format!("claim_source({claim}, other_source)"));
    inc.fact(format!("claim_attributes({claim}, {op}, {s})"));
    inc.fact(format!("claim_names_actor({claim}, {op}, {actor})"));
    Ok(Some(inc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_days_are_dates() {
        assert_eq!(date("39479").as_deref(), Some("2008-02-01"));
        assert_eq!(date("39479.01").as_deref(), Some("2008-02-01"));
        assert_eq!(date("60").as_deref(), Some("1900-02-28"));
        assert_eq!(date("44052").as_deref(), Some("2020-08-09"));
        assert_eq!(date("2017-06-27").as_deref(), Some("2017-06-27"));
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("-5"), None);
    }

    #[test]
    fn severity_scales() {
        assert_eq!(scale(1.0), "minor");
        assert_eq!(scale(3.0), "minor");
        assert_eq!(scale(4.0), "significant");
        assert_eq!(scale(6.0), "significant");
        assert_eq!(scale(7.0), "grave");
    }
}
