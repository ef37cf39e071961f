//! One SMTP session on a user's behalf: to an address the outbound guard allows (pinned, so the
//! name is not looked up again between the check and the connection), within one time limit
//! for the whole of it, and with its failure told as a short classified reason. What the far
//! side said is logged, never shown: the test endpoint was a port scanner that printed banners.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crm_outbound::{Allowlist, OutboundError, Refusal};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::model::Security;
use crate::smtp::Account;

/// How sessions are opened: where they may go, what the server calls itself, how long one may
/// take. Shared by the test endpoint and the background sender.
#[derive(Debug, Clone)]
pub struct SmtpPolicy {
    pub allowlist: Arc<Allowlist>,
    pub ehlo_name: String,
    pub timeout: Duration,
}

/// Why a message did not go. The texts are ours (what the user sees and what the outbox keeps).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("address not allowed: {0}")]
    NotAllowed(Refusal),
    #[error("the host name could not be resolved")]
    Unresolved,
    #[error("timed out")]
    TimedOut,
    #[error("connection refused")]
    ConnectionRefused,
    #[error("connection failed")]
    ConnectionFailed,
    #[error("connection lost")]
    ConnectionLost,
    #[error("TLS handshake failed")]
    Tls,
    #[error("the server does not offer STARTTLS, which this mailbox requires")]
    NoStarttls,
    #[error("the server did not answer as an SMTP server")]
    NotSmtp,
    #[error("authentication rejected ({0})")]
    AuthRejected(String),
    #[error("recipient refused ({0})")]
    RecipientRefused(String),
    #[error("message refused for now ({0}); it will be tried again")]
    RefusedForNow(String),
    #[error("message refused ({0})")]
    Refused(String),
    #[error("the SMTP conversation failed")]
    Other,
}

impl From<OutboundError> for SendError {
    fn from(error: OutboundError) -> SendError {
        match error {
            OutboundError::Unresolved => SendError::Unresolved,
            OutboundError::Refused(refusal) => SendError::NotAllowed(refusal),
        }
    }
}

type Smtp = AsyncSmtpTransport<Tokio1Executor>;

impl Account {
    /// Sends `message`; the server's reply code. The whole session (resolving, connecting, the
    /// greeting, every command, the data) has `policy.timeout`: lettre's own timeout covers
    /// the connection only, and a server that accepts and never speaks held a send for minutes.
    pub async fn send(&self, message: &Message, policy: &SmtpPolicy) -> Result<String, SendError> {
        let result = tokio::time::timeout(policy.timeout, self.session(message, policy)).await;
        result.unwrap_or_else(|_| {
            tracing::warn!(host = %self.host, port = self.port, "SMTP session timed out");
            Err(SendError::TimedOut)
        })
    }

    async fn session(&self, message: &Message, policy: &SmtpPolicy) -> Result<String, SendError> {
        let addresses = policy.allowlist.resolve(&self.host, self.port).await;
        let addresses = addresses.inspect_err(|error| {
            tracing::warn!(host = %self.host, %error, "SMTP host refused by the outbound guard");
        })?;
        let mut outcome = Err(SendError::Unresolved);
        // Like lettre with a name: the next address only when nothing was said on this one.
        for address in addresses {
            outcome = self.send_to(address, message, policy).await;
            if !matches!(
                outcome,
                Err(SendError::ConnectionRefused | SendError::ConnectionFailed)
            ) {
                break;
            }
        }
        outcome
    }

    async fn send_to(
        &self,
        address: SocketAddr,
        message: &Message,
        policy: &SmtpPolicy,
    ) -> Result<String, SendError> {
        let transport = self.transport(address, policy).map_err(|error| {
            tracing::warn!(host = %self.host, error = %chain(&error), "SMTP transport not built");
            SendError::Tls
        })?;
        let result = transport.send(message.clone()).await;
        transport.shutdown().await;
        match result {
            Ok(response) => Ok(response.code().to_string()),
            Err(error) => {
                let reason = classify(&error);
                tracing::warn!(
                    host = %self.host, %address, error = %chain(&error), %reason, "SMTP send failed"
                );
                Err(reason)
            }
        }
    }

    /// A transport to the checked `address`; TLS still verifies the certificate against the
    /// mailbox's host name.
    fn transport(
        &self,
        address: SocketAddr,
        policy: &SmtpPolicy,
    ) -> Result<Smtp, lettre::transport::smtp::Error> {
        let tls = match self.security {
            Security::Tls => Tls::Wrapper(TlsParameters::new(self.tls_name())?),
            // Required, not opportunistic: without STARTTLS nothing is sent, AUTH included.
            Security::Starttls => Tls::Required(TlsParameters::new(self.tls_name())?),
            Security::None => Tls::None,
        };
        let mut builder = Smtp::builder_dangerous(address.ip().to_string())
            .port(address.port())
            .tls(tls)
            .hello_name(ClientId::Domain(policy.ehlo_name.clone()))
            .timeout(Some(policy.timeout));
        if let Some((user, password)) = &self.credentials {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(builder.build())
    }

    fn tls_name(&self) -> String {
        self.host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned()
    }
}

/// The short reason for a lettre error. The server's words stay out; its reply code is ours
/// to show (three digits tell the user what to fix without repeating what it said).
fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    if error.is_timeout() {
        return SendError::TimedOut;
    }
    if let Some(code) = error.status() {
        let code = code.to_string();
        return match code.as_str() {
            "454" | "530" | "534" | "535" | "538" => SendError::AuthRejected(code),
            "550" | "551" | "553" => SendError::RecipientRefused(code),
            _ if code.starts_with('4') => SendError::RefusedForNow(code),
            _ => SendError::Refused(code),
        };
    }
    if error.is_tls() {
        return SendError::Tls;
    }
    if error.is_response() {
        return SendError::NotSmtp;
    }
    if error.is_client() {
        // lettre's own words, not the server's.
        let text = error.to_string();
        return if text.contains("STARTTLS") {
            SendError::NoStarttls
        } else {
            SendError::Other
        };
    }
    match io_kind(error) {
        Some(std::io::ErrorKind::ConnectionRefused) => SendError::ConnectionRefused,
        Some(std::io::ErrorKind::InvalidData) => SendError::Tls,
        Some(
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof,
        ) => SendError::ConnectionLost,
        _ if error.to_string().starts_with("network") => SendError::ConnectionLost,
        _ => SendError::ConnectionFailed,
    }
}

fn io_kind(error: &dyn std::error::Error) -> Option<std::io::ErrorKind> {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = cause.source();
    }
    None
}

/// The error with its causes, on one line, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}
