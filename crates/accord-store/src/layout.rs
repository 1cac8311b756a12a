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
//! h:<commitment_id>:<position BE>  -> packed: the commitment's events of one batch, the
//!                                     first at <position>: (position u64 BE, length u32
//!                                     BE, envelope JSON)*, for history and as_of
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
//! Command ids live in `k:` rows, not in the commitment's row: they only
//! grow, and the `c:` row is rewritten on every change, so keeping them
//! there would make each change cost more than the last.

use crate::StoreError;
use accord_domain::{Commitment, CommitmentId, DocumentId, Party};
use std::collections::BTreeSet;

/// Bumped whenever the layout or record shapes change; a store written with
/// another version is rebuilt from the log.
pub const SCHEMA_VERSION: u32 = 7;

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

/// Where one commitment's history rows start; a position follows.
pub(crate) fn history_prefix(id: &CommitmentId) -> Vec<u8> {
    format!("h:{id}:").into_bytes()
}

pub(crate) fn history(id: &CommitmentId, position: u64) -> Vec<u8> {
    let mut key = history_prefix(id);
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

/// Appends one event to a history row's value.
pub(crate) fn push_history(row: &mut Vec<u8>, position: u64, envelope_json: &[u8]) {
    row.extend_from_slice(&position.to_be_bytes());
    row.extend_from_slice(&(envelope_json.len() as u32).to_be_bytes());
    row.extend_from_slice(envelope_json);
}

/// The events in a history row's value, as (position, envelope JSON).
pub(crate) fn history_entries<'a>(
    key: &[u8],
    mut value: &'a [u8],
) -> Result<Vec<(u64, &'a [u8])>, StoreError> {
    let mut out = Vec::new();
    while !value.is_empty() {
        let (head, rest) = value
            .split_at_checked(12)
            .ok_or_else(|| StoreError::corrupt(key, "truncated history entry"))?;
        let position = u64::from_be_bytes(head[..8].try_into().expect("8 bytes"));
        let len = u32::from_be_bytes(head[8..].try_into().expect("4 bytes")) as usize;
        let (envelope, rest) = rest
            .split_at_checked(len)
            .ok_or_else(|| StoreError::corrupt(key, "truncated history envelope"))?;
        out.push((position, envelope));
        value = rest;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_rows_hold_their_events_in_order_and_refuse_truncation() {
        let mut row = Vec::new();
        push_history(&mut row, 7, b"{\"a\":1}");
        push_history(&mut row, 9, b"");
        push_history(&mut row, 12, b"{}");
        let entries = history_entries(b"h:x", &row).unwrap();
        assert_eq!(
            entries,
            vec![(7, &b"{\"a\":1}"[..]), (9, &b""[..]), (12, &b"{}"[..])]
        );
        assert_eq!(unpack(b"h:x", &pack(&row)).unwrap(), row);
        assert!(unpack(b"h:x", &row).is_err(), "unpacked bytes are refused");
        for cut in [1, 11, row.len() - 1] {
            let err = history_entries(b"h:x", &row[..cut]).unwrap_err();
            assert!(err.to_string().contains("truncated history"), "{err}");
        }
    }
}
