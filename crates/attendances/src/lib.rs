//! Attendances: the deals and tickets of a flow, with their tags, interactions and timeline;
//! archive, trash, move, search, print. Sits on `flows`, `contacts` and `tags`; every use case
//! goes through `crm_flows::visible_flow`.

mod contact_uses;
mod counts;
pub mod dto;
pub mod error;
mod flow_tags;
mod lifecycle;
mod listing;
pub mod model;
mod notes;
mod notification;
pub mod print;
mod repo;
mod respond;
pub mod selection;
pub mod service;

pub use contact_uses::AttendancesOfContacts;
pub use error::AttendanceError;
pub use listing::DEFAULT_COLUMNS;
pub use notification::NotificationOutcomes;
pub use repo::{add_to_receivable, next_counter, rebuild_counts, record_event};
pub use service::AttendanceService;
pub use service::load as load_visible;
pub use service::load_for_write as load_visible_for_write;
