//! Route handlers, one module per area. Each handler parses, calls one service function and
//! shapes the response.

pub mod attendance_actions;
pub mod attendances;
pub mod auth;
pub mod contacts;
pub mod flows;
pub mod health;
pub mod interactions;
pub mod mail;
pub mod me;
pub mod purchases;
pub mod reports;
pub mod sales;
pub mod tags;
pub mod users;

use crm_core::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::problem::ApiError;

/// `?cursor=&limit=` of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<Limit, ApiError> {
        Ok(Limit::new(self.limit)?)
    }

    /// The cursor; an empty `?cursor=` means the first page.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref().filter(|c| !c.is_empty())
    }
}
