//! Probes for orchestrators and load balancers.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    #[schema(example = "ok")]
    pub status: String,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(live).service(ready);
}

/// The process is up.
///
/// Answers 200 while the process runs; it checks nothing else.
#[utoipa::path(
    tag = "health",
    responses((status = 200, description = "The process is up", body = Health))
)]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".to_owned(),
    })
}

/// How long the readiness probe waits for the database: a probe must answer well within the
/// orchestrator's timeout (often 1 s), and a database that takes longer is not ready anyway.
const READY_TIMEOUT: Duration = Duration::from_millis(800);

/// The process can serve requests: the database answers.
///
/// Answers 200 when a `SELECT 1` on the database succeeds within 800 ms, 503 otherwise (also
/// when no connection can be had in that time).
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health)
    )
)]
#[get("/health/ready")]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let check = tokio::time::timeout(READY_TIMEOUT, state.db.execute_unprepared("SELECT 1")).await;
    match check {
        Ok(Ok(_)) => HttpResponse::Ok().json(Health {
            status: "ok".to_owned(),
        }),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable".to_owned(),
            })
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer in time");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable".to_owned(),
            })
        }
    }
}
