//! Extractors: the authenticated caller, JSON bodies whose errors name the field, and the client
//! address.

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use crm_core::{Actor, Code, FieldError};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::problem::ApiError;

/// Largest accepted request body.
pub const MAX_BODY: usize = 1024 * 1024;

/// The caller, authenticated from `Authorization: Bearer <access token>`.
pub struct Caller(pub Actor);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::new(Code::Internal, "no state"))?;
            let token = token.ok_or_else(|| {
                ApiError::new(
                    Code::Unauthenticated,
                    "send Authorization: Bearer <access_token>",
                )
            })?;
            Ok(Caller(state.auth.authenticate(&token).await?))
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The client's address: the peer, or what a trusted proxy says it forwarded
/// ([`crate::client_ip`]). Used to throttle failed password checks.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let peer = req.peer_addr().map(|a| a.ip());
        let client = match req.app_data::<web::Data<AppState>>() {
            Some(state) => state.trusted_proxies.client(peer, req.headers()),
            None => peer,
        };
        std::future::ready(Ok(ClientIp(client)))
    }
}

/// A JSON body. Malformed JSON is a 400; a well-formed body with a wrong field is a 422 that
/// names the field (`address.postal_code`), so clients can show the error next to the input.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_json(req);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_length.is_some_and(|n| n > MAX_BODY) {
                return Err(too_large());
            }
            if !content_type_ok {
                return Err(ApiError::new(
                    Code::UnsupportedMediaType,
                    "send the body as application/json",
                ));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    if crate::body_deadline::timed_out(&e) {
                        ApiError::new(Code::RequestTimeout, e.to_string())
                    } else {
                        ApiError::new(Code::MalformedJson, format!("body unreadable: {e}"))
                    }
                })?;
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Json)
        })
    }
}

fn too_large() -> ApiError {
    ApiError::new(Code::PayloadTooLarge, "the body must be at most 1 MiB")
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let mime = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so `{} trailing` is malformed JSON rather than a missing field.
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        let message = strip_position(&error.to_string());
        return Err(ApiError::new(
            Code::MalformedJson,
            format!("malformed JSON: {message}"),
        ));
    }
    // Every request body of this API is an object. serde would also read a struct from an array
    // (`[null, null]`), which no client means.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(
            ApiError::new(Code::ValidationFailed, "the body must be a JSON object").with_errors(
                vec![FieldError::new(
                    "body",
                    "invalid_type",
                    "must be a JSON object",
                )],
            ),
        );
    }
    if let Some(field) = field_with_nul(body) {
        return Err(ApiError::new(
            Code::ValidationFailed,
            format!("invalid field `{field}`: text must not contain the NUL character"),
        )
        .with_errors(vec![FieldError::new(
            &field,
            "invalid_character",
            "must not contain the NUL character (\\u0000)",
        )]));
    }
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body)).map_err(
        |error| {
            let inner = error.inner();
            let field = field_name(&error.path().to_string(), &inner.to_string());
            let message = strip_position(&inner.to_string());
            ApiError::new(
                Code::ValidationFailed,
                format!("invalid field `{field}`: {message}"),
            )
            .with_errors(vec![FieldError::new(
                &field,
                code_of(&message),
                message.clone(),
            )])
        },
    )
}

/// The first string of the body (a key or a value) holding a NUL, which no text column can store
/// (PostgreSQL refuses it). JSON can only carry one escaped, so bodies without `\u0000` are not
/// parsed twice.
fn field_with_nul(body: &[u8]) -> Option<String> {
    if !body.windows(6).any(|w| w == br"\u0000") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    nul_in(&value, String::new()).map(|p| if p.is_empty() { "body".to_owned() } else { p })
}

fn nul_in(value: &serde_json::Value, path: String) -> Option<String> {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                Some(child(&key.replace('\0', "")))
            } else {
                nul_in(item, child(key))
            }
        }),
        _ => None,
    }
}

/// serde reports a missing or unknown field at the path of its parent; append its name.
fn field_name(path: &str, message: &str) -> String {
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    match (path, named) {
        (".", Some(name)) | ("", Some(name)) => name.to_owned(),
        // An unknown field's path already ends with its name.
        (path, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => {
            path.to_owned()
        }
        (parent, Some(name)) => format!("{parent}.{name}"),
        (".", None) | ("", None) => "body".to_owned(),
        (path, None) => path.to_owned(),
    }
}

fn code_of(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "required"
    } else if message.starts_with("unknown field") {
        "unknown_field"
    } else {
        "invalid_type"
    }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        address: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        city: String,
    }

    #[test]
    fn field_errors_name_the_field() {
        let missing = parse::<Body>(br#"{}"#).unwrap_err();
        assert_eq!(missing.code(), Code::ValidationFailed);
        assert!(missing.to_string().contains("`name`"), "{missing}");
        let nested = parse::<Body>(br#"{"name":"x","address":{"city":3}}"#).unwrap_err();
        assert!(nested.to_string().contains("address.city"), "{nested}");
        let unknown = parse::<Body>(br#"{"name":"x","role":"admin"}"#).unwrap_err();
        assert!(unknown.to_string().contains("`role`"), "{unknown}");
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert_eq!(
            parse::<Body>(b"{\"name\":").unwrap_err().code(),
            Code::MalformedJson
        );
        assert_eq!(
            parse::<Body>(b"{} x").unwrap_err().code(),
            Code::MalformedJson
        );
    }

    #[test]
    fn a_nul_in_any_text_is_rejected_naming_its_field() {
        let top = parse::<Body>(br#"{"name":"a\u0000b"}"#).unwrap_err();
        let nested = parse::<Body>(br#"{"name":"x","address":{"city":"\u0000"}}"#).unwrap_err();
        let listed =
            parse::<serde_json::Value>(br#"{"lines":[{"a":"ok"},{"a":"\u0000"}]}"#).unwrap_err();

        assert_eq!(top.code(), Code::ValidationFailed);
        assert!(top.to_string().contains("`name`"), "{top}");
        assert!(nested.to_string().contains("`address.city`"), "{nested}");
        assert!(listed.to_string().contains("`lines[1].a`"), "{listed}");
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_only_text() {
        let body = parse::<Body>(br#"{"name":"C:\\u0000"}"#).unwrap();

        assert_eq!(body.name, r"C:\u0000");
    }
}
