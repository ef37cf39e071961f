//! Writing report rows as CSV (RFC 4180), readable text blocks or JSON. Pure functions over
//! [`ContactDataRow`]s, so the exact output is unit-tested.

use chrono::{DateTime, Utc};

use crate::dto::{ContactDataRow, Delimiter};

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 16] = [
    "reference",
    "title",
    "status",
    "value",
    "created_at",
    "updated_at",
    "due_at",
    "contact_name",
    "contact_document",
    "contact_email",
    "contact_phone",
    "contact_company",
    "contact_address",
    "first_interaction_at",
    "first_interaction_author",
    "first_interaction",
];

/// The UTF-8 byte-order mark some spreadsheet programs need to read accents right.
pub const BOM: &str = "\u{feff}";

pub fn csv_header(delimiter: Delimiter) -> String {
    csv_line(CSV_HEADER.iter().map(|s| (*s).to_owned()), delimiter)
}

pub fn csv_row(row: &ContactDataRow, delimiter: Delimiter) -> String {
    let a = &row.attendance;
    let c = &row.contact;
    let first = row.first_interaction.as_ref();
    // What users typed is neutralised; the numbers and dates the server writes are not (a
    // negative value must stay a number).
    let typed = |text: Option<&String>| text.map_or_else(String::new, |t| neutralise(t));
    let fields = [
        a.reference.to_string(),
        typed(Some(&a.title)),
        status_name(&a.status),
        a.value.clone(),
        iso(a.created_at),
        iso(a.updated_at),
        a.due_at.map(iso).unwrap_or_default(),
        typed(Some(&c.name)),
        typed(c.document.as_ref()),
        typed(c.email.as_ref()),
        typed(c.phone.as_ref()),
        typed(c.company.as_ref()),
        typed(c.address.as_ref()),
        first.map(|f| iso(f.created_at)).unwrap_or_default(),
        typed(first.map(|f| &f.author)),
        typed(first.map(|f| &f.body)),
    ];
    csv_line(fields.into_iter(), delimiter)
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"):
/// `=HYPERLINK(…)` or `+cmd|' /C calc'!A0` typed into a contact would run when the file is opened.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell that a spreadsheet would run as a formula gets a leading `'`, which makes it text and
/// is hidden by the spreadsheet; any other cell is kept as it is.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// [`neutralise`] for every line of a text that is written at the start of lines (a text report
/// pasted into a spreadsheet makes each line a cell).
fn neutralise_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // The CR of a CRLF only ends its line; a lone CR starts a cell of its own.
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if line_start && !line_end && FORMULA_STARTS.contains(&c) {
            out.push('\'');
        }
        out.push(c);
        // A lone CR ends a line too (old Mac text, or typed on purpose).
        line_start = c == '\n' || c == '\r';
    }
    out
}

/// One CSV record ending in CRLF; a field is quoted when it holds the delimiter, a quote, CR or
/// LF, and its quotes are doubled (RFC 4180 §2).
fn csv_line(fields: impl Iterator<Item = String>, delimiter: Delimiter) -> String {
    let separator = match delimiter {
        Delimiter::Comma => ',',
        Delimiter::Semicolon => ';',
    };
    let mut line = String::new();
    for (index, field) in fields.enumerate() {
        if index > 0 {
            line.push(separator);
        }
        if field.contains([separator, '"', '\r', '\n']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&field);
        }
    }
    line.push_str("\r\n");
    line
}

/// One readable block per attendance, separated by a blank line.
pub fn text_block(row: &ContactDataRow) -> String {
    let a = &row.attendance;
    let c = &row.contact;
    let mut lines = vec![
        format!("Atendimento #{} — {}", a.reference, a.title),
        format!("Situação: {} | Valor: R$ {}", a.status.label(), a.value),
        format!(
            "Criado em: {} | Atualizado em: {}",
            local(a.created_at),
            local(a.updated_at)
        ),
    ];
    if let Some(due) = a.due_at {
        lines.push(format!("Vencimento: {}", local(due)));
    }
    lines.push(format!("Contato: {}", c.name));
    for (label, value) in [
        ("CPF/CNPJ", &c.document),
        ("E-mail", &c.email),
        ("Telefone", &c.phone),
        ("Empresa", &c.company),
        ("Endereço", &c.address),
    ] {
        if let Some(value) = value {
            lines.push(format!("{label}: {value}"));
        }
    }
    match &row.first_interaction {
        Some(first) => {
            lines.push(format!(
                "Primeira interação ({}, {}):",
                local(first.created_at),
                first.author
            ));
            lines.push(neutralise_lines(&first.body));
        }
        None => lines.push("Primeira interação: —".to_owned()),
    }
    let mut block = lines.join("\n");
    block.push_str("\n\n");
    block
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&crm_attendances::model::business_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

fn status_name(status: &crm_attendances::model::Status) -> String {
    status.as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{AttendancePart, ContactPart, ReportInteraction};
    use crm_attendances::model::Status;

    fn fixture() -> ContactDataRow {
        let at = "2026-11-27T17:05:00Z".parse().unwrap();
        ContactDataRow {
            attendance: AttendancePart {
                id: uuid::Uuid::nil(),
                reference: 1042,
                title: "Orçamento \"urgente\", 30 cadeiras".to_owned(),
                status: Status::InProgress,
                value: "4500.50".to_owned(),
                due_at: None,
                created_at: at,
                updated_at: at,
            },
            contact: ContactPart {
                name: "João da Conceição".to_owned(),
                document: Some("529.982.247-25".to_owned()),
                email: Some("joao@example.com".to_owned()),
                phone: None,
                company: Some("Pão; Açúcar & Cia".to_owned()),
                address: None,
            },
            first_interaction: Some(ReportInteraction {
                created_at: at,
                author: "Maria".to_owned(),
                body: "Ligou pedindo\r\nprazo".to_owned(),
            }),
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_ends_records_with_crlf() {
        let row = csv_row(&fixture(), Delimiter::Comma);
        assert_eq!(
            row,
            "1042,\"Orçamento \"\"urgente\"\", 30 cadeiras\",in_progress,4500.50,\
             2026-11-27T17:05:00Z,2026-11-27T17:05:00Z,,João da Conceição,529.982.247-25,\
             joao@example.com,,Pão; Açúcar & Cia,,2026-11-27T17:05:00Z,Maria,\
             \"Ligou pedindo\r\nprazo\"\r\n"
        );
        let semicolon = csv_row(&fixture(), Delimiter::Semicolon);
        assert!(semicolon.contains(";\"Pão; Açúcar & Cia\";"), "{semicolon}");
        assert!(semicolon.contains(";\"Orçamento \"\"urgente\"\", 30 cadeiras\";"));
    }

    #[test]
    fn text_blocks_read_like_the_old_screen() {
        assert_eq!(
            text_block(&fixture()),
            "Atendimento #1042 — Orçamento \"urgente\", 30 cadeiras\n\
             Situação: Em andamento | Valor: R$ 4500.50\n\
             Criado em: 27/11/2026 14:05 | Atualizado em: 27/11/2026 14:05\n\
             Contato: João da Conceição\n\
             CPF/CNPJ: 529.982.247-25\n\
             E-mail: joao@example.com\n\
             Empresa: Pão; Açúcar & Cia\n\
             Primeira interação (27/11/2026 14:05, Maria):\n\
             Ligou pedindo\r\nprazo\n\n"
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised_in_csv_and_text() {
        let mut row = fixture();
        row.attendance.title = "=HYPERLINK(\"http://evil.example\",\"abrir\")".to_owned();
        row.contact.name = "+cmd|' /C calc'!A0".to_owned();
        row.contact.company = Some("@SUM(1+1)".to_owned());
        row.contact.phone = Some("-2+3".to_owned());
        row.contact.address = Some("\tRua A".to_owned());
        row.first_interaction.as_mut().unwrap().body = "ok\n=1+1\n\r-x".to_owned();
        let csv = csv_row(&row, Delimiter::Semicolon);
        assert!(
            csv.contains(";\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"abrir\"\")\";"),
            "{csv}"
        );
        for cell in ["'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2+3", "'\tRua A"] {
            assert!(csv.contains(&format!(";{cell};")), "{cell:?} in {csv}");
        }
        // Inside one quoted cell a line start is not a cell start: the body is kept.
        assert!(csv.ends_with(";\"ok\n=1+1\n\r-x\"\r\n"), "{csv}");
        let text = text_block(&row);
        assert!(text.contains("\nok\n'=1+1\n'\r'-x\n"), "{text}");
        row.first_interaction.as_mut().unwrap().body = "a\r\n\r\n@b\r=c".to_owned();
        let text = text_block(&row);
        assert!(text.contains("\na\r\n\r\n'@b\r'=c\n"), "{text}");
    }

    #[test]
    fn a_negative_value_stays_a_number() {
        let mut row = fixture();
        row.attendance.value = "-10.00".to_owned();
        assert!(csv_row(&row, Delimiter::Comma).contains(",in_progress,-10.00,"));
    }

    #[test]
    fn the_header_names_every_column() {
        assert_eq!(
            csv_header(Delimiter::Comma).matches(',').count(),
            CSV_HEADER.len() - 1
        );
    }
}
