//! The Alertmanager sink, speaking Alertmanager's protocol (`POST
//! /api/v2/alerts`):
//!
//! - **Transitions** (an alert raised, an alert resolved) are read from a
//!   durable JetStream consumer, shared by every replica running the sink
//!   under the same name, and posted once each, in log order; a message is
//!   acknowledged only once the receiver took it. A resolution carries
//!   `endsAt`.
//! - **Re-sends**: Alertmanager resolves an alert nobody re-sent within its
//!   `resolve_timeout`, so every alert still open is posted again every
//!   [`SinkConfig::resend_every`] with the labels and `startsAt` of its first
//!   send ([`Poster::resend`]; the query role reads them from the store's
//!   `ia:` index). Replicas re-sending the same alert post identical bodies,
//!   which Alertmanager merges into one alert.
//! - **Faults**: a 4xx answer (other than 408/429) is final: the delivery is
//!   parked with the reason in `<STREAM>_SINK_PARKED` (counted, listed by
//!   `accord sink parked`, replayable with [`replay_parked`]) and the
//!   alerts behind it flow. 5xx answers and connection errors are retried
//!   with exponential backoff while the message is kept in progress: a
//!   progress ack goes out every third of the consumer's ack wait for as long
//!   as the delivery takes, so JetStream never redelivers it meanwhile (no
//!   double post). [`run`] supervises the consumer: when it fails, it is
//!   opened again after a pause, for as long as the process runs.
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
    #[error("alert receiver: {0}")]
    Http(String),
}

#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// Base URL of the receiver, e.g. `http://127.0.0.1:9093`.
    pub url: String,
    /// Durable consumer name: replicas with the same name share the work.
    pub name: String,
    /// Links in alerts point here (`<generator_url>/commitments/<id>`).
    pub generator_url: String,
    /// Longest pause between two attempts at one delivery.
    pub max_backoff: Duration,
    /// The consumer's ack wait; a progress ack goes out every third of it.
    pub ack_wait: Duration,
    /// Longest one POST may take.
    pub http_timeout: Duration,
    /// Re-send every open alert this often; keep it well below the
    /// receiver's `resolve_timeout` (Alertmanager's default: 5 min).
    /// `None`: transitions only.
    pub resend_every: Option<Duration>,
}

impl SinkConfig {
    pub fn new(url: impl Into<String>) -> Self {
        SinkConfig {
            url: url.into(),
            name: "alertmanager".into(),
            generator_url: "accord://".into(),
            max_backoff: Duration::from_secs(30),
            ack_wait: Duration::from_secs(30),
            http_timeout: Duration::from_secs(10),
            resend_every: Some(Duration::from_secs(60)),
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/api/v2/alerts", self.url.trim_end_matches('/'))
    }

    fn consumer_name(&self) -> String {
        format!("accord-sink-{}", self.name)
    }
}

/// Metric names (see README "Operating Accord").
pub mod metric {
    pub const DELIVERIES: &str = "accord_alert_sink_deliveries_total";
    pub const FAILURES: &str = "accord_alert_sink_failures_total";
    pub const PARKED: &str = "accord_alert_sink_parked_total";
    pub const RESTARTS: &str = "accord_alert_sink_restarts_total";
    pub const RESENDS: &str = "accord_alert_sink_resent_total";
    pub const BACKLOG: &str = "accord_alert_sink_backlog";

    /// Registers the descriptions (once per process, before serving metrics).
    pub fn describe() {
        metrics::describe_counter!(
            DELIVERIES,
            "Alert transitions (raised, resolved) the receiver accepted."
        );
        metrics::describe_counter!(FAILURES, "Failed POSTs to the alert receiver, by kind: refused (4xx, parked) or unavailable (5xx, connection; retried).");
        metrics::describe_counter!(
            PARKED,
            "Alert deliveries parked because the receiver refused them for good (4xx)."
        );
        metrics::describe_counter!(
            RESTARTS,
            "Times the alert sink's consumer failed and was started again."
        );
        metrics::describe_counter!(
            RESENDS,
            "Open alerts re-sent so the receiver keeps them active."
        );
        metrics::describe_gauge!(
            BACKLOG,
            "Alert events the sink's durable consumer has not delivered yet."
        );
    }
}

/// What one POST came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// A 4xx (other than 408/429): sending it again will not help.
    Refused(String),
    /// 5xx, 408, 429, or no answer: worth retrying.
    Unavailable(String),
}

/// POSTs alert bodies to one receiver.
#[derive(Clone)]
pub struct Poster {
    http: reqwest::Client,
    endpoint: String,
    sink: String,
    generator_url: String,
}

impl Poster {
    pub fn new(config: &SinkConfig) -> Result<Poster, SinkError> {
        // rustls on ring with the system's roots (accord-http-client): an
        // https receiver works, and no process-wide crypto provider is needed.
        let http = accord_http_client::builder(&[])
            .map_err(|e| SinkError::Http(e.to_string()))?
            .timeout(config.http_timeout)
            .build()
            .map_err(|e| SinkError::Http(e.to_string()))?;
        Ok(Poster {
            http,
            endpoint: config.endpoint(),
            sink: config.name.clone(),
            generator_url: config.generator_url.clone(),
        })
    }

    /// One POST of a JSON array of alerts.
    pub async fn post(&self, body: &Value) -> Outcome {
        let sent = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status().is_success() => Outcome::Delivered,
            Ok(r) => {
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                let reason = format!("{status}: {}", text.trim());
                if status.is_client_error()
                    && status != reqwest::StatusCode::REQUEST_TIMEOUT
                    && status != reqwest::StatusCode::TOO_MANY_REQUESTS
                {
                    Outcome::Refused(reason)
                } else {
                    Outcome::Unavailable(reason)
                }
            }
            Err(e) => Outcome::Unavailable(e.to_string()),
        };
        let kind = match outcome {
            Outcome::Delivered => return outcome,
            Outcome::Refused(_) => "refused",
            Outcome::Unavailable(_) => "unavailable",
        };
        metrics::counter!(metric::FAILURES, "sink" => self.sink.clone(), "kind" => kind)
            .increment(1);
        outcome
    }

    /// Posts every open alert again (the events that raised them), in one
    /// request per 500; returns how many the receiver took.
    pub async fn resend(&self, raised: &[Envelope]) -> Result<usize, SinkError> {
        let alerts: Vec<Value> = raised
            .iter()
            .filter_map(|e| payload(e, &self.generator_url))
            .flat_map(|v| v.as_array().cloned().unwrap_or_default())
            .collect();
        let mut sent = 0;
        for chunk in alerts.chunks(500) {
            match self.post(&Value::Array(chunk.to_vec())).await {
                Outcome::Delivered => sent += chunk.len(),
                Outcome::Refused(r) | Outcome::Unavailable(r) => {
                    return Err(SinkError::Http(format!(
                        "re-send of {} open alerts: {r}",
                        alerts.len()
                    )))
                }
            }
        }
        metrics::counter!(metric::RESENDS, "sink" => self.sink.clone()).increment(sent as u64);
        Ok(sent)
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

/// Runs the sink for as long as the process does: whenever its consumer
/// fails (NATS gone, the consumer deleted), it is opened again after a
/// pause (doubling up to `max_backoff`), and counted.
pub async fn run(bus: Bus, config: SinkConfig) {
    // Zero from the start, so rate() and increase() see the first event.
    let sink = config.name.clone();
    for kind in ["refused", "unavailable"] {
        metrics::counter!(metric::FAILURES, "sink" => sink.clone(), "kind" => kind).increment(0);
    }
    for counter in [
        metric::DELIVERIES,
        metric::PARKED,
        metric::RESTARTS,
        metric::RESENDS,
    ] {
        metrics::counter!(counter, "sink" => sink.clone()).increment(0);
    }
    let mut pause = Duration::from_millis(200);
    loop {
        let started = std::time::Instant::now();
        let error = match run_once(&bus, &config).await {
            Ok(()) => "the consumer's message stream ended".to_owned(),
            Err(e) => e.to_string(),
        };
        if started.elapsed() > config.max_backoff {
            pause = Duration::from_millis(200);
        }
        metrics::counter!(metric::RESTARTS, "sink" => config.name.clone()).increment(1);
        tracing::error!(sink = %config.name, %error, restart_in = ?pause, "alert sink stopped; restarting");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(config.max_backoff);
    }
}

/// One life of the sink: until its consumer fails.
pub async fn run_once(bus: &Bus, config: &SinkConfig) -> Result<(), SinkError> {
    let filters: Vec<String> = subjects::ALERTS.iter().map(|s| s.to_string()).collect();
    let mut consumer = bus
        .durable(&config.consumer_name(), &filters, config.ack_wait)
        .await?;
    let poster = Poster::new(config)?;
    if let Ok(info) = consumer.info().await {
        metrics::gauge!(metric::BACKLOG, "sink" => config.name.clone())
            .set((info.num_pending + info.num_ack_pending as u64) as f64);
    }
    tracing::info!(url = %config.endpoint(), sink = %config.name, "alert sink delivering");
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| SinkError::Consumer(e.to_string()))?;
    // Log positions handled in this life of the sink: a copy JetStream hands
    // out again (a progress ack that came too late under load) is
    // acknowledged, not posted twice.
    let mut handled = Handled::default();
    while let Some(message) = messages.next().await {
        let message = message.map_err(|e| SinkError::Consumer(e.to_string()))?;
        let info = message.info().ok().map(|i| (i.stream_sequence, i.pending));
        let (position, pending) = info.unwrap_or((0, 0));
        if position > 0 && handled.contains(position) {
            tracing::debug!(sink = %config.name, position, "alert handed out again after it was handled; acknowledged, not posted");
            let _ = message.double_ack().await;
            continue;
        }
        let authentic =
            bus.authenticate(&message.subject, &message.payload, message.headers.as_ref());
        let body = match authentic.map(|()| Envelope::from_json(&message.payload)) {
            Err(why) => {
                // A forged alert: never delivered (the projector parks it).
                tracing::error!(subject = %message.subject, reason = %why, "unauthenticated alert event; skipped");
                None
            }
            Ok(Ok(envelope)) => payload(&envelope, &config.generator_url),
            Ok(Err(e)) => {
                tracing::error!(subject = %message.subject, error = %e, "unreadable alert event; skipped");
                None
            }
        };
        if let Some(body) = body {
            // Progress acks for as long as the delivery takes, so the ack
            // wait never runs out and JetStream never hands it out again.
            let keepalive = async {
                let every = (config.ack_wait / 3).max(Duration::from_millis(10));
                let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
                loop {
                    tick.tick().await;
                    let _ = message.ack_with(AckKind::Progress).await;
                }
            };
            let outcome = tokio::select! {
                outcome = deliver(&poster, config, &body) => outcome,
                never = keepalive => never,
            };
            if let Some(reason) = outcome {
                bus.park_delivery(
                    &config.name,
                    position,
                    &message.subject,
                    &reason,
                    message.payload.clone(),
                )
                .await?;
                metrics::counter!(metric::PARKED, "sink" => config.name.clone()).increment(1);
                tracing::error!(sink = %config.name, position, alert = %body[0]["labels"]["alert_id"], %reason, "alert refused by the receiver; parked (accord sink parked)");
            }
        }
        handled.insert(position);
        if let Err(e) = message.double_ack().await {
            tracing::warn!(error = %e, "alert handled but not acknowledged to JetStream; it may be sent again");
        }
        metrics::gauge!(metric::BACKLOG, "sink" => config.name.clone()).set(pending as f64);
    }
    Ok(())
}

/// The last [`Handled::KEEP`] log positions the sink handled (posted or parked).
#[derive(Default)]
struct Handled {
    order: std::collections::VecDeque<u64>,
    set: std::collections::HashSet<u64>,
}

impl Handled {
    const KEEP: usize = 4096;

    fn contains(&self, position: u64) -> bool {
        self.set.contains(&position)
    }

    fn insert(&mut self, position: u64) {
        if position == 0 || !self.set.insert(position) {
            return;
        }
        self.order.push_back(position);
        if self.order.len() > Self::KEEP {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
    }
}

/// POSTs until the receiver takes it (`None`) or refuses it for good
/// (`Some(reason)`), backing off between attempts.
async fn deliver(poster: &Poster, config: &SinkConfig, body: &Value) -> Option<String> {
    let mut backoff = Duration::from_millis(100);
    let mut attempt = 1u32;
    loop {
        match poster.post(body).await {
            Outcome::Delivered => {
                metrics::counter!(metric::DELIVERIES, "sink" => config.name.clone()).increment(1);
                tracing::info!(alert = %body[0]["labels"]["alert_id"], attempt, "alert delivered");
                return None;
            }
            Outcome::Refused(reason) => return Some(reason),
            Outcome::Unavailable(reason) => {
                tracing::warn!(%reason, attempt, retry_in = ?backoff, "alert receiver unavailable; retrying")
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(config.max_backoff);
        attempt += 1;
    }
}

/// A parked delivery as listed to operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parked {
    pub position: u64,
    pub subject: String,
    pub alert_id: String,
    pub reason: String,
}

/// Every delivery `sink` parked and nobody replayed yet, oldest first.
pub async fn parked(bus: &Bus, sink: &str) -> Result<Vec<Parked>, SinkError> {
    Ok(bus
        .parked_deliveries(sink)
        .await?
        .into_iter()
        .map(|p| Parked {
            alert_id: Envelope::from_json(&p.payload)
                .ok()
                .and_then(|e| e.event.alert().map(|(_, a)| a.alert_id.clone()))
                .unwrap_or_default(),
            position: p.position,
            subject: p.subject,
            reason: p.reason,
        })
        .collect())
}

/// Posts every parked delivery of `config.name` again, oldest first; each
/// one the receiver takes is removed from the parked stream, the others
/// stay. Returns (delivered, still parked).
pub async fn replay_parked(bus: &Bus, config: &SinkConfig) -> Result<(usize, usize), SinkError> {
    let poster = Poster::new(config)?;
    let (mut delivered, mut left) = (0, 0);
    for p in bus.parked_deliveries(&config.name).await? {
        let body = Envelope::from_json(&p.payload)
            .ok()
            .and_then(|e| payload(&e, &config.generator_url));
        let Some(body) = body else {
            left += 1;
            continue;
        };
        match poster.post(&body).await {
            Outcome::Delivered => {
                bus.remove_parked_delivery(p.id).await?;
                delivered += 1;
            }
            Outcome::Refused(reason) | Outcome::Unavailable(reason) => {
                tracing::warn!(position = p.position, %reason, "parked alert still not accepted");
                left += 1;
            }
        }
    }
    Ok((delivered, left))
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

    /// The sink is a library: its poster must build in any process, with
    /// no rustls crypto provider installed beforehand (reqwest has none of
    /// its own here), for http and https receivers alike.
    #[test]
    fn a_poster_builds_without_a_process_wide_crypto_provider() {
        for url in ["http://127.0.0.1:9093", "https://alertmanager.example:9093"] {
            let poster = Poster::new(&SinkConfig::new(url)).unwrap();
            assert_eq!(poster.endpoint, format!("{url}/api/v2/alerts"));
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
    fn handled_positions_are_remembered_up_to_a_bound() {
        let mut h = Handled::default();
        h.insert(7);
        assert!(h.contains(7) && !h.contains(8));
        for p in 100..100 + Handled::KEEP as u64 {
            h.insert(p);
        }
        assert!(!h.contains(7), "the oldest is forgotten past the bound");
        assert!(h.contains(100 + Handled::KEEP as u64 - 1));
        assert_eq!(h.order.len(), Handled::KEEP);
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
