//! Keyset pagination: a page of items and an opaque cursor naming the last row's sort key and id.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::{Code, ErrorCode};

/// One page of a list. `next_cursor` is `null` on the last page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; `null` when there is none.
    pub next_cursor: Option<String>,
    /// Number of matching rows, when asked for with `?with_total=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
            total: self.total,
        }
    }
}

/// A validated page size: default 50, between 1 and 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u64);

impl Limit {
    pub const DEFAULT: u64 = 50;
    pub const MAX: u64 = 200;

    pub fn new(requested: Option<u64>) -> Result<Limit, CursorError> {
        match requested {
            None => Ok(Limit(Self::DEFAULT)),
            Some(n) if (1..=Self::MAX).contains(&n) => Ok(Limit(n)),
            Some(_) => Err(CursorError::Limit),
        }
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

/// The position after the last row of a page, opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub String);

/// A bad `cursor` or `limit` parameter.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CursorError {
    #[error("the cursor is not one this list produced")]
    Invalid,
    #[error("limit must be between 1 and 200")]
    Limit,
}

impl ErrorCode for CursorError {
    fn error_code(&self) -> Code {
        match self {
            CursorError::Invalid => Code::InvalidCursor,
            CursorError::Limit => Code::InvalidQuery,
        }
    }
}

impl Cursor {
    /// Encodes a key (any serializable tuple of the sort value and the id).
    pub fn encode<K: Serialize>(key: &K) -> String {
        // Serializing plain tuples of strings, numbers and uuids cannot fail.
        let json = serde_json::to_vec(key).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| CursorError::Invalid)?;
        serde_json::from_slice(&bytes).map_err(|_| CursorError::Invalid)
    }
}

/// Builds a page from `limit + 1` fetched rows: the extra row only proves there is a next page.
pub fn paginate<R, K: Serialize>(
    mut rows: Vec<R>,
    limit: Limit,
    key_of: impl Fn(&R) -> K,
) -> (Vec<R>, Option<String>) {
    let limit = usize::try_from(limit.get()).unwrap_or(usize::MAX);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|last| Cursor::encode(&key_of(last)));
        (rows, next)
    } else {
        (rows, None)
    }
}

/// Sort direction parsed from `?sort=field` / `?sort=-field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Direction {
    Asc,
    Desc,
}

/// Splits `-name` into (`name`, Desc).
pub fn parse_sort(sort: &str) -> (&str, Direction) {
    match sort.strip_prefix('-') {
        Some(field) => (field, Direction::Desc),
        None => (sort, Direction::Asc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let encoded = Cursor::encode(&("joão", 7));
        let decoded: (String, i32) = Cursor::decode(&encoded).unwrap();
        assert_eq!(decoded, ("joão".to_owned(), 7));
        assert_eq!(
            Cursor::decode::<(String, i32)>("not a cursor"),
            Err(CursorError::Invalid)
        );
    }

    #[test]
    fn limit_defaults_and_bounds() {
        assert_eq!(Limit::new(None).unwrap().get(), 50);
        assert_eq!(Limit::new(Some(200)).unwrap().get(), 200);
        assert!(Limit::new(Some(0)).is_err());
        assert!(Limit::new(Some(201)).is_err());
    }

    #[test]
    fn paginate_uses_the_extra_row_only_as_a_marker() {
        let limit = Limit::new(Some(2)).unwrap();
        let (rows, next) = paginate(vec![1, 2, 3], limit, |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(Cursor::decode::<i32>(&next.unwrap()).unwrap(), 2);
        let (rows, next) = paginate(vec![1, 2], limit, |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert!(next.is_none());
    }
}
