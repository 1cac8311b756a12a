//! Analyst commands: follow-ups, review and compliance reports.

use crate::client::{connect, details, retried, status_error, status_name, ServerArgs};
use accord_proto::v1 as pb;
use anyhow::Context;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct Who {
    /// Who is making the change (recorded in the log). Default: the name
    /// the server knows your token or certificate by; another name is
    /// refused. (A server without a tokens file records it as stated.)
    #[arg(long = "as", env = "ACCORD_ANALYST", default_value = "")]
    analyst: String,
    /// The version you last saw; default: the current one (fetched first).
    #[arg(long)]
    expected_version: Option<u64>,
    /// Idempotency key; reuse it to retry safely (the CLI retries with the
    /// same one on UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED).
    /// Default: a fresh one, printed.
    #[arg(long)]
    command_id: Option<String>,
}

impl Who {
    /// One id per invocation, the same on every retry of it.
    fn command_id(&self) -> String {
        static FRESH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        self.command_id.clone().unwrap_or_else(|| {
            FRESH
                .get_or_init(|| {
                    let nanos = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos())
                        .unwrap_or_default();
                    format!("cli-{}-{nanos}", std::process::id())
                })
                .clone()
        })
    }

    async fn version(&self, client: &mut crate::client::Client, id: &str) -> anyhow::Result<u64> {
        if let Some(v) = self.expected_version {
            return Ok(v);
        }
        let r = client
            .get_commitment(pb::GetCommitmentRequest {
                id: id.into(),
                ..Default::default()
            })
            .await
            .map_err(status_error)?;
        Ok(r.into_inner()
            .commitment
            .context("no commitment in the answer")?
            .version)
    }
}

#[derive(Subcommand)]
pub enum FollowUp {
    /// Attach evidence of what became of a commitment.
    Evidence {
        id: String,
        /// reaffirmation, bureaucratic_step, budget, instrument_signed, completion, progress, over_implementation, replacement.
        #[arg(long)]
        kind: String,
        /// When it happened (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        #[arg(long)]
        snippet: String,
        #[arg(long)]
        url: Option<String>,
        #[arg(long, default_value = "analyst")]
        source_type: String,
        /// A stable id for this evidence (default: derived from the date and URL).
        #[arg(long)]
        evidence_id: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Assess the status (for every committer, or one with --party).
    Status {
        id: String,
        /// e.g. in_progress, fulfilled, not_fulfilled, maintained.
        #[arg(long)]
        status: accord_domain::Status,
        #[arg(long)]
        party: Option<String>,
        /// e.g. blocked_external, lack_of_resources, evidence_found.
        #[arg(long)]
        reason: Option<String>,
        /// Since when the status holds (YYYY-MM-DD).
        #[arg(long)]
        effective: String,
        /// Required to leave a terminal status.
        #[arg(long)]
        reassess: bool,
        #[arg(long)]
        note: Option<String>,
        /// Evidence ids the judgement rests on.
        #[arg(long = "evidence")]
        evidence_ids: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Move the deadline (assessment window).
    Deadline {
        id: String,
        /// The new deadline (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Hold the commitment to no deadline.
    Waive {
        id: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Record that another commitment replaces this one.
    Supersede {
        id: String,
        #[arg(long)]
        successor: String,
        #[arg(long)]
        effective: String,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Args)]
pub struct FollowUpArgs {
    #[command(subcommand)]
    what: FollowUp,
    /// Print the answer as one JSON object (version, positions, replayed, commitment).
    #[arg(long, global = true)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

fn print_outcome(r: pb::CommandResponse, json: bool) {
    if json {
        let c = r.commitment.as_ref().map(crate::client::commitment_json);
        let out = serde_json::json!({"version": r.version, "positions": r.positions, "replayed": r.replayed, "commitment": c});
        println!("{out}");
        return;
    }
    if r.replayed {
        println!("(this command id was applied before; showing its first result)");
    } else if r.positions.is_empty() {
        println!("nothing to change: already so");
    } else {
        println!(
            "appended at log positions {:?}; version {}",
            r.positions, r.version
        );
    }
    if let Some(c) = r.commitment {
        print!("{}", details(&c));
    }
}

pub async fn followup(args: FollowUpArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let (id, who, follow_up) = match args.what {
        FollowUp::Evidence {
            id,
            kind,
            date,
            snippet,
            url,
            source_type,
            evidence_id,
            who,
        } => {
            let evidence_id = evidence_id.unwrap_or_else(|| {
                format!("{date}:{}", url.clone().unwrap_or_else(|| who.command_id()))
            });
            // Both the typed kind and the (deprecated) string, which servers
            // before the typed field read.
            let evidence_kind = kind
                .parse::<accord_domain::EvidenceKind>()
                .map_or(0, |k| pb::EvidenceKind::from(k) as i32);
            let evidence = pb::Evidence {
                evidence_id,
                kind,
                evidence_kind,
                date,
                snippet,
                source_url: url.unwrap_or_default(),
                source_type,
                ..Default::default()
            };
            let by = who.analyst.clone();
            (
                id,
                who,
                pb::record_follow_up_request::FollowUp::Evidence(pb::AttachEvidence {
                    evidence: Some(evidence),
                    by,
                }),
            )
        }
        FollowUp::Status {
            id,
            status,
            party,
            reason,
            effective,
            reassess,
            note,
            evidence_ids,
            who,
        } => {
            let assess = pb::AssessStatus {
                party: party.unwrap_or_default(),
                status: pb::Status::from(status) as i32,
                reason: reason.unwrap_or_default(),
                effective,
                assessor: who.analyst.clone(),
                note: note.unwrap_or_default(),
                reassessment: reassess,
                evidence_ids,
            };
            (
                id,
                who,
                pb::record_follow_up_request::FollowUp::Assess(assess),
            )
        }
        FollowUp::Deadline {
            id,
            to,
            reason,
            who,
        } => {
            let by = who.analyst.clone();
            (
                id,
                who,
                pb::record_follow_up_request::FollowUp::ExtendDeadline(pb::ExtendDeadline {
                    to,
                    reason,
                    by,
                }),
            )
        }
        FollowUp::Waive { id, reason, who } => {
            let by = who.analyst.clone();
            (
                id,
                who,
                pb::record_follow_up_request::FollowUp::WaiveDeadline(pb::WaiveDeadline {
                    reason,
                    by,
                }),
            )
        }
        FollowUp::Supersede {
            id,
            successor,
            effective,
            who,
        } => {
            let by = who.analyst.clone();
            (
                id,
                who,
                pb::record_follow_up_request::FollowUp::Supersede(pb::Supersede {
                    successor,
                    effective,
                    by,
                    evidence_ids: vec![],
                }),
            )
        }
    };
    let request = pb::RecordFollowUpRequest {
        expected_version: who.version(&mut client, &id).await?,
        command_id: who.command_id(),
        commitment_id: id,
        follow_up: Some(follow_up),
    };
    eprintln!(
        "command id {} (reuse it with --command-id to retry safely)",
        request.command_id
    );
    print_outcome(
        retried(|| {
            let mut client = client.clone();
            let request = request.clone();
            async move { client.record_follow_up(request).await }
        })
        .await
        .map_err(status_error)?
        .into_inner(),
        args.json,
    );
    Ok(())
}

#[derive(Args)]
pub struct ReviewArgs {
    /// The commitment to review; without it, list the review queue.
    id: Option<String>,
    /// It is a real commitment.
    #[arg(long, conflicts_with_all = ["reject", "merge_into", "accept", "dismiss"])]
    confirm: bool,
    /// It is an extraction false alarm (give the reason).
    #[arg(long)]
    reject: Option<String>,
    /// It is the same pledge as this commitment.
    #[arg(long)]
    merge_into: Option<String>,
    /// Accept this proposed follow-up.
    #[arg(long)]
    accept: Option<String>,
    /// Dismiss this proposed follow-up.
    #[arg(long)]
    dismiss: Option<String>,
    /// Print JSON: the answer as one object, or the review queue as JSON lines.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    who: Who,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn review(args: ReviewArgs) -> anyhow::Result<()> {
    use pb::review_commitment_request::Review;
    let mut client = connect(&args.server).await?;
    let Some(id) = args.id.clone() else {
        let request = pb::ListCommitmentsRequest {
            review_queue: true,
            page_size: 1000,
            ..Default::default()
        };
        let page = client
            .list_commitments(request)
            .await
            .map_err(status_error)?
            .into_inner();
        for c in &page.commitments {
            if args.json {
                println!("{}", crate::client::commitment_json(c));
                continue;
            }
            print!("{}", details(c));
            println!();
        }
        if args.json {
            return Ok(());
        }
        println!(
            "{} commitment(s) with follow-ups waiting for review",
            page.commitments.len()
        );
        return Ok(());
    };
    let by = args.who.analyst.clone();
    let review = if args.confirm {
        Review::Confirm(pb::Confirm {
            by,
            note: String::new(),
        })
    } else if let Some(reason) = args.reject.clone() {
        Review::Reject(pb::Reject { by, reason })
    } else if let Some(into) = args.merge_into.clone() {
        Review::Merge(pb::Merge { into, by })
    } else if let Some(proposal_id) = args.accept.clone() {
        Review::Resolve(pb::ResolveProposal {
            proposal_id,
            accept: true,
            by,
        })
    } else if let Some(proposal_id) = args.dismiss.clone() {
        Review::Resolve(pb::ResolveProposal {
            proposal_id,
            accept: false,
            by,
        })
    } else {
        anyhow::bail!("say what to do: --confirm, --reject REASON, --merge-into ID, --accept PROPOSAL or --dismiss PROPOSAL");
    };
    let request = pb::ReviewCommitmentRequest {
        expected_version: args.who.version(&mut client, &id).await?,
        command_id: args.who.command_id(),
        commitment_id: id,
        review: Some(review),
    };
    eprintln!(
        "command id {} (reuse it with --command-id to retry safely)",
        request.command_id
    );
    print_outcome(
        retried(|| {
            let mut client = client.clone();
            let request = request.clone();
            async move { client.review_commitment(request).await }
        })
        .await
        .map_err(status_error)?
        .into_inner(),
        args.json,
    );
    Ok(())
}

#[derive(Args)]
pub struct ReportArgs {
    /// Party code, e.g. JPN or NATO.
    party: String,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Only commitments made on or after this meeting date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only commitments made on or before this meeting date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn report(args: ReportArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let request = pb::GetComplianceReportRequest {
        party: args.party.clone(),
        since: args.since.clone().unwrap_or_default(),
        until: args.until.clone().unwrap_or_default(),
        min_position: None,
        ..Default::default()
    };
    // Every page, at the first page's position; the totals are on each.
    let mut r = client
        .get_compliance_report(request.clone())
        .await
        .map_err(status_error)?
        .into_inner();
    let mut token = std::mem::take(&mut r.next_page_token);
    while !token.is_empty() {
        let mut page = client
            .get_compliance_report(pb::GetComplianceReportRequest {
                page_token: token,
                min_position: Some(r.position),
                ..request.clone()
            })
            .await
            .map_err(status_error)?
            .into_inner();
        r.commitments.append(&mut page.commitments);
        token = page.next_page_token;
    }
    if args.json {
        let counts: serde_json::Map<String, serde_json::Value> = r
            .counts
            .iter()
            .map(|c| (status_name(c.status), c.count.into()))
            .collect();
        let lines: Vec<serde_json::Value> = r.commitments.iter().map(|l| serde_json::json!({
            "commitment_id": l.commitment_id, "status": status_name(l.status), "score": l.score,
            "meeting_date": l.meeting_date, "text": l.text,
        })).collect();
        let out = serde_json::json!({"party": r.party, "position": r.position, "score": r.score,
            "assessed": r.assessed, "counts": counts, "commitments": lines});
        println!("{out}");
        return Ok(());
    }
    println!(
        "Compliance report for {} (tracker at log position {})",
        r.party, r.position
    );
    for c in &r.counts {
        println!("  {:<20} {}", status_name(c.status), c.count);
    }
    match r.score {
        Some(score) => println!("  score {score:+.2} over {} assessed commitment(s) (+1 fulfilled, 0 under way, -1 broken)", r.assessed),
        None => println!("  no assessed commitments yet: no score"),
    }
    for l in &r.commitments {
        let score = l.score.map_or("  ".into(), |s| format!("{s:+}"));
        println!(
            "  {score} {} {:<20} {} {}",
            l.commitment_id,
            status_name(l.status),
            l.meeting_date,
            l.text.chars().take(80).collect::<String>()
        );
    }
    Ok(())
}
