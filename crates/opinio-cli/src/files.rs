//! Writing a file in full or not at all, for `opinio fmt` and the REPL's `:save` and
//! `:graph FILE`: a reader never sees a half-written file, and a failure leaves the old one.
//! And the checks around it: whether an output would overwrite an input ([`same_file`]), and
//! a write error in words ([`write_words`]).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` to `path` in full or not at all. Used by `opinio fmt` and by the REPL's
/// `:save` and `:graph FILE`.
///
/// - A link is followed: the file it points to is replaced and the link stays a link.
/// - The new text goes to `FILE.tmp-<pid>` beside that file, created afresh (never through an
///   existing file or link), with the old file's permissions from the start (a file only its
///   owner may read is never readable by others, not even for a moment); it is flushed to
///   disk, then renamed over the file: a rename is atomic, so the file is always either the
///   old one or the whole new one.
/// - Temporary files of the same file left behind by a process that was killed mid-write are
///   removed first: this process's, those of a process that no longer runs, and any older
///   than ten minutes.
/// - On failure the temporary file is removed and the file is untouched.
///
/// - What is not a plain file is never renamed over: a named pipe or a device
///   (`/dev/stdout`, a terminal, `/dev/null`) is written into as it is, since replacing it
///   would break whoever reads it (or the system, for a device); a folder is an error.
///
/// One process writes a given file one write at a time.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    // Ask the system what the path leads to before following links by hand: `/dev/stdout`
    // leads to `/proc/self/fd/1`, whose link text (`pipe:[…]`) names no file.
    let real = match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => path.to_path_buf(),
        _ => resolve_links(path)?,
    };
    match std::fs::metadata(&real) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a folder",
            ))
        }
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(&real)?;
            f.write_all(text.as_bytes())?;
            return f.flush();
        }
        _ => {}
    }
    let Some(name) = real.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the name has no file part",
        ));
    };
    remove_stale_temporaries(&real, &name);
    let tmp = real.with_file_name(format!("{name}.tmp-{}", std::process::id()));
    let old = std::fs::metadata(&real).ok().filter(|m| m.is_file());
    let mut options = std::fs::OpenOptions::new();
    // `create_new`: never write into (nor, below, remove) a file this call did not create.
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(m) = &old {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(m.permissions().mode() & 0o777);
    }
    let mut f = options.open(&tmp)?;
    let result = (|| {
        if let Some(m) = &old {
            keep_owner(&f, m);
            // Exactly the old permissions: the umask may have taken bits away.
            f.set_permissions(m.permissions())?;
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &real)?;
        sync_folder(&real);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The file a path names once links are followed (a link to a file not yet there gives
/// that file's path). The folders on the way are left as they are.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(format!(
        "`{}` is a chain of too many links",
        path.display()
    )))
}

/// Removes `NAME.tmp-<pid>` files beside `real` left by writes that never finished.
fn remove_stale_temporaries(real: &Path, name: &str) {
    const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{name}.tmp-");
    let me = std::process::id();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        // Not following links: a link is removed, never what it points to.
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if pid == me || process_gone(pid) || old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether no process `pid` runs, where the system tells (`/proc`); `false` if unsure.
fn process_gone(pid: u32) -> bool {
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

/// Gives the new file the old one's owner and group, where allowed (an administrator
/// editing someone's file); otherwise they are whoever writes.
fn keep_owner(new: &std::fs::File, old: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let Ok(now) = new.metadata() {
            if now.uid() != old.uid() || now.gid() != old.gid() {
                let _ = std::os::unix::fs::fchown(new, Some(old.uid()), Some(old.gid()));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (new, old);
}

/// Flushes the folder's entry for a renamed file to disk (where folders can be opened).
fn sync_folder(file: &Path) {
    #[cfg(unix)]
    {
        let dir = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Whether `a` and `b` name the same existing file (through links, `..` and hard links
/// alike); `false` when either does not exist. Used to refuse an output that would overwrite
/// one of the command's inputs.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

/// What to do about a failed write, for the help line under [`write_words`]: free space on a
/// full disk, a folder that exists or a permission elsewhere, another file in any case.
pub fn write_help(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => "free some space on the disk, or write to another disk",
        K::ReadOnlyFilesystem => "write to a folder on a disk that may be written to",
        K::NotFound | K::NotADirectory => {
            "create the folder first, or give a file in a folder that exists"
        }
        K::PermissionDenied => "give a file in a folder this account may write to",
        K::IsADirectory => "give the name of a file inside the folder, e.g. FOLDER/out.txt",
        _ => "check that the folder exists and that this account may write there, or give another file",
    }
}

/// The first of `inputs` that `out` would overwrite (the same file, through links and hard
/// links alike): an output written there would destroy what the command reads. An input
/// `-` is standard input, compared through `/dev/stdin` (`< case.opinio -o case.opinio`).
pub fn clobbered_input<'a>(out: &Path, inputs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    inputs.iter().find(|i| {
        if i.as_os_str() == "-" {
            cfg!(unix) && same_file(Path::new("/dev/stdin"), out)
        } else {
            same_file(i, out)
        }
    })
}

/// An input's path as a message shows it: `-` is "standard input".
pub fn shown_input(p: &Path) -> String {
    if p.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        format!("`{}`", p.display())
    }
}

/// A failed write in words, for a message that goes on "cannot write FILE: …" (no
/// `(os error N)`).
pub fn write_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "its folder does not exist".to_string(),
        K::PermissionDenied => "permission denied: this account may not write there".to_string(),
        K::IsADirectory => "it is a folder, not a file".to_string(),
        K::NotADirectory => "a part of the path is a file, where a folder was expected".to_string(),
        K::StorageFull => "the disk is full".to_string(),
        K::ReadOnlyFilesystem => "the disk is read-only".to_string(),
        _ => opinio::kb::files::io_words(e),
    }
}
