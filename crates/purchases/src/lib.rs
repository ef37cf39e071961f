//! Purchases ("compras") of an attendance: a supplier (a contact), lines, totals, the day bought.
//! Sits on `attendances` (whose access check, counters and timeline it uses) beside `sales`.

pub mod dto;
pub mod error;
mod listing;
pub mod model;
mod repo;
pub mod service;

pub use error::PurchaseError;
pub use service::PurchaseService;
