//! Events: immutable facts in the log, in a versioned JSON envelope.
//!
//! The envelope is the public wire format on NATS (see README "Event log"):
//! `{"id", "type", "schema_version", "occurred_at", "recorded_at",
//! "correlation_id", "payload"}`. Payloads are decoded by `(type, version)`,
//! which is where old versions are upcast to the current shape.

use crate::ids::{CommitmentId, DocumentId, EventId};
use crate::model::{EvidenceKind, Kind, Party, ReasonCode, Span, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::{Date, OffsetDateTime};

/// The schema version every event is written with today. Version history:
/// 1, the first; 2, `CommitmentMade` gained `topics` (see [`upcast`]).
pub const SCHEMA_VERSION: u32 = 2;

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// `YYYY-MM-DD`, the one date format on Accord's wire.
pub const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A readout was ingested; every commitment extracted from it is named.
/// Written last in its atomic batch, so its log position is the batch's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentIngested {
    pub document_id: DocumentId,
    pub title: Option<String>,
    pub source: Option<String>,
    #[serde(with = "iso_date::option")]
    #[schemars(with = "Option<crate::schema::IsoDate>")]
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub bytes: u64,
    pub extractor: String,
    pub commitments: Vec<CommitmentId>,
}

/// The sentences of a readout as the extractor read them (decoded text,
/// spans in the ingested bytes), with the meeting's date and parties: what
/// the follow-up linker reads, so linking can run (and run again) from the
/// log alone. Appended in the ingest batch just before `DocumentIngested`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReadoutText {
    pub document_id: DocumentId,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub date: Date,
    pub parties: Vec<Party>,
    pub sentences: Vec<SentenceText>,
    /// Who met, as the readout names them (organisations not expanded, the
    /// publisher included): `parties` also holds everyone a commitment
    /// names. Absent from events written before it was kept; the linker
    /// then does without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Vec<Party>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SentenceText {
    pub span: Span,
    pub text: String,
}

/// Why the linker tied a later readout's sentence to a commitment: the
/// signals an analyst checks before trusting it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LinkSignals {
    /// The words that report an outcome ("welcomed the completion").
    pub cue: String,
    /// Named instruments (acronyms, names) both texts mention.
    #[serde(default)]
    pub shared_names: Vec<String>,
    /// Content words both texts share.
    #[serde(default)]
    pub shared_words: Vec<String>,
    /// Parties of the commitment found among the later readout's parties.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// The phrase that dates the outcome ("in March"), if any.
    #[serde(default)]
    pub dated_by: Option<String>,
    /// Applied, or sent to review, and why.
    #[serde(default)]
    pub decision: String,
}

/// One commitment found in a readout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentMade {
    pub commitment_id: CommitmentId,
    pub document_id: DocumentId,
    pub kind: Kind,
    pub committers: Vec<Party>,
    pub counterparts: Vec<Party>,
    pub text: String,
    pub span: Span,
    pub cue: String,
    #[serde(with = "iso_date::option")]
    #[schemars(with = "Option<crate::schema::IsoDate>")]
    pub due: Option<Date>,
    pub confidence: f32,
    #[serde(with = "iso_date::option")]
    #[schemars(with = "Option<crate::schema::IsoDate>")]
    pub meeting_date: Option<Date>,
    /// Topic tags (e.g. "maritime-security"); since schema version 2.
    pub topics: Vec<String>,
    /// For a PDF readout, the page (from 1) the commitment's text starts on;
    /// absent otherwise. Optional, added within schema version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// Something that shows what became of a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub evidence_id: String,
    pub kind: EvidenceKind,
    pub source_url: Option<String>,
    /// When the evidence happened (its effective date).
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub date: Date,
    /// e.g. official_readout, press_release, news, report, analyst.
    pub source_type: String,
    pub snippet: String,
    /// Set when the evidence comes from an ingested readout.
    pub document_id: Option<DocumentId>,
    pub span: Option<Span>,
    /// How sure the linker is that this evidence is about this commitment.
    pub link_confidence: Option<f32>,
    /// What the linker saw (linked evidence only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signals: Option<LinkSignals>,
}

/// A reviewer confirmed the extraction is a real commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentConfirmed {
    pub commitment_id: CommitmentId,
    pub by: String,
    pub note: Option<String>,
}

/// An extraction false alarm: it leaves the tracker, stays in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentRejected {
    pub commitment_id: CommitmentId,
    pub by: String,
    pub reason: String,
}

/// This commitment is the same pledge as `into` (e.g. two readouts of one
/// meeting); it leaves the tracker and `into` carries on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentsMerged {
    pub commitment_id: CommitmentId,
    pub into: CommitmentId,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceAttached {
    pub commitment_id: CommitmentId,
    pub evidence: Evidence,
    pub by: String,
}

/// A status judgement for one committing party, or for all when `party` is
/// `None`. `reassessment` is required to leave a terminal status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StatusAssessed {
    pub commitment_id: CommitmentId,
    pub party: Option<Party>,
    pub status: Status,
    pub reason: Option<ReasonCode>,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub effective: Date,
    pub assessor: String,
    pub note: Option<String>,
    pub reassessment: bool,
    /// Evidence the judgement rests on.
    pub evidence_ids: Vec<String>,
}

/// A new commitment replaces this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentSuperseded {
    pub commitment_id: CommitmentId,
    pub successor: CommitmentId,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub effective: Date,
    pub by: String,
    pub evidence_ids: Vec<String>,
}

/// A follow-up the linker was not sure of: it waits in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FollowUpProposed {
    pub commitment_id: CommitmentId,
    pub proposal_id: String,
    pub evidence: Evidence,
    pub status: Option<Status>,
    pub successor: Option<CommitmentId>,
}

/// A reviewer accepted or dismissed a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalResolved {
    pub commitment_id: CommitmentId,
    pub proposal_id: String,
    pub accepted: bool,
    pub by: String,
}

/// Where an assessment window (deadline) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineBasis {
    /// The readout gives a time ("by the end of the year").
    Text,
    /// The next meeting of the same parties in the same format.
    NextMeeting,
    /// The configured horizon for the commitment's kind.
    Horizon,
    /// Set by an analyst.
    Analyst,
}

/// The date by which a commitment should be assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineSet {
    pub commitment_id: CommitmentId,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub due: Date,
    pub basis: DeadlineBasis,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineExtended {
    pub commitment_id: CommitmentId,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub to: Date,
    pub reason: String,
    pub by: String,
}

/// The commitment is no longer held to a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineWaived {
    pub commitment_id: CommitmentId,
    #[serde(with = "iso_date::option")]
    #[schemars(with = "Option<crate::schema::IsoDate>")]
    pub from: Option<Date>,
    pub reason: String,
    pub by: String,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    DueSoon,
    Overdue,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::DueSoon => "due_soon",
            AlertKind::Overdue => "overdue",
        }
    }
}

/// What an alert is about, carried whole so that alert consumers need no
/// lookup. `alert_id` is deterministic: commitment, kind, deadline, lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Alert {
    pub alert_id: String,
    pub kind: AlertKind,
    pub commitment_id: CommitmentId,
    pub committers: Vec<Party>,
    pub commitment_kind: Kind,
    pub text: String,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::schema::IsoDate")]
    pub deadline: Date,
    /// For due-soon alerts: the lead time (days before the deadline) crossed.
    pub lead_days: Option<u32>,
}

/// What an alert event does: raise a due-soon or overdue alert, or resolve one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertChange {
    DueSoon,
    Overdue,
    Resolved,
}

impl AlertChange {
    /// The name used in watches and in the API (`due_soon`, `overdue`, `resolved`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertChange::DueSoon => "due_soon",
            AlertChange::Overdue => "overdue",
            AlertChange::Resolved => "resolved",
        }
    }

    pub fn parse(raw: &str) -> Option<AlertChange> {
        [
            AlertChange::DueSoon,
            AlertChange::Overdue,
            AlertChange::Resolved,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentDueSoon {
    pub alert: Alert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentOverdue {
    pub alert: Alert,
}

/// An alert no longer holds: fulfilled, superseded, withdrawn, or the
/// deadline moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AlertResolved {
    pub alert: Alert,
    pub reason: String,
}

/// An operator set aside the parked entry at `position` (one the projector
/// cannot read), so the commitment it held back continues: the entries that
/// waited behind it are applied in log order. Applied even while the
/// commitment is parked; skipping an entry no longer parked changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntrySkipped {
    pub commitment_id: CommitmentId,
    /// The log position of the skipped entry.
    pub position: u64,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    DocumentIngested(DocumentIngested),
    ReadoutText(ReadoutText),
    CommitmentMade(CommitmentMade),
    CommitmentConfirmed(CommitmentConfirmed),
    CommitmentRejected(CommitmentRejected),
    CommitmentsMerged(CommitmentsMerged),
    EvidenceAttached(EvidenceAttached),
    StatusAssessed(StatusAssessed),
    CommitmentSuperseded(CommitmentSuperseded),
    FollowUpProposed(FollowUpProposed),
    ProposalResolved(ProposalResolved),
    DeadlineSet(DeadlineSet),
    DeadlineExtended(DeadlineExtended),
    DeadlineWaived(DeadlineWaived),
    CommitmentDueSoon(CommitmentDueSoon),
    CommitmentOverdue(CommitmentOverdue),
    AlertResolved(AlertResolved),
    EntrySkipped(EntrySkipped),
}

/// Applies `$body` to the payload of any event variant.
macro_rules! each_payload {
    ($event:expr, $p:ident => $body:expr) => {
        match $event {
            Event::DocumentIngested($p) => $body,
            Event::ReadoutText($p) => $body,
            Event::CommitmentMade($p) => $body,
            Event::CommitmentConfirmed($p) => $body,
            Event::CommitmentRejected($p) => $body,
            Event::CommitmentsMerged($p) => $body,
            Event::EvidenceAttached($p) => $body,
            Event::StatusAssessed($p) => $body,
            Event::CommitmentSuperseded($p) => $body,
            Event::FollowUpProposed($p) => $body,
            Event::ProposalResolved($p) => $body,
            Event::DeadlineSet($p) => $body,
            Event::DeadlineExtended($p) => $body,
            Event::DeadlineWaived($p) => $body,
            Event::CommitmentDueSoon($p) => $body,
            Event::CommitmentOverdue($p) => $body,
            Event::AlertResolved($p) => $body,
            Event::EntrySkipped($p) => $body,
        }
    };
}

impl Event {
    /// The `type` field of the envelope.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::DocumentIngested(_) => "DocumentIngested",
            Event::ReadoutText(_) => "ReadoutText",
            Event::CommitmentMade(_) => "CommitmentMade",
            Event::CommitmentConfirmed(_) => "CommitmentConfirmed",
            Event::CommitmentRejected(_) => "CommitmentRejected",
            Event::CommitmentsMerged(_) => "CommitmentsMerged",
            Event::EvidenceAttached(_) => "EvidenceAttached",
            Event::StatusAssessed(_) => "StatusAssessed",
            Event::CommitmentSuperseded(_) => "CommitmentSuperseded",
            Event::FollowUpProposed(_) => "FollowUpProposed",
            Event::ProposalResolved(_) => "ProposalResolved",
            Event::DeadlineSet(_) => "DeadlineSet",
            Event::DeadlineExtended(_) => "DeadlineExtended",
            Event::DeadlineWaived(_) => "DeadlineWaived",
            Event::CommitmentDueSoon(_) => "CommitmentDueSoon",
            Event::CommitmentOverdue(_) => "CommitmentOverdue",
            Event::AlertResolved(_) => "AlertResolved",
            Event::EntrySkipped(_) => "EntrySkipped",
        }
    }

    /// Short lower-case name used as a NATS subject token.
    pub fn token(&self) -> &'static str {
        match self {
            Event::DocumentIngested(_) => "ingested",
            Event::ReadoutText(_) => "text",
            Event::CommitmentMade(_) => "made",
            Event::CommitmentConfirmed(_) => "confirmed",
            Event::CommitmentRejected(_) => "rejected",
            Event::CommitmentsMerged(_) => "merged",
            Event::EvidenceAttached(_) => "evidence",
            Event::StatusAssessed(_) => "assessed",
            Event::CommitmentSuperseded(_) => "superseded",
            Event::FollowUpProposed(_) => "proposed",
            Event::ProposalResolved(_) => "resolved",
            Event::DeadlineSet(_) => "deadline",
            Event::DeadlineExtended(_) => "extended",
            Event::DeadlineWaived(_) => "waived",
            Event::CommitmentDueSoon(_) => "duesoon",
            Event::CommitmentOverdue(_) => "overdue",
            Event::AlertResolved(_) => "alertresolved",
            Event::EntrySkipped(_) => "skipped",
        }
    }

    /// The id of the thing the event happens to (document or commitment).
    pub fn aggregate_id(&self) -> &str {
        match self {
            Event::DocumentIngested(e) => e.document_id.as_str(),
            Event::ReadoutText(e) => e.document_id.as_str(),
            other => other
                .commitment_id()
                .map(CommitmentId::as_str)
                .unwrap_or_default(),
        }
    }

    /// The commitment the event belongs to; `None` for document events.
    pub fn commitment_id(&self) -> Option<&CommitmentId> {
        match self {
            Event::DocumentIngested(_) | Event::ReadoutText(_) => None,
            Event::CommitmentMade(e) => Some(&e.commitment_id),
            Event::CommitmentConfirmed(e) => Some(&e.commitment_id),
            Event::CommitmentRejected(e) => Some(&e.commitment_id),
            Event::CommitmentsMerged(e) => Some(&e.commitment_id),
            Event::EvidenceAttached(e) => Some(&e.commitment_id),
            Event::StatusAssessed(e) => Some(&e.commitment_id),
            Event::CommitmentSuperseded(e) => Some(&e.commitment_id),
            Event::FollowUpProposed(e) => Some(&e.commitment_id),
            Event::ProposalResolved(e) => Some(&e.commitment_id),
            Event::DeadlineSet(e) => Some(&e.commitment_id),
            Event::DeadlineExtended(e) => Some(&e.commitment_id),
            Event::DeadlineWaived(e) => Some(&e.commitment_id),
            Event::CommitmentDueSoon(e) => Some(&e.alert.commitment_id),
            Event::CommitmentOverdue(e) => Some(&e.alert.commitment_id),
            Event::AlertResolved(e) => Some(&e.alert.commitment_id),
            Event::EntrySkipped(e) => Some(&e.commitment_id),
        }
    }

    /// The alert an alert event raises or resolves, with what it does to it;
    /// `None` for every other event. The one place that says what an alert
    /// event is (the sink, the watch and the alerter all ask here).
    pub fn alert(&self) -> Option<(AlertChange, &Alert)> {
        match self {
            Event::CommitmentDueSoon(e) => Some((AlertChange::DueSoon, &e.alert)),
            Event::CommitmentOverdue(e) => Some((AlertChange::Overdue, &e.alert)),
            Event::AlertResolved(e) => Some((AlertChange::Resolved, &e.alert)),
            _ => None,
        }
    }

    /// Parties named by the event itself (the committers of a new commitment);
    /// the edges add the committers of existing ones from state.
    pub fn parties(&self) -> &[Party] {
        match self {
            Event::CommitmentMade(e) => &e.committers,
            _ => &[],
        }
    }

    /// A deterministic id for events that happen once per aggregate.
    pub fn natural_id(&self) -> EventId {
        EventId::derive(self.aggregate_id(), self.type_name())
    }

    fn payload_json(&self) -> serde_json::Result<Box<RawValue>> {
        each_payload!(self, p => serde_json::value::to_raw_value(p))
    }

    /// Decodes a payload written as `(type, version)`, upcasting old versions.
    fn decode(type_name: &str, version: u32, payload: &RawValue) -> Result<Event, DecodeError> {
        if version == 0 || version > SCHEMA_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                type_name: type_name.to_owned(),
                version,
                supported: SCHEMA_VERSION,
            });
        }
        let bad = |e: serde_json::Error| DecodeError::BadPayload {
            type_name: type_name.to_owned(),
            reason: e.to_string(),
        };
        let upcast = upcast(type_name, version, payload).map_err(bad)?;
        let json = upcast.as_deref().unwrap_or(payload.get());
        match type_name {
            "DocumentIngested" => serde_json::from_str(json).map(Event::DocumentIngested),
            "ReadoutText" => serde_json::from_str(json).map(Event::ReadoutText),
            "CommitmentMade" => serde_json::from_str(json).map(Event::CommitmentMade),
            "CommitmentConfirmed" => serde_json::from_str(json).map(Event::CommitmentConfirmed),
            "CommitmentRejected" => serde_json::from_str(json).map(Event::CommitmentRejected),
            "CommitmentsMerged" => serde_json::from_str(json).map(Event::CommitmentsMerged),
            "EvidenceAttached" => serde_json::from_str(json).map(Event::EvidenceAttached),
            "StatusAssessed" => serde_json::from_str(json).map(Event::StatusAssessed),
            "CommitmentSuperseded" => serde_json::from_str(json).map(Event::CommitmentSuperseded),
            "FollowUpProposed" => serde_json::from_str(json).map(Event::FollowUpProposed),
            "ProposalResolved" => serde_json::from_str(json).map(Event::ProposalResolved),
            "DeadlineSet" => serde_json::from_str(json).map(Event::DeadlineSet),
            "DeadlineExtended" => serde_json::from_str(json).map(Event::DeadlineExtended),
            "DeadlineWaived" => serde_json::from_str(json).map(Event::DeadlineWaived),
            "CommitmentDueSoon" => serde_json::from_str(json).map(Event::CommitmentDueSoon),
            "CommitmentOverdue" => serde_json::from_str(json).map(Event::CommitmentOverdue),
            "AlertResolved" => serde_json::from_str(json).map(Event::AlertResolved),
            "EntrySkipped" => serde_json::from_str(json).map(Event::EntrySkipped),
            other => return Err(DecodeError::UnknownType(other.to_owned())),
        }
        .map_err(bad)
    }
}

/// Rewrites a payload written with an older schema version into the
/// current shape; `None` when it already has it. Events in the log are never
/// changed: old ones are read through this.
pub fn upcast(
    type_name: &str,
    version: u32,
    payload: &RawValue,
) -> serde_json::Result<Option<String>> {
    match (type_name, version) {
        // v1 CommitmentMade had no topics: it was tagged with none.
        ("CommitmentMade", 1) => {
            let mut value: serde_json::Value = serde_json::from_str(payload.get())?;
            if let Some(fields) = value.as_object_mut() {
                fields
                    .entry("topics")
                    .or_insert_with(|| serde_json::json!([]));
            }
            serde_json::to_string(&value).map(Some)
        }
        _ => Ok(None),
    }
}

/// When and why an event was written; chosen by the edge, never by the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMeta {
    pub id: EventId,
    /// When the fact happened in the world (e.g. the meeting date).
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// When Accord wrote it down.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// Ties together the events of one command (e.g. one ingest):
    /// `ingest:<document>` or `cmd:<command id>`, followed by
    /// ` req:<request id>` when a request caused it (see [`EventMeta::command_id`]).
    pub correlation_id: String,
}

/// What separates a correlation id's origin from the request that caused it.
pub const REQUEST_MARK: &str = " req:";

impl EventMeta {
    /// The correlation id `origin` of events caused by request `request_id`.
    pub fn correlation(origin: &str, request_id: Option<&str>) -> String {
        match request_id {
            Some(r) => format!("{origin}{REQUEST_MARK}{r}"),
            None => origin.to_owned(),
        }
    }

    /// The command id these events record, if a command wrote them
    /// (`cmd:<id>`, with or without the request that sent it).
    pub fn command_id(&self) -> Option<&str> {
        let origin = self.correlation_id.strip_prefix("cmd:")?;
        Some(
            origin
                .rsplit_once(REQUEST_MARK)
                .map_or(origin, |(command, _)| command),
        )
    }

    /// The request that caused these events, if one did.
    pub fn request_id(&self) -> Option<&str> {
        self.correlation_id
            .rsplit_once(REQUEST_MARK)
            .map(|(_, request)| request)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub meta: EventMeta,
    pub event: Event,
}

#[derive(Serialize)]
struct WireOut<'a> {
    id: &'a EventId,
    #[serde(rename = "type")]
    type_name: &'a str,
    schema_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    occurred_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    recorded_at: OffsetDateTime,
    correlation_id: &'a str,
    payload: &'a RawValue,
}

#[derive(Deserialize)]
struct WireIn<'a> {
    id: EventId,
    #[serde(rename = "type")]
    type_name: String,
    schema_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    occurred_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    recorded_at: OffsetDateTime,
    correlation_id: String,
    #[serde(borrow)]
    payload: &'a RawValue,
}

/// Why bytes on an Accord subject are not an event this version understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed event envelope: {0}")]
    Malformed(String),
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    #[error(
        "{type_name} schema version {version} is not supported (this build reads 1..={supported})"
    )]
    UnsupportedVersion {
        type_name: String,
        version: u32,
        supported: u32,
    },
    #[error("bad {type_name} payload: {reason}")]
    BadPayload { type_name: String, reason: String },
}

impl Envelope {
    pub fn new(meta: EventMeta, event: Event) -> Self {
        Envelope { meta, event }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let payload = self
            .event
            .payload_json()
            .expect("event payloads always serialize");
        let wire = WireOut {
            id: &self.meta.id,
            type_name: self.event.type_name(),
            schema_version: SCHEMA_VERSION,
            occurred_at: self.meta.occurred_at,
            recorded_at: self.meta.recorded_at,
            correlation_id: &self.meta.correlation_id,
            payload: &payload,
        };
        serde_json::to_vec(&wire).expect("envelopes always serialize")
    }

    pub fn from_json(bytes: &[u8]) -> Result<Self, DecodeError> {
        let wire: WireIn<'_> =
            serde_json::from_slice(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
        let event = Event::decode(&wire.type_name, wire.schema_version, wire.payload)?;
        Ok(Envelope {
            meta: EventMeta {
                id: wire.id,
                occurred_at: wire.occurred_at,
                recorded_at: wire.recorded_at,
                correlation_id: wire.correlation_id,
            },
            event,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests;
