//! A mailbox's SMTP account and the messages sent through it, with a plain text and an HTML
//! part. The session itself (guarded, timed) is in `session`.

use crm_entity::mailboxes;
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};
use uuid::Uuid;

use crate::crypto::{Cipher, CryptoError, Secret};
use crate::model::Security;

/// A mailbox ready to send: its settings with the password decrypted. `Debug` hides the password.
#[derive(Debug)]
pub struct Account {
    pub sender_name: String,
    pub sender_address: String,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) security: Security,
    pub(crate) credentials: Option<(String, Secret)>,
}

impl Account {
    pub fn from_row(row: &mailboxes::Model, cipher: &Cipher) -> Result<Account, CryptoError> {
        let password = row
            .password_encrypted
            .as_deref()
            .map(|stored| cipher.decrypt(row.user_id, stored))
            .transpose()?;
        Ok(Account {
            sender_name: row.sender_name.clone(),
            sender_address: row.sender_address.clone(),
            host: row.smtp_host.clone(),
            port: u16::try_from(row.smtp_port).unwrap_or(25),
            security: Security::parse(&row.security).unwrap_or(Security::Starttls),
            credentials: row
                .username
                .clone()
                .map(|user| (user, password.unwrap_or_else(|| Secret::new(String::new())))),
        })
    }

    pub fn from_mailbox(&self) -> Result<Mailbox, String> {
        mailbox(&self.sender_name, &self.sender_address)
    }
}

pub fn mailbox(name: &str, address: &str) -> Result<Mailbox, String> {
    let address: Address = address
        .parse()
        .map_err(|e| format!("invalid address {address:?}: {e}"))?;
    let name = (!name.is_empty()).then(|| name.to_owned());
    Ok(Mailbox::new(name, address))
}

/// `<uuid@domain>` with the sender address's domain, as RFC 5322 asks.
pub fn new_message_id(sender_address: &str) -> String {
    let domain = sender_address
        .rsplit_once('@')
        .map_or("localhost", |(_, domain)| domain);
    format!("<{}@{}>", Uuid::now_v7(), domain)
}

/// What an outgoing message carries.
pub struct Envelope<'a> {
    pub from: Mailbox,
    pub to: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub message_id: &'a str,
    /// The Message-ID this one answers, also sent as `References`.
    pub thread_root: Option<&'a str>,
}

pub fn message(envelope: Envelope<'_>) -> Result<Message, String> {
    let mut builder = Message::builder()
        .from(envelope.from)
        .to(envelope.to)
        .subject(envelope.subject)
        .message_id(Some(envelope.message_id.to_owned()));
    if let Some(reply_to) = envelope.reply_to {
        builder = builder.reply_to(reply_to);
    }
    if let Some(root) = envelope.thread_root {
        builder = builder
            .in_reply_to(root.to_owned())
            .references(root.to_owned());
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            envelope.text.to_owned(),
            envelope.html.to_owned(),
        ))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_use_the_sender_domain() {
        let id = new_message_id("maria@empresa.com.br");
        assert!(
            id.starts_with('<') && id.ends_with("@empresa.com.br>"),
            "{id}"
        );
    }

    #[test]
    fn a_message_has_both_parts_threading_and_encoded_accents() {
        let message = message(Envelope {
            from: mailbox("Maria Souza", "maria@empresa.com.br").unwrap(),
            to: mailbox("João", "joao@cliente.com.br").unwrap(),
            reply_to: Some(mailbox("Maria", "maria@crm.com.br").unwrap()),
            subject: "Orçamento de cadeiras — João",
            text: "Olá João",
            html: "<p>Olá João</p>",
            message_id: "<a@empresa.com.br>",
            thread_root: Some("<root@empresa.com.br>"),
        })
        .unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.is_ascii(), "headers and parts are 7-bit encoded: {raw}");
        assert!(raw.contains("In-Reply-To: <root@empresa.com.br>"), "{raw}");
        assert!(raw.contains("References: <root@empresa.com.br>"), "{raw}");
        assert!(raw.contains("Message-ID: <a@empresa.com.br>"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
    }
}
