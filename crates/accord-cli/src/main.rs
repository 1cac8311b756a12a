//! `accord`: run the service, ingest readouts, query the tracker.

mod client;
mod extract;
mod up;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "accord", version, about = "Track diplomatic commitments from meeting readouts to their follow-up.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Extract commitments from a readout file, offline (no NATS, no server).
    Extract(extract::ExtractArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,async_nats=warn,sled=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        command => tokio::runtime::Runtime::new()
            .map_err(anyhow::Error::from)
            .and_then(|rt| {
                rt.block_on(async {
                    match command {
                        Command::Up(args) => up::run(args).await,
                        Command::Ingest(args) => client::ingest(args).await,
                        Command::List(args) => client::list(args).await,
                        Command::Show(args) => client::show(args).await,
                        Command::Extract(_) => unreachable!("handled above"),
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
