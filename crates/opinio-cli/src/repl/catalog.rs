//! What the line editor knows of the session: predicate names with their signatures and
//! meanings, constants by type, and positions. Taken from the session after every line.

use opinio::Scenario;

/// A predicate as completion and hints show it.
#[derive(Debug, Clone, Default)]
pub struct PredEntry {
    /// The predicate's name.
    pub name: String,
    /// `conducted_by(op: Operation, actor: Actor)`.
    pub signature: String,
    /// What it means, in the knowledge base's words (empty if it does not say).
    pub meaning: String,
    /// The type name of each argument, in order.
    pub slot_types: Vec<String>,
}

/// The names the session knows, refreshed after every line.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Every predicate, facts and conclusions.
    pub predicates: Vec<PredEntry>,
    /// Constants by type name (scenario constants and enumeration values), sorted.
    pub constants: Vec<(String, Vec<String>)>,
    /// The names of the positions.
    pub positions: Vec<String>,
}

impl Catalog {
    /// The names a scenario's knowledge base and facts offer.
    pub fn new(scenario: &Scenario) -> Catalog {
        let program = scenario.program();
        let predicates = program
            .predicates
            .iter()
            .map(|p| PredEntry {
                name: p.name.clone(),
                signature: format!(
                    "{}({})",
                    p.name,
                    p.slots
                        .iter()
                        .map(|s| format!("{}: {}", s.name, program.type_info(s.ty).name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                meaning: p.meaning.clone().unwrap_or_default(),
                slot_types: p
                    .slots
                    .iter()
                    .map(|s| program.type_info(s.ty).name.clone())
                    .collect(),
            })
            .collect();
        Catalog {
            predicates,
            constants: scenario.constants_by_type().into_iter().collect(),
            positions: scenario
                .knowledge_base()
                .position_names()
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }

    /// The predicate named `name`.
    pub(super) fn predicate(&self, name: &str) -> Option<&PredEntry> {
        self.predicates.iter().find(|p| p.name == name)
    }

    /// The constants of a type.
    pub(super) fn constants_of(&self, ty: &str) -> Vec<&str> {
        self.constants
            .iter()
            .filter(|(t, _)| t == ty)
            .flat_map(|(_, v)| v.iter().map(|s| s.as_str()))
            .collect()
    }

    /// Every constant, sorted, once each.
    pub(super) fn all_constants(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .constants
            .iter()
            .flat_map(|(_, v)| v.iter().map(|s| s.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
