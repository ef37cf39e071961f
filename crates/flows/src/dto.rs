//! Request and response bodies of the flow routes.

use chrono::{DateTime, Utc};
use crm_core::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A flow (sales funnel).
#[derive(Debug, Serialize, ToSchema)]
pub struct FlowResponse {
    pub id: Uuid,
    #[schema(example = "Pós-venda")]
    pub name: String,
    /// Short name ("pseudônimo") for menus; defaults to the name.
    #[schema(example = "Pós-venda")]
    pub alias: String,
    /// Shown under the flow's name.
    pub description: Option<String>,
    /// Inactive flows stay readable but take no new attendances.
    pub active: bool,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new flow (admin only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Pós-venda",
    "alias": "Pós-venda",
    "description": "Atendimentos depois da entrega",
    "active": true,
    "authorized_user_ids": []
}))]
pub struct CreateFlowRequest {
    /// Unique ignoring case and accents.
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// Defaults to the name.
    #[schema(min_length = 1, max_length = 80)]
    pub alias: Option<String>,
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// Defaults to `true`.
    pub active: Option<bool>,
    /// Members who may see and work in the flow (administrators always may).
    #[serde(default)]
    pub authorized_user_ids: Vec<Uuid>,
}

/// Changes to a flow (admin only); absent fields stay as they are, `description: null` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateFlowRequest {
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 80)]
    pub alias: Option<String>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub description: Option<Option<String>>,
    pub active: Option<bool>,
}

/// The complete set of members authorized for a flow.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_ids": []}))]
pub struct AuthorizedUsersRequest {
    /// Replaces the current set. Unknown ids are rejected.
    #[schema(max_items = 1000)]
    pub user_ids: Vec<Uuid>,
}

/// A user authorized for a flow.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorizedUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// The members authorized for a flow (administrators see every flow regardless).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorizedUsersResponse {
    pub flow_id: Uuid,
    pub users: Vec<AuthorizedUser>,
}
