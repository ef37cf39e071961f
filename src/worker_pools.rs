//! Each HTTP worker's own database connections.
//!
//! actix runs every worker on a single-threaded runtime of its own, and a connection's socket is
//! driven by the runtime that opened it. With one pool for all the workers, a worker holding a
//! connection that another one had opened heard back from PostgreSQL only when that other
//! worker's event loop came round to it: under load a fifth of the CPU sat idle and the list
//! served 0.39× the floor (bench/RESULTS.md, 2026-12-02). So every worker opens its own
//! connections, on its own runtime, when it first needs them.

use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
use sea_orm::{DatabaseConnection, DbBackend, DbErr, RuntimeErr, SqlxPostgresConnector};

/// How long start-up and the background jobs wait for a connection, new or from the pool.
/// Requests wait `database.acquire_timeout_ms` only.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// sqlx pings a connection before every statement by default: a round trip that no statement
/// log shows (bench/RESULTS.md, 2026-12-01 evening, step 1). Only a connection idle long enough
/// to have been dropped on the way is checked before use.
pub const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// Opens each worker's connections.
pub enum WorkerPools {
    /// PostgreSQL: a pool per worker, `per_worker` connections at most.
    Postgres {
        options: Box<PgConnectOptions>,
        per_worker: u32,
        /// Short: with the database down, a request answers 503 at once (issue 12).
        acquire_timeout: Duration,
    },
    /// SQLite: the one shared connection (sqlx drives it from a thread of its own, and a second
    /// connection would only meet "database is locked").
    Shared(DatabaseConnection),
}

impl WorkerPools {
    /// `max_connections` is shared out between the `workers`, at least one connection each.
    pub fn new(
        url: &str,
        max_connections: u32,
        workers: usize,
        acquire_timeout: Duration,
        shared: &DatabaseConnection,
    ) -> Result<Self, DbErr> {
        if shared.get_database_backend() != DbBackend::Postgres {
            return Ok(Self::Shared(shared.clone()));
        }
        let options = url
            .parse::<PgConnectOptions>()
            .map_err(|e| DbErr::Conn(RuntimeErr::Internal(e.to_string())))?
            .disable_statement_logging();
        Ok(Self::Postgres {
            options: Box::new(options),
            per_worker: per_worker(max_connections, workers),
            acquire_timeout,
        })
    }

    /// The connections of the worker that calls this: call it from `HttpServer::new`'s factory,
    /// which runs on each worker's runtime. Nothing is opened before the first statement.
    pub fn open(&self) -> DatabaseConnection {
        match self {
            Self::Shared(db) => db.clone(),
            Self::Postgres {
                options,
                per_worker,
                acquire_timeout,
            } => {
                let pool = PgPoolOptions::new()
                    .max_connections(*per_worker)
                    .acquire_timeout(*acquire_timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_IF_IDLE_FOR {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_lazy_with(options.as_ref().clone());
                SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
            }
        }
    }
}

fn per_worker(max_connections: u32, workers: usize) -> u32 {
    let workers = u32::try_from(workers.max(1)).unwrap_or(u32::MAX);
    (max_connections / workers).max(1)
}

#[cfg(test)]
mod tests {
    use super::per_worker;

    #[test]
    fn the_connections_are_shared_out_without_exceeding_the_setting() {
        assert_eq!(per_worker(10, 2), 5);
        assert_eq!(per_worker(10, 3), 3);
        assert_eq!(per_worker(10, 1), 10);
    }

    #[test]
    fn every_worker_gets_a_connection_even_when_there_are_fewer_than_workers() {
        assert_eq!(per_worker(2, 8), 1);
        assert_eq!(per_worker(0, 0), 1);
    }
}
