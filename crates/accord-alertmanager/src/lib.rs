//! The Alertmanager sink. Alert events are read from a durable JetStream
//! consumer (shared by every replica that runs the sink under the same
//! name) and POSTed to `<url>/api/v2/alerts`. A message is acknowledged only
//! once the receiver accepted it; while the receiver is down the sink
//! retries with exponential backoff and keeps the message in progress, so
//! nothing is lost and the projector never waits for it. One message is in
//! flight at a time, which keeps alerts in log order.
//!
//! Delivery is at least once: a crash between the receiver's answer and
//! the ack repeats one POST, which Alertmanager absorbs (alerts are
//! identified by their labels).

use accord_bus::{subjects, Bus, BusError};
use accord_domain::event::{AlertChange, AlertKind};
use accord_domain::{Envelope, Event};
use async_nats::jetstream::AckKind;
use futures::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error("alert consumer failed: {0}")]
    Consumer(String),
}

#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// Base URL of the receiver, e.g. `http://127.0.0.1:9093`.
    pub url: String,
    /// Durable consumer name: replicas with the same name share the work.
    pub name: String,
    /// Links in alerts point here (`<generator_url>/commitments/<id>`).
    pub generator_url: String,
    pub max_backoff: Duration,
}

impl SinkConfig {
    pub fn new(url: impl Into<String>) -> Self {
        SinkConfig {
            url: url.into(),
            name: "alertmanager".into(),
            generator_url: "accord://".into(),
            max_backoff: Duration::from_secs(30),
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/api/v2/alerts", self.url.trim_end_matches('/'))
    }
}

fn alertname(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::DueSoon => "AccordCommitmentDueSoon",
        AlertKind::Overdue => "AccordCommitmentOverdue",
    }
}

/// The Alertmanager v2 body for one alert event; `None` for other events.
/// Firing and resolution of one alert carry the same labels, which is how
/// Alertmanager matches them.
pub fn payload(envelope: &Envelope, generator_url: &str) -> Option<Value> {
    let (change, alert) = envelope.event.alert()?;
    let ends_at: Option<OffsetDateTime> =
        (change == AlertChange::Resolved).then_some(envelope.meta.recorded_at);
    let reason = match &envelope.event {
        Event::AlertResolved(e) => Some(e.reason.as_str()),
        _ => None,
    };
    let parties: Vec<&str> = alert.committers.iter().map(|p| p.as_str()).collect();
    let summary = match alert.kind {
        AlertKind::DueSoon => format!(
            "{} commitment due by {} ({} days' notice)",
            parties.join(", "),
            alert.deadline,
            alert.lead_days.unwrap_or_default()
        ),
        AlertKind::Overdue => format!(
            "{} commitment overdue since {}",
            parties.join(", "),
            alert.deadline
        ),
    };
    let mut body = json!({
        "labels": {
            "alertname": alertname(alert.kind),
            "alert_id": alert.alert_id,
            "commitment_id": alert.commitment_id.as_str(),
            "parties": parties.join(","),
            "kind": alert.commitment_kind.as_str(),
            "deadline": alert.deadline.to_string(),
            "severity": if alert.kind == AlertKind::Overdue { "warning" } else { "info" },
            "source": "accord",
        },
        "annotations": {
            "summary": summary,
            "description": alert.text,
        },
        "generatorURL": format!("{}/commitments/{}", generator_url.trim_end_matches('/'), alert.commitment_id),
    });
    if let Some(reason) = reason {
        body["annotations"]["resolution"] = json!(reason);
    }
    match ends_at {
        Some(t) => body["endsAt"] = json!(t.format(&Rfc3339).unwrap_or_default()),
        None => {
            body["startsAt"] = json!(envelope
                .meta
                .recorded_at
                .format(&Rfc3339)
                .unwrap_or_default())
        }
    }
    Some(json!([body]))
}

/// Runs the sink until the consumer fails; malformed messages are logged
/// and acknowledged (they never block the alerts behind them).
pub async fn run(bus: Bus, config: SinkConfig) -> Result<(), SinkError> {
    let filters: Vec<String> = subjects::ALERTS.iter().map(|s| s.to_string()).collect();
    let consumer = bus
        .durable(
            &format!("accord-sink-{}", config.name),
            &filters,
            Duration::from_secs(30),
        )
        .await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| SinkError::Consumer(e.to_string()))?;
    tracing::info!(url = %config.endpoint(), "alert sink delivering");
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| SinkError::Consumer(e.to_string()))?;
    while let Some(message) = messages.next().await {
        let message = message.map_err(|e| SinkError::Consumer(e.to_string()))?;
        let body = match Envelope::from_json(&message.payload) {
            Ok(envelope) => payload(&envelope, &config.generator_url),
            Err(e) => {
                tracing::error!(subject = %message.subject, error = %e, "unreadable alert event; skipped");
                None
            }
        };
        if let Some(body) = body {
            deliver(&http, &config, &body, &message).await;
        }
        if let Err(e) = message.double_ack().await {
            tracing::warn!(error = %e, "alert acknowledged by the receiver but not by JetStream; it may be sent again");
        }
    }
    Ok(())
}

/// POSTs until the receiver says 2xx, backing off and keeping the message
/// in progress meanwhile.
async fn deliver(
    http: &reqwest::Client,
    config: &SinkConfig,
    body: &Value,
    message: &async_nats::jetstream::Message,
) {
    let mut backoff = Duration::from_millis(100);
    let mut attempt = 1u32;
    loop {
        let sent = http
            .post(config.endpoint())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => {
                tracing::info!(alert = %body[0]["labels"]["alert_id"], attempt, "alert delivered");
                return;
            }
            Ok(r) => {
                tracing::warn!(status = %r.status(), attempt, retry_in = ?backoff, "alert receiver refused; retrying")
            }
            Err(e) => {
                tracing::warn!(error = %e, attempt, retry_in = ?backoff, "alert receiver unreachable; retrying")
            }
        }
        let _ = message.ack_with(AckKind::Progress).await;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(config.max_backoff);
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_domain::event::{Alert, AlertResolved, CommitmentOverdue};
    use accord_domain::{CommitmentId, EventId, EventMeta, Kind, Party};
    use time::macros::{date, datetime};

    fn alert() -> Alert {
        Alert {
            alert_id: "c1:overdue:2018-12-31".into(),
            kind: AlertKind::Overdue,
            commitment_id: CommitmentId::parse("c0000000000000000000a").unwrap(),
            committers: vec![Party::new("JPN").unwrap(), Party::new("NATO").unwrap()],
            commitment_kind: Kind::Action,
            text: "start an update on the IPCP".into(),
            deadline: date!(2018 - 12 - 31),
            lead_days: None,
        }
    }

    fn envelope(event: Event) -> Envelope {
        let meta = EventMeta {
            id: EventId::derive("x", "y"),
            occurred_at: datetime!(2019-01-01 0:00 UTC),
            recorded_at: datetime!(2019-01-01 8:30 UTC),
            correlation_id: "t".into(),
        };
        Envelope::new(meta, event)
    }

    #[test]
    fn firing_and_resolution_share_labels() {
        let fired = payload(
            &envelope(Event::CommitmentOverdue(CommitmentOverdue {
                alert: alert(),
            })),
            "http://accord:50051",
        )
        .unwrap();
        let resolved = payload(
            &envelope(Event::AlertResolved(AlertResolved {
                alert: alert(),
                reason: "commitment fulfilled".into(),
            })),
            "http://accord:50051",
        )
        .unwrap();
        assert_eq!(fired[0]["labels"], resolved[0]["labels"]);
        assert_eq!(fired[0]["labels"]["alertname"], "AccordCommitmentOverdue");
        assert_eq!(fired[0]["labels"]["parties"], "JPN,NATO");
        assert_eq!(fired[0]["startsAt"], "2019-01-01T08:30:00Z");
        assert!(fired[0].get("endsAt").is_none());
        assert_eq!(resolved[0]["endsAt"], "2019-01-01T08:30:00Z");
        assert_eq!(
            resolved[0]["annotations"]["resolution"],
            "commitment fulfilled"
        );
        assert_eq!(
            fired[0]["generatorURL"],
            "http://accord:50051/commitments/c0000000000000000000a"
        );
    }
}
