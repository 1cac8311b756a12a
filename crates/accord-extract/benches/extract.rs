//! Throughput of `extract` in MB/s on readout text: the shared dev corpus
//! when present beside the repository, plus this repository's test readouts,
//! concatenated into one document.

use accord_extract::{extract, Options};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn corpus() -> String {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    for dir in [here.join("../../../shared/corpus/readouts"), here.join("../../tests/readouts")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            text.push_str(&std::fs::read_to_string(f).unwrap_or_default());
            text.push_str("\n\n");
        }
    }
    if text.is_empty() {
        text = "The two leaders agreed to hold the next meeting in Tokyo next year.\n".repeat(200);
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let opts = Options { date: time::Date::from_calendar_date(2020, time::Month::June, 4).ok(), ..Options::default() };
    // warm the embedded gazetteer once
    let _ = extract(text.as_bytes(), &opts);
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("corpus_text", |b| b.iter(|| extract(std::hint::black_box(text.as_bytes()), &opts).unwrap()));
    let html = format!("<html><body><article><p>{}</p></article></body></html>", text.replace("\n\n", "</p><p>"));
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("corpus_html", |b| b.iter(|| extract(std::hint::black_box(html.as_bytes()), &opts).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
