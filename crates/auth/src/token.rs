//! Access tokens: JWT signed with HS256 only (the algorithm is pinned, so `alg: none` or an
//! RS/HS confusion is rejected), with `iss`, `aud`, `exp` required and `nbf` checked. A token
//! living longer than the configured lifetime (`exp - iat`), or issued in the future, is refused
//! even when signed with our key: a leaked key or a bug must not mint tokens good for a year.
//! Refresh tokens: 256 random bits, of which only the SHA-256 is stored.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{AuthError, AuthSettings};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The session (refresh-token family) this token belongs to.
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    /// Not before: written equal to `iat`. Absent from tokens issued before it was written,
    /// which keep working until they expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub exp: i64,
}

/// Seconds of clock difference tolerated between instances.
const LEEWAY: i64 = 5;

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: i64,
}

impl JwtKeys {
    pub fn new(settings: &AuthSettings) -> Self {
        let secret = settings.jwt_secret.as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY.unsigned_abs();
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: settings.access_ttl(),
        }
    }

    /// Lifetime of the access tokens this issues, in seconds.
    pub fn ttl(&self) -> i64 {
        self.ttl
    }

    pub fn issue(&self, user_id: Uuid, session_id: Uuid) -> Result<String, AuthError> {
        let now = crm_core::time::now().timestamp();
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: Some(now),
            exp: now + self.ttl,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Hashing(e.to_string()))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| AuthError::InvalidToken)?;
        let now = crm_core::time::now().timestamp();
        let lifetime = claims.exp.saturating_sub(claims.iat);
        if lifetime > self.ttl || claims.iat > now + LEEWAY {
            return Err(AuthError::InvalidToken);
        }
        Ok(claims)
    }
}

/// A new opaque refresh token and the hash to store.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
