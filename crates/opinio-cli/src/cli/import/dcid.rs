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

/// A 0/1 column: `Some(true)` for 1, `Some(false)` for 0 or an empty cell (not coded), and
/// `None`, with a warning naming row, incident and column, for any other value: the fact it
/// codes is then left unknown (`left` says which, for the warning).
fn flag(row: &Row, column: &str, id: &str, left: &str, run: &mut Run) -> Option<bool> {
    let v = row.get(column).ok()?;
    if v.is_empty() {
        return Some(false);
    }
    match whole(v) {
        Some(0) => Some(false),
        Some(1) => Some(true),
        _ => {
            run.warning(
                RowProblem::new(
                    row.number,
                    column,
                    format!("`{v}` is not a value of the codebook (0 or 1); {left}"),
                )
                .incident(id)
                .help("DCID codes this column 1 (yes) or 0 (no): correct the cell"),
            );
            None
        }
    }
}

/// The whole number a cell holds (`3`, `3.0`), `None` for a fraction, a number too large or
/// text.
fn whole(text: &str) -> Option<i64> {
    let f = text.trim().parse::<f64>().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// A code of the codebook: a whole number in `range`. Anything else (a fraction, a number
/// outside the codebook, text) is `None` with a warning naming row, incident and column;
/// `what` names the column's codes (`severity`), `left` what is then left unknown.
fn coded(
    row: &Row,
    column: &str,
    id: &str,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
    left: &str,
    run: &mut Run,
) -> Option<i64> {
    let v = row.get(column).ok()?;
    if let Some(c) = whole(v).filter(|c| range.contains(c)) {
        return Some(c);
    }
    let why = match v.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 => "is outside the codebook's scale",
        Ok(f) if f.is_finite() => "is not a whole number",
        _ => "is not a number",
    };
    run.warning(
        RowProblem::new(
            row.number,
            column,
            format!(
                "`{v}` {why}: DCID codes {what} with the whole numbers {} to {}; {left}",
                range.start(),
                range.end()
            ),
        )
        .incident(id)
        .help("correct the cell with a code of DCID's codebook"),
    );
    None
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
fn scale(severity: i64) -> &'static str {
    match severity {
        ..=3 => "minor",
        4..=6 => "significant",
        _ => "grave",
    }
}

fn incident(
    row: &Row,
    mode: Mode,
    seen: &mut HashMap<String, usize>,
    run: &mut Run,
) -> Result<Option<Incident>, RowProblem> {
    let id = super::incident_number(row, "Cyberincidentnum")?;
    if let Some(first) = seen.get(&id) {
        return Err(RowProblem::new(
            row.number,
            "Cyberincidentnum",
            format!("incident {id} is already on row {first}; this row is left out"),
        )
        .incident(&id)
        .help("each incident is one row of DCID's incident sheet (the first sheet of the workbook): remove the repeated row, or give it its own number"));
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

    // Read as a number first (text or an empty cell is an error, as before), then checked
    // against the codebook: a severity outside it leaves the scale unknown.
    number(row, "severity", Some(&id))?;
    let level = coded(
        row,
        "severity",
        &id,
        1..=10,
        "severity",
        "the scale of the effects is left unknown",
        run,
    )
    .map(scale);
    let method = number(row, "method", Some(&id))?;
    let objective = number(row, "cyber_objective", Some(&id))?;
    // A method is 1 to 4, or a subcode with one decimal (4.3, a worm); a spreadsheet may
    // write 4.1 as 4.0999999999999996.
    let tenths = (method * 10.0).round();
    let tenths = if (method * 10.0 - tenths).abs() < 1e-6 && (10.0..50.0).contains(&tenths) {
        tenths as i64
    } else {
        0
    };
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
                format!(
                    "`{}` is not a method of the codebook (1 to 4, or a subcode such as 4.3); this row is left out",
                    row.get("method").unwrap_or_default()
                ),
            )
            .incident(&id)
            .help("DCID codes the method 1 vandalism, 2 denial of service, 3 intrusion, 4 infiltration: correct the cell"))
        }
    }
    let objective_code = (objective.fract() == 0.0).then_some(objective as i64);
    let disruptive = match objective_code {
        Some(1) => {
            effects.push("temporary_loss_of_functionality");
            true
        }
        Some(2 | 3) => {
            effects.push("data_exfiltration");
            inc.fact(format!("intruded_into({op}, {v})"));
            false
        }
        Some(4) => {
            effects.push("loss_of_functionality");
            true
        }
        _ => {
            return Err(RowProblem::new(
                row.number,
                "cyber_objective",
                format!(
                    "`{}` is not an objective of the codebook (a whole number 1 to 4); this row is left out",
                    row.get("cyber_objective").unwrap_or_default()
                ),
            )
            .incident(&id)
            .help("DCID codes the objective 1 disruption, 2 and 3 espionage, 4 degradation: correct the cell"))
        }
    };
    let ransomware = flag(
        row,
        "Ransomware",
        &id,
        "whether it was ransomware is left unknown",
        run,
    );
    if ransomware == Some(true) {
        effects.push("reinstallation_required");
        inc.fact(format!("data_encrypted({op}, {v})"));
        inc.fact(format!("extortion_demand({op})"));
    }
    for e in &effects {
        inc.fact(format!("effect_in({op}, {v}, {e})"));
        if let Some(level) = level {
            inc.fact(format!("scale_of_effect({op}, {v}, {e}, {level})"));
        }
    }
    if ransomware.is_none() {
        // Closed predicates: silence would say there was no ransomware.
        inc.unknown(format!("effect_in({op}, {v}, reinstallation_required)"));
        inc.unknown(format!("data_encrypted({op}, {v})"));
        inc.unknown(format!("extortion_demand({op})"));
    }
    number(row, "targettype", Some(&id))?;
    let target = coded(
        row,
        "targettype",
        &id,
        1..=3,
        "the target type",
        "whether the target was the government is left unknown",
        run,
    );
    if disruptive {
        match target {
            Some(2 | 3) => inc.fact(format!("interferes_with_governmental_function({op}, {v})")),
            Some(_) => {}
            None => inc.unknown(format!("interferes_with_governmental_function({op}, {v})")),
        }
    }
    // The sectors 1 to 16 are critical infrastructure; 0 and 17 are other targets; an empty
    // cell is not coded.
    let sector = if row.get("Crit Inf").is_ok_and(|c| !c.is_empty()) {
        coded(
            row,
            "Crit Inf",
            &id,
            0..=17,
            "the critical-infrastructure sector",
            "whether critical infrastructure was affected is left unknown",
            run,
        )
        .map(Some)
    } else {
        Some(None)
    };
    if disruptive {
        match sector {
            Some(Some(1..=16)) => inc.fact(format!("critical_infrastructure_affected({op}, {v})")),
            Some(_) => {}
            None => inc.unknown(format!("critical_infrastructure_affected({op}, {v})")),
        }
    }
    if flag(
        row,
        "information_operation",
        &id,
        "whether there was disinformation is left unknown",
        run,
    ) != Some(false)
    {
        inc.unknown(format!("disinformation({op}, {v})"));
    }
    inc.unknown(format!("originated_from({op}, {s})"));

    // Attribution.
    let proxy = flag(
        row,
        "3rdpartyinitiator",
        &id,
        "whether the initiator acted through a third party is left unknown (in trusting mode, so is its attribution)",
        run,
    );
    let [organ, empowered, instructed, _, _] = attribution_facts(&op, &actor, s);
    if mode == Mode::Trusting {
        match proxy {
            Some(true) => {
                inc.not(organ);
                inc.not(empowered);
                inc.fact(instructed);
            }
            Some(false) => inc.fact(organ),
            None => {}
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
        assert_eq!(scale(1), "minor");
        assert_eq!(scale(3), "minor");
        assert_eq!(scale(4), "significant");
        assert_eq!(scale(6), "significant");
        assert_eq!(scale(7), "grave");
        assert_eq!(scale(10), "grave");
    }
}
