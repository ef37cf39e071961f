//! The background sender: claims due messages from the outbox, sends them through their
//! sender's mailbox, and records the outcome on the message and on its interaction. Failed
//! attempts are retried with exponential backoff until `max_attempts`; nothing is deleted.
//!
//! A claimed message is leased (`locked_until`), not held in an open transaction while the SMTP
//! conversation runs. If the process dies after the server took the message but before the
//! outcome was recorded, the lease runs out and the message is sent once more.
//!
//! Each mailbox's messages go one after the other (in order, one connection at a time to its
//! server), and mailboxes go side by side: a server that answers slowly or never holds up its
//! own messages only. The running loop keeps claiming for the other mailboxes while a slow one
//! is busy, and never claims for a mailbox whose messages are still being sent.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crm_entity::outbox;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::{Semaphore, watch};
use tokio::task::{Id, JoinError, JoinHandle, JoinSet};
use uuid::Uuid;

use crate::MailError;
use crate::crypto::Cipher;
use crate::outcome::{Outcome, Outcomes};
use crate::repo;
use crate::session::{SendError, SmtpPolicy};
use crate::settings::MailSettings;
use crate::smtp::{self, Account, Envelope, mailbox};

/// Mailboxes whose messages are sent at once. Each holds one connection for up to the SMTP
/// timeout; a few at a time keep a burst from opening a connection per message.
const MAILBOXES_AT_ONCE: usize = 8;

/// The running sender task.
pub struct SenderHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SenderHandle {
    /// Lets the message each mailbox is sending finish (its outcome is recorded), then ends the
    /// task; the rest of what was claimed waits for its lease to run out.
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
    policy: SmtpPolicy,
    slots: Arc<Semaphore>,
    outcomes: Arc<dyn Outcomes>,
}

/// What a mailbox's task gives back: its sender and how many messages it tried (or the
/// database error that stopped it).
type Done = (Uuid, Result<usize, DbErr>);

impl Sender {
    /// Fails on a malformed `mail.allowed_hosts`.
    pub fn new(
        db: DatabaseConnection,
        cipher: Cipher,
        settings: MailSettings,
        outcomes: Arc<dyn Outcomes>,
    ) -> Result<Self, MailError> {
        Ok(Self {
            db,
            cipher,
            outcomes,
            policy: settings.smtp_policy()?,
            settings,
            slots: Arc::new(Semaphore::new(MAILBOXES_AT_ONCE)),
        })
    }

    /// Claims every `sender_interval_ms` (and whenever a mailbox finishes) until
    /// [`SenderHandle::stop`] (or until the handle is dropped).
    pub fn spawn(self) -> SenderHandle {
        let (stop_tx, mut stop) = watch::channel(false);
        let task = tokio::spawn(async move {
            let interval = self.settings.sender_interval();
            let mut running: JoinSet<Done> = JoinSet::new();
            // The mailboxes being sent for, by the task sending.
            let mut busy: HashMap<Id, Uuid> = HashMap::new();
            loop {
                while let Some(done) = running.try_join_next_with_id() {
                    finished(done, &mut busy);
                }
                if busy.len() < MAILBOXES_AT_ONCE {
                    let skip: HashSet<Uuid> = busy.values().copied().collect();
                    match self.claim(&skip).await {
                        Ok((claimed, lease)) => {
                            for (sender, messages) in by_sender(claimed) {
                                let task = self.clone().mailbox_task(
                                    sender,
                                    messages,
                                    lease,
                                    Some(stop.clone()),
                                );
                                busy.insert(running.spawn(task).id(), sender);
                            }
                        }
                        Err(error) => {
                            tracing::warn!(%error, "mail sender: claim failed; trying again later");
                        }
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    Some(done) = running.join_next_with_id(), if !running.is_empty() => {
                        finished(done, &mut busy);
                    }
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            break;
                        }
                    }
                }
            }
            while let Some(done) = running.join_next_with_id().await {
                finished(done, &mut busy);
            }
        });
        SenderHandle {
            stop: stop_tx,
            task,
        }
    }

    /// Claims the due messages and tries each once, waiting for all of them; how many were
    /// tried.
    pub async fn run_once(&self) -> Result<usize, DbErr> {
        let (claimed, lease) = self.claim(&HashSet::new()).await?;
        let mut running = JoinSet::new();
        for (sender, messages) in by_sender(claimed) {
            running.spawn(self.clone().mailbox_task(sender, messages, lease, None));
        }
        let mut tried = 0;
        let mut failure = None;
        while let Some(done) = running.join_next().await {
            match done {
                Ok((_, Ok(count))) => tried += count,
                Ok((_, Err(error))) => failure = failure.or(Some(error)),
                Err(error) => tracing::error!(%error, "mail sender: a mailbox task failed"),
            }
        }
        failure.map_or(Ok(tried), Err)
    }

    /// One mailbox's claimed messages, in order; with `stop`, the ones not yet tried when it
    /// turns `true` are left for their lease to run out.
    async fn mailbox_task(
        self,
        sender: Uuid,
        messages: Vec<outbox::Model>,
        lease: DateTime<Utc>,
        stop: Option<watch::Receiver<bool>>,
    ) -> Done {
        let Ok(_slot) = self.slots.clone().acquire_owned().await else {
            return (sender, Ok(0));
        };
        let mut tried = 0;
        for message in messages {
            if stop.as_ref().is_some_and(|stop| *stop.borrow()) {
                break;
            }
            match self.deliver(message, lease).await {
                Ok(true) => tried += 1,
                Ok(false) => {}
                Err(error) => return (sender, Err(error)),
            }
        }
        (sender, Ok(tried))
    }

    /// The due messages of mailboxes not in `busy`, leased until the returned time.
    async fn claim(
        &self,
        busy: &HashSet<Uuid>,
    ) -> Result<(Vec<outbox::Model>, DateTime<Utc>), DbErr> {
        let now = crm_core::time::now();
        let lease = now + self.settings.lease();
        let busy: Vec<Uuid> = busy.iter().copied().collect();
        let txn = self.db.begin().await?;
        let due = repo::due_messages(&txn, now, self.settings.batch_size.max(1), &busy).await?;
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
                let sent = Outcome::Sent {
                    message_id: &message_id,
                };
                self.outcomes.record(&txn, interaction, sent).await?;
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
                let interaction = message.interaction_id;
                repo::save_message(&txn, message).await?;
                let outcome = if give_up {
                    Outcome::Failed { error: &error }
                } else {
                    Outcome::Retrying { error: &error }
                };
                self.outcomes.record(&txn, interaction, outcome).await?;
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
        Ok(
            send(&account, message, thread_root.as_deref(), &self.policy)
                .await
                .map(|()| thread_root),
        )
    }
}

/// The claimed messages by sender, each sender's in the order claimed (oldest due first).
fn by_sender(claimed: Vec<outbox::Model>) -> BTreeMap<Uuid, Vec<outbox::Model>> {
    let mut groups: BTreeMap<Uuid, Vec<outbox::Model>> = BTreeMap::new();
    for message in claimed {
        groups.entry(message.sender_id).or_default().push(message);
    }
    groups
}

/// Frees the finished task's mailbox for the next claim.
fn finished(done: Result<(Id, Done), JoinError>, busy: &mut HashMap<Id, Uuid>) {
    match done {
        Ok((id, (_, result))) => {
            busy.remove(&id);
            if let Err(error) = result {
                tracing::warn!(%error, "mail sender: a mailbox's round failed; trying again later");
            }
        }
        Err(error) => {
            busy.remove(&error.id());
            tracing::error!(%error, "mail sender: a mailbox task failed");
        }
    }
}

/// One send; the outbox keeps the classified reason, never the server's words.
async fn send(
    account: &Account,
    message: &outbox::Model,
    thread_root: Option<&str>,
    policy: &SmtpPolicy,
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
    account
        .send(&email, policy)
        .await
        .map(|_| ())
        .map_err(|error: SendError| error.to_string())
}
