//! Domain and store values to `accord.v1` messages, and request fields back.

use crate::error::{invalid, ApiError};
use accord_domain::commitment::Review;
use accord_domain::Commitment;
use accord_domain::{DocumentId, Evidence, EvidenceKind, Kind, Party, ReasonCode, Span, Status};
use accord_proto::v1 as pb;
use accord_store::DocumentRecord;
use time::format_description::well_known::Rfc3339;
use time::Date;

pub fn kind_to_pb(k: Kind) -> pb::Kind {
    match k {
        Kind::Action => pb::Kind::Action,
        Kind::Cooperation => pb::Kind::Cooperation,
        Kind::Stance => pb::Kind::Stance,
        Kind::Meeting => pb::Kind::Meeting,
    }
}

pub fn status_to_pb(s: Status) -> pb::Status {
    match s {
        Status::NotYetAssessed => pb::Status::NotYetAssessed,
        Status::NoEvidence => pb::Status::NoEvidence,
        Status::InProgress => pb::Status::InProgress,
        Status::Stalled => pb::Status::Stalled,
        Status::Fulfilled => pb::Status::Fulfilled,
        Status::PartiallyFulfilled => pb::Status::PartiallyFulfilled,
        Status::NotFulfilled => pb::Status::NotFulfilled,
        Status::Reversed => pb::Status::Reversed,
        Status::Superseded => pb::Status::Superseded,
        Status::Inconclusive => pb::Status::Inconclusive,
        Status::Withdrawn => pb::Status::Withdrawn,
        Status::Maintained => pb::Status::Maintained,
        Status::Contradicted => pb::Status::Contradicted,
    }
}

/// `KIND_UNSPECIFIED` means "any".
pub fn kind_filter(raw: i32) -> Result<Option<Kind>, ApiError> {
    match pb::Kind::try_from(raw) {
        Ok(pb::Kind::Unspecified) => Ok(None),
        Ok(k) => Ok(Kind::ALL.into_iter().find(|d| kind_to_pb(*d) == k)),
        Err(_) => Err(invalid(
            "kind",
            format!("{raw} is not a Kind (1 action, 2 cooperation, 3 stance, 4 meeting)"),
        )),
    }
}

/// `STATUS_UNSPECIFIED` means "any".
pub fn status_filter(raw: i32) -> Result<Option<Status>, ApiError> {
    match pb::Status::try_from(raw) {
        Ok(pb::Status::Unspecified) => Ok(None),
        Ok(s) => Ok(Status::ALL.into_iter().find(|d| status_to_pb(*d) == s)),
        Err(_) => Err(invalid("status", format!("{raw} is not a Status (1..=11)"))),
    }
}

/// An empty string means "not given".
pub fn optional_party(field: &'static str, raw: &str) -> Result<Option<Party>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    raw.trim()
        .parse::<Party>()
        .map(Some)
        .map_err(|e| invalid(field, e.to_string()))
}

pub fn optional_date(field: &'static str, raw: &str) -> Result<Option<Date>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(raw.trim(), accord_domain::event::ISO_DATE)
        .map(Some)
        .map_err(|e| invalid(field, format!("{raw:?} is not a date YYYY-MM-DD ({e})")))
}

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
        position,
    }
}

/// A request's evidence, validated field by field.
pub fn evidence_from_pb(e: Option<&pb::Evidence>) -> Result<Evidence, ApiError> {
    let e = e.ok_or_else(|| invalid("evidence", "is required"))?;
    let kind = e
        .kind
        .parse::<EvidenceKind>()
        .map_err(|m| invalid("evidence.kind", m))?;
    let date = optional_date("evidence.date", &e.date)?
        .ok_or_else(|| invalid("evidence.date", "is required (YYYY-MM-DD)"))?;
    let document_id = match e.document_id.as_str() {
        "" => None,
        d => {
            Some(DocumentId::parse(d).map_err(|m| invalid("evidence.document_id", m.to_string()))?)
        }
    };
    if e.snippet.len() > 64 << 10 {
        return Err(invalid("evidence.snippet", "is longer than 64 KiB"));
    }
    Ok(Evidence {
        evidence_id: e.evidence_id.trim().to_owned(),
        kind,
        source_url: Some(e.source_url.trim().to_owned()).filter(|u| !u.is_empty()),
        date,
        source_type: if e.source_type.trim().is_empty() {
            "analyst".into()
        } else {
            e.source_type.trim().to_owned()
        },
        snippet: e.snippet.clone(),
        document_id,
        span: e.span.map(|s| Span {
            start: s.start as usize,
            end: s.end as usize,
        }),
        link_confidence: Some(e.link_confidence).filter(|c| *c != 0.0),
    })
}

/// A status a request sets: required, and never "unspecified".
pub fn status_required(field: &'static str, raw: i32) -> Result<Status, ApiError> {
    status_filter(raw)?.ok_or_else(|| invalid(field, "is required"))
}

pub fn optional_reason(field: &'static str, raw: &str) -> Result<Option<ReasonCode>, ApiError> {
    match raw.trim() {
        "" => Ok(None),
        r => r.parse().map(Some).map_err(|m: String| invalid(field, m)),
    }
}

pub fn commitment(c: &Commitment) -> pb::Commitment {
    pb::Commitment {
        id: c.id.to_string(),
        document_id: c.document_id.to_string(),
        kind: kind_to_pb(c.kind) as i32,
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
        status: status_to_pb(c.status) as i32,
        version: c.version,
        position: c.created_at_position,
        recorded_at: c.recorded_at.format(&Rfc3339).unwrap_or_default(),
        party_statuses: c
            .party_status
            .iter()
            .map(|s| pb::PartyStatus {
                party: s.party.to_string(),
                status: status_to_pb(s.status) as i32,
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
        history: c
            .history
            .iter()
            .map(|h| pb::StatusChange {
                party: h.party.to_string(),
                from: status_to_pb(h.from) as i32,
                to: status_to_pb(h.to) as i32,
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
                status: p.status.map_or(0, |s| status_to_pb(s) as i32),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_reject_unknown_values_by_field() {
        assert_eq!(kind_filter(0).unwrap(), None);
        assert_eq!(kind_filter(1).unwrap(), Some(Kind::Action));
        assert!(kind_filter(99)
            .unwrap_err()
            .to_string()
            .starts_with("kind:"));
        assert_eq!(status_filter(5).unwrap(), Some(Status::Fulfilled));
        assert!(status_filter(-1)
            .unwrap_err()
            .to_string()
            .starts_with("status:"));
        assert!(optional_party("party", "n.a.t.o")
            .unwrap_err()
            .to_string()
            .starts_with("party:"));
        assert_eq!(
            optional_date("date", "2017-10-31")
                .unwrap()
                .unwrap()
                .to_string(),
            "2017-10-31"
        );
        assert!(optional_date("date", "31/10/2017")
            .unwrap_err()
            .to_string()
            .starts_with("date:"));
    }
}
