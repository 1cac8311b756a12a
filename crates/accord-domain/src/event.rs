//! Events: immutable facts in the log, in a versioned JSON envelope.
//!
//! The envelope is the public wire format on NATS (see README "Event log"):
//! `{"id", "type", "schema_version", "occurred_at", "recorded_at",
//! "correlation_id", "payload"}`. Payloads are decoded by `(type, version)`,
//! which is where old versions are upcast to the current shape.

use crate::ids::{CommitmentId, DocumentId, EventId};
use crate::model::{Kind, Party, Span};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::{Date, OffsetDateTime};

/// The schema version every event is written with today.
pub const SCHEMA_VERSION: u32 = 1;

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// A readout was ingested; every commitment extracted from it is named.
/// Written last in its atomic batch, so its log position is the batch's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentIngested {
    pub document_id: DocumentId,
    pub title: Option<String>,
    pub source: Option<String>,
    #[serde(with = "iso_date::option")]
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub bytes: u64,
    pub extractor: String,
    pub commitments: Vec<CommitmentId>,
}

/// One commitment found in a readout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub due: Option<Date>,
    pub confidence: f32,
    #[serde(with = "iso_date::option")]
    pub meeting_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    DocumentIngested(DocumentIngested),
    CommitmentMade(CommitmentMade),
}

impl Event {
    /// The `type` field of the envelope.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::DocumentIngested(_) => "DocumentIngested",
            Event::CommitmentMade(_) => "CommitmentMade",
        }
    }

    /// Short lower-case name used as a NATS subject token.
    pub fn token(&self) -> &'static str {
        match self {
            Event::DocumentIngested(_) => "ingested",
            Event::CommitmentMade(_) => "made",
        }
    }

    /// The id of the thing the event happens to (document or commitment).
    pub fn aggregate_id(&self) -> &str {
        match self {
            Event::DocumentIngested(e) => e.document_id.as_str(),
            Event::CommitmentMade(e) => e.commitment_id.as_str(),
        }
    }

    /// Parties whose feed carries this event.
    pub fn parties(&self) -> &[Party] {
        match self {
            Event::DocumentIngested(_) => &[],
            Event::CommitmentMade(e) => &e.committers,
        }
    }

    /// A deterministic id for events that happen once per aggregate.
    pub fn natural_id(&self) -> EventId {
        EventId::derive(self.aggregate_id(), self.type_name())
    }

    fn payload_json(&self) -> serde_json::Result<Box<RawValue>> {
        match self {
            Event::DocumentIngested(e) => serde_json::value::to_raw_value(e),
            Event::CommitmentMade(e) => serde_json::value::to_raw_value(e),
        }
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
        match type_name {
            "DocumentIngested" => serde_json::from_str(payload.get()).map(Event::DocumentIngested).map_err(bad),
            "CommitmentMade" => serde_json::from_str(payload.get()).map(Event::CommitmentMade).map_err(bad),
            other => Err(DecodeError::UnknownType(other.to_owned())),
        }
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
    /// Ties together the events of one command (e.g. one ingest).
    pub correlation_id: String,
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
    #[error("{type_name} schema version {version} is not supported (this build reads 1..={supported})")]
    UnsupportedVersion { type_name: String, version: u32, supported: u32 },
    #[error("bad {type_name} payload: {reason}")]
    BadPayload { type_name: String, reason: String },
}

impl Envelope {
    pub fn new(meta: EventMeta, event: Event) -> Self {
        Envelope { meta, event }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let payload = self.event.payload_json().expect("event payloads always serialize");
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
        let wire: WireIn = serde_json::from_slice(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
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
pub(crate) mod tests {
    use super::*;
    use time::macros::{date, datetime};

    pub fn sample_made() -> CommitmentMade {
        let doc = DocumentId::for_text("seed");
        let span = Span { start: 10, end: 40 };
        CommitmentMade {
            commitment_id: CommitmentId::for_span(&doc, span),
            document_id: doc,
            kind: Kind::Action,
            committers: vec![Party::new("JPN").unwrap(), Party::new("NATO").unwrap()],
            counterparts: vec![],
            text: "would start an update on the IPCP".into(),
            span,
            cue: "would start".into(),
            due: None,
            confidence: 0.9,
            meeting_date: Some(date!(2017 - 10 - 31)),
        }
    }

    fn meta(event: &Event) -> EventMeta {
        EventMeta {
            id: event.natural_id(),
            occurred_at: datetime!(2017-10-31 0:00 UTC),
            recorded_at: datetime!(2026-11-27 12:00 UTC),
            correlation_id: "test".into(),
        }
    }

    #[test]
    fn envelope_round_trips() {
        let event = Event::CommitmentMade(sample_made());
        let env = Envelope::new(meta(&event), event);
        let json = env.to_json();
        let text = String::from_utf8(json.clone()).unwrap();
        assert!(text.contains(r#""type":"CommitmentMade""#), "{text}");
        assert!(text.contains(r#""schema_version":1"#), "{text}");
        assert!(text.contains(r#""meeting_date":"2017-10-31""#), "{text}");
        assert_eq!(Envelope::from_json(&json).unwrap(), env);
    }

    fn check_rejects(bytes: &[u8], expected: &str) {
        let err = Envelope::from_json(bytes).unwrap_err().to_string();
        assert!(err.contains(expected), "{err:?} does not mention {expected:?}");
    }

    #[test]
    fn bad_envelopes_say_what_is_wrong() {
        let event = Event::CommitmentMade(sample_made());
        let good = String::from_utf8(Envelope::new(meta(&event), event).to_json()).unwrap();
        check_rejects(b"not json", "malformed event envelope");
        check_rejects(b"{}", "missing field");
        check_rejects(good.replace("CommitmentMade", "CommitmentEaten").as_bytes(), "unknown event type \"CommitmentEaten\"");
        check_rejects(good.replace(r#""schema_version":1"#, r#""schema_version":7"#).as_bytes(), "schema version 7 is not supported");
        check_rejects(good.replace(r#""kind":"action""#, r#""kind":"promise""#).as_bytes(), "bad CommitmentMade payload");
        check_rejects(good.replace(r#""JPN""#, r#""j.p""#).as_bytes(), "invalid party code");
    }
}
