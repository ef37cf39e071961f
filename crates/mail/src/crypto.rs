//! Mailbox passwords at rest: ChaCha20-Poly1305 with a key from the settings. Each password is
//! stored as base64(nonce ‖ ciphertext), with the owner's id as associated data, so a ciphertext
//! copied onto another user's row does not decrypt.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use uuid::Uuid;

const NONCE_LEN: usize = 12;

/// Why a key or a stored password cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("mail.secret_key must be the base64 encoding of exactly 32 bytes")]
    InvalidKey,
    #[error("the system's random number generator failed")]
    Random,
    #[error("a stored mailbox password cannot be decrypted with the configured mail.secret_key")]
    Undecryptable,
}

/// A secret text (a password) that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The cipher of mailbox passwords.
#[derive(Clone)]
pub struct Cipher(ChaCha20Poly1305);

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(<redacted>)")
    }
}

impl Cipher {
    /// From `mail.secret_key`: base64 of 32 bytes.
    pub fn from_base64(key: &str) -> Result<Cipher, CryptoError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| CryptoError::InvalidKey)?;
        ChaCha20Poly1305::new_from_slice(&bytes)
            .map(Cipher)
            .map_err(|_| CryptoError::InvalidKey)
    }

    pub fn encrypt(&self, owner: Uuid, secret: &Secret) -> Result<String, CryptoError> {
        let nonce = Nonce::try_generate().map_err(|_| CryptoError::Random)?;
        let payload = Payload {
            msg: secret.expose().as_bytes(),
            aad: owner.as_bytes(),
        };
        let ciphertext = self
            .0
            .encrypt(&nonce, payload)
            .map_err(|_| CryptoError::Random)?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&ciphertext);
        Ok(STANDARD.encode(stored))
    }

    pub fn decrypt(&self, owner: Uuid, stored: &str) -> Result<Secret, CryptoError> {
        let bytes = STANDARD
            .decode(stored)
            .map_err(|_| CryptoError::Undecryptable)?;
        if bytes.len() < NONCE_LEN {
            return Err(CryptoError::Undecryptable);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| CryptoError::Undecryptable)?;
        let payload = Payload {
            msg: ciphertext,
            aad: owner.as_bytes(),
        };
        let plain = self
            .0
            .decrypt(&nonce, payload)
            .map_err(|_| CryptoError::Undecryptable)?;
        String::from_utf8(plain)
            .map(Secret)
            .map_err(|_| CryptoError::Undecryptable)
    }
}

/// A fresh random key, base64-encoded, for `mail.secret_key` or `crm-mail.key`.
pub fn generate_key() -> Result<String, CryptoError> {
    let key = Key::try_generate().map_err(|_| CryptoError::Random)?;
    Ok(STANDARD.encode(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> Cipher {
        Cipher::from_base64(&generate_key().unwrap()).unwrap()
    }

    #[test]
    fn a_password_round_trips_and_is_not_stored_in_clear() {
        let cipher = cipher();
        let owner = Uuid::now_v7();
        let secret = Secret::new("senha-do-smtp-ção".to_owned());
        let stored = cipher.encrypt(owner, &secret).unwrap();
        assert!(!stored.contains("senha"));
        assert_eq!(cipher.decrypt(owner, &stored).unwrap(), secret);
        // A fresh nonce each time: the same password never gives the same text.
        assert_ne!(cipher.encrypt(owner, &secret).unwrap(), stored);
    }

    #[test]
    fn another_owner_or_another_key_cannot_decrypt() {
        let cipher = cipher();
        let stored = cipher
            .encrypt(Uuid::now_v7(), &Secret::new("x".to_owned()))
            .unwrap();
        assert!(cipher.decrypt(Uuid::now_v7(), &stored).is_err());
        let owner = Uuid::now_v7();
        let stored = cipher.encrypt(owner, &Secret::new("x".to_owned())).unwrap();
        assert!(self::cipher().decrypt(owner, &stored).is_err());
        assert!(cipher.decrypt(owner, "not base64!").is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(Cipher::from_base64("").is_err());
        assert!(Cipher::from_base64(&STANDARD.encode([0u8; 16])).is_err());
        assert!(Cipher::from_base64(&STANDARD.encode([0u8; 32])).is_ok());
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let secret = Secret::new("hunter2".to_owned());
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{:?}", cipher()).contains("Chacha"));
    }
}
