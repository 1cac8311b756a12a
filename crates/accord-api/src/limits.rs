//! Every size limit on a request, in one place (README "Limits"). A field
//! over its limit is `INVALID_ARGUMENT` naming the field and the limit,
//! checked before anything else reads it (so no error message ever echoes
//! megabytes back). The limits keep each event Accord appends well under
//! NATS's `max_payload` (1 MiB by default).

use crate::error::{invalid, ApiError};
use accord_proto::v1 as pb;

/// A gRPC request above this is refused by the decoder itself
/// (`OUT_OF_RANGE`); below it, every field has its own limit here.
pub const MAX_REQUEST_BYTES: usize = 4 << 20;
/// One event as JSON. NATS refuses messages above its `max_payload`
/// (1 MiB by default); headers and party feeds ride along.
pub const MAX_EVENT_BYTES: usize = 768 << 10;
/// A readout's text. Its `ReadoutText` event carries the text again, as
/// sentences, so the text gets well under [`MAX_EVENT_BYTES`]; a readout
/// is a few KiB.
pub const MAX_READOUT_BYTES: usize = 256 << 10;
/// A readout sent as a PDF (`IngestReadoutRequest.pdf`): fonts and layout
/// make a PDF several times its text, and the whole request must stay under
/// [`MAX_REQUEST_BYTES`]. Its text is then held to [`MAX_READOUT_BYTES`].
pub const MAX_PDF_BYTES: usize = 3 << 20;
/// Free text an analyst writes: notes and reasons.
pub const MAX_NOTE_BYTES: usize = 4 << 10;
/// An evidence snippet quoted from a source.
pub const MAX_SNIPPET_BYTES: usize = 16 << 10;
/// Titles, sources and URLs.
pub const MAX_TITLE_BYTES: usize = 2 << 10;
/// Names and ids: `by`, `assessor`, parties, command and evidence ids,
/// dates, codes, page tokens.
pub const MAX_NAME_BYTES: usize = 200;
/// Filters a query scans with (`text_contains`, `topic`).
pub const MAX_FILTER_BYTES: usize = 200;
/// Projection entries one `ListCommitments` page may examine. A filter few
/// commitments match ends its page early, with a `next_page_token` to go
/// on from, instead of scanning the whole projection in one request.
pub const SCAN_BUDGET: usize = 10_000;
/// Repeated fields (`evidence_ids`, `types`, `changes`).
pub const MAX_ITEMS: usize = 64;

/// `field` holds at most `max` bytes.
pub fn bytes(field: &'static str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.len() > max {
        return Err(invalid(
            field,
            format!("is {} bytes; the limit is {max} bytes", value.len()),
        ));
    }
    Ok(())
}

fn name(field: &'static str, value: &str) -> Result<(), ApiError> {
    bytes(field, value, MAX_NAME_BYTES)
}

fn names(field: &'static str, values: &[String]) -> Result<(), ApiError> {
    items(field, values.len())?;
    values.iter().try_for_each(|v| name(field, v))
}

fn items(field: &'static str, n: usize) -> Result<(), ApiError> {
    if n > MAX_ITEMS {
        return Err(invalid(
            field,
            format!("has {n} items; the limit is {MAX_ITEMS}"),
        ));
    }
    Ok(())
}

pub fn ingest_readout(r: &pb::IngestReadoutRequest) -> Result<(), ApiError> {
    bytes("text", &r.text, MAX_READOUT_BYTES)?;
    if r.pdf.len() > MAX_PDF_BYTES {
        return Err(invalid(
            "pdf",
            format!(
                "is {} bytes; the limit is {MAX_PDF_BYTES} bytes",
                r.pdf.len()
            ),
        ));
    }
    name("date", &r.date)?;
    bytes("title", &r.title, MAX_TITLE_BYTES)?;
    bytes("source", &r.source, MAX_TITLE_BYTES)?;
    name("publisher", &r.publisher)
}

pub fn get_commitment(r: &pb::GetCommitmentRequest) -> Result<(), ApiError> {
    name("id", &r.id)?;
    name("as_of", &r.as_of)
}

pub fn list_commitments(r: &pb::ListCommitmentsRequest) -> Result<(), ApiError> {
    name("party", &r.party)?;
    name("status_party", &r.status_party)?;
    name("page_token", &r.page_token)?;
    bytes("text_contains", &r.text_contains, MAX_FILTER_BYTES)?;
    bytes("topic", &r.topic, MAX_FILTER_BYTES)
}

pub fn compliance_report(r: &pb::GetComplianceReportRequest) -> Result<(), ApiError> {
    name("party", &r.party)?;
    name("since", &r.since)?;
    name("until", &r.until)?;
    name("page_token", &r.page_token)
}

pub fn watch_commitments(r: &pb::WatchCommitmentsRequest) -> Result<(), ApiError> {
    name("party", &r.party)?;
    bytes("text_contains", &r.text_contains, MAX_FILTER_BYTES)?;
    bytes("topic", &r.topic, MAX_FILTER_BYTES)
}

pub fn watch_alerts(r: &pb::WatchAlertsRequest) -> Result<(), ApiError> {
    name("party", &r.party)?;
    names("types", &r.types)?;
    items("changes", r.changes.len())
}

pub fn evidence(e: &pb::Evidence) -> Result<(), ApiError> {
    name("evidence.evidence_id", &e.evidence_id)?;
    name("evidence.kind", &e.kind)?;
    bytes("evidence.source_url", &e.source_url, MAX_TITLE_BYTES)?;
    name("evidence.date", &e.date)?;
    name("evidence.source_type", &e.source_type)?;
    bytes("evidence.snippet", &e.snippet, MAX_SNIPPET_BYTES)?;
    name("evidence.document_id", &e.document_id)
}

pub fn record_follow_up(r: &pb::RecordFollowUpRequest) -> Result<(), ApiError> {
    use pb::record_follow_up_request::FollowUp;
    name("commitment_id", &r.commitment_id)?;
    name("command_id", &r.command_id)?;
    match &r.follow_up {
        None => Ok(()),
        Some(FollowUp::Evidence(e)) => {
            name("evidence.by", &e.by)?;
            e.evidence.as_ref().map_or(Ok(()), evidence)
        }
        Some(FollowUp::Assess(a)) => {
            name("assess.party", &a.party)?;
            name("assess.reason", &a.reason)?;
            name("assess.effective", &a.effective)?;
            name("assess.assessor", &a.assessor)?;
            bytes("assess.note", &a.note, MAX_NOTE_BYTES)?;
            names("assess.evidence_ids", &a.evidence_ids)
        }
        Some(FollowUp::Supersede(x)) => {
            name("supersede.successor", &x.successor)?;
            name("supersede.effective", &x.effective)?;
            name("supersede.by", &x.by)?;
            names("supersede.evidence_ids", &x.evidence_ids)
        }
        Some(FollowUp::ExtendDeadline(x)) => {
            name("extend_deadline.to", &x.to)?;
            bytes("extend_deadline.reason", &x.reason, MAX_NOTE_BYTES)?;
            name("extend_deadline.by", &x.by)
        }
        Some(FollowUp::WaiveDeadline(x)) => {
            bytes("waive_deadline.reason", &x.reason, MAX_NOTE_BYTES)?;
            name("waive_deadline.by", &x.by)
        }
    }
}

pub fn review_commitment(r: &pb::ReviewCommitmentRequest) -> Result<(), ApiError> {
    use pb::review_commitment_request::Review;
    name("commitment_id", &r.commitment_id)?;
    name("command_id", &r.command_id)?;
    match &r.review {
        None => Ok(()),
        Some(Review::Confirm(c)) => {
            name("confirm.by", &c.by)?;
            bytes("confirm.note", &c.note, MAX_NOTE_BYTES)
        }
        Some(Review::Reject(x)) => {
            name("reject.by", &x.by)?;
            bytes("reject.reason", &x.reason, MAX_NOTE_BYTES)
        }
        Some(Review::Merge(m)) => {
            name("merge.into", &m.into)?;
            name("merge.by", &m.by)
        }
        Some(Review::Resolve(x)) => {
            name("resolve.proposal_id", &x.proposal_id)?;
            name("resolve.by", &x.by)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: ApiError) -> &'static str {
        match e {
            ApiError::InvalidArgument { field, .. } => field,
            other => panic!("not an invalid argument: {other}"),
        }
    }

    #[test]
    fn a_field_over_its_limit_is_named_with_the_limit() {
        let big = |n: usize| "x".repeat(n);
        let follow = |a: pb::AssessStatus| pb::RecordFollowUpRequest {
            follow_up: Some(pb::record_follow_up_request::FollowUp::Assess(a)),
            ..Default::default()
        };
        let note = record_follow_up(&follow(pb::AssessStatus {
            note: big(2 << 20),
            ..Default::default()
        }))
        .unwrap_err();
        assert!(note
            .to_string()
            .contains(&format!("{MAX_NOTE_BYTES} bytes")));
        assert_eq!(field_of(note), "assess.note");
        let cases: Vec<(Result<(), ApiError>, &str)> = vec![
            (
                ingest_readout(&pb::IngestReadoutRequest {
                    text: big(MAX_READOUT_BYTES + 1),
                    ..Default::default()
                }),
                "text",
            ),
            (
                list_commitments(&pb::ListCommitmentsRequest {
                    text_contains: big(MAX_FILTER_BYTES + 1),
                    ..Default::default()
                }),
                "text_contains",
            ),
            (
                watch_alerts(&pb::WatchAlertsRequest {
                    changes: vec![1; MAX_ITEMS + 1],
                    ..Default::default()
                }),
                "changes",
            ),
            (
                review_commitment(&pb::ReviewCommitmentRequest {
                    review: Some(pb::review_commitment_request::Review::Reject(pb::Reject {
                        reason: big(MAX_NOTE_BYTES + 1),
                        by: "a".into(),
                    })),
                    ..Default::default()
                }),
                "reject.reason",
            ),
            (
                record_follow_up(&pb::RecordFollowUpRequest {
                    command_id: big(MAX_NAME_BYTES + 1),
                    ..Default::default()
                }),
                "command_id",
            ),
        ];
        for (got, field) in cases {
            assert_eq!(field_of(got.unwrap_err()), field);
        }
        // At the limit is fine.
        assert!(bytes("note", &big(MAX_NOTE_BYTES), MAX_NOTE_BYTES).is_ok());
    }

    #[test]
    fn every_readout_under_the_limit_fits_in_an_event() {
        // The ReadoutText event repeats the text as sentences; JSON escapes
        // can grow a byte sixfold only for control characters, which the
        // plan's own event-size check refuses by name.
        const { assert!(2 * MAX_READOUT_BYTES + (64 << 10) < MAX_EVENT_BYTES) };
        const { assert!(MAX_EVENT_BYTES < 1 << 20) };
    }
}
