//! The decoded-commitment cache: a read that starts after a write returned
//! sees that write, with readers racing the writer to refill the cache.

use super::*;

/// `count` confirmations-or-attachments of `c`, one per position from `first`.
fn changes(c: &Commitment, first: u64, count: u64) -> Vec<(u64, Envelope)> {
    attachments(c, first, count)
}

#[test]
fn a_read_after_a_write_never_sees_the_old_row() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let c = first(&store, Filter::default());
    let party = c.committers[0].clone();
    let log = changes(&c, 100, 200);
    let store = std::sync::Arc::new(store);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Readers keep refilling the cache with whatever they read.
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (store, stop, id) = (store.clone(), stop.clone(), c.id.clone());
            std::thread::spawn(move || {
                let mut reads = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    store.commitment(&id).unwrap().unwrap();
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for entry in &log {
        store.apply(std::slice::from_ref(entry), entry.0).unwrap();
        let read = store.commitment(&c.id).unwrap().unwrap();
        assert_eq!(
            read.version, entry.0,
            "point read after the write at {}",
            entry.0
        );
        let filter = Filter {
            party: Some(party.clone()),
            ..Default::default()
        };
        let listed = store.list(&filter, None, 100).unwrap();
        let listed = listed.commitments.iter().find(|x| x.id == c.id).unwrap();
        assert_eq!(
            listed.version, entry.0,
            "listing after the write at {}",
            entry.0
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(reads > 0);
    assert!(store.view().cache.len() > 0, "reads fill the cache");
}

#[test]
fn a_bulk_run_and_a_swap_leave_no_stale_commitment_behind() {
    let (_dir, store) = open();
    store.apply(&seed_log(), 12).unwrap();
    let c = first(&store, Filter::default());
    let view = store.fresh_view().unwrap();
    let items = |log: Vec<(u64, Envelope)>| -> Vec<Item> {
        log.into_iter()
            .map(|(position, envelope)| Item::Event {
                position,
                envelope,
                subject: None,
            })
            .collect()
    };
    let mut bulk = view.bulk_load(1).unwrap(); // a run per event
    bulk.push(items(seed_log()), 12).unwrap();
    // An unreadable entry takes the live path: what is sorted is written first.
    bulk.push(vec![unreadable(13, "elsewhere", "bad")], 13)
        .unwrap();
    // This read fills the cache; the next write-out rewrites the row.
    assert_eq!(view.commitment(&c.id).unwrap().unwrap().version, c.version);
    bulk.push(items(changes(&c, 20, 3)), 22).unwrap();
    let (view, _) = bulk.finish().unwrap();
    assert_eq!(view.commitment(&c.id).unwrap().unwrap().version, 22);
    store.apply(&changes(&c, 20, 3), 22).unwrap();
    assert_eq!(store.commitment(&c.id).unwrap().unwrap().version, 22);
    assert!(store.swap_if_caught_up(&view).unwrap());
    assert_eq!(store.commitment(&c.id).unwrap().unwrap().version, 22);
    assert_eq!(store.digest().unwrap(), {
        let (_d, live) = open();
        live.apply(&seed_log(), 12).unwrap();
        live.apply(&changes(&c, 20, 3), 22).unwrap();
        live.digest().unwrap()
    });
}
