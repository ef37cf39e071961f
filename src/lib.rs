//! The `crm` binary's library: settings, start-up and the server. It only wires settings, the
//! database and the HTTP layer together; all behaviour lives in the crates under `crates/`.

pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod worker_pools;

pub use settings::Settings;
pub use startup::Application;
