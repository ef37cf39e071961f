//! Tag use cases.

use sea_orm::DatabaseConnection;

#[derive(Clone)]
pub struct TagService {
    #[allow(dead_code)]
    db: DatabaseConnection,
}

impl TagService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}
