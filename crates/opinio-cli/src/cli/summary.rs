//! `opinio batch --summary`: instead of one record per scenario, one table per goal and
//! position: how many scenarios answer true, false or unknown, the unknowns split by cause
//! (facts missing, the law divided, or both) with the points of law left open named and
//! counted; as text, JSON or CSV, and, with `--chart FILE.svg`, as stacked bars.
//!
//! The unit is the scenario: a goal's value in a scenario is the highest of its answers (true
//! above unknown above false; a goal with variables and no answer true or unknown is false).

use opinio::syntax::ast::Truth;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The options of `opinio batch` for a summary.
#[derive(clap::Args, Debug, Clone)]
pub struct SummaryArgs {
    /// Print a table per goal and position (true / false / unknown, unknown split into
    /// missing facts and divided law) instead of one record per scenario.
    #[arg(long)]
    pub summary: bool,
    /// The table's format: `text` (for a reader), `json` (one document) or `csv` (one row per
    /// goal and position).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = SummaryFormat::Text, requires = "summary")]
    pub summary_format: SummaryFormat,
    /// Also draw the summary as an SVG chart: per goal, one stacked bar per position.
    #[arg(long, value_name = "FILE.svg", requires = "summary")]
    pub chart: Option<PathBuf>,
}

/// The format of the summary table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SummaryFormat {
    /// Aligned columns for a reader.
    #[default]
    Text,
    /// One JSON document.
    Json,
    /// Comma-separated values, one row per goal and position.
    Csv,
}

/// Why an answer is unknown.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Facts nobody stated would settle it; no point of law is open on the way.
    MissingFacts,
    /// A point of law left open decides it: no facts would settle it.
    DividedLaw,
    /// Both: facts are missing, and a point of law is open on the way.
    Both,
    /// The scenario stipulates the answer (or what it rests on) unknown: neither facts nor
    /// law can change it while the stipulation stands.
    Stipulated,
}

impl Cause {
    /// The cause of several unknown answers taken together: a stipulation gives way to the
    /// other cause; missing facts and divided law together are both.
    pub fn join(self, other: Cause) -> Cause {
        match (self, other) {
            (a, b) if a == b => a,
            (Cause::Stipulated, x) | (x, Cause::Stipulated) => x,
            _ => Cause::Both,
        }
    }
}

impl From<opinio::explain::UnknownKind> for Cause {
    fn from(k: opinio::explain::UnknownKind) -> Cause {
        use opinio::explain::UnknownKind as K;
        match k {
            K::MissingFacts => Cause::MissingFacts,
            K::DividedLaw => Cause::DividedLaw,
            K::Both => Cause::Both,
            K::Stipulated => Cause::Stipulated,
        }
    }
}

/// The value of one goal in one scenario under one position.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// Index of the position in the run's list.
    pub position: usize,
    /// Index of the goal in the run's list.
    pub goal: usize,
    /// The value.
    pub value: Truth,
    /// For unknown: why.
    pub cause: Option<Cause>,
    /// For unknown: the points of law left open on the way (names).
    pub points: Vec<String>,
}

/// Counts of one goal under one position.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Cell {
    /// Scenarios in which the goal is true.
    #[serde(rename = "true")]
    pub true_: usize,
    /// Scenarios in which it is false.
    #[serde(rename = "false")]
    pub false_: usize,
    /// Scenarios in which it is unknown.
    pub unknown: usize,
    /// Unknown for want of facts only.
    pub missing_facts: usize,
    /// Unknown because the law is divided (no facts would settle it).
    pub divided_law: usize,
    /// Unknown for both reasons.
    pub both: usize,
    /// Unknown because the scenario stipulates it so.
    pub stipulated: usize,
    /// The points of law left open, with the number of scenarios each left unknown.
    pub points: BTreeMap<String, usize>,
}

/// The whole summary: goals × positions.
pub struct Tally {
    goals: Vec<String>,
    positions: Vec<String>,
    cells: Vec<Cell>,
    /// Scenarios summarised.
    pub scenarios: usize,
    /// Scenarios that could not be evaluated.
    pub errors: usize,
}

impl Tally {
    /// An empty tally for these goals (as written) and positions (names).
    pub fn new(goals: Vec<String>, positions: Vec<String>) -> Tally {
        let n = goals.len() * positions.len();
        Tally {
            goals,
            positions,
            cells: vec![Cell::default(); n],
            scenarios: 0,
            errors: 0,
        }
    }

    /// Adds the verdicts of one scenario.
    pub fn add(&mut self, verdicts: &[Verdict]) {
        self.scenarios += 1;
        for v in verdicts {
            let i = v.goal * self.positions.len() + v.position;
            let Some(c) = self.cells.get_mut(i) else {
                continue;
            };
            match v.value {
                Truth::True => c.true_ += 1,
                Truth::False => c.false_ += 1,
                Truth::Unknown => {
                    c.unknown += 1;
                    match v.cause.unwrap_or(Cause::MissingFacts) {
                        Cause::MissingFacts => c.missing_facts += 1,
                        Cause::DividedLaw => c.divided_law += 1,
                        Cause::Both => c.both += 1,
                        Cause::Stipulated => c.stipulated += 1,
                    }
                    for p in &v.points {
                        *c.points.entry(p.clone()).or_default() += 1;
                    }
                }
            }
        }
    }

    fn cell(&self, goal: usize, position: usize) -> Option<&Cell> {
        self.cells.get(goal * self.positions.len() + position)
    }

    /// The table in a format.
    pub fn render(&self, format: SummaryFormat) -> String {
        match format {
            SummaryFormat::Text => self.text(),
            SummaryFormat::Json => self.json(),
            SummaryFormat::Csv => self.csv(),
        }
    }

    fn points_text(c: &Cell) -> String {
        let mut v: Vec<(&String, &usize)> = c.points.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(p, n)| format!("{p} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let width = self
            .positions
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(8)
            .max(8);
        out.push_str(&format!(
            "{} {}, {} not evaluated\n",
            self.scenarios,
            if self.scenarios == 1 {
                "scenario"
            } else {
                "scenarios"
            },
            self.errors
        ));
        for (g, goal) in self.goals.iter().enumerate() {
            out.push_str(&format!("\n{goal}\n"));
            out.push_str(&format!(
                "  {:<width$} {:>6} {:>6} {:>8} {:>8} {:>8} {:>6} {:>6}  points of law left open\n",
                "position", "true", "false", "unknown", "missing", "divided", "both", "stip."
            ));
            for (p, pos) in self.positions.iter().enumerate() {
                let Some(c) = self.cell(g, p) else { continue };
                out.push_str(
                    format!(
                        "  {pos:<width$} {:>6} {:>6} {:>8} {:>8} {:>8} {:>6} {:>6}  {}",
                        c.true_,
                        c.false_,
                        c.unknown,
                        c.missing_facts,
                        c.divided_law,
                        c.both,
                        c.stipulated,
                        Self::points_text(c)
                    )
                    .trim_end(),
                );
                out.push('\n');
            }
        }
        out.push_str(
            "\nunknown = missing (facts could settle it) + divided (only settling a point of law could) + both + stipulated (stated unknown)\n",
        );
        out
    }

    fn json(&self) -> String {
        let goals: Vec<serde_json::Value> = self
            .goals
            .iter()
            .enumerate()
            .map(|(g, goal)| {
                let positions: Vec<serde_json::Value> = self
                    .positions
                    .iter()
                    .enumerate()
                    .filter_map(|(p, pos)| {
                        let c = self.cell(g, p)?;
                        let mut v = serde_json::to_value(c).ok()?;
                        if let Some(o) = v.as_object_mut() {
                            o.insert("position".into(), serde_json::Value::from(pos.as_str()));
                        }
                        Some(v)
                    })
                    .collect();
                serde_json::json!({"goal": goal, "positions": positions})
            })
            .collect();
        let doc = serde_json::json!({
            "scenarios": self.scenarios,
            "errors": self.errors,
            "goals": goals,
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )
    }

    fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut rows: Vec<Vec<String>> = vec![[
            "goal",
            "position",
            "true",
            "false",
            "unknown",
            "missing_facts",
            "divided_law",
            "both",
            "stipulated",
            "points",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()];
        for (g, goal) in self.goals.iter().enumerate() {
            for (p, pos) in self.positions.iter().enumerate() {
                let Some(c) = self.cell(g, p) else { continue };
                rows.push(vec![
                    goal.clone(),
                    pos.clone(),
                    c.true_.to_string(),
                    c.false_.to_string(),
                    c.unknown.to_string(),
                    c.missing_facts.to_string(),
                    c.divided_law.to_string(),
                    c.both.to_string(),
                    c.stipulated.to_string(),
                    c.points
                        .iter()
                        .map(|(k, n)| format!("{k}={n}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]);
            }
        }
        for r in rows {
            if w.write_record(&r).is_err() {
                return String::new();
            }
        }
        w.into_inner()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// Draws the chart: per goal a panel, one horizontal stacked bar per position (shares of
    /// the scenarios: true, false, unknown for missing facts, for divided law, for both, or
    /// stated unknown by the scenario). SVG
    /// text is written as text elements: no font is loaded.
    pub fn chart(&self, path: &Path) -> Result<(), String> {
        use plotters::prelude::*;
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        const COLOURS: [(&str, RGBColor); 6] = [
            ("true", RGBColor(46, 125, 50)),
            ("false", RGBColor(198, 40, 40)),
            ("unknown: missing facts", RGBColor(189, 189, 189)),
            ("unknown: divided law", RGBColor(106, 27, 154)),
            ("unknown: both", RGBColor(239, 108, 0)),
            ("unknown: stipulated", RGBColor(21, 101, 192)),
        ];
        let bar_h = 18u32;
        let panel_h = |n: usize| 84 + bar_h * n as u32;
        let n = self.positions.len().max(1);
        let height = (self.goals.len().max(1) as u32) * panel_h(n) + 40;
        let width = 1000u32;
        // Drawn into memory, then written in full or not at all, so that a file problem is
        // reported in the same words as everywhere else (not as a drawing error).
        let mut svg = String::new();
        let mut draw = || -> Result<(), Box<dyn std::error::Error>> {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE)?;
            let (legend, body) = root.split_vertically(40);
            for (i, (name, colour)) in COLOURS.iter().enumerate() {
                let x = 10 + 165 * i as i32;
                legend.draw(&Rectangle::new([(x, 12), (x + 14, 26)], colour.filled()))?;
                legend.draw(&Text::new(
                    name.to_string(),
                    (x + 20, 13),
                    ("sans-serif", 13).into_font(),
                ))?;
            }
            let panels = body.split_evenly((self.goals.len().max(1), 1));
            for (g, (goal, area)) in self.goals.iter().zip(panels.iter()).enumerate() {
                let mut chart = ChartBuilder::on(area)
                    .caption(goal, ("sans-serif", 16).into_font())
                    .margin(6)
                    .margin_right(24)
                    .x_label_area_size(38)
                    .y_label_area_size(130)
                    .build_cartesian_2d(0f64..100f64, 0f64..n as f64)?;
                chart
                    .configure_mesh()
                    .disable_y_mesh()
                    .x_desc(format!("% of the {} scenarios", self.scenarios))
                    .x_label_formatter(&|v| format!("{v:.0}"))
                    .y_labels(0)
                    .draw()?;
                // One label per bar, right-aligned left of the plot (the axis's own labels
                // fall on round numbers, not on bars).
                let (base_x, base_y) = area.get_base_pixel();
                let label = TextStyle::from(("sans-serif", 12).into_font())
                    .pos(Pos::new(HPos::Right, VPos::Center));
                for (p, name) in self.positions.iter().enumerate() {
                    let (x, y) = chart.backend_coord(&(0.0, (n - p - 1) as f64 + 0.5));
                    area.draw(&Text::new(
                        name.clone(),
                        (x - base_x - 6, y - base_y),
                        label.clone(),
                    ))?;
                }
                for p in 0..self.positions.len() {
                    let Some(c) = self.cell(g, p) else { continue };
                    let total = (c.true_ + c.false_ + c.unknown).max(1) as f64;
                    let parts = [
                        c.true_,
                        c.false_,
                        c.missing_facts,
                        c.divided_law,
                        c.both,
                        c.stipulated,
                    ];
                    let y = (n - p - 1) as f64;
                    let mut x = 0.0;
                    for (k, count) in parts.iter().enumerate() {
                        let w = 100.0 * *count as f64 / total;
                        if w > 0.0 {
                            let colour = COLOURS.get(k).map_or(BLACK, |c| c.1);
                            chart.draw_series(std::iter::once(Rectangle::new(
                                [(x, y + 0.15), (x + w, y + 0.85)],
                                colour.filled(),
                            )))?;
                        }
                        x += w;
                    }
                }
            }
            root.present()?;
            Ok(())
        };
        draw().map_err(|e| format!("the chart could not be drawn: {e}"))?;
        crate::files::write_atomically(path, &svg).map_err(|e| crate::files::write_words(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(
        position: usize,
        goal: usize,
        value: Truth,
        cause: Option<Cause>,
        points: &[&str],
    ) -> Verdict {
        Verdict {
            position,
            goal,
            value,
            cause,
            points: points.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn tally() -> Tally {
        let mut t = Tally::new(
            vec!["violates_sovereignty(O, V)".into()],
            vec!["tallinn2".into(), "france".into()],
        );
        t.add(&[
            v(
                0,
                0,
                Truth::Unknown,
                Some(Cause::DividedLaw),
                &["sovereignty_threshold"],
            ),
            v(1, 0, Truth::True, None, &[]),
        ]);
        t.add(&[
            v(0, 0, Truth::Unknown, Some(Cause::MissingFacts), &[]),
            v(
                1,
                0,
                Truth::Unknown,
                Some(Cause::Both),
                &["sovereignty_threshold"],
            ),
        ]);
        t.add(&[
            v(0, 0, Truth::False, None, &[]),
            v(1, 0, Truth::False, None, &[]),
        ]);
        t
    }

    #[test]
    fn counts_by_value_and_cause() {
        let t = tally();
        let c = t.cell(0, 0).expect("cell");
        assert_eq!((c.true_, c.false_, c.unknown), (0, 1, 2));
        assert_eq!((c.missing_facts, c.divided_law, c.both), (1, 1, 0));
        assert_eq!(c.points.get("sovereignty_threshold"), Some(&1));
        let f = t.cell(0, 1).expect("cell");
        assert_eq!((f.true_, f.false_, f.unknown, f.both), (1, 1, 1, 1));
    }

    #[test]
    fn three_formats() {
        let t = tally();
        let text = t.render(SummaryFormat::Text);
        assert!(text.contains("3 scenarios, 0 not evaluated"));
        assert!(text.contains("sovereignty_threshold (1)"), "{text}");
        let json: serde_json::Value =
            serde_json::from_str(&t.render(SummaryFormat::Json)).expect("json");
        assert_eq!(json["goals"][0]["positions"][1]["position"], "france");
        assert_eq!(json["goals"][0]["positions"][1]["true"], 1);
        let csv = t.render(SummaryFormat::Csv);
        assert!(csv.starts_with(
            "goal,position,true,false,unknown,missing_facts,divided_law,both,stipulated,points\n"
        ));
        assert!(
            csv.contains(
                "\"violates_sovereignty(O, V)\",tallinn2,0,1,2,1,1,0,0,sovereignty_threshold=1"
            ),
            "{csv}"
        );
    }

    #[test]
    fn causes_join() {
        assert_eq!(
            Cause::MissingFacts.join(Cause::MissingFacts),
            Cause::MissingFacts
        );
        assert_eq!(Cause::MissingFacts.join(Cause::DividedLaw), Cause::Both);
        assert_eq!(Cause::DividedLaw.join(Cause::Both), Cause::Both);
        assert_eq!(Cause::Stipulated.join(Cause::DividedLaw), Cause::DividedLaw);
    }
}
