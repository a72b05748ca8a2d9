//! Embedding Opinio in another program: load the bundled law, describe an operation, ask.
//!
//! This is the smallest useful program on the library's public API, and it builds without the
//! library's default features, so that it pulls in no terminal crates:
//!
//! ```sh
//! cargo run -p opinio --no-default-features --example embed
//! ```

use opinio::{KnowledgeBase, Scenario, Truth};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kb = KnowledgeBase::bundled()?;
    let mut case = Scenario::new(&kb);
    case.add_text(
        "case.opinio",
        "state(norland). state(vesta).
         operation(tally_swap).
         conducted_by(tally_swap, vesta_intelligence).
         organ_of(vesta_intelligence, vesta).
         interferes_with_governmental_function(tally_swap, norland).",
    )?;
    let goal = "violates_sovereignty(tally_swap, norland)";
    for position in kb.position_names() {
        let result = case.query(goal, Some(position))?;
        let verdict = match result.answers.first().map(|a| a.value) {
            Some(Truth::True) => "yes",
            Some(Truth::False) => "no",
            Some(Truth::Unknown) => "open",
            None => "no answer",
        };
        println!("{position:>12}: {goal}? {verdict}");
    }
    Ok(())
}
