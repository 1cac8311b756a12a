//! The write and read paths of the event log: publish, project (the rebuild
//! phase is in `rebuild.rs`).

use crate::report::{bar, per_s, rate, ratio, thousands, Figure, Row};
use crate::synth;
use accord_bus::{Bus, BusConfig, Expect, Outgoing};
use accord_domain::Envelope;
use accord_projector::Projector;
use accord_store::Store;
use anyhow::Context;
use async_nats::jetstream::{self, stream};
use futures::{StreamExt, TryStreamExt};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Appends in flight at once, like many ingest clients. Not 64: nats-server
/// refuses more than 50 atomic batches in flight per stream (error 10210),
/// and `Bus::append` does not queue or retry them.
const IN_FLIGHT: usize = 48;
/// The sled cache Accord runs with by default (`ACCORD_CACHE_MB=64`).
pub const CACHE_BYTES: u64 = 64 << 20;
/// Salt of the pre-filled log, shared by the project, rebuild and query phases.
pub const LOG_SALT: &str = "log";

pub async fn connect(url: &str) -> anyhow::Result<Bus> {
    Ok(Bus::connect(BusConfig::new(url)).await?)
}

/// Publishes `messages` on the stream's subjects under `prefix` and waits for
/// every ack: the raw cost of getting those bytes into JetStream.
async fn publish_raw(
    js: &jetstream::Context,
    prefix: &str,
    messages: &[(String, bytes::Bytes)],
) -> anyhow::Result<()> {
    let mut acks = Vec::with_capacity(messages.len());
    for (subject, payload) in messages {
        acks.push(
            js.publish(format!("{prefix}{subject}"), payload.clone())
                .await?,
        );
    }
    for ack in acks {
        ack.await?;
    }
    Ok(())
}

/// publish: `Bus::append` (atomic batch, `Expect::NewDocument`) against raw
/// `js.publish` of the same messages, with the same number in flight.
/// Appends every readout through `Bus::append`, `IN_FLIGHT` at a time, with a
/// progress bar; the time it took.
pub async fn append_all(
    bus: &Bus,
    batches: &[Vec<Outgoing>],
    label: &str,
) -> anyhow::Result<Duration> {
    let progress = bar(batches.len() as u64, label);
    let started = Instant::now();
    futures::stream::iter(batches.iter())
        .map(|b| bus.append(b, Expect::NewDocument))
        .buffer_unordered(IN_FLIGHT)
        .inspect_ok(|_| progress.inc(1))
        .try_collect::<Vec<_>>()
        .await?;
    let elapsed = started.elapsed();
    progress.finish_and_clear();
    Ok(elapsed)
}

pub async fn publish(url: &str, readouts: u64) -> anyhow::Result<Vec<Row>> {
    let bus = connect(url).await?;
    let js = jetstream::new(bus.client().clone());
    js.create_stream(stream::Config {
        name: "BENCHRAW".into(),
        subjects: vec!["benchraw.>".into()],
        storage: stream::StorageType::File,
        ..Default::default()
    })
    .await
    .context("create the raw baseline stream")?;

    let batches: Vec<Vec<Outgoing>> = (0..readouts)
        .map(|i| synth::readout("publish", i))
        .collect();
    let events: u64 = batches.iter().map(|b| b.len() as u64).sum();
    let commitments: u64 = (0..readouts).map(|i| synth::commitments_in(i) as u64).sum();
    let wire: Vec<Vec<(String, bytes::Bytes)>> =
        batches.iter().map(|b| synth::messages(b)).collect();
    let messages: u64 = wire.iter().map(|m| m.len() as u64).sum();
    let bytes: u64 = wire
        .iter()
        .flatten()
        .map(|(_, p)| p.len() as u64)
        .sum::<u64>();

    let progress = bar(readouts, "publish: raw js.publish");
    let started = Instant::now();
    futures::stream::iter(wire.iter())
        .map(|m| publish_raw(&js, "benchraw.", m))
        .buffer_unordered(IN_FLIGHT)
        .inspect_ok(|_| progress.inc(1))
        .try_collect::<Vec<_>>()
        .await?;
    let raw = started.elapsed();
    progress.finish_and_clear();

    let appended = append_all(&bus, &batches, "publish: Bus::append").await?;

    // One at a time: the latency a single ingest client sees.
    let single: Vec<Vec<Outgoing>> = (0..200)
        .map(|i| synth::readout("publish-single", i))
        .collect();
    let mut micros = Vec::new();
    for b in &single {
        let t = Instant::now();
        bus.append(b, Expect::NewDocument).await?;
        micros.push(t.elapsed().as_micros() as u64);
    }
    let single = crate::report::Latencies::new(micros);
    let mut micros = Vec::new();
    for m in wire.iter().take(200) {
        let t = Instant::now();
        publish_raw(&js, "benchraw.single.", m).await?;
        micros.push(t.elapsed().as_micros() as u64);
    }
    let single_raw = crate::report::Latencies::new(micros);

    // A prototype of group commit: several readouts per atomic batch.
    let groups: Vec<Vec<Vec<Outgoing>>> = (0..readouts)
        .map(|i| synth::readout("publish-group", i))
        .collect::<Vec<_>>()
        .chunks(GROUP)
        .map(<[_]>::to_vec)
        .collect();
    let progress = bar(readouts, "publish: group commit");
    let started = Instant::now();
    futures::stream::iter(groups.iter())
        .map(|g| append_group(&js, g))
        .buffer_unordered(IN_FLIGHT / 4)
        .inspect_ok(|n| progress.inc(*n))
        .try_collect::<Vec<_>>()
        .await?;
    let grouped = started.elapsed();
    progress.finish_and_clear();

    // What IngestReadout uses: accord-api's Appender groups concurrent ingests.
    let appender = accord_api::appender::Appender::start(bus.clone());
    let progress = bar(readouts, "publish: Appender");
    let started = Instant::now();
    futures::stream::iter((0..readouts).map(|i| synth::readout("publish-appender", i)))
        .map(|b| appender.append(b))
        .buffer_unordered(IN_FLIGHT)
        .inspect_ok(|_| progress.inc(1))
        .try_collect::<Vec<_>>()
        .await?;
    let via_appender = started.elapsed();
    progress.finish_and_clear();

    let rows = vec![
        Row::new(
            "publish",
            format!(
                "Bus::append, NewDocument, {IN_FLIGHT} in flight ({readouts} readouts, {events} events, {messages} msgs, {:.1} MB)",
                bytes as f64 / 1e6
            ),
            format!(
                "{} readouts, {} events, {} msgs",
                per_s(rate(readouts, appended)),
                per_s(rate(events, appended)),
                per_s(rate(messages, appended))
            ),
        )
        .against(
            format!(
                "raw js.publish, same msgs, {IN_FLIGHT} readouts in flight: {} msgs ({} readouts)",
                per_s(rate(messages, raw)),
                per_s(rate(readouts, raw))
            ),
            ratio(rate(messages, appended), rate(messages, raw)),
        ),
        Row::new(
            "publish",
            format!(
                "  group commit prototype, {GROUP} readouts per atomic batch (each DocumentIngested keeps its own guard), {} batches in flight",
                IN_FLIGHT / 4
            ),
            format!(
                "{} readouts, {} events",
                per_s(rate(readouts, grouped)),
                per_s(rate(events, grouped))
            ),
        )
        .against(
            format!("raw js.publish: {} msgs", per_s(rate(messages, raw))),
            ratio(rate(messages, grouped), rate(messages, raw)),
        ),
        Row::new(
            "publish",
            format!("  accord-api Appender (IngestReadout's group commit), {IN_FLIGHT} in flight"),
            format!(
                "{} readouts, {} events ({} commitments made)",
                per_s(rate(readouts, via_appender)),
                per_s(rate(events, via_appender)),
                per_s(rate(commitments, via_appender))
            ),
        )
        .figure(Figure::CommitmentsMade, rate(commitments, via_appender))
        .figure(Figure::AppenderEvents, rate(events, via_appender))
        .figure(Figure::AppenderReadouts, rate(readouts, via_appender))
        .against(
            format!("raw js.publish: {} msgs", per_s(rate(messages, raw))),
            ratio(rate(messages, via_appender), rate(messages, raw)),
        ),
        Row::new(
            "publish",
            "  detail: one Bus::append at a time (200 readouts)",
            single.summary(),
        )
        .against(
            format!("raw js.publish of one readout's msgs: {}", single_raw.summary()),
            format!("{:.0}x", single.ms(0.5) / single_raw.ms(0.5).max(1e-6)),
        ),
    ];
    Ok(rows)
}

/// Readouts per atomic batch in the group-commit experiment (~29 msgs each,
/// so well under the 1,000-message limit).
const GROUP: usize = 16;

/// Several readouts in ONE atomic batch, laid out as `Bus::append` lays out
/// each, with each readout's `DocumentIngested` guarded by
/// `Nats-Expected-Last-Subject-Sequence: 0` as today. Returns the readouts appended.
async fn append_group(js: &jetstream::Context, group: &[Vec<Outgoing>]) -> anyhow::Result<u64> {
    use async_nats::jetstream::message::PublishMessage;
    use jetstream_extra::batch_publish::BatchPublishExt;
    let mut messages = Vec::new();
    for readout in group {
        let last = readout.len() - 1;
        for (i, out) in readout.iter().enumerate() {
            let payload = bytes::Bytes::from(out.envelope.to_json());
            let mut msg = PublishMessage::build().payload(payload.clone());
            if i == last {
                msg = msg.expected_last_subject_sequence(0);
            }
            messages.push(msg.outbound_message(accord_bus::subjects::canonical(&out.envelope)));
            for feed in accord_bus::subjects::party_feed(&out.envelope, &out.parties) {
                messages.push(
                    PublishMessage::build()
                        .payload(payload.clone())
                        .outbound_message(feed),
                );
            }
        }
    }
    let mut batch = js
        .batch_publish()
        .ack_first(false)
        .timeout(Duration::from_secs(10))
        .build();
    let last = messages.pop().context("an empty group")?;
    for msg in messages {
        batch.add_message(msg).await?;
    }
    batch.commit_message(last).await?;
    Ok(group.len() as u64)
}

/// What a filled log holds.
pub struct Filled {
    pub readouts: u64,
    /// Canonical events (what the projector applies).
    pub events: u64,
    pub messages: u64,
    pub last_position: u64,
    pub elapsed: Duration,
}

/// Fills the ACCORD stream with at least `events` canonical events exactly as
/// `Bus::append` lays them out (with party-feed copies), but pipelined raw
/// publishes: the log is the input here, not what is measured.
pub async fn fill(bus: &Bus, events: u64) -> anyhow::Result<Filled> {
    let js = jetstream::new(bus.client().clone());
    let progress = bar(events, "fill log");
    let started = Instant::now();
    let mut acks = VecDeque::new();
    let (mut readouts, mut written, mut messages) = (0u64, 0u64, 0u64);
    while written < events {
        let batch = synth::readout(LOG_SALT, readouts);
        written += batch.len() as u64;
        progress.inc(batch.len() as u64);
        for (subject, payload) in synth::messages(&batch) {
            acks.push_back(js.publish(subject, payload).await?);
            messages += 1;
            // Below async-nats' 5,000 pending-ack permits, or publish waits forever.
            if acks.len() >= 4096 {
                acks.pop_front().expect("non-empty").await?;
            }
        }
        readouts += 1;
    }
    for ack in acks {
        ack.await?;
    }
    progress.finish_and_clear();
    Ok(Filled {
        readouts,
        events: written,
        messages,
        last_position: bus.last_position().await?,
        elapsed: started.elapsed(),
    })
}

/// Reads `events` canonical events from the start with a bare ordered
/// consumer (`Bus::replay`), optionally decoding each: the limit.
/// Returns the time taken and the log position of the last event read.
/// `server_filter`: the consumer filters on the canonical subjects (how
/// `Bus::replay` read before it dropped the party-feed copies itself).
async fn consume(
    bus: &Bus,
    events: u64,
    decode: bool,
    server_filter: bool,
) -> anyhow::Result<(Duration, u64)> {
    let what = match (decode, server_filter) {
        (true, _) => "project: consume + decode",
        (false, true) => "project: bare consume, filtered by the server",
        (false, false) => "project: bare consume",
    };
    let progress = bar(events, what);
    let started = Instant::now();
    let mut log: std::pin::Pin<Box<dyn futures::Stream<Item = _> + Send>> = if server_filter {
        Box::pin(bus.replay_filtered_by_server(1).await?)
    } else {
        Box::pin(bus.replay(1).await?)
    };
    let (mut n, mut last) = (0, 0);
    while n < events {
        let entry = log.next().await.context("the log ended early")??;
        last = entry.position;
        if decode {
            Envelope::from_json(&entry.payload)?;
        }
        n += 1;
        if n.is_multiple_of(4096) {
            progress.set_position(n);
        }
    }
    progress.finish_and_clear();
    Ok((started.elapsed(), last))
}

/// Runs the real projector on a fresh store until it has applied `last`.
pub async fn project_into(
    bus: &Bus,
    dir: &Path,
    last: u64,
    cache_bytes: u64,
    label: &str,
) -> anyhow::Result<(Duration, Arc<Store>)> {
    let store = Arc::new(Store::open(&dir.join("projection"), cache_bytes)?);
    let projector = Projector::new(bus.clone(), store.clone())?;
    let mut position = projector.subscribe();
    let progress = bar(last, label);
    let started = Instant::now();
    let task = tokio::spawn(projector.run());
    loop {
        let p = *position.borrow_and_update();
        progress.set_position(p);
        if p >= last {
            break;
        }
        if task.is_finished() {
            anyhow::bail!("the projector stopped: {:?}", task.await?);
        }
        let _ = tokio::time::timeout(Duration::from_millis(200), position.changed()).await;
    }
    let elapsed = started.elapsed();
    task.abort();
    let _ = task.await;
    progress.finish_and_clear();
    Ok((elapsed, store))
}

/// project: the projector's apply rate next to the bare consume rate, plus
/// the two costs in between (decode; `Store::apply` alone) to show where time goes.
/// Measured on the first `events` events of the log (the rebuild phase does all).
pub async fn project(bus: &Bus, filled: &Filled, events: u64) -> anyhow::Result<Vec<Row>> {
    let n = events.min(filled.events);
    let (elapsed, through) = consume(bus, n, false, false).await?;
    let raw = rate(n, elapsed);
    let server_filtered = rate(n, consume(bus, n, false, true).await?.0);
    let decoded = rate(n, consume(bus, n, true, false).await?.0);

    let dir = tempfile::tempdir()?;
    let (elapsed, store) =
        project_into(bus, dir.path(), through, CACHE_BYTES, "project: projector").await?;
    let applied = store.applied_count()?;
    // The projector may read a little past `through` before it is stopped.
    anyhow::ensure!(applied >= n, "projector applied {applied} of {n} events");
    let projected = rate(n, elapsed);
    drop(store);

    let (apply_only, ceiling) = apply_only(bus, n.min(100_000)).await?;

    let met = projected >= 100_000.0 && projected >= 0.5 * raw;
    Ok(vec![
        Row::new(
            "project",
            format!(
                "Projector -> sled, fresh store, first {} of {} events ({} msgs in stream)",
                thousands(n),
                thousands(filled.events),
                thousands(filled.messages)
            ),
            format!("{} events", per_s(projected)),
        )
        .against(
            format!("bare ordered consumer (Bus::replay): {}", per_s(raw)),
            ratio(projected, raw),
        )
        .target(">= 100,000/s and >= 50% of raw", met)
        .figure(Figure::ProjectorEvents, projected),
        Row::new(
            "project",
            "  detail: bare ordered consumer filtering on the server (the old Bus::replay)",
            format!("{} events", per_s(server_filtered)),
        )
        .against("bare ordered consumer", ratio(server_filtered, raw)),
        Row::new(
            "project",
            "  detail: consume + Envelope::from_json",
            format!("{} events", per_s(decoded)),
        )
        .against("bare ordered consumer", ratio(decoded, raw)),
        Row::new(
            "project",
            format!(
                "  detail: Store::apply only, pre-decoded, batches of 1000 ({} events)",
                thousands(n.min(100_000))
            ),
            format!("{} events", per_s(apply_only)),
        )
        .against("bare ordered consumer", ratio(apply_only, raw)),
        Row::new(
            "project",
            format!(
                "  detail: sled alone, same rows ({:.1} rows, {:.0} B per event), random order",
                ceiling.rows_per_event, ceiling.bytes_per_event
            ),
            format!(
                "{} rows = {} events (key order: {} events)",
                per_s(ceiling.rows_per_s),
                per_s(ceiling.events_per_s()),
                per_s(ceiling.sorted_rows_per_s / ceiling.rows_per_event)
            ),
        )
        .against(
            "Store::apply only, as a share of this",
            ratio(apply_only, ceiling.events_per_s()),
        ),
    ])
}

/// `Store::apply` with decoding and NATS out of the way: the store's own
/// speed; then sled's own speed writing the same rows (see [`SledCeiling`]).
async fn apply_only(bus: &Bus, events: u64) -> anyhow::Result<(f64, SledCeiling)> {
    let mut log = Box::pin(bus.replay(1).await?);
    let mut entries = Vec::with_capacity(events as usize);
    while (entries.len() as u64) < events {
        let e = log.next().await.context("the log ended early")??;
        entries.push((e.position, Envelope::from_json(&e.payload)?));
    }
    drop(log);
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("projection"), CACHE_BYTES)?;
    let progress = bar(events, "project: Store::apply only");
    let started = tokio::task::block_in_place(|| -> anyhow::Result<Duration> {
        let started = Instant::now();
        for chunk in entries.chunks(1000) {
            let through = chunk.last().expect("non-empty chunk").0;
            store.apply(chunk, through)?;
            progress.inc(chunk.len() as u64);
        }
        Ok(started.elapsed())
    })?;
    progress.finish_and_clear();
    drop(store);
    let ceiling = tokio::task::block_in_place(|| sled_ceiling(dir.path(), events))?;
    Ok((rate(events, started), ceiling))
}

/// What the projection costs in sled rows, and how fast sled alone writes them.
pub struct SledCeiling {
    pub rows_per_event: f64,
    pub bytes_per_event: f64,
    /// Rows per second sled takes in random key order, batched and flushed
    /// like `Store::apply` does.
    pub rows_per_s: f64,
    /// The same in key order.
    pub sorted_rows_per_s: f64,
}

impl SledCeiling {
    /// The apply rate sled itself would allow with this row layout.
    pub fn events_per_s(&self) -> f64 {
        self.rows_per_s / self.rows_per_event
    }
}

/// Reads every row the store wrote for `events` events, then writes them
/// again into a fresh sled tree in random order, in as many batches as the
/// projector used, flushing each: sled's ceiling for this layout.
fn sled_ceiling(store_dir: &Path, events: u64) -> anyhow::Result<SledCeiling> {
    let db = sled::Config::new()
        .path(store_dir.join("projection"))
        .cache_capacity(CACHE_BYTES)
        .open()?;
    let current = db
        .open_tree("accord_meta")?
        .get("current")?
        .context("the store names its current tree")?;
    let mut rows: Vec<(sled::IVec, sled::IVec)> =
        db.open_tree(current)?.iter().collect::<Result<_, _>>()?;
    drop(db);
    let bytes: usize = rows.iter().map(|(k, v)| k.len() + v.len()).sum();
    // Key order first (what a sorted bulk load would get), then random order
    // (what the projector does: ids are hashes).
    let sorted = write_rows(&rows, events)?;
    let mut rng = synth::Rng::new(42);
    for i in (1..rows.len()).rev() {
        rows.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let random = write_rows(&rows, events)?;
    Ok(SledCeiling {
        rows_per_event: rows.len() as f64 / events as f64,
        bytes_per_event: bytes as f64 / events as f64,
        rows_per_s: random,
        sorted_rows_per_s: sorted,
    })
}

/// Rows per second into a fresh sled tree, in as many flushed batches as
/// the projector would use for `events` events.
fn write_rows(rows: &[(sled::IVec, sled::IVec)], events: u64) -> anyhow::Result<f64> {
    let fresh = tempfile::tempdir()?;
    let db = sled::Config::new()
        .path(fresh.path())
        .cache_capacity(CACHE_BYTES)
        .open()?;
    let tree = db.open_tree("rows")?;
    let batches = events.div_ceil(1000).max(1) as usize;
    let started = Instant::now();
    for chunk in rows.chunks(rows.len().div_ceil(batches).max(1)) {
        let mut batch = sled::Batch::default();
        for (k, v) in chunk {
            batch.insert(k.clone(), v.clone());
        }
        tree.apply_batch(batch)?;
        tree.flush()?;
    }
    Ok(rate(rows.len() as u64, started.elapsed()))
}
