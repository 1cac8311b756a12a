//! Envelope round trips, decoding errors, upcasting and correlation ids.
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
        topics: vec!["nato-partnership".into()],
        page: None,
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
    assert!(text.contains(r#""schema_version":2"#), "{text}");
    assert!(text.contains(r#""meeting_date":"2017-10-31""#), "{text}");
    assert_eq!(Envelope::from_json(&json).unwrap(), env);
}

fn check_rejects(bytes: &[u8], expected: &str) {
    let err = Envelope::from_json(bytes).unwrap_err().to_string();
    assert!(
        err.contains(expected),
        "{err:?} does not mention {expected:?}"
    );
}

#[test]
fn bad_envelopes_say_what_is_wrong() {
    let event = Event::CommitmentMade(sample_made());
    let good = String::from_utf8(Envelope::new(meta(&event), event).to_json()).unwrap();
    check_rejects(b"not json", "malformed event envelope");
    check_rejects(b"{}", "missing field");
    check_rejects(
        good.replace("CommitmentMade", "CommitmentEaten").as_bytes(),
        "unknown event type \"CommitmentEaten\"",
    );
    check_rejects(
        good.replace(r#""schema_version":2"#, r#""schema_version":7"#)
            .as_bytes(),
        "schema version 7 is not supported",
    );
    check_rejects(
        good.replace(r#""kind":"action""#, r#""kind":"promise""#)
            .as_bytes(),
        "bad CommitmentMade payload",
    );
    check_rejects(
        good.replace(r#""JPN""#, r#""j.p""#).as_bytes(),
        "invalid party code",
    );
}

mod upcasting {
    use super::super::*;

    /// A CommitmentMade exactly as schema version 1 wrote it (no topics).
    const V1: &str = r#"{"id":"e0123456789abcdef0123456789abcdef","type":"CommitmentMade","schema_version":1,
        "occurred_at":"2017-10-31T00:00:00Z","recorded_at":"2017-11-01T09:00:00Z","correlation_id":"ingest:d1",
        "payload":{"commitment_id":"c0123456789abcdef0123","document_id":"d0123456789abcdef01234567",
        "kind":"action","committers":["JPN","NATO"],"counterparts":[],"text":"start an update on the IPCP",
        "span":{"start":10,"end":37},"cue":"would start","due":null,"confidence":0.9,"meeting_date":"2017-10-31"}}"#;

    #[test]
    fn v1_commitment_made_is_upcast_with_no_topics() {
        let envelope = Envelope::from_json(V1.as_bytes()).expect("v1 still reads");
        let Event::CommitmentMade(made) = &envelope.event else {
            panic!("{envelope:?}")
        };
        assert!(made.topics.is_empty());
        assert_eq!(made.text, "start an update on the IPCP");
        // Written back, it is a v2 event with the field present.
        let again = String::from_utf8(envelope.to_json()).unwrap();
        assert!(
            again.contains(r#""schema_version":2"#) && again.contains(r#""topics":[]"#),
            "{again}"
        );
    }

    #[test]
    fn v2_requires_topics() {
        let v2_without = V1.replace(r#""schema_version":1"#, r#""schema_version":2"#);
        let err = Envelope::from_json(v2_without.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `topics`"), "{err}");
    }
}

mod correlation {
    use super::super::*;
    use time::macros::datetime;

    fn meta(correlation_id: String) -> EventMeta {
        EventMeta {
            id: EventId::derive("c", "t"),
            occurred_at: datetime!(2019-01-01 0:00 UTC),
            recorded_at: datetime!(2019-01-01 0:00 UTC),
            correlation_id,
        }
    }

    #[test]
    fn the_command_id_survives_the_request_id_and_old_logs_read_as_before() {
        let with = meta(EventMeta::correlation("cmd:review-1", Some("r-42")));
        assert_eq!(with.correlation_id, "cmd:review-1 req:r-42");
        assert_eq!(with.command_id(), Some("review-1"));
        assert_eq!(with.request_id(), Some("r-42"));
        let old = meta("cmd:review-1".into());
        assert_eq!(
            (old.command_id(), old.request_id()),
            (Some("review-1"), None)
        );
        let ingest = meta(EventMeta::correlation("ingest:d1", Some("r-7")));
        assert_eq!(
            (ingest.command_id(), ingest.request_id()),
            (None, Some("r-7"))
        );
    }
}
