//! The one table `make bench` prints, and the small helpers behind its figures.

use std::time::Duration;

/// One line of the table: a figure next to what it is measured against.
pub struct Row {
    pub phase: &'static str,
    pub what: String,
    pub value: String,
    pub against: String,
    pub ratio: String,
    pub target: String,
    /// The row's figures as numbers, for the peer comparison and for
    /// phases that build on an earlier one's figure.
    pub figures: Vec<(Figure, f64)>,
}

/// Figures later rows read back from the table: the peer comparison, the
/// freshness phase's maximum rate, the projector against ingest.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Figure {
    /// "Commitment made" events per second through IngestReadout's `Appender`.
    CommitmentsMade,
    /// GetCommitment requests per second.
    Lookups,
    /// RecordFollowUp commands per second.
    FollowUps,
    /// Readouts per second the `Appender` took: the freshness phase's
    /// "maximum rate".
    AppenderReadouts,
    /// Events per second the `Appender` appended.
    AppenderEvents,
    /// Events per second the projector applied.
    ProjectorEvents,
}

/// The first target, once both phases ran: the tracker must
/// outpace the fastest ingest.
pub fn projector_against_appender(rows: &[Row]) -> Option<Row> {
    let projector = best(rows, Figure::ProjectorEvents)?;
    let appender = best(rows, Figure::AppenderEvents)?;
    Some(
        Row::new(
            "project",
            "  projector against ingest",
            format!("{} events", per_s(projector)),
        )
        .against(
            format!("the Appender in this run: {} events", per_s(appender)),
            format!("{:.2}x", projector / appender),
        )
        .target(">= 1.5x the Appender", projector >= 1.5 * appender),
    )
}

/// The best value of `figure` in `rows`, if any row has it.
pub fn best(rows: &[Row], figure: Figure) -> Option<f64> {
    rows.iter()
        .flat_map(|r| &r.figures)
        .filter(|(f, _)| *f == figure)
        .map(|(_, x)| *x)
        .max_by(f64::total_cmp)
}

impl Row {
    pub fn new(phase: &'static str, what: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            phase,
            what: what.into(),
            value: value.into(),
            against: String::new(),
            ratio: String::new(),
            target: String::new(),
            figures: Vec::new(),
        }
    }

    /// Tags the row with one of its figures as a number (per second).
    pub fn figure(mut self, figure: Figure, per_s: f64) -> Row {
        self.figures.push((figure, per_s));
        self
    }

    pub fn against(mut self, against: impl Into<String>, ratio: impl Into<String>) -> Row {
        self.against = against.into();
        self.ratio = ratio.into();
        self
    }

    pub fn target(mut self, target: impl Into<String>, met: bool) -> Row {
        self.target = format!("{} {}", if met { "MET" } else { "MISSED" }, target.into());
        self
    }
}

pub fn print_table(rows: &[Row]) {
    let headers = [
        "phase",
        "measured",
        "value",
        "against (same run)",
        "ratio",
        "target",
    ];
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.phase,
                r.what.as_str(),
                r.value.as_str(),
                r.against.as_str(),
                r.ratio.as_str(),
                r.target.as_str(),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[&str; 6]| {
        let parts: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    line(&headers);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    println!("|-{}-|", rule.join("-|-"));
    for row in &cells {
        line(row);
    }
}

/// Per-second rate, guarded against zero elapsed time.
pub fn rate(n: u64, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// `12,345/s` style, readable at a glance.
pub fn per_s(x: f64) -> String {
    format!("{}/s", thousands(x.round() as u64))
}

pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn ratio(x: f64, of: f64) -> String {
    if of <= 0.0 {
        return "n/a".into();
    }
    format!("{:.0}%", 100.0 * x / of)
}

/// Latencies in microseconds, sorted once, read as percentiles in ms.
pub struct Latencies(Vec<u64>);

impl Latencies {
    pub fn new(mut micros: Vec<u64>) -> Latencies {
        micros.sort_unstable();
        Latencies(micros)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `q` quantile in milliseconds (0 when empty).
    pub fn ms(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let i = ((self.0.len() as f64 * q) as usize).min(self.0.len() - 1);
        self.0[i] as f64 / 1000.0
    }

    pub fn summary(&self) -> String {
        format!(
            "p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms",
            self.ms(0.5),
            self.ms(0.99),
            self.ms(1.0)
        )
    }
}

/// What the numbers ran on: they mean little without it.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / (1024.0 * 1024.0));
    let nats = std::process::Command::new(accord_testkit::nats_server_bin())
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "nats-server: unknown version".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();
    format!("{cpus} CPU(s), {model}, {mem_gib:.1} GiB RAM, {nats}, 1-min load at start {load}")
}

/// Peak resident set size of this process, in KiB, from /proc/self/status.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A progress bar on stderr for a phase of known size.
pub fn bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>28} [{bar:30}] {human_pos}/{human_len} {per_sec} eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        // indicatif draws nothing off a terminal; say at least what runs.
        eprintln!("{what}: {len} ...");
    }
    bar
}
