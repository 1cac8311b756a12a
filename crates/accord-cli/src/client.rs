//! Client commands: talk to a running Accord over gRPC.

pub use crate::connect::{connect, Client, ServerArgs};
use crate::fetch::{self, Body, Fetcher, Input};
use accord_proto::v1 as pb;
use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::time::Duration;

pub fn status_error(e: tonic::Status) -> anyhow::Error {
    use std::error::Error;
    // A transport failure's reason is in its sources, not its message.
    let mut cause = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    // Under TLS 1.3 a server that refuses the client's certificate (or its
    // absence) may only show as the connection dropping, at any step.
    let seen = format!("{} {cause}", e.message());
    let dropped = [
        "connection closed",
        "fatal alert",
        "broken pipe",
        "connection reset",
    ]
    .iter()
    .any(|m| seen.contains(m));
    if cause.is_empty() && !dropped {
        return anyhow::anyhow!("{:?}: {}", e.code(), e.message());
    }
    let hint = if dropped {
        " (over TLS: the server may require a client certificate from its CA \
         (--cert/--key), or refused yours: expired, or from another CA)"
    } else {
        ""
    };
    if cause.is_empty() {
        return anyhow::anyhow!("{:?}: {}{hint}", e.code(), e.message());
    }
    anyhow::anyhow!("{:?}: {}: {cause}{hint}", e.code(), e.message())
}

#[derive(Args)]
pub struct IngestArgs {
    /// Readout files (text, HTML, PDF), folders whose .txt/.html/.pdf files are ingested, or
    /// http(s):// URLs of readout pages (fetched; the URL becomes the source).
    #[arg(required_unless_present = "feed")]
    paths: Vec<String>,
    /// An RSS or Atom feed whose entries link to readout pages: each page is
    /// fetched and ingested (repeatable). Pages already ingested are reported
    /// as already known; nothing is appended twice.
    #[arg(long, value_name = "URL")]
    feed: Vec<String>,
    /// Give up on a page or feed that has not answered within this many seconds.
    #[arg(
        long,
        default_value_t = 30,
        value_name = "SECONDS",
        env = "ACCORD_FETCH_TIMEOUT"
    )]
    fetch_timeout: u64,
    /// At least this many milliseconds between two requests to the same host
    /// (requests are made one at a time).
    #[arg(
        long,
        default_value_t = 1000,
        value_name = "MS",
        env = "ACCORD_FETCH_INTERVAL_MS"
    )]
    fetch_interval_ms: u64,
    /// PEM file of CA certificates to trust for https:// pages and feeds,
    /// besides the system's (a private or internal CA).
    #[arg(long, value_name = "FILE", env = "ACCORD_FETCH_CA_CERT")]
    fetch_ca_cert: Option<std::path::PathBuf>,
    /// Meeting date (YYYY-MM-DD) for every file; default: a YYYY-MM-DD in the
    /// file name, else a date found in the text.
    #[arg(long, env = "ACCORD_DATE")]
    date: Option<String>,
    /// Party code of the publisher (e.g. JPN), for "the Prime Minister" and the like.
    #[arg(long, env = "ACCORD_PUBLISHER")]
    publisher: Option<String>,
    /// Return as soon as the log has the events, without waiting for the tracker.
    #[arg(long)]
    no_wait: bool,
    /// JSON Lines: one object per file (`file`, `document_id`, `position`,
    /// `already_ingested`, `message` or `error`), then a summary object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    let mut fetcher = Fetcher::new(
        Duration::from_secs(args.fetch_timeout),
        Duration::from_millis(args.fetch_interval_ms),
        args.fetch_ca_cert.as_deref(),
    )?;
    let files = fetch::inputs(&args.paths, &args.feed, &mut fetcher).await?;
    if files.is_empty() {
        bail!(
            "no readouts (.txt, .html, .pdf files or pages) found in {:?} {:?}",
            args.paths,
            args.feed
        );
    }
    let mut client = connect(&args.server).await?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}").expect("valid template"),
    );
    if files.len() < 5 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let (mut appended, mut known, mut failed, mut last) = (0, 0, 0, 0);
    for file in &files {
        let label = file.label();
        bar.set_message(label.clone());
        match ingest_one(&mut client, &mut fetcher, file, &args).await {
            Ok(r) => {
                let line = if args.json {
                    serde_json::json!({"file": label,
                        "document_id": r.document_id, "position": r.position,
                        "already_ingested": r.already_ingested, "message": r.message})
                    .to_string()
                } else {
                    format!("{label}: {} [{}]", r.message, r.document_id)
                };
                say(&bar, line);
                last = last.max(r.position);
                if r.already_ingested {
                    known += 1
                } else {
                    appended += 1
                }
            }
            Err(e) => {
                failed += 1;
                let line = if args.json {
                    serde_json::json!({"file": label, "error": format!("{e:#}")}).to_string()
                } else {
                    format!("{label}: error: {e:#}")
                };
                say(&bar, line);
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !args.json {
        println!(
            "{} file(s): {appended} ingested, {known} already known, {failed} failed",
            files.len()
        );
    }
    let mut visible = None;
    if last > 0 && !args.no_wait {
        // Read-your-writes: return once the tracker shows what was ingested.
        let probe = pb::ListCommitmentsRequest {
            page_size: 1,
            min_position: Some(last),
            ..Default::default()
        };
        match client.list_commitments(probe).await {
            Ok(r) => visible = Some(r.into_inner().position),
            Err(e) if e.code() == tonic::Code::Unimplemented => {}
            // An ingester's token may not read: nothing to wait with.
            Err(e) if e.code() == tonic::Code::PermissionDenied => {
                eprintln!("not waiting for the tracker: {}", e.message())
            }
            Err(e) => eprintln!("warning: not yet visible in the tracker: {}", e.message()),
        }
    }
    match (args.json, visible) {
        (true, _) => println!(
            "{}",
            serde_json::json!({"files": files.len(), "ingested": appended,
                "already_known": known, "failed": failed, "visible_at": visible})
        ),
        (false, Some(position)) => {
            println!("visible in the tracker (log position {position})")
        }
        (false, None) => {}
    }
    if failed > 0 {
        bail!("{failed} file(s) could not be ingested");
    }
    Ok(())
}

/// Prints above the progress bar, or plainly when the bar is hidden.
fn say(bar: &ProgressBar, line: String) {
    if bar.is_hidden() || bar.length().is_some_and(|n| n < 5) {
        println!("{line}");
    } else {
        bar.println(line);
    }
}

/// A `YYYY-MM-DD` in a file name (e.g. `japan-nato-2017-10-31.txt`).
fn date_in_name(file: &Path) -> Option<String> {
    let name = file.file_stem()?.to_str()?;
    (0..name.len().saturating_sub(9))
        .filter(|&i| name.is_char_boundary(i) && name.is_char_boundary(i + 10))
        .find_map(|i| {
            let d = &name[i..i + 10];
            time::Date::parse(d, accord_domain::event::ISO_DATE)
                .ok()
                .map(|_| d.to_owned())
        })
}

async fn ingest_one(
    client: &mut Client,
    fetcher: &mut Fetcher,
    input: &Input,
    args: &IngestArgs,
) -> anyhow::Result<pb::IngestReadoutResponse> {
    let (text, pdf) = match input.body(fetcher).await? {
        Body::Text(text) => (text, Vec::new()),
        Body::Pdf(pdf) => (String::new(), pdf),
    };
    let request = pb::IngestReadoutRequest {
        text,
        pdf,
        // --date, else a date in the file name, else the server looks in the text.
        date: args
            .date
            .clone()
            .or_else(|| date_in_name(&input.name()))
            .unwrap_or_default(),
        title: input.title(),
        source: input.label(),
        publisher: args.publisher.clone().unwrap_or_default(),
    };
    // A readout is idempotent (its id is a hash of its text): a retry after
    // a lost answer reports it as already ingested, never twice.
    let answer = retried(|| {
        let mut client = client.clone();
        let request = request.clone();
        async move { client.ingest_readout(request).await }
    })
    .await;
    Ok(answer.map_err(status_error)?.into_inner())
}

/// Calls again, with the same request (so the same command id), while the
/// answer says nothing was done or the outcome is unknown: UNAVAILABLE,
/// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED. Every Accord write is idempotent.
pub async fn retried<T, F, Fut>(mut call: F) -> Result<T, tonic::Status>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, tonic::Status>>,
{
    use tonic::Code;
    let mut wait = std::time::Duration::from_millis(250);
    for _ in 0..3 {
        match call().await {
            Err(e)
                if matches!(
                    e.code(),
                    Code::Unavailable | Code::DeadlineExceeded | Code::ResourceExhausted
                ) =>
            {
                eprintln!("{:?}: {}; retrying in {wait:?}", e.code(), e.message());
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            answer => return answer,
        }
    }
    call().await
}

/// Every commitment `filter` matches, page after page, up to `limit`; and
/// the tracker's position the last page was read at.
pub async fn list_pages(
    client: &mut Client,
    filter: pb::ListCommitmentsRequest,
    limit: usize,
) -> anyhow::Result<(Vec<pb::Commitment>, u64)> {
    let mut rows = Vec::new();
    let mut token = String::new();
    loop {
        let request = pb::ListCommitmentsRequest {
            page_size: limit.saturating_sub(rows.len()).clamp(1, 1000) as i32,
            page_token: token,
            ..filter.clone()
        };
        let page = client
            .list_commitments(request)
            .await
            .map_err(status_error)?
            .into_inner();
        rows.extend(page.commitments);
        token = page.next_page_token;
        if token.is_empty() || rows.len() >= limit {
            return Ok((rows, page.position));
        }
    }
}

#[derive(Args)]
pub struct ListArgs {
    /// Only commitments made by this party (e.g. NATO, JPN).
    #[arg(long)]
    party: Option<String>,
    /// action, cooperation, stance or meeting.
    #[arg(long)]
    kind: Option<accord_domain::Kind>,
    /// e.g. not_yet_assessed, fulfilled.
    #[arg(long)]
    status: Option<accord_domain::Status>,
    /// Text the commitment contains (case-insensitive).
    #[arg(long)]
    contains: Option<String>,
    /// At most this many rows (all pages are fetched up to it).
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    /// Wait until the tracker has applied this log position.
    #[arg(long)]
    min_position: Option<u64>,
    /// Print JSON lines instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn list(args: ListArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let filter = pb::ListCommitmentsRequest {
        party: args.party.clone().unwrap_or_default(),
        kind: args.kind.map_or(0, |k| pb::Kind::from(k) as i32),
        status: args.status.map_or(0, |s| pb::Status::from(s) as i32),
        text_contains: args.contains.clone().unwrap_or_default(),
        min_position: args.min_position,
        ..Default::default()
    };
    let (rows, position) = list_pages(&mut client, filter, args.limit).await?;
    if args.json {
        for c in &rows {
            println!("{}", serde_json::to_string(&commitment_json(c))?);
        }
    } else {
        print!("{}", table(&rows));
        println!(
            "{} commitment(s), tracker at log position {position}",
            rows.len()
        );
    }
    Ok(())
}

/// A readable page about one commitment: what, who, status per party with
/// the log positions behind it, evidence, history, pending proposals.
pub fn details(c: &pb::Commitment) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  {}  {}",
        c.id,
        kind_name(c.kind).to_lowercase(),
        c.committers.join(", ")
    );
    let _ = writeln!(o, "  \"{}\"", c.text.replace('\n', " "));
    let _ = writeln!(
        o,
        "  meeting {}  due {}  cue {:?}  confidence {:.2}{}",
        or_dash(&c.meeting_date),
        or_dash(&c.due),
        c.cue,
        c.confidence,
        match c.page {
            0 => String::new(),
            page => format!("  page {page}"),
        }
    );
    let _ = writeln!(
        o,
        "  document {}  review {}  version {}  topics {}",
        c.document_id,
        review_state(c),
        c.version,
        c.topics.join(", ")
    );
    let _ = writeln!(
        o,
        "  status {} (events at positions {:?})",
        status_name(c.status),
        c.status_positions
    );
    if !c.successor.is_empty() {
        let _ = writeln!(o, "  successor {}", c.successor);
    }
    for p in &c.party_statuses {
        let _ = writeln!(
            o,
            "    {:<6} {:<20} {:<18} since {}  positions {:?}",
            p.party,
            status_name(p.status),
            or_dash(&p.reason),
            or_dash(&p.effective),
            p.positions
        );
    }
    if !c.evidence.is_empty() {
        let _ = writeln!(o, "  evidence:");
        for e in &c.evidence {
            let _ = writeln!(
                o,
                "    [{}] {} {} ({}) at position {}: {}",
                e.evidence_id,
                e.date,
                evidence_kind(e),
                e.source_type,
                e.position,
                truncate(&e.snippet, 100)
            );
            if let Some(s) = &e.signals {
                let _ = writeln!(o, "{}", signals(s, e.link_confidence));
            }
        }
    }
    if !c.history.is_empty() || !c.skipped_entries.is_empty() {
        let _ = writeln!(o, "  history:");
        for h in &c.history {
            let _ = writeln!(
                o,
                "    {} {}: {} -> {} by {} (position {})",
                h.effective,
                h.party,
                status_name(h.from),
                status_name(h.to),
                h.assessor,
                h.position
            );
        }
    }
    for s in &c.skipped_entries {
        let _ = writeln!(
            o,
            "    skipped parked log entry {} by {}: {} (position {})",
            s.position, s.by, s.reason, s.skipped_at_position
        );
    }
    for p in &c.proposals {
        let e = p.evidence.clone().unwrap_or_default();
        let _ = writeln!(
            o,
            "  proposed [{}] {} -> {} (confidence {:.2}): {}",
            p.proposal_id,
            evidence_kind(&e),
            status_name(p.status),
            e.link_confidence,
            truncate(&e.snippet, 90)
        );
        if let Some(s) = &e.signals {
            let _ = writeln!(o, "{}", signals(s, e.link_confidence));
        }
    }
    o
}

/// Why the linker tied the evidence to this commitment, on two lines.
fn signals(s: &pb::LinkSignals, confidence: f32) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            v.join(", ")
        }
    };
    format!(
        "      linked: cue {:?}; shared names {}; shared words {}; parties {}; dated by {}\n      \
         confidence {confidence:.2} -> {}",
        s.cue,
        list(&s.shared_names),
        list(&s.shared_words),
        list(&s.parties),
        or_dash(&s.dated_by),
        s.decision
    )
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

fn kind_name(raw: i32) -> &'static str {
    pb::Kind::try_from(raw)
        .map(|k| k.as_str_name().trim_start_matches("KIND_"))
        .unwrap_or("?")
}

/// A typed enum value as the CLI prints it (`EVIDENCE_KIND_SHORTFALL` →
/// `shortfall`); `fallback` (the deprecated string field) when the server
/// left the typed one unset, as servers before it did.
pub fn typed_name(name: Option<&str>, prefix: &str, fallback: &str) -> String {
    match name {
        Some(n) if !n.ends_with("_UNSPECIFIED") => accord_proto::domain::short_name(n, prefix),
        _ => fallback.to_owned(),
    }
}

fn evidence_kind(e: &pb::Evidence) -> String {
    let typed = pb::EvidenceKind::try_from(e.evidence_kind).ok();
    typed_name(typed.map(|k| k.as_str_name()), "EVIDENCE_KIND_", &e.kind)
}

fn review_state(c: &pb::Commitment) -> String {
    let typed = pb::ReviewState::try_from(c.review_state).ok();
    typed_name(typed.map(|r| r.as_str_name()), "REVIEW_STATE_", &c.review)
}

pub fn status_name(raw: i32) -> String {
    pb::Status::try_from(raw)
        .map(|s| s.as_str_name().trim_start_matches("STATUS_").to_lowercase())
        .unwrap_or_else(|_| "?".into())
}

pub(crate) fn commitment_json(c: &pb::Commitment) -> serde_json::Value {
    serde_json::json!({
        "id": c.id, "document_id": c.document_id, "kind": kind_name(c.kind).to_lowercase(),
        "committers": c.committers, "counterparts": c.counterparts, "text": c.text,
        "cue": c.cue, "due": (!c.due.is_empty()).then_some(&c.due), "status": status_name(c.status),
        "confidence": c.confidence, "meeting_date": c.meeting_date, "position": c.position,
        "page": (c.page > 0).then_some(c.page),
    })
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A plain aligned table: id, kind, committers, due, status, text.
pub fn table(rows: &[pb::Commitment]) -> String {
    let mut out = format!(
        "{:<21}  {:<11}  {:<14}  {:<10}  {:<16}  {}\n",
        "ID", "KIND", "COMMITTERS", "DUE", "STATUS", "TEXT"
    );
    for c in rows {
        out.push_str(&format!(
            "{:<21}  {:<11}  {:<14}  {:<10}  {:<16}  {}\n",
            c.id,
            kind_name(c.kind).to_lowercase(),
            truncate(&c.committers.join(","), 14),
            if c.due.is_empty() { "-" } else { &c.due },
            status_name(c.status),
            truncate(&c.text.replace('\n', " "), 90),
        ));
    }
    out
}

#[derive(Args)]
pub struct ShowArgs {
    /// A commitment id (c…) or document id (d…).
    id: String,
    /// Wait until the tracker has applied this log position.
    #[arg(long)]
    min_position: Option<u64>,
    /// Show the commitment as it stood then (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    as_of: Option<String>,
    /// With --as-of: as Accord had recorded it then, rather than as things had happened.
    #[arg(long, requires = "as_of")]
    recorded: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

pub async fn show(args: ShowArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    if args.id.starts_with('d') {
        let r = client
            .get_document(pb::GetDocumentRequest {
                id: args.id.clone(),
                min_position: args.min_position,
            })
            .await
            .map_err(status_error)?
            .into_inner();
        let d = r.document.context("server answered without a document")?;
        println!("document   {}\ntitle      {}\ndate       {}\nsource     {}\npublisher  {}\nextractor  {}\nposition   {}\n", d.id, d.title, d.date, d.source, d.publisher, d.extractor, d.position);
        print!("{}", table(&r.commitments));
    } else {
        let r = client
            .get_commitment(pb::GetCommitmentRequest {
                id: args.id.clone(),
                min_position: args.min_position,
                as_of: args.as_of.clone().unwrap_or_default(),
                as_of_axis: if args.recorded {
                    pb::TimeAxis::Recorded
                } else {
                    pb::TimeAxis::Occurred
                } as i32,
            })
            .await
            .map_err(status_error)?
            .into_inner();
        let c = r
            .commitment
            .context("server answered without a commitment")?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&commitment_json(&c))?);
        } else {
            print!("{}", details(&c));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            date_in_name(Path::new("readouts/japan-nato-2017-10-31.txt")).as_deref(),
            Some("2017-10-31")
        );
        assert_eq!(
            date_in_name(Path::new("2023-07-12.html")).as_deref(),
            Some("2023-07-12")
        );
        assert_eq!(date_in_name(Path::new("summit-2023-13-45.txt")), None);
        assert_eq!(date_in_name(Path::new("notes.txt")), None);
    }

    #[tokio::test]
    async fn retries_send_the_same_request_while_the_outcome_is_unknown() {
        use std::sync::Mutex;
        let seen = Mutex::new(Vec::new());
        let answers = Mutex::new(vec![
            Ok("done"),
            Err(tonic::Status::deadline_exceeded("may have landed")),
            Err(tonic::Status::unavailable("NATS down")),
        ]);
        let got = retried(|| {
            seen.lock().unwrap().push("command-7");
            let answer = answers.lock().unwrap().pop().unwrap();
            async move { answer }
        })
        .await;
        assert_eq!(got.unwrap(), "done");
        assert_eq!(*seen.lock().unwrap(), vec!["command-7"; 3]);
        // A refusal is final: no retry.
        let calls = Mutex::new(0);
        let refused: Result<(), _> = retried(|| {
            *calls.lock().unwrap() += 1;
            async { Err(tonic::Status::invalid_argument("note: too long")) }
        })
        .await;
        assert_eq!(refused.unwrap_err().code(), tonic::Code::InvalidArgument);
        assert_eq!(*calls.lock().unwrap(), 1);
    }
}
