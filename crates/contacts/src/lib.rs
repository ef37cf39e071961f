//! Contacts: the clients an attendance points to (name, e-mail, phone, CPF/CNPJ, company,
//! address). Shared by every flow; sits on `core` and `entity`. Where contacts are used (the
//! attendances, above) is asked through [`ContactUses`], which the server wires in.

mod changes;
pub mod dto;
pub mod error;
pub mod model;
mod repo;
pub mod service;
mod uses;
mod validate;

pub use error::ContactError;
pub use service::ContactService;
pub use uses::ContactUses;
