//! The cost of log authenticity (issue #10): the same readouts appended and
//! read back by a bus with log keys (an HMAC-SHA256 per message signed, then
//! verified) and by one without, in the same run, on the same server.

use crate::report::{per_s, rate, ratio, Row};
use crate::synth;
use accord_bus::{Bus, BusConfig, LogKeys};
use accord_domain::Envelope;
use anyhow::Context;
use futures::StreamExt;
use std::time::{Duration, Instant};

/// Appends `readouts` readouts; the time taken and the positions they span.
async fn append(bus: &Bus, salt: &str, readouts: u64) -> anyhow::Result<(Duration, u64, u64)> {
    let batches: Vec<_> = (0..readouts).map(|i| synth::readout(salt, i)).collect();
    let events = batches.iter().map(|b| b.len() as u64).sum();
    let first = bus.last_position().await? + 1;
    let elapsed = crate::log::append_all(bus, &batches, "mac: append").await?;
    Ok((elapsed, events, first))
}

/// Reads `events` canonical events from `from` and decodes them, as the
/// projector does (verifying each when the bus has keys).
async fn read(bus: &Bus, from: u64, events: u64) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut log = Box::pin(bus.replay(from).await?);
    for _ in 0..events {
        let entry = log.next().await.context("the log ended early")??;
        if let Some(why) = entry.unauthenticated {
            anyhow::bail!("position {}: {why}", entry.position);
        }
        Envelope::from_json(&entry.payload)?;
    }
    Ok(started.elapsed())
}

pub async fn rows(url: &str, readouts: u64) -> anyhow::Result<Vec<Row>> {
    let plain = Bus::connect(BusConfig::new(url)).await?;
    let keys = LogKeys::parse(&LogKeys::generate_line("bench")?)?;
    let signed = Bus::connect(BusConfig::new(url).with_keys(keys)).await?;
    // Off, on, on, off, best of each: neither side gets only the cold start.
    let best = |d: &mut Option<Duration>, x: Duration| *d = Some(d.map_or(x, |d| d.min(x)));
    let (mut off, mut on, mut read_off, mut read_on) = (None, None, None, None);
    let mut events = 0;
    for (i, keyed) in [false, true, true, false].into_iter().enumerate() {
        let bus = if keyed { &signed } else { &plain };
        let (took, n, from) = append(bus, &format!("mac-{i}"), readouts).await?;
        let read_took = read(bus, from, n).await?;
        events = n;
        if keyed {
            best(&mut on, took);
            best(&mut read_on, read_took);
        } else {
            best(&mut off, took);
            best(&mut read_off, read_took);
        }
    }
    let (off, on) = (off.context("ran")?, on.context("ran")?);
    let (read_off, read_on) = (read_off.context("ran")?, read_on.context("ran")?);
    Ok(vec![
        Row::new(
            "mac",
            format!("publish with MAC: Bus::append, signed ({readouts} readouts, {events} events, best of 2)"),
            per_s(rate(events, on)),
        )
        .against(
            format!("without MAC: {}", per_s(rate(events, off))),
            ratio(rate(events, on), rate(events, off)),
        ),
        Row::new(
            "mac",
            format!("project with MAC: replay + verify + decode ({events} events, best of 2)"),
            per_s(rate(events, read_on)),
        )
        .against(
            format!("without MAC: {}", per_s(rate(events, read_off))),
            ratio(rate(events, read_on), rate(events, read_off)),
        ),
    ])
}
