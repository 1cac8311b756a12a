//! `accord`: run the service, ingest readouts, query the tracker.

mod client;
mod connect;
mod credentials;
mod export;
mod extract;
mod fetch;
mod followup;
mod link;
mod nats;
mod ops;
mod otel;
mod sink;
mod up;
mod watch;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// mimalloc: gRPC answers are built from many small allocations, which
/// glibc's malloc served at about a third of a listing's CPU (docs/performance-history.md,
/// issue #13 third round).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "accord", version, about = "Track diplomatic commitments from meeting readouts to their follow-up.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log lines on stderr: `text` for people, `json` (one object per line,
    /// with the request's span and its `request_id`) for log pipelines.
    #[arg(
        long,
        global = true,
        env = "ACCORD_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    /// Export tracing spans over OTLP/HTTP (protobuf) to this collector
    /// base URL (spans go to `<URL>/v1/traces`), as service `accord`.
    /// Off when unset.
    #[arg(
        long,
        global = true,
        env = "OTEL_EXPORTER_OTLP_ENDPOINT",
        value_name = "URL"
    )]
    otlp_endpoint: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

// Parsed once per process: the size of the `up` variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run Accord: ingest API, projector and gRPC queries (or one role of them).
    Up(up::UpArgs),
    /// Ingest readout files (or every .txt/.html/.pdf file in a folder), pages by
    /// URL, or the pages an RSS/Atom feed lists, over gRPC.
    Ingest(client::IngestArgs),
    /// List tracked commitments as a table.
    List(client::ListArgs),
    /// Every commitment the filters match as CSV or JSON Lines (the board's export).
    Export(export::ExportArgs),
    /// Show one commitment (c…) or document (d…) with its details.
    Show(client::ShowArgs),
    /// Record a follow-up: evidence, a status assessment or a supersession.
    Followup(followup::FollowUpArgs),
    /// Review extractions and proposed follow-ups (no id: list the review queue).
    Review(followup::ReviewArgs),
    /// Follow changes to commitments as they happen (resumable with --from).
    Watch(watch::WatchArgs),
    /// Follow deadline alerts: due soon, overdue, resolved.
    Alerts(watch::AlertsArgs),
    /// Summit-compliance report for one party.
    Report(followup::ReportArgs),
    /// Dead letters: log entries the projector set aside.
    Dlq(ops::DlqArgs),
    /// Alert deliveries the receiver refused for good: list, replay.
    Sink(sink::SinkArgs),
    /// Rebuild the projection from the log beside the live one, then swap.
    Rebuild(ops::RebuildArgs),
    /// Extract commitments from a readout file, offline (no NATS, no server).
    Extract(extract::ExtractArgs),
    /// Which commitments of an earlier readout a later one reports on, and
    /// why (--explain), offline.
    Link(link::LinkArgs),
    /// Log keys: make or rotate the key file `accord up --log-keys` reads.
    LogKey(up::LogKeyArgs),
    /// Link every readout in the log again (after the linker improved);
    /// appends only links not recorded before.
    Relink(link::RelinkArgs),
    /// Development credentials: a CA, server/client certificates, a token per role.
    Credentials(credentials::CredentialsArgs),
    /// Issue bearer tokens (hashes into the tokens file, the token shown once).
    Token(credentials::TokenArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            "info,async_nats=warn,sled=warn,tonic::transport::server::io_stream=debug".into()
        })
    };
    // Built before any async runtime: its HTTP client is a blocking one.
    let exporter = match cli
        .otlp_endpoint
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        None => None,
        Some(endpoint) => {
            let mut attributes = vec![opentelemetry::KeyValue::new(
                "accord.command",
                command_name(&cli.command),
            )];
            if let Command::Up(args) = &cli.command {
                attributes.push(opentelemetry::KeyValue::new(
                    "accord.role",
                    args.role_name(),
                ));
            }
            match otel::Exporter::start(endpoint, attributes) {
                Ok(exporter) => Some(exporter),
                Err(e) => {
                    eprintln!("error: OTLP trace export to {endpoint}: {e:#}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let traces = exporter.as_ref().map(|e| e.layer());
    let logs = match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_filter(filter())
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_writer(std::io::stderr)
            .with_filter(filter())
            .boxed(),
    };
    tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .init();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Link(args) => link::run(args),
        Command::Credentials(args) => credentials::credentials(args),
        Command::Token(args) => credentials::token(args),
        Command::LogKey(args) => up::log_key(args),
        command => tokio::runtime::Runtime::new()
            .map_err(anyhow::Error::from)
            .and_then(|rt| {
                rt.block_on(async {
                    match command {
                        Command::Up(args) => up::run(args).await,
                        Command::Ingest(args) => client::ingest(args).await,
                        Command::List(args) => client::list(args).await,
                        Command::Export(args) => export::export(args).await,
                        Command::Show(args) => client::show(args).await,
                        Command::Followup(args) => followup::followup(args).await,
                        Command::Review(args) => followup::review(args).await,
                        Command::Report(args) => followup::report(args).await,
                        Command::Watch(args) => watch::watch(args).await,
                        Command::Dlq(args) => ops::dlq(args).await,
                        Command::Sink(args) => sink::sink(args).await,
                        Command::Rebuild(args) => ops::rebuild(args).await,
                        Command::Alerts(args) => watch::alerts(args).await,
                        Command::Relink(args) => link::relink(args).await,
                        Command::Extract(_)
                        | Command::Link(_)
                        | Command::Credentials(_)
                        | Command::Token(_)
                        | Command::LogKey(_) => unreachable!("handled above"),
                    }
                })
            }),
    };
    if let Some(exporter) = exporter {
        exporter.shutdown();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The subcommand's name, as typed.
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Up(_) => "up",
        Command::Ingest(_) => "ingest",
        Command::List(_) => "list",
        Command::Export(_) => "export",
        Command::Show(_) => "show",
        Command::Followup(_) => "followup",
        Command::Review(_) => "review",
        Command::Watch(_) => "watch",
        Command::Alerts(_) => "alerts",
        Command::Report(_) => "report",
        Command::Dlq(_) => "dlq",
        Command::Sink(_) => "sink",
        Command::Rebuild(_) => "rebuild",
        Command::Extract(_) => "extract",
        Command::Link(_) => "link",
        Command::Relink(_) => "relink",
        Command::Credentials(_) => "credentials",
        Command::Token(_) => "token",
        Command::LogKey(_) => "log-key",
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;

    use clap::CommandFactory;

    /// clap checks its definitions only when a command is parsed: two
    /// flattened flag sets sharing an id would panic `accord up` at start.
    #[test]
    fn every_command_line_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
