//! Reports: the contact data of selected attendances with their first interaction, as text, CSV
//! or JSON, streamed batch by batch. Sits on `attendances` (selection and access) and `contacts`.

pub mod dto;
pub mod error;
pub mod format;
mod repo;
pub mod service;

pub use error::ReportError;
pub use service::ReportService;
