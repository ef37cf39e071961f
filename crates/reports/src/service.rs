//! The contact-data report. The selection is checked up front (so a forbidden id is a clean 404),
//! then rows are read and written in batches: memory stays bounded however many rows there are.

use std::collections::VecDeque;

use crm_attendances::AttendanceService;
use crm_attendances::dto::ListParams;
use crm_attendances::model::Status;
use crm_attendances::selection::{self, Selection};
use crm_core::{Actor, FieldErrors, Money};
use crm_entity::{attendances, contacts};
use futures_util::stream::{self, BoxStream, StreamExt};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::dto::{
    AttendancePart, ContactDataRequest, ContactDataRow, ContactPart, Delimiter, ReportFormat,
    ReportInteraction,
};
use crate::{ReportError, format, repo};

/// Rows read and written per batch.
const BATCH: u64 = 500;
/// Most attendances that can be ticked for one export.
const MAX_IDS: usize = 5000;

#[derive(Clone)]
pub struct ReportService {
    db: DatabaseConnection,
    attendances: AttendanceService,
}

/// A report ready to stream.
pub struct Report {
    pub content_type: &'static str,
    pub filename: String,
    pub body: BoxStream<'static, Result<Vec<u8>, ReportError>>,
}

enum Source {
    Ids(VecDeque<Vec<Uuid>>),
    Flow {
        selection: Box<Selection>,
        after: Option<Box<attendances::Model>>,
    },
}

struct Writer {
    db: DatabaseConnection,
    source: Source,
    format: ReportFormat,
    delimiter: Delimiter,
    bom: bool,
    written: usize,
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Rows,
    End,
    Done,
}

impl ReportService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            attendances: AttendanceService::new(db.clone()),
            db,
        }
    }

    #[tracing::instrument(name = "reports.contact_data", skip_all, fields(user = %actor.user_id))]
    pub async fn contact_data(
        &self,
        actor: &Actor,
        request: ContactDataRequest,
    ) -> Result<Report, ReportError> {
        let source = self.source(actor, &request).await?;
        let (content_type, extension) = match request.format {
            ReportFormat::Text => ("text/plain; charset=utf-8", "txt"),
            ReportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
            ReportFormat::Json => ("application/json", "json"),
        };
        let today = crm_core::time::now()
            .with_timezone(&crm_attendances::model::business_offset())
            .format("%Y-%m-%d");
        let writer = Writer {
            db: self.db.clone(),
            source,
            format: request.format,
            delimiter: request.delimiter.unwrap_or_default(),
            bom: request.bom,
            written: 0,
            stage: Stage::Start,
        };
        Ok(Report {
            content_type,
            filename: format!("dados-de-contato-{today}.{extension}"),
            body: stream::unfold(writer, |mut writer| async move {
                let chunk = writer.next_chunk().await;
                match chunk {
                    Ok(None) => None,
                    Ok(Some(bytes)) => Some((Ok(bytes), writer)),
                    Err(error) => {
                        tracing::error!(%error, "report stopped");
                        writer.stage = Stage::Done;
                        Some((Err(error), writer))
                    }
                }
            })
            .boxed(),
        })
    }

    async fn source(
        &self,
        actor: &Actor,
        request: &ContactDataRequest,
    ) -> Result<Source, ReportError> {
        let has_filters = request.q.is_some()
            || request.tag_id.is_some()
            || request.status.is_some()
            || request.view.is_some()
            || request.due.is_some()
            || request.sort.is_some();
        match (&request.attendance_ids, request.flow_id) {
            (Some(ids), None) => {
                let mut errors = FieldErrors::new();
                if ids.is_empty() || ids.len() > MAX_IDS {
                    errors.add(
                        "attendance_ids",
                        "invalid_length",
                        format!("select 1 to {MAX_IDS} attendances"),
                    );
                }
                if has_filters {
                    errors.add(
                        "attendance_ids",
                        "conflict",
                        "list filters apply only with `flow_id`",
                    );
                }
                errors.into_result()?;
                let mut unique = Vec::with_capacity(ids.len());
                for id in ids {
                    if !unique.contains(id) {
                        unique.push(*id);
                    }
                }
                self.attendances.check_visible(actor, &unique).await?;
                let batch = usize::try_from(BATCH).unwrap_or(500);
                Ok(Source::Ids(
                    unique.chunks(batch).map(<[Uuid]>::to_vec).collect(),
                ))
            }
            (None, Some(flow_id)) => {
                let params = ListParams {
                    q: request.q.clone(),
                    tag_id: request.tag_id,
                    status: request.status,
                    view: request.view,
                    due: request.due,
                    sort: request.sort,
                };
                let selection = self
                    .attendances
                    .select_in_flow(actor, flow_id, &params)
                    .await?;
                Ok(Source::Flow {
                    selection: Box::new(selection),
                    after: None,
                })
            }
            _ => Err(FieldErrors::single(
                "attendance_ids",
                "required",
                "send either `attendance_ids` or `flow_id` (with the list's filters)",
            )
            .into()),
        }
    }
}

impl Writer {
    /// The next piece of the file, or `None` when it is complete.
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ReportError> {
        match self.stage {
            Stage::Start => {
                self.stage = Stage::Rows;
                let start = match self.format {
                    ReportFormat::Csv => {
                        let bom = if self.bom { format::BOM } else { "" };
                        format!("{bom}{}", format::csv_header(self.delimiter))
                    }
                    ReportFormat::Json => "[".to_owned(),
                    ReportFormat::Text => String::new(),
                };
                Ok(Some(start.into_bytes()))
            }
            Stage::Rows => {
                let rows = self.next_rows().await?;
                if rows.is_empty() {
                    self.stage = Stage::End;
                    return Ok(Some(Vec::new()));
                }
                let mut out = String::new();
                for row in &rows {
                    match self.format {
                        ReportFormat::Csv => out.push_str(&format::csv_row(row, self.delimiter)),
                        ReportFormat::Text => out.push_str(&format::text_block(row)),
                        ReportFormat::Json => {
                            if self.written > 0 {
                                out.push(',');
                            }
                            out.push_str(&serde_json::to_string(row).unwrap_or_default());
                        }
                    }
                    self.written += 1;
                }
                Ok(Some(out.into_bytes()))
            }
            Stage::End => {
                self.stage = Stage::Done;
                let end = if self.format == ReportFormat::Json {
                    "]"
                } else {
                    ""
                };
                Ok(Some(end.as_bytes().to_vec()))
            }
            Stage::Done => Ok(None),
        }
    }

    async fn next_rows(&mut self) -> Result<Vec<ContactDataRow>, ReportError> {
        let attendances = match &mut self.source {
            Source::Ids(batches) => match batches.pop_front() {
                Some(ids) => selection::by_ids(&self.db, &ids).await?,
                None => Vec::new(),
            },
            Source::Flow { selection, after } => {
                let rows =
                    selection::next_batch(&self.db, selection, after.as_deref(), BATCH).await?;
                *after = rows.last().cloned().map(Box::new);
                rows
            }
        };
        if attendances.is_empty() {
            return Ok(Vec::new());
        }
        let contact_ids: Vec<Uuid> = attendances.iter().map(|a| a.contact_id).collect();
        let ids: Vec<Uuid> = attendances.iter().map(|a| a.id).collect();
        let contacts = repo::contacts_by_id(&self.db, &contact_ids).await?;
        let firsts = repo::first_interactions(&self.db, &ids).await?;
        Ok(attendances
            .into_iter()
            .map(|attendance| {
                let contact = contacts.iter().find(|c| c.id == attendance.contact_id);
                let first = firsts
                    .iter()
                    .find(|(interaction, _)| interaction.attendance_id == attendance.id)
                    .map(|(interaction, author)| ReportInteraction {
                        created_at: interaction.created_at,
                        author: author.clone(),
                        body: interaction.body.clone(),
                    });
                ContactDataRow {
                    contact: contact_part(contact, &attendance.contact_name),
                    attendance: attendance_part(attendance),
                    first_interaction: first,
                }
            })
            .collect())
    }
}

fn attendance_part(row: attendances::Model) -> AttendancePart {
    AttendancePart {
        id: row.id,
        reference: row.reference,
        status: Status::parse(&row.status).unwrap_or(Status::Open),
        title: row.title,
        value: Money::from_cents(row.value_cents).to_decimal_string(),
        due_at: row.due_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn contact_part(contact: Option<&contacts::Model>, fallback_name: &str) -> ContactPart {
    let Some(contact) = contact else {
        return ContactPart {
            name: fallback_name.to_owned(),
            document: None,
            email: None,
            phone: None,
            company: None,
            address: None,
        };
    };
    ContactPart {
        name: contact.name.clone(),
        document: crm_contacts::service::document_formatted(contact),
        email: contact.email.clone(),
        phone: contact.phone.clone(),
        company: contact.company.clone(),
        address: crm_contacts::service::address_line(contact),
    }
}
