//! argon2id hashing. Hashing is deliberately slow, so it runs on the blocking pool, never on the
//! async workers.

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::{AuthError, AuthSettings};

#[derive(Clone)]
pub struct PasswordHashing {
    params: Params,
    /// A hash of a random password, verified when the e-mail is unknown so that a wrong e-mail
    /// takes as long as a wrong password (no user enumeration by timing).
    dummy_hash: String,
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
        let dummy_hash = hash_with(&params, &crate::service::generate_password())?;
        Ok(Self { params, dummy_hash })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AuthError> {
        let params = self.params.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_with(&params, &password))
            .await
            .map_err(|e| AuthError::Hashing(e.to_string()))?
    }

    /// Whether `password` matches `hash`; with `None` the dummy hash is checked (always false).
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let (hash, real) = match hash {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy_hash.clone(), false),
        };
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            // The parameters stored in the hash are used, so old hashes keep verifying after
            // the settings change.
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false);
        matches && real
    }
}

fn hash_with(params: &Params, password: &str) -> Result<String, AuthError> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError::Hashing(e.to_string()))
}
