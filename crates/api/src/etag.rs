//! Versions as entity tags: responses carry `ETag: "<version>"`; `If-Match` names the version a
//! client last read.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use std::future::{Ready, ready};

use crate::problem::ApiError;

/// The version named by `If-Match`, if the header was sent. `*` matches any version. A value that
/// is not one of our tags can match no version, so it is kept as one that never exists.
pub struct IfMatch(pub Option<i32>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| parse(v.to_str().unwrap_or_default()));
        ready(Ok(IfMatch(value.flatten())))
    }
}

fn parse(value: &str) -> Option<i32> {
    let value = value.trim();
    // `*` matches any version; an empty header names none and is treated as absent.
    if value == "*" || value.is_empty() {
        return None;
    }
    let tag = value.strip_prefix("W/").unwrap_or(value).trim_matches('"');
    Some(tag.parse().unwrap_or(-1))
}

/// `200 OK` with the body and its version as the ETag.
pub fn ok_with_etag<T: serde::Serialize>(version: i32, body: &T) -> HttpResponse {
    with_etag(HttpResponse::Ok(), version, body)
}

pub fn with_etag<T: serde::Serialize>(
    mut builder: HttpResponseBuilder,
    version: i32,
    body: &T,
) -> HttpResponse {
    builder
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .json(body)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn if_match_accepts_strong_weak_and_bare_tags() {
        assert_eq!(parse("\"3\""), Some(3));
        assert_eq!(parse("W/\"4\""), Some(4));
        assert_eq!(parse("5"), Some(5));
        assert_eq!(parse("*"), None);
        assert_eq!(parse("\"abc\""), Some(-1));
    }
}
