//! Dead letters (entries the projector set aside, kept in their own
//! stream) and parked alert deliveries (what a receiver refused for good).

use crate::{subjects, Bus, BusError};
use async_nats::jetstream::consumer;
use bytes::Bytes;
use futures::StreamExt;

/// An alert delivery a receiver refused for good, kept for a replay.
#[derive(Debug, Clone)]
pub struct ParkedDelivery {
    /// Its sequence in the parked-deliveries stream (what removes it).
    pub id: u64,
    /// The alert event's log position and subject.
    pub position: u64,
    pub subject: String,
    /// What the receiver answered.
    pub reason: String,
    /// The event's bytes, as in the log.
    pub payload: Bytes,
}

impl Bus {
    /// Records a dead letter: the original bytes, with where they came from
    /// and why they were set aside in headers. Deduplicated by position, so
    /// a projector that crashes and re-parks does not record it twice.
    pub async fn dead_letter(
        &self,
        position: u64,
        subject: &str,
        reason: &str,
        payload: Vec<u8>,
    ) -> Result<(), BusError> {
        let id = format!("{}-dlq-{position}", self.config.stream);
        let to = format!("{}.{position}", subjects::DEAD_LETTERS);
        self.publish_set_aside(to, &id, position, subject, reason, payload.into())
            .await
    }

    /// Parks one alert delivery its receiver refused for good: the event's
    /// bytes, its log position and subject, and the reason, under the sink's
    /// name. Deduplicated by (sink, position), so a crash and retry parks once.
    pub async fn park_delivery(
        &self,
        sink: &str,
        position: u64,
        subject: &str,
        reason: &str,
        payload: Bytes,
    ) -> Result<(), BusError> {
        let id = format!("{}-sinkparked-{sink}-{position}", self.config.stream);
        let to = subjects::sink_parked(sink, position);
        self.publish_set_aside(to, &id, position, subject, reason, payload)
            .await
    }

    /// Publishes what was set aside (a dead letter, a parked delivery): its
    /// bytes, with the log position, subject and reason in headers, and a
    /// message id that makes a retry after a crash publish it once.
    async fn publish_set_aside(
        &self,
        to: String,
        id: &str,
        position: u64,
        subject: &str,
        reason: &str,
        payload: Bytes,
    ) -> Result<(), BusError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", id);
        headers.insert("Accord-Position", position.to_string().as_str());
        headers.insert("Accord-Subject", subject);
        headers.insert("Accord-Reason", reason.replace(['\r', '\n'], " ").as_str());
        self.js
            .publish_with_headers(to, headers, payload)
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        Ok(())
    }

    /// Every delivery `sink` parked and nobody replayed yet, oldest first.
    pub async fn parked_deliveries(&self, sink: &str) -> Result<Vec<ParkedDelivery>, BusError> {
        let stream = self
            .js
            .get_stream(self.sink_parked_stream())
            .await
            .map_err(|e| self.stream_error(e))?;
        let consumer = stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subjects: vec![subjects::sink_parked_all(sink)],
                ..Default::default()
            })
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?;
        let pending = consumer.cached_info().num_pending as usize;
        let mut messages = consumer
            .messages()
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?
            .take(pending);
        let mut out = Vec::with_capacity(pending);
        while let Some(m) = messages.next().await {
            let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
            let header = |name: &str| {
                m.headers
                    .as_ref()
                    .and_then(|h| h.get(name))
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_default()
            };
            out.push(ParkedDelivery {
                id: m
                    .info()
                    .map_err(|e| BusError::Replay(e.to_string()))?
                    .stream_sequence,
                position: header("Accord-Position").parse().unwrap_or(0),
                subject: header("Accord-Subject"),
                reason: header("Accord-Reason"),
                payload: m.payload.clone(),
            });
        }
        Ok(out)
    }

    /// Forgets a parked delivery (after a replay delivered it).
    pub async fn remove_parked_delivery(&self, id: u64) -> Result<(), BusError> {
        let stream = self
            .js
            .get_stream(self.sink_parked_stream())
            .await
            .map_err(|e| self.stream_error(e))?;
        stream
            .delete_message(id)
            .await
            .map_err(|e| self.stream_error(e))?;
        Ok(())
    }
}
