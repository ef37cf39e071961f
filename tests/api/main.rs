//! Integration tests: the real application over HTTP, on SQLite (default) or PostgreSQL
//! (`TEST_DB=postgres`). One binary so the app is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod attendance_access;
mod attendance_helpers;
mod attendance_lifecycle;
mod attendance_list;
mod attendance_screen;
mod attendance_search;
mod attendances;
mod auth;
mod contact_access;
mod contacts;
mod errors;
mod flows;
mod hardening;
mod interactions;
mod lockout;
mod login_flood;
mod mail;
mod mail_helpers;
mod nfe;
mod passwords;
mod purchases;
mod reports;
mod sales;
mod summary_counts;
mod tags;
mod text_fields;
mod users;
