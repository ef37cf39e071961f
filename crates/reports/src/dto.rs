//! The report request and the shape of a JSON row.

use chrono::{DateTime, Utc};
use crm_attendances::dto::{DueFilter, SortParam};
use crm_attendances::model::{Status, View};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// One readable block per attendance (UTF-8 text).
    Text,
    /// RFC 4180, header row, UTF-8.
    Csv,
    /// A JSON array of rows.
    Json,
}

/// CSV field separator. Brazilian spreadsheets expect `semicolon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    #[default]
    Comma,
    Semicolon,
}

/// What to export: the ticked attendances, or a flow's list with its filters.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attendance_ids": ["01934f6e-8f7a-7cc4-9d0e-3c2b1a000003"], "format": "csv", "delimiter": "semicolon", "bom": true}))]
pub struct ContactDataRequest {
    /// The selected attendances (up to 5000), exported in this order. Either this or `flow_id`.
    #[schema(max_items = 5000)]
    pub attendance_ids: Option<Vec<Uuid>>,
    /// Export a flow's list instead, with the list's filters below.
    pub flow_id: Option<Uuid>,
    #[schema(max_length = 200)]
    pub q: Option<String>,
    pub tag_id: Option<Uuid>,
    pub status: Option<Status>,
    pub view: Option<View>,
    pub due: Option<DueFilter>,
    pub sort: Option<SortParam>,
    pub format: ReportFormat,
    /// CSV only; default `comma`.
    pub delimiter: Option<Delimiter>,
    /// CSV only: start with a UTF-8 byte-order mark, so spreadsheet programs read accents right.
    #[serde(default)]
    pub bom: bool,
}

/// One row of the report (the JSON format's items).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactDataRow {
    pub attendance: AttendancePart,
    pub contact: ContactPart,
    pub first_interaction: Option<ReportInteraction>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendancePart {
    pub id: Uuid,
    pub reference: i64,
    pub title: String,
    pub status: Status,
    #[schema(example = "4500.50")]
    pub value: String,
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactPart {
    pub name: String,
    /// CPF or CNPJ with its usual punctuation.
    pub document: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    /// Street, number, complement, district, city, UF and CEP in one line.
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportInteraction {
    pub created_at: DateTime<Utc>,
    pub author: String,
    pub body: String,
}
