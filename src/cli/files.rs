//! Files at the command line's boundary: bounded reads, JSON with the field path and line
//! in its errors, atomic writes, and every error naming its path.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use vicixfer::sim::json::{self, MAX_JSON_BYTES};

/// An I/O or format error, with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{}: {what}", path.display())]
pub struct FileError {
    /// The file (`-` for standard input or output).
    pub path: PathBuf,
    /// What went wrong.
    pub what: String,
}

impl FileError {
    pub fn new(path: &Path, what: impl ToString) -> FileError {
        FileError { path: path.to_path_buf(), what: what.to_string() }
    }
}

/// Reads at most `limit` bytes of `path` (`-`: standard input) as UTF-8 text.
pub fn read_text(path: &Path, limit: usize) -> Result<String, FileError> {
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().lock().take(limit as u64 + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| FileError::new(path, e))?;
    if bytes.len() > limit {
        return Err(FileError::new(path, format!("more than the {limit}-byte limit")));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count();
        FileError::new(path, format!("line {line}: not UTF-8 text (byte {at})"))
    })
}

/// Reads a JSON file as a `T`: the path, field path, line and column in any error.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, FileError> {
    let text = read_text(path, MAX_JSON_BYTES)?;
    json::parse(&text).map_err(|e| FileError::new(path, e))
}

/// A text argument, or with `@FILE` the text of FILE (`@-`: standard input), one trailing
/// newline dropped.
pub fn text_arg(arg: &str, limit: usize) -> Result<String, FileError> {
    match arg.strip_prefix('@') {
        Some(file) => {
            let text = read_text(Path::new(file), limit)?;
            Ok(text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text).to_string())
        }
        None => Ok(arg.to_string()),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced,
/// then renamed over `path`. On any error `path` is as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let done = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(FileError::new(path, e));
    }
    Ok(())
}

/// Writes `bytes` to `path` (a new file, or a device such as /dev/full), checking every
/// write and the final flush.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    std::fs::write(path, bytes).map_err(|e| FileError::new(path, e))
}

/// A buffered file writer whose errors name the path.
pub struct PathWriter {
    path: PathBuf,
    inner: std::io::BufWriter<std::fs::File>,
}

impl PathWriter {
    pub fn create(path: &Path) -> Result<PathWriter, FileError> {
        let file = std::fs::File::create(path).map_err(|e| FileError::new(path, e))?;
        Ok(PathWriter { path: path.to_path_buf(), inner: std::io::BufWriter::new(file) })
    }

    fn named(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }
}

impl Write for PathWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.named(e))
    }
}
