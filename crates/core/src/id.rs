//! Identifiers: UUID v7 everywhere, so ids are time-ordered (index friendly) but not guessable.

use uuid::Uuid;

/// A fresh time-ordered identifier.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
