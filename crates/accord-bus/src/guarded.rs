//! A one-event command as ONE guarded JetStream publish: no atomic batch,
//! so no staging store on the server and any number in flight at once,
//! each checked by the server against its own commitment's last sequence.
//! Its party-feed copies are not written here: the message names the
//! parties in [`crate::feed::FEED_HEADER`] and the feed writer writes them
//! afterwards ([`crate::feed`]).

use crate::{subjects, Appended, Bus, BusError, Outgoing, MAC_HEADER};
use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::message::PublishMessage;
use bytes::Bytes;

impl Bus {
    /// Appends one commitment event on its canonical subject, on condition
    /// that its commitment is at `expected` (the last sequence under
    /// `accord.v1.cmt.<id>.>`). A commitment that moved on yields
    /// [`BusError::VersionConflict`]; a publish whose answer was lost
    /// yields [`BusError::Unconfirmed`] (the caller retries with its
    /// command id).
    pub async fn append_event(&self, out: &Outgoing, expected: u64) -> Result<Appended, BusError> {
        let Some(id) = out.envelope.event.commitment_id() else {
            return Err(BusError::Publish(
                "a versioned append must be a commitment event".into(),
            ));
        };
        let filter = subjects::commitment_events(id.as_str());
        let subject = subjects::canonical(&out.envelope);
        let payload = Bytes::from(out.envelope.to_json());
        let mac = self
            .config
            .keys
            .as_deref()
            .map(|keys| keys.sign(&subject, &payload));
        let parties = crate::feed::feed_header(&out.parties);
        let mut expected = expected;
        let mut attempts = 0;
        loop {
            let mut msg = PublishMessage::build()
                .payload(payload.clone())
                .expected_last_subject_sequence(expected)
                .header(
                    "Nats-Expected-Last-Subject-Sequence-Subject",
                    filter.as_str(),
                );
            if !parties.is_empty() {
                msg = msg.header(crate::feed::FEED_HEADER, parties.as_str());
            }
            if let Some(mac) = &mac {
                msg = msg.header(MAC_HEADER, mac.as_str());
            }
            let reason = match self.publish_one(&subject, msg).await? {
                Ok(position) => {
                    return Ok(Appended {
                        positions: vec![position],
                        end: position,
                    })
                }
                Err(reason) => reason,
            };
            attempts += 1;
            if !reason.contains("wrong last sequence") {
                return Err(BusError::Publish(reason));
            }
            let (current, outsiders) = if attempts < 5 {
                self.moved_on(&filter, expected).await?
            } else {
                (self.last_on_subject(&filter).await?.unwrap_or(0), false)
            };
            if outsiders {
                expected = current;
                continue;
            }
            return Err(BusError::VersionConflict {
                commitment_id: id.to_string(),
                expected,
                current,
            });
        }
    }

    /// Publishes one message. `Ok(Ok(position))`, `Ok(Err(why the server
    /// refused it))`; `Err` when it could not be sent or its answer was
    /// lost.
    pub(crate) async fn publish_one(
        &self,
        subject: &str,
        msg: PublishMessage,
    ) -> Result<Result<u64, String>, BusError> {
        self.require_connection()?;
        let ack = self
            .js
            .send_publish(subject.to_owned(), msg)
            .await
            .map_err(|e| BusError::Publish(format!("{e}; nothing was appended")))?;
        match ack.await {
            Ok(ack) => Ok(Ok(ack.sequence)),
            Err(e) => match e.kind() {
                PublishErrorKind::TimedOut | PublishErrorKind::BrokenPipe => {
                    Err(BusError::Unconfirmed(e.to_string()))
                }
                _ if crate::append::is_full(&e.to_string()) => {
                    Err(BusError::LogFull(e.to_string()))
                }
                PublishErrorKind::WrongLastSequence => Ok(Err(format!("wrong last sequence: {e}"))),
                _ => Ok(Err(e.to_string())),
            },
        }
    }
}
