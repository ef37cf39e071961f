//! PATCH bodies distinguish "absent" (leave alone) from `null` (clear the field).

use serde::{Deserialize, Deserializer};

/// `#[serde(default, deserialize_with = "crm_core::patch::nullable")]` on an
/// `Option<Option<T>>` field: absent → `None`, `null` → `Some(None)`, value → `Some(Some(v))`.
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
