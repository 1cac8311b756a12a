//! `accord`: run the service, ingest readouts, query the tracker.

mod client;
mod extract;
mod followup;
mod link;
mod ops;
mod sink;
mod up;
mod watch;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run Accord: ingest API, projector and gRPC queries (or one role of them).
    Up(up::UpArgs),
    /// Ingest readout files (or every .txt/.html file in a folder) over gRPC.
    Ingest(client::IngestArgs),
    /// List tracked commitments as a table.
    List(client::ListArgs),
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
    /// Link every readout in the log again (after the linker improved);
    /// appends only links not recorded before.
    Relink(link::RelinkArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,async_nats=warn,sled=warn".into())
    };
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
    }
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Link(args) => link::run(args),
        command => tokio::runtime::Runtime::new()
            .map_err(anyhow::Error::from)
            .and_then(|rt| {
                rt.block_on(async {
                    match command {
                        Command::Up(args) => up::run(args).await,
                        Command::Ingest(args) => client::ingest(args).await,
                        Command::List(args) => client::list(args).await,
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
                        Command::Extract(_) | Command::Link(_) => unreachable!("handled above"),
                    }
                })
            }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
