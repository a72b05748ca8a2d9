//! Knowledge *folders*, not texts: from the fuzzer's bytes (through `arbitrary`) a temporary
//! folder is built with `.opinio` files (pieces of a small knowledge base, raw bytes, both,
//! files past the size cap, sparse files of 65 MiB), subfolders, links (to files, to folders,
//! to `.`, to `..`, to themselves, leading nowhere, out of the knowledge folder, to
//! `/dev/zero`), named pipes, devices (when allowed: as root) and sockets. Then
//! `opinio_fuzz::folder` loads it every way Opinio reads a folder. A panic is a crash; a hang
//! (a named pipe opened, a link loop walked for ever) is caught by libFuzzer's `-timeout`.
//!
//! The folder layout, for an input, is printed by `cargo fuzz fmt folders INPUT`; set
//! `OPINIO_FUZZ_KEEP=1` to keep the folders built (their paths on stderr).
//!
//! ```text
//! TMP/opinio-fuzz-XXXX/        the base: links never lead above it
//!     kb/                      the knowledge folder loaded (or a link to it, or a subfolder)
//!     outside/                 files and folders that links lead out of `kb` to
//!     kb-link -> kb
//! ```
#![no_main]

use arbitrary::Arbitrary;
use opinio_fuzz::FOLDER_FRAGMENTS;
use std::path::{Path, PathBuf};

/// At most this many entries an input (its bytes run out long before, usually).
const MAX_ENTRIES: usize = 48;

#[derive(Arbitrary, Debug)]
struct Folder {
    entries: Vec<Entry>,
    root: Root,
    /// Entries (by number) also read as scenario files, as `opinio -s PATH` would.
    read: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Root {
    Kb,
    /// `kb/`
    TrailingSlash,
    /// `kb/.`
    Dot,
    /// `kb-link`, a link to `kb`.
    Link,
    /// The first subfolder made under `kb`.
    Sub,
}

/// Where an entry goes: one of the folders made so far (`0` is `kb`, `1` is `outside`).
#[derive(Arbitrary, Debug, Clone, Copy)]
struct In(u8);

#[derive(Arbitrary, Debug)]
enum Entry {
    File(In, Name, Content),
    Dir(In, Name),
    /// A chain of folders one in another, each with a file.
    Deep(In, u8, Content),
    Link(In, Name, Target),
    Fifo(In, Name),
    Device(In, Name, Device),
    Socket(In, Name),
    /// A file of this many bytes, none written (a sparse file).
    Sparse(In, Name, Sparse),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Device {
    Null,
    Zero,
    Urandom,
    Tty,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Sparse {
    /// One byte past the small cap (64 KiB) the harness also loads with.
    PastSmallCap,
    /// One byte past the default cap (64 MiB).
    PastDefaultCap,
    Gib,
}

#[derive(Arbitrary, Debug)]
enum Name {
    /// `fNN.opinio`
    Opinio(u8),
    /// Any bytes (no `/`, no NUL; not UTF-8 perhaps), then `.opinio`.
    RawOpinio(Vec<u8>),
    /// A name not ending in `.opinio` (`notes.txt`, `README`).
    Other(u8),
    Raw(Vec<u8>),
    /// A name 200 to 250 bytes long, ending in `.opinio`.
    Long(u8),
    /// `.hidden.opinio`
    Hidden(u8),
    /// `x.opinio.bak`, `x.OPINIO`, `.opinio`
    Near(u8),
}

#[derive(Arbitrary, Debug)]
enum Content {
    /// One piece of the built-in knowledge base.
    Piece(u8),
    /// Several pieces, in this order (the same piece in two files is declared twice).
    Pieces(Vec<u8>),
    Raw(Vec<u8>),
    /// Pieces and raw bytes, mixed.
    Mixed(Vec<Part>),
    /// A piece repeated (up to 3,000 times: past the small cap of 64 KiB).
    Repeat(u8, u16),
    /// Facts and expectations (a scenario file in the folder).
    Scenario(Vec<u8>),
    /// `import "PATH".` with a path into, out of or above the folder.
    Import(ImportPath),
}

#[derive(Arbitrary, Debug)]
enum Part {
    Piece(u8),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum ImportPath {
    Entry(u8),
    Up(u8),
    Absolute,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Target {
    /// Another entry, by number, by a relative path.
    Entry(u8),
    /// Another entry by its absolute path.
    Absolute(u8),
    /// `.`
    Dot,
    /// `..`, `../..`, ... (never above the base).
    Up(u8),
    /// The knowledge folder by its absolute path.
    Root,
    Outside,
    /// A path where nothing is.
    Dangling(u8),
    /// The link itself (a loop of one: ELOOP).
    Itself,
    /// Two links to each other (the second made by this entry).
    Pair,
    Device(Device),
}

const SCENARIO: &[&str] = &[
    "state(arcadia).",
    "operation(op).",
    "conducts(arcadia, op).",
    "not conducts(borduria, op).",
    "unknown state(borduria).",
    "expect wrongful(op) = false.",
    "expect under strict blamed(arcadia) = unknown.",
    "expect blamed(nobody) = true.",
    "wrongful(op).",
    "state(",
];

fn piece(i: u8) -> &'static str {
    FOLDER_FRAGMENTS
        .get(usize::from(i) % FOLDER_FRAGMENTS.len())
        .copied()
        .unwrap_or("")
}

/// The entries made, for links to lead to.
struct Made {
    base: PathBuf,
    kb: PathBuf,
    dirs: Vec<PathBuf>,
    paths: Vec<PathBuf>,
    /// Bound sockets, kept open until the folder has been loaded.
    #[cfg(unix)]
    sockets: Vec<std::os::unix::net::UnixListener>,
}

impl Made {
    fn dir(&self, i: In) -> PathBuf {
        let n = self.dirs.len().max(1);
        self.dirs
            .get(usize::from(i.0) % n)
            .cloned()
            .unwrap_or_else(|| self.kb.clone())
    }

    fn entry(&self, i: u8) -> PathBuf {
        let n = self.paths.len();
        if n == 0 {
            return self.kb.join("nothing.opinio");
        }
        self.paths
            .get(usize::from(i) % n)
            .cloned()
            .unwrap_or_else(|| self.kb.clone())
    }

    /// How many folders `dir` is below the base.
    fn depth(&self, dir: &Path) -> usize {
        dir.strip_prefix(&self.base)
            .map(|rel| rel.components().count())
            .unwrap_or(0)
    }
}

fn clean_bytes(bytes: &[u8], max: usize) -> Vec<u8> {
    bytes
        .iter()
        .copied()
        .filter(|b| *b != b'/' && *b != 0)
        .take(max)
        .collect()
}

#[cfg(unix)]
fn os_name(bytes: Vec<u8>) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_name(bytes: Vec<u8>) -> std::ffi::OsString {
    String::from_utf8_lossy(&bytes).into_owned().into()
}

fn name(n: &Name, serial: usize) -> std::ffi::OsString {
    let mut bytes: Vec<u8> = match n {
        Name::Opinio(i) => format!("f{i}.opinio").into_bytes(),
        Name::RawOpinio(b) => {
            let mut v = clean_bytes(b, 100);
            v.extend_from_slice(b".opinio");
            v
        }
        Name::Other(i) => ["notes.txt", "README", "law.opin", "x.json", "opinio"]
            .get(usize::from(*i) % 5)
            .copied()
            .unwrap_or("README")
            .as_bytes()
            .to_vec(),
        Name::Raw(b) => clean_bytes(b, 120),
        Name::Long(n) => {
            let mut v = vec![b'l'; 193 + usize::from(*n) % 56];
            v.extend_from_slice(b".opinio");
            v
        }
        Name::Hidden(i) => format!(".h{i}.opinio").into_bytes(),
        Name::Near(i) => [
            ".opinio",
            "x.opinio.bak",
            "x.OPINIO",
            "x.opinio~",
            "x.opinio ",
        ]
        .get(usize::from(*i) % 5)
        .copied()
        .unwrap_or(".opinio")
        .as_bytes()
        .to_vec(),
    };
    if bytes.is_empty() || bytes == b"." || bytes == b".." {
        bytes = format!("e{serial}").into_bytes();
    }
    os_name(bytes)
}

fn content(c: &Content, made: &Made) -> Vec<u8> {
    match c {
        Content::Piece(i) => piece(*i).as_bytes().to_vec(),
        Content::Pieces(is) => is
            .iter()
            .take(64)
            .map(|i| piece(*i))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        Content::Raw(b) => b.clone(),
        Content::Mixed(parts) => {
            let mut v = Vec::new();
            for p in parts.iter().take(64) {
                match p {
                    Part::Piece(i) => v.extend_from_slice(piece(*i).as_bytes()),
                    Part::Raw(b) => v.extend_from_slice(b),
                }
                v.push(b'\n');
            }
            v
        }
        Content::Repeat(i, n) => {
            let p = piece(*i);
            let n = usize::from(*n) % 3_000;
            let mut v = Vec::with_capacity((p.len() + 1) * n);
            for _ in 0..n {
                v.extend_from_slice(p.as_bytes());
                v.push(b'\n');
            }
            v
        }
        Content::Scenario(is) => is
            .iter()
            .take(64)
            .map(|i| {
                SCENARIO
                    .get(usize::from(*i) % SCENARIO.len())
                    .copied()
                    .unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        Content::Import(p) => {
            let path = match p {
                ImportPath::Entry(i) => made
                    .entry(*i)
                    .strip_prefix(&made.kb)
                    .map(|r| r.display().to_string())
                    .unwrap_or_else(|_| "../outside/x.opinio".to_string()),
                ImportPath::Up(n) => format!("{}x.opinio", "../".repeat(usize::from(*n % 8))),
                ImportPath::Absolute => made.kb.join("f0.opinio").display().to_string(),
                ImportPath::Raw(s) => s.replace(['"', '\\', '\n'], ""),
            };
            format!("import \"{path}\".\n{}\n", piece(0)).into_bytes()
        }
    }
}

/// A relative path from the folder `from` to `to` (both under the base).
fn relative(from: &Path, to: &Path, base: &Path) -> PathBuf {
    let from = from.strip_prefix(base).unwrap_or(from);
    let to = to.strip_prefix(base).unwrap_or(to);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in from.components().skip(common) {
        out.push("..");
    }
    for c in to.components().skip(common) {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(unix)]
fn device_path(d: Device) -> &'static str {
    match d {
        Device::Null => "/dev/null",
        Device::Zero => "/dev/zero",
        Device::Urandom => "/dev/urandom",
        Device::Tty => "/dev/tty",
    }
}

#[cfg(unix)]
fn build_special(entry: &Entry, path: &Path, made: &mut Made) {
    use nix::sys::stat::{makedev, mknod, Mode, SFlag};
    let mode = Mode::from_bits_truncate(0o644);
    match entry {
        Entry::Fifo(..) => {
            let _ = nix::unistd::mkfifo(path, mode);
        }
        Entry::Device(_, _, d) => {
            let minor = match d {
                Device::Null => 3,
                Device::Zero => 5,
                Device::Urandom => 9,
                Device::Tty => 0,
            };
            let major = if matches!(d, Device::Tty) { 5 } else { 1 };
            // Needs the right to (root); without it, nothing is made.
            let _ = mknod(path, SFlag::S_IFCHR, mode, makedev(major, minor));
        }
        Entry::Socket(..) => {
            // The path of a socket is limited to about 107 bytes.
            if let Ok(l) = std::os::unix::net::UnixListener::bind(path) {
                made.sockets.push(l);
            }
        }
        _ => {}
    }
}

/// Writes a new file; never opens what is already there (a named pipe made by an earlier
/// entry would block the harness itself, a link would lead the write elsewhere).
fn write_new(path: &Path, bytes: &[u8]) -> Option<std::fs::File> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .ok()?;
    f.write_all(bytes).ok()?;
    Some(f)
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    let _ = std::os::unix::fs::symlink(target, at);
}

fn build(input: &Folder, base: &Path) -> Made {
    let kb = base.join("kb");
    let outside = base.join("outside");
    let _ = std::fs::create_dir(&kb);
    let _ = std::fs::create_dir(&outside);
    let _ = write_new(&outside.join("out.opinio"), piece(3).as_bytes());
    #[cfg(unix)]
    link(Path::new("kb"), &base.join("kb-link"));
    let mut made = Made {
        base: base.to_path_buf(),
        kb: kb.clone(),
        dirs: vec![kb.clone(), outside.clone()],
        paths: vec![outside.join("out.opinio")],
        #[cfg(unix)]
        sockets: Vec::new(),
    };
    for (serial, entry) in input.entries.iter().take(MAX_ENTRIES).enumerate() {
        match entry {
            Entry::File(at, n, c) => {
                let path = made.dir(*at).join(name(n, serial));
                let bytes = content(c, &made);
                if write_new(&path, &bytes).is_some() {
                    made.paths.push(path);
                }
            }
            Entry::Dir(at, n) => {
                let path = made.dir(*at).join(name(n, serial));
                if std::fs::create_dir(&path).is_ok() {
                    made.dirs.push(path.clone());
                    made.paths.push(path);
                }
            }
            Entry::Deep(at, depth, c) => {
                let mut path = made.dir(*at);
                let bytes = content(c, &made);
                for level in 0..(usize::from(*depth) % 40 + 1) {
                    path.push(format!("d{level}"));
                    if std::fs::create_dir(&path).is_err() {
                        break;
                    }
                    let _ = write_new(&path.join(format!("f{level}.opinio")), &bytes);
                    made.dirs.push(path.clone());
                }
                made.paths.push(path);
            }
            Entry::Link(at, n, t) => {
                let dir = made.dir(*at);
                let path = dir.join(name(n, serial));
                let target: PathBuf = match t {
                    Target::Entry(i) => relative(&dir, &made.entry(*i), base),
                    Target::Absolute(i) => made.entry(*i),
                    Target::Dot => PathBuf::from("."),
                    Target::Up(k) => {
                        // Never above the base: `opinio test` follows links out of the folder.
                        let up = (usize::from(*k) % 4 + 1).min(made.depth(&dir));
                        if up == 0 {
                            PathBuf::from(".")
                        } else {
                            PathBuf::from(vec![".."; up].join("/"))
                        }
                    }
                    Target::Root => kb.clone(),
                    Target::Outside => outside.clone(),
                    Target::Dangling(i) => PathBuf::from(format!("missing{i}.opinio")),
                    Target::Itself => path.clone(),
                    Target::Pair => {
                        let other = dir.join(format!("pair{serial}.opinio"));
                        #[cfg(unix)]
                        link(&path, &other);
                        made.paths.push(other.clone());
                        other
                    }
                    #[cfg(unix)]
                    Target::Device(d) => PathBuf::from(device_path(*d)),
                    #[cfg(not(unix))]
                    Target::Device(_) => PathBuf::from("missing.opinio"),
                };
                #[cfg(unix)]
                link(&target, &path);
                made.paths.push(path);
            }
            Entry::Fifo(at, n) | Entry::Device(at, n, _) | Entry::Socket(at, n) => {
                let path = made.dir(*at).join(name(n, serial));
                #[cfg(unix)]
                build_special(entry, &path, &mut made);
                made.paths.push(path);
            }
            Entry::Sparse(at, n, size) => {
                let path = made.dir(*at).join(name(n, serial));
                let len = match size {
                    Sparse::PastSmallCap => (1 << 16) + 1,
                    Sparse::PastDefaultCap => opinio::kb::DEFAULT_MAX_FILE_SIZE + 1,
                    Sparse::Gib => 1 << 30,
                };
                if let Some(f) = write_new(&path, b"") {
                    let _ = f.set_len(len);
                    made.paths.push(path);
                }
            }
        }
    }
    made
}

libfuzzer_sys::fuzz_target!(|input: Folder| {
    let Ok(dir) = tempfile::Builder::new().prefix("opinio-fuzz-").tempdir() else {
        return;
    };
    // The base's own path, without links (`/tmp` may be one), so that links stay inside it.
    let base = dir
        .path()
        .canonicalize()
        .unwrap_or_else(|_| dir.path().to_path_buf());
    let made = build(&input, &base);
    let root = match input.root {
        Root::Kb => made.kb.clone(),
        Root::TrailingSlash => PathBuf::from(format!("{}/", made.kb.display())),
        Root::Dot => made.kb.join("."),
        Root::Link => base.join("kb-link"),
        Root::Sub => made.dirs.get(2).cloned().unwrap_or_else(|| made.kb.clone()),
    };
    let read: Vec<PathBuf> = input.read.iter().take(8).map(|i| made.entry(*i)).collect();
    opinio_fuzz::folder(&root, &read);
    drop(made);
    if std::env::var_os("OPINIO_FUZZ_KEEP").is_some() {
        eprintln!("folder kept: {}", dir.keep().display());
    }
});
