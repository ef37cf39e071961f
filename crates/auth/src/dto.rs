//! Request and response bodies of the auth and user routes.

use chrono::{DateTime, Utc};
use crm_core::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Credentials for `POST /auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "maria@example.com", "password": "correct horse battery"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A spent refresh token is exchanged for a new pair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "8rJ2m0c1b0J7lq3hQyq9x2C5k0d6Wq0a1e7Rr2sYb3U"}))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh. Single use.
    pub refresh_token: String,
}

/// Tokens for a login session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Opaque, single use: exchange it at `POST /auth/refresh` before `refresh_expires_in`.
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires (at most 900).
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Seconds until the refresh token expires.
    #[schema(example = 2592000)]
    pub refresh_expires_in: i64,
}

/// A user as clients see it. The password hash never leaves the server.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    #[schema(example = "Maria da Conceição")]
    pub name: String,
    #[schema(example = "maria@example.com")]
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new user (admin only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "João Araújo", "email": "joao@example.com", "password": "uma senha bem longa", "role": "member"}))]
pub struct CreateUserRequest {
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    pub email: String,
    /// 12 to 128 characters.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// Defaults to `member`.
    #[serde(default)]
    pub role: Option<Role>,
    /// Defaults to `true`.
    #[serde(default)]
    pub active: Option<bool>,
}

/// Changes to a user (admin only); absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "admin", "active": true}))]
pub struct UpdateUserRequest {
    #[schema(min_length = 1, max_length = 120)]
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    /// `false` deactivates the user and ends their sessions at once.
    pub active: Option<bool>,
    #[schema(min_length = 12, max_length = 128)]
    pub password: Option<String>,
}

/// Changes a user may make to their own account. Role and active state are not among them.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Maria C. Souza"}))]
pub struct UpdateMeRequest {
    #[schema(min_length = 1, max_length = 120)]
    pub name: Option<String>,
    /// A new password; requires `current_password`.
    #[schema(min_length = 12, max_length = 128)]
    pub password: Option<String>,
    pub current_password: Option<String>,
}

/// Result of `DELETE /users/{id}` for a user who has history.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRemoval {
    /// `deleted` when the user had no history, `deactivated` when their records keep them.
    pub outcome: RemovalOutcome,
    pub user: Option<UserResponse>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemovalOutcome {
    Deleted,
    Deactivated,
}
