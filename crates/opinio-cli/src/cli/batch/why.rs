//! The reason of an unknown answer as a batch writes it, with its JSON made once.

use opinio::explain::UnknownClass;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// Why an answer is unknown ([`UnknownClass`]: missing facts, divided law or both, with the
/// open points), together with its JSON text. A line's unknown answers share a few classes
/// (one `Why` each, behind an `Arc`), and each class's points carry their questions and
/// reasons in words: writing that text once per class rather than once per answer was a
/// tenth of a batch over EuRepoC under every position.
#[derive(Debug)]
pub(super) struct Why {
    class: UnknownClass,
    /// `None` only if the class could not be written, which serde_json never does for it:
    /// it is then written answer by answer.
    json: Option<Box<RawValue>>,
}

impl Why {
    pub(super) fn new(class: UnknownClass) -> Why {
        let json = serde_json::value::to_raw_value(&class).ok();
        Why { class, json }
    }

    /// The length of the JSON text, for the memo's estimate of its size.
    pub(super) fn json_len(&self) -> usize {
        self.json.as_ref().map_or(0, |j| j.get().len())
    }
}

impl std::ops::Deref for Why {
    type Target = UnknownClass;

    fn deref(&self) -> &UnknownClass {
        &self.class
    }
}

impl Serialize for Why {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.json {
            Some(json) => json.serialize(s),
            None => self.class.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opinio::explain::UnknownKind;

    /// The JSON made once is the JSON of the class itself.
    #[test]
    fn writes_what_the_class_writes() {
        let class = UnknownClass {
            kind: UnknownKind::MissingFacts,
            points: Vec::new(),
        };
        let direct = serde_json::to_string(&class).expect("writes");
        let why = Why::new(class);
        assert_eq!(serde_json::to_string(&why).expect("writes"), direct);
        assert_eq!(why.json_len(), direct.len());
    }
}
