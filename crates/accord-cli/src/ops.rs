//! Operator commands: dead letters and rebuilds.

use crate::client::{connect, status_error, ServerArgs};
use accord_proto::v1 as pb;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Subcommand)]
pub enum Dlq {
    /// Entries the projector set aside, with the reason.
    List,
    /// Try them again (after an upgrade that reads them).
    Replay,
    /// Set aside for good the unreadable entry at POSITION that holds its
    /// commitment back (recorded in the log and the commitment's history);
    /// the events waiting behind it are applied. Needs the admin role.
    Skip {
        /// The log position of the parked entry (from `accord dlq list`).
        position: u64,
        /// Why it is skipped (kept in the commitment's history).
        #[arg(long)]
        reason: String,
    },
}

#[derive(Args)]
pub struct DlqArgs {
    #[command(subcommand)]
    what: Dlq,
    /// Print JSON lines (one per parked entry) or one JSON object.
    #[arg(long, global = true)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn dlq(args: DlqArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    match args.what {
        Dlq::List => {
            let mut r = pb::ListDeadLettersResponse::default();
            loop {
                let mut page = client
                    .list_dead_letters(pb::ListDeadLettersRequest {
                        page_size: 1000,
                        page_token: std::mem::take(&mut r.next_page_token),
                    })
                    .await
                    .map_err(status_error)?
                    .into_inner();
                r.dead_letters.append(&mut page.dead_letters);
                r.position = page.position;
                r.next_page_token = page.next_page_token;
                if r.next_page_token.is_empty() {
                    break;
                }
            }
            if args.json {
                for d in &r.dead_letters {
                    let line = serde_json::json!({"position": d.position, "subject": d.subject,
                        "aggregate": d.aggregate, "reason": d.reason});
                    println!("{line}");
                }
                return Ok(());
            }
            for d in &r.dead_letters {
                println!("{:>8}  {:<48} {}", d.position, d.subject, d.reason);
            }
            println!(
                "{} parked entr{} (tracker at log position {})",
                r.dead_letters.len(),
                if r.dead_letters.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                r.position
            );
        }
        Dlq::Replay => {
            let r = client
                .replay_dead_letters(pb::ReplayDeadLettersRequest {})
                .await
                .map_err(status_error)?
                .into_inner();
            if args.json {
                let out = serde_json::json!({"applied": r.applied, "still_parked": r.still_parked});
                println!("{out}");
            } else {
                println!("{} applied, {} still parked", r.applied, r.still_parked);
            }
        }
        Dlq::Skip { position, reason } => {
            let r = client
                .skip_dead_letter(pb::SkipDeadLetterRequest { position, reason })
                .await
                .map_err(status_error)?
                .into_inner();
            if args.json {
                let out = serde_json::json!({"commitment_id": r.commitment_id,
                    "skip_position": r.skip_position, "already_skipped": r.already_skipped,
                    "still_parked": r.still_parked});
                println!("{out}");
            } else if r.already_skipped {
                println!(
                    "position {position} was already skipped (at log position {}); nothing appended",
                    r.skip_position
                );
            } else {
                println!(
                    "skipped position {position} of commitment {} (recorded at log position {}); {} entr{} of it still parked",
                    r.commitment_id,
                    r.skip_position,
                    r.still_parked,
                    if r.still_parked == 1 { "y" } else { "ies" }
                );
            }
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct RebuildArgs {
    /// Print the outcome as JSON (`position`, `digest`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn rebuild(args: RebuildArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let mut progress = client
        .rebuild(pb::RebuildRequest {})
        .await
        .map_err(status_error)?
        .into_inner();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "rebuilding {bar:40} {pos}/{len} log positions ({per_sec}, eta {eta})",
        )
        .expect("valid template"),
    );
    while let Some(p) = progress.message().await.map_err(status_error)? {
        bar.set_length(p.target.max(p.position));
        bar.set_position(p.position);
        if p.swapped {
            bar.finish_and_clear();
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({"position": p.position, "digest": p.digest})
                );
                return Ok(());
            }
            println!(
                "rebuilt up to log position {} and swapped in; digest {}",
                p.position,
                if p.digest.is_empty() { "-" } else { &p.digest }
            );
            return Ok(());
        }
    }
    anyhow::bail!("the server ended the rebuild without swapping")
}
