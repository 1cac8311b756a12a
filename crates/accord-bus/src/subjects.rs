//! The subject scheme: a public interface (README "Subjects").
//!
//! ```text
//! accord.v1.doc.<document_id>.<event>              document events      e.g. accord.v1.doc.d3f….ingested
//! accord.v1.cmt.<commitment_id>.<event>            commitment events    e.g. accord.v1.cmt.c9a….made
//! accord.v1.party.<PARTY>.<event>.<commitment_id>  party feed: a copy of each commitment event per committer
//! ```
//!
//! Every event of one commitment sits under `accord.v1.cmt.<id>.>`, which is
//! what optimistic concurrency checks against. The party feed exists because
//! a NATS wildcard cannot match "NATO anywhere in a list of committers": it
//! repeats the event (same envelope, same event id) once per committer (in
//! an ingest's atomic batch, or a moment later from the feed writer for a
//! one-event command), so `accord.v1.party.NATO.made.*` is "every commitment
//! NATO made".

use accord_domain::{Envelope, Party};

pub const ROOT: &str = "accord.v1";
/// What the stream captures.
pub const ALL: &str = "accord.v1.>";
/// The canonical events, i.e. what the projector consumes.
pub const CANONICAL: [&str; 2] = ["accord.v1.doc.>", "accord.v1.cmt.>"];
pub const PARTY_FEED: &str = "accord.v1.party.>";
/// Every readout's text (`ReadoutText`), what the follow-up linker reads.
pub const READOUT_TEXTS: &str = "accord.v1.doc.*.text";
/// Dead letters (stream `<STREAM>_DLQ`): `accord.dlq.<position>`.
pub const DEAD_LETTERS: &str = "accord.dlq";
/// Alert deliveries a sink's receiver refused for good (stream
/// `<STREAM>_SINK_PARKED`): `accord.sinkparked.<sink>.<position>`.
pub const SINK_PARKED: &str = "accord.sinkparked";

/// Where a sink parks the delivery of the event at `position`.
pub fn sink_parked(sink: &str, position: u64) -> String {
    format!("{SINK_PARKED}.{sink}.{position}")
}

/// Every delivery parked by one sink.
pub fn sink_parked_all(sink: &str) -> String {
    format!("{SINK_PARKED}.{sink}.>")
}

/// Alert events on the canonical subjects: due-soon, overdue, resolved.
pub const ALERTS: [&str; 3] = [
    "accord.v1.cmt.*.duesoon",
    "accord.v1.cmt.*.overdue",
    "accord.v1.cmt.*.alertresolved",
];

/// The canonical subject of an event.
pub fn canonical(envelope: &Envelope) -> String {
    let event = &envelope.event;
    let family = if event.commitment_id().is_some() {
        "cmt"
    } else {
        "doc"
    };
    format!("{ROOT}.{family}.{}.{}", event.aggregate_id(), event.token())
}

/// The commitment or document id a canonical subject names
/// (`accord.v1.{cmt|doc}.<id>.…`), read from the subject alone: for entries
/// whose payload cannot be decoded. `None` for any other subject.
pub fn aggregate_of(subject: &str) -> Option<&str> {
    let mut tokens = subject.strip_prefix(ROOT)?.strip_prefix('.')?.split('.');
    match (tokens.next(), tokens.next()) {
        (Some("cmt" | "doc"), Some(id)) => Some(id),
        _ => None,
    }
}

/// Whether `subject` is a canonical event's (what [`CANONICAL`] matches),
/// not a party-feed copy.
pub fn is_canonical(subject: &str) -> bool {
    aggregate_of(subject).is_some()
}

/// The commitment id a canonical commitment subject (`accord.v1.cmt.<id>.…`)
/// names; `None` for documents and any other subject.
pub fn commitment_of(subject: &str) -> Option<&str> {
    let id = aggregate_of(subject)?;
    subject
        .starts_with(&format!("{ROOT}.cmt.{id}."))
        .then_some(id)
}

/// The filter covering every event of one commitment.
pub fn commitment_events(commitment_id: &str) -> String {
    format!("{ROOT}.cmt.{commitment_id}.>")
}

/// The party-feed subjects of an event, one per party.
pub fn party_feed<'a>(
    envelope: &'a Envelope,
    parties: &'a [Party],
) -> impl Iterator<Item = String> + 'a {
    let event = &envelope.event;
    parties.iter().map(move |p| {
        format!(
            "{ROOT}.party.{p}.{}.{}",
            event.token(),
            event.aggregate_id()
        )
    })
}

/// The party-feed subject of a canonical commitment subject's event for
/// `party` (`accord.v1.cmt.<id>.<event>` → `accord.v1.party.<P>.<event>.<id>`).
pub fn party_copy(canonical: &str, party: &Party) -> Option<String> {
    let id = commitment_of(canonical)?;
    let token = canonical.rsplit('.').next()?;
    Some(format!("{ROOT}.party.{party}.{token}.{id}"))
}

/// Subject of a document's `DocumentIngested` event.
pub fn document_ingested(document_id: &str) -> String {
    format!("{ROOT}.doc.{document_id}.ingested")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_filter_covers_every_event_token() {
        assert_eq!(commitment_events("c1"), "accord.v1.cmt.c1.>");
    }

    #[test]
    fn aggregate_of_reads_canonical_subjects_only() {
        assert_eq!(aggregate_of("accord.v1.cmt.c1.made"), Some("c1"));
        assert_eq!(aggregate_of(&document_ingested("d1")), Some("d1"));
        assert_eq!(aggregate_of("accord.v1.cmt.c1"), Some("c1"));
        for other in [
            "accord.v1.party.NATO.made.c1",
            "accord.v1.cmt",
            "accord.v1.weird",
            "accord.v2.cmt.c1.made",
            "accord.v1x.cmt.c1.made",
            "xaccord.v1.cmt.c1.made",
            "accord.dlq.7",
            "",
        ] {
            assert_eq!(aggregate_of(other), None, "{other}");
        }
    }

    #[test]
    fn canonical_subjects_are_what_the_canonical_filters_match() {
        for (subject, canonical) in [
            ("accord.v1.cmt.c1.made", true),
            ("accord.v1.cmt.c1.evidence", true),
            ("accord.v1.doc.d1.ingested", true),
            ("accord.v1.doc.d1.text", true),
            ("accord.v1.party.NATO.made.c1", false),
            ("accord.v1.cmt", false),
            ("accord.v1.doc", false),
            ("accord.v2.cmt.c1.made", false),
            ("accord.dlq.7", false),
        ] {
            assert_eq!(is_canonical(subject), canonical, "{subject}");
        }
    }

    #[test]
    fn commitment_of_reads_commitment_subjects_only() {
        assert_eq!(commitment_of("accord.v1.cmt.c1.made"), Some("c1"));
        assert_eq!(commitment_of("accord.v1.cmt.c1.skipped"), Some("c1"));
        for other in [
            "accord.v1.doc.d1.ingested",
            "accord.v1.cmt.c1",
            "accord.v1.party.NATO.made.c1",
            "accord.dlq.7",
        ] {
            assert_eq!(commitment_of(other), None, "{other}");
        }
    }
}
