//! argon2id hashing. Hashing is deliberately slow, so it runs on the blocking pool, never on the
//! async workers; and it is memory-hard (19 MiB a hash), so only a few run at once.
//!
//! Without a bound, 64 concurrent logins made 64 blocking threads hash at once: 2.8 GB of RSS,
//! never given back, as glibc keeps what each thread's arena once held (issue 12, point 2).
//! A semaphore sized to the cores keeps at most that many hashes alive, each in working memory
//! reused from hash to hash ([`crate::argon`]); a request that cannot get a turn within
//! `auth.hash_queue_ms` is answered 503 with `Retry-After` rather than piling up behind the others.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::Params;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::argon::{self, Memory};
use crate::{AuthError, AuthSettings};

/// Seconds a client refused for lack of a turn is told to wait: a hash takes tens of
/// milliseconds, so the queue has moved on by then.
const BUSY_RETRY_AFTER: u64 = 1;

#[derive(Clone)]
pub struct PasswordHashing {
    params: Params,
    /// A hash of a random password, verified when the e-mail is unknown so that a wrong e-mail
    /// takes as long as a wrong password (no user enumeration by timing).
    dummy_hash: String,
    turns: Arc<Semaphore>,
    queue_wait: Duration,
    /// The working memory of the turns not running now: at most one per turn.
    memories: Arc<Mutex<Vec<Memory>>>,
}

/// A hashing turn and its working memory, given back together when the hash is done.
struct Turn {
    _permit: OwnedSemaphorePermit,
    memory: Memory,
    memories: Arc<Mutex<Vec<Memory>>>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Ok(mut memories) = self.memories.lock() {
            memories.push(std::mem::take(&mut self.memory));
        }
    }
}

impl PasswordHashing {
    pub fn new(settings: &AuthSettings) -> Result<Self, AuthError> {
        let params = Params::new(
            settings.argon2_memory_kib,
            settings.argon2_iterations,
            settings.argon2_parallelism,
            None,
        )
        .map_err(|e| AuthError::Hashing(e.to_string()))?;
        let mut memory = Memory::new();
        let dummy_hash = argon::hash(&params, &crate::service::generate_password(), &mut memory)?;
        Ok(Self {
            params,
            dummy_hash,
            turns: Arc::new(Semaphore::new(settings.max_concurrent_hashes())),
            queue_wait: settings.hash_queue_wait(),
            memories: Arc::new(Mutex::new(vec![memory])),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AuthError> {
        let mut turn = self.turn().await?;
        let params = self.params.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            // The turn is held by the hashing itself: a client that gives up does not free
            // it while its hash still runs.
            argon::hash(&params, &password, &mut turn.memory)
        })
        .await
        .map_err(|e| AuthError::Hashing(e.to_string()))?
    }

    /// Whether `password` matches `hash`; with `None` the dummy hash is checked (always false).
    /// `Err(Busy)` when no turn came within the queue wait.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AuthError> {
        let (hash, real) = match hash {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy_hash.clone(), false),
        };
        let mut turn = self.turn().await?;
        let password = password.to_owned();
        let matches =
            tokio::task::spawn_blocking(move || argon::verify(&password, &hash, &mut turn.memory))
                .await
                .unwrap_or(false);
        Ok(matches && real)
    }

    async fn turn(&self) -> Result<Turn, AuthError> {
        match tokio::time::timeout(self.queue_wait, Arc::clone(&self.turns).acquire_owned()).await {
            Ok(Ok(permit)) => {
                let mut memory = self
                    .memories
                    .lock()
                    .ok()
                    .and_then(|mut memories| memories.pop())
                    .unwrap_or_default();
                // Sized for the current settings whatever hash it meets first: a turn that first
                // met an older, cheaper hash would otherwise stay too small and allocate 19 MiB
                // afresh for every hash after it.
                let blocks = self.params.block_count();
                if memory.len() < blocks {
                    memory.resize(blocks, argon2::Block::default());
                }
                Ok(Turn {
                    _permit: permit,
                    memory,
                    memories: Arc::clone(&self.memories),
                })
            }
            // The semaphore is never closed; a closed one would mean shutting down.
            Ok(Err(_)) | Err(_) => {
                tracing::warn!("password hashing busy: a request waited its whole turn");
                Err(AuthError::Busy {
                    retry_after: BUSY_RETRY_AFTER,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max: usize, queue_ms: u64) -> AuthSettings {
        let mut settings = AuthSettings::for_tests();
        settings.max_concurrent_hashes = max;
        settings.hash_queue_ms = queue_ms;
        settings
    }

    #[tokio::test]
    async fn a_hash_waiting_longer_than_the_queue_allows_is_busy_with_a_retry_after() {
        let hashing = PasswordHashing::new(&settings(1, 10)).unwrap();
        let held = Arc::clone(&hashing.turns).acquire_owned().await.unwrap();

        let error = hashing.verify("whatever", None).await.unwrap_err();

        assert!(
            matches!(error, AuthError::Busy { retry_after: 1 }),
            "{error:?}"
        );
        drop(held);
        assert!(!hashing.verify("whatever", None).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_verify_and_give_their_turn_back() {
        let hashing = PasswordHashing::new(&settings(1, 2000)).unwrap();
        let hash = hashing.hash("correct horse battery").await.unwrap();

        assert!(
            hashing
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hashing
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert_eq!(hashing.turns.available_permits(), 1);
    }
}
