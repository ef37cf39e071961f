//! `crm`: the Atendimentos CRM API server and its admin commands.

use clap::{Parser, Subcommand};
use crm::startup::{self, Application, Bootstrap};
use crm::{Settings, telemetry};
use crm_core::Role;

#[derive(Parser)]
#[command(name = "crm", version, about = "Atendimentos CRM API")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrates the database and serves the API (default 127.0.0.1:8080, SQLite in ./crm.db).
    Serve,
    /// Applies pending migrations and exits.
    Migrate,
    /// Creates a user. Without a password one is generated and printed.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "member"], default_value = "member")]
        role: String,
        /// Read from CRM_NEW_USER_PASSWORD when not given, so it stays out of shell history.
        #[arg(long, env = "CRM_NEW_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Prints the OpenAPI document.
    Openapi,
    /// Fills an empty PostgreSQL database with the benchmark data set (bench/, DESIGN §8).
    SeedBench {
        #[arg(long, default_value_t = 20)]
        flows: u32,
        #[arg(long, default_value_t = 200_000)]
        contacts: u64,
        #[arg(long, default_value_t = 1_000_000)]
        attendances: u64,
        #[arg(long, default_value_t = 3)]
        interactions_per_attendance: u32,
        /// Members besides the admin, each authorized on --member-flows flows.
        #[arg(long, default_value_t = 5)]
        members: u32,
        #[arg(long, default_value_t = 5)]
        member_flows: u32,
        /// Quotes and sales (mostly quotes awaiting approval) spread over the attendances.
        #[arg(long, default_value_t = 0)]
        quotes: u64,
        /// Seed of the pseudo-random generator: the same seed gives the same data.
        #[arg(long, default_value_t = 20261128)]
        seed: u64,
        /// Password of every created user (printed at the end; it is a benchmark database).
        #[arg(long, env = "BENCH_PASSWORD", default_value = "bench-password-2026")]
        password: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    if let Command::Openapi = command {
        println!("{}", crm_api::openapi_document().to_pretty_json()?);
        return Ok(());
    }
    let mut settings = Settings::load()?;
    telemetry::init(&settings.log);
    match command {
        Command::Serve => {
            settings.ensure_jwt_secret()?;
            let bootstrap = Bootstrap {
                email: std::env::var("CRM_ADMIN_EMAIL")
                    .unwrap_or_else(|_| "admin@crm.local".to_owned()),
                password: std::env::var("CRM_ADMIN_PASSWORD").ok(),
            };
            let app = Application::build(settings, bootstrap).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = startup::connect(&settings).await?;
            startup::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::CreateUser {
            email,
            name,
            role,
            password,
        } => {
            settings.ensure_jwt_secret()?;
            let db = startup::connect(&settings).await?;
            startup::migrate(&db).await?;
            let auth = crm_auth::AuthService::new(db, settings.auth)?;
            let generated = password
                .is_none()
                .then(crm_auth::service::generate_password);
            let password = password.or(generated.clone()).unwrap_or_default();
            let role = Role::parse(&role).unwrap_or(Role::Member);
            let user = auth.insert_user(&name, &email, &password, role).await?;
            println!("created user {} <{}> ({})", user.id, user.email, user.role);
            if let Some(generated) = generated {
                println!("password: {generated}");
            }
        }
        Command::SeedBench {
            flows,
            contacts,
            attendances,
            interactions_per_attendance,
            members,
            member_flows,
            quotes,
            seed,
            password,
        } => {
            let options = crm_seed::SeedOptions {
                flows,
                contacts,
                attendances,
                interactions_per_attendance,
                members,
                member_flows,
                quotes,
                seed,
                password,
            };
            if !settings.database.url.starts_with("postgres") {
                return Err(crm_seed::SeedError::NotPostgres.into());
            }
            let db = startup::connect(&settings).await?;
            startup::migrate(&db).await?;
            crm_seed::run(&db, &settings.auth, &options).await?;
        }
        Command::Openapi => {}
    }
    Ok(())
}
