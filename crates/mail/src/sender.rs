//! The background sender: claims due messages from the outbox, sends them through their
//! sender's mailbox, and records the outcome on the message and on its interaction. Failed
//! attempts are retried with exponential backoff until `max_attempts`; nothing is deleted.
//!
//! A claimed message is leased (`locked_until`), not held in an open transaction while the SMTP
//! conversation runs. If the process dies after the server took the message but before the
//! outcome was recorded, the lease runs out and the message is sent once more.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crm_entity::outbox;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::crypto::Cipher;
use crate::repo;
use crate::settings::MailSettings;
use crate::smtp::{self, Account, Envelope, mailbox};

/// The running sender task.
pub struct SenderHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SenderHandle {
    /// Lets the message being sent finish (its outcome is recorded), then ends the task.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

#[derive(Clone)]
pub struct Sender {
    db: DatabaseConnection,
    cipher: Cipher,
    settings: MailSettings,
}

impl Sender {
    pub fn new(db: DatabaseConnection, cipher: Cipher, settings: MailSettings) -> Self {
        Self {
            db,
            cipher,
            settings,
        }
    }

    /// Runs rounds every `sender_interval_ms` until [`SenderHandle::stop`] (or until the handle
    /// is dropped).
    pub fn spawn(self) -> SenderHandle {
        let (stop_tx, mut stop) = watch::channel(false);
        let task = tokio::spawn(async move {
            let interval = self.settings.sender_interval();
            loop {
                if let Err(error) = self.round(Some(&stop)).await {
                    tracing::warn!(%error, "mail sender: round failed; trying again later");
                }
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            break;
                        }
                    }
                }
            }
        });
        SenderHandle {
            stop: stop_tx,
            task,
        }
    }

    /// Claims the due messages and tries each once; how many were tried.
    pub async fn run_once(&self) -> Result<usize, DbErr> {
        self.round(None).await
    }

    /// One round; with `stop`, the messages not yet tried when it turns `true` are left for
    /// the next start (their lease runs out), so shutting down waits for one send at most.
    async fn round(&self, stop: Option<&watch::Receiver<bool>>) -> Result<usize, DbErr> {
        let (claimed, lease) = self.claim().await?;
        let mut tried = 0;
        for message in claimed {
            if stop.is_some_and(|stop| *stop.borrow()) {
                break;
            }
            if self.deliver(message, lease).await? {
                tried += 1;
            }
        }
        Ok(tried)
    }

    /// The due messages, leased until the returned time.
    async fn claim(&self) -> Result<(Vec<outbox::Model>, DateTime<Utc>), DbErr> {
        let now = crm_core::time::now();
        let lease = now + self.settings.lease();
        let txn = self.db.begin().await?;
        let due = repo::due_messages(&txn, now, self.settings.batch_size.max(1)).await?;
        if !due.is_empty() {
            let ids: Vec<_> = due.iter().map(|m| m.id).collect();
            repo::lease(&txn, &ids, lease).await?;
            txn.commit().await?;
        }
        Ok((due, lease))
    }

    /// Sends the message unless its lease ran out while earlier ones of the round were sent
    /// (another sender may have it now); whether it was tried.
    async fn deliver(
        &self,
        mut message: outbox::Model,
        lease: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let renewed = crm_core::time::now() + self.settings.lease();
        if !repo::renew_lease(&self.db, message.id, lease, renewed).await? {
            return Ok(false);
        }
        let outcome = self.attempt(&message).await?;
        let now = crm_core::time::now();
        message.attempts += 1;
        message.locked_until = None;
        let txn = self.db.begin().await?;
        match outcome {
            Ok(thread_root) => {
                tracing::info!(outbox_id = %message.id, attempts = message.attempts, "mail sent");
                message.status = "sent".to_owned();
                message.sent_at = Some(now);
                message.in_reply_to.clone_from(&thread_root);
                message.references = thread_root;
                message.last_error = None;
                let (interaction, message_id) =
                    (message.interaction_id, message.message_id.clone());
                repo::save_message(&txn, message).await?;
                repo::set_notification(&txn, interaction, "sent", None, Some(message_id)).await?;
            }
            Err(error) => {
                let attempts = u32::try_from(message.attempts).unwrap_or(u32::MAX);
                let give_up = attempts >= self.settings.max_attempts;
                tracing::warn!(
                    outbox_id = %message.id, attempts, give_up, %error, "mail not sent"
                );
                if give_up {
                    message.status = "failed".to_owned();
                } else {
                    message.next_attempt_at = now + self.settings.backoff(attempts);
                }
                message.last_error = Some(error.clone());
                let status = if give_up { "failed" } else { "pending" };
                let interaction = message.interaction_id;
                repo::save_message(&txn, message).await?;
                repo::set_notification(&txn, interaction, status, Some(error), None).await?;
            }
        }
        txn.commit().await?;
        Ok(true)
    }

    /// One try: `Ok(Ok(thread root))` when the server took the message, `Ok(Err(why))` when it
    /// did not (or could not be reached); `Err` only for database trouble.
    async fn attempt(
        &self,
        message: &outbox::Model,
    ) -> Result<Result<Option<String>, String>, DbErr> {
        let Some(row) = repo::mailbox(&self.db, message.sender_id).await? else {
            return Ok(Err(
                "the sender has no mailbox any more; configure it at /me/mailbox".to_owned(),
            ));
        };
        let account = match Account::from_row(&row, &self.cipher) {
            Ok(account) => account,
            Err(error) => return Ok(Err(error.to_string())),
        };
        let thread_root = repo::thread_root(&self.db, message.attendance_id).await?;
        let timeout = self.settings.smtp_timeout();
        Ok(send(&account, message, thread_root.as_deref(), timeout)
            .await
            .map(|()| thread_root))
    }
}

async fn send(
    account: &Account,
    message: &outbox::Model,
    thread_root: Option<&str>,
    timeout: Duration,
) -> Result<(), String> {
    let email = smtp::message(Envelope {
        from: account.from_mailbox()?,
        to: mailbox(&message.to_name, &message.to_address)?,
        reply_to: Some(mailbox("", &message.reply_to)?),
        subject: &message.subject,
        text: &message.text_body,
        html: &message.html_body,
        message_id: &message.message_id,
        thread_root,
    })?;
    account.send(&email, timeout).await.map(|_| ())
}
