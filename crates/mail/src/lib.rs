//! E-mail: each user's mailbox (SMTP settings, password encrypted at rest), message templates
//! with placeholders, and the outbox that "save and notify" fills and a background sender
//! (lettre) empties with retries. Sits on `core` and `entity`; `attendances` renders templates
//! and queues notifications through [`compose`], inside its own transactions.

pub mod compose;
pub mod crypto;
pub mod dto;
pub mod error;
mod mailbox;
pub mod model;
pub mod outcome;
mod repo;
pub mod sender;
pub mod service;
pub mod session;
pub mod settings;
pub mod smtp;
pub mod template;
mod templates;
mod throttle;

pub use error::MailError;
pub use outcome::{Outcome, Outcomes};
pub use sender::{Sender, SenderHandle};
pub use service::MailService;
pub use settings::MailSettings;
pub use template::{AttendanceFacts, Placeholders};
