//! Deferred party-feed copies. A one-event command is appended as one
//! guarded publish ([`Bus::append_event`]) carrying the parties its copies
//! are owed to in [`FEED_HEADER`]; the feed writer (`accord-api`'s
//! `feed`) reads the log and writes those copies afterwards, each with
//! `Nats-Msg-Id` = event id + party so the server drops a second one.
//! Ingests and multi-event commands still write their copies in their own
//! atomic batch and carry no such header.

use crate::{auth, subjects, Bus, BusError, MAC_HEADER};
use accord_domain::Party;
use async_nats::jetstream::context::PublishAckFuture;
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::stream;
use bytes::Bytes;
use futures::{Stream, StreamExt};

/// On a canonical message: its party-feed copies are deferred to the feed
/// writer, for these parties (comma-separated codes).
pub const FEED_HEADER: &str = "Accord-Feed-Parties";

/// One log entry as the feed writer sees it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub position: u64,
    /// When the server stored it.
    pub stored: time::OffsetDateTime,
    /// The copies it is owed (empty for anything else: copies, documents,
    /// events whose copies are in their batch, unauthenticated entries).
    pub copies: Vec<Copy>,
}

/// One party-feed copy to write.
#[derive(Debug, Clone)]
pub struct Copy {
    pub subject: String,
    pub payload: Bytes,
    /// `Nats-Msg-Id`: the event's id and the party.
    pub msg_id: String,
}

/// The deferred parties named in a canonical message's headers; `Err`
/// names what is wrong with a header that cannot be used.
pub fn deferred_parties(headers: Option<&async_nats::HeaderMap>) -> Result<Vec<Party>, String> {
    let Some(value) = headers.and_then(|h| h.get(FEED_HEADER)) else {
        return Ok(Vec::new());
    };
    value
        .as_str()
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| Party::new(p).map_err(|e| format!("{FEED_HEADER}: {e}")))
        .collect()
}

/// The header value naming `parties`.
pub fn feed_header(parties: &[Party]) -> String {
    parties
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(serde::Deserialize)]
struct EventIdOnly {
    id: String,
}

/// What one delivered message is owed.
fn owed(
    keys: Option<&auth::LogKeys>,
    subject: &str,
    payload: &Bytes,
    headers: Option<&async_nats::HeaderMap>,
) -> Vec<Copy> {
    if subjects::commitment_of(subject).is_none()
        || headers.is_none_or(|h| h.get(FEED_HEADER).is_none())
    {
        return Vec::new();
    }
    if let Err(why) = auth::authenticate(keys, subject, payload, headers) {
        tracing::warn!(%subject, %why, "unauthenticated entry asks for feed copies; none written");
        return Vec::new();
    }
    let parties = match deferred_parties(headers) {
        Ok(p) => p,
        Err(why) => {
            tracing::warn!(%subject, %why, "feed copies not written");
            return Vec::new();
        }
    };
    let id = match serde_json::from_slice::<EventIdOnly>(payload) {
        Ok(e) => e.id,
        Err(why) => {
            tracing::warn!(%subject, %why, "feed copies not written: no event id");
            return Vec::new();
        }
    };
    parties
        .iter()
        .filter_map(|p| {
            Some(Copy {
                subject: subjects::party_copy(subject, p)?,
                payload: payload.clone(),
                msg_id: format!("{id}:{p}"),
            })
        })
        .collect()
}

impl Bus {
    /// Every log entry from `from` on, following the log, with the copies
    /// each is owed. Unfiltered, like [`Bus::replay`], for the same reason.
    pub async fn feed_entries(
        &self,
        from: u64,
    ) -> Result<impl Stream<Item = Result<FeedEntry, BusError>>, BusError> {
        let messages = self.ordered(from, Vec::new()).await?;
        let keys = self.config.keys.clone();
        Ok(messages.map(move |m| {
            let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
            let info = m.info().map_err(|e| BusError::Replay(e.to_string()))?;
            let (position, stored) = (info.stream_sequence, info.published);
            Ok(FeedEntry {
                position,
                stored,
                copies: owed(keys.as_deref(), &m.subject, &m.payload, m.headers.as_ref()),
            })
        }))
    }

    /// Sends one copy (signed when the log has keys, deduplicated by the
    /// server on its `Nats-Msg-Id`); await the answer for its fate.
    pub async fn send_copy(&self, copy: &Copy) -> Result<PublishAckFuture, BusError> {
        let mut msg = PublishMessage::build()
            .payload(copy.payload.clone())
            .message_id(&copy.msg_id);
        if let Some(keys) = self.config.keys.as_deref() {
            msg = msg.header(MAC_HEADER, keys.sign(&copy.subject, &copy.payload).as_str());
        }
        self.require_connection()?;
        self.js
            .send_publish(copy.subject.clone(), msg)
            .await
            .map_err(|e| BusError::Publish(e.to_string()))
    }

    /// How long the server remembers a `Nats-Msg-Id` on the log's stream.
    pub async fn duplicate_window(&self) -> Result<std::time::Duration, BusError> {
        let mut s = self.stream().await?;
        Ok(s.info()
            .await
            .map_err(|e| self.stream_error(e))?
            .config
            .duplicate_window)
    }

    /// Whether the copy of the event at `source` is already in the log:
    /// its subject's last entry is after the event. For entries older than
    /// the server's duplicate window, where `Nats-Msg-Id` no longer helps;
    /// copies are written in log order, so a later one implies this one.
    pub async fn copy_written(&self, copy: &Copy, source: u64) -> Result<bool, BusError> {
        let s = self.handle().await?;
        match s.get_last_raw_message_by_subject(&copy.subject).await {
            Ok(m) => Ok(m.sequence > source),
            Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => Ok(false),
            Err(e) => Err(self.stream_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(p: &str) -> Party {
        Party::new(p).unwrap()
    }

    #[test]
    fn copy_subjects_follow_the_party_feed_scheme() {
        for (canonical, expected) in [
            (
                "accord.v1.cmt.c1.evidence",
                Some("accord.v1.party.NATO.evidence.c1"),
            ),
            (
                "accord.v1.cmt.c1.made",
                Some("accord.v1.party.NATO.made.c1"),
            ),
            ("accord.v1.doc.d1.ingested", None),
            ("accord.v1.party.JPN.made.c1", None),
        ] {
            assert_eq!(
                subjects::party_copy(canonical, &party("NATO")).as_deref(),
                expected,
                "{canonical}"
            );
        }
    }

    #[test]
    fn the_feed_header_round_trips_and_refuses_bad_codes() {
        let mut h = async_nats::HeaderMap::new();
        h.insert(
            FEED_HEADER,
            feed_header(&[party("JPN"), party("NATO")]).as_str(),
        );
        assert_eq!(
            deferred_parties(Some(&h)).unwrap(),
            vec![party("JPN"), party("NATO")]
        );
        assert_eq!(deferred_parties(None).unwrap(), vec![]);
        let mut bad = async_nats::HeaderMap::new();
        bad.insert(FEED_HEADER, "JPN,NA.TO");
        assert!(deferred_parties(Some(&bad)).unwrap_err().contains("NA.TO"));
    }

    #[test]
    fn only_canonical_commitment_messages_with_the_header_are_owed_copies() {
        let payload = Bytes::from_static(br#"{"id":"e1","type":"EvidenceAttached"}"#);
        let mut h = async_nats::HeaderMap::new();
        h.insert(FEED_HEADER, "JPN,NATO");
        let copies = owed(None, "accord.v1.cmt.c1.evidence", &payload, Some(&h));
        let got: Vec<(&str, &str)> = copies
            .iter()
            .map(|c| (c.subject.as_str(), c.msg_id.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("accord.v1.party.JPN.evidence.c1", "e1:JPN"),
                ("accord.v1.party.NATO.evidence.c1", "e1:NATO")
            ]
        );
        assert!(owed(None, "accord.v1.cmt.c1.evidence", &payload, None).is_empty());
        assert!(owed(None, "accord.v1.party.JPN.evidence.c1", &payload, Some(&h)).is_empty());
        assert!(owed(
            None,
            "accord.v1.cmt.c1.evidence",
            &Bytes::from_static(b"{"),
            Some(&h)
        )
        .is_empty());
        let keys =
            auth::LogKeys::parse("key-a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap();
        assert!(
            owed(Some(&keys), "accord.v1.cmt.c1.evidence", &payload, Some(&h)).is_empty(),
            "an unsigned entry gets no copies"
        );
    }
}
