//! PHP's `$_POST` from a request body: which content types fill it and how a
//! `multipart/form-data` body becomes the same variables an urlencoded one would.
//!
//! PHP picks the body's reader by its MIME type, lower-cased and cut at the first `;`, `,` or
//! space (`main/SAPI.c`, `sapi_read_post_data`): `application/x-www-form-urlencoded` and
//! `multipart/form-data` fill `$_POST`, anything else leaves it empty. A multipart body's
//! boundary is found as `main/rfc1867.c` (`rfc1867_post_handler`) finds it; its parts that
//! carry a `name` and no `filename` are form variables with their raw bytes as values (parts
//! with a `filename`, even an empty one, go to `$_FILES`, which api.php never reads). The
//! variables are handed on re-encoded as an urlencoded form, so both bodies share
//! [`with_post_fallback`](crate::api::with_post_fallback) and its key rules and
//! `max_input_vars`.

use axum::body::Bytes;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::convert::Infallible;

/// How PHP reads a body of this `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// `application/x-www-form-urlencoded`: the body is the form.
    Urlencoded,
    /// `multipart/form-data` with this boundary.
    Multipart(String),
    /// `multipart/form-data` whose boundary is missing or has no closing quote: PHP warns
    /// and leaves `$_POST` empty.
    BadBoundary,
    /// Any other type, or none: `$_POST` stays empty.
    Ignored,
}

impl BodyKind {
    /// Classifies a `Content-Type` header value as PHP does.
    pub(crate) fn of(content_type: Option<&str>) -> BodyKind {
        let Some(ct) = content_type else { return BodyKind::Ignored };
        let mime = ct.split([';', ',', ' ']).next().unwrap_or_default().to_ascii_lowercase();
        match mime.as_str() {
            "application/x-www-form-urlencoded" => BodyKind::Urlencoded,
            "multipart/form-data" => boundary(ct).map_or(BodyKind::BadBoundary, BodyKind::Multipart),
            _ => BodyKind::Ignored,
        }
    }
}

/// An urlencoded body as text, losing nothing: a byte that is not UTF-8 is written as its
/// `%XX` escape, which PHP's `urldecode` turns back into the same byte.
pub(crate) fn urlencoded_text(body: &[u8]) -> String {
    let mut text = String::with_capacity(body.len());
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(percent_encoding::percent_encode(chunk.invalid(), NON_ALPHANUMERIC));
    }
    text
}

/// The boundary: after the first `boundary` (case-sensitive first, then any case) and its
/// `=`, either a quoted string or up to the next `,` or `;`.
fn boundary(ct: &str) -> Option<String> {
    let at = ct.find("boundary").or_else(|| ct.to_ascii_lowercase().find("boundary"))?;
    let rest = &ct[at..];
    let value = &rest[rest.find('=')? + 1..];
    let value = match value.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        None => value.split([',', ';']).next().unwrap_or_default(),
    };
    Some(value.to_owned())
}

/// The form variables of a multipart body, urlencoded in their order. A body that breaks
/// off keeps the variables read before the break, as PHP keeps what it registered.
pub(crate) async fn multipart_as_urlencoded(body: Bytes, boundary: String) -> String {
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut form = String::new();
    while let Ok(Some(field)) = parts.next_field().await {
        let Some(name) = field.name().map(str::to_owned) else { continue };
        if field.file_name().is_some() {
            continue;
        }
        let Ok(value) = field.bytes().await else { break };
        if !form.is_empty() {
            form.push('&');
        }
        form.extend(utf8_percent_encode(&name, NON_ALPHANUMERIC));
        form.push('=');
        form.extend(percent_encoding::percent_encode(&value, NON_ALPHANUMERIC));
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mime_type_is_cut_and_lower_cased_as_php_does() {
        assert_eq!(BodyKind::of(Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8")), BodyKind::Urlencoded);
        assert_eq!(BodyKind::of(Some("application/x-www-form-urlencoded,x")), BodyKind::Urlencoded);
        assert_eq!(BodyKind::of(Some("application/json")), BodyKind::Ignored);
        assert_eq!(BodyKind::of(None), BodyKind::Ignored);
        assert_eq!(BodyKind::of(Some("multipart/form-data; boundary=abc")), BodyKind::Multipart("abc".into()));
        assert_eq!(BodyKind::of(Some("multipart/form-data; BOUNDARY=\"a;b\"; x=y")), BodyKind::Multipart("a;b".into()));
        assert_eq!(BodyKind::of(Some("multipart/form-data; boundary=abc, next")), BodyKind::Multipart("abc".into()));
        assert_eq!(BodyKind::of(Some("multipart/form-data")), BodyKind::BadBoundary);
        assert_eq!(BodyKind::of(Some("multipart/form-data; boundary=\"open")), BodyKind::BadBoundary);
    }

    #[test]
    fn bytes_that_are_not_utf8_survive_as_escapes() {
        assert_eq!(urlencoded_text(b"a=%41\xff+b&c=\xc3\xa9"), "a=%41%FF+b&c=\u{e9}");
    }

    fn read(body: &str) -> String {
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        rt.block_on(multipart_as_urlencoded(Bytes::from(body.to_owned()), "XyZ".into()))
    }

    #[test]
    fn fields_are_read_files_and_nameless_parts_are_not() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"function\"\r\n\r\npark_call\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"\"\r\n\r\nignored\r\n\
                    --XyZ\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"value\"\r\nContent-Type: text/plain\r\n\r\nA+B&C=D\r\n\
                    --XyZ--\r\n";
        assert_eq!(read(body), "function=park%5Fcall&value=A%2BB%26C%3DD");
    }

    #[test]
    fn a_body_that_breaks_off_keeps_what_came_before() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nno end";
        assert_eq!(read(body), "a=1");
        assert_eq!(read("not multipart at all"), "");
    }
}
