//! What the reader can do about a diagnostic in the program they are using.
//!
//! The library's help lines say what to do in general terms ("raise the file-size limit");
//! how to do it depends on the program: the command line has flags, the REPL has commands, an
//! embedding program has its own settings. A diagnostic carries the remedy as data and each
//! front end words it for itself, so the library never names a flag or a command.

use serde::Serialize;

/// An action that would resolve or explain a diagnostic, to be worded by the front end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum Remedy {
    /// A file is larger than the file-size cap; a cap of `suggested` (e.g. `"128M"`, in the
    /// notation [`crate::kb::files::parse_size`] reads) would hold it.
    RaiseFileSizeLimit {
        /// The suggested cap.
        suggested: String,
    },
    /// An evaluation reached its atom, time or memory limit ([`crate::Limits`]).
    RaiseEvaluationLimits,
    /// The reader named a fact that is not stated; the list of stated facts would help.
    ListFacts,
    /// The reader named an unknown predicate; the list of predicates would help.
    ListPredicates,
    /// The reader named an unknown position; the list of positions would help.
    ListPositions,
    /// Declarations or rules were given as a scenario; they belong in the knowledge base.
    LoadAsKnowledgeBase,
    /// Expectations were given where only facts are read; a test run reads them.
    RunExpectations,
    /// A folder was given where a file is read; other commands take folders.
    GiveFolderElsewhere,
}
