//! Indices into a [`Program`](super::Program) and the interner of constants.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// An interned constant: an index into an [`Interner`].
pub type Sym = u32;
/// A ground tuple of constants, one per slot of a predicate (most have at most four).
pub type Tuple = SmallVec<[Sym; 4]>;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// The number is the index in the program's list; ids are made by the checker for
        /// the program they index.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub u32);
        impl $name {
            /// The id as an index into the program's list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The id of the `i`-th entry (saturating at `u32::MAX`, which indexes nothing).
            pub fn from_index(i: usize) -> Self {
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }
        }
    };
}
id_type!(
    /// A declared type ([`Program::types`](super::Program::types)).
    TypeId
);
id_type!(
    /// A declared predicate ([`Program::predicates`](super::Program::predicates)).
    PredId
);
id_type!(
    /// A checked rule ([`Program::rules`](super::Program::rules)).
    RuleId
);
id_type!(
    /// A position ([`Program::positions`](super::Program::positions)).
    PosId
);
id_type!(
    /// A declared source ([`Program::sources`](super::Program::sources)).
    SourceId
);
id_type!(
    /// An unsettled point ([`Program::points`](super::Program::points)).
    PointId
);
id_type!(
    /// A variable of one rule ([`Rule::vars`](super::Rule::vars)).
    VarId
);

/// Constants by name and back.
///
/// Serialised as the list of names in symbol order; reading the list back interns them in
/// that order, so every symbol keeps its number (a list naming a constant twice is refused).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    map: FxHashMap<String, Sym>,
    names: Vec<String>,
}

impl Interner {
    /// The symbol of `s`, interning it if it is new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(s.to_string());
        self.map.insert(s.to_string(), id);
        id
    }
    /// The symbol of `s`, if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }
    /// The name of a symbol, or `?` for one this interner did not make.
    pub fn name(&self, id: Sym) -> &str {
        self.names
            .get(id as usize)
            .map(|s| s.as_str())
            .unwrap_or("?")
    }
    /// How many constants are interned.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// Whether no constant is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

impl Serialize for Interner {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Interner {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Interner, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut interner = Interner::default();
        for (i, name) in names.iter().enumerate() {
            if interner.intern(name) as usize != i {
                return Err(serde::de::Error::custom(format!(
                    "the constant `{name}` is listed twice"
                )));
            }
        }
        Ok(interner)
    }
}
