//! Login, refresh, logout and the authentication of each request.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::Utc;
use crm_core::{Actor, Role};
use crm_entity::users;
use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

use crate::dto::TokenResponse;
use crate::model::NewUser;
use crate::password::PasswordHashing;
use crate::session_cache::SessionCache;
use crate::token::{JwtKeys, hash_refresh_token, new_refresh_token};
use crate::{AuthError, AuthSettings, repo, throttle};

/// A fresh access token and the refresh token that continues the session.
pub type TokenPair = TokenResponse;

#[derive(Clone)]
pub struct AuthService {
    pub(crate) db: DatabaseConnection,
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) settings: AuthSettings,
    pub(crate) keys: JwtKeys,
    pub(crate) passwords: PasswordHashing,
    pub(crate) sessions: SessionCache,
}

impl AuthService {
    pub fn new(db: DatabaseConnection, settings: AuthSettings) -> Result<Self, AuthError> {
        let keys = JwtKeys::new(&settings);
        let passwords = PasswordHashing::new(&settings)?;
        let sessions = SessionCache::new(settings.session_check_ttl());
        Ok(Self {
            db,
            inner: Arc::new(Inner {
                settings,
                keys,
                passwords,
                sessions,
            }),
        })
    }

    /// The same service on another connection pool (each server worker has its own), sharing
    /// its keys and its cache of checked sessions.
    #[must_use]
    pub fn on(&self, db: DatabaseConnection) -> Self {
        Self {
            db,
            inner: Arc::clone(&self.inner),
        }
    }

    #[tracing::instrument(name = "auth.login", skip_all)]
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: Option<IpAddr>,
    ) -> Result<TokenPair, AuthError> {
        let now = crm_core::time::now();
        let email_key = crm_core::text::clean(email).to_lowercase();
        let keys = throttle::Keys::new(&email_key, client);
        throttle::ensure_allowed(&self.db, &keys, now).await?;

        let user = repo::user_by_email_key(&self.db, &email_key).await?;
        let hash = user.as_ref().map(|u| u.password_hash.as_str());
        let password_ok = self.inner.passwords.verify(password, hash).await?;
        let user = match user {
            Some(user) if password_ok && user.active => user,
            _ => {
                throttle::record_failure(&self.db, &keys, &self.inner.settings, now).await?;
                tracing::info!(email = %email_key, "failed login");
                return Err(AuthError::InvalidCredentials);
            }
        };
        throttle::clear(&self.db, &keys).await?;

        let txn = self.db.begin().await?;
        let expires_at = now + self.inner.settings.refresh_ttl();
        let session_id = repo::insert_session(&txn, user.id, now, expires_at).await?;
        let (refresh_token, refresh_hash) = new_refresh_token();
        repo::insert_refresh_token(&txn, session_id, refresh_hash, now, expires_at).await?;
        txn.commit().await?;
        self.token_pair(user.id, session_id, refresh_token, expires_at)
    }

    /// Rotates a refresh token. Presenting a spent one means it leaked: the whole session
    /// (every token of the family, and the access tokens naming it) is revoked.
    #[tracing::instrument(name = "auth.refresh", skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let now = crm_core::time::now();
        let txn = self.db.begin().await?;
        let token = repo::refresh_token_by_hash(&txn, &hash_refresh_token(refresh_token))
            .await?
            .ok_or(AuthError::InvalidToken)?;
        let reused =
            token.used_at.is_some() || !repo::spend_refresh_token(&txn, token.id, now).await?;
        if reused {
            repo::revoke_session(&txn, token.session_id, now).await?;
            txn.commit().await?;
            self.inner.sessions.forget_session(token.session_id);
            tracing::warn!(session = %token.session_id, "refresh token reused; session revoked");
            return Err(AuthError::InvalidToken);
        }
        let session = repo::session(&txn, token.session_id)
            .await?
            .filter(|s| s.revoked_at.is_none() && s.expires_at > now && token.expires_at > now)
            .ok_or(AuthError::InvalidToken)?;
        let user = repo::user_by_id(&txn, session.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or(AuthError::InvalidToken)?;
        let (new_token, new_hash) = new_refresh_token();
        repo::insert_refresh_token(&txn, session.id, new_hash, now, session.expires_at).await?;
        txn.commit().await?;
        self.token_pair(user.id, session.id, new_token, session.expires_at)
    }

    /// Ends the caller's session: its refresh token and every access token naming it stop working.
    #[tracing::instrument(name = "auth.logout", skip_all, fields(user = %actor.user_id))]
    pub async fn logout(&self, actor: &Actor) -> Result<(), AuthError> {
        repo::revoke_session(&self.db, actor.session_id, crm_core::time::now()).await?;
        self.inner.sessions.forget_session(actor.session_id);
        Ok(())
    }

    /// Turns a bearer token into the caller, checking that the session is live and the user
    /// active now (not only when the token was issued).
    #[tracing::instrument(name = "auth.authenticate", skip_all)]
    pub async fn authenticate(&self, access_token: &str) -> Result<Actor, AuthError> {
        let claims = self.inner.keys.verify(access_token)?;
        let generation = match self.inner.sessions.get(claims.sid, claims.sub) {
            Ok(actor) => return Ok(actor),
            Err(generation) => generation,
        };
        let user =
            repo::user_of_live_session(&self.db, claims.sub, claims.sid, crm_core::time::now())
                .await?
                .ok_or(AuthError::InvalidToken)?;
        let actor = Actor {
            user_id: user.id,
            role: Role::parse(&user.role).unwrap_or(Role::Member),
            session_id: claims.sid,
        };
        self.inner.sessions.put(&actor, generation);
        Ok(actor)
    }

    /// On an empty database, creates the first administrator. Returns the generated password when
    /// none was given, so the caller can print it once.
    #[tracing::instrument(name = "auth.bootstrap_admin", skip_all)]
    pub async fn bootstrap_admin(
        &self,
        email: &str,
        password: Option<&str>,
    ) -> Result<Option<String>, AuthError> {
        if repo::user_count(&self.db).await? > 0 {
            return Ok(None);
        }
        let generated = password.is_none().then(generate_password);
        let password = password.or(generated.as_deref()).unwrap_or_default();
        self.insert_user("Administrator", email, password, Role::Admin)
            .await?;
        Ok(generated)
    }

    /// Creates a user outside of any request (the `create-user` command and the bootstrap).
    #[tracing::instrument(name = "auth.insert_user", skip_all)]
    pub async fn insert_user(
        &self,
        name: &str,
        email: &str,
        password: &str,
        role: Role,
    ) -> Result<users::Model, AuthError> {
        let user = NewUser::parse(name, email, password)?;
        self.create_user_row(user, role, true).await
    }

    fn token_pair(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        refresh_token: String,
        refresh_expires_at: chrono::DateTime<Utc>,
    ) -> Result<TokenPair, AuthError> {
        Ok(TokenResponse {
            access_token: self.inner.keys.issue(user_id, session_id)?,
            refresh_token,
            token_type: "Bearer".to_owned(),
            expires_in: self.inner.keys.ttl(),
            refresh_expires_in: (refresh_expires_at - crm_core::time::now())
                .num_seconds()
                .max(0),
        })
    }
}

/// 24 random characters from an unambiguous alphabet (about 137 bits).
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..24)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
