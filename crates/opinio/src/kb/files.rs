//! Reading the user's files without hanging or running out of memory.
//!
//! Every file Opinio reads (a knowledge base's files, a scenario given with `-s`, a path given
//! to `opinio check` or `opinio test`, `:load` in the interactive session) goes through
//! [`read_text_file`]: it refuses what is not an ordinary file (a named pipe would block for
//! ever, `/dev/zero` would never end), refuses a file larger than a cap (by default
//! [`DEFAULT_MAX_FILE_SIZE`], 64 MiB) and reads at most one byte past the cap, so even a file
//! that grows while it is read stays bounded. Folders are walked by [`walk_folder`], which
//! visits each real folder and reads each real file once, however many links lead to them.

use crate::diagnostic::Diagnostic;
use std::collections::HashSet;
use std::fs::{FileType, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest file Opinio reads unless told otherwise: 64 MiB (67,108,864 bytes). The
/// command line raises it with `--max-file-size`; a program with
/// [`Scenario::set_max_file_size`](crate::Scenario::set_max_file_size) or
/// [`KnowledgeBase::from_dir_with_limit`](crate::KnowledgeBase::from_dir_with_limit).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

const HELP_NOT_A_FILE: &str = "Opinio reads scenarios and knowledge bases from ordinary files saved on disk; save the text in a file and give that file's path";

/// The error's cause in plain words, without the operating system's error number
/// (`there is no such file or folder`, not `No such file or directory (os error 2)`).
pub fn io_words(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "there is no such file or folder".to_string(),
        K::PermissionDenied => "permission denied: this account may not read it".to_string(),
        K::IsADirectory => "it is a folder, not a file".to_string(),
        K::NotADirectory => "a part of the path is a file, where a folder was expected".to_string(),
        K::OutOfMemory => "there is not enough memory to read it".to_string(),
        K::InvalidData => "its contents could not be read".to_string(),
        _ => {
            let text = e.to_string();
            let text = match text.find(" (os error") {
                Some(i) => text.get(..i).unwrap_or(&text).to_string(),
                None => text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => "the system gave no reason".to_string(),
            }
        }
    }
}

pub use crate::diagnostic::format_size;

/// Reads a size given on the command line: a number of bytes (`1000000`), or a number with
/// a unit, `K`, `M`, `G` or `T` (powers of 1,024; `KiB`, `MiB`, `GiB` and `KB`, `MB`, `GB` are
/// read the same way): `64M` is 67,108,864 bytes, `1.5K` is 1,536.
///
/// # Errors
///
/// A message in words for a size that is negative, zero, not a number, a fraction of a byte,
/// in an unknown unit, or larger than 2^64 - 1 bytes.
///
/// ```
/// use opinio::kb::files::parse_size;
/// assert_eq!(parse_size("64M"), Ok(64 * 1024 * 1024));
/// assert_eq!(parse_size("1000"), Ok(1000));
/// assert!(parse_size("lots").is_err());
/// ```
pub fn parse_size(text: &str) -> Result<u64, String> {
    const HELP: &str =
        "give a number of bytes, or a number followed by K, M or G (for example `256M` or `1.5G`)";
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!(
            "`{text}` is not a size: a size cannot be negative; {HELP}"
        ));
    }
    let number_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '_' || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(number_end);
    let number = number.replace('_', "");
    if number.is_empty() {
        return Err(format!("`{text}` is not a size: {HELP}"));
    }
    let factor: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => {
            return Err(format!(
                "`{}` is not a unit of size: use K, M, G or T (for example `256M`)",
                unit.trim()
            ))
        }
    };
    let not_a_size = || format!("`{text}` is not a size: {HELP}");
    let too_large = || {
        format!(
            "`{text}` is too large a size: the most is {} bytes (16 EiB); {HELP}",
            u64::MAX
        )
    };
    let bytes = match number.split_once('.') {
        None => {
            if number.is_empty() {
                return Err(not_a_size());
            }
            match number.parse::<u64>() {
                Ok(n) => n.checked_mul(factor).ok_or_else(too_large)?,
                Err(_) if number.bytes().all(|b| b.is_ascii_digit()) => return Err(too_large()),
                Err(_) => return Err(not_a_size()),
            }
        }
        // `1.5G`: a fraction of the unit, rounded down to whole bytes.
        Some((whole, fraction)) => {
            let malformed = (whole.is_empty() && fraction.is_empty()) || fraction.contains('.');
            if malformed || factor == 1 {
                return Err(if !malformed {
                    format!("`{text}` is not a whole number of bytes: {HELP}")
                } else {
                    not_a_size()
                });
            }
            let value: f64 = format!("0{whole}.{fraction}0")
                .parse()
                .map_err(|_| not_a_size())?;
            let bytes = value * factor as f64;
            if bytes >= u64::MAX as f64 {
                return Err(too_large());
            }
            bytes as u64
        }
    };
    if bytes == 0 {
        return Err(format!(
            "`{text}` is too small a size: nothing could be read or kept within it; {HELP}"
        ));
    }
    Ok(bytes)
}

/// What kind of thing a path is, in words, when it is not an ordinary file or a folder.
fn kind_words(ft: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (a channel between programs, which can wait for ever)";
        }
        if ft.is_char_device() {
            return "a device (a terminal, or a source of data without end), not a file on disk";
        }
        if ft.is_block_device() {
            return "a disk device, not a file on it";
        }
        if ft.is_socket() {
            return "a socket (a connection between programs)";
        }
    }
    if ft.is_dir() {
        return "a folder";
    }
    "something other than an ordinary file"
}

fn not_a_file(path: &Path, ft: FileType) -> Diagnostic {
    if ft.is_dir() {
        return Diagnostic::error(
            crate::diagnostic::Code::Io,
            format!(
                "cannot read `{}`: it is a folder, not a file",
                path.display()
            ),
        )
        .with_help("give the path of a file")
        .with_remedy(crate::diagnostic::Remedy::GiveFolderElsewhere);
    }
    Diagnostic::error(
        crate::diagnostic::Code::NotAFile,
        format!(
            "`{}` is not a regular file: it is {}",
            path.display(),
            kind_words(ft)
        ),
    )
    .with_help(HELP_NOT_A_FILE)
}

fn too_large(shown: &str, size: Option<u64>, max: u64) -> Diagnostic {
    let what = match size {
        Some(n) if format_size(n) == format_size(max) => format!("is {n} bytes,"),
        Some(n) => format!("is {},", format_size(n)),
        None => "is".to_string(),
    };
    Diagnostic::error(
        crate::diagnostic::Code::FileTooLarge,
        format!(
            "`{shown}` {what} larger than {}, the most Opinio reads from one file",
            format_size(max)
        ),
    )
    .with_help(format!(
        "if the file is meant to be this large, raise the file-size limit to {}; or split it into several files",
        suggest_size(size.unwrap_or(max))
    ))
    .with_remedy(crate::diagnostic::Remedy::RaiseFileSizeLimit {
        suggested: suggest_size(size.unwrap_or(max)),
    })
}

/// A round file-size limit above `n` bytes, written in the command line's units (`128M`,
/// `2G`): what a help line suggests for `--max-file-size` when something is larger than the
/// limit.
pub fn suggest_size(n: u64) -> String {
    let mib = n / (1 << 20) + 1;
    let mut m = 64u64;
    while m < mib && m < (1 << 40) {
        m *= 2;
    }
    if m >= 1024 && m % 1024 == 0 {
        format!("{}G", m / 1024)
    } else {
        format!("{m}M")
    }
}

fn cannot_read(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostic::Code::Io,
        format!("cannot read `{}`: {}", path.display(), io_words(e)),
    )
    .with_help("check the path; scenario files end in `.opinio` (or `.json`)")
}

/// Reads at most `max_bytes` from `reader` as UTF-8 text (anything else is refused, with the
/// line and column of the first byte that is not UTF-8); `shown` names
/// the input in the error (`standard input`, for example). One byte past the cap is read to
/// tell a full input from a larger one, so the memory used stays bounded whatever the reader
/// gives.
pub fn read_text_from(
    reader: impl Read,
    shown: &str,
    max_bytes: u64,
) -> Result<String, Diagnostic> {
    read_bounded(reader, shown, max_bytes, 0)
}

fn read_bounded(
    reader: impl Read,
    shown: &str,
    max_bytes: u64,
    size_hint: u64,
) -> Result<String, Diagnostic> {
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint.min(max_bytes)).unwrap_or(0));
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Diagnostic::error(
                crate::diagnostic::Code::Io,
                format!("cannot read `{shown}`: {}", io_words(&e)),
            )
            .with_help("check the file's permissions")
        })?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(too_large(shown, None, max_bytes));
    }
    // A NUL byte never occurs in text and nearly always in binary files (images, archives,
    // programs): refuse those at once, instead of a parse error over a screen of `�`.
    if bytes.contains(&0) {
        return Err(Diagnostic::error(
            crate::diagnostic::Code::Io,
            format!("`{shown}` is not a text file: it holds binary data"),
        )
        .with_help(
            "Opinio reads rule and scenario files written as text (UTF-8); check that this is the file you meant",
        ));
    }
    // A text saved in another encoding (Latin-1, Windows-1252) is refused where its first
    // letter outside UTF-8 stands, rather than read with that letter replaced by `�`: the
    // parser would then complain of a `�` the reader never wrote, and a file saved again from
    // the session would lose the letter for good.
    String::from_utf8(bytes)
        .map_err(|e| not_utf8(shown, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// `shown` is not UTF-8 text: the line and column (in characters) of its first bad byte, at
/// `bad` in `bytes`, and what precedes it on its line.
fn not_utf8(shown: &str, bytes: &[u8], bad: usize) -> Diagnostic {
    let before = bytes
        .get(..bad)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let on_line = before.get(line_start..).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = on_line.chars().count() + 1;
    let lead: String = {
        let t = on_line.trim_start();
        let skip = t.chars().count().saturating_sub(30);
        t.chars().skip(skip).collect()
    };
    let after = if lead.trim().is_empty() {
        String::new()
    } else {
        format!(
            " (just after `{}`)",
            crate::diagnostic::escape_invisible(lead.trim_end())
        )
    };
    Diagnostic::error(
        crate::diagnostic::Code::Io,
        format!(
            "`{shown}` is not UTF-8 text: at line {line}, column {column}{after} stands a byte that is not UTF-8, perhaps a letter saved in another encoding"
        ),
    )
    .with_help(
        "save the file again with the encoding UTF-8 (most editors offer it under \"Save as\" or \"Encoding\"), then give it again; the file itself was left as it is",
    )
}

/// Reads a text file, refusing anything that is not an ordinary file (a folder, a named pipe,
/// a device such as `/dev/zero`) and any file larger than `max_bytes`
/// ([`DEFAULT_MAX_FILE_SIZE`] unless the user raised it), any file with a NUL byte (binary
/// data) and any file that is not UTF-8 text (its first bad byte is located in the message).
///
/// ```
/// use opinio::kb::files::{read_text_file, DEFAULT_MAX_FILE_SIZE};
/// let text = read_text_file("tests/scenarios/notpetya.opinio".as_ref(), DEFAULT_MAX_FILE_SIZE)
///     .unwrap();
/// assert!(text.contains("notpetya"));
/// let err = read_text_file("no/such.opinio".as_ref(), DEFAULT_MAX_FILE_SIZE).unwrap_err();
/// assert_eq!(err.message, "cannot read `no/such.opinio`: there is no such file or folder");
/// ```
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<String, Diagnostic> {
    let (file, len) = open_regular_file(path, max_bytes)?;
    read_bounded(file, &path.display().to_string(), max_bytes, len)
}

/// Opens a regular file of at most `max_bytes` bytes for reading, and gives its size in
/// bytes. Refuses, with a diagnostic in plain words, a path that is missing or unreadable,
/// a folder, a named pipe, a device (`/dev/zero`) or a socket, and a file larger than
/// `max_bytes` (help: the limit to raise it to). A named pipe is refused without being
/// opened, since opening one waits until another program writes to it.
///
/// The size is that of the opened file; a reader that must not outgrow the limit should
/// still read through [`std::io::Read::take`], as the file may grow while it is read.
pub fn open_regular_file(path: &Path, max_bytes: u64) -> Result<(std::fs::File, u64), Diagnostic> {
    // Look before opening: opening a named pipe waits until another program writes to it.
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    check_regular(path, &meta, max_bytes)?;
    let file = std::fs::File::open(path).map_err(|e| cannot_read(path, &e))?;
    // Look again at what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    check_regular(path, &meta, max_bytes)?;
    Ok((file, meta.len()))
}

fn check_regular(path: &Path, meta: &Metadata, max_bytes: u64) -> Result<(), Diagnostic> {
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type()));
    }
    if meta.len() > max_bytes {
        return Err(too_large(
            &path.display().to_string(),
            Some(meta.len()),
            max_bytes,
        ));
    }
    Ok(())
}

/// What a folder walk found.
#[derive(Debug, Clone, Default)]
pub struct FolderWalk {
    /// The `.opinio` files, each real file once (the path without links is preferred when
    /// several lead to it), sorted; each path starts with the folder as it was given.
    pub files: Vec<PathBuf>,
    /// Warnings for the entries named `….opinio` that were left out, and why: a named pipe, a
    /// device, a socket, a link leading nowhere.
    pub skipped: Vec<Diagnostic>,
    /// Links leading out of the folder (not followed when the walk stays inside).
    pub outside: Vec<PathBuf>,
}

#[cfg(unix)]
type Key = (u64, u64);

#[cfg(unix)]
fn key(_path: &Path, meta: &Metadata) -> Option<Key> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
type Key = PathBuf;

#[cfg(not(unix))]
fn key(path: &Path, _meta: &Metadata) -> Option<Key> {
    path.canonicalize().ok()
}

fn is_opinio(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "opinio")
}

/// Finds the `.opinio` files under `root` (any depth). Each real folder is entered once and
/// each real file listed once, so links that loop (`self -> .`, `up -> ../kb`) or lead twice
/// to the same file cost nothing. Anything named `….opinio` that is not an ordinary file (a
/// named pipe, a device) is left out with a warning in [`FolderWalk::skipped`], never opened.
/// With `stay_inside`, links leading out of `root` are listed in [`FolderWalk::outside`] and
/// not followed.
pub fn walk_folder(root: &Path, stay_inside: bool) -> Result<FolderWalk, Diagnostic> {
    let cannot_open = |e: std::io::Error| {
        Diagnostic::error(
            crate::diagnostic::Code::Io,
            format!(
                "cannot open the folder `{}`: {}",
                root.display(),
                io_words(&e)
            ),
        )
    };
    let canon_root = root.canonicalize().map_err(cannot_open)?;
    let root_meta = std::fs::metadata(&canon_root).map_err(cannot_open)?;
    let mut walk = FolderWalk::default();
    let mut visited: HashSet<Key> = HashSet::new();
    // Folders reached without a link are walked before those reached through one, so that a
    // file is named by its own path rather than by a link's.
    let mut direct: Vec<(PathBuf, Option<Key>)> = vec![(root.to_path_buf(), key(root, &root_meta))];
    let mut linked: Vec<(PathBuf, Option<Key>)> = Vec::new();
    let mut found: Vec<(bool, PathBuf, Option<Key>)> = Vec::new();
    loop {
        let (dir, via_link, dir_key) = match direct.pop() {
            Some((d, k)) => (d, false, k),
            None => match linked.pop() {
                Some((d, k)) => (d, true, k),
                None => break,
            },
        };
        if let Some(k) = dir_key {
            if !visited.insert(k) {
                continue; // already walked, by another path
            }
        }
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            Diagnostic::error(
                crate::diagnostic::Code::Io,
                format!(
                    "cannot read the folder `{}`: {}",
                    dir.display(),
                    io_words(&e)
                ),
            )
            .with_help("check the folder's permissions")
        })?;
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let Ok(own) = std::fs::symlink_metadata(&p) else {
                continue; // gone since the folder was listed
            };
            let is_link = own.file_type().is_symlink();
            let meta = if is_link {
                match std::fs::metadata(&p) {
                    Ok(m) => m,
                    Err(e) => {
                        if is_opinio(&p) {
                            walk.skipped.push(
                                Diagnostic::warning(
                                    crate::diagnostic::Code::SkippedFile,
                                    format!(
                                        "`{}` was skipped: it is a link that leads nowhere ({})",
                                        p.display(),
                                        io_words(&e)
                                    ),
                                )
                                .with_help(
                                    "remove the link, or point it at the file it stands for",
                                ),
                            );
                        }
                        continue;
                    }
                }
            } else {
                own
            };
            if is_link {
                let inside = p
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&canon_root));
                if !inside {
                    walk.outside.push(p.clone());
                    if stay_inside {
                        continue;
                    }
                }
            }
            let k = key(&p, &meta);
            if meta.is_dir() {
                if via_link || is_link {
                    linked.push((p, k));
                } else {
                    direct.push((p, k));
                }
            } else if !is_opinio(&p) {
                continue;
            } else if meta.is_file() {
                found.push((via_link || is_link, p, k));
            } else {
                walk.skipped.push(
                    Diagnostic::warning(
                        crate::diagnostic::Code::SkippedFile,
                        format!(
                            "`{}` was skipped: it is not a regular file but {}",
                            p.display(),
                            kind_words(meta.file_type())
                        ),
                    )
                    .with_help(
                        "Opinio reads only ordinary files saved on disk; remove it from the folder, or rename it so that its name does not end in `.opinio`",
                    ),
                );
            }
        }
    }
    found.sort();
    let mut seen: HashSet<Key> = HashSet::new();
    for (_, p, k) in found {
        if k.is_none_or(|k| seen.insert(k)) {
            walk.files.push(p);
        }
    }
    walk.files.sort();
    Ok(walk)
}
