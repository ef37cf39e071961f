//! `crm seed-bench`: fills an empty PostgreSQL database with a realistic data set for the load
//! scenarios in `bench/` (DESIGN §8): users (an admin and members, each authorized on some
//! flows), flows with tags, contacts with Portuguese names, and attendances spread over the last
//! two years with their tags, interactions and timeline. Deterministic for a given seed and size
//! (times are relative to the start of the run). Rows go in through `COPY`, with the big tables'
//! indexes and constraints re-created after the load.

mod copy;
mod generate;
mod setup;
mod words;

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crm_core::Role;
use sea_orm::sqlx::{self, PgConnection};
use sea_orm::{DatabaseBackend, DatabaseConnection};
use uuid::Uuid;

use crate::{Settings, startup};
use copy::Rows;
use generate::{AttendanceRows, Contacts, FlowInfo, MICROS_PER_DAY, World};
use words::{FIRST_NAMES, Rng, SURNAMES};

/// The sizes and the seed of a data set.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub flows: u32,
    pub contacts: u64,
    pub attendances: u64,
    pub interactions_per_attendance: u32,
    pub members: u32,
    pub member_flows: u32,
    pub seed: u64,
    /// The password of every user created (at least 12 characters).
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "seed-bench needs PostgreSQL (DATABASE_URL=postgres://…): it bulk-loads with COPY; \
         SQLite is not supported at benchmark sizes"
    )]
    NotPostgres,
    #[error(
        "the database is not empty ({0} flows, contacts or attendances): seed-bench only fills \
         a fresh database; drop and recreate it first"
    )]
    NotEmpty(i64),
    #[error("{0}")]
    Invalid(&'static str),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("users: {0}")]
    Auth(#[from] crm_auth::AuthError),
}

/// Attendances generated and sent per round trip to the four COPY streams.
const CHUNK: u64 = 2_000;
/// The tables loaded in bulk, whose indexes are dropped during the load.
const BULK_TABLES: [&str; 5] = [
    "contacts",
    "attendances",
    "attendance_tags",
    "interactions",
    "attendance_events",
];
const YEAR: i64 = 365 * MICROS_PER_DAY;

pub async fn run(settings: &Settings, options: &SeedOptions) -> Result<(), SeedError> {
    check(options)?;
    if !settings.database.url.starts_with("postgres") {
        return Err(SeedError::NotPostgres);
    }
    let started = Instant::now();
    let db = startup::connect(settings).await?;
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Err(SeedError::NotPostgres);
    }
    startup::migrate(&db).await?;
    let pool = db.get_postgres_connection_pool().clone();
    let mut conn = pool.acquire().await?;
    let (existing,): (i64,) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM flows) + (SELECT count(*) FROM contacts) \
              + (SELECT count(*) FROM attendances)",
    )
    .fetch_one(&mut *conn)
    .await?;
    if existing > 0 {
        return Err(SeedError::NotEmpty(existing));
    }
    copy::execute(&mut conn, "SET synchronous_commit = off").await?;

    let now = now_micros();
    let mut rng = Rng::new(options.seed);
    let (admin, members) = users(&db, settings, options, &mut conn, now).await?;
    let flows = setup::flows(&mut conn, &mut rng, options, admin, &members, now).await?;

    println!("dropping the indexes of {}", BULK_TABLES.join(", "));
    let dropped = copy::drop_indexes(&mut conn, &BULK_TABLES).await?;
    let contacts = contacts(&mut conn, &mut rng, options, admin, now).await?;
    attendances(&pool, &mut rng, options, &flows, &contacts, now).await?;
    copy::execute(
        &mut conn,
        "UPDATE counters SET value = (SELECT COALESCE(MAX(reference), 0) FROM attendances) \
         WHERE name = 'attendance_reference'",
    )
    .await?;

    println!("re-creating keys, indexes and foreign keys");
    copy::execute(&mut conn, "SET maintenance_work_mem = '512MB'").await?;
    copy::restore(&mut conn, &dropped).await?;
    println!("vacuum analyze");
    for table in BULK_TABLES {
        copy::execute(&mut conn, &format!("VACUUM (ANALYZE) {table}")).await?;
    }
    copy::execute(&mut conn, "ANALYZE").await?;

    print_summary(options, &flows, &members, started);
    Ok(())
}

fn check(options: &SeedOptions) -> Result<(), SeedError> {
    if options.flows == 0 || options.contacts == 0 {
        return Err(SeedError::Invalid(
            "--flows and --contacts must be at least 1",
        ));
    }
    if options.member_flows > options.flows {
        return Err(SeedError::Invalid("--member-flows cannot exceed --flows"));
    }
    if options.interactions_per_attendance > 1000 {
        return Err(SeedError::Invalid(
            "--interactions-per-attendance is at most 1000",
        ));
    }
    Ok(())
}

fn now_micros() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    // Whole seconds: the data set starts on a round instant.
    i64::try_from(since.as_secs()).unwrap_or(0) * 1_000_000
}

/// The admin `admin@bench.local` and members `member<N>@bench.local`, through the auth service
/// (argon2id hashes exactly as a real user gets), dated three years back like the rest.
async fn users(
    db: &DatabaseConnection,
    settings: &Settings,
    options: &SeedOptions,
    conn: &mut PgConnection,
    now: i64,
) -> Result<(Uuid, Vec<(String, Uuid)>), SeedError> {
    let auth = crm_auth::AuthService::new(db.clone(), settings.auth.clone())?;
    let password = options.password.as_str();
    let admin = auth
        .insert_user(
            "Administradora Conceição Araújo",
            "admin@bench.local",
            password,
            Role::Admin,
        )
        .await?;
    let mut members = Vec::new();
    for n in 1..=options.members {
        let index = usize::try_from(n).unwrap_or(0);
        let name = format!(
            "{} {}",
            FIRST_NAMES[index * 7 % FIRST_NAMES.len()],
            SURNAMES[index * 3 % SURNAMES.len()]
        );
        let email = format!("member{n}@bench.local");
        let user = auth
            .insert_user(&name, &email, password, Role::Member)
            .await?;
        members.push((email, user.id));
    }
    sqlx::query(
        "UPDATE users SET created_at = $1::timestamptz, updated_at = $1::timestamptz \
         WHERE email_key LIKE '%@bench.local'",
    )
    .bind(micros_text(now - 3 * YEAR))
    .execute(&mut *conn)
    .await?;
    Ok((admin.id, members))
}

fn micros_text(micros: i64) -> String {
    let mut rows = Rows::default();
    rows.time(micros);
    rows.take()
}

/// Contacts created over the last 2.5 years, in time order (so an attendance can pick one that
/// already existed).
async fn contacts(
    conn: &mut PgConnection,
    rng: &mut Rng,
    options: &SeedOptions,
    admin: Uuid,
    now: i64,
) -> Result<Contacts, SeedError> {
    let started = Instant::now();
    let total = options.contacts;
    let start = now - 5 * YEAR / 2;
    let step = (now - start) / i64::try_from(total).unwrap_or(1).max(1);
    let mut contacts = Contacts::default();
    let mut rows = Rows::default();
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY contacts ({}) FROM STDIN",
            generate::CONTACT_COLUMNS
        ))
        .await?;
    for i in 0..total {
        let created = start + step * i64::try_from(i).unwrap_or(0) + rng.span(step);
        generate::contact(rng, i, created, admin, &mut contacts, &mut rows);
        if rows.len() > 1 << 20 {
            copy.send(rows.take().into_bytes()).await?;
        }
    }
    copy.send(rows.take().into_bytes()).await?;
    copy.finish().await?;
    println!(
        "{total} contacts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(contacts)
}

/// Attendances created over the last two years, in time order (so references grow with
/// `created_at`, as the counter makes them), streamed to four COPYs at once.
async fn attendances(
    pool: &sqlx::PgPool,
    rng: &mut Rng,
    options: &SeedOptions,
    flows: &[FlowInfo],
    contacts: &Contacts,
    now: i64,
) -> Result<(), SeedError> {
    let started = Instant::now();
    let total = options.attendances;
    let start = now - 2 * YEAR;
    let step = (now - start) / i64::try_from(total).unwrap_or(1).max(1);
    let world = World {
        flows,
        contacts,
        now,
        interactions: options.interactions_per_attendance,
    };
    let (mut c1, mut c2, mut c3, mut c4) = (
        pool.acquire().await?,
        pool.acquire().await?,
        pool.acquire().await?,
        pool.acquire().await?,
    );
    let open = |columns: &str, table: &str| format!("COPY {table} ({columns}) FROM STDIN");
    let mut to_attendances = c1
        .copy_in_raw(&open(generate::ATTENDANCE_COLUMNS, "attendances"))
        .await?;
    let mut to_tags = c2
        .copy_in_raw(&open(generate::ATTENDANCE_TAG_COLUMNS, "attendance_tags"))
        .await?;
    let mut to_interactions = c3
        .copy_in_raw(&open(generate::INTERACTION_COLUMNS, "interactions"))
        .await?;
    let mut to_events = c4
        .copy_in_raw(&open(generate::EVENT_COLUMNS, "attendance_events"))
        .await?;

    let mut out = AttendanceRows::default();
    // Contacts that exist at time t are a prefix of the list: walk its end along with t.
    let mut existing = 0usize;
    let report_every = (total / 10).max(CHUNK);
    for i in 0..total {
        let created = start + step * i64::try_from(i).unwrap_or(0) + rng.span(step);
        while existing < contacts.created.len() && contacts.created[existing] <= created {
            existing += 1;
        }
        let contact = rng.index(existing.max(1));
        let reference = i64::try_from(i + 1).unwrap_or(i64::MAX);
        generate::attendance(rng, &world, reference, created, contact, &mut out);
        if (i + 1) % CHUNK == 0 || i + 1 == total {
            to_attendances
                .send(out.attendances.take().into_bytes())
                .await?;
            to_tags.send(out.tags.take().into_bytes()).await?;
            to_interactions
                .send(out.interactions.take().into_bytes())
                .await?;
            to_events.send(out.events.take().into_bytes()).await?;
        }
        if (i + 1) % report_every == 0 {
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "  {:>9} attendances  {:>6.1} s  ({:.0}/s)",
                i + 1,
                seconds,
                (i + 1) as f64 / seconds.max(0.001)
            );
        }
    }
    to_attendances.finish().await?;
    to_tags.finish().await?;
    to_interactions.finish().await?;
    to_events.finish().await?;
    println!(
        "{total} attendances, {} tag links, {} interactions, {} timeline events in {:.1} s",
        out.tags.count(),
        out.interactions.count(),
        out.events.count(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_summary(
    options: &SeedOptions,
    flows: &[FlowInfo],
    members: &[(String, Uuid)],
    started: Instant,
) {
    println!(
        "\nseeded in {:.0} s: {} flows, {} contacts, {} attendances ({} interactions each)",
        started.elapsed().as_secs_f64(),
        options.flows,
        options.contacts,
        options.attendances,
        options.interactions_per_attendance
    );
    println!("password of every user: {}", options.password);
    println!("  admin@bench.local (admin, every flow)");
    for (email, id) in members {
        let visible: Vec<String> = flows
            .iter()
            .filter(|f| f.users.contains(id))
            .map(|f| f.id.to_string())
            .collect();
        println!("  {email} (member) flows: {}", visible.join(" "));
    }
}
