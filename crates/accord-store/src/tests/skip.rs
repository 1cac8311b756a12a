//! Skipping a parked entry (`EntrySkipped`): what it releases, and that a
//! rebuild (the same entries in one batch) gets the same.

use super::*;
use accord_domain::event::EntrySkipped;
use accord_domain::Event;

fn event(position: u64, event: Event) -> Item {
    Item::Event {
        position,
        envelope: Envelope::new(meta_at(position), event),
        subject: None,
    }
}

fn confirm(c: &Commitment, position: u64) -> Item {
    let cmd = accord_domain::commitment::Command::Confirm {
        by: "a".into(),
        note: None,
    };
    let events = accord_domain::commitment::decide(c, &cmd).unwrap();
    event(position, events[0].clone())
}

fn skip(c: &Commitment, position: u64, skipped: u64) -> Item {
    event(
        position,
        Event::EntrySkipped(EntrySkipped {
            commitment_id: c.id.clone(),
            position: skipped,
            reason: "junk".into(),
            by: "ops".into(),
        }),
    )
}

/// A store holding the seed log and the IPCP commitment.
fn seeded() -> (tempfile::TempDir, Store, Commitment) {
    let (dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let ipcp = first(
        &store,
        Filter {
            text_contains: Some("ipcp".into()),
            ..Default::default()
        },
    );
    (dir, store, ipcp)
}

fn positions(store: &Store) -> Vec<(u64, String)> {
    let parked = store.parked().unwrap();
    parked.into_iter().map(|p| (p.position, p.reason)).collect()
}

#[test]
fn a_skip_releases_what_waited_behind_the_skipped_head() {
    let (_dir, store, ipcp) = seeded();
    let log = vec![
        unreadable(20, ipcp.id.as_str(), "bad"),
        confirm(&ipcp, 21),
        skip(&ipcp, 22, 20),
    ];
    store.apply_items(log[..2].to_vec(), 21).unwrap();
    assert_eq!(positions(&store).len(), 2);
    let out = store.apply_items(log[2..].to_vec(), 22).unwrap();
    assert_eq!((out.applied, out.parked, out.position), (2, 0, 22));
    assert!(store.parked().unwrap().is_empty());
    let record = store.skipped(20).unwrap().unwrap();
    assert_eq!(
        (record.aggregate.as_str(), record.by_position),
        (ipcp.id.as_str(), 22)
    );
    assert_eq!(store.skipped(21).unwrap(), None, "released, not skipped");
    let after = store.commitment(&ipcp.id).unwrap().unwrap();
    assert_eq!(after.review, accord_domain::commitment::Review::Confirmed);
    assert_eq!(after.version, 22);
    assert_eq!(
        (
            after.skipped.len(),
            after.skipped[0].position,
            after.skipped[0].skipped_at_position
        ),
        (1, 20, 22)
    );
    let history = store.history(&ipcp.id).unwrap();
    let last = &history.last().unwrap().1;
    assert!(
        matches!(&last.event, Event::EntrySkipped(s) if s.position == 20),
        "{last:?}"
    );
    // The parked map is updated: the next event flows.
    let out = store.apply_items(vec![skip(&ipcp, 23, 20)], 23).unwrap();
    assert_eq!(
        (out.applied, out.parked),
        (1, 0),
        "a repeated skip is only history"
    );
    assert_eq!(
        store.skipped(20).unwrap().unwrap().by_position,
        22,
        "the first skip's"
    );
    let again = store.commitment(&ipcp.id).unwrap().unwrap();
    assert_eq!((again.version, again.skipped.len()), (23, 1));

    // A rebuild, reading everything in one batch, gets the same.
    let (_d2, rebuilt, _) = seeded();
    let mut all = log;
    all.push(skip(&ipcp, 23, 20));
    rebuilt.apply_items(all, 23).unwrap();
    assert_eq!(rebuilt.digest().unwrap(), store.digest().unwrap());
}

#[test]
fn release_stops_at_the_next_unreadable_entry_and_the_skip_waits_there() {
    let (_dir, store, ipcp) = seeded();
    let log = vec![
        unreadable(20, ipcp.id.as_str(), "bad"),
        confirm(&ipcp, 21),
        unreadable(22, ipcp.id.as_str(), "worse"),
        event(
            23,
            Event::DeadlineWaived(accord_domain::event::DeadlineWaived {
                commitment_id: ipcp.id.clone(),
                from: None,
                reason: "open-ended".into(),
                by: "a".into(),
            }),
        ),
        skip(&ipcp, 24, 20),
    ];
    let out = store.apply_items(log.clone(), 24).unwrap();
    assert_eq!((out.applied, out.position), (1, 24));
    assert_eq!(
        positions(&store),
        vec![
            (22, "worse".to_owned()),
            (23, "waits behind parked position 22".to_owned()),
            (24, "waits behind parked position 22".to_owned()),
        ]
    );
    let held = store.commitment(&ipcp.id).unwrap().unwrap();
    assert_eq!(held.version, 21, "applied up to the new head");

    let out = store.apply_items(vec![skip(&ipcp, 25, 22)], 25).unwrap();
    assert_eq!((out.applied, out.parked), (3, 0));
    assert!(store.parked().unwrap().is_empty());
    let after = store.commitment(&ipcp.id).unwrap().unwrap();
    assert_eq!((after.version, after.deadline.is_none()), (25, true));
    let skips: Vec<u64> = store
        .history(&ipcp.id)
        .unwrap()
        .iter()
        .filter_map(|(_, e)| match &e.event {
            Event::EntrySkipped(s) => Some(s.position),
            _ => None,
        })
        .collect();
    assert_eq!(skips, vec![20, 22]);

    // One entry at a time gives the same as one batch.
    let (_d2, one_by_one, _) = seeded();
    for item in log.into_iter().chain([skip(&ipcp, 25, 22)]) {
        let p = item.position();
        one_by_one.apply_items(vec![item], p).unwrap();
    }
    assert_eq!(one_by_one.digest().unwrap(), store.digest().unwrap());
}
