//! The rebuild phase: `accord rebuild` (a bulk load) against the live
//! projector on an empty store, each in a child process of its own.

use crate::log::{connect, project_into, Filled};
use crate::report::{bar, per_s, thousands, Row};
use accord_store::Store;
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// How the rebuild child fills its fresh store.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum RebuildMode {
    /// `accord rebuild`: a bulk load (key-ordered runs) into a fresh generation.
    Bulk,
    /// The baseline: the live projector catching up on an empty store.
    Live,
}

/// The hidden child: rebuild the whole log into a fresh store in `dir`, then
/// report seconds and this process's peak RSS on stdout.
pub async fn rebuild_child(
    url: &str,
    dir: &Path,
    last: u64,
    mode: RebuildMode,
    cache_bytes: u64,
) -> anyhow::Result<()> {
    // The rebuild's own report (runs, time folding and writing) on stderr.
    tracing_subscriber::fmt()
        .with_env_filter("accord_projector=info")
        .with_writer(std::io::stderr)
        .init();
    let bus = connect(url).await?;
    let (elapsed, store) = match mode {
        RebuildMode::Live => {
            project_into(&bus, dir, last, cache_bytes, "rebuild, live path (child)").await?
        }
        RebuildMode::Bulk => {
            let store = Arc::new(Store::open(&dir.join("projection"), cache_bytes)?);
            let progress = bar(last, "rebuild, bulk (child)");
            let started = Instant::now();
            let done = accord_projector::rebuild(
                &bus,
                &store,
                &accord_projector::default_decoder(),
                |at| progress.set_position(at.position),
            )
            .await?;
            progress.finish_and_clear();
            anyhow::ensure!(done.swapped, "the rebuild did not swap in");
            (started.elapsed(), store)
        }
    };
    let applied = store.applied_count()?;
    let digest = store.digest()?;
    drop(store);
    println!(
        "rebuilt secs={} applied={applied} vmhwm_kib={} digest={digest}",
        elapsed.as_secs_f64(),
        crate::report::peak_rss_kib()
    );
    Ok(())
}

/// One rebuild child's figures.
struct Rebuilt {
    secs: f64,
    rss_mb: f64,
    digest: String,
}

fn rebuild_once(
    url: &str,
    dir: &Path,
    filled: &Filled,
    mode: RebuildMode,
    cache_mb: u64,
) -> anyhow::Result<Rebuilt> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .arg("rebuild-child")
        .arg("--nats")
        .arg(url)
        .arg("--dir")
        .arg(dir)
        .arg("--last")
        .arg(filled.last_position.to_string())
        .arg("--mode")
        .arg(format!("{mode:?}").to_lowercase())
        .arg("--cache-mb")
        .arg(cache_mb.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("run the rebuild child")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(out.status.success(), "rebuild child failed: {stdout}");
    let word = |name: &str| -> anyhow::Result<&str> {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .with_context(|| format!("no {name} in {stdout:?}"))
    };
    let field = |name: &str| -> anyhow::Result<f64> {
        word(name)?
            .parse()
            .with_context(|| format!("{name} in {stdout:?}"))
    };
    let applied = field("applied=")? as u64;
    anyhow::ensure!(
        applied == filled.events,
        "{mode:?} rebuild applied {applied} of {}",
        filled.events
    );
    Ok(Rebuilt {
        secs: field("secs=")?,
        rss_mb: field("vmhwm_kib=")? / 1024.0,
        digest: word("digest=")?.to_owned(),
    })
}

/// rebuild: re-executes this binary per mode so each peak RSS is that
/// rebuild's alone; the bulk load against the live path in the same run,
/// and the two stores' digests compared.
pub fn rebuild(
    url: &str,
    dir: &Path,
    filled: &Filled,
    modes: &[RebuildMode],
    cache_mb: u64,
) -> anyhow::Result<Vec<Row>> {
    let mut done = Vec::new();
    for (i, &mode) in modes.iter().enumerate() {
        // The first store stays in `dir`, for the query phase.
        let dir = match i {
            0 => dir.to_path_buf(),
            _ => dir.join(format!("{mode:?}").to_lowercase()),
        };
        done.push((mode, rebuild_once(url, &dir, filled, mode, cache_mb)?));
    }
    if let [(_, a), (_, b)] = &done[..] {
        anyhow::ensure!(
            a.digest == b.digest,
            "bulk and live rebuilds differ: {} vs {}",
            a.digest,
            b.digest
        );
    }
    let live = done
        .iter()
        .find(|(m, _)| *m == RebuildMode::Live)
        .map(|(_, r)| r.secs);
    let mut rows = Vec::new();
    for (mode, r) in &done {
        // Scale to 1M so a quick `--events` run still reads against the target.
        let per_million = r.secs * 1e6 / filled.events as f64;
        let what = match mode {
            RebuildMode::Bulk => "accord rebuild (bulk load), child process",
            RebuildMode::Live => "live projector on an empty store, child process",
        };
        let what = format!("{what}, sled cache {cache_mb} MiB");
        let row = Row::new(
            "rebuild",
            format!("{what}, {} events", thousands(filled.events)),
            format!(
                "{:.1} s, peak RSS {:.0} MB ({} events; {per_million:.1} s per 1M)",
                r.secs,
                r.rss_mb,
                per_s(filled.events as f64 / r.secs)
            ),
        );
        let row = match (mode, live) {
            (RebuildMode::Bulk, Some(live)) => row.against(
                format!("live path {live:.1} s, same digest"),
                format!("{:.2}x", live / r.secs),
            ),
            _ => row,
        };
        // Two targets: say which one a miss is.
        let rss = if r.rss_mb < 500.0 { "met" } else { "MISSED" };
        rows.push(row.target(
            format!("< 20 s per 1M (peak RSS < 500 MB: {rss})"),
            per_million < 20.0 && r.rss_mb < 500.0,
        ));
    }
    Ok(rows)
}
