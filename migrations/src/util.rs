//! Small builders shared by migrations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `created_at` and `updated_at`, both required.
pub fn timestamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
}

/// A required foreign key column to `users.id` that keeps the user while referenced.
pub fn fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{column}"))
        .from(from_table, column)
        .to(to_table, "id")
        .on_delete(on_delete)
        .to_owned()
}

pub fn index(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(format!("ix_{table}_{name}")).table(table);
    for column in columns {
        index.col(*column);
    }
    index.clone()
}
