//! User management (administrators) and each user's own account (`/me`).

use std::net::IpAddr;

use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, FieldErrors, Page, Role};
use crm_entity::users;
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::dto::{
    CreateUserRequest, RemovalOutcome, UpdateMeRequest, UpdateUserRequest, UserRemoval,
    UserResponse,
};
use crate::error::map_unique;
use crate::model::{LoginEmail, NewPassword, NewUser, parse_name};
use crate::service::AuthService;
use crate::{AuthError, repo, throttle};

impl AuthService {
    #[tracing::instrument(name = "auth.me", skip_all, fields(user = %actor.user_id))]
    pub async fn me(&self, actor: &Actor) -> Result<UserResponse, AuthError> {
        let user = repo::user_by_id(&self.db, actor.user_id)
            .await?
            .ok_or(AuthError::InvalidToken)?;
        Ok(to_response(user))
    }

    #[tracing::instrument(name = "auth.list_users", skip_all, fields(user = %actor.user_id))]
    pub async fn list_users(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<UserResponse>, AuthError> {
        require_admin(actor)?;
        let after = cursor.map(Cursor::decode::<(String, Uuid)>).transpose()?;
        let rows = repo::list_users(&self.db, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |u| (u.email_key.clone(), u.id));
        Ok(Page {
            items: rows.into_iter().map(to_response).collect(),
            next_cursor,
            total: None,
        })
    }

    #[tracing::instrument(name = "auth.get_user", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn get_user(&self, actor: &Actor, id: Uuid) -> Result<UserResponse, AuthError> {
        require_admin(actor)?;
        Ok(to_response(self.find(id).await?))
    }

    #[tracing::instrument(name = "auth.create_user", skip_all, fields(user = %actor.user_id))]
    pub async fn create_user(
        &self,
        actor: &Actor,
        request: CreateUserRequest,
    ) -> Result<UserResponse, AuthError> {
        require_admin(actor)?;
        let user = NewUser::parse(&request.name, &request.email, &request.password)?;
        let role = request.role.unwrap_or(Role::Member);
        let user = self
            .create_user_row(user, role, request.active.unwrap_or(true))
            .await?;
        Ok(to_response(user))
    }

    pub(crate) async fn create_user_row(
        &self,
        NewUser {
            name,
            email,
            password,
        }: NewUser,
        role: Role,
        active: bool,
    ) -> Result<users::Model, AuthError> {
        if repo::user_by_email_key(&self.db, &email.key)
            .await?
            .is_some()
        {
            return Err(AuthError::DuplicateEmail);
        }
        let now = crm_core::time::now();
        let user = users::Model {
            id: crm_core::id::new_id(),
            name,
            email: email.display,
            email_key: email.key,
            password_hash: self.inner.passwords.hash(password.expose()).await?,
            role: role.as_str().to_owned(),
            active,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        repo::insert_user(&self.db, user).await.map_err(map_unique)
    }

    #[tracing::instrument(name = "auth.update_user", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: Uuid,
        request: UpdateUserRequest,
        if_match: Option<i32>,
    ) -> Result<UserResponse, AuthError> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let name = request
            .name
            .as_deref()
            .and_then(|n| errors.check(parse_name("name", n)));
        let email = request
            .email
            .as_deref()
            .and_then(|e| errors.check(LoginEmail::parse("email", e)));
        let password = request
            .password
            .as_deref()
            .and_then(|p| errors.check(NewPassword::parse("password", p)));
        errors.into_result()?;

        let txn = self.db.begin().await?;
        let current = repo::user_by_id(&txn, id)
            .await?
            .ok_or(AuthError::UserNotFound)?;
        check_version(&current, if_match)?;
        let mut user = current.clone();
        if let Some(name) = name {
            user.name = name;
        }
        if let Some(email) = email {
            if email.key != current.email_key
                && repo::user_by_email_key(&txn, &email.key).await?.is_some()
            {
                return Err(AuthError::DuplicateEmail);
            }
            user.email = email.display;
            user.email_key = email.key;
        }
        if let Some(role) = request.role {
            user.role = role.as_str().to_owned();
        }
        if let Some(active) = request.active {
            user.active = active;
        }
        if let Some(password) = &password {
            password
                .check_not_email("password", &user.email_key)
                .map_err(|e| FieldErrors(vec![e]))?;
            user.password_hash = self.inner.passwords.hash(password.expose()).await?;
        }
        let was_active_admin = current.active && current.role == "admin";
        let is_active_admin = user.active && user.role == "admin";
        if was_active_admin && !is_active_admin {
            if repo::active_admin_count(&txn).await? <= 1 {
                return Err(AuthError::LastAdmin);
            }
            if id == actor.user_id {
                return Err(AuthError::SelfLockout);
            }
        }
        if !user.active || password.is_some() {
            // Deactivation and a password reset end the user's sessions at once.
            // Someone resetting their own password keeps the session they are using.
            let keep = (id == actor.user_id).then_some(actor.session_id);
            repo::revoke_user_sessions(&txn, id, keep, crm_core::time::now()).await?;
        }
        let user = self.save(&txn, user, current.version).await?;
        txn.commit().await?;
        // Role, activity and password changes reach this instance's session cache at once.
        self.inner.sessions.forget_user(id);
        Ok(to_response(user))
    }

    /// Deletes a user without history; a user whose records keep them is deactivated instead.
    #[tracing::instrument(name = "auth.delete_user", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn delete_user(&self, actor: &Actor, id: Uuid) -> Result<UserRemoval, AuthError> {
        require_admin(actor)?;
        let txn = self.db.begin().await?;
        let user = repo::user_by_id(&txn, id)
            .await?
            .ok_or(AuthError::UserNotFound)?;
        if user.active && user.role == "admin" && repo::active_admin_count(&txn).await? <= 1 {
            return Err(AuthError::LastAdmin);
        }
        if id == actor.user_id {
            return Err(AuthError::SelfLockout);
        }
        // Try the delete inside a savepoint: a foreign-key refusal means the user has history.
        let attempt = txn.begin().await?;
        match repo::delete_user(&attempt, id).await {
            Ok(()) => {
                attempt.commit().await?;
                txn.commit().await?;
                self.inner.sessions.forget_user(id);
                return Ok(UserRemoval {
                    outcome: RemovalOutcome::Deleted,
                    user: None,
                });
            }
            Err(err) if crm_entity::db_error::is_foreign_key(&err) => attempt.rollback().await?,
            Err(err) => return Err(err.into()),
        }
        repo::revoke_user_sessions(&txn, id, None, crm_core::time::now()).await?;
        let version = user.version;
        let mut user = user;
        user.active = false;
        let user = self.save(&txn, user, version).await?;
        txn.commit().await?;
        self.inner.sessions.forget_user(id);
        Ok(UserRemoval {
            outcome: RemovalOutcome::Deactivated,
            user: Some(to_response(user)),
        })
    }

    #[tracing::instrument(name = "auth.update_me", skip_all, fields(user = %actor.user_id))]
    pub async fn update_me(
        &self,
        actor: &Actor,
        request: UpdateMeRequest,
        if_match: Option<i32>,
        client: Option<IpAddr>,
    ) -> Result<UserResponse, AuthError> {
        let mut errors = FieldErrors::new();
        let name = request
            .name
            .as_deref()
            .and_then(|n| errors.check(parse_name("name", n)));
        let password = request
            .password
            .as_deref()
            .and_then(|p| errors.check(NewPassword::parse("password", p)));
        if request.password.is_some() && request.current_password.is_none() {
            errors.add(
                "current_password",
                "required",
                "is required to change the password",
            );
        }
        errors.into_result()?;

        let current = repo::user_by_id(&self.db, actor.user_id)
            .await?
            .ok_or(AuthError::InvalidToken)?;
        check_version(&current, if_match)?;
        let mut user = current.clone();
        if let Some(name) = name {
            user.name = name;
        }
        if let Some(password) = password {
            password
                .check_not_email("password", &current.email_key)
                .map_err(|e| FieldErrors(vec![e]))?;
            self.check_current_password(&current, request.current_password.as_deref(), client)
                .await?;
            user.password_hash = self.inner.passwords.hash(password.expose()).await?;
        }
        let txn = self.db.begin().await?;
        if user.password_hash != current.password_hash {
            // A new password ends the user's other sessions: a leaked one stops working.
            let now = crm_core::time::now();
            repo::revoke_user_sessions(&txn, actor.user_id, Some(actor.session_id), now).await?;
        }
        let user = self.save(&txn, user, current.version).await?;
        txn.commit().await?;
        self.inner.sessions.forget_user(actor.user_id);
        Ok(to_response(user))
    }

    /// A wrong current password counts like a failed login of the account from this address
    /// (a stolen access token must not become a way to guess the password without limit).
    async fn check_current_password(
        &self,
        user: &users::Model,
        given: Option<&str>,
        client: Option<IpAddr>,
    ) -> Result<(), AuthError> {
        let now = crm_core::time::now();
        let keys = throttle::Keys::new(&user.email_key, client);
        throttle::ensure_allowed(&self.db, &keys, now).await?;
        let given = given.unwrap_or_default();
        if self
            .inner
            .passwords
            .verify(given, Some(&user.password_hash))
            .await?
        {
            throttle::clear(&self.db, &keys).await?;
            return Ok(());
        }
        throttle::record_failure(&self.db, &keys, &self.inner.settings, now).await?;
        Err(FieldErrors::single(
            "current_password",
            "mismatch",
            "does not match your current password",
        )
        .into())
    }

    async fn find(&self, id: Uuid) -> Result<users::Model, AuthError> {
        repo::user_by_id(&self.db, id)
            .await?
            .ok_or(AuthError::UserNotFound)
    }

    async fn save(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        mut user: users::Model,
        expected_version: i32,
    ) -> Result<users::Model, AuthError> {
        user.version = expected_version + 1;
        user.updated_at = crm_core::time::now();
        if !repo::update_user(db, user.clone(), expected_version)
            .await
            .map_err(map_unique)?
        {
            return Err(AuthError::VersionMismatch);
        }
        Ok(user)
    }
}

fn require_admin(actor: &Actor) -> Result<(), AuthError> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AuthError::Forbidden)
    }
}

fn check_version(user: &users::Model, if_match: Option<i32>) -> Result<(), AuthError> {
    match if_match {
        Some(version) if version != user.version => Err(AuthError::VersionMismatch),
        _ => Ok(()),
    }
}

pub fn to_response(user: users::Model) -> UserResponse {
    UserResponse {
        id: user.id,
        role: Role::parse(&user.role).unwrap_or(Role::Member),
        name: user.name,
        email: user.email,
        active: user.active,
        version: user.version,
        created_at: user.created_at,
        updated_at: user.updated_at,
    }
}
