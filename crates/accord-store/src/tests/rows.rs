//! Schema 7's rows: no status or deadline index (those filters read `c:`),
//! and the set of records a generation holds, which lets a fold onto a
//! commitment the tree never held skip the read.

use super::*;
use crate::layout;
use accord_domain::Event;

/// Every key in the generation, as text.
fn keys(store: &Store) -> Vec<String> {
    store
        .view()
        .tree
        .iter()
        .keys()
        .map(|k| String::from_utf8_lossy(&k.unwrap()).into_owned())
        .collect()
}

#[test]
fn status_and_deadline_filters_read_the_records_without_index_rows() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let keys = keys(&store);
    assert!(
        !keys
            .iter()
            .any(|k| k.starts_with("is:") || k.starts_with("id:")),
        "{keys:?}"
    );
    let all = store
        .list(&Filter::default(), None, 100)
        .unwrap()
        .commitments;
    let with = |status| Filter {
        status: Some(status),
        ..Default::default()
    };
    let open = store
        .list(&with(Status::NotYetAssessed), None, 100)
        .unwrap();
    assert_eq!(open.commitments, all);
    let none = store.list(&with(Status::Fulfilled), None, 100).unwrap();
    assert!(none.commitments.is_empty());

    let due: Vec<(CommitmentId, time::Date)> = all
        .iter()
        .filter_map(|c| Some((c.id.clone(), c.deadline.as_ref()?.due)))
        .collect();
    assert!(!due.is_empty() && due.len() < all.len(), "{due:?}");
    let check = |date: time::Date| {
        let mut expected: Vec<CommitmentId> = due
            .iter()
            .filter(|(_, d)| *d <= date)
            .map(|(id, _)| id.clone())
            .collect();
        expected.sort();
        assert_eq!(store.alert_candidates(date).unwrap(), expected, "{date}");
    };
    for (_, date) in &due {
        check(*date);
        check(date.previous_day().unwrap());
    }
    check(date!(1990 - 01 - 01));
    check(date!(2100 - 01 - 01));
}

#[test]
fn a_fresh_generation_knows_its_records_and_a_reopened_one_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let log = seed_log();
    let store = Store::open(&path, 8 << 20).unwrap();
    let records: Vec<Vec<u8>> = log
        .iter()
        .filter_map(|(_, e)| match &e.event {
            Event::CommitmentMade(m) => Some(layout::commitment(&m.commitment_id)),
            Event::DocumentIngested(d) => Some(layout::document(&d.document_id)),
            _ => None,
        })
        .collect();
    assert_eq!(records.len(), 6, "four commitments, two documents");
    let view = store.view();
    assert!(records.iter().all(|k| !view.known.may_hold(k)));
    store.apply(&log[..5], 5).unwrap();
    store.apply(&log[5..], 12).unwrap();
    assert!(records.iter().all(|k| view.known.may_hold(k)));
    assert!(!view.known.may_hold(b"c:never made"));
    drop((view, store));

    let store = Store::open(&path, 8 << 20).unwrap();
    assert!(
        store.view().known.may_hold(b"c:never made"),
        "a generation opened with records knows none absent"
    );
}

/// The seed log, then its creation events again at later positions (a
/// creation event for what exists already changes nothing).
fn seed_then_repeated() -> Vec<(u64, Envelope)> {
    let log = seed_log();
    let again = log
        .iter()
        .filter(|(_, e)| {
            matches!(
                e.event,
                Event::CommitmentMade(_) | Event::DocumentIngested(_)
            )
        })
        .map(|(p, e)| (p + 100, e.clone()));
    log.clone().into_iter().chain(again).collect()
}

#[test]
fn a_creation_event_for_a_record_held_already_is_folded_onto_it_in_every_path() {
    let log = seed_then_repeated();
    let last = log.last().unwrap().0;
    let (_d1, one) = open();
    one.apply(&log, last).unwrap();
    let digest = one.digest().unwrap();
    // Batch by batch on a fresh generation: the repeats meet records the
    // set knows of, so they are read.
    let (_d2, many) = open();
    for entry in &log {
        many.apply(std::slice::from_ref(entry), entry.0).unwrap();
    }
    assert_eq!(many.digest().unwrap(), digest);
    // Reopened in between: nothing is known absent, everything is read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let (first, rest) = log.split_at(log.len() / 2);
    Store::open(&path, 8 << 20)
        .unwrap()
        .apply(first, first.last().unwrap().0)
        .unwrap();
    let reopened = Store::open(&path, 8 << 20).unwrap();
    reopened.apply(rest, last).unwrap();
    assert_eq!(reopened.digest().unwrap(), digest);
    // A bulk load, the repeats in the same aggregates' folds.
    let (_d3, bulk) = open();
    let mut load = bulk.fresh_view().unwrap().bulk_load(1 << 20).unwrap();
    let items = log
        .iter()
        .map(|(position, envelope)| Item::Event {
            position: *position,
            envelope: envelope.clone(),
            subject: None,
        })
        .collect();
    load.push(items, last).unwrap();
    let (fresh, _) = load.finish().unwrap();
    assert!(bulk.swap_if_caught_up(&fresh).unwrap());
    assert_eq!(bulk.digest().unwrap(), digest);
    for c in one.list(&Filter::default(), None, 100).unwrap().commitments {
        assert!(c.version < 100, "{}: the repeats changed nothing", c.id);
    }
}
