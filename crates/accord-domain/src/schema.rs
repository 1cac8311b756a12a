//! JSON Schemas (draft-07) of the events on the wire, generated from the
//! types in [`crate::event`]: the contract for systems that subscribe to
//! Accord's subjects (README "Event log", "Versioning and deprecation").
//!
//! [`files`] is every schema file under `proto/events/`, by path:
//! `envelope.json` (any event), `v<N>/<Type>.json` (one event type at one
//! `schema_version`: the whole envelope with `type` and `schema_version`
//! fixed and the payload's shape). `make schemas` writes them; a test in
//! `make test` fails when the committed files differ from these.

use crate::event::{
    AlertResolved, CommitmentConfirmed, CommitmentDueSoon, CommitmentMade, CommitmentOverdue,
    CommitmentRejected, CommitmentSuperseded, CommitmentsMerged, DeadlineExtended, DeadlineSet,
    DeadlineWaived, DocumentIngested, EntrySkipped, EvidenceAttached, FollowUpProposed,
    ProposalResolved, ReadoutText, StatusAssessed, SCHEMA_VERSION,
};
use crate::ids::EventId;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A date on the wire: `YYYY-MM-DD`.
pub struct IsoDate;

impl JsonSchema for IsoDate {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "A calendar date, YYYY-MM-DD (RFC 3339 full-date).",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        })
    }
}

/// A point in time on the wire: RFC 3339 with an offset.
pub struct Rfc3339;

impl JsonSchema for Rfc3339 {
    fn schema_name() -> Cow<'static, str> {
        "Rfc3339".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "A point in time, RFC 3339 with an offset (e.g. 2026-11-27T12:00:00Z).",
            "type": "string",
            "format": "date-time",
        })
    }
}

/// One event type: its envelope `type`, the `schema_version` it first
/// appeared in, and its payload schema as it is written today.
pub struct EventType {
    pub name: &'static str,
    pub since: u32,
    payload: fn() -> Value,
}

fn root<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

macro_rules! event_types {
    ($($t:ident since $v:literal),* $(,)?) => {
        [$(EventType { name: stringify!($t), since: $v, payload: root::<$t> }),*]
    };
}

/// Every event type, in the order the README lists them.
pub fn event_types() -> [EventType; 18] {
    event_types![
        ReadoutText since 2,
        DocumentIngested since 1,
        CommitmentMade since 1,
        CommitmentConfirmed since 1,
        CommitmentRejected since 1,
        CommitmentsMerged since 1,
        EvidenceAttached since 1,
        StatusAssessed since 1,
        CommitmentSuperseded since 1,
        FollowUpProposed since 1,
        ProposalResolved since 1,
        DeadlineSet since 1,
        DeadlineExtended since 1,
        DeadlineWaived since 1,
        CommitmentDueSoon since 1,
        CommitmentOverdue since 1,
        AlertResolved since 1,
        EntrySkipped since 2,
    ]
}

/// The payload schema of `type_name` as `version` wrote it: today's shape,
/// minus what later versions added (the inverse of [`crate::event::upcast`]).
/// `None` when that type did not exist at `version`.
pub fn payload_schema(type_name: &str, version: u32) -> Option<Value> {
    let t = event_types().into_iter().find(|t| t.name == type_name)?;
    if version < t.since || version == 0 || version > SCHEMA_VERSION {
        return None;
    }
    let mut schema = (t.payload)();
    if (type_name, version) == ("CommitmentMade", 1) {
        // v1 had no `topics` (the upcaster adds an empty list), nor the
        // optional `page` (added within v2).
        remove_property(&mut schema, "topics");
        remove_property(&mut schema, "page");
    }
    Some(schema)
}

fn remove_property(schema: &mut Value, name: &str) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        props.remove(name);
    }
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|r| r != name);
    }
}

fn envelope_properties(type_schema: Value, version_schema: Value, payload: Value) -> Value {
    let mut generator = SchemaGenerator::default();
    let id = EventId::json_schema(&mut generator).to_value();
    let mut time = |what: &str| {
        let mut t = Rfc3339::json_schema(&mut generator).to_value();
        t["description"] = json!(what);
        t
    };
    json!({
        "id": id,
        "type": type_schema,
        "schema_version": version_schema,
        "occurred_at": time("When the fact happened in the world (e.g. the meeting date)."),
        "recorded_at": time("When Accord wrote it down."),
        "correlation_id": {
            "description": "Ties together the events of one command: ingest:<document id>, cmd:<command id>, alert:…",
            "type": "string",
        },
        "payload": payload,
    })
}

const ENVELOPE_FIELDS: [&str; 7] = [
    "id",
    "type",
    "schema_version",
    "occurred_at",
    "recorded_at",
    "correlation_id",
    "payload",
];

/// The envelope of any event: what every message on `accord.v1.>` is.
pub fn envelope_schema() -> Value {
    let names: Vec<&str> = event_types().iter().map(|t| t.name).collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Accord event envelope",
        "description": "Every message on accord.v1.> is one event in this envelope. Decode `payload` by (`type`, `schema_version`) with the schema v<schema_version>/<type>.json. Unknown fields may appear and must be ignored.",
        "type": "object",
        "required": ENVELOPE_FIELDS,
        "properties": envelope_properties(
            json!({"description": "The event type.", "type": "string", "enum": names}),
            json!({
                "description": "The payload's schema version. Readers refuse versions newer than they know, never guess.",
                "type": "integer",
                "minimum": 1,
                "maximum": SCHEMA_VERSION,
            }),
            json!({"type": "object"}),
        ),
    })
}

/// The schema of one whole message: an event of `type_name` written with
/// `schema_version` `version`.
pub fn event_schema(type_name: &str, version: u32) -> Option<Value> {
    let Value::Object(mut payload) = payload_schema(type_name, version)? else {
        return None;
    };
    let definitions = payload.remove("definitions");
    payload.remove("$schema");
    let description = payload.remove("description");
    payload.remove("title");
    let mut schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("{type_name}, schema_version {version}"),
        "type": "object",
        "required": ENVELOPE_FIELDS,
        "properties": envelope_properties(
            json!({"const": type_name}),
            json!({"const": version}),
            Value::Object(payload),
        ),
    });
    if let Some(d) = description {
        schema["description"] = d;
    }
    if let Some(d) = definitions {
        schema["definitions"] = d;
    }
    Some(schema)
}

/// Every schema file under `proto/events/`, by path relative to it, with
/// keys sorted so the files are the same whatever serde_json's features.
pub fn files() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    out.insert("envelope.json".to_owned(), sorted(envelope_schema()));
    for version in 1..=SCHEMA_VERSION {
        for t in event_types() {
            if let Some(schema) = event_schema(t.name, version) {
                out.insert(format!("v{version}/{}.json", t.name), sorted(schema));
            }
        }
    }
    out
}

/// The formats of JSON Schema's own vocabulary; schemars also writes Rust's
/// number types (`uint64`, `float`), which validators reject or ignore.
const STANDARD_FORMATS: [&str; 2] = ["date", "date-time"];

/// `value` with every object's keys in sorted order, and only standard
/// `format`s (unsigned numbers keep their `minimum: 0`).
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let entries: BTreeMap<String, Value> = map
                .into_iter()
                .filter(|(k, v)| {
                    k != "format" || v.as_str().is_some_and(|f| STANDARD_FORMATS.contains(&f))
                })
                .map(|(k, v)| (k, sorted(v)))
                .collect();
            Value::Object(entries.into_iter().collect::<Map<String, Value>>())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
