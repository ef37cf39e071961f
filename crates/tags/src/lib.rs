//! Tags of a flow: name, colour and order, after the fixed virtual ALL tag. Sits on `flows`;
//! `attendances` attaches them.

pub mod service;

pub use service::TagService;
