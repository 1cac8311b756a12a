//! `accord watch` and `accord alerts`: follow changes as they happen.

use crate::client::{connect, status_error, status_name, typed_name, ServerArgs};
use accord_proto::v1 as pb;
use clap::Args;

#[derive(Args)]
pub struct WatchArgs {
    /// First log position to show (1: everything so far, then live).
    #[arg(long, default_value_t = 1)]
    from: u64,
    /// Only commitments this party made.
    #[arg(long)]
    party: Option<String>,
    /// Print JSON lines.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn watch(args: WatchArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let request = pb::WatchCommitmentsRequest {
        from_position: args.from,
        party: args.party.clone().unwrap_or_default(),
        ..Default::default()
    };
    let mut changes = client
        .watch_commitments(request)
        .await
        .map_err(status_error)?
        .into_inner();
    while let Some(change) = changes.message().await.map_err(status_error)? {
        let c = change.commitment.unwrap_or_default();
        if args.json {
            println!(
                "{}",
                serde_json::json!({"position": change.position, "event": change.event_type, "commitment": c.id, "status": status_name(c.status), "version": c.version})
            );
        } else {
            println!(
                "{:>8}  {:<22} {}  {:<18} {}",
                change.position,
                change.event_type,
                c.id,
                status_name(c.status),
                c.text.chars().take(70).collect::<String>()
            );
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct AlertsArgs {
    #[arg(long, default_value_t = 1)]
    from: u64,
    #[arg(long)]
    party: Option<String>,
    /// due_soon, overdue or resolved (repeatable); default: all.
    #[arg(long = "type")]
    types: Vec<String>,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn alerts(args: AlertsArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let changes = args
        .types
        .iter()
        .map(|t| {
            accord_domain::event::AlertChange::parse(t)
                .map(|c| pb::AlertChange::from(c) as i32)
                .ok_or_else(|| {
                    anyhow::anyhow!("--types: {t:?} is not one of due_soon, overdue, resolved")
                })
        })
        .collect::<anyhow::Result<Vec<i32>>>()?;
    // Both fields: an older server reads only the strings.
    let request = pb::WatchAlertsRequest {
        from_position: args.from,
        party: args.party.clone().unwrap_or_default(),
        types: args.types.clone(),
        changes,
    };
    let mut notices = client
        .watch_alerts(request)
        .await
        .map_err(status_error)?
        .into_inner();
    while let Some(n) = notices.message().await.map_err(status_error)? {
        let change = pb::AlertChange::try_from(n.change).ok();
        let change = typed_name(change.map(|c| c.as_str_name()), "ALERT_CHANGE_", &n.r#type);
        let kind = pb::AlertKind::try_from(n.kind).ok();
        let kind = typed_name(kind.map(|k| k.as_str_name()), "ALERT_KIND_", &n.alert_kind);
        let what = match change.as_str() {
            "resolved" => format!("resolved {kind} ({})", n.reason),
            "due_soon" => format!("due soon ({} days' notice)", n.lead_days),
            other => other.to_owned(),
        };
        if args.json {
            let out = serde_json::json!({"position": n.position, "recorded_at": n.recorded_at,
                "commitment_id": n.commitment_id, "deadline": n.deadline, "parties": n.parties,
                "change": change, "kind": kind, "lead_days": n.lead_days, "reason": n.reason});
            println!("{out}");
            continue;
        }
        println!(
            "{:>8}  {}  {}  deadline {}  {}  {}",
            n.position,
            n.recorded_at,
            n.commitment_id,
            n.deadline,
            n.parties.join(","),
            what
        );
    }
    Ok(())
}
