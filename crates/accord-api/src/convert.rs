//! Domain and store values to `accord.v1` messages (requests are read in
//! [`crate::validate`]).

use accord_domain::commitment::Review;
use accord_domain::Commitment;
use accord_domain::{Evidence, Party, Span};
use accord_proto::v1 as pb;
use accord_store::DocumentRecord;
use time::format_description::well_known::Rfc3339;
use time::Date;

fn date_str(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn span(s: Span) -> pb::Span {
    pb::Span {
        start: s.start as u64,
        end: s.end as u64,
    }
}

pub fn evidence(e: &Evidence, position: u64) -> pb::Evidence {
    pb::Evidence {
        evidence_id: e.evidence_id.clone(),
        kind: e.kind.as_str().to_owned(),
        evidence_kind: pb::EvidenceKind::from(e.kind) as i32,
        source_url: e.source_url.clone().unwrap_or_default(),
        date: e.date.to_string(),
        source_type: e.source_type.clone(),
        snippet: e.snippet.clone(),
        document_id: e
            .document_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        span: e.span.map(span),
        link_confidence: e.link_confidence.unwrap_or_default(),
        signals: e.signals.as_ref().map(|s| pb::LinkSignals {
            cue: s.cue.clone(),
            shared_names: s.shared_names.clone(),
            shared_words: s.shared_words.clone(),
            parties: s.parties.iter().map(ToString::to_string).collect(),
            dated_by: s.dated_by.clone().unwrap_or_default(),
            decision: s.decision.clone(),
        }),
        position,
    }
}

pub fn commitment(c: &Commitment) -> pb::Commitment {
    pb::Commitment {
        id: c.id.to_string(),
        document_id: c.document_id.to_string(),
        kind: pb::Kind::from(c.kind) as i32,
        committers: c.committers.iter().map(ToString::to_string).collect(),
        counterparts: c.counterparts.iter().map(ToString::to_string).collect(),
        text: c.text.clone(),
        span: Some(pb::Span {
            start: c.span.start as u64,
            end: c.span.end as u64,
        }),
        cue: c.cue.clone(),
        due: date_str(c.due),
        confidence: c.confidence,
        meeting_date: date_str(c.meeting_date),
        status: pb::Status::from(c.status) as i32,
        version: c.version,
        position: c.created_at_position,
        recorded_at: c.recorded_at.format(&Rfc3339).unwrap_or_default(),
        party_statuses: c
            .party_status
            .iter()
            .map(|s| pb::PartyStatus {
                party: s.party.to_string(),
                status: pb::Status::from(s.status) as i32,
                reason: s.reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
                effective: date_str(s.effective),
                positions: s.positions.clone(),
            })
            .collect(),
        evidence: c
            .evidence
            .iter()
            .map(|a| evidence(&a.evidence, a.position))
            .collect(),
        page: c.page.unwrap_or(0),
        skipped_entries: c
            .skipped
            .iter()
            .map(|s| pb::SkippedEntry {
                position: s.position,
                reason: s.reason.clone(),
                by: s.by.clone(),
                skipped_at_position: s.skipped_at_position,
            })
            .collect(),
        history: c
            .history
            .iter()
            .map(|h| pb::StatusChange {
                party: h.party.to_string(),
                from: pb::Status::from(h.from) as i32,
                to: pb::Status::from(h.to) as i32,
                reason: h.reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
                effective: h.effective.to_string(),
                assessor: h.assessor.clone(),
                position: h.position,
            })
            .collect(),
        review: match &c.review {
            Review::Unreviewed => "unreviewed",
            Review::Confirmed => "confirmed",
            Review::Rejected => "rejected",
            Review::Merged(_) => "merged",
        }
        .to_owned(),
        review_state: pb::ReviewState::from(&c.review) as i32,
        basis: c
            .deadline
            .as_ref()
            .map_or(0, |d| pb::DeadlineBasis::from(d.basis) as i32),
        topics: c.topics.clone(),
        successor: match (&c.review, &c.superseded_by) {
            (Review::Merged(into), _) => into.to_string(),
            (_, Some(s)) => s.to_string(),
            _ => String::new(),
        },
        proposals: c
            .proposals
            .iter()
            .map(|p| pb::Proposal {
                proposal_id: p.proposal_id.clone(),
                evidence: Some(evidence(&p.evidence, 0)),
                status: p.status.map_or(0, |s| pb::Status::from(s) as i32),
                successor: p
                    .successor
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            })
            .collect(),
        status_positions: c.status_positions(),
        deadline: c
            .deadline
            .as_ref()
            .map(|d| d.due.to_string())
            .unwrap_or_default(),
        deadline_basis: c
            .deadline
            .as_ref()
            .and_then(|d| serde_json::to_value(d.basis).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        alerts: c
            .alerts
            .iter()
            .map(|a| pb::AlertState {
                alert_id: a.alert.alert_id.clone(),
                kind: a.alert.kind.as_str().to_owned(),
                alert_kind: pb::AlertKind::from(a.alert.kind) as i32,
                deadline: a.alert.deadline.to_string(),
                lead_days: a.alert.lead_days.unwrap_or_default(),
                position: a.position,
                resolved_position: a.resolved_at_position.unwrap_or_default(),
                resolution: a.resolution.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

pub fn document(r: &DocumentRecord) -> pb::Document {
    let d = &r.document;
    pb::Document {
        id: d.id.to_string(),
        title: d.title.clone().unwrap_or_default(),
        source: d.source.clone().unwrap_or_default(),
        date: date_str(d.date),
        publisher: d
            .publisher
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        bytes: d.bytes,
        extractor: d.extractor.clone(),
        commitment_ids: d.commitments.iter().map(ToString::to_string).collect(),
        position: r.position,
    }
}

pub fn report(
    party: &Party,
    report: &accord_domain::report::Report,
    position: u64,
) -> pb::ComplianceReport {
    pb::ComplianceReport {
        party: party.to_string(),
        counts: report
            .counts
            .iter()
            .map(|(s, n)| pb::StatusCount {
                status: pb::Status::from(*s) as i32,
                count: *n,
            })
            .collect(),
        score: report.score,
        assessed: report.assessed,
        commitments: report
            .lines
            .iter()
            .map(|l| pb::ReportLine {
                commitment_id: l.commitment_id.to_string(),
                status: pb::Status::from(l.status) as i32,
                score: l.score,
                text: l.text.clone(),
                meeting_date: date_str(l.meeting_date),
            })
            .collect(),
        position,
        next_page_token: String::new(),
    }
}
