//! The files around a copy: a private temporary file beside its destination, which takes the
//! destination's name only once it is complete and verified.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::{BackupError, IfExists};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A new file readable only by the owner, removed when dropped unless it was renamed.
pub(super) struct TempFile {
    path: PathBuf,
    file: File,
    renamed: bool,
}

impl TempFile {
    /// An empty file (mode 0600) in the directory of `beside`, named after it.
    pub(super) fn create(beside: &Path) -> Result<Self, BackupError> {
        let dir = parent(beside);
        let name = beside.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{name}.partial-{}-{n}", std::process::id()));
            match options.open(&path) {
                Ok(file) => return Ok(Self { path, file, renamed: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => {}
                Err(e) => return Err(io_error("create a file in", dir, e)),
            }
        }
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Fills the file with `input`'s bytes and flushes it to disk.
    pub(super) fn copy_from(&mut self, input: &Path) -> Result<(), BackupError> {
        let mut source = File::open(input).map_err(|e| io_error("read", input, e))?;
        io::copy(&mut source, &mut self.file).map_err(|e| io_error("copy", input, e))?;
        self.sync()
    }

    /// Flushes what was written (by this handle or by SQLite) to disk.
    pub(super) fn sync(&self) -> Result<(), BackupError> {
        self.file.sync_all().map_err(|e| io_error("write", &self.path, e))
    }

    /// Gives the file the name `dest`. With [`IfExists::Refuse`] an existing `dest` is never
    /// replaced: a hard link fails if the name is taken (where links are not supported, the
    /// name is checked just before the rename).
    pub(super) fn place(mut self, dest: &Path, if_exists: IfExists) -> Result<(), BackupError> {
        let result = match if_exists {
            IfExists::Replace => std::fs::rename(&self.path, dest).map(|()| self.renamed = true),
            IfExists::Refuse => match std::fs::hard_link(&self.path, dest) {
                // The temporary name goes on drop.
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(BackupError::Exists(dest.to_owned())),
                Err(_) if exists(dest) => return Err(BackupError::Exists(dest.to_owned())),
                Err(_) => std::fs::rename(&self.path, dest).map(|()| self.renamed = true),
            },
        };
        result.map_err(|e| io_error("write", dest, e))?;
        // Makes the new name durable; the file is in place even if this fails, so it is best effort.
        if let Ok(dir) = File::open(parent(dest)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// True if anything (even a dangling link) has this name.
pub(super) fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

pub(super) fn size(path: &Path) -> Result<u64, BackupError> {
    Ok(path.metadata().map_err(|e| io_error("read", path, e))?.len())
}

/// Refuses `candidate` when it is the database file itself.
pub(super) fn refuse_same_file(candidate: &Path, database: &Path) -> Result<(), BackupError> {
    match (candidate.canonicalize(), database.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => Err(BackupError::SameFile(candidate.to_owned())),
        _ => Ok(()),
    }
}

/// Creates the database's directory (mode 0700) if it is missing.
pub(super) fn create_private_dir(database: &Path) -> Result<(), BackupError> {
    let dir = parent(database);
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io_error("create the directory", dir, e))
}

/// Removes the database's WAL, shared-memory and rollback journal files, which SQLite would
/// otherwise apply to whatever file next has the database's name.
pub(super) fn remove_side_files(database: &Path) -> Result<(), BackupError> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = OsString::from(database.as_os_str());
        name.push(suffix);
        let path = PathBuf::from(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error("remove", &path, e)),
        }
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> BackupError {
    BackupError::Io { action, path: path.to_owned(), source }
}
