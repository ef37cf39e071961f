//! Message templates: personal (only the owner sees and edits them) or shared (everyone sees
//! them; the owner and administrators edit them).

use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, FieldErrors, Page};
use crm_entity::mail_templates;
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use crate::dto::{
    CreateTemplateRequest, TemplateResponse, UpdateTemplateRequest, template_response,
};
use crate::error::map_unique;
use crate::model::{TemplateName, template_body, template_subject};
use crate::{MailError, MailService, repo};

impl MailService {
    /// The caller's templates and the shared ones, by name.
    #[tracing::instrument(name = "mail.templates", skip_all, fields(user = %actor.user_id))]
    pub async fn templates(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<TemplateResponse>, MailError> {
        let after = cursor.map(Cursor::decode::<(String, Uuid)>).transpose()?;
        let rows = repo::visible_templates(&self.db, actor.user_id, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |t| (t.name_key.clone(), t.id));
        Ok(Page {
            items: rows.into_iter().map(template_response).collect(),
            next_cursor,
            total: None,
        })
    }

    #[tracing::instrument(name = "mail.template", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn template(&self, actor: &Actor, id: Uuid) -> Result<TemplateResponse, MailError> {
        Ok(template_response(
            visible_template(&self.db, actor, id).await?,
        ))
    }

    #[tracing::instrument(name = "mail.create_template", skip_all, fields(user = %actor.user_id))]
    pub async fn create_template(
        &self,
        actor: &Actor,
        request: CreateTemplateRequest,
    ) -> Result<TemplateResponse, MailError> {
        let mut errors = FieldErrors::new();
        let name = errors.check(TemplateName::parse("name", &request.name));
        let subject = template_subject("subject", &request.subject, &mut errors);
        let body = template_body("body", &request.body, &mut errors);
        errors.clone().into_result()?;
        let (Some(name), Some(subject), Some(body)) = (name, subject, body) else {
            return Err(errors.into());
        };
        let txn = self.db.begin().await?;
        if repo::template_by_name(&txn, actor.user_id, &name.key)
            .await?
            .is_some()
        {
            return Err(MailError::DuplicateName);
        }
        let now = crm_core::time::now();
        let row = mail_templates::Model {
            id: crm_core::id::new_id(),
            owner_id: actor.user_id,
            name: name.name,
            name_key: name.key,
            subject,
            body,
            shared: request.shared,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let row = repo::insert_template(&txn, row).await.map_err(map_unique)?;
        txn.commit().await?;
        Ok(template_response(row))
    }

    #[tracing::instrument(name = "mail.update_template", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn update_template(
        &self,
        actor: &Actor,
        id: Uuid,
        request: UpdateTemplateRequest,
        if_match: Option<i32>,
    ) -> Result<TemplateResponse, MailError> {
        let txn = self.db.begin().await?;
        let current = editable_template(&txn, actor, id).await?;
        let mut errors = FieldErrors::new();
        let name = request
            .name
            .as_deref()
            .and_then(|n| errors.check(TemplateName::parse("name", n)));
        let subject = request
            .subject
            .as_deref()
            .and_then(|s| template_subject("subject", s, &mut errors));
        let body = request
            .body
            .as_deref()
            .and_then(|b| template_body("body", b, &mut errors));
        errors.into_result()?;
        if let Some(version) = if_match
            && version != current.version
        {
            return Err(MailError::VersionMismatch);
        }
        let mut row = current.clone();
        if let Some(name) = name {
            if name.key != current.name_key
                && repo::template_by_name(&txn, current.owner_id, &name.key)
                    .await?
                    .is_some()
            {
                return Err(MailError::DuplicateName);
            }
            row.name = name.name;
            row.name_key = name.key;
        }
        if let Some(subject) = subject {
            row.subject = subject;
        }
        if let Some(body) = body {
            row.body = body;
        }
        if let Some(shared) = request.shared {
            row.shared = shared;
        }
        row.version = current.version + 1;
        row.updated_at = crm_core::time::now();
        if !repo::update_template(&txn, row.clone(), current.version)
            .await
            .map_err(map_unique)?
        {
            return Err(MailError::VersionMismatch);
        }
        txn.commit().await?;
        Ok(template_response(row))
    }

    /// Deletes a template. Messages already written from it keep their text.
    #[tracing::instrument(name = "mail.delete_template", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn delete_template(&self, actor: &Actor, id: Uuid) -> Result<(), MailError> {
        let txn = self.db.begin().await?;
        editable_template(&txn, actor, id).await?;
        repo::delete_template(&txn, id).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The template if the caller may see it: their own, or a shared one. Another user's personal
/// template answers "not found", exactly as a missing one.
pub async fn visible_template(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<mail_templates::Model, MailError> {
    repo::template(db, id)
        .await?
        .filter(|t| t.shared || t.owner_id == actor.user_id)
        .ok_or(MailError::NotFound)
}

/// The template if the caller may change it: their own; a shared one also for administrators.
async fn editable_template(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<mail_templates::Model, MailError> {
    let template = visible_template(db, actor, id).await?;
    if template.owner_id == actor.user_id || actor.is_admin() {
        Ok(template)
    } else {
        Err(MailError::Forbidden)
    }
}
