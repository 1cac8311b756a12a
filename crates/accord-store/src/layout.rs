//! Key layout: every key the store writes or scans is spelled here, so the
//! write path and the read path cannot drift apart, and a layout change is
//! one diff next to [`SCHEMA_VERSION`].
//!
//! One sled tree per projection *generation* (the current one is named in
//! the `accord_meta` tree), holding key-prefixed ranges:
//!
//! ```text
//! c:<commitment_id>                -> packed Commitment (JSON)
//! d:<document_id>                  -> packed DocumentRecord (JSON)
//! h:<position BE>                 -> packed: one commitment's events of one batch, the
//!                                     last at <position>: previous row's last position
//!                                     (u64 BE, 0: none), then (position u64 BE, length
//!                                     u32 BE, envelope JSON)*, for history and as_of
//! hb:<commitment_id>:<position BE> -> the same, written by a bulk load (key order by id)
//! ip:<PARTY>:<id>                  index: committer party
//! iq:<id>                          index: review queue (pending proposals)
//! ia:<id>                          index: commitments with unresolved alerts
//! k:<commitment_id>:<command_id>  -> (position u64 BE)*: a command id applied, with the
//!                                     positions it produced, for idempotent retries
//! pk:<aggregate>:<position BE>     -> Parked (JSON): entries set aside, queued per aggregate
//! m:position | m:applied | m:schema  -> checkpoint, events applied, schema version (u64 BE)
//! ```
//!
//! Index rows have empty values: the id at the end of the key is the payload.
//! "Packed" is LZ4 (size prepended): sled copies a whole leaf (up to 17 rows)
//! on every insert into it, so the bytes of the big rows are what a write
//! costs; JSON packs to about a third.
//! Each row costs a random-order sled write per change, so there are only as
//! many as queries need: kind and status filters scan `c:` (a listing page
//! examines at most a budget of rows; a party filter scans `ip:` instead),
//! the alerter's deadline scan reads `c:` too (schema 7 dropped the `is:`
//! status and `id:` deadline indexes: a fifth of all rows, and every
//! commitment with a deadline stays a candidate once its date has passed,
//! so the index narrowed little), and one `h:` row holds all of a
//! commitment's events of one batch.
//! History rows are keyed by log position, not by commitment (schema 8):
//! the projector's history rows, the largest it writes, then append at the
//! end of the key range instead of landing in random leaves (sled took the
//! same rows 1.25–1.4× faster so). A commitment finds its rows as a chain:
//! its record's `version` is the last position of its newest row, and each
//! row names the last position of the one before. A bulk load folds in
//! commitment order, so it keys its rows `hb:<id>:<position>` to stay a
//! key-ordered load; a reader looks a position up under `h:` first, then
//! `hb:`.
//! Command ids live in `k:` rows, not in the commitment's row: they only
//! grow, and the `c:` row is rewritten on every change, so keeping them
//! there would make each change cost more than the last.

use crate::StoreError;
use accord_domain::{Commitment, CommitmentId, DocumentId, Party};
use std::collections::BTreeSet;

/// Bumped whenever the layout or record shapes change; a store written with
/// another version is rebuilt from the log.
pub const SCHEMA_VERSION: u32 = 8;

/// The tree naming the current generation, under [`CURRENT`].
pub(crate) const META_TREE: &str = "accord_meta";
pub(crate) const CURRENT: &[u8] = b"current";

/// Where the metadata rows start: records, history, indexes and command
/// ids all sort before it (parked and skipped entries after).
const META_START: &[u8] = b"m:";

/// Whether `tree` holds no record, history, index or command row.
pub(crate) fn holds_no_rows(tree: &sled::Tree) -> Result<bool, StoreError> {
    Ok(tree.range(..META_START).next().transpose()?.is_none())
}

pub(crate) const K_POSITION: &[u8] = b"m:position";
pub(crate) const K_APPLIED: &[u8] = b"m:applied";
pub(crate) const K_SCHEMA: &[u8] = b"m:schema";
/// The identity of the stream the checkpoint counts positions in.
pub(crate) const K_STREAM: &[u8] = b"m:stream";

pub(crate) const COMMITMENTS: &[u8] = b"c:";
pub(crate) const DOCUMENTS: &[u8] = b"d:";
pub(crate) const REVIEW_QUEUE: &[u8] = b"iq:";
pub(crate) const OPEN_ALERTS: &[u8] = b"ia:";
pub(crate) const PARKED: &[u8] = b"pk:";
pub(crate) const COMMANDS: &[u8] = b"k:";
/// Parked entries an `EntrySkipped` removed: `sk:<position>` → [`crate::Skipped`].
pub(crate) const SKIPPED: &[u8] = b"sk:";

/// A `m:` counter's value; a missing row reads as 0.
pub(crate) fn u64_of(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| v.as_ref().try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

pub(crate) fn commitment(id: &CommitmentId) -> Vec<u8> {
    format!("c:{id}").into_bytes()
}

pub(crate) fn document(id: &DocumentId) -> Vec<u8> {
    format!("d:{id}").into_bytes()
}

/// A command id applied to a commitment (ids are digests: no `:` in them).
pub(crate) fn command(id: &CommitmentId, command_id: &str) -> Vec<u8> {
    format!("k:{id}:{command_id}").into_bytes()
}

/// Log positions as stored in a `k:` row.
pub(crate) fn positions(key: &[u8], bytes: &[u8]) -> Result<Vec<u64>, StoreError> {
    if !bytes.len().is_multiple_of(8) {
        return Err(StoreError::corrupt(
            key,
            "positions row is not a list of u64",
        ));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| u64::from_be_bytes(c.try_into().expect("chunks of 8")))
        .collect())
}

pub(crate) fn positions_row(positions: &[u64]) -> Vec<u8> {
    positions.iter().flat_map(|p| p.to_be_bytes()).collect()
}

/// The live path's history row whose last event is at `position`.
pub(crate) fn history(position: u64) -> Vec<u8> {
    let mut key = b"h:".to_vec();
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// A bulk load's history row of `id` whose last event is at `position`.
pub(crate) fn bulk_history(id: &CommitmentId, position: u64) -> Vec<u8> {
    let mut key = format!("hb:{id}:").into_bytes();
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// Index range of one committer party; ids follow.
pub(crate) fn by_party(party: &Party) -> String {
    format!("ip:{party}:")
}

/// The index rows of one commitment. Sparse indexes (review queue, open
/// alerts) hold only the commitments they are about; kind, status, topic
/// and per-party status filters and the deadline scan read `c:` or a
/// party's index instead of keeping their own rows, since every row costs
/// a write per change.
pub(crate) fn index_keys(commitment: Option<&Commitment>) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Some(c) = commitment else { return keys };
    let id = &c.id;
    keys.extend(c.committers.iter().map(|p| format!("ip:{p}:{id}")));
    if !c.proposals.is_empty() {
        keys.insert(format!("iq:{id}"));
    }
    if c.alerts.iter().any(|a| a.resolved_at_position.is_none()) {
        keys.insert(format!("ia:{id}"));
    }
    keys
}

/// The commitment id an index row ends with.
pub(crate) fn id_at_end(key: &[u8]) -> Result<CommitmentId, StoreError> {
    let text = String::from_utf8_lossy(key);
    let id = text.rsplit(':').next().unwrap_or_default();
    CommitmentId::parse(id).map_err(|e| StoreError::corrupt(key, e))
}

/// A parked entry: queued under its aggregate, in log order.
pub(crate) fn parked(aggregate: &str, position: u64) -> Vec<u8> {
    let mut key = parked_queue(aggregate);
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// The record of a skipped entry, by its log position.
pub(crate) fn skipped(position: u64) -> Vec<u8> {
    let mut key = SKIPPED.to_vec();
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// The prefix of one aggregate's parked queue.
pub(crate) fn parked_queue(aggregate: &str) -> Vec<u8> {
    format!("pk:{aggregate}:").into_bytes()
}

/// The parked queue of an entry whose subject names no aggregate: one queue
/// per such subject, apart from every commitment and document.
pub(crate) fn unattributed(subject: &str) -> String {
    format!("?{subject}")
}

/// A big row's stored form (see the module doc).
pub(crate) fn pack(bytes: &[u8]) -> Vec<u8> {
    lz4_flex::compress_prepend_size(bytes)
}

/// The bytes a packed row at `key` holds.
pub(crate) fn unpack(key: &[u8], stored: &[u8]) -> Result<Vec<u8>, StoreError> {
    lz4_flex::decompress_size_prepended(stored).map_err(|e| StoreError::corrupt(key, e))
}

/// A history row's value before its events: the last position of the
/// commitment's previous row (0: this is its first).
pub(crate) fn history_row(previous: u64) -> Vec<u8> {
    previous.to_be_bytes().to_vec()
}

/// Appends one event to a history row's value.
pub(crate) fn push_history(row: &mut Vec<u8>, position: u64, envelope_json: &[u8]) {
    row.extend_from_slice(&position.to_be_bytes());
    row.extend_from_slice(&(envelope_json.len() as u32).to_be_bytes());
    row.extend_from_slice(envelope_json);
}

/// One history row read back: the previous row's last position (0: none)
/// and its events as (position, envelope JSON), in log order.
pub(crate) struct HistoryRow<'a> {
    pub previous: u64,
    pub entries: Vec<(u64, &'a [u8])>,
}

/// Reads a history row's value (unpacked), found as the row whose last
/// event is at `last`: a row that is empty, out of order, or does not end
/// there is refused (a chain that did not go back would never end).
pub(crate) fn history_entries<'a>(
    key: &[u8],
    value: &'a [u8],
    last: u64,
) -> Result<HistoryRow<'a>, StoreError> {
    let (previous, mut value) = value
        .split_at_checked(8)
        .ok_or_else(|| StoreError::corrupt(key, "truncated history row"))?;
    let previous = u64::from_be_bytes(previous.try_into().expect("8 bytes"));
    let mut out: Vec<(u64, &[u8])> = Vec::new();
    while !value.is_empty() {
        let (head, rest) = value
            .split_at_checked(12)
            .ok_or_else(|| StoreError::corrupt(key, "truncated history entry"))?;
        let position = u64::from_be_bytes(head[..8].try_into().expect("8 bytes"));
        let len = u32::from_be_bytes(head[8..].try_into().expect("4 bytes")) as usize;
        let (envelope, rest) = rest
            .split_at_checked(len)
            .ok_or_else(|| StoreError::corrupt(key, "truncated history envelope"))?;
        if position <= out.last().map_or(previous, |(p, _)| *p) {
            return Err(StoreError::corrupt(key, "history row out of log order"));
        }
        out.push((position, envelope));
        value = rest;
    }
    if out.last().map(|(p, _)| *p) != Some(last) {
        return Err(StoreError::corrupt(
            key,
            format!("history row does not end at position {last}"),
        ));
    }
    Ok(HistoryRow {
        previous,
        entries: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_rows_hold_their_events_in_order_and_refuse_truncation() {
        let mut row = history_row(3);
        push_history(&mut row, 7, b"{\"a\":1}");
        push_history(&mut row, 9, b"");
        push_history(&mut row, 12, b"{}");
        let read = history_entries(b"h:x", &row, 12).unwrap();
        assert_eq!(read.previous, 3);
        assert_eq!(
            read.entries,
            vec![(7, &b"{\"a\":1}"[..]), (9, &b""[..]), (12, &b"{}"[..])]
        );
        assert_eq!(unpack(b"h:x", &pack(&row)).unwrap(), row);
        assert!(unpack(b"h:x", &row).is_err(), "unpacked bytes are refused");
        for cut in [1, 9, 19, row.len() - 1] {
            let err = history_entries(b"h:x", &row[..cut], 12).err().unwrap();
            assert!(err.to_string().contains("truncated history"), "{err}");
        }
    }

    /// A chain of rows must go back: every event after the previous row's
    /// last, in order, the row ending where it was looked up.
    #[test]
    fn history_rows_that_would_not_chain_back_are_refused() {
        let row = |previous, positions: &[u64]| {
            let mut row = history_row(previous);
            for p in positions {
                push_history(&mut row, *p, b"{}");
            }
            row
        };
        let check = |row: Vec<u8>, last, expected: &str| {
            let err = history_entries(b"h:x", &row, last).err().unwrap();
            assert!(err.to_string().contains(expected), "{err}");
        };
        check(row(0, &[]), 5, "does not end at position 5");
        check(row(0, &[4]), 5, "does not end at position 5");
        check(row(5, &[5]), 5, "out of log order");
        check(row(6, &[5]), 5, "out of log order");
        check(row(1, &[3, 2, 5]), 5, "out of log order");
        assert!(history_entries(b"h:x", &row(1, &[3, 5]), 5).is_ok());
    }

    #[test]
    fn live_history_keys_sort_in_log_order_and_bulk_ones_by_commitment() {
        let keys: Vec<Vec<u8>> = [1u64, 255, 256, 70_000].map(history).to_vec();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let a = CommitmentId::parse(&format!("c{}", "a".repeat(20))).unwrap();
        let b = CommitmentId::parse(&format!("c{}", "b".repeat(20))).unwrap();
        assert!(bulk_history(&a, 9) < bulk_history(&a, 10));
        assert!(bulk_history(&a, u64::MAX) < bulk_history(&b, 1));
        assert!(!bulk_history(&a, 9).starts_with(b"h:"));
        assert!(keys
            .iter()
            .chain([&bulk_history(&b, 1)])
            .all(|k| k.as_slice() < META_START));
    }
}
