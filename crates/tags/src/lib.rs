//! Tags of a flow: name, colour and order, after the fixed virtual ALL tag. Sits on `flows`;
//! `attendances` attaches them (through [`lookup`], inside its own transactions).

pub mod dto;
pub mod error;
pub mod lookup;
pub mod model;
mod repo;
pub mod service;

pub use error::TagError;
pub use service::TagService;

use uuid::Uuid;

/// The id of the virtual ALL tag every flow shows first. It is no row: it means "no tag filter",
/// so it can be neither renamed, moved nor deleted.
pub const ALL_TAG_ID: Uuid = Uuid::nil();
