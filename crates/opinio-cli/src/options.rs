//! The options every front end shares: which knowledge base to load, which files to add to
//! it, and the limits of an evaluation. The command line parses them (`--kb`, `--extend`,
//! `--max-atoms`, …) and hands them to the subcommands and to the REPL, which keeps them to
//! read the knowledge base again on `:reload`.

use crate::style::print_diagnostics;
use opinio::diagnostic::Diagnostic;
use opinio::kb::{self, KbFile, KnowledgeBase, LoadError};
use opinio::syntax::span::SourceMap;
use opinio::Limits;
use std::path::PathBuf;
use std::time::Duration;

/// The knowledge base and the limits, as given on the command line (every flag is global:
/// it may follow the subcommand).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct KbArgs {
    /// Use the knowledge base in DIR instead of the bundled one.
    #[arg(long, value_name = "DIR", global = true)]
    pub kb: Option<PathBuf>,
    /// Add the `.opinio` files of DIR to the knowledge base (may be repeated).
    #[arg(long, value_name = "DIR", global = true)]
    pub extend: Vec<PathBuf>,
    /// Stop an evaluation past this many derived atoms.
    #[arg(long, value_name = "N", global = true)]
    pub max_atoms: Option<usize>,
    /// Stop an evaluation after this many seconds.
    #[arg(long, value_name = "SECONDS", global = true)]
    pub time_limit: Option<f64>,
    /// Stop an evaluation whose conclusions would take more memory than SIZE: bytes, or with
    /// a unit K, M or G, e.g. `4G` [default: 2G].
    #[arg(long, value_name = "SIZE", global = true, value_parser = kb::files::parse_size)]
    pub max_memory: Option<u64>,
    /// Refuse a file larger than SIZE: bytes, or with a unit K, M or G, e.g. `256M`
    /// [default: 64M].
    #[arg(long, value_name = "SIZE", global = true, value_parser = kb::files::parse_size)]
    pub max_file_size: Option<u64>,
    /// Ask as of DATE (e.g. `2017-06-27`), or `operation` for the scenario's dated operation:
    /// positions published later are left out, and elements resting on later statements are
    /// marked. Values never change with the date.
    #[arg(long, value_name = "DATE", global = true)]
    pub as_of: Option<opinio::AsOf>,
}

impl KbArgs {
    /// The evaluation limits: the library's defaults, replaced by the flags given (a
    /// negative time limit counts as zero).
    pub fn limits(&self) -> Limits {
        let mut l = Limits::default();
        if let Some(n) = self.max_atoms {
            l.max_atoms = n;
        }
        if let Some(s) = self.time_limit {
            l.time_budget = Duration::try_from_secs_f64(s.max(0.0)).ok();
        }
        if let Some(b) = self.max_memory {
            l.max_memory = usize::try_from(b).unwrap_or(usize::MAX);
        }
        l
    }

    /// The largest file read, in bytes (`--max-file-size`, default
    /// [`kb::DEFAULT_MAX_FILE_SIZE`]).
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(kb::DEFAULT_MAX_FILE_SIZE)
    }

    /// The files of the knowledge base these options select, and warnings for the entries
    /// of its folders that were left out (named pipes, devices).
    pub fn read_files(&self) -> Result<(Vec<KbFile>, Vec<Diagnostic>), LoadError> {
        let mut skipped = Vec::new();
        let mut files = match &self.kb {
            Some(dir) => {
                let folder = kb::read_folder(dir, self.max_file_size())?;
                skipped.extend(folder.skipped);
                folder.files
            }
            None => kb::bundled_files(),
        };
        for dir in &self.extend {
            let folder = kb::read_folder(dir, self.max_file_size())?;
            skipped.extend(folder.skipped);
            files.extend(folder.files);
        }
        Ok((files, skipped))
    }

    /// The files of the knowledge base these options select; the entries left out are shown
    /// on stderr.
    pub fn files(&self) -> Result<Vec<KbFile>, LoadError> {
        let (files, skipped) = self.read_files()?;
        print_diagnostics(&skipped, &SourceMap::new());
        Ok(files)
    }

    /// The knowledge base these options select, checked; a folder that cannot be read or a
    /// program with errors is a [`LoadError`].
    pub fn load(&self) -> Result<KnowledgeBase, LoadError> {
        KnowledgeBase::from_files(self.files()?)
    }
}
