//! JSON files at the boundary (scenarios, directories, campaign settings): a size limit,
//! unknown fields refused by the types, and errors that name the field path, the line and
//! the column.

use serde::de::DeserializeOwned;

/// The largest JSON text read (16 MiB): far above any scenario or directory written by hand.
pub const MAX_JSON_BYTES: usize = 16 << 20;

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// The text is longer than [`MAX_JSON_BYTES`].
    #[error("{bytes} bytes, more than the {limit}-byte limit")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The text is not JSON of the expected shape.
    #[error("line {line}, column {column}, at `{path}`: {message}")]
    Invalid {
        /// The field path (`world.agents[2].user`, `.` for the top).
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde said.
        message: String,
    },
}

/// Parses `text` as a `T`, naming the field path, line and column of the first error.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(JsonError::TooLarge { bytes: text.len(), limit: MAX_JSON_BYTES });
    }
    let invalid = |path: String, e: serde_json::Error| JsonError::Invalid {
        path,
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        invalid(path, e.into_inner())
    })?;
    de.end().map_err(|e| invalid(".".into(), e))?;
    Ok(value)
}

/// serde_json's message without its own ` at line L column C` suffix.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
