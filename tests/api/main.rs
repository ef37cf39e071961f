//! Integration tests: the real application over HTTP, on SQLite (default) or PostgreSQL
//! (`TEST_DB=postgres`). One binary so the app is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod auth;
mod contacts;
mod errors;
mod flows;
mod tags;
mod users;
mod reports;
