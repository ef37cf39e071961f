//! The printable page of an attendance: a self-contained HTML document (no scripts, no external
//! assets) in Portuguese, as the team prints it. Every user-typed text is HTML-escaped.

use chrono::{DateTime, Utc};
use crm_core::html::escape;
use crm_core::{Actor, Money};
use crm_entity::contacts;
use std::fmt::Write;
use uuid::Uuid;

use crate::AttendanceError;
use crate::model::business_offset;
use crate::repo::{self, InteractionRow};
use crate::respond::respond;
use crate::service::{AttendanceService, load_with_flow};

impl AttendanceService {
    #[tracing::instrument(name = "attendances.print", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn print(
        &self,
        actor: &Actor,
        id: Uuid,
        with_interactions: bool,
    ) -> Result<String, AttendanceError> {
        let (row, flow) = load_with_flow(&self.db, actor, id).await?;
        let contact = repo::contact(&self.db, row.contact_id).await?;
        let interactions = if with_interactions {
            repo::all_interactions(&self.db, row.id).await?
        } else {
            Vec::new()
        };
        let value_cents = row.value_cents;
        let attendance = respond(&self.db, row).await?;
        let tags: Vec<&str> = attendance.tags.iter().map(|t| t.name.as_str()).collect();

        let mut page = String::with_capacity(4096);
        let title = format!("#{} — {}", attendance.reference, attendance.title);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            escape(&title),
            escape(&title)
        );
        let _ = write!(
            page,
            "<p class=\"flow\">Fluxo: {}</p>\n<table>\n",
            escape(&flow.name)
        );
        for (label, value) in [
            ("Situação", attendance.status.label().to_owned()),
            ("Valor", Money::from_cents(value_cents).brl()),
            (
                "Vencimento",
                attendance
                    .due_at
                    .map(local)
                    .unwrap_or_else(|| "—".to_owned()),
            ),
            (
                "Tags",
                if tags.is_empty() {
                    "—".to_owned()
                } else {
                    tags.join(", ")
                },
            ),
            ("Criado em", local(attendance.created_at)),
            ("Última atualização", local(attendance.updated_at)),
        ] {
            row_html(&mut page, label, &value);
        }
        page.push_str("</table>\n<h2>Contato</h2>\n<table>\n");
        if let Some(contact) = &contact {
            for (label, value) in contact_fields(contact) {
                row_html(&mut page, label, &value);
            }
        }
        page.push_str("</table>\n");
        if with_interactions {
            interactions_html(&mut page, &interactions);
        }
        page.push_str("</body>\n</html>\n");
        Ok(page)
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}\
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}\
table{border-collapse:collapse}td,th{text-align:left;padding:.2rem .8rem .2rem 0;vertical-align:top}\
th{color:#555;font-weight:600}.note{border-top:1px solid #ccc;padding:.5rem 0}\
.note p{white-space:pre-wrap;margin:.3rem 0}.meta{color:#555;font-size:.9rem}\
@media print{body{margin:0}}";

fn row_html(page: &mut String, label: &str, value: &str) {
    let _ = writeln!(
        page,
        "<tr><th>{}</th><td>{}</td></tr>",
        escape(label),
        escape(value)
    );
}

fn interactions_html(page: &mut String, interactions: &[InteractionRow]) {
    page.push_str("<h2>Interações</h2>\n");
    if interactions.is_empty() {
        page.push_str("<p class=\"meta\">Nenhuma interação.</p>\n");
    }
    for note in interactions {
        let _ = writeln!(
            page,
            "<div class=\"note\"><div class=\"meta\">{} — {}</div><p>{}</p></div>",
            escape(&note.author_name),
            local(note.created_at),
            escape(&note.body)
        );
    }
}

fn contact_fields(contact: &contacts::Model) -> Vec<(&'static str, String)> {
    [
        ("Nome", Some(contact.name.clone())),
        (
            "CPF/CNPJ",
            crm_contacts::service::document_formatted(contact),
        ),
        ("E-mail", contact.email.clone()),
        ("Telefone", contact.phone.clone()),
        ("Empresa", contact.company.clone()),
        ("Endereço", crm_contacts::service::address_line(contact)),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect()
}

/// Brasília time, as the team reads it.
fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&business_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}
