//! A bulk-loaded generation (rebuilds) holds the rows the live path writes:
//! the same digest, parked queues, skips and history, whatever the batch
//! sizes and however often memory forces a run out.

use super::*;
use accord_domain::event::EntrySkipped;
use accord_domain::Event;

fn event(position: u64, event: Event) -> Item {
    Item::Event {
        position,
        envelope: Envelope::new(meta_at(position), event),
        subject: Some(format!("log.{position}")),
    }
}

fn confirm(c: &Commitment, position: u64) -> Item {
    let cmd = accord_domain::commitment::Command::Confirm {
        by: "a".into(),
        note: None,
    };
    event(
        position,
        accord_domain::commitment::decide(c, &cmd).unwrap()[0].clone(),
    )
}

fn skip(c: &Commitment, position: u64, skipped: u64) -> Item {
    let skip = EntrySkipped {
        commitment_id: c.id.clone(),
        position: skipped,
        reason: "junk".into(),
        by: "ops".into(),
    };
    event(position, Event::EntrySkipped(skip))
}

fn items(log: &[(u64, Envelope)]) -> Vec<Item> {
    log.iter()
        .map(|(p, e)| Item::Event {
            position: *p,
            envelope: e.clone(),
            subject: None,
        })
        .collect()
}

/// A log with command ids, a parked commitment released by a skip, one that
/// stays parked, a detached entry, and commitments whose events span batches.
fn log() -> Vec<Item> {
    let seed = seed_log();
    let (_dir, scratch) = open();
    scratch.apply(&seed, 12).unwrap();
    let page = scratch.list(&Filter::default(), None, 10).unwrap();
    let (a, b, c) = (
        &page.commitments[0],
        &page.commitments[1],
        &page.commitments[2],
    );
    let mut log = items(&seed);
    log.extend(items(&attachments(a, 20, 30)));
    log.extend([
        unreadable(50, a.id.as_str(), "schema version 9 is not supported"),
        confirm(b, 51),
        confirm(a, 52), // held behind 50
        skip(a, 53, 50),
        unreadable(54, c.id.as_str(), "bad"), // stays parked
        confirm(c, 55),
        Item::Unreadable {
            position: 56,
            subject: "log.forged".into(),
            aggregate: None,
            payload: b"forged".to_vec(),
            reason: "unauthenticated".into(),
            detached: true,
        },
    ]);
    log.extend(items(&attachments(b, 60, 25)));
    log.extend(items(&ingest(
        "later text",
        90,
        &[(Kind::Action, &["FRA", "DEU"], "build a bridge")],
    )));
    log
}

fn check(chunk: usize, budget: usize) {
    let log = log();
    let last = log.last().unwrap().position() + 3; // a tail of foreign entries
    let (_d1, live) = open();
    for batch in log.chunks(5) {
        live.apply_items(batch.to_vec(), batch.last().unwrap().position())
            .unwrap();
    }
    live.apply_items(vec![], last).unwrap();

    let (_d2, rebuilt) = open();
    let mut bulk = rebuilt.fresh_view().unwrap().bulk_load(budget).unwrap();
    for batch in log.chunks(chunk) {
        bulk.push(batch.to_vec(), batch.last().unwrap().position())
            .unwrap();
    }
    bulk.push(vec![], last).unwrap();
    let (view, stats) = bulk.finish().unwrap();
    let what = format!("chunk {chunk}, budget {budget}: {stats:?}");
    assert!(
        stats.live_batches > 0,
        "{what}: parked entries took the live path"
    );
    assert!(rebuilt.swap_if_caught_up(&view).unwrap(), "{what}");

    assert_eq!(rebuilt.digest().unwrap(), live.digest().unwrap(), "{what}");
    assert_eq!(rebuilt.position().unwrap(), last, "{what}");
    assert_eq!(
        rebuilt.applied_count().unwrap(),
        live.applied_count().unwrap(),
        "{what}"
    );
    assert_eq!(rebuilt.parked().unwrap(), live.parked().unwrap(), "{what}");
    assert_eq!(
        rebuilt.skipped(50).unwrap(),
        live.skipped(50).unwrap(),
        "{what}"
    );
    let all = live.list(&Filter::default(), None, 100).unwrap();
    assert_eq!(all.commitments.len(), 5, "{what}");
    for c in &all.commitments {
        assert_eq!(
            rebuilt.history(&c.id).unwrap(),
            live.history(&c.id).unwrap(),
            "{what}"
        );
    }
    // Index rows too (the digest covers records only).
    for filter in [
        Filter {
            party: Some(party("JPN")),
            ..Default::default()
        },
        Filter {
            status: Some(Status::NotYetAssessed),
            ..Default::default()
        },
        Filter {
            review_queue: true,
            ..Default::default()
        },
    ] {
        let ids = |s: &Store| -> Vec<CommitmentId> {
            let page = s.list(&filter, None, 100).unwrap();
            page.commitments.into_iter().map(|c| c.id).collect()
        };
        assert_eq!(ids(&rebuilt), ids(&live), "{what}: {filter:?}");
    }
    assert_eq!(
        rebuilt.alert_candidates(date!(2030 - 01 - 01)).unwrap(),
        live.alert_candidates(date!(2030 - 01 - 01)).unwrap(),
        "{what}"
    );
}

#[test]
fn a_bulk_loaded_generation_equals_the_live_projection() {
    check(1_000, usize::MAX); // one run
    check(7, 1); // a run after every batch
    check(3, 4_000); // runs now and then, commitments spanning them
    check(1, usize::MAX);
}

#[test]
fn a_bulk_load_resumes_nothing_twice_and_writes_its_checkpoint_last() {
    let seed = items(&seed_log());
    let (last, n) = (seed.last().unwrap().position(), seed.len() as u64);
    let (_dir, store) = open();
    let view = store.fresh_view().unwrap();
    let mut bulk = view.bulk_load(usize::MAX).unwrap();
    bulk.push(seed.clone(), last).unwrap();
    assert_eq!(view.position().unwrap(), 0, "folded, not written yet");
    let page = view.list(&Filter::default(), None, 10).unwrap();
    assert!(page.commitments.is_empty(), "no rows before the run");
    // The same entries again are skipped as consumed.
    assert_eq!(bulk.push(seed, last).unwrap(), last);
    let (view, stats) = bulk.finish().unwrap();
    assert_eq!(
        (view.position().unwrap(), view.applied_count().unwrap()),
        (last, n)
    );
    assert_eq!(stats.runs, 1);
}

/// Rows in the tree besides the counters (`m:`).
fn stored_rows(view: &View) -> u64 {
    view.tree
        .iter()
        .keys()
        .filter(|k| !k.as_ref().unwrap().starts_with(b"m:"))
        .count() as u64
}

#[test]
fn a_bulk_load_writes_each_row_once_whatever_its_sort_spilled() {
    let seed = seed_log();
    let (_dir, scratch) = open();
    scratch.apply(&seed, 12).unwrap();
    let c = scratch
        .list(&Filter::default(), None, 1)
        .unwrap()
        .commitments[0]
        .clone();
    let mut log = items(&seed);
    log.extend(items(&attachments(&c, 20, 30)));
    let last = log.last().unwrap().position();
    let (_d1, live) = open();
    live.apply_items(log.clone(), last).unwrap();
    for (budget, spilled) in [(usize::MAX, false), (4_000, true), (1, true)] {
        let (_d2, store) = open();
        let files = || -> Vec<_> {
            let entries = std::fs::read_dir(store.dir()).unwrap();
            let mut names: Vec<_> = entries.map(|e| e.unwrap().file_name()).collect();
            names.sort();
            names
        };
        let before = files();
        let fresh = store.fresh_view().unwrap();
        let mut bulk = fresh.bulk_load(budget).unwrap().spill_in(store.dir());
        for batch in log.chunks(4) {
            bulk.push(batch.to_vec(), batch.last().unwrap().position())
                .unwrap();
        }
        let (view, stats) = bulk.finish().unwrap();
        let what = format!("budget {budget}: {stats:?}");
        assert_eq!(files(), before, "{what}: the sorts' runs leave no file");
        assert_eq!(stats.runs > 1, spilled, "{what}");
        assert_eq!(stats.rows, stored_rows(&view), "{what}: every row once");
        assert!(store.swap_if_caught_up(&view).unwrap(), "{what}");
        assert_eq!(store.digest().unwrap(), live.digest().unwrap(), "{what}");
        assert_eq!(
            store.history(&c.id).unwrap(),
            live.history(&c.id).unwrap(),
            "{what}"
        );
    }
}

#[test]
fn a_bulk_load_cut_short_leaves_a_generation_open_drops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 8 << 20).unwrap();
        store.apply(&seed_log(), 12).unwrap();
        let mut bulk = store.fresh_view().unwrap().bulk_load(1).unwrap();
        bulk.push(items(&seed_log()), 12).unwrap();
        // A live-path batch writes out what was sorted; then the rebuild stops.
        bulk.push(vec![unreadable(13, "elsewhere", "bad")], 13)
            .unwrap();
    }
    assert_eq!(generations(&path), 2);
    let store = Store::open(&path, 8 << 20).unwrap();
    assert_eq!(store.position().unwrap(), 12, "the live generation is kept");
    assert_eq!(store.parked().unwrap(), vec![], "nothing of the cut load");
    drop(store);
    assert_eq!(generations(&path), 1);
}

/// History rows keyed by log position (live) and by commitment (bulk) make
/// one chain: a rebuilt store that goes on applying live batches reads
/// every commitment's history, its states as of a time and its open
/// alerts' events exactly as the store that applied the whole log live.
#[test]
fn history_chains_from_a_bulk_load_into_later_live_batches() {
    let seed = items(&seed_log());
    let (_d1, live) = open();
    for batch in seed.chunks(3) {
        live.apply_items(batch.to_vec(), batch.last().unwrap().position())
            .unwrap();
    }
    let (_d2, rebuilt) = open();
    let mut bulk = rebuilt.fresh_view().unwrap().bulk_load(usize::MAX).unwrap();
    for batch in seed.chunks(4) {
        bulk.push(batch.to_vec(), batch.last().unwrap().position())
            .unwrap();
    }
    let (view, _) = bulk.finish().unwrap();
    assert!(rebuilt.swap_if_caught_up(&view).unwrap());

    let all = live
        .list(&Filter::default(), None, 100)
        .unwrap()
        .commitments;
    let due = all.iter().find(|c| c.deadline.is_some()).unwrap();
    let policy = accord_domain::alerts::AlertPolicy::default();
    let alerts = accord_domain::alerts::decide(due, date!(2100 - 01 - 01), &policy);
    assert!(!alerts.is_empty(), "an overdue alert is raised");
    let mut tail: Vec<Item> = alerts
        .into_iter()
        .enumerate()
        .map(|(i, e)| event(20 + i as u64, e))
        .collect();
    tail.extend(items(&attachments(&all[0], 30, 5)));
    tail.push(confirm(&all[1], 40));
    for batch in tail.chunks(2) {
        for store in [&live, &rebuilt] {
            store
                .apply_items(batch.to_vec(), batch.last().unwrap().position())
                .unwrap();
        }
    }

    assert_eq!(rebuilt.digest().unwrap(), live.digest().unwrap());
    let keys = |s: &Store, prefix: &[u8]| s.view().tree.scan_prefix(prefix).count();
    assert_eq!(keys(&live, b"hb:"), 0, "the live path keys by position");
    assert!(keys(&rebuilt, b"hb:") > 0 && keys(&rebuilt, b"h:") > 0);
    let mut chained = 0;
    for c in live
        .list(&Filter::default(), None, 100)
        .unwrap()
        .commitments
    {
        let history = live.history(&c.id).unwrap();
        assert_eq!(rebuilt.history(&c.id).unwrap(), history, "{}", c.id);
        assert_eq!(history.last().map(|(p, _)| *p), Some(c.version));
        assert!(history.windows(2).all(|w| w[0].0 < w[1].0), "in log order");
        // Rebuilt rows first, then the tail's live rows after them.
        chained += usize::from(history.iter().any(|(p, _)| *p >= 20));
        // Before the tail (seed events only), then everything.
        for at in [
            AsOf::Occurred(datetime!(2017-12-01 0:00 UTC)),
            AsOf::Occurred(datetime!(2019-01-01 0:00 UTC)),
            AsOf::Recorded(datetime!(2027-01-01 0:00 UTC)),
        ] {
            let then = live.commitment_as_of(&c.id, at).unwrap();
            assert!(then.is_some());
            assert_eq!(rebuilt.commitment_as_of(&c.id, at).unwrap(), then);
        }
    }
    assert!(chained >= 2, "histories from both kinds of rows were read");
    let open = live.open_alerts().unwrap();
    assert!(
        !open.is_empty(),
        "the alert's event is found by its position"
    );
    assert_eq!(rebuilt.open_alerts().unwrap(), open);
}
