//! Template text: `{{contact.name}}`-style placeholders, checked when a template is saved and
//! filled when it is rendered for an attendance; and the plain text → HTML conversion of
//! outgoing messages.

use crm_core::html::escape;
use crm_core::{FieldError, FieldErrors};

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 5] = [
    "contact.name",
    "attendance.reference",
    "attendance.title",
    "flow.name",
    "user.name",
];

/// What the attendances side knows about the attendance a message is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceFacts {
    pub contact_name: String,
    pub reference: i64,
    pub title: String,
    pub flow_name: String,
}

/// The values of the placeholders: the attendance's facts and the name of the user writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders {
    pub attendance: AttendanceFacts,
    pub user_name: String,
}

impl Placeholders {
    fn value(&self, name: &str) -> Option<String> {
        match name {
            "contact.name" => Some(self.attendance.contact_name.clone()),
            "attendance.reference" => Some(self.attendance.reference.to_string()),
            "attendance.title" => Some(self.attendance.title.clone()),
            "flow.name" => Some(self.attendance.flow_name.clone()),
            "user.name" => Some(self.user_name.clone()),
            _ => None,
        }
    }
}

/// The subject of a notification sent without a template: `[<flow>] <title> #<reference>`.
pub fn default_subject(facts: &AttendanceFacts) -> String {
    format!("[{}] {} #{}", facts.flow_name, facts.title, facts.reference)
}

enum Piece<'a> {
    Text(&'a str),
    /// The name between the braces, spaces trimmed.
    Placeholder(&'a str),
    /// `{{` without a closing `}}`: kept as typed.
    Unclosed(&'a str),
}

fn pieces(input: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(start) = rest.find("{{") {
        out.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                out.push(Piece::Placeholder(after[..end].trim()));
                rest = &after[end + 2..];
            }
            None => {
                out.push(Piece::Unclosed(&rest[start..]));
                rest = "";
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// Names `field` for every placeholder that is not one of [`PLACEHOLDERS`] and for a `{{` that
/// is never closed, so the template cannot be saved with a typo that would show in the e-mail.
pub fn check(field: &str, input: &str, errors: &mut FieldErrors) {
    let known = PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{{{p}}}}}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut reported: Vec<&str> = Vec::new();
    for piece in pieces(input) {
        match piece {
            Piece::Placeholder(name)
                if !PLACEHOLDERS.contains(&name) && !reported.contains(&name) =>
            {
                reported.push(name);
                errors.0.push(FieldError::new(
                    field,
                    "unknown_placeholder",
                    format!("{{{{{name}}}}} is not a placeholder; the known ones are {known}"),
                ));
            }
            Piece::Unclosed(text) => errors.0.push(FieldError::new(
                field,
                "unclosed_placeholder",
                format!(
                    "\"{}\" opens a placeholder with {{{{ that is never closed with }}}}",
                    text.chars().take(30).collect::<String>()
                ),
            )),
            _ => {}
        }
    }
}

/// The text with every placeholder replaced by its value (an unknown one, which a saved
/// template cannot hold, is left as typed).
pub fn render(input: &str, values: &Placeholders) -> String {
    let mut out = String::with_capacity(input.len());
    for piece in pieces(input) {
        match piece {
            Piece::Text(text) | Piece::Unclosed(text) => out.push_str(text),
            Piece::Placeholder(name) => match values.value(name) {
                Some(value) => out.push_str(&value),
                None => {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                }
            },
        }
    }
    out
}

/// The HTML part of a message: the text escaped, blank lines as paragraphs, line breaks kept.
pub fn html_body(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let paragraphs: Vec<String> = normalized
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let lines: Vec<String> = p.split('\n').map(escape).collect();
            format!("<p>{}</p>", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 14px;\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Placeholders {
        Placeholders {
            attendance: AttendanceFacts {
                contact_name: "João da Conceição".to_owned(),
                reference: 1042,
                title: "Orçamento de cadeiras".to_owned(),
                flow_name: "Vendas".to_owned(),
            },
            user_name: "Maria Souza".to_owned(),
        }
    }

    fn codes(field: &str, input: &str) -> Vec<(String, String)> {
        let mut errors = FieldErrors::new();
        check(field, input, &mut errors);
        errors.0.into_iter().map(|e| (e.code, e.message)).collect()
    }

    #[test]
    fn every_placeholder_is_filled_with_or_without_inner_spaces() {
        let text = "Olá {{contact.name}}, sobre {{ attendance.title }} (#{{attendance.reference}}) \
                    em {{flow.name}}. Att., {{  user.name  }}";
        assert!(codes("body", text).is_empty());
        assert_eq!(
            render(text, &values()),
            "Olá João da Conceição, sobre Orçamento de cadeiras (#1042) em Vendas. Att., Maria Souza"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_named_once_with_the_known_ones() {
        let errors = codes(
            "subject",
            "{{contato.nome}} e {{ contato.nome }} {{user.name}}",
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "unknown_placeholder");
        assert!(
            errors[0].1.starts_with("{{contato.nome}} is not"),
            "{}",
            errors[0].1
        );
        assert!(errors[0].1.contains("{{contact.name}}"));
    }

    #[test]
    fn an_unclosed_placeholder_is_reported_and_single_braces_are_text() {
        assert_eq!(
            codes("body", "Olá {{contact.name")[0].0,
            "unclosed_placeholder"
        );
        assert!(codes("body", "chaves {assim} e }} soltas").is_empty());
        assert_eq!(render("{a} }}", &values()), "{a} }}");
    }

    #[test]
    fn the_default_subject_names_flow_title_and_reference() {
        assert_eq!(
            default_subject(&values().attendance),
            "[Vendas] Orçamento de cadeiras #1042"
        );
    }

    #[test]
    fn html_is_escaped_with_paragraphs_and_line_breaks() {
        let html = html_body("Olá <João> & \"Cia\"\nlinha 2\n\nParágrafo 'dois'");
        assert!(
            html.contains("<p>Olá &lt;João&gt; &amp; &quot;Cia&quot;<br>\nlinha 2</p>"),
            "{html}"
        );
        assert!(html.contains("<p>Parágrafo &#39;dois&#39;</p>"), "{html}");
    }
}
