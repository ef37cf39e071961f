//! The HTTP layer: actix-web routes, the authenticated-caller extractor, problem details and the
//! OpenAPI document. Handlers parse, call one service function and shape the response; rules and
//! access checks live in the domain crates.

pub mod app;
pub mod body_deadline;
pub mod client_ip;
mod etag;
pub mod extract;
pub mod fallback;
pub mod middleware;
pub mod openapi;
pub mod problem;
mod routes;
pub mod security_headers;

pub use app::{AppState, configure};
pub use openapi::openapi_document;
