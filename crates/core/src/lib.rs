//! Shared vocabulary of every crate: ids, the caller ([`Actor`]), error codes, pages and cursors,
//! text normalization, money and the order model sales and purchases share. It sits at the bottom
//! of the dependency graph and knows nothing of HTTP or of the database.

pub mod actor;
pub mod error;
pub mod html;
pub mod id;
pub mod money;
pub mod order;
pub mod page;
pub mod patch;
pub mod pricing;
pub mod text;
pub mod time;

pub use actor::{Actor, Role};
pub use error::{Code, ErrorCode, FieldError, FieldErrors};
pub use money::Money;
pub use page::{Cursor, Limit, Page};
