//! The peer a Rust user would pick instead of Accord: cqrs-es + postgres-es
//! on PostgreSQL (`../shared/peers/cqrs-es-bench`), doing the same work.
//! Its run writes `metric value unit` lines per concurrency and repeat
//! (`c16-r1.txt`); `--peer` reads those of a run made in the same session
//! and puts Accord's figures of this run beside them, as ratios against
//! the goals (`make bench-peer` runs both).

use crate::report::{best, per_s, Figure, Row};
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The concurrency Accord's phases are compared at (16 analysts).
const CONCURRENCY: &str = "c16-";

/// The peer's figures: medians over the repeats of one run, at 16 clients.
#[derive(Debug, PartialEq)]
pub struct Peer {
    pub source: PathBuf,
    pub runs: usize,
    /// "make commitment" commands/s (one event each, projection updated).
    pub make: f64,
    /// "record progress" commands/s (optimistic concurrency).
    pub progress: f64,
    /// View lookups/s.
    pub lookups: f64,
    pub lookup_p99_ms: f64,
}

impl Peer {
    /// Reads a result file, a run's directory, or the results directory
    /// (its newest run).
    pub fn read(path: &Path) -> anyhow::Result<Peer> {
        let files = result_files(path)?;
        anyhow::ensure!(
            !files.is_empty(),
            "no {CONCURRENCY}r*.txt result of the peer under {} (run ../shared/peers/cqrs-es-bench/run.sh with CONCURRENCIES=16 first)",
            path.display()
        );
        let mut metrics: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for file in &files {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("read the peer's result {}", file.display()))?;
            for (name, value) in parse(&text) {
                metrics.entry(name).or_default().push(value);
            }
        }
        let median = |name: &str| -> anyhow::Result<f64> {
            let mut values = metrics.get(name).cloned().with_context(|| {
                format!("the peer's results in {} have no {name}", path.display())
            })?;
            values.sort_by(f64::total_cmp);
            Ok(values[values.len() / 2])
        };
        Ok(Peer {
            source: files[0].parent().unwrap_or(path).to_owned(),
            runs: files.len(),
            make: median("make.commands_per_s")?,
            progress: median("progress.commands_per_s")?,
            lookups: median("query.queries_per_s")?,
            lookup_p99_ms: median("query.latency_p99")?,
        })
    }

    /// Accord's figures of this run against the peer's, with the goals.
    pub fn rows(&self, table: &[Row]) -> Vec<Row> {
        let source = format!("{} run(s) in {}", self.runs, self.source.display());
        let mut rows = Vec::new();
        let mut compare = |figure: Figure, what: &str, peer: f64, peer_what: &str, goal: f64| {
            let Some(ours) = best(table, figure) else {
                return;
            };
            rows.push(
                Row::new("peer", what, per_s(ours))
                    .against(
                        format!("cqrs-es + postgres-es, {peer_what}: {}", per_s(peer)),
                        format!("{:.2}x", ours / peer),
                    )
                    .target(format!(">= {goal}x the peer"), ours >= goal * peer),
            );
        };
        compare(
            Figure::FollowUps,
            "RecordFollowUp, 16 analysts (followup phase)",
            self.progress,
            "\"record progress\", 16 clients",
            5.0,
        );
        compare(
            Figure::Lookups,
            "GetCommitment, best connection count (query phase)",
            self.lookups,
            &format!(
                "view lookups, 16 clients (p99 {:.2} ms)",
                self.lookup_p99_ms
            ),
            1.5,
        );
        compare(
            Figure::CommitmentsMade,
            "commitments made through the Appender (publish phase)",
            self.make,
            "\"make commitment\" with its view, 16 clients",
            10.0,
        );
        rows.push(Row::new("peer", "the peer's results", source));
        rows
    }
}

/// The peer's `c16-r*.txt` files under `path`: the file itself, those of a
/// run's directory, or those of the newest run in a results directory.
fn result_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let in_dir = |dir: &Path| -> anyhow::Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("read {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(CONCURRENCY) && n.ends_with(".txt"))
            })
            .collect();
        files.sort();
        Ok(files)
    };
    let here = in_dir(path)?;
    if !here.is_empty() {
        return Ok(here);
    }
    // A results directory: its runs are named by their UTC start, so the
    // newest sorts last.
    let mut runs: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("read {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    runs.sort();
    for run in runs.iter().rev() {
        let files = in_dir(run)?;
        if !files.is_empty() {
            return Ok(files);
        }
    }
    Ok(Vec::new())
}

/// `metric value unit` lines; comments, the header and non-numbers skipped.
fn parse(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (name, value) = (parts.next()?, parts.next()?);
            Some((name.to_owned(), value.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESULT: &str = "# cqrs-es 0.5.0 + postgres-es 0.5.0\n# n=20000 concurrency=16 pool=16\nmetric value unit\nmake.commands_per_s 2221 commands/s\nprogress.commands_per_s 1864 commands/s\nquery.queries_per_s 16471 queries/s\nquery.latency_p99 4.150 ms\ncheck.all_ok true bool\n";

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn the_newest_run_is_read_and_set_beside_accords_figures() {
        let root = tempfile::tempdir().unwrap();
        write(
            &root.path().join("20261130T000000Z"),
            "c16-r1.txt",
            &RESULT.replace("1864", "100"),
        );
        let newest = root.path().join("20261201T052846Z");
        write(&newest, "c16-r1.txt", RESULT);
        write(&newest, "c1-r1.txt", &RESULT.replace("1864", "300"));
        let peer = Peer::read(root.path()).unwrap();
        assert_eq!((peer.runs, peer.progress, peer.make), (1, 1864.0, 2221.0));
        assert_eq!((peer.lookups, peer.lookup_p99_ms), (16471.0, 4.15));

        let table = [
            Row::new("followup", "", "").figure(Figure::FollowUps, 2532.0),
            Row::new("query", "", "").figure(Figure::Lookups, 14853.0),
            Row::new("query", "", "").figure(Figure::Lookups, 16677.0),
        ];
        let rows = peer.rows(&table);
        assert_eq!(rows[0].ratio, "1.36x");
        assert!(rows[0].target.starts_with("MISSED"), "{}", rows[0].target);
        assert_eq!(rows[1].ratio, "1.01x", "the best lookup rate is compared");
        // No publish phase ran: no commitments-made comparison.
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_directory_without_results_says_what_to_run() {
        let root = tempfile::tempdir().unwrap();
        let e = Peer::read(root.path()).unwrap_err().to_string();
        assert!(e.contains("run.sh"), "{e}");
    }
}
