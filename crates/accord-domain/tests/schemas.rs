//! The event schemas under `proto/events/` are the ones the Rust types
//! generate, and they accept what the code writes.
//!
//! Regenerate after changing an event type: `make schemas`
//! (= `ACCORD_WRITE_SCHEMAS=1 cargo test -p accord-domain --test schemas`).

use accord_domain::event::*;
use accord_domain::ids::{CommitmentId, DocumentId, EventId};
use accord_domain::model::{EvidenceKind, Kind, Party, ReasonCode, Span, Status};
use accord_domain::schema;
use accord_domain::{Envelope, Event, EventMeta, SCHEMA_VERSION};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use time::macros::{date, datetime};

const REGENERATE: &str =
    "make schemas   (= ACCORD_WRITE_SCHEMAS=1 cargo test -p accord-domain --test schemas)";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto/events")
}

fn render(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

/// Every `*.json` under `proto/events/` except the frozen samples.
fn committed() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let root = dir();
    let mut todo = vec![root.clone()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                if rel != "samples" {
                    todo.push(path);
                }
            } else if rel.ends_with(".json") {
                out.insert(rel);
            }
        }
    }
    out
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    let generated = schema::files();
    if std::env::var_os("ACCORD_WRITE_SCHEMAS").is_some() {
        for stale in committed() {
            if !generated.contains_key(&stale) {
                std::fs::remove_file(dir().join(&stale)).unwrap();
            }
        }
        for (path, value) in &generated {
            let path = dir().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, render(value)).unwrap();
        }
        eprintln!(
            "wrote {} schema files under {}",
            generated.len(),
            dir().display()
        );
        // Samples are frozen: only missing ones (a new type or version) are written.
        for event in samples() {
            let path = sample_path(event.type_name(), SCHEMA_VERSION);
            if !path.exists() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, render(&wire(event))).unwrap();
                eprintln!("wrote the frozen sample {}", path.display());
            }
        }
        return;
    }
    let mut problems = Vec::new();
    for (path, value) in &generated {
        match std::fs::read_to_string(dir().join(path)) {
            Err(_) => problems.push(format!("missing: proto/events/{path}")),
            Ok(text) if text != render(value) => {
                problems.push(format!("out of date: proto/events/{path}"))
            }
            Ok(_) => {}
        }
    }
    for path in committed() {
        if !generated.contains_key(&path) {
            problems.push(format!("no longer generated: proto/events/{path}"));
        }
    }
    assert!(
        problems.is_empty(),
        "the event schemas do not match the Rust types:\n  {}\nregenerate with: {REGENERATE}\n\
         (and see README \"Versioning and deprecation\": a change that is not additive needs a new schema_version and an upcaster)",
        problems.join("\n  ")
    );
}

fn sample_path(type_name: &str, version: u32) -> PathBuf {
    dir().join(format!("samples/v{version}/{type_name}.json"))
}

/// The frozen samples under `proto/events/samples/v<N>/`: one message of
/// each type as version N wrote it. Never regenerated, never edited.
fn frozen() -> Vec<(u32, String, Value)> {
    let mut out = Vec::new();
    for version in 1..=SCHEMA_VERSION + 1 {
        let Ok(entries) = std::fs::read_dir(dir().join(format!("samples/v{version}"))) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push((version, name, value));
        }
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out
}

/// The compatibility rule for events (README "Versioning and deprecation"):
/// a change to an event type either keeps every message written before
/// readable, or it comes with a new `schema_version` and an upcaster. The
/// frozen samples are messages written before; this test fails when a
/// change would break them without a version bump.
#[test]
fn old_messages_stay_readable_or_the_schema_version_is_bumped() {
    let samples = frozen();
    let schemas = schema::files();
    for t in schema::event_types() {
        assert!(
            samples
                .iter()
                .any(|(v, name, _)| *v == SCHEMA_VERSION && name == t.name),
            "no frozen sample of {} at schema_version {SCHEMA_VERSION}: run {REGENERATE}",
            t.name
        );
    }
    for (version, name, message) in &samples {
        let what = format!("proto/events/samples/v{version}/{name}.json");
        assert_eq!(message["schema_version"], *version, "{what}");
        assert_eq!(message["type"], name.as_str(), "{what}");
        // 1. The code still reads it (through the upcasters, for old versions).
        let decoded = Envelope::from_json(message.to_string().as_bytes()).unwrap_or_else(|e| {
            panic!(
                "{what} no longer decodes: {e}.\nA change that old messages do not fit needs \
                 SCHEMA_VERSION + 1 and an upcaster from {version} (accord_domain::event::upcast)"
            )
        });
        assert_eq!(decoded.event.type_name(), name);
        // 2. Its version's schema still describes it.
        let schema = schemas
            .get(&format!("v{version}/{name}.json"))
            .unwrap_or_else(|| panic!("{what}: no schema for v{version} any more"));
        assert_eq!(
            errors(schema, message),
            Vec::<String>::new(),
            "{what} no longer fits its schema: bump SCHEMA_VERSION (and keep v{version}'s shape in \
             accord_domain::schema::payload_schema) instead of changing it"
        );
        // 3. No field it carries was dropped or renamed within the version.
        let properties = &schema["properties"]["payload"]["properties"];
        for field in message["payload"].as_object().unwrap().keys() {
            assert!(
                properties.get(field).is_some(),
                "{what}: field {field:?} is gone from {name} v{version}; removing or renaming a \
                 field needs a new schema_version (keep it, documented as deprecated, until then)"
            );
        }
    }
}

#[test]
fn the_compatibility_check_can_fail() {
    let schemas = schema::files();
    let (_, _, made) = frozen()
        .into_iter()
        .find(|(v, n, _)| *v == SCHEMA_VERSION && n == "CommitmentMade")
        .unwrap();
    let schema = &schemas[&format!("v{SCHEMA_VERSION}/CommitmentMade.json")];
    // A new required field: the old message no longer fits.
    let mut stricter = schema.clone();
    stricter["properties"]["payload"]["required"]
        .as_array_mut()
        .unwrap()
        .push("region".into());
    assert!(!errors(&stricter, &made).is_empty());
    // A field the old message has is gone from the schema.
    let mut dropped = schema.clone();
    dropped["properties"]["payload"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("cue");
    assert!(dropped["properties"]["payload"]["properties"]
        .get("cue")
        .is_none());
    assert!(made["payload"].get("cue").is_some());
    // A renamed field: the old message no longer decodes.
    let mut renamed = made.clone();
    let cue = renamed["payload"]
        .as_object_mut()
        .unwrap()
        .remove("cue")
        .unwrap();
    renamed["payload"]["cue_words"] = cue;
    assert!(Envelope::from_json(renamed.to_string().as_bytes()).is_err());
}

fn doc() -> DocumentId {
    DocumentId::for_text("a readout")
}

fn cid(n: usize) -> CommitmentId {
    CommitmentId::for_span(
        &doc(),
        Span {
            start: n,
            end: n + 10,
        },
    )
}

fn parties() -> Vec<Party> {
    vec![Party::new("JPN").unwrap(), Party::new("NATO").unwrap()]
}

fn evidence(signals: bool) -> Evidence {
    Evidence {
        evidence_id: "d…@12".into(),
        kind: EvidenceKind::Completion,
        source_url: Some("https://example.org/r".into()),
        date: date!(2018 - 05 - 31),
        source_type: "official_readout".into(),
        snippet: "welcomed the completion of the IPCP".into(),
        document_id: Some(doc()),
        span: Some(Span { start: 12, end: 48 }),
        link_confidence: Some(0.8),
        signals: signals.then(|| LinkSignals {
            cue: "welcomed the completion".into(),
            shared_names: vec!["ipcp".into()],
            shared_words: vec!["update".into()],
            parties: parties(),
            dated_by: Some("in May".into()),
            decision: "applied: confidence 0.80".into(),
        }),
    }
}

fn alert(kind: AlertKind) -> Alert {
    Alert {
        alert_id: format!("{}:{}:2018-10-31", cid(1), kind.as_str()),
        kind,
        commitment_id: cid(1),
        committers: parties(),
        commitment_kind: Kind::Action,
        text: "would start an update on the IPCP".into(),
        deadline: date!(2018 - 10 - 31),
        lead_days: (kind == AlertKind::DueSoon).then_some(30),
    }
}

/// One event of every type (optional fields both set and unset).
fn samples() -> Vec<Event> {
    let made = CommitmentMade {
        commitment_id: cid(1),
        document_id: doc(),
        kind: Kind::Action,
        committers: parties(),
        counterparts: vec![],
        text: "would start an update on the IPCP".into(),
        span: Span { start: 1, end: 11 },
        cue: "would start".into(),
        due: None,
        confidence: 0.9,
        meeting_date: Some(date!(2017 - 10 - 31)),
        topics: vec!["nato-partnership".into()],
        page: Some(2),
    };
    vec![
        Event::ReadoutText(ReadoutText {
            document_id: doc(),
            date: date!(2017 - 10 - 31),
            parties: parties(),
            sentences: vec![SentenceText {
                span: Span { start: 0, end: 20 },
                text: "Japan and NATO met.".into(),
            }],
            meeting: Some(parties()),
        }),
        Event::DocumentIngested(DocumentIngested {
            document_id: doc(),
            title: Some("Japan-NATO".into()),
            source: None,
            date: Some(date!(2017 - 10 - 31)),
            publisher: Some(Party::new("JPN").unwrap()),
            bytes: 1234,
            extractor: "accord-extract 0.1.0".into(),
            commitments: vec![cid(1), cid(2)],
        }),
        Event::CommitmentMade(made),
        Event::CommitmentConfirmed(CommitmentConfirmed {
            commitment_id: cid(1),
            by: "ana".into(),
            note: None,
        }),
        Event::CommitmentRejected(CommitmentRejected {
            commitment_id: cid(2),
            by: "ana".into(),
            reason: "a courtesy, not a pledge".into(),
        }),
        Event::CommitmentsMerged(CommitmentsMerged {
            commitment_id: cid(3),
            into: cid(1),
            by: "ana".into(),
        }),
        Event::EvidenceAttached(EvidenceAttached {
            commitment_id: cid(1),
            evidence: evidence(true),
            by: "linker".into(),
        }),
        Event::StatusAssessed(StatusAssessed {
            commitment_id: cid(1),
            party: None,
            status: Status::Fulfilled,
            reason: Some(ReasonCode::EvidenceFound),
            effective: date!(2018 - 05 - 31),
            assessor: "linker".into(),
            note: Some("done".into()),
            reassessment: false,
            evidence_ids: vec!["d…@12".into()],
        }),
        Event::CommitmentSuperseded(CommitmentSuperseded {
            commitment_id: cid(4),
            successor: cid(5),
            effective: date!(2018 - 05 - 31),
            by: "ana".into(),
            evidence_ids: vec![],
        }),
        Event::FollowUpProposed(FollowUpProposed {
            commitment_id: cid(1),
            proposal_id: "link:d…:c…".into(),
            evidence: evidence(false),
            status: Some(Status::InProgress),
            successor: None,
        }),
        Event::ProposalResolved(ProposalResolved {
            commitment_id: cid(1),
            proposal_id: "link:d…:c…".into(),
            accepted: false,
            by: "ana".into(),
        }),
        Event::DeadlineSet(DeadlineSet {
            commitment_id: cid(1),
            due: date!(2018 - 10 - 31),
            basis: DeadlineBasis::Horizon,
            reason: "12 months after the meeting".into(),
        }),
        Event::DeadlineExtended(DeadlineExtended {
            commitment_id: cid(1),
            from: date!(2018 - 10 - 31),
            to: date!(2019 - 06 - 30),
            reason: "talks resumed".into(),
            by: "ana".into(),
        }),
        Event::DeadlineWaived(DeadlineWaived {
            commitment_id: cid(1),
            from: None,
            reason: "open-ended".into(),
            by: "ana".into(),
        }),
        Event::CommitmentDueSoon(CommitmentDueSoon {
            alert: alert(AlertKind::DueSoon),
        }),
        Event::CommitmentOverdue(CommitmentOverdue {
            alert: alert(AlertKind::Overdue),
        }),
        Event::AlertResolved(AlertResolved {
            alert: alert(AlertKind::Overdue),
            reason: "fulfilled".into(),
        }),
        Event::EntrySkipped(EntrySkipped {
            commitment_id: cid(1),
            position: 42,
            reason: "junk written by a broken tool".into(),
            by: "ops".into(),
        }),
    ]
}

fn wire(event: Event) -> Value {
    let meta = EventMeta {
        id: EventId::derive(event.aggregate_id(), event.type_name()),
        occurred_at: datetime!(2017-10-31 0:00 UTC),
        recorded_at: datetime!(2026-11-27 12:00:00.5 +01:00),
        correlation_id: "test".into(),
    };
    serde_json::from_slice(&Envelope::new(meta, event).to_json()).unwrap()
}

/// A schema file as `make schemas` writes it.
fn file(type_name: &str, version: u32) -> Value {
    schema::files()
        .remove(&format!("v{version}/{type_name}.json"))
        .unwrap_or_else(|| panic!("no schema for {type_name} v{version}"))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid JSON Schema")
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_event_type_has_a_schema_and_what_the_code_writes_fits_it() {
    let samples = samples();
    let written: BTreeSet<&str> = samples.iter().map(Event::type_name).collect();
    let listed: BTreeSet<&str> = schema::event_types().iter().map(|t| t.name).collect();
    assert_eq!(
        written, listed,
        "schema::event_types lists every event type"
    );
    assert_eq!(written.len(), samples.len());
    let envelope = schema::files().remove("envelope.json").unwrap();
    for event in samples {
        let name = event.type_name();
        // Exhaustive on purpose: a new variant must be added to the samples.
        match &event {
            Event::ReadoutText(_)
            | Event::DocumentIngested(_)
            | Event::CommitmentMade(_)
            | Event::CommitmentConfirmed(_)
            | Event::CommitmentRejected(_)
            | Event::CommitmentsMerged(_)
            | Event::EvidenceAttached(_)
            | Event::StatusAssessed(_)
            | Event::CommitmentSuperseded(_)
            | Event::FollowUpProposed(_)
            | Event::ProposalResolved(_)
            | Event::DeadlineSet(_)
            | Event::DeadlineExtended(_)
            | Event::DeadlineWaived(_)
            | Event::CommitmentDueSoon(_)
            | Event::CommitmentOverdue(_)
            | Event::AlertResolved(_)
            | Event::EntrySkipped(_) => {}
        }
        let message = wire(event);
        let own = file(name, SCHEMA_VERSION);
        assert_eq!(
            errors(&own, &message),
            Vec::<String>::new(),
            "{name}: {message}"
        );
        assert_eq!(errors(&envelope, &message), Vec::<String>::new(), "{name}");
        // The schema is not vacuous: a wrong type, a broken id, a missing
        // payload field and a bad date are each refused.
        let mut other = message.clone();
        other["type"] = "CommitmentEaten".into();
        assert!(!errors(&own, &other).is_empty(), "{name}: type");
        assert!(
            !errors(&envelope, &other).is_empty(),
            "{name}: envelope type"
        );
        let mut bad_id = message.clone();
        bad_id["id"] = "e123".into();
        assert!(!errors(&own, &bad_id).is_empty(), "{name}: id");
        let mut missing = message.clone();
        let first_required = own["properties"]["payload"]["required"][0]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has required payload fields"))
            .to_owned();
        missing["payload"]
            .as_object_mut()
            .unwrap()
            .remove(&first_required);
        assert!(
            !errors(&own, &missing).is_empty(),
            "{name}: {first_required}"
        );
        let mut late = message.clone();
        late["recorded_at"] = "yesterday".into();
        assert!(!errors(&own, &late).is_empty(), "{name}: recorded_at");
    }
}

#[test]
fn closed_sets_and_party_codes_are_checked() {
    let made = wire(samples().remove(2));
    let own = file("CommitmentMade", SCHEMA_VERSION);
    for (field, bad) in [("kind", "promise"), ("due", "31/10/2018")] {
        let mut m = made.clone();
        m["payload"][field] = bad.into();
        assert!(!errors(&own, &m).is_empty(), "{field}={bad}");
    }
    let mut m = made.clone();
    m["payload"]["committers"] = serde_json::json!(["j.p"]);
    assert!(!errors(&own, &m).is_empty());
    // Every evidence kind the code has, and only those.
    let attached = file("EvidenceAttached", SCHEMA_VERSION);
    let kinds: Vec<&str> = attached["definitions"]["EvidenceKind"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["const"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(kinds, expected);
}

#[test]
fn a_v1_commitment_made_fits_the_v1_schema_not_v2() {
    let mut v1 = wire(samples().remove(2));
    v1["schema_version"] = 1.into();
    v1["payload"].as_object_mut().unwrap().remove("topics");
    let schema_v1 = file("CommitmentMade", 1);
    let schema_v2 = file("CommitmentMade", 2);
    assert_eq!(errors(&schema_v1, &v1), Vec::<String>::new());
    assert!(!errors(&schema_v2, &v1).is_empty());
    assert!(
        schema::event_schema("ReadoutText", 1).is_none(),
        "new in v2"
    );
}
