//! `accord export`: every commitment the filters match, as CSV or JSON
//! Lines, with the same columns as the board's export link (both use
//! `accord_http::export`).

use crate::client::{connect, list_pages, ServerArgs};
use accord_proto::v1 as pb;
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExportArgs {
    /// csv (a header row, then one row per commitment) or jsonl (one JSON
    /// object per line); columns in README "Exports".
    #[arg(long, default_value = "csv", value_parser = ["csv", "jsonl"])]
    format: String,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Only commitments made by this party (e.g. NATO, JPN).
    #[arg(long)]
    party: Option<String>,
    /// action, cooperation, stance or meeting.
    #[arg(long)]
    kind: Option<accord_domain::Kind>,
    /// e.g. not_yet_assessed, fulfilled.
    #[arg(long)]
    status: Option<accord_domain::Status>,
    #[arg(long)]
    topic: Option<String>,
    /// Only commitments with follow-ups waiting for review.
    #[arg(long)]
    review_queue: bool,
    /// Also rejected and merged-away commitments.
    #[arg(long)]
    include_untracked: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let format: accord_http::export::Format = args
        .format
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    let mut client = connect(&args.server).await?;
    let filter = pb::ListCommitmentsRequest {
        party: args.party.clone().unwrap_or_default(),
        kind: args.kind.map_or(0, |k| pb::Kind::from(k) as i32),
        status: args.status.map_or(0, |s| pb::Status::from(s) as i32),
        topic: args.topic.clone().unwrap_or_default(),
        review_queue: args.review_queue,
        include_untracked: args.include_untracked,
        ..Default::default()
    };
    let (rows, _) = list_pages(&mut client, filter, usize::MAX).await?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    accord_http::export::write(format, &rows, &mut out)?;
    out.flush()?;
    if let Some(path) = &args.output {
        eprintln!("{} commitment(s) written to {}", rows.len(), path.display());
    }
    Ok(())
}
