//! Who may change a shared contact, and the record of every change.
//!
//! Contacts are shared by every flow, and "save and notify" e-mails whatever address the contact
//! holds. A member of one flow who could edit a contact used only in another could redirect that
//! flow's client e-mail to themselves (issue 12). So a member edits a contact only when every
//! attendance pointing to it (archived and trashed ones too) is in a flow they can see; a contact
//! no attendance uses is anyone's to correct; administrators edit any. Every creation and edit is
//! recorded field by field, readable at `GET /contacts/{id}/changes`.

use chrono::{DateTime, Utc};
use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, Page};
use crm_entity::{contact_changes, contacts};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::dto::{ChangeActor, ContactChange};
use crate::{ContactError, ContactService, ContactUses, repo};

/// `Err(UsedElsewhere)` when a member may not edit the contact (see the module's rule).
pub(crate) async fn ensure_may_edit(
    uses: &dyn ContactUses,
    txn: &DatabaseTransaction,
    actor: &Actor,
    contact_id: Uuid,
) -> Result<(), ContactError> {
    if uses.used_out_of_sight(txn, actor, contact_id).await? {
        return Err(ContactError::UsedElsewhere);
    }
    Ok(())
}

/// The fields a person edits, by their API names (the address by its parts).
fn fields(row: &contacts::Model) -> [(&'static str, Option<&str>); 13] {
    [
        ("name", Some(row.name.as_str())),
        ("email", row.email.as_deref()),
        ("phone", row.phone.as_deref()),
        ("document", row.document.as_deref()),
        ("company", row.company.as_deref()),
        ("address.street", row.street.as_deref()),
        ("address.number", row.number.as_deref()),
        ("address.complement", row.complement.as_deref()),
        ("address.district", row.district.as_deref()),
        ("address.city", row.city.as_deref()),
        ("address.state", row.state.as_deref()),
        ("address.postal_code", row.postal_code.as_deref()),
        ("notes", row.notes.as_deref()),
    ]
}

/// `{field: {"from": old, "to": new}}` for each field that differs (every set field for a new
/// contact, from `null`).
pub(crate) fn diff(
    before: Option<&contacts::Model>,
    after: &contacts::Model,
) -> Map<String, Value> {
    let old = before.map(fields);
    fields(after)
        .into_iter()
        .enumerate()
        .filter_map(|(index, (field, to))| {
            let from = old.as_ref().and_then(|old| old[index].1);
            (from != to).then(|| (field.to_owned(), json!({"from": from, "to": to})))
        })
        .collect()
}

/// Records a change in the caller's transaction; nothing when no field changed.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: Option<&contacts::Model>,
    after: &contacts::Model,
    now: DateTime<Utc>,
) -> Result<(), ContactError> {
    let changes = diff(before, after);
    if changes.is_empty() {
        return Ok(());
    }
    let change = contact_changes::Model {
        id: crm_core::id::new_id(),
        contact_id: after.id,
        actor_id: actor.user_id,
        kind: if before.is_some() {
            "updated"
        } else {
            "created"
        }
        .to_owned(),
        changes: Value::Object(changes).to_string(),
        created_at: now,
    };
    Ok(repo::insert_change(db, change).await?)
}

impl ContactService {
    /// The contact's changes, newest first: any user who can read the contact can read them.
    #[tracing::instrument(name = "contacts.changes", skip_all, fields(user = %_actor.user_id, id = %id))]
    pub async fn changes(
        &self,
        _actor: &Actor,
        id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<ContactChange>, ContactError> {
        repo::by_id(&self.db, id)
            .await?
            .ok_or(ContactError::NotFound)?;
        let after = cursor
            .map(Cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?;
        let rows = repo::changes_page(&self.db, id, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |r| (r.created_at, r.id));
        Ok(Page {
            items: rows
                .into_iter()
                .map(|row| ContactChange {
                    id: row.id,
                    kind: row.kind,
                    actor: ChangeActor {
                        id: row.actor_id,
                        name: row.actor_name,
                    },
                    changes: serde_json::from_str(&row.changes).unwrap_or_else(|_| json!({})),
                    created_at: row.created_at,
                })
                .collect(),
            next_cursor,
            total: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> contacts::Model {
        contacts::Model {
            name: "João".to_owned(),
            email: Some("joao@cliente.com.br".to_owned()),
            city: Some("São Paulo".to_owned()),
            ..crate::service::empty_row()
        }
    }

    #[test]
    fn an_edit_records_only_the_fields_that_changed_with_both_values() {
        let before = row();
        let mut after = row();
        after.email = Some("outro@golpe.example".to_owned());
        after.city = None;

        let changes = diff(Some(&before), &after);

        assert_eq!(
            Value::Object(changes),
            json!({"email": {"from": "joao@cliente.com.br", "to": "outro@golpe.example"},
                   "address.city": {"from": "São Paulo", "to": null}})
        );
        assert!(diff(Some(&before), &before).is_empty());
    }

    #[test]
    fn a_new_contact_records_every_field_it_has() {
        let changes = diff(None, &row());
        let names: Vec<&str> = changes.keys().map(String::as_str).collect();
        assert_eq!(names, ["address.city", "email", "name"]);
    }
}
