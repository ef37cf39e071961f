//! The caller's own mailbox: SMTP settings with a write-only, encrypted password, and a test that
//! sends a message through it.

use std::time::Instant;

use crm_core::{Actor, FieldError, FieldErrors};
use crm_entity::mailboxes;
use crm_outbound::OutboundError;
use sea_orm::TransactionTrait;

use crate::crypto::Secret;
use crate::dto::{MailboxResponse, MailboxTestResponse, PutMailboxRequest, mailbox_response};
use crate::model::{self, Security, address, header_text, host, port};
use crate::smtp::{self, Account, Envelope};
use crate::template::html_body;
use crate::{MailError, MailService, repo};

/// A mailbox as stored, before the password is dealt with.
struct Fields {
    sender_name: String,
    sender_address: String,
    smtp_host: String,
    smtp_port: i32,
    username: Option<String>,
    password: Option<Secret>,
}

impl MailService {
    #[tracing::instrument(name = "mail.mailbox", skip_all, fields(user = %actor.user_id))]
    pub async fn mailbox(&self, actor: &Actor) -> Result<MailboxResponse, MailError> {
        repo::mailbox(&self.db, actor.user_id)
            .await?
            .map(mailbox_response)
            .ok_or(MailError::MailboxNotFound)
    }

    /// Creates or replaces the caller's mailbox; `true` when it was created. A request without
    /// `password` keeps the stored one, but only for the same server, port, security and user
    /// name: the password is not handed to a server it was not typed for.
    #[tracing::instrument(name = "mail.put_mailbox", skip_all, fields(user = %actor.user_id))]
    pub async fn put_mailbox(
        &self,
        actor: &Actor,
        request: PutMailboxRequest,
        if_match: Option<i32>,
    ) -> Result<(MailboxResponse, bool), MailError> {
        let fields = parse(&request)?;
        self.check_host(&fields.smtp_host, fields.smtp_port).await?;
        let txn = self.db.begin().await?;
        let current = repo::mailbox(&txn, actor.user_id).await?;
        if let Some(version) = if_match
            && current.as_ref().is_none_or(|c| c.version != version)
        {
            return Err(MailError::VersionMismatch);
        }
        let stored_password = current.as_ref().and_then(|c| c.password_encrypted.clone());
        let password_encrypted = match (&fields.username, &fields.password) {
            (None, _) => None,
            (Some(_), Some(password)) => Some(self.cipher.encrypt(actor.user_id, password)?),
            (Some(_), None) => {
                let stored = stored_password.ok_or_else(|| {
                    FieldErrors::single(
                        "password",
                        "required",
                        "no password is stored yet: send one with the user name",
                    )
                })?;
                if let Some(current) = &current
                    && let Some(what) = changed(current, &fields, request.security)
                {
                    let message = format!("the {what} changed: send the password again");
                    return Err(
                        FieldErrors::single("password", "password_required", message).into(),
                    );
                }
                Some(stored)
            }
        };
        let row = mailboxes::Model {
            user_id: actor.user_id,
            sender_name: fields.sender_name,
            sender_address: fields.sender_address,
            smtp_host: fields.smtp_host,
            smtp_port: fields.smtp_port,
            security: request.security.as_str().to_owned(),
            username: fields.username,
            password_encrypted,
            version: current.as_ref().map_or(1, |c| c.version + 1),
            updated_at: crm_core::time::now(),
        };
        let created = match &current {
            None => {
                repo::insert_mailbox(&txn, row.clone()).await?;
                true
            }
            Some(current) => {
                if !repo::update_mailbox(&txn, row.clone(), current.version).await? {
                    return Err(MailError::VersionMismatch);
                }
                false
            }
        };
        txn.commit().await?;
        Ok((mailbox_response(row), created))
    }

    #[tracing::instrument(name = "mail.delete_mailbox", skip_all, fields(user = %actor.user_id))]
    pub async fn delete_mailbox(&self, actor: &Actor) -> Result<(), MailError> {
        if repo::delete_mailbox(&self.db, actor.user_id).await? {
            Ok(())
        } else {
            Err(MailError::MailboxNotFound)
        }
    }

    /// Refuses a host that resolves only to internal addresses (the allowlist aside), naming
    /// `smtp_host`. A host that does not resolve (now) is accepted: DNS may be down for a
    /// moment or the name not published yet, and every send checks again before connecting.
    async fn check_host(&self, host: &str, port: i32) -> Result<(), FieldErrors> {
        let port = u16::try_from(port).unwrap_or(25);
        let lookup = self.policy.allowlist.resolve(host, port);
        match tokio::time::timeout(self.policy.timeout, lookup).await {
            Ok(Err(OutboundError::Refused(refusal))) => Err(FieldErrors::single(
                "smtp_host",
                "address_not_allowed",
                format!(
                    "resolves to {refusal}, which the server may not connect to \
                     (an administrator can allow it with mail.allowed_hosts)"
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Connects, authenticates and sends a test message to the mailbox's own address.
    #[tracing::instrument(name = "mail.test_mailbox", skip_all, fields(user = %actor.user_id))]
    pub async fn test_mailbox(&self, actor: &Actor) -> Result<MailboxTestResponse, MailError> {
        self.tests
            .take(actor.user_id, Instant::now())
            .map_err(|retry_after| MailError::TooManyTests { retry_after })?;
        let row = repo::mailbox(&self.db, actor.user_id)
            .await?
            .ok_or(MailError::MailboxNotConfigured)?;
        let account = Account::from_row(&row, &self.cipher)?;
        let from = account.from_mailbox().map_err(MailError::Smtp)?;
        let message_id = smtp::new_message_id(&row.sender_address);
        let text = "Esta é uma mensagem de teste do CRM Atendimentos.\n\n\
                    Se ela chegou, a sua caixa de e-mail está configurada e o CRM pode enviar \
                    as notificações das suas interações.";
        let message = smtp::message(Envelope {
            to: from.clone(),
            from,
            reply_to: None,
            subject: "Teste de envio do CRM Atendimentos",
            text,
            html: &html_body(text),
            message_id: &message_id,
            thread_root: None,
        })
        .map_err(MailError::Smtp)?;
        let answer = account.send(&message, &self.policy).await?;
        Ok(MailboxTestResponse {
            sent_to: row.sender_address,
            message_id,
            smtp_response: answer,
        })
    }
}

/// What changed that the stored password was given for, if anything.
fn changed(current: &mailboxes::Model, new: &Fields, security: Security) -> Option<&'static str> {
    if current.smtp_host != new.smtp_host {
        Some("host")
    } else if current.smtp_port != new.smtp_port {
        Some("port")
    } else if current.security != security.as_str() {
        Some("security mode")
    } else if current.username != new.username {
        Some("user name")
    } else {
        None
    }
}

fn parse(request: &PutMailboxRequest) -> Result<Fields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let sender_name = errors.check(header_text("sender_name", &request.sender_name, 120));
    let sender_address = errors.check(address("sender_address", &request.sender_address));
    let smtp_host = errors.check(host("smtp_host", &request.smtp_host));
    let smtp_port = errors.check(port("smtp_port", request.smtp_port));
    let username = request
        .username
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .and_then(|u| errors.check(header_text("username", u, 254)));
    let password = request
        .password
        .as_deref()
        .and_then(|p| errors.check(model::password("password", p)));
    if password.is_some() && username.is_none() && errors.is_empty() {
        errors.0.push(FieldError::new(
            "password",
            "username_required",
            "a password is only used with a user name; send username too",
        ));
    }
    errors.clone().into_result()?;
    match (sender_name, sender_address, smtp_host, smtp_port) {
        (Some(sender_name), Some(sender_address), Some(smtp_host), Some(smtp_port)) => Ok(Fields {
            sender_name,
            sender_address,
            smtp_host,
            smtp_port,
            username,
            password,
        }),
        _ => Err(errors),
    }
}
