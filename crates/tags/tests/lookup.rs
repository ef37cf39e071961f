//! The functions `attendances` calls, against a real database with the real migrations: SQLite by
//! default, PostgreSQL with `TEST_DB=postgres` (`TEST_DATABASE_URL`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use crm_core::{Actor, Role};
use crm_entity::{attendance_tags, attendances, contacts, flows, tags, users};
use crm_migrations::{Migrator, MigratorTrait};
use crm_tags::dto::CreateTagRequest;
use crm_tags::lookup::{find_or_create_by_name, tags_in_flow, tags_of_attendances};
use crm_tags::{ALL_TAG_ID, TagService};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, IntoActiveModel,
    TransactionTrait,
};
use uuid::Uuid;

/// A migrated database of its own, removed when dropped.
struct TestDb {
    db: DatabaseConnection,
    drop: Box<dyn Fn() + Send>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        (self.drop)();
    }
}

async fn test_db() -> TestDb {
    let name = format!("crm_tags_test_{}", Uuid::now_v7().simple());
    let (url, drop): (String, Box<dyn Fn() + Send>) =
        if std::env::var("TEST_DB").as_deref() == Ok("postgres") {
            let server = std::env::var("TEST_DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let admin = Database::connect(server.clone()).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
            let drop_name = name.clone();
            let drop = move || {
                let (server, name) = (server.clone(), drop_name.clone());
                // Drop runs inside the test's runtime; a fresh thread and runtime may block.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async {
                        if let Ok(db) = Database::connect(server).await {
                            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                            let _ = db.execute_unprepared(&sql).await;
                        }
                    });
                })
                .join();
            };
            (url, Box::new(drop))
        } else {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let drop = move || {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            };
            (url, Box::new(drop))
        };
    let db = Database::connect(url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    TestDb { db, drop }
}

/// An administrator, as stored and as a caller.
async fn admin(db: &DatabaseConnection) -> Actor {
    let now = Utc::now();
    let user = users::Model {
        id: Uuid::now_v7(),
        name: "Admin".to_owned(),
        email: "admin@example.com".to_owned(),
        email_key: "admin@example.com".to_owned(),
        password_hash: "-".to_owned(),
        role: "admin".to_owned(),
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let user = user
        .into_active_model()
        .reset_all()
        .insert(db)
        .await
        .unwrap();
    Actor {
        user_id: user.id,
        role: Role::Admin,
        session_id: Uuid::now_v7(),
    }
}

async fn flow(db: &DatabaseConnection, actor: &Actor, name: &str) -> Uuid {
    let now = Utc::now();
    let flow = flows::Model {
        id: Uuid::now_v7(),
        name: name.to_owned(),
        name_key: name.to_lowercase(),
        alias: name.to_owned(),
        description: None,
        active: true,
        version: 1,
        created_by: actor.user_id,
        created_at: now,
        updated_at: now,
    };
    flow.into_active_model()
        .reset_all()
        .insert(db)
        .await
        .unwrap()
        .id
}

async fn attendance(db: &DatabaseConnection, actor: &Actor, flow_id: Uuid, reference: i64) -> Uuid {
    let now = Utc::now();
    let contact = contacts::Model {
        id: Uuid::now_v7(),
        name: "João".to_owned(),
        name_key: "joao".to_owned(),
        email: None,
        phone: None,
        document: None,
        document_kind: None,
        company: None,
        street: None,
        number: None,
        complement: None,
        district: None,
        city: None,
        state: None,
        postal_code: None,
        notes: None,
        search_key: "joao".to_owned(),
        version: 1,
        created_by: actor.user_id,
        created_at: now,
        updated_at: now,
    };
    let contact = contact
        .into_active_model()
        .reset_all()
        .insert(db)
        .await
        .unwrap();
    let attendance = attendances::Model {
        id: Uuid::now_v7(),
        flow_id,
        reference,
        title: "Proposta".to_owned(),
        title_key: "proposta".to_owned(),
        contact_id: contact.id,
        contact_name: contact.name,
        contact_name_key: contact.name_key,
        status: "open".to_owned(),
        status_rank: 0,
        value_cents: 0,
        due_at: None,
        view: "active".to_owned(),
        archived_at: None,
        deleted_at: None,
        search_key: "proposta joao".to_owned(),
        version: 1,
        created_by: actor.user_id,
        created_at: now,
        updated_at: now,
    };
    let attendance = attendance.into_active_model().reset_all();
    attendance.insert(db).await.unwrap().id
}

async fn attach(db: &DatabaseConnection, attendance_id: Uuid, tag_id: Uuid) {
    let link = attendance_tags::Model {
        attendance_id,
        tag_id,
        created_at: Utc::now(),
    };
    link.into_active_model()
        .reset_all()
        .insert(db)
        .await
        .unwrap();
}

/// Creates tags through the service, in order; returns their ids.
async fn create_tags(
    service: &TagService,
    actor: &Actor,
    flow_id: Uuid,
    names: &[&str],
) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for name in names {
        let request = CreateTagRequest {
            name: (*name).to_owned(),
            color: None,
        };
        ids.push(service.create(actor, flow_id, request).await.unwrap().id);
    }
    ids
}

fn names(tags: &[tags::Model]) -> Vec<&str> {
    tags.iter().map(|t| t.name.as_str()).collect()
}

#[tokio::test]
async fn tags_in_flow_keeps_only_the_flows_tags_in_display_order() {
    let test = test_db().await;
    let (db, actor) = (&test.db, admin(&test.db).await);
    let service = TagService::new(db.clone());
    let (vendas, suporte) = (
        flow(db, &actor, "Vendas").await,
        flow(db, &actor, "Suporte").await,
    );
    let ours = create_tags(&service, &actor, vendas, &["A", "B", "C"]).await;
    let theirs = create_tags(&service, &actor, suporte, &["X"]).await;

    let asked = [ours[2], theirs[0], ALL_TAG_ID, Uuid::now_v7(), ours[0]];
    let found = tags_in_flow(db, vendas, &asked).await.unwrap();

    assert_eq!(names(&found), ["A", "C"]);
    assert!(tags_in_flow(db, vendas, &[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn find_or_create_by_name_reuses_a_tag_ignoring_case_and_accents_or_adds_one_last() {
    let test = test_db().await;
    let (db, actor) = (&test.db, admin(&test.db).await);
    let service = TagService::new(db.clone());
    let vendas = flow(db, &actor, "Vendas").await;
    let ids = create_tags(&service, &actor, vendas, &["Orçamento", "Fechado"]).await;

    let txn = db.begin().await.unwrap();
    let reused = find_or_create_by_name(&txn, vendas, "ORCAMENTO", "#ffffff")
        .await
        .unwrap();
    let created = find_or_create_by_name(&txn, vendas, "Urgente", "#ab12cd")
        .await
        .unwrap();
    let again = find_or_create_by_name(&txn, vendas, "urgente", "#000000")
        .await
        .unwrap();
    txn.commit().await.unwrap();

    assert_eq!(reused.id, ids[0]);
    assert_eq!(reused.color, "#2563EB", "an existing tag keeps its colour");
    assert_eq!(
        (
            created.name.as_str(),
            created.color.as_str(),
            created.position
        ),
        ("Urgente", "#AB12CD", 3)
    );
    assert_eq!(again.id, created.id);
    let all = tags::Entity::find().all(db).await.unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn find_or_create_by_name_runs_inside_the_callers_transaction() {
    let test = test_db().await;
    let (db, actor) = (&test.db, admin(&test.db).await);
    let vendas = flow(db, &actor, "Vendas").await;

    let txn = db.begin().await.unwrap();
    find_or_create_by_name(&txn, vendas, "Urgente", "#AB12CD")
        .await
        .unwrap();
    txn.rollback().await.unwrap();

    assert!(tags::Entity::find().all(db).await.unwrap().is_empty());
}

#[tokio::test]
async fn tags_of_attendances_pairs_each_attendance_with_its_tags_by_position() {
    let test = test_db().await;
    let (db, actor) = (&test.db, admin(&test.db).await);
    let service = TagService::new(db.clone());
    let vendas = flow(db, &actor, "Vendas").await;
    let [a, b, c] = create_tags(&service, &actor, vendas, &["A", "B", "C"])
        .await
        .try_into()
        .unwrap();
    let (first, second) = (
        attendance(db, &actor, vendas, 1).await,
        attendance(db, &actor, vendas, 2).await,
    );
    let untagged = attendance(db, &actor, vendas, 3).await;
    for (attendance, tag) in [(first, c), (first, a), (second, b)] {
        attach(db, attendance, tag).await;
    }

    let rows = tags_of_attendances(db, &[first, second, untagged])
        .await
        .unwrap();

    let pairs: Vec<(Uuid, &str)> = rows.iter().map(|(at, t)| (*at, t.name.as_str())).collect();
    assert_eq!(pairs, [(first, "A"), (second, "B"), (first, "C")]);
    assert!(tags_of_attendances(db, &[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn deleting_a_tag_detaches_it_from_every_attendance() {
    let test = test_db().await;
    let (db, actor) = (&test.db, admin(&test.db).await);
    let service = TagService::new(db.clone());
    let vendas = flow(db, &actor, "Vendas").await;
    let [a, b] = create_tags(&service, &actor, vendas, &["A", "B"])
        .await
        .try_into()
        .unwrap();
    let (first, second) = (
        attendance(db, &actor, vendas, 1).await,
        attendance(db, &actor, vendas, 2).await,
    );
    for (attendance, tag) in [(first, a), (first, b), (second, a)] {
        attach(db, attendance, tag).await;
    }

    service.delete(&actor, vendas, a).await.unwrap();

    let rows = tags_of_attendances(db, &[first, second]).await.unwrap();
    let pairs: Vec<(Uuid, &str, i32)> = rows
        .iter()
        .map(|(at, t)| (*at, t.name.as_str(), t.position))
        .collect();
    assert_eq!(pairs, [(first, "B", 1)]);
    let links = attendance_tags::Entity::find().all(db).await.unwrap();
    assert_eq!(links.len(), 1);
}
