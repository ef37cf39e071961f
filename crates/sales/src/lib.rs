//! Quotes and sales of an attendance, with immutable versions, their approval, and NF-e data.
//! Sits on `attendances` (whose access check it uses) and `contacts`.

pub mod dto;
pub mod error;
mod listing;
pub mod model;
pub mod nfe;
mod repo;
pub mod service;

pub use error::SaleError;
pub use nfe::NfeError;
pub use service::SaleService;
