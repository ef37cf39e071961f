//! Users, passwords (argon2id), access tokens (JWT HS256) and rotating refresh tokens.
//! Sits on `core` and `entity`; every other domain receives the [`crm_core::Actor`] it builds.

mod argon;
mod common_passwords;
pub mod dto;
pub mod error;
pub mod model;
pub mod password;
mod repo;
pub mod service;
mod session_cache;
pub mod settings;
mod throttle;
pub mod token;
mod users;

pub use error::AuthError;
pub use service::{AuthService, TokenPair};
pub use settings::AuthSettings;
