//! Loading knowledge bases: from the copy compiled into the binary, from a directory, or from
//! strings. Loading from strings does no file I/O; loading from a directory never reads
//! outside it (imports with `..`, absolute paths and symlinks leading out are errors).

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, CompiledPosition};
use crate::program::Program;
use crate::syntax::{self, ast, span::SourceMap};
use std::path::{Component, Path};

mod compiled;
mod dependencies;
pub mod files;

pub use compiled::CompiledError;
pub use dependencies::{dependencies, RuleDependency};
pub use files::{io_words, read_text_file, walk_folder, FolderWalk, DEFAULT_MAX_FILE_SIZE};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Problems that kept a knowledge base (or a scenario) from loading, with the texts needed
/// to show them.
///
/// `{}` gives one line of at most a few hundred characters (the first error, and how many more
/// there are); `{:?}` gives the counts and the first error's code, never a text;
/// [`LoadError::render`] shows every diagnostic with its lines.
#[derive(Clone)]
pub struct LoadError {
    /// Every problem found, errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the diagnostics' spans point into.
    pub sources: SourceMap,
}

impl LoadError {
    /// An error made of `diagnostics` (at least one of them should be an error) whose spans
    /// point into `sources`.
    pub fn new(diagnostics: Vec<Diagnostic>, sources: SourceMap) -> LoadError {
        LoadError {
            diagnostics,
            sources,
        }
    }

    /// Colour-free rendering of every diagnostic: with the `render` feature, miette's layout
    /// with the lines of each file and the labels under them; without it, one line per
    /// diagnostic and its help.
    pub fn render(&self) -> String {
        #[cfg(feature = "render")]
        {
            crate::diagnostic::render(&self.diagnostics, &self.sources, false)
        }
        #[cfg(not(feature = "render"))]
        {
            let mut out = String::new();
            for d in &self.diagnostics {
                out.push_str(&d.one_line(&self.sources));
                out.push('\n');
                if let Some(help) = &d.help {
                    out.push_str(&format!("  help: {help}\n"));
                }
            }
            out
        }
    }

    /// The diagnostics that are errors (warnings left out).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl std::fmt::Debug for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.errors().count();
        f.debug_struct("LoadError")
            .field("errors", &errors)
            .field("warnings", &(self.diagnostics.len() - errors))
            .field("first", &self.errors().next().map(|d| d.code))
            .finish()
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.errors().count();
        match self.errors().next() {
            Some(d) => write!(f, "{}", d.one_line(&self.sources))?,
            None => write!(f, "the knowledge base could not be loaded")?,
        }
        if n > 1 {
            write!(f, " (and {} more)", n - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The first error's code, severity and help ([`LoadError::render`] shows them all, with
/// their lines).
impl miette::Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.errors().next().and_then(miette::Diagnostic::code)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.errors().next().and_then(miette::Diagnostic::help)
    }
}

/// A checked knowledge base; each position is compiled for evaluation the first time it is
/// asked about. Cloning is cheap (shared).
///
/// `{:?}` shows its size (files, predicates, rules, positions), not its contents.
#[derive(Clone)]
pub struct KnowledgeBase {
    inner: std::sync::Arc<KbInner>,
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.inner.program;
        f.debug_struct("KnowledgeBase")
            .field("sources", &self.inner.sources)
            .field("predicates", &p.predicates.len())
            .field("rules", &p.rules.len())
            .field("positions", &self.position_names())
            .field("warnings", &self.inner.warnings.len())
            .finish()
    }
}

/// Compilations of cones, by position and sorted predicates (`None`: the cones are the whole
/// position).
pub(crate) type ConeCompilations = std::sync::Mutex<
    rustc_hash::FxHashMap<
        (crate::program::PosId, Vec<crate::program::PredId>),
        Option<std::sync::Arc<CompiledPosition>>,
    >,
>;

/// A compiled position, whole or only the cones of some predicates
/// ([`KnowledgeBase::compiled_for`]).
pub(crate) enum CompiledRef<'a> {
    /// The whole position, compiled and kept by the knowledge base.
    Whole(&'a CompiledPosition),
    /// The cones of some predicates only.
    Cone(std::sync::Arc<CompiledPosition>),
}

impl std::ops::Deref for CompiledRef<'_> {
    type Target = CompiledPosition;
    fn deref(&self) -> &CompiledPosition {
        match self {
            CompiledRef::Whole(c) => c,
            CompiledRef::Cone(c) => c,
        }
    }
}

#[derive(Debug)]
pub(crate) struct KbInner {
    pub(crate) sources: SourceMap,
    pub(crate) program: Program,
    /// Per position, its rules compiled for evaluation, on first use: a question under one
    /// position pays for that position only (empty when the program has errors).
    pub(crate) compiled: Vec<std::sync::OnceLock<CompiledPosition>>,
    /// The rules' plans, shared by the positions as they are compiled.
    pub(crate) plans: eval::RulePlans,
    /// Cones of positions not compiled whole, compiled on their own (see
    /// [`KnowledgeBase::compiled_for`]), by position and sorted predicates.
    pub(crate) cones: ConeCompilations,
    /// Every index mask any position may probe each predicate with (base relations are built
    /// once per scenario and shared by all positions), found without compiling a position.
    pub(crate) masks: MaskSets,
    pub(crate) warnings: Vec<Diagnostic>,
    /// Distinguishes this knowledge base from every other one built in the process, so that
    /// an answer from another knowledge base is refused rather than explained as nonsense.
    pub(crate) id: u64,
    /// The content hash, computed on first use.
    pub(crate) hash: std::sync::OnceLock<String>,
}

/// The next knowledge base's [`KbInner::id`].
static NEXT_KB_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A new [`KbInner::id`], never given before in this process.
fn next_id() -> u64 {
    NEXT_KB_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub(crate) type MaskSets = rustc_hash::FxHashMap<
    crate::program::PredId,
    rustc_hash::FxHashSet<crate::eval::relation::Mask>,
>;

/// Where a text of the knowledge base came from.
#[derive(Debug, Clone)]
pub struct KbFile {
    /// The name shown in diagnostics, relative to the knowledge base's root.
    pub name: String,
    /// The file's whole text.
    pub text: String,
}

impl KnowledgeBase {
    /// The knowledge base compiled into Opinio: the international law of cyber operations.
    ///
    /// ```
    /// let kb = opinio::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    /// assert!(kb.position_names().contains(&"tallinn2"));
    /// ```
    pub fn bundled() -> Result<KnowledgeBase, LoadError> {
        KnowledgeBase::from_files(bundled_files())
    }

    /// Whether this knowledge base was loaded from exactly the bundled texts
    /// ([`bundled_files`]): the same files in the same order, name for name and byte for byte.
    /// A compiled knowledge base ([`KnowledgeBase::from_compiled`]) is checked with it before it
    /// stands in for [`KnowledgeBase::bundled`].
    pub fn has_bundled_texts(&self) -> bool {
        let sources = &self.inner.sources;
        sources.len() == bundled::BUNDLED.len()
            && bundled::BUNDLED
                .iter()
                .enumerate()
                .all(|(i, (name, text))| {
                    u32::try_from(i)
                        .ok()
                        .and_then(|i| sources.get(crate::source::FileId(i)))
                        .is_some_and(|f| {
                            f.name.strip_prefix(BUNDLED_PREFIX) == Some(*name) && &*f.text == *text
                        })
                })
    }

    /// Loads every `.opinio` file under `dir` (sorted by path), each at most
    /// [`DEFAULT_MAX_FILE_SIZE`] (64 MiB).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<KnowledgeBase, LoadError> {
        KnowledgeBase::from_dir_with_limit(dir, DEFAULT_MAX_FILE_SIZE)
    }

    /// Loads every `.opinio` file under `dir` (sorted by path), refusing a file larger than
    /// `max_file_size` bytes. Entries left out because they are not ordinary files (a named
    /// pipe, a device) are among the [`warnings`](KnowledgeBase::warnings).
    pub fn from_dir_with_limit(
        dir: impl AsRef<Path>,
        max_file_size: u64,
    ) -> Result<KnowledgeBase, LoadError> {
        let folder = read_folder(dir.as_ref(), max_file_size)?;
        let mut kb = KnowledgeBase::from_files(folder.files)?;
        if let Some(inner) = std::sync::Arc::get_mut(&mut kb.inner) {
            inner.warnings.extend(folder.skipped);
        }
        Ok(kb)
    }

    /// Loads a knowledge base from named texts, without touching the file system.
    ///
    /// ```
    /// let kb = opinio::KnowledgeBase::from_strings([(
    ///     "mini.opinio",
    ///     r#"
    ///     source law "A law".
    ///     type Person.
    ///     predicate citizen(p: Person) means "p is a citizen".
    ///     predicate voter(p: Person) means "p may vote".
    ///     rule citizens_vote: voter(P) if citizen(P) cites law "s. 1".
    ///     "#,
    /// )])
    /// .unwrap();
    /// assert_eq!(kb.position_names(), vec!["default"]);
    /// ```
    pub fn from_strings<I, N, T>(files: I) -> Result<KnowledgeBase, LoadError>
    where
        I: IntoIterator<Item = (N, T)>,
        N: Into<String>,
        T: Into<String>,
    {
        KnowledgeBase::from_files(
            files
                .into_iter()
                .map(|(n, t)| KbFile {
                    name: n.into(),
                    text: t.into(),
                })
                .collect(),
        )
    }

    /// Loads a knowledge base from files already read.
    pub fn from_files(files: Vec<KbFile>) -> Result<KnowledgeBase, LoadError> {
        let (mut inner, diags) = KnowledgeBase::load(files);
        if diags.iter().any(|d| d.is_error()) {
            return Err(LoadError::new(diags, inner.sources));
        }
        inner.warnings = diags;
        Ok(KnowledgeBase {
            inner: std::sync::Arc::new(inner),
        })
    }

    /// Parses, checks and compiles; returns whatever could be built and every diagnostic
    /// (errors too). What is built is half done when there are errors: only
    /// [`KnowledgeBase::from_files`] turns it into a knowledge base, and only without errors.
    fn load(files: Vec<KbFile>) -> (KbInner, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let mut parsed = Vec::new();
        let mut diags = Vec::new();
        let names: Vec<String> = files.iter().map(|f| normalise(&f.name)).collect();
        for f in files {
            let id = sources.add(f.name.clone(), f.text.as_str());
            match syntax::parse_file(id, &f.text) {
                Ok(file) => {
                    check_imports(&f.name, &file, &names, &mut diags);
                    scenario_in_knowledge_base(&f.name, &file, &mut diags);
                    parsed.push((id, file));
                }
                Err(e) => diags.push(e.diagnostic),
            }
        }
        let (program, mut check_diags) = check::check_program(&parsed);
        diags.append(&mut check_diags);
        let has_errors = diags.iter().any(|d| d.is_error());
        let (compiled, masks) = if has_errors {
            (Vec::new(), MaskSets::default())
        } else {
            let compiled = (0..program.positions.len())
                .map(|_| std::sync::OnceLock::new())
                .collect();
            (compiled, eval::all_masks(&program))
        };
        let inner = KbInner {
            plans: eval::RulePlans::new(&program),
            cones: ConeCompilations::default(),
            sources,
            program,
            masks,
            compiled,
            warnings: Vec::new(),
            id: next_id(),
            hash: std::sync::OnceLock::new(),
        };
        (inner, diags)
    }

    /// A content hash of the knowledge base: SHA-256 over its files' names and texts, in
    /// name order, as 64 lowercase hexadecimal digits. The same files give the same hash in
    /// every run and on every machine; any change to a file's text or name changes it. Results
    /// record it so that a reader knows which law they were computed with.
    pub fn content_hash(&self) -> String {
        self.inner.hash.get_or_init(|| self.compute_hash()).clone()
    }

    fn compute_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let sources = &self.inner.sources;
        let mut files: Vec<&crate::source::SourceFile> = (0..sources.len())
            .filter_map(|i| sources.get(crate::source::FileId(u32::try_from(i).ok()?)))
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let mut h = Sha256::new();
        for f in files {
            // Lengths first, so that no two different lists of files hash alike.
            h.update((f.name.len() as u64).to_le_bytes());
            h.update(f.name.as_bytes());
            h.update((f.text.len() as u64).to_le_bytes());
            h.update(f.text.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The version of Opinio (and of its bundled knowledge base) this library is.
    pub fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// This knowledge base's identity within the process (clones share it).
    pub(crate) fn id(&self) -> u64 {
        self.inner.id
    }

    /// The checked program (predicates, rules, positions).
    pub fn program(&self) -> &Program {
        &self.inner.program
    }

    /// The rules of a position compiled for evaluation, compiled on first use (`None` when
    /// the knowledge base has errors, or for a position id of another knowledge base).
    pub(crate) fn compiled(&self, pos: crate::program::PosId) -> Option<&CompiledPosition> {
        self.inner.compiled.get(pos.index()).map(|cell| {
            cell.get_or_init(|| eval::compile_with(&self.inner.program, pos, &self.inner.plans))
        })
    }

    /// What evaluating the cones of `preds` (sorted, deduplicated) under a position needs: the
    /// whole compiled position when it is compiled already, else a compilation of those cones
    /// alone ([`eval::compile_cone`]), made once and kept (`None` as for
    /// [`KnowledgeBase::compiled`]). Evaluate only the strata of the cones with it.
    pub(crate) fn compiled_for(
        &self,
        pos: crate::program::PosId,
        preds: &[crate::program::PredId],
    ) -> Option<CompiledRef<'_>> {
        let cell = self.inner.compiled.get(pos.index())?;
        if let Some(whole) = cell.get() {
            return Some(CompiledRef::Whole(whole));
        }
        let found = {
            let mut cones = self
                .inner
                .cones
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            cones
                .entry((pos, preds.to_vec()))
                .or_insert_with(|| {
                    eval::compile_cone(&self.inner.program, pos, preds, &self.inner.plans)
                        .map(std::sync::Arc::new)
                })
                .clone()
        };
        match found {
            Some(cone) => Some(CompiledRef::Cone(cone)),
            // The cones are the whole position (a batch's default goals): compiled whole,
            // once.
            None => self.compiled(pos).map(CompiledRef::Whole),
        }
    }

    pub(crate) fn masks(&self) -> &MaskSets {
        &self.inner.masks
    }

    /// The plans of the rules' bodies, shared by compilation, explanations and reasons.
    pub(crate) fn rule_plans(&self) -> &eval::RulePlans {
        &self.inner.plans
    }

    /// The texts the knowledge base was loaded from.
    pub fn sources(&self) -> &SourceMap {
        &self.inner.sources
    }

    /// Warnings found while loading (an uncited rule, for example).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    /// Position names, the default first, then in declaration order.
    pub fn position_names(&self) -> Vec<&str> {
        let program = self.program();
        let default = program.default_position_or_first();
        let mut out: Vec<&str> = default
            .map(|d| program.position(d).name.as_str())
            .into_iter()
            .collect();
        for (i, p) in program.positions.iter().enumerate() {
            if Some(i) != default.map(|d| d.index()) {
                out.push(p.name.as_str());
            }
        }
        out
    }
}

/// What the names of the bundled files start with.
const BUNDLED_PREFIX: &str = "knowledge/";

/// The files of the bundled knowledge base.
pub fn bundled_files() -> Vec<KbFile> {
    bundled::BUNDLED
        .iter()
        .map(|(name, text)| KbFile {
            name: format!("{BUNDLED_PREFIX}{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

fn normalise(name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in name.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Warns about a file that holds only facts and expectations, as a scenario file does: kept in
/// a knowledge base's folder, it is loaded with the law, and its facts hold in every scenario
/// run on it, which is rarely what its author meant (found by a tester whose answers looked
/// wrong because another case's facts were in the folder).
fn scenario_in_knowledge_base(name: &str, file: &ast::File, diags: &mut Vec<Diagnostic>) {
    let Some(first) = file
        .statements
        .iter()
        .find(|s| matches!(s, ast::Statement::Fact(_)))
    else {
        return;
    };
    // Facts and expectations, and perhaps imports, as a scenario file has them: the
    // expectations are what tell a case from a list of facts meant for every case.
    let scenario_like = file
        .statements
        .iter()
        .all(|s| s.is_scenario_statement() || matches!(s, ast::Statement::Import(_)));
    let expects = file
        .statements
        .iter()
        .any(|s| matches!(s, ast::Statement::Expect(_)));
    if !scenario_like || !expects {
        return;
    }
    diags.push(
        Diagnostic::warning(
            crate::diagnostic::Code::ScenarioInKnowledgeBase,
            format!(
                "`{name}` reads like a scenario (facts and expectations only), but it is part of the knowledge base: its facts hold in every scenario run on it"
            ),
        )
        .with_label(first.span(), "loaded with the law")
        .with_help("move the file out of the knowledge base's folder and give it with `-s`, or run it with `opinio test`; keep facts in the knowledge base only if they hold in every case"),
    );
}

fn check_imports(from: &str, file: &ast::File, names: &[String], diags: &mut Vec<Diagnostic>) {
    for st in &file.statements {
        let ast::Statement::Import(imp) = st else {
            continue;
        };
        let path = imp.path.value.as_str();
        let escapes = Path::new(path).is_absolute()
            || path.starts_with('/')
            || Path::new(path)
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)));
        if escapes {
            diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::ImportOutside,
                    format!("`{path}` points outside the knowledge base"),
                )
                .with_label(imp.path.span, "not inside the knowledge base's folder")
                .with_help("a knowledge base imports only its own files: give a path relative to the importing file, without `..`"),
            );
            continue;
        }
        let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let target = normalise(&format!("{dir}/{path}"));
        if !names.contains(&target) {
            let help = crate::diagnostic::suggest::help_with(
                &target,
                names.iter().map(|s| s.as_str()),
                "every file of the knowledge base's folder is loaded; an import names one of them",
            );
            diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::ImportNotFound,
                    format!("no file `{target}` in the knowledge base"),
                )
                .with_label(imp.path.span, "not found")
                .with_help(help),
            );
        }
    }
}

/// The files of a knowledge base's folder, read, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct KbFolder {
    /// Every `.opinio` file under the folder, each real file once, sorted by path.
    pub files: Vec<KbFile>,
    /// Warnings for entries left out (a named pipe or a device named `….opinio`, a link
    /// leading nowhere), to be shown to the user.
    pub skipped: Vec<Diagnostic>,
}

/// Reads every `.opinio` file under `root` (at most [`DEFAULT_MAX_FILE_SIZE`] each), refusing
/// symlinks that lead outside it; entries that are not ordinary files are left out silently
/// (use [`read_folder`] to see them).
pub fn read_dir_files(root: &Path) -> Result<Vec<KbFile>, LoadError> {
    read_folder(root, DEFAULT_MAX_FILE_SIZE).map(|f| f.files)
}

/// Reads every `.opinio` file under `root`, each real file once however many links lead to
/// it, refusing a folder with none, symlinks that lead outside the folder and files larger
/// than `max_file_size` bytes; named pipes, devices and other entries that are not ordinary files are never
/// opened, and listed in [`KbFolder::skipped`].
pub fn read_folder(root: &Path, max_file_size: u64) -> Result<KbFolder, LoadError> {
    let fail = |msg: String, help: &str| {
        LoadError::new(
            vec![Diagnostic::error(crate::diagnostic::Code::KbFolder, msg)
                .with_help(help.to_string())],
            SourceMap::new(),
        )
    };
    let canon_root = root.canonicalize().map_err(|e| {
        fail(
            format!(
                "cannot open the knowledge base folder `{}`: {}",
                root.display(),
                io_words(&e)
            ),
            "give the folder that holds the knowledge base's `.opinio` files",
        )
    })?;
    if !canon_root.is_dir() {
        return Err(fail(
            format!("`{}` is not a folder", root.display()),
            "give the folder that holds the knowledge base's `.opinio` files",
        ));
    }
    let walk = walk_folder(root, true).map_err(|d| LoadError::new(vec![d], SourceMap::new()))?;
    if !walk.outside.is_empty() {
        let diags = walk
            .outside
            .iter()
            .map(|p| {
                Diagnostic::error(
                    crate::diagnostic::Code::ImportOutside,
                    format!(
                        "`{}` is a link to a place outside the knowledge base",
                        p.display()
                    ),
                )
                .with_help(
                    "copy the file into the knowledge base's folder instead of linking to it",
                )
            })
            .collect();
        return Err(LoadError::new(diags, SourceMap::new()));
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in walk.files {
        match read_text_file(&p, max_file_size) {
            Ok(text) => {
                let name = match p.strip_prefix(root) {
                    Ok(rel) => format!(
                        "{}/{}",
                        root.display().to_string().trim_end_matches('/'),
                        rel.to_string_lossy().replace('\\', "/")
                    ),
                    Err(_) => p.display().to_string(),
                };
                files.push(KbFile { name, text });
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(LoadError::new(errors, SourceMap::new()));
    }
    if files.is_empty() {
        // An empty knowledge base would load and answer every question "false": almost
        // certainly the wrong folder.
        let mut diags = vec![Diagnostic::error(
            crate::diagnostic::Code::KbFolder,
            format!("`{}` holds no `.opinio` file", root.display()),
        )
        .with_help("give the folder that holds the knowledge base's `.opinio` files")];
        diags.extend(walk.skipped);
        return Err(LoadError::new(diags, SourceMap::new()));
    }
    Ok(KbFolder {
        files,
        skipped: walk.skipped,
    })
}
