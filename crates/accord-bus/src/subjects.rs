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
//! repeats the event (same envelope, same event id) once per committer, in the
//! same atomic batch, so `accord.v1.party.NATO.made.*` is "every commitment
//! NATO made".

use accord_domain::{Envelope, Party};

pub const ROOT: &str = "accord.v1";
/// What the stream captures.
pub const ALL: &str = "accord.v1.>";
/// The canonical events, i.e. what the projector consumes.
pub const CANONICAL: [&str; 2] = ["accord.v1.doc.>", "accord.v1.cmt.>"];
pub const PARTY_FEED: &str = "accord.v1.party.>";

/// The canonical subject of an event.
pub fn canonical(envelope: &Envelope) -> String {
    let event = &envelope.event;
    let family = match event {
        accord_domain::Event::DocumentIngested(_) => "doc",
        accord_domain::Event::CommitmentMade(_) => "cmt",
    };
    format!("{ROOT}.{family}.{}.{}", event.aggregate_id(), event.token())
}

/// The subject filter covering every event of one aggregate.
pub fn aggregate_filter(canonical_subject: &str) -> String {
    match canonical_subject.rsplit_once('.') {
        Some((head, _)) => format!("{head}.>"),
        None => canonical_subject.to_owned(),
    }
}

/// The party-feed subjects of an event (none for document events).
pub fn party_feed(envelope: &Envelope) -> impl Iterator<Item = String> + '_ {
    let event = &envelope.event;
    event
        .parties()
        .iter()
        .map(move |p: &Party| format!("{ROOT}.party.{p}.{}.{}", event.token(), event.aggregate_id()))
}

/// Subject of a document's `DocumentIngested` event.
pub fn document_ingested(document_id: &str) -> String {
    format!("{ROOT}.doc.{document_id}.ingested")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_filter_drops_the_event_token() {
        assert_eq!(aggregate_filter("accord.v1.cmt.c1.made"), "accord.v1.cmt.c1.>");
    }
}
