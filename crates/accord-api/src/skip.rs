//! `SkipDeadLetter`: an operator's way out of a parked commitment. The
//! decision is an event in the log (`EntrySkipped` on the commitment's own
//! subject), so every replica and every rebuild releases the same entries;
//! the store does the releasing (`accord-store`, "Skipping").
//!
//! Idempotent: the append is guarded by the last sequence on the
//! commitment's subjects, so of two skips of one entry only the first lands;
//! a skip of an entry already skipped appends nothing and says so.

use crate::commands::Commands;
use crate::error::{invalid, ApiError};
use crate::limits::{bytes, MAX_NOTE_BYTES};
use accord_bus::{subjects, BusError, Expect, Outgoing};
use accord_domain::event::EntrySkipped;
use accord_domain::{CommitmentId, Envelope, Event, EventId, EventMeta};
use accord_proto::v1 as pb;

/// Skips the parked entry `req.position` on behalf of `by`.
pub async fn skip(
    commands: &Commands,
    req: pb::SkipDeadLetterRequest,
    by: String,
) -> Result<pb::SkipDeadLetterResponse, ApiError> {
    bytes("reason", &req.reason, MAX_NOTE_BYTES)?;
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(invalid(
            "reason",
            "is required: say why the entry is skipped",
        ));
    }
    let position = req.position;
    if position == 0 {
        return Err(invalid(
            "position",
            "is required (a log position from ListDeadLetters)",
        ));
    }
    let q = &commands.query;
    q.at(Some(position)).await?;
    if let Some(done) = already_skipped(commands, position)? {
        return Ok(done);
    }
    let parked = q.store.parked()?;
    let Some(entry) = parked.iter().find(|p| p.position == position) else {
        return Err(ApiError::NotFound {
            what: "parked entry at position",
            id: position.to_string(),
        });
    };
    if entry.detached {
        return Err(invalid("position", format!("entry {position} is not Accord's (it failed log authentication): it holds nothing back, there is nothing to skip")));
    }
    if entry.is_held() {
        return Err(invalid(
            "position",
            format!(
                "entry {position} is a readable event that {}: skip that entry instead",
                entry.reason
            ),
        ));
    }
    let id = subjects::commitment_of(&entry.subject)
        .and_then(|id| CommitmentId::parse(id).ok())
        .ok_or_else(|| {
            invalid(
                "position",
                format!("entry {position} on {:?} belongs to no commitment; only a commitment's entries can be skipped", entry.subject),
            )
        })?;
    // Every later entry of the commitment waits in its queue, so the last
    // one queued is the last on its subjects.
    let last = parked
        .iter()
        .filter(|p| p.aggregate == entry.aggregate && !p.detached)
        .map(|p| p.position)
        .max()
        .unwrap_or(position);
    let now = (commands.clock)();
    let origin = format!("skip:{position}");
    let meta = EventMeta {
        id: EventId::derive(id.as_str(), &origin),
        occurred_at: now,
        recorded_at: now,
        correlation_id: EventMeta::correlation(&origin, crate::telemetry::request_id().as_deref()),
    };
    let parties = q
        .store
        .commitment(&id)?
        .map(|c| c.committers)
        .unwrap_or_default();
    let event = Event::EntrySkipped(EntrySkipped {
        commitment_id: id.clone(),
        position,
        reason: reason.to_owned(),
        by,
    });
    let outgoing = [Outgoing {
        envelope: Envelope::new(meta, event),
        parties,
    }];
    match q
        .bus
        .append(&outgoing, Expect::CommitmentVersion(last))
        .await
    {
        Ok(appended) => {
            q.at(Some(appended.end)).await?;
            tracing::info!(position, commitment = %id, skip_position = appended.positions[0], "dead letter skipped");
            Ok(pb::SkipDeadLetterResponse {
                commitment_id: id.to_string(),
                skip_position: appended.positions[0],
                already_skipped: false,
                still_parked: still_parked(commands, id.as_str())?,
            })
        }
        Err(BusError::VersionConflict { current, .. }) => {
            // Another skip (of this entry?) or a new entry landed first.
            q.at(Some(current)).await?;
            already_skipped(commands, position)?.ok_or(ApiError::Conflict {
                commitment_id: id.to_string(),
                expected: last,
                current,
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer for an entry a skip already removed.
fn already_skipped(
    commands: &Commands,
    position: u64,
) -> Result<Option<pb::SkipDeadLetterResponse>, ApiError> {
    let Some(done) = commands.query.store.skipped(position)? else {
        return Ok(None);
    };
    Ok(Some(pb::SkipDeadLetterResponse {
        still_parked: still_parked(commands, &done.aggregate)?,
        commitment_id: done.aggregate,
        skip_position: done.by_position,
        already_skipped: true,
    }))
}

fn still_parked(commands: &Commands, aggregate: &str) -> Result<u64, ApiError> {
    let parked = commands.query.store.parked()?;
    Ok(parked
        .iter()
        .filter(|p| p.aggregate == aggregate && !p.detached)
        .count() as u64)
}
