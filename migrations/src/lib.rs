//! Schema migrations, shared by SQLite and PostgreSQL. Applied by `crm serve` at start-up and by
//! `crm migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_attendances;
mod m20261128_000003_sales;
mod m20261128_000004_mail;
mod m20261201_000005_summary_counts;
mod m20261201_000006_search_statistics;
mod m20261201_000007_flow_tags_version;
mod m20261206_000008_contact_changes;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_attendances::Migration),
            Box::new(m20261128_000003_sales::Migration),
            Box::new(m20261128_000004_mail::Migration),
            Box::new(m20261201_000005_summary_counts::Migration),
            Box::new(m20261201_000006_search_statistics::Migration),
            Box::new(m20261201_000007_flow_tags_version::Migration),
            Box::new(m20261206_000008_contact_changes::Migration),
        ]
    }
}
