//! Commands on commitments: load state from the projection, let the domain
//! decide, append with the commitment's version as the expectation.
//!
//! Two analysts racing on one commitment cannot both win: the log accepts
//! only the append that names the current version (JetStream's
//! expected-last-subject-sequence over `accord.v1.cmt.<id>.>`), the other
//! gets `ABORTED` with the current version. A retried command id returns
//! the first result, even when the retry carries a now-stale version.

use crate::clock::Clock;
use crate::command_appender::CommandAppender;
use crate::error::{invalid, ApiError};
use crate::query::Query;
use accord_bus::{BusError, Outgoing};
use accord_domain::commitment::{self, Command, CommitmentError};
use accord_domain::{Commitment, CommitmentId, Envelope, Event, EventId, EventMeta};
use time::OffsetDateTime;

#[derive(Clone)]
pub struct Commands {
    pub query: Query,
    pub clock: Clock,
    /// Appends, grouping concurrent commands into one atomic batch.
    pub appender: CommandAppender,
}

/// What a command did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub commitment: Commitment,
    pub positions: Vec<u64>,
    /// The command id had been applied before; this is its first result.
    pub replayed: bool,
}

/// When the fact an event records happened, for `as_of` on that axis.
fn occurred_at(event: &Event, now: OffsetDateTime) -> OffsetDateTime {
    let date = match event {
        Event::StatusAssessed(e) => Some(e.effective),
        Event::EvidenceAttached(e) => Some(e.evidence.date),
        Event::CommitmentSuperseded(e) => Some(e.effective),
        _ => None,
    };
    date.map_or(now, |d| d.midnight().assume_utc())
}

impl Commands {
    async fn load(&self, id: &CommitmentId) -> Result<Commitment, ApiError> {
        self.query.store.commitment(id)?.ok_or(ApiError::NotFound {
            what: "commitment",
            id: id.to_string(),
        })
    }

    /// The first result of `command_id`, if it was applied to `c` before.
    fn replay(&self, c: Commitment, command_id: &str) -> Result<Option<Outcome>, ApiError> {
        let positions = self.query.store.command(&c.id, command_id)?;
        Ok(positions.map(|positions| Outcome {
            commitment: c,
            positions,
            replayed: true,
        }))
    }

    /// Runs `command` on commitment `id`, expecting it at `expected` (0:
    /// whatever version it has now, for internal callers like the linker).
    pub async fn execute(
        &self,
        id: &CommitmentId,
        expected: u64,
        command_id: &str,
        command: Command,
    ) -> Result<Outcome, ApiError> {
        self.execute_with(id, expected, command_id, |state| {
            commitment::decide(state, &command)
        })
        .await
    }

    /// Like [`Commands::execute`], with the decision given as a function of
    /// the state (the alerter decides with `alerts::decide`).
    pub async fn execute_with(
        &self,
        id: &CommitmentId,
        expected: u64,
        command_id: &str,
        decide: impl FnOnce(&Commitment) -> Result<Vec<Event>, CommitmentError>,
    ) -> Result<Outcome, ApiError> {
        let command_id = command_id.trim();
        if command_id.is_empty() {
            return Err(invalid(
                "command_id",
                "is required (any unique string; reuse it when retrying)",
            ));
        }
        if command_id.len() > 200 {
            return Err(invalid("command_id", "is longer than 200 bytes"));
        }
        // The projection must have seen the version the caller saw.
        match self.query.at(Some(expected)).await {
            Ok(_) => {}
            Err(ApiError::BeyondLog { .. }) => {
                let current = self.load(id).await?.version;
                return Err(ApiError::Conflict {
                    commitment_id: id.to_string(),
                    expected,
                    current,
                });
            }
            Err(e) => return Err(e),
        }
        let state = self.load(id).await?;
        if let Some(done) = self.replay(state.clone(), command_id)? {
            return Ok(done);
        }
        let expected = if expected == 0 {
            state.version
        } else {
            expected
        };
        if state.version != expected {
            return Err(ApiError::Conflict {
                commitment_id: id.to_string(),
                expected,
                current: state.version,
            });
        }
        let events = decide(&state)?;
        if events.is_empty() {
            return Ok(Outcome {
                commitment: state,
                positions: vec![],
                replayed: false,
            });
        }
        let now = (self.clock)();
        let outgoing: Vec<Outgoing> = events
            .into_iter()
            .enumerate()
            .map(|(i, event)| {
                let meta = EventMeta {
                    id: EventId::derive(id.as_str(), &format!("cmd:{command_id}:{i}")),
                    occurred_at: occurred_at(&event, now),
                    recorded_at: now,
                    correlation_id: EventMeta::correlation(
                        &format!("cmd:{command_id}"),
                        crate::telemetry::request_id().as_deref(),
                    ),
                };
                Outgoing {
                    envelope: Envelope::new(meta, event),
                    parties: state.committers.clone(),
                }
            })
            .collect();
        match self.appender.append(outgoing.clone(), expected).await {
            Ok(appended) => {
                // Answer with the state as the tracker shows it (read-your-writes),
                // or as the domain computes it if the projector is slow.
                let seen = match appended.positions.iter().max() {
                    Some(&last) => self.query.applied(last).await,
                    None => self.query.at(Some(appended.end)).await,
                };
                let commitment = match seen {
                    Ok(_) => self.load(id).await?,
                    Err(_) => commitment::replay(
                        Some(state.clone()),
                        appended
                            .positions
                            .iter()
                            .copied()
                            .zip(outgoing.iter().map(|o| &o.envelope)),
                    )
                    .unwrap_or(state),
                };
                Ok(Outcome {
                    commitment,
                    positions: appended.positions,
                    replayed: false,
                })
            }
            Err(BusError::VersionConflict { current, .. }) => {
                // Someone else appended first; if it was this very command
                // (a retry racing its first attempt), answer with that.
                if self.query.at(Some(current)).await.is_ok() {
                    if let Some(done) = self.replay(self.load(id).await?, command_id)? {
                        return Ok(done);
                    }
                }
                Err(ApiError::Conflict {
                    commitment_id: id.to_string(),
                    expected,
                    current,
                })
            }
            Err(e) => Err(e.into()),
        }
    }
}
