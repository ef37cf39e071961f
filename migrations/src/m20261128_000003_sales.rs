//! Quotes and sales with immutable versions, their NF-e data, and purchases.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO counters (name, value) VALUES ('quote_code', 0), ('sale_code', 0), \
                 ('purchase_code', 0)",
            )
            .await?;

        // An order (quote or sale). Its content lives in versions; `current_version` names the
        // one in force, and the copied totals let lists and the receivable sum without joins.
        m.create_table(
            Table::create()
                .table("sales")
                .col(pk_uuid("id"))
                .col(uuid("attendance_id"))
                .col(uuid("flow_id"))
                .col(text_uniq("code"))
                .col(string_len("status", 20))
                .col(integer("current_version"))
                .col(big_integer("total_cents"))
                .col(boolean("issue_nfe"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "sales",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "sales",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "sales",
                    "created_by",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "sales",
            "attendance",
            &["attendance_id", "created_at", "id"],
        ))
        .await?;
        m.create_index(index(
            "sales",
            "flow_status",
            &["flow_id", "status", "created_at", "id"],
        ))
        .await?;
        m.create_index(index("sales", "created", &["created_at", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("sale_versions")
                .col(pk_uuid("id"))
                .col(uuid("sale_id"))
                .col(integer("number"))
                .col(big_integer("subtotal_cents"))
                .col(big_integer("discount_cents"))
                .col(big_integer("freight_cents"))
                .col(big_integer("total_cents"))
                // The order discount as entered: {"kind": "amount"|"percent", "value": "…"}.
                .col(text_null("discount"))
                .col(text_null("payment_terms"))
                .col(date_null("valid_until"))
                .col(text_null("notes"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "sale_versions",
                    "sale_id",
                    "sales",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "sale_versions",
                    "created_by",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("sale_versions", "sale_number", &["sale_id", "number"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(item_table("sale_items", "version_id", "sale_versions"))
            .await?;
        m.create_index(index("sale_items", "parent", &["version_id", "position"]))
            .await?;

        m.create_table(
            Table::create()
                .table("purchases")
                .col(pk_uuid("id"))
                .col(uuid("attendance_id"))
                .col(uuid("flow_id"))
                .col(text_uniq("code"))
                .col(uuid("supplier_id"))
                .col(date("purchased_on"))
                .col(text_null("notes"))
                .col(big_integer("subtotal_cents"))
                .col(big_integer("discount_cents"))
                .col(big_integer("freight_cents"))
                .col(big_integer("total_cents"))
                .col(text_null("discount"))
                .col(integer("version"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "purchases",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "purchases",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "purchases",
                    "supplier_id",
                    "contacts",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "purchases",
                    "created_by",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "purchases",
            "attendance",
            &["attendance_id", "created_at", "id"],
        ))
        .await?;
        m.create_index(index("purchases", "flow", &["flow_id", "created_at", "id"]))
            .await?;
        m.create_index(index("purchases", "supplier", &["supplier_id"]))
            .await?;
        m.create_index(index("purchases", "created", &["created_at", "id"]))
            .await?;
        m.create_table(item_table("purchase_items", "purchase_id", "purchases"))
            .await?;
        m.create_index(index(
            "purchase_items",
            "parent",
            &["purchase_id", "position"],
        ))
        .await?;

        // The NF-e (Brazilian e-invoice) data of an order, completed by the user: a JSON document
        // validated by the service, and whether it is complete.
        m.create_table(
            Table::create()
                .table("sale_nfe")
                .col(uuid("sale_id").primary_key())
                .col(text("document"))
                .col(string_len("status", 12))
                .col(integer("version"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "sale_nfe",
                    "sale_id",
                    "sales",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "sale_nfe",
            "purchase_items",
            "purchases",
            "sale_items",
            "sale_versions",
            "sales",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// Lines of a sale version or of a purchase. Decimal inputs are kept as the exact decimal
/// strings they were validated as; amounts in centavos.
fn item_table(
    table: &'static str,
    parent: &'static str,
    parent_table: &'static str,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(pk_uuid("id"))
        .col(uuid(parent))
        .col(integer("position"))
        .col(text("description"))
        .col(text_null("product_code"))
        .col(text("quantity"))
        .col(string_len("unit", 6))
        .col(text("unit_price"))
        .col(text_null("discount"))
        .col(big_integer("gross_cents"))
        .col(big_integer("discount_cents"))
        .col(big_integer("total_cents"))
        .foreign_key(&mut fk(
            table,
            parent,
            parent_table,
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}
