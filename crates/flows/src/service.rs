//! Flow use cases: administrators manage flows and their authorized users; members read the flows
//! they are authorized for.

use std::collections::HashSet;

use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, FieldErrors, Page, Role};
use crm_entity::flows;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};
use uuid::Uuid;

use crate::dto::{
    AuthorizedUser, AuthorizedUsersResponse, CreateFlowRequest, FlowResponse, UpdateFlowRequest,
};
use crate::error::map_unique;
use crate::model::{FlowName, parse_alias, parse_description};
use crate::{FlowError, repo, visible_flow};

#[derive(Clone)]
pub struct FlowService {
    db: DatabaseConnection,
}

impl FlowService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    #[tracing::instrument(name = "flows.list", skip_all, fields(user = %actor.user_id))]
    pub async fn list(
        &self,
        actor: &Actor,
        active: Option<bool>,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<FlowResponse>, FlowError> {
        let after = cursor.map(Cursor::decode::<(String, Uuid)>).transpose()?;
        let rows = repo::list(&self.db, actor, active, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |f| (f.name_key.clone(), f.id));
        Ok(Page {
            items: rows.into_iter().map(to_response).collect(),
            next_cursor,
            total: None,
        })
    }

    #[tracing::instrument(name = "flows.get", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<FlowResponse, FlowError> {
        Ok(to_response(visible_flow(&self.db, actor, id).await?))
    }

    #[tracing::instrument(name = "flows.create", skip_all, fields(user = %actor.user_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        request: CreateFlowRequest,
    ) -> Result<FlowResponse, FlowError> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let name = errors.check(FlowName::parse("name", &request.name));
        let alias = request
            .alias
            .as_deref()
            .and_then(|a| errors.check(parse_alias("alias", a)));
        let description = errors.check(parse_description(
            "description",
            request.description.as_deref(),
        ));
        let txn = self.db.begin().await?;
        check_users_exist(
            &txn,
            "authorized_user_ids",
            &request.authorized_user_ids,
            &mut errors,
        )
        .await?;
        errors.into_result()?;
        let (Some(name), Some(description)) = (name, description) else {
            return Err(FlowError::NotFound);
        };
        if repo::by_name_key(&txn, &name.key).await?.is_some() {
            return Err(FlowError::DuplicateName);
        }
        let now = crm_core::time::now();
        let flow = flows::Model {
            id: crm_core::id::new_id(),
            alias: alias.unwrap_or_else(|| name.name.clone()),
            name: name.name,
            name_key: name.key,
            description,
            active: request.active.unwrap_or(true),
            version: 1,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        let flow = repo::insert(&txn, flow).await.map_err(map_unique)?;
        repo::replace_authorized(&txn, flow.id, &dedup(&request.authorized_user_ids), now).await?;
        txn.commit().await?;
        Ok(to_response(flow))
    }

    #[tracing::instrument(name = "flows.update", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn update(
        &self,
        actor: &Actor,
        id: Uuid,
        request: UpdateFlowRequest,
        if_match: Option<i32>,
    ) -> Result<FlowResponse, FlowError> {
        let txn = self.db.begin().await?;
        let current = visible_flow(&txn, actor, id).await?;
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let name = request
            .name
            .as_deref()
            .and_then(|n| errors.check(FlowName::parse("name", n)));
        let alias = request
            .alias
            .as_deref()
            .and_then(|a| errors.check(parse_alias("alias", a)));
        let description = request
            .description
            .map(|d| errors.check(parse_description("description", d.as_deref())));
        errors.into_result()?;
        if let Some(version) = if_match
            && version != current.version
        {
            return Err(FlowError::VersionMismatch);
        }

        let mut flow = current.clone();
        if let Some(name) = name {
            if name.key != current.name_key && repo::by_name_key(&txn, &name.key).await?.is_some() {
                return Err(FlowError::DuplicateName);
            }
            flow.name = name.name;
            flow.name_key = name.key;
        }
        if let Some(alias) = alias {
            flow.alias = alias;
        }
        if let Some(Some(description)) = description {
            flow.description = description;
        }
        if let Some(active) = request.active {
            flow.active = active;
        }
        flow.version = current.version + 1;
        flow.updated_at = crm_core::time::now();
        if !repo::update(&txn, flow.clone(), current.version)
            .await
            .map_err(map_unique)?
        {
            return Err(FlowError::VersionMismatch);
        }
        txn.commit().await?;
        Ok(to_response(flow))
    }

    /// Deletes an empty flow. A flow that still holds records answers 409: deactivate it instead.
    #[tracing::instrument(name = "flows.delete", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn delete(&self, actor: &Actor, id: Uuid) -> Result<(), FlowError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, id).await?;
        require_admin(actor)?;
        match repo::delete(&txn, id).await {
            Ok(()) => {}
            Err(err) if crm_entity::db_error::is_foreign_key(&err) => return Err(FlowError::InUse),
            Err(err) => return Err(err.into()),
        }
        txn.commit().await?;
        Ok(())
    }

    #[tracing::instrument(name = "flows.authorized_users", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn authorized_users(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AuthorizedUsersResponse, FlowError> {
        visible_flow(&self.db, actor, id).await?;
        require_admin(actor)?;
        self.authorized_response(&self.db, id).await
    }

    #[tracing::instrument(name = "flows.replace_authorized_users", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn replace_authorized_users(
        &self,
        actor: &Actor,
        id: Uuid,
        user_ids: Vec<Uuid>,
    ) -> Result<AuthorizedUsersResponse, FlowError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, id).await?;
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        check_users_exist(&txn, "user_ids", &user_ids, &mut errors).await?;
        errors.into_result()?;
        repo::replace_authorized(&txn, id, &dedup(&user_ids), crm_core::time::now()).await?;
        let response = self.authorized_response(&txn, id).await?;
        txn.commit().await?;
        Ok(response)
    }

    async fn authorized_response(
        &self,
        db: &impl ConnectionTrait,
        flow_id: Uuid,
    ) -> Result<AuthorizedUsersResponse, FlowError> {
        let users = repo::authorized_users(db, flow_id).await?;
        Ok(AuthorizedUsersResponse {
            flow_id,
            users: users
                .into_iter()
                .map(|u| AuthorizedUser {
                    id: u.id,
                    role: Role::parse(&u.role).unwrap_or(Role::Member),
                    name: u.name,
                    email: u.email,
                    active: u.active,
                })
                .collect(),
        })
    }
}

/// Names every unknown id (`authorized_user_ids[2]`), so the client knows which one is wrong.
async fn check_users_exist(
    db: &impl ConnectionTrait,
    field: &str,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<(), DbErr> {
    let existing: HashSet<Uuid> = repo::existing_user_ids(db, ids)
        .await?
        .into_iter()
        .collect();
    for (index, id) in ids.iter().enumerate() {
        if !existing.contains(id) {
            errors.add(
                &format!("{field}[{index}]"),
                "unknown_user",
                format!("no user has id {id}"),
            );
        }
    }
    Ok(())
}

fn dedup(ids: &[Uuid]) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

fn require_admin(actor: &Actor) -> Result<(), FlowError> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(FlowError::Forbidden)
    }
}

pub fn to_response(flow: flows::Model) -> FlowResponse {
    FlowResponse {
        id: flow.id,
        name: flow.name,
        alias: flow.alias,
        description: flow.description,
        active: flow.active,
        version: flow.version,
        created_at: flow.created_at,
        updated_at: flow.updated_at,
    }
}
