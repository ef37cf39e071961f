//! Request and response bodies of the tag routes. [`TagResponse`] and [`to_response`] are also
//! what `attendances` embeds to show an attendance's tags.

use crm_entity::tags;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ALL_TAG_ID;
use crate::model::ALL_TAG_COLOR;

/// A tag of a flow, or the virtual ALL tag (`virtual: true`) that stands for every attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TagResponse {
    /// The ALL tag's id is the nil UUID `00000000-0000-0000-0000-000000000000`.
    pub id: Uuid,
    #[schema(example = "Orçamento enviado")]
    pub name: String,
    /// `#RRGGBB`, upper case.
    #[schema(example = "#2563EB")]
    pub color: String,
    /// Display order: 0 for ALL, then 1, 2, … for the flow's tags.
    pub position: i32,
    /// `true` only for ALL, which cannot be renamed, moved or deleted.
    pub r#virtual: bool,
    /// Increases on every change (rename, recolour, move); also sent as the `ETag`.
    /// `null` for the ALL tag.
    pub version: Option<i32>,
}

/// The tags of a flow in display order: ALL first, then the flow's tags by position. Always
/// complete (a flow has few tags), hence not paginated.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagListResponse {
    pub items: Vec<TagResponse>,
}

/// A new tag, placed after the flow's other tags.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Orçamento enviado", "color": "#2563EB"}))]
pub struct CreateTagRequest {
    /// Unique in the flow ignoring case and accents; "ALL" and "TODOS" are reserved.
    #[schema(min_length = 1, max_length = 40)]
    pub name: String,
    /// `#RRGGBB` (either case). Defaults to a colour of the palette, in turn by position.
    #[schema(example = "#2563EB", pattern = "^#[0-9A-Fa-f]{6}$")]
    pub color: Option<String>,
}

/// Renames or recolours a tag; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Proposta enviada", "color": "#16a34a"}))]
pub struct UpdateTagRequest {
    /// Unique in the flow ignoring case and accents; "ALL" and "TODOS" are reserved.
    #[schema(min_length = 1, max_length = 40)]
    pub name: Option<String>,
    /// `#RRGGBB` (either case).
    #[schema(example = "#16A34A", pattern = "^#[0-9A-Fa-f]{6}$")]
    pub color: Option<String>,
}

/// The new order of a flow's tags.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tag_ids": [
    "0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
    "0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6e"
]}))]
pub struct ReorderTagsRequest {
    /// Every tag of the flow, once each, in the new order. The ALL tag's id may be sent first
    /// (it is ignored there, ALL stays first) and nowhere else.
    #[schema(max_items = 1000)]
    pub tag_ids: Vec<Uuid>,
}

/// A stored tag as the API shows it.
pub fn to_response(tag: tags::Model) -> TagResponse {
    TagResponse {
        id: tag.id,
        name: tag.name,
        color: tag.color,
        position: tag.position,
        r#virtual: false,
        version: Some(tag.version),
    }
}

/// The virtual ALL tag, first in every flow's list.
pub fn all_tag() -> TagResponse {
    TagResponse {
        id: ALL_TAG_ID,
        name: "ALL".to_owned(),
        color: ALL_TAG_COLOR.to_owned(),
        position: 0,
        r#virtual: true,
        version: None,
    }
}
