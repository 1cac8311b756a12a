use super::*;
use crate::layout::K_SCHEMA;
use accord_domain::document::{decide, IngestReadout, NewCommitment};
use accord_domain::{DocumentId, EventMeta, Span};
use time::macros::{date, datetime};

fn party(p: &str) -> Party {
    Party::new(p).unwrap()
}

/// The log of one ingest, positioned from `first`.
fn ingest(text: &str, first: u64, commitments: &[(Kind, &[&str], &str)]) -> Vec<(u64, Envelope)> {
    let cmd = IngestReadout {
        document_id: DocumentId::for_text(text),
        title: None,
        source: None,
        date: Some(date!(2017 - 10 - 31)),
        publisher: None,
        bytes: text.len() as u64,
        extractor: "test".into(),
        deadlines: accord_domain::alerts::DeadlinePolicy::default(),
        parties: vec![],
        sentences: vec![],
        meeting: vec![],
        commitments: commitments
            .iter()
            .enumerate()
            .map(|(i, (kind, parties, t))| NewCommitment {
                kind: *kind,
                committers: parties.iter().map(|p| party(p)).collect(),
                counterparts: vec![],
                text: t.to_string(),
                span: Span {
                    start: i,
                    end: i + 1,
                },
                cue: "would".into(),
                due: None,
                confidence: 0.5,
                topics: vec![],
                page: None,
            })
            .collect(),
    };
    decide(None, cmd)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            let meta = EventMeta {
                id: event.natural_id(),
                occurred_at: datetime!(2017-10-31 0:00 UTC),
                recorded_at: datetime!(2026-11-27 0:00 UTC),
                correlation_id: "t".into(),
            };
            (first + i as u64, Envelope::new(meta, event))
        })
        .collect()
}

fn seed_log() -> Vec<(u64, Envelope)> {
    let mut log = ingest(
        "seed text",
        1,
        &[
            (
                Kind::Action,
                &["JPN", "NATO"],
                "start an update on the IPCP",
            ),
            (
                Kind::Cooperation,
                &["JPN", "NATO"],
                "cooperate on the abductions issue",
            ),
            (Kind::Stance, &["JPN"], "oppose coercion"),
        ],
    );
    log.extend(ingest(
        "other text",
        10,
        &[(Kind::Meeting, &["AUS", "IND"], "hold talks next year")],
    ));
    log
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db"), 8 << 20).unwrap();
    (dir, store)
}

fn ids(page: &Page) -> Vec<&str> {
    page.commitments.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn applies_and_answers_with_filters() {
    let (_dir, store) = open();
    let out = store.apply(&seed_log(), 12).unwrap();
    assert_eq!((out.applied, out.skipped, out.position), (9, 0, 12));
    assert_eq!(store.position().unwrap(), 12);

    let check = |filter: Filter, expected: &[&str]| {
        let page = store.list(&filter, None, 100).unwrap();
        let mut got = ids(&page);
        got.sort();
        let mut want = expected.to_vec();
        want.sort();
        assert_eq!(got, want, "{filter:?}");
    };
    check(
        Filter {
            party: Some(party("NATO")),
            ..Default::default()
        },
        &[
            "start an update on the IPCP",
            "cooperate on the abductions issue",
        ],
    );
    check(
        Filter {
            party: Some(party("JPN")),
            kind: Some(Kind::Stance),
            ..Default::default()
        },
        &["oppose coercion"],
    );
    check(
        Filter {
            kind: Some(Kind::Meeting),
            ..Default::default()
        },
        &["hold talks next year"],
    );
    check(
        Filter {
            status: Some(Status::NotYetAssessed),
            text_contains: Some("ipcp".into()),
            ..Default::default()
        },
        &["start an update on the IPCP"],
    );
    check(
        Filter {
            status: Some(Status::Fulfilled),
            ..Default::default()
        },
        &[],
    );
    check(
        Filter::default(),
        &[
            "start an update on the IPCP",
            "cooperate on the abductions issue",
            "oppose coercion",
            "hold talks next year",
        ],
    );

    let first = store.list(&Filter::default(), None, 1).unwrap();
    let made = store.commitment(&first.commitments[0].id).unwrap().unwrap();
    assert!((1..=6).contains(&made.created_at_position), "{made:?}");
    let history = store.history(&made.id).unwrap();
    assert_eq!(history.len(), if made.deadline.is_some() { 2 } else { 1 });
    assert_eq!(
        made.version,
        history.last().unwrap().0,
        "the version is the last event's position"
    );
}

#[test]
fn pages_cover_everything_once() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.list(&Filter::default(), after.as_ref(), 3).unwrap();
        seen.extend(page.commitments.iter().map(|c| c.id.clone()));
        match page.next_after {
            Some(id) => after = Some(id),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 4);
}

#[test]
fn a_scan_budget_ends_a_page_early_and_the_next_one_resumes() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let all: Vec<CommitmentId> = store
        .list(&Filter::default(), None, 100)
        .unwrap()
        .commitments
        .iter()
        .map(|c| c.id.clone())
        .collect();
    // A filter only the last commitment matches, two entries per page.
    let last = store.commitment(all.last().unwrap()).unwrap().unwrap();
    let filter = Filter {
        text_contains: Some(last.text.to_lowercase()),
        ..Default::default()
    };
    let (mut found, mut after, mut pages) = (Vec::new(), None, 0);
    loop {
        let page = store.list_within(&filter, after.as_ref(), 10, 2).unwrap();
        assert!(page.commitments.len() <= 2);
        found.extend(page.commitments.iter().map(|c| c.id.clone()));
        pages += 1;
        match page.next_after {
            Some(id) => after = Some(id),
            None => break,
        }
    }
    assert_eq!(found, vec![last.id.clone()]);
    assert_eq!(pages, all.len().div_ceil(2));
}

#[test]
fn reapplying_is_a_no_op_and_digest_is_stable() {
    let (_dir, store) = open();
    let log = seed_log();
    store.apply(&log[..3], 3).unwrap();
    let out = store.apply(&log, 12).unwrap();
    assert_eq!((out.applied, out.skipped), (6, 3));
    assert_eq!(store.applied_count().unwrap(), 9);
    let digest = store.digest().unwrap();

    let (_dir2, fresh) = open();
    for entry in &log {
        fresh.apply(std::slice::from_ref(entry), entry.0).unwrap();
    }
    assert_eq!(fresh.digest().unwrap(), digest);
    assert_eq!(fresh.applied_count().unwrap(), 9);
}

#[test]
fn checkpoint_moves_past_set_aside_positions() {
    let (_dir, store) = open();
    let out = store.apply(&[], 5).unwrap();
    assert_eq!((out.applied, out.skipped, out.position), (0, 0, 5));
    assert_eq!(store.position().unwrap(), 5);
    let log = seed_log();
    let out = store.apply(&log, 20).unwrap();
    assert_eq!(
        (out.applied, out.skipped, out.position),
        (4, 5, 20),
        "only events past 5 apply"
    );
}

#[test]
fn survives_reopen_and_rebuilds_on_schema_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let digest = {
        let store = Store::open(&path, 8 << 20).unwrap();
        store.apply(&seed_log(), 12).unwrap();
        store.digest().unwrap()
    };
    {
        let store = Store::open(&path, 8 << 20).unwrap();
        assert_eq!(store.position().unwrap(), 12);
        assert_eq!(store.digest().unwrap(), digest);
        // As the build before schema 8 left it: history keyed by commitment.
        let tree = store.view().tree;
        let older = u64::from(crate::SCHEMA_VERSION - 1);
        tree.insert(K_SCHEMA, &older.to_be_bytes()).unwrap();
        let made = first(&store, Filter::default());
        let mut legacy = format!("h:{}:", made.id).into_bytes();
        legacy.extend_from_slice(&made.version.to_be_bytes());
        tree.insert(legacy, b"old".as_slice()).unwrap();
        store.db.flush().unwrap();
    }
    let store = Store::open(&path, 8 << 20).unwrap();
    assert_eq!(
        store.position().unwrap(),
        0,
        "an old schema is dropped and replayed"
    );
    assert!(store
        .list(&Filter::default(), None, 10)
        .unwrap()
        .commitments
        .is_empty());
    store.apply(&seed_log(), 12).unwrap();
    assert_eq!(store.digest().unwrap(), digest);
    let made = first(&store, Filter::default());
    let history = store.history(&made.id).unwrap();
    assert_eq!(history.last().map(|(p, _)| *p), Some(made.version));
}

/// An unreadable entry of `aggregate`; the store keeps its subject as given.
fn unreadable(position: u64, aggregate: &str, reason: &str) -> Item {
    Item::Unreadable {
        position,
        subject: format!("log.{aggregate}.assessed"),
        aggregate: Some(aggregate.into()),
        payload: br#"{"type":"StatusAssessed","schema_version":9}"#.to_vec(),
        reason: reason.into(),
        detached: false,
    }
}

/// The first commitment `filter` lists.
fn first(store: &Store, filter: Filter) -> Commitment {
    store.list(&filter, None, 10).unwrap().commitments[0].clone()
}

#[test]
fn poison_parks_its_commitment_and_lets_others_flow() {
    let (_dir, store) = open();
    let log = seed_log();
    store.apply(&log, 12).unwrap();
    let ipcp = first(
        &store,
        Filter {
            text_contains: Some("ipcp".into()),
            ..Default::default()
        },
    );
    let other = first(
        &store,
        Filter {
            kind: Some(Kind::Meeting),
            ..Default::default()
        },
    );

    // 20: poison for the IPCP; 21: a readable event for the IPCP; 22: one for another commitment.
    let event_for = |c: &Commitment, position: u64| {
        let events = accord_domain::commitment::decide(
            c,
            &accord_domain::commitment::Command::Confirm {
                by: "a".into(),
                note: None,
            },
        )
        .unwrap();
        let meta = EventMeta {
            id: events[0].natural_id(),
            occurred_at: datetime!(2018-01-01 0:00 UTC),
            recorded_at: datetime!(2018-01-01 0:00 UTC),
            correlation_id: format!("cmd:{position}"),
        };
        Item::Event {
            position,
            envelope: Envelope::new(meta, events[0].clone()),
            subject: Some(format!("log.{}.confirmed", c.id)),
        }
    };
    let items = vec![
        unreadable(20, ipcp.id.as_str(), "schema version 9 is not supported"),
        event_for(&ipcp, 21),
        event_for(&other, 22),
    ];
    let out = store.apply_items(items.clone(), 22).unwrap();
    assert_eq!((out.applied, out.parked, out.position), (1, 2, 22));
    assert_eq!(
        out.newly_parked[1].reason,
        "waits behind parked position 20"
    );
    assert_eq!(
        (&out.newly_parked[0].subject, &out.newly_parked[1].subject),
        (
            &format!("log.{}.assessed", ipcp.id),
            &format!("log.{}.confirmed", ipcp.id)
        ),
        "subjects are kept as the caller gave them"
    );
    assert_eq!(
        store.commitment(&other.id).unwrap().unwrap().review,
        accord_domain::commitment::Review::Confirmed,
        "others flow"
    );
    assert_eq!(
        store.commitment(&ipcp.id).unwrap().unwrap(),
        ipcp,
        "the parked commitment does not skip a step"
    );
    assert_eq!(store.parked().unwrap().len(), 2);

    // Later events keep waiting; a replay that still cannot read the head changes nothing.
    let out = store.apply_items(vec![event_for(&ipcp, 30)], 30).unwrap();
    assert_eq!(out.parked, 1);
    let nothing = store
        .replay_parked(&|_| Err("still unreadable".into()))
        .unwrap();
    assert_eq!((nothing.applied, nothing.still_parked), (0, 3));

    // After a fix the head reads: the queue is applied in log order.
    let Item::Event {
        envelope: fixed, ..
    } = event_for(&ipcp, 20)
    else {
        unreachable!()
    };
    let replayed = store
        .replay_parked(&|bytes| {
            if bytes.starts_with(br#"{"type":"StatusAssessed""#) {
                Ok(fixed.clone())
            } else {
                Envelope::from_json(bytes).map_err(|e| e.to_string())
            }
        })
        .unwrap();
    assert_eq!((replayed.applied, replayed.still_parked), (3, 0));
    assert!(store.parked().unwrap().is_empty());
    let after = store.commitment(&ipcp.id).unwrap().unwrap();
    assert_eq!(after.review, accord_domain::commitment::Review::Confirmed);
    assert_eq!(after.version, 30, "applied up to the last parked position");
}

#[test]
fn a_rebuilt_generation_swaps_in_whole() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let digest = store.digest().unwrap();
    let fresh = store.fresh_view().unwrap();
    let log = seed_log();
    fresh
        .apply_items(
            log[..3]
                .iter()
                .map(|(p, e)| Item::Event {
                    position: *p,
                    envelope: e.clone(),
                    subject: None,
                })
                .collect(),
            3,
        )
        .unwrap();
    assert!(
        !store.swap_if_caught_up(&fresh).unwrap(),
        "behind the live generation: no swap"
    );
    assert_eq!(store.digest().unwrap(), digest);
    fresh
        .apply_items(
            log.iter()
                .map(|(p, e)| Item::Event {
                    position: *p,
                    envelope: e.clone(),
                    subject: None,
                })
                .collect(),
            12,
        )
        .unwrap();
    assert!(store.swap_if_caught_up(&fresh).unwrap());
    assert_eq!(store.digest().unwrap(), digest);
    assert_eq!(store.position().unwrap(), 12);
}

#[test]
fn as_of_folds_the_history_up_to_then_on_either_axis() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let made = first(
        &store,
        Filter {
            text_contains: Some("ipcp".into()),
            ..Default::default()
        },
    );
    let events = accord_domain::commitment::decide(
        &made,
        &accord_domain::commitment::Command::Confirm {
            by: "a".into(),
            note: None,
        },
    )
    .unwrap();
    // Occurred in 2018, recorded in 2027: the two axes disagree about 2020.
    let meta = EventMeta {
        id: events[0].natural_id(),
        occurred_at: datetime!(2018-01-01 0:00 UTC),
        recorded_at: datetime!(2027-01-01 0:00 UTC),
        correlation_id: "confirm".into(),
    };
    store
        .apply(&[(20, Envelope::new(meta, events[0].clone()))], 20)
        .unwrap();
    let now = store.commitment(&made.id).unwrap().unwrap();
    assert_eq!(now.review, accord_domain::commitment::Review::Confirmed);

    let at = |as_of| store.commitment_as_of(&made.id, as_of).unwrap();
    assert_eq!(
        at(AsOf::Occurred(datetime!(2030-01-01 0:00 UTC))),
        Some(now.clone())
    );
    assert_eq!(
        at(AsOf::Recorded(datetime!(2030-01-01 0:00 UTC))),
        Some(now)
    );
    assert_eq!(
        at(AsOf::Occurred(datetime!(2020-01-01 0:00 UTC)))
            .unwrap()
            .version,
        20
    );
    assert_eq!(
        at(AsOf::Recorded(datetime!(2020-01-01 0:00 UTC))),
        None,
        "not recorded yet"
    );
    assert_eq!(
        at(AsOf::Recorded(datetime!(2026-12-01 0:00 UTC))),
        Some(made.clone())
    );
    assert_eq!(
        at(AsOf::Occurred(datetime!(2017-12-01 0:00 UTC))),
        Some(made.clone())
    );
    assert_eq!(
        at(AsOf::Occurred(datetime!(2017-01-01 0:00 UTC))),
        None,
        "not made yet"
    );
}

#[test]
fn entries_naming_no_aggregate_queue_per_subject() {
    let (_dir, store) = open();
    let stray = |position| Item::Unreadable {
        position,
        subject: "log.stray".into(),
        aggregate: None,
        payload: b"?".to_vec(),
        reason: "unreadable".into(),
        detached: false,
    };
    assert_eq!(stray(1).aggregate(), "?log.stray");
    let out = store.apply_items(vec![stray(1), stray(2)], 2).unwrap();
    assert_eq!((out.applied, out.parked), (0, 2));
    let parked = store.parked().unwrap();
    assert_eq!(parked[1].aggregate, "?log.stray");
    assert_eq!(
        parked[1].reason,
        "unreadable; waits behind parked position 1"
    );
}

#[test]
fn the_linker_finds_only_readouts_dated_after_a_new_one() {
    use accord_domain::event::ReadoutText;
    let (_dir, store) = open();
    let readouts = store.readouts().unwrap();
    let text = |name: &str, date| ReadoutText {
        document_id: DocumentId::for_text(name),
        date,
        parties: vec![],
        sentences: vec![],
        meeting: None,
    };
    let (a, b, c) = (
        text("a", date!(2017 - 10 - 31)),
        text("b", date!(2018 - 10 - 18)),
        text("c", date!(2019 - 06 - 01)),
    );
    readouts.record(5, &c).unwrap();
    readouts.record(9, &a).unwrap();
    readouts.record(12, &b).unwrap();
    let dates = |d| -> Vec<_> {
        let got = readouts.dated_after(d).unwrap();
        got.into_iter().map(|t| t.date).collect()
    };
    assert_eq!(dates(a.date), [b.date, c.date]);
    assert_eq!(dates(b.date), [c.date]);
    assert!(dates(c.date).is_empty());
    assert_eq!(readouts.checkpoint().unwrap(), 12);
}

#[test]
fn a_crashed_rebuilds_generation_is_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 8 << 20).unwrap();
        store.apply(&seed_log(), 12).unwrap();
        // A rebuild that got this far and no further.
        let fresh = store.fresh_view().unwrap();
        let items = seed_log()[..3]
            .iter()
            .map(|(p, e)| Item::Event {
                position: *p,
                envelope: e.clone(),
                subject: None,
            })
            .collect();
        fresh.apply_items(items, 3).unwrap();
    }
    assert_eq!(generations(&path), 2);
    let store = Store::open(&path, 8 << 20).unwrap();
    assert_eq!(store.position().unwrap(), 12, "the live generation is kept");
    drop(store);
    assert_eq!(generations(&path), 1);
}

#[test]
fn history_is_the_same_whether_events_came_in_one_batch_or_many() {
    let log = seed_log();
    let (_d1, one) = open();
    one.apply(&log, log.last().unwrap().0).unwrap();
    let (_d2, many) = open();
    for entry in &log {
        many.apply(std::slice::from_ref(entry), entry.0).unwrap();
    }
    assert_eq!(one.digest().unwrap(), many.digest().unwrap());
    let page = one.list(&Filter::default(), None, 100).unwrap();
    assert!(!page.commitments.is_empty());
    for c in &page.commitments {
        let history = one.history(&c.id).unwrap();
        assert_eq!(history, many.history(&c.id).unwrap(), "{}", c.id);
        assert_eq!(history.last().map(|(p, _)| *p), Some(c.version));
        assert!(history.windows(2).all(|w| w[0].0 < w[1].0), "in log order");
    }
}

#[test]
fn detached_entries_are_kept_but_hold_nothing_back_and_never_replay() {
    let (dir, store) = open();
    let forged = |position| Item::Unreadable {
        position,
        subject: "log.c1.made".into(),
        aggregate: Some("c1".into()),
        payload: b"forged".to_vec(),
        reason: "unauthenticated: no Accord-Mac header".into(),
        detached: true,
    };
    let out = store
        .apply_items(vec![forged(1), unreadable(2, "c1", "bad")], 2)
        .unwrap();
    assert_eq!((out.parked, out.position), (2, 2));
    assert!(out.newly_parked[0].detached);
    assert_eq!(
        out.newly_parked[1].reason, "bad",
        "nothing waits behind a detached entry"
    );
    let replay = store
        .replay_parked(&|bytes| {
            assert_ne!(bytes, b"forged", "detached entries are never replayed");
            Err("still bad".into())
        })
        .unwrap();
    assert_eq!((replay.applied, replay.still_parked), (0, 1));

    // Still holding nothing back after a reopen (the in-memory map is rebuilt).
    let path = dir.path().join("db");
    drop(store);
    let store = Store::open(&path, 8 << 20).unwrap();
    let out = store
        .apply_items(vec![forged(3), unreadable(4, "c9", "bad")], 4)
        .unwrap();
    assert_eq!(out.newly_parked[1].reason, "bad");
    let stored = store.parked().unwrap();
    assert_eq!(
        stored.iter().filter(|p| p.detached).count(),
        2,
        "{stored:?}"
    );
}

/// How many projection generations the store's sled database holds.
fn generations(path: &std::path::Path) -> usize {
    sled::open(path)
        .unwrap()
        .tree_names()
        .into_iter()
        .filter(|n| n.starts_with(b"projection-"))
        .count()
}

mod bulk;
mod cache;
mod rows;
mod skip;

/// The envelope metadata of a command's event at `position` (the command id
/// is the position).
fn meta_at(position: u64) -> EventMeta {
    EventMeta {
        id: accord_domain::EventId::derive("t", &position.to_string()),
        occurred_at: datetime!(2018-01-01 0:00 UTC),
        recorded_at: datetime!(2018-01-01 0:00 UTC),
        correlation_id: format!("cmd:{position}"),
    }
}

/// `count` evidence attachments on `c`, each by its own command id, from `first`.
fn attachments(c: &Commitment, first: u64, count: u64) -> Vec<(u64, Envelope)> {
    (0..count)
        .map(|n| {
            let events = accord_domain::commitment::decide(
                c,
                &accord_domain::commitment::Command::AttachEvidence {
                    evidence: accord_domain::Evidence {
                        evidence_id: format!("e{n}"),
                        kind: accord_domain::EvidenceKind::Progress,
                        source_url: None,
                        date: date!(2018 - 01 - 01),
                        source_type: "official_readout".into(),
                        snippet: "talks went on".into(),
                        document_id: None,
                        span: None,
                        link_confidence: None,
                        signals: None,
                    },
                    by: "a".into(),
                },
            )
            .unwrap();
            let meta = EventMeta {
                id: events[0].natural_id(),
                occurred_at: datetime!(2018-01-01 0:00 UTC),
                recorded_at: datetime!(2018-01-01 0:00 UTC),
                correlation_id: format!("cmd:attach-{n}"),
            };
            (first + n, Envelope::new(meta, events[0].clone()))
        })
        .collect()
}

#[test]
fn command_ids_live_in_their_own_rows_and_the_commitment_row_stays_small() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let c = first(&store, Filter::default());
    let row_size = |s: &Store| {
        s.view()
            .tree
            .get(layout::commitment(&c.id))
            .unwrap()
            .unwrap()
            .len()
    };
    let empty = row_size(&store);
    // One command per batch, then many in one batch: either way each id
    // keeps its own positions.
    let log = attachments(&c, 100, 150);
    for entry in &log[..50] {
        store.apply(std::slice::from_ref(entry), entry.0).unwrap();
    }
    store.apply(&log[50..], 249).unwrap();
    assert_eq!(store.command(&c.id, "attach-0").unwrap(), Some(vec![100]));
    assert_eq!(store.command(&c.id, "attach-149").unwrap(), Some(vec![249]));
    assert_eq!(store.command(&c.id, "attach-150").unwrap(), None);
    let stored = store.commitment(&c.id).unwrap().unwrap();
    assert!(stored.commands.is_empty(), "command ids are not in the row");
    assert_eq!(stored.evidence.len(), 150);
    // The row grows with the evidence (about 100 packed bytes each), not
    // with command ids: 150 of them would add 150 × (8 + id length) more.
    let grown = row_size(&store) - empty;
    assert!(grown < 150 * 120, "row grew {grown} bytes");
    // A rebuild from the same log gives the same rows, command rows included.
    let (_dir2, again) = open();
    again.apply(&seed_log(), 12).unwrap();
    again.apply(&log, 249).unwrap();
    assert_eq!(again.digest().unwrap(), store.digest().unwrap());
}
