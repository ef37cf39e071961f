//! The bench data generator behind `crm seed-bench` (a tool crate beside `api`: it uses the domain
//! crates, nothing uses it): fills an empty PostgreSQL database with a realistic data set for the load
//! scenarios in `bench/` (DESIGN §8): users (an admin and members, each authorized on some
//! flows), flows with tags, contacts with Portuguese names, and attendances spread over the last
//! two years with their tags, interactions and timeline, and optionally (`--quotes`) quotes and
//! sales on those attendances with their versions, lines and timeline events. Deterministic for a given seed and size
//! (times are relative to the start of the run). Rows go in through `COPY`, with the big tables'
//! indexes and constraints re-created after the load.

mod copy;
mod generate;
mod orders;
mod setup;
mod words;

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crm_core::Role;
use sea_orm::sqlx::{self, PgConnection};
use sea_orm::{DatabaseBackend, DatabaseConnection};
use uuid::Uuid;

use copy::{Rows, Sink};
use crm_auth::AuthSettings;
use generate::{AttendanceRows, Contacts, FlowInfo, MICROS_PER_DAY, World};
use orders::{Codes, OrderRows};
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
    /// Orders (mostly quotes awaiting approval) spread over the attendances; 0 for none.
    pub quotes: u64,
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
    #[error("re-creating the indexes and keys left these missing: {0}")]
    NotRestored(String),
}

/// Attendances generated and sent per round trip to the four COPY streams.
const CHUNK: u64 = 2_000;
/// The tables loaded in bulk, whose indexes are dropped during the load.
const BULK_TABLES: [&str; 8] = [
    "contacts",
    "attendances",
    "attendance_tags",
    "interactions",
    "attendance_events",
    "sales",
    "sale_versions",
    "sale_items",
];
const YEAR: i64 = 365 * MICROS_PER_DAY;
/// Mixed into the seed for the orders' own random stream, so that adding `--quotes` leaves every
/// other row of the data set exactly as it was (runs with and without stay comparable).
const ORDERS_STREAM: u64 = 0x5A1E_5A1E_0000_0001;

/// Fills `db`, a migrated and empty PostgreSQL database; users' passwords are hashed with `auth`.
pub async fn run(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    options: &SeedOptions,
) -> Result<(), SeedError> {
    check(options)?;
    let started = Instant::now();
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Err(SeedError::NotPostgres);
    }
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
    let (admin, members) = users(db, auth, options, &mut conn, now).await?;
    let flows = setup::flows(&mut conn, &mut rng, options, admin, &members, now).await?;

    println!("dropping the indexes of {}", BULK_TABLES.join(", "));
    let dropped = copy::drop_indexes(&mut conn, &BULK_TABLES).await?;
    let contacts = contacts(&mut conn, &mut rng, options, admin, now).await?;
    attendances(&pool, &mut rng, options, &flows, &contacts, now).await?;
    counters(&mut conn).await?;

    println!("re-creating keys, indexes and foreign keys");
    copy::execute(&mut conn, "SET maintenance_work_mem = '512MB'").await?;
    copy::restore(&mut conn, &dropped).await?;
    let missing = copy::missing(&mut conn, &dropped).await?;
    if !missing.is_empty() {
        return Err(SeedError::NotRestored(missing.join(", ")));
    }
    println!("counting the flow summaries");
    crm_attendances::rebuild_counts(db).await?;
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
    if options.quotes > 0 && options.attendances == 0 {
        return Err(SeedError::Invalid("--quotes needs attendances to go on"));
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

/// Sets the counters past the numbers the load used, as if every row had come through the
/// services: the next attendance, quote or sale created through the API continues the series.
async fn counters(conn: &mut PgConnection) -> Result<(), SeedError> {
    copy::execute(
        conn,
        "UPDATE counters SET value = (SELECT COALESCE(MAX(reference), 0) FROM attendances) \
         WHERE name = 'attendance_reference'",
    )
    .await?;
    for (name, prefix) in [("quote_code", "ORC-"), ("sale_code", "VEN-")] {
        copy::execute(
            conn,
            &format!(
                "UPDATE counters SET value = (SELECT COALESCE(MAX(substr(code, 5)::bigint), 0) \
                 FROM sales WHERE code LIKE '{prefix}%') WHERE name = '{name}'"
            ),
        )
        .await?;
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
    auth: &AuthSettings,
    options: &SeedOptions,
    conn: &mut PgConnection,
    now: i64,
) -> Result<(Uuid, Vec<(String, Uuid)>), SeedError> {
    let auth = crm_auth::AuthService::new(db.clone(), auth.clone())?;
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
/// `created_at`, as the counter makes them), with the orders registered on them, streamed to
/// one COPY per table at once.
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
    let mut sinks = Sinks::open(pool).await?;
    let mut out = AttendanceRows::default();
    let mut orders = Orders {
        rng: Rng::new(options.seed ^ ORDERS_STREAM),
        left: options.quotes,
        codes: Codes::default(),
        rows: OrderRows::default(),
    };
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
        let made = generate::attendance(rng, &world, reference, created, contact, &mut out);
        orders.on(&made, total - i, now, &mut out.events)?;
        if (i + 1) % CHUNK == 0 || i + 1 == total {
            sinks.send(&mut out, &mut orders.rows).await?;
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
    sinks.finish().await?;
    println!(
        "{total} attendances, {} tag links, {} interactions, {} timeline events, {} orders \
         ({} versions, {} lines) in {:.1} s",
        out.tags.count(),
        out.interactions.count(),
        out.events.count(),
        orders.rows.sales.count(),
        orders.rows.versions.count(),
        orders.rows.items.count(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The orders still to write and the state of their generator, kept apart from the attendances'.
struct Orders {
    rng: Rng,
    left: u64,
    codes: Codes,
    rows: OrderRows,
}

impl Orders {
    /// Writes this attendance's share of the orders left, `remaining` attendances (this one
    /// included) being still to come.
    fn on(
        &mut self,
        attendance: &generate::Made<'_>,
        remaining: u64,
        now: i64,
        events: &mut Rows,
    ) -> Result<(), SeedError> {
        let count = orders::share(&mut self.rng, self.left, remaining);
        for _ in 0..count {
            orders::order(
                &mut self.rng,
                attendance,
                now,
                &mut self.codes,
                &mut self.rows,
                events,
            )?;
        }
        self.left -= count;
        Ok(())
    }
}

/// One COPY per loaded table, each on its own pooled connection, so PostgreSQL parses them in
/// parallel while the generator runs.
struct Sinks {
    attendances: Sink,
    tags: Sink,
    interactions: Sink,
    events: Sink,
    sales: Sink,
    versions: Sink,
    items: Sink,
}

impl Sinks {
    async fn open(pool: &sqlx::PgPool) -> Result<Self, sqlx::Error> {
        Ok(Sinks {
            attendances: copy::open(pool, "attendances", generate::ATTENDANCE_COLUMNS).await?,
            tags: copy::open(pool, "attendance_tags", generate::ATTENDANCE_TAG_COLUMNS).await?,
            interactions: copy::open(pool, "interactions", generate::INTERACTION_COLUMNS).await?,
            events: copy::open(pool, "attendance_events", generate::EVENT_COLUMNS).await?,
            sales: copy::open(pool, "sales", orders::SALE_COLUMNS).await?,
            versions: copy::open(pool, "sale_versions", orders::VERSION_COLUMNS).await?,
            items: copy::open(pool, "sale_items", orders::ITEM_COLUMNS).await?,
        })
    }

    /// Hands over every buffered row (the buffers start empty again).
    async fn send(
        &mut self,
        out: &mut AttendanceRows,
        orders: &mut OrderRows,
    ) -> Result<(), sqlx::Error> {
        let pairs = [
            (&mut self.attendances, &mut out.attendances),
            (&mut self.tags, &mut out.tags),
            (&mut self.interactions, &mut out.interactions),
            (&mut self.events, &mut out.events),
            (&mut self.sales, &mut orders.sales),
            (&mut self.versions, &mut orders.versions),
            (&mut self.items, &mut orders.items),
        ];
        for (sink, rows) in pairs {
            sink.send(rows.take().into_bytes()).await?;
        }
        Ok(())
    }

    async fn finish(self) -> Result<(), sqlx::Error> {
        for sink in [
            self.attendances,
            self.tags,
            self.interactions,
            self.events,
            self.sales,
            self.versions,
            self.items,
        ] {
            sink.finish().await?;
        }
        Ok(())
    }
}

fn print_summary(
    options: &SeedOptions,
    flows: &[FlowInfo],
    members: &[(String, Uuid)],
    started: Instant,
) {
    println!(
        "\nseeded in {:.0} s: {} flows, {} contacts, {} attendances ({} interactions each), \
         {} quotes and sales",
        started.elapsed().as_secs_f64(),
        options.flows,
        options.contacts,
        options.attendances,
        options.interactions_per_attendance,
        options.quotes
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
