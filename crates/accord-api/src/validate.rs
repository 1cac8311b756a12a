//! Requests in, checked values out: every field of every `accord.v1` request
//! is read here, so a bad one is refused with a message naming the field
//! before anything touches NATS or the store. Pure; tested without a server.

use crate::error::{invalid, ApiError};
use crate::limits;
use accord_domain::commitment::Command;
use accord_domain::event::AlertChange;
use accord_domain::{CommitmentId, DocumentId, Evidence, EvidenceKind, Kind, Party};
use accord_domain::{ReasonCode, Span, Status};
use accord_proto::v1 as pb;
use accord_store::{AsOf, Filter};
use time::{Date, OffsetDateTime};

pub use crate::limits::MAX_READOUT_BYTES;
pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1000;

/// A command on one commitment, as a request asked for it.
#[derive(Debug)]
pub struct CommandRequest {
    pub id: CommitmentId,
    pub expected_version: u64,
    pub command_id: String,
    pub command: Command,
}

/// A readout to ingest, its fields checked.
#[derive(Debug, Clone)]
pub struct Readout {
    pub text: String,
    /// For a PDF readout: the byte offset in `text` at which each page
    /// begins (empty for text and HTML).
    pub page_starts: Vec<usize>,
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub title: Option<String>,
    pub source: Option<String>,
}

pub fn ingest_readout(req: pb::IngestReadoutRequest) -> Result<Readout, ApiError> {
    limits::ingest_readout(&req)?;
    let (text, page_starts) = readout_text(&req)?;
    Ok(Readout {
        date: optional_date("date", &req.date)?,
        publisher: optional_party("publisher", &req.publisher)?,
        title: optional_text(&req.title),
        source: optional_text(&req.source),
        text,
        page_starts,
    })
}

/// The text of `text`, or of the pages of `pdf` (exactly one is set).
fn readout_text(req: &pb::IngestReadoutRequest) -> Result<(String, Vec<usize>), ApiError> {
    if req.pdf.is_empty() {
        if req.text.trim().is_empty() {
            return Err(invalid(
                "text",
                "is empty; send the readout's text (or the PDF in `pdf`)",
            ));
        }
        return Ok((req.text.clone(), Vec::new()));
    }
    if !req.text.is_empty() {
        return Err(invalid(
            "pdf",
            "is set and so is `text`; send the readout either as text or as a PDF",
        ));
    }
    let read = accord_pdf::text(&req.pdf).map_err(|e| invalid("pdf", e.to_string()))?;
    if read.text.len() > limits::MAX_READOUT_BYTES {
        return Err(invalid(
            "pdf",
            format!(
                "its text is {} bytes; the limit is {} bytes",
                read.text.len(),
                limits::MAX_READOUT_BYTES
            ),
        ));
    }
    Ok((read.text, read.page_starts))
}

pub fn get_commitment(
    req: &pb::GetCommitmentRequest,
) -> Result<(CommitmentId, Option<AsOf>), ApiError> {
    limits::get_commitment(req)?;
    let id = commitment_id("id", &req.id)?;
    let as_of = as_of(&req.as_of)?;
    let axis = pb::TimeAxis::try_from(req.as_of_axis).map_err(|_| {
        invalid(
            "as_of_axis",
            format!("{} is not a TimeAxis", req.as_of_axis),
        )
    })?;
    Ok((
        id,
        as_of.map(|t| match axis {
            pb::TimeAxis::Recorded => AsOf::Recorded(t),
            _ => AsOf::Occurred(t),
        }),
    ))
}

/// One page of `ListCommitments`.
#[derive(Debug)]
pub struct ListQuery {
    pub filter: Filter,
    pub after: Option<CommitmentId>,
    pub limit: usize,
}

pub fn list_commitments(req: &pb::ListCommitmentsRequest) -> Result<ListQuery, ApiError> {
    limits::list_commitments(req)?;
    let limit = page_size(req.page_size, DEFAULT_PAGE_SIZE)?;
    let after = match req.page_token.as_str() {
        "" => None,
        token => Some(CommitmentId::parse(token).map_err(|_| {
            invalid(
                "page_token",
                "is not a next_page_token from a previous answer",
            )
        })?),
    };
    let status = status_filter(req.status)?;
    let status_party = optional_party("status_party", &req.status_party)?;
    if status_party.is_some() && status.is_none() {
        return Err(invalid(
            "status_party",
            "needs a status to match that party's status against",
        ));
    }
    let filter = Filter {
        party: optional_party("party", &req.party)?,
        kind: kind_filter(req.kind)?,
        status: if status_party.is_some() { None } else { status },
        party_status: status_party.zip(status),
        topic: topic(&req.topic)?,
        text_contains: lowercase(&req.text_contains),
        review_queue: req.review_queue,
        include_untracked: req.include_untracked,
    };
    Ok(ListQuery {
        filter,
        after,
        limit,
    })
}

/// A page size: 0 means `default`, at most [`MAX_PAGE_SIZE`].
pub fn page_size(raw: i32, default: usize) -> Result<usize, ApiError> {
    match raw {
        0 => Ok(default),
        n if n < 0 => Err(invalid(
            "page_size",
            format!("{n} is negative; use 1..={MAX_PAGE_SIZE} or 0 for the default"),
        )),
        n if n as usize > MAX_PAGE_SIZE => Err(invalid(
            "page_size",
            format!("{n} is above the maximum of {MAX_PAGE_SIZE}"),
        )),
        n => Ok(n as usize),
    }
}

/// One page of `ListDeadLetters`: at most `limit` entries after the
/// `(aggregate, position)` cursor (entries go by aggregate, then position).
pub fn dead_letters(
    req: &pb::ListDeadLettersRequest,
) -> Result<(usize, Option<(String, u64)>), ApiError> {
    limits::bytes("page_token", &req.page_token, limits::MAX_NAME_BYTES)?;
    let limit = page_size(req.page_size, 100)?;
    let after = match req.page_token.as_str() {
        "" => None,
        token => Some(
            token
                .rsplit_once('/')
                .and_then(|(aggregate, p)| Some((aggregate.to_owned(), p.parse().ok()?)))
                .ok_or_else(|| {
                    invalid(
                        "page_token",
                        "is not a next_page_token from a previous answer",
                    )
                })?,
        ),
    };
    Ok((limit, after))
}

pub fn document_id(raw: &str) -> Result<DocumentId, ApiError> {
    limits::bytes("id", raw, limits::MAX_NAME_BYTES)?;
    if raw.is_empty() {
        return Err(invalid("id", "is required"));
    }
    DocumentId::parse(raw).map_err(|e| invalid("id", e.to_string()))
}

pub fn record_follow_up(req: pb::RecordFollowUpRequest) -> Result<CommandRequest, ApiError> {
    limits::record_follow_up(&req)?;
    use pb::record_follow_up_request::FollowUp;
    let id = commitment_id("commitment_id", &req.commitment_id)?;
    let command = match req.follow_up {
        None => {
            return Err(invalid(
                "follow_up",
                "is required: one of evidence, assess, supersede",
            ))
        }
        Some(FollowUp::Evidence(e)) => Command::AttachEvidence {
            evidence: evidence(e.evidence.as_ref())?,
            by: e.by,
        },
        Some(FollowUp::Assess(a)) => Command::AssessStatus {
            party: optional_party("assess.party", &a.party)?,
            status: status_required("assess.status", a.status)?,
            reason: optional_reason("assess.reason", &a.reason)?,
            effective: required_date("assess.effective", &a.effective)?,
            assessor: a.assessor,
            note: optional_text(&a.note),
            reassessment: a.reassessment,
            evidence_ids: a.evidence_ids,
        },
        Some(FollowUp::Supersede(x)) => Command::Supersede {
            successor: commitment_id("supersede.successor", &x.successor)?,
            effective: required_date("supersede.effective", &x.effective)?,
            by: x.by,
            evidence_ids: x.evidence_ids,
        },
        Some(FollowUp::ExtendDeadline(x)) => Command::ExtendDeadline {
            to: required_date("extend_deadline.to", &x.to)?,
            reason: x.reason,
            by: x.by,
        },
        Some(FollowUp::WaiveDeadline(x)) => Command::WaiveDeadline {
            reason: x.reason,
            by: x.by,
        },
    };
    Ok(CommandRequest {
        id,
        expected_version: expected_version(req.expected_version)?,
        command_id: command_id(req.command_id)?,
        command,
    })
}

pub fn review_commitment(req: pb::ReviewCommitmentRequest) -> Result<CommandRequest, ApiError> {
    limits::review_commitment(&req)?;
    use pb::review_commitment_request::Review;
    let id = commitment_id("commitment_id", &req.commitment_id)?;
    let command = match req.review {
        None => {
            return Err(invalid(
                "review",
                "is required: one of confirm, reject, merge, resolve",
            ))
        }
        Some(Review::Confirm(c)) => Command::Confirm {
            by: c.by,
            note: optional_text(&c.note),
        },
        Some(Review::Reject(r)) => Command::Reject {
            by: r.by,
            reason: r.reason,
        },
        Some(Review::Merge(m)) => Command::MergeInto {
            into: commitment_id("merge.into", &m.into)?,
            by: m.by,
        },
        Some(Review::Resolve(r)) => Command::ResolveProposal {
            proposal_id: r.proposal_id,
            accept: r.accept,
            by: r.by,
        },
    };
    Ok(CommandRequest {
        id,
        expected_version: expected_version(req.expected_version)?,
        command_id: command_id(req.command_id)?,
        command,
    })
}

/// A party's compliance report over an optional window of meeting dates.
#[derive(Debug)]
pub struct ReportQuery {
    pub party: Party,
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// Lines on this page, after this commitment (lines go by id).
    pub limit: usize,
    pub after: Option<CommitmentId>,
}

pub fn compliance_report(req: &pb::GetComplianceReportRequest) -> Result<ReportQuery, ApiError> {
    limits::compliance_report(req)?;
    let party = optional_party("party", &req.party)?
        .ok_or_else(|| invalid("party", "is required (e.g. JPN)"))?;
    let since = optional_date("since", &req.since)?;
    let until = optional_date("until", &req.until)?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(invalid("since", format!("{s} is after until {u}")));
        }
    }
    let after = match req.page_token.as_str() {
        "" => None,
        token => Some(CommitmentId::parse(token).map_err(|_| {
            invalid(
                "page_token",
                "is not a next_page_token from a previous answer",
            )
        })?),
    };
    Ok(ReportQuery {
        party,
        since,
        until,
        limit: page_size(req.page_size, MAX_PAGE_SIZE)?,
        after,
    })
}

pub fn watch_commitments(req: &pb::WatchCommitmentsRequest) -> Result<Filter, ApiError> {
    limits::watch_commitments(req)?;
    Ok(Filter {
        party: optional_party("party", &req.party)?,
        kind: kind_filter(req.kind)?,
        status: status_filter(req.status)?,
        topic: lowercase(&req.topic),
        text_contains: lowercase(&req.text_contains),
        // Watchers see rejections and merges too: they are changes.
        include_untracked: true,
        ..Default::default()
    })
}

/// Which alert notices a watch wants: a party (or any) and change types (or all).
pub fn watch_alerts(
    req: &pb::WatchAlertsRequest,
) -> Result<(Option<Party>, Vec<AlertChange>), ApiError> {
    limits::watch_alerts(req)?;
    let party = optional_party("party", &req.party)?;
    let mut types: Vec<AlertChange> = req
        .types
        .iter()
        .map(|t| {
            AlertChange::parse(t).ok_or_else(|| {
                invalid(
                    "types",
                    format!("{t:?} is not one of due_soon, overdue, resolved"),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    for &raw in &req.changes {
        let change = pb::AlertChange::try_from(raw)
            .ok()
            .and_then(accord_proto::domain::alert_change)
            .ok_or_else(|| {
                invalid(
                    "changes",
                    format!("{raw} is not an AlertChange (1 due soon, 2 overdue, 3 resolved)"),
                )
            })?;
        if !types.contains(&change) {
            types.push(change);
        }
    }
    Ok((party, types))
}

/// The version the caller last saw: required. Every commitment has a
/// version of at least 1 (the position of its first event), so 0 could only
/// mean "whatever it is now" — a silent bypass of the concurrency check.
pub fn expected_version(raw: u64) -> Result<u64, ApiError> {
    if raw == 0 {
        return Err(invalid(
            "expected_version",
            "is required: the commitment's version you last read (GetCommitment)",
        ));
    }
    Ok(raw)
}

/// A command id may be empty (the server makes one) but holds no
/// whitespace: the events' `correlation_id` is `cmd:<id>`, then ` req:<request id>`.
pub fn command_id(raw: String) -> Result<String, ApiError> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "command_id",
            format!("{raw:?} holds whitespace or control characters"),
        ));
    }
    Ok(raw)
}

pub fn commitment_id(field: &'static str, raw: &str) -> Result<CommitmentId, ApiError> {
    if raw.is_empty() {
        return Err(invalid(field, "is required"));
    }
    CommitmentId::parse(raw).map_err(|e| invalid(field, e.to_string()))
}

/// `KIND_UNSPECIFIED` means "any".
pub fn kind_filter(raw: i32) -> Result<Option<Kind>, ApiError> {
    pb::Kind::try_from(raw)
        .map(accord_proto::domain::kind)
        .map_err(|_| {
            invalid(
                "kind",
                format!("{raw} is not a Kind (1 action, 2 cooperation, 3 stance, 4 meeting)"),
            )
        })
}

/// `STATUS_UNSPECIFIED` means "any".
pub fn status_filter(raw: i32) -> Result<Option<Status>, ApiError> {
    pb::Status::try_from(raw)
        .map(accord_proto::domain::status)
        .map_err(|_| invalid("status", format!("{raw} is not a Status (1..=11)")))
}

/// A status a request sets: required, and never "unspecified".
pub fn status_required(field: &'static str, raw: i32) -> Result<Status, ApiError> {
    status_filter(raw)?.ok_or_else(|| invalid(field, "is required"))
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

/// Dates Accord accepts: readouts and their follow-ups live in this range,
/// and every date computed from one (deadlines, windows) stays computable.
pub const DATES: std::ops::RangeInclusive<i32> = 1900..=2200;

pub fn optional_date(field: &'static str, raw: &str) -> Result<Option<Date>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let date = Date::parse(raw.trim(), accord_domain::event::ISO_DATE)
        .map_err(|e| invalid(field, format!("{raw:?} is not a date YYYY-MM-DD ({e})")))?;
    if !DATES.contains(&date.year()) {
        return Err(invalid(
            field,
            format!(
                "{date} is outside the years {}..={} Accord accepts",
                DATES.start(),
                DATES.end()
            ),
        ));
    }
    Ok(Some(date))
}

fn required_date(field: &'static str, raw: &str) -> Result<Date, ApiError> {
    optional_date(field, raw)?.ok_or_else(|| invalid(field, "is required (YYYY-MM-DD)"))
}

pub fn optional_reason(field: &'static str, raw: &str) -> Result<Option<ReasonCode>, ApiError> {
    match raw.trim() {
        "" => Ok(None),
        r => r.parse().map(Some).map_err(|m: String| invalid(field, m)),
    }
}

pub fn optional_text(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|t| !t.is_empty())
}

fn lowercase(raw: &str) -> Option<String> {
    Some(raw.trim().to_lowercase()).filter(|t| !t.is_empty())
}

fn topic(raw: &str) -> Result<Option<String>, ApiError> {
    let topic = raw.trim().to_lowercase();
    if topic.contains(|c: char| c.is_whitespace() || c == ':') {
        return Err(invalid(
            "topic",
            format!("{topic:?} is not a topic tag (e.g. maritime-security)"),
        ));
    }
    Ok(Some(topic).filter(|t| !t.is_empty()))
}

/// `YYYY-MM-DD` (the end of that day, UTC) or an RFC 3339 time.
pub fn as_of(raw: &str) -> Result<Option<OffsetDateTime>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        if !DATES.contains(&t.year()) {
            return Err(invalid(
                "as_of",
                format!("{raw:?} is outside the years Accord accepts"),
            ));
        }
        return Ok(Some(t));
    }
    match optional_date("as_of", raw) {
        Ok(Some(d)) => Ok(Some(
            d.next_day().unwrap_or(d).midnight().assume_utc() - time::Duration::nanoseconds(1),
        )),
        _ => Err(invalid(
            "as_of",
            format!("{raw:?} is neither YYYY-MM-DD nor an RFC 3339 time"),
        )),
    }
}

/// A request's evidence, validated field by field.
pub fn evidence(e: Option<&pb::Evidence>) -> Result<Evidence, ApiError> {
    let e = e.ok_or_else(|| invalid("evidence", "is required"))?;
    limits::evidence(e)?;
    let typed = pb::EvidenceKind::try_from(e.evidence_kind)
        .ok()
        .and_then(accord_proto::domain::evidence_kind);
    let kind = match (typed, e.kind.as_str()) {
        (None, _) if e.evidence_kind != 0 => {
            return Err(invalid(
                "evidence.evidence_kind",
                format!("{} is not an evidence kind", e.evidence_kind),
            ))
        }
        (Some(k), "") => k,
        (Some(k), named) if named.eq_ignore_ascii_case(k.as_str()) => k,
        (Some(k), named) => {
            return Err(invalid(
                "evidence.kind",
                format!("{named:?} disagrees with evidence_kind {}", k.as_str()),
            ))
        }
        (None, named) => named
            .parse::<EvidenceKind>()
            .map_err(|m| invalid("evidence.kind", m))?,
    };
    let date = required_date("evidence.date", &e.date)?;
    let document_id = match e.document_id.as_str() {
        "" => None,
        d => {
            Some(DocumentId::parse(d).map_err(|m| invalid("evidence.document_id", m.to_string()))?)
        }
    };
    Ok(Evidence {
        evidence_id: e.evidence_id.trim().to_owned(),
        kind,
        source_url: optional_text(&e.source_url),
        date,
        source_type: optional_text(&e.source_type).unwrap_or_else(|| "analyst".into()),
        snippet: e.snippet.clone(),
        document_id,
        span: e.span.map(|s| Span {
            start: s.start as usize,
            end: s.end as usize,
        }),
        link_confidence: Some(e.link_confidence).filter(|c| *c != 0.0),
        signals: None,
    })
}

#[cfg(test)]
mod tests;
