//! Application wiring: shared state, the `/api/v1` routes, extractor configuration and the
//! fallback that answers unknown routes (404) and wrong methods (405).

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, web};
use crm_attendances::AttendanceService;
use crm_auth::AuthService;
use crm_contacts::ContactService;
use crm_core::Code;
use crm_flows::FlowService;
use crm_mail::MailService;
use crm_purchases::PurchaseService;
use crm_reports::ReportService;
use crm_sales::SaleService;
use crm_tags::TagService;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::scope::scope;
use utoipa_swagger_ui::SwaggerUi;

use crate::body_deadline::BodyTimeout;
use crate::client_ip::TrustedProxies;
use crate::fallback::{self, RouteTable};
use crate::problem::ApiError;
use crate::routes;

/// Everything a handler needs: one service per domain.
pub struct AppState {
    pub db: DatabaseConnection,
    pub auth: AuthService,
    pub flows: FlowService,
    pub contacts: ContactService,
    pub tags: TagService,
    pub attendances: AttendanceService,
    pub sales: SaleService,
    pub purchases: PurchaseService,
    pub reports: ReportService,
    pub mail: MailService,
    /// Whose forwarding headers name the client (`server.trusted_proxies`).
    pub trusted_proxies: Arc<TrustedProxies>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, auth: AuthService, mail: MailService) -> Self {
        let attendances = AttendanceService::new(db.clone());
        Self::with(db, auth, mail, attendances)
    }

    /// The same services on another connection pool, sharing what they keep in memory (checked
    /// sessions, flows' tags): each server worker serves from its own pool (`src/startup.rs`).
    #[must_use]
    pub fn on(&self, db: DatabaseConnection) -> Self {
        let mut state = Self::with(
            db.clone(),
            self.auth.on(db.clone()),
            self.mail.on(db.clone()),
            self.attendances.on(db),
        );
        state.trusted_proxies = Arc::clone(&self.trusted_proxies);
        state
    }

    /// Believes the forwarding headers of these proxies (none by default).
    #[must_use]
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    fn with(
        db: DatabaseConnection,
        auth: AuthService,
        mail: MailService,
        attendances: AttendanceService,
    ) -> Self {
        Self {
            flows: FlowService::new(db.clone()),
            contacts: ContactService::new(
                db.clone(),
                Arc::new(crm_attendances::AttendancesOfContacts),
            ),
            tags: TagService::new(db.clone()),
            sales: SaleService::new(db.clone()),
            purchases: PurchaseService::new(db.clone()),
            reports: ReportService::new(db.clone()),
            attendances,
            auth,
            mail,
            db,
            trusted_proxies: Arc::default(),
        }
    }
}

/// Registers every documented route; used both to serve and to generate the OpenAPI document.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(routes::health::configure).service(
        scope("/api/v1")
            .configure(routes::auth::configure)
            .configure(routes::me::configure)
            .configure(routes::me::preferences::configure)
            .configure(routes::me::mailbox::configure)
            .configure(routes::users::configure)
            .configure(routes::flows::configure)
            .configure(routes::contacts::configure)
            .configure(routes::tags::configure)
            .configure(routes::attendances::configure)
            .configure(routes::attendance_actions::configure)
            .configure(routes::interactions::configure)
            .configure(routes::sales::configure)
            .configure(routes::purchases::configure)
            .configure(routes::reports::configure)
            .configure(routes::mail::configure),
    );
}

/// The application, with its state, documentation and fallback.
pub fn build(
    state: web::Data<AppState>,
    document: Arc<utoipa::openapi::OpenApi>,
    routes: Arc<RouteTable>,
    body_timeout: BodyTimeout,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    // The document and Swagger UI come before the `/api/v1` scope, which would otherwise claim
    // `/api/v1/openapi.json` and answer 404.
    let (app, _) = App::new()
        .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", (*document).clone()))
        .service(web::redirect("/docs", "/docs/").permanent())
        .into_utoipa_app()
        .app_data(state)
        .app_data(body_timeout)
        .app_data(web::Data::from(routes))
        .app_data(query_config())
        .app_data(path_config())
        .configure(configure)
        .split_for_parts();
    app.default_service(web::to(fallback::not_found_or_not_allowed))
        .wrap(from_fn(crate::body_deadline::body_deadline))
        .wrap(from_fn(crate::security_headers::security_headers))
        .wrap(from_fn(crate::middleware::request_context))
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::new(Code::InvalidQuery, format!("invalid query: {err}")).into()
    })
}

/// A path parameter that is not even an id names no resource: 404, as for an unknown id.
fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_, _| ApiError::new(Code::NotFound, "no such resource").into())
}
