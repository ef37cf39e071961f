//! Flows (the sales funnels) and who may work in them. [`access::visible_flow`] is the one access
//! check every domain inside a flow calls; it answers "not found" for flows the caller may not see.

pub mod access;
pub mod dto;
pub mod error;
pub mod model;
mod repo;
pub mod service;

pub use access::{visible_flow, visible_flow_ids};
pub use error::FlowError;
pub use repo::lock_flow;
pub use service::FlowService;
