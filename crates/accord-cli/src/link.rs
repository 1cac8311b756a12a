//! `accord link`: why a later readout does or does not report on the
//! commitments of an earlier one, offline, with exactly the extraction and
//! linking a server would run; and `accord relink`, which asks a running
//! Accord to link its whole log again.

use crate::client::{connect, status_error, ServerArgs};
use crate::extract::load_gazetteer;
use accord_api::ingest::{plan, preview};
use accord_api::validate::Readout;
use accord_domain::event::ReadoutText;
use accord_domain::{Commitment, Event, Party};
use accord_link::rerank::{ADD_AT, KEEP_AT};
use accord_link::{Candidate, Later, Rejection, APPLY_AT, PROPOSE_AT};
use accord_proto::v1 as pb;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Args)]
pub struct LinkArgs {
    /// The later readout (plain text or HTML).
    later: PathBuf,
    /// The earlier readout whose commitments it may report on.
    earlier: PathBuf,
    /// Say, per commitment of EARLIER, why it linked or did not (the
    /// default prints only the links).
    #[arg(long)]
    explain: bool,
    /// Meeting date of LATER (YYYY-MM-DD), when its text has none.
    #[arg(long)]
    later_date: Option<String>,
    /// Meeting date of EARLIER (YYYY-MM-DD), when its text has none.
    #[arg(long)]
    earlier_date: Option<String>,
    /// Folder with extra parties.tsv / leaders.tsv / topics.tsv rows.
    #[arg(long, env = "ACCORD_GAZETTEER_DIR")]
    gazetteer_dir: Option<PathBuf>,
    /// JSON Lines: one object per link (commitment, outcome, confidence,
    /// applied, effective date, snippet, signals).
    #[arg(long, conflicts_with = "explain")]
    json: bool,
}

/// One readout as ingest would log it: its commitments and its text event.
struct Read {
    commitments: Vec<Commitment>,
    text: ReadoutText,
}

fn read(
    path: &Path,
    date: Option<&str>,
    extra: &Option<std::sync::Arc<accord_extract::ExtraData>>,
) -> anyhow::Result<Read> {
    let text = std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
    let date = date
        .map(|d| {
            time::Date::parse(d, accord_domain::event::ISO_DATE)
                .with_context(|| format!("{d:?} is not YYYY-MM-DD"))
        })
        .transpose()?;
    let readout = Readout {
        text,
        date,
        publisher: None,
        title: None,
        source: None,
        page_starts: Vec::new(),
    };
    let options = accord_extract::Options {
        date,
        extra: extra.clone(),
        ..Default::default()
    };
    let extraction = accord_extract::extract(readout.text.as_bytes(), &options)
        .with_context(|| path.display().to_string())?;
    let now = time::OffsetDateTime::now_utc();
    let plan = plan(&readout, &extraction, &Default::default(), now).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e} (pass the date with --later-date/--earlier-date)",
            path.display()
        )
    })?;
    let text = plan
        .envelopes
        .iter()
        .find_map(|e| match &e.event {
            Event::ReadoutText(t) => Some(t.clone()),
            _ => None,
        })
        .with_context(|| format!("{}: no sentences to link", path.display()))?;
    Ok(Read {
        commitments: preview(&plan.envelopes, None),
        text,
    })
}

pub fn run(args: LinkArgs) -> anyhow::Result<()> {
    let extra = load_gazetteer(args.gazetteer_dir.as_deref())?;
    let later = read(&args.later, args.later_date.as_deref(), &extra)?;
    let earlier = read(&args.earlier, args.earlier_date.as_deref(), &extra)?;
    if earlier.text.date >= later.text.date {
        anyhow::bail!(
            "{} ({}) is not earlier than {} ({}): links go from a later readout to an earlier one",
            args.earlier.display(),
            earlier.text.date,
            args.later.display(),
            later.text.date
        );
    }
    let mut parties: BTreeSet<Party> = later.text.parties.iter().cloned().collect();
    for p in &later.text.parties {
        parties.extend(accord_extract::members(p, extra.as_deref()));
    }
    let parties: Vec<Party> = parties.into_iter().collect();
    // Who met at the earlier meeting (organisations with their members).
    let earlier_meeting = earlier.text.meeting.as_deref().unwrap_or(&[]);
    let met: Vec<Party> = earlier_meeting
        .iter()
        .flat_map(|p| {
            std::iter::once(p.clone()).chain(accord_extract::members(p, extra.as_deref()))
        })
        .collect();
    let made_at = BTreeMap::from([(earlier.text.document_id.clone(), met)]);
    let earlier_text = BTreeMap::from([(
        earlier.text.document_id.clone(),
        earlier.text.sentences.clone(),
    )]);
    let input = Later {
        date: later.text.date,
        parties: &parties,
        sentences: &later.text.sentences,
        extra: extra.as_deref(),
        made_at: Some(&made_at),
        own: later.text.meeting.as_deref(),
        earlier_text: Some(&earlier_text),
    };
    let links = accord_link::link(&input, &earlier.commitments);
    if args.json {
        for l in &links {
            let c = earlier.commitments.iter().find(|c| c.id == l.commitment_id);
            println!(
                "{}",
                serde_json::json!({
                    "commitment_id": l.commitment_id.as_str(),
                    "kind": c.map(|c| c.kind.as_str()),
                    "commitment": c.map(|c| c.text.as_str()),
                    "outcome": l.outcome.as_str(),
                    "confidence": l.confidence,
                    "applied": l.confidence >= APPLY_AT,
                    "effective": l.effective.to_string(),
                    "snippet": l.snippet,
                    "signals": serde_json::to_value(&l.signals)?,
                })
            );
        }
        return Ok(());
    }
    println!(
        "{} ({}, parties {}) -> {} ({}): {} link(s)",
        args.later.display(),
        later.text.date,
        later
            .text
            .parties
            .iter()
            .map(Party::as_str)
            .collect::<Vec<_>>()
            .join(","),
        args.earlier.display(),
        earlier.text.date,
        links.len()
    );
    for c in &earlier.commitments {
        let link = links.iter().find(|l| l.commitment_id == c.id);
        if link.is_none() && !args.explain {
            continue;
        }
        println!(
            "\n{} [{} {}] {}",
            c.id,
            c.kind.as_str(),
            committers(c),
            c.text
        );
        match link {
            Some(l) => {
                println!(
                    "  LINKED {} ({}, confidence {:.2}, effective {}) <- {:?}",
                    l.outcome.as_str(),
                    if l.confidence >= APPLY_AT {
                        "applied"
                    } else {
                        "to review"
                    },
                    l.confidence,
                    l.effective,
                    l.snippet
                );
                let s = &l.signals;
                let parties: Vec<&str> = s.parties.iter().map(Party::as_str).collect();
                println!(
                    "    cue {:?}; shared names [{}]; shared words [{}]; parties [{}]; dated by {}\n    -> {}",
                    s.cue,
                    s.shared_names.join(", "),
                    s.shared_words.join(", "),
                    parties.join(", "),
                    s.dated_by.as_deref().unwrap_or("-"),
                    s.decision
                );
            }
            None => explain_miss(&input, &earlier.commitments, c),
        }
    }
    Ok(())
}

fn committers(c: &Commitment) -> String {
    c.committers
        .iter()
        .map(Party::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// Why no sentence linked to `c`: its best candidates and what held them back.
fn explain_miss(later: &Later<'_>, earlier: &[Commitment], c: &Commitment) {
    let candidates: Vec<Candidate> = accord_link::explain(later, earlier, &c.id);
    if !c
        .committers
        .iter()
        .chain(&c.counterparts)
        .any(|p| later.parties.contains(p))
    {
        println!("  not linked: none of its parties is among the later readout's");
        return;
    }
    if candidates.is_empty() {
        match nearest_rejection(later, earlier, c) {
            Some((why, sentence)) => {
                println!("  not linked: nearest sentence turned away, {why} <- {sentence:?}")
            }
            None => println!("  not linked: no sentence has a report cue"),
        }
        return;
    }
    for cand in candidates.iter().take(3) {
        let why = match cand.chance {
            _ if cand.confidence < PROPOSE_AT => {
                format!("confidence {:.2} below {PROPOSE_AT}", cand.confidence)
            }
            Some(chance) if chance < ADD_AT => format!(
                "the reranking model gives it {chance:.2}: a proposal of the rules needs {KEEP_AT}, any other pair {ADD_AT}"
            ),
            _ => "another commitment fits this sentence better".to_owned(),
        };
        println!(
            "  not linked ({why}): {} cue {:?} (strength {:.2}), reference {:.2}, names {:?}, words {:?} <- {:?}",
            cand.outcome.as_str(),
            cand.cue,
            cand.cue_strength,
            cand.reference,
            cand.shared_names,
            cand.shared_words,
            later.sentences[cand.sentence].text
        );
    }
}

/// The sentence that came closest to reporting on `c` and the rule that
/// turned it away: the strongest reference first, then a party or partner
/// rule, then a missing cue.
fn nearest_rejection(
    later: &Later<'_>,
    earlier: &[Commitment],
    c: &Commitment,
) -> Option<(Rejection, String)> {
    let rank = |r: &Rejection| match r {
        // past every other rule: only its confidence fell short
        Rejection::Position => 3.5,
        Rejection::WeakReference { reference, .. } => 2.0 + reference,
        Rejection::PartiesAbsent { .. } | Rejection::SomeoneElse | Rejection::OtherTable { .. } => {
            1.0
        }
        Rejection::NoCue | Rejection::NotTracked => 0.0,
    };
    (0..later.sentences.len())
        .filter_map(|s| {
            accord_link::judge(later, earlier, &c.id, s)
                .err()
                .map(|r| (r, s))
        })
        .max_by(|a, b| rank(&a.0).total_cmp(&rank(&b.0)))
        .filter(|(r, _)| !matches!(r, Rejection::NoCue))
        .map(|(r, s)| (r, later.sentences[s].text.clone()))
}

#[derive(Args)]
pub struct RelinkArgs {
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArgs,
}

/// Asks the server to link every readout in the log again.
pub async fn relink(args: RelinkArgs) -> anyhow::Result<()> {
    let mut client = connect(&args.server).await?;
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    spinner.set_message("relinking every readout in the log");
    spinner.enable_steady_tick(Duration::from_millis(120));
    let done = client
        .relink(pb::RelinkRequest {})
        .await
        .map_err(status_error)?
        .into_inner();
    spinner.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::json!({"readouts": done.readouts, "applied": done.applied,
                "proposed": done.proposed, "already": done.already, "failed": done.failed,
                "settled": done.settled})
        );
    } else {
        println!(
        "relinked {} readout(s): {} new link(s) applied, {} sent to review, {} already recorded, {} failed, {} stale proposal(s) settled",
        done.readouts, done.applied, done.proposed, done.already, done.failed, done.settled
    );
    }
    if done.failed > 0 {
        anyhow::bail!(
            "{} link(s) could not be recorded; see the server log and run relink again",
            done.failed
        );
    }
    Ok(())
}
