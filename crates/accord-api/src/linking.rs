//! Follow-up linking policy: which links of [`accord_link`] become evidence
//! and status on earlier commitments, and which go to the review queue.

use crate::commands::Commands;
use crate::convert;
use crate::error::ApiError;
use accord_domain::commitment::Command;
use accord_domain::{DocumentId, Evidence, Party};
use accord_proto::v1 as pb;
use accord_store::Filter;

pub struct LinkContext<'a> {
    pub text: &'a str,
    pub document_id: &'a DocumentId,
    pub date: time::Date,
    pub source: Option<&'a str>,
    pub parties: &'a [Party],
    pub position: u64,
}

/// Links a new readout to earlier commitments of its parties: confident
/// links become evidence + status events, the rest wait in the review queue.
pub async fn link_follow_ups(
    commands: &Commands,
    cx: LinkContext<'_>,
) -> Result<Vec<pb::FollowUpLink>, ApiError> {
    if !accord_link::has_follow_up_cues(cx.text) {
        return Ok(Vec::new());
    }
    let store = &commands.query.store;
    commands.query.at(Some(cx.position)).await?;
    let mut candidates = std::collections::BTreeMap::new();
    let mut successors = Vec::new();
    for party in cx.parties {
        let filter = Filter {
            party: Some(party.clone()),
            ..Default::default()
        };
        for c in store.list(&filter, None, 100_000)?.commitments {
            if &c.document_id == cx.document_id {
                successors.push(c);
            } else if c.meeting_date.is_some_and(|d| d < cx.date) {
                candidates.insert(c.id.clone(), c);
            }
        }
    }
    let candidates: Vec<_> = candidates.into_values().collect();
    let mut out = Vec::new();
    for link in accord_link::link(cx.text, cx.parties, &candidates) {
        let evidence = Evidence {
            evidence_id: format!("{}@{}", cx.document_id, link.span.start),
            kind: link.evidence,
            source_url: cx.source.map(str::to_owned),
            date: cx.date,
            source_type: "official_readout".into(),
            snippet: link.snippet.clone(),
            document_id: Some(cx.document_id.clone()),
            span: Some(link.span),
            link_confidence: Some(link.confidence),
        };
        let command_id = format!("link:{}:{}", cx.document_id, link.commitment_id);
        let replacement = link.status == Some(accord_domain::Status::Superseded);
        let successor = replacement
            .then(|| {
                let named = accord_link::instruments(&link.snippet);
                successors
                    .iter()
                    .find(|s| !accord_link::instruments(&s.text).is_disjoint(&named))
                    .map(|s| s.id.clone())
            })
            .flatten();
        let propose = accord_domain::commitment::Command::Propose {
            proposal_id: command_id.clone(),
            evidence: evidence.clone(),
            status: link.status,
            successor: successor.clone(),
        };
        let apply = link.confidence >= accord_link::APPLY_AT && !replacement;
        let command = if apply {
            Command::RecordFollowUp {
                evidence: evidence.clone(),
                status: link.status,
                successor: None,
                by: "accord-linker".into(),
            }
        } else {
            propose.clone()
        };
        let result = match commands
            .execute(&link.commitment_id, 0, &command_id, command)
            .await
        {
            // A link the state machine refuses (e.g. a terminal status) goes to a human.
            Err(ApiError::Refused(why)) if apply => {
                tracing::info!(commitment = %link.commitment_id, %why, "follow-up not applicable as is; proposed for review");
                commands
                    .execute(
                        &link.commitment_id,
                        0,
                        &format!("{command_id}:review"),
                        propose,
                    )
                    .await
                    .map(|o| (o, false))
            }
            other => other.map(|o| (o, apply)),
        };
        match result {
            Ok((outcome, applied)) => out.push(pb::FollowUpLink {
                commitment_id: link.commitment_id.to_string(),
                evidence: Some(convert::evidence(&evidence, 0)),
                status: link.status.map_or(0, |s| pb::Status::from(s) as i32),
                confidence: link.confidence,
                applied,
                positions: outcome.positions,
            }),
            Err(e) => {
                tracing::warn!(commitment = %link.commitment_id, error = %e, "follow-up link not recorded")
            }
        }
    }
    Ok(out)
}
