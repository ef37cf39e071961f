//! sea-orm entities: one module a table, nothing else. Domain crates map these rows into their
//! own types; no entity `Model` is ever serialized to a client.

pub mod attendance_events;
pub mod attendance_tags;
pub mod attendances;
pub mod contact_changes;
pub mod contacts;
pub mod counters;
pub mod db_error;
pub mod flow_preferences;
pub mod flow_receivables;
pub mod flow_status_counts;
pub mod flow_users;
pub mod flows;
pub mod interactions;
pub mod keyset;
pub mod login_throttle;
pub mod mail_templates;
pub mod mailboxes;
pub mod outbox;
pub mod planning;
pub mod purchase_items;
pub mod purchases;
pub mod refresh_tokens;
pub mod sale_items;
pub mod sale_nfe;
pub mod sale_versions;
pub mod sales;
pub mod sessions;
pub mod tag_counts;
pub mod tags;
pub mod users;
