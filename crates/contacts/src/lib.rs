//! Contacts: the clients an attendance points to (name, e-mail, phone, CPF/CNPJ, company,
//! address). Shared by every flow; sits on `core`, `entity` and `flows` (whose access policy
//! decides who may edit a contact used in several flows).

mod changes;
pub mod dto;
pub mod error;
pub mod model;
mod repo;
pub mod service;
mod validate;

pub use error::ContactError;
pub use service::ContactService;
