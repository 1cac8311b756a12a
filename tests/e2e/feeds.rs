//! `accord ingest URL…` and `accord ingest --feed URL`: readouts fetched
//! from a web server started here (two pages and an RSS feed listing them,
//! a page that is gone and one too large).

use crate::faults::support::accord_bin;
use crate::harness::{serve, Harness, SEED};
use accord_proto::v1 as pb;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

const HTML: &str = include_str!("../readouts/govuk-uk-poland-2024-01-22.html");
const TXT: &str = "/readouts/japan-nato-2017-10-31.txt";
const PAGE: &str = "/news/uk-poland-2024-01-22.html";

/// The user agent of every request, in order.
type Seen = Arc<Mutex<Vec<String>>>;

fn record(seen: &Seen, headers: &HeaderMap) {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    seen.lock()
        .unwrap()
        .push(agent.unwrap_or_default().to_owned());
}

/// Two readout pages, a feed listing them (one link absolute, one relative
/// to the feed) and a page that is gone; its base URL.
async fn publisher(seen: &Seen) -> String {
    let base: Arc<OnceLock<String>> = Arc::default();
    let (s1, s2, s3, b) = (seen.clone(), seen.clone(), seen.clone(), base.clone());
    let app = axum::Router::new()
        .route(
            TXT,
            get(move |h: HeaderMap| async move {
                record(&s1, &h);
                SEED
            }),
        )
        .route(
            PAGE,
            get(move |h: HeaderMap| async move {
                record(&s2, &h);
                ([(header::CONTENT_TYPE, "text/html")], HTML)
            }),
        )
        .route(
            "/feed.rss",
            get(move |h: HeaderMap| async move {
                record(&s3, &h);
                let base = b.get().cloned().unwrap_or_default();
                format!(
                    r#"<?xml version="1.0"?><rss version="2.0"><channel>
<title>Readouts</title><link>{base}/</link><description>Meetings</description>
<item><title>Japan and NATO</title><link>{base}{TXT}</link></item>
<item><title>UK and Poland</title><link>{}</link></item>
</channel></rss>"#,
                    PAGE.trim_start_matches('/')
                )
            }),
        )
        .route("/gone.html", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/huge.txt",
            get(|| async { "The leaders met. ".repeat(20_000) }),
        );
    let url = serve(app).await;
    base.set(url.clone()).unwrap();
    url
}

/// `accord ingest --json ARGS… --server SERVER`: success, JSON lines, stderr.
async fn ingest(server: &str, args: &[&str]) -> (bool, Vec<serde_json::Value>, String) {
    let mut command = Command::new(accord_bin());
    command
        .args([
            "ingest",
            "--json",
            "--fetch-interval-ms",
            "10",
            "--server",
            server,
        ])
        .args(args);
    let out = tokio::task::spawn_blocking(move || command.output().expect("run accord"))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), lines, stderr)
}

/// The per-readout lines as (url, already_ingested), and the summary.
fn outcome(lines: &[serde_json::Value]) -> (Vec<(String, bool)>, serde_json::Value) {
    let (summary, readouts) = lines.split_last().expect("a summary line");
    let readouts = readouts
        .iter()
        .map(|l| {
            assert!(l["document_id"].is_string(), "{l}");
            (
                l["file"].as_str().unwrap().to_owned(),
                l["already_ingested"] == true,
            )
        })
        .collect();
    (readouts, summary.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_is_fetched_ingested_once_and_its_urls_recorded() {
    let h = Harness::start().await;
    let server = format!("http://{}", h.app().addr);
    let seen = Seen::default();
    let base = publisher(&seen).await;
    let (feed, txt, page) = (
        format!("{base}/feed.rss"),
        format!("{base}{TXT}"),
        format!("{base}{PAGE}"),
    );

    let (ok, lines, err) = ingest(&server, &["--feed", &feed]).await;
    assert!(ok, "{lines:?}\n{err}");
    let (readouts, summary) = outcome(&lines);
    assert_eq!(readouts, [(txt.clone(), false), (page.clone(), false)]);
    assert_eq!(summary["ingested"], 2, "{summary}");
    assert_eq!(seen.lock().unwrap().len(), 3, "the feed and its two pages");

    // Each document records the URL it came from and the feed entry's title.
    for (line, title) in lines.iter().zip(["Japan and NATO", "UK and Poland"]) {
        let request = pb::GetDocumentRequest {
            id: line["document_id"].as_str().unwrap().to_owned(),
            min_position: line["position"].as_u64(),
        };
        let answer = h.client().await.get_document(request).await.unwrap();
        let document = answer.into_inner().document.unwrap();
        assert_eq!(
            (document.source.as_str(), document.title.as_str()),
            (line["file"].as_str().unwrap(), title)
        );
    }

    // Again, with one page named directly too: each readout once, and
    // nothing appended.
    let (ok, lines, err) = ingest(&server, &[&txt, "--feed", &feed]).await;
    assert!(ok, "{lines:?}\n{err}");
    let (readouts, summary) = outcome(&lines);
    assert_eq!(readouts, [(txt.clone(), true), (page.clone(), true)]);
    assert_eq!(
        (
            summary["ingested"].as_u64(),
            summary["already_known"].as_u64()
        ),
        (Some(0), Some(2)),
        "{summary}"
    );

    let agents = seen.lock().unwrap().clone();
    assert_eq!(agents.len(), 6, "{agents:?}");
    let expected = format!("Accord/{} ", env!("CARGO_PKG_VERSION"));
    assert!(
        agents.iter().all(|a| a.starts_with(&expected)),
        "{agents:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_page_or_a_page_that_is_no_feed_is_an_error_naming_the_url() {
    let h = Harness::start().await;
    let server = format!("http://{}", h.app().addr);
    let base = publisher(&Seen::default()).await;

    let gone = format!("{base}/gone.html");
    let (ok, lines, _) = ingest(&server, &[&gone]).await;
    assert!(!ok, "{lines:?}");
    assert_eq!(lines[0]["file"], gone.as_str(), "{lines:?}");
    let error = lines[0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("HTTP 404"), "{error}");
    assert_eq!(lines[1]["failed"], 1, "{lines:?}");

    // Above the readout limit: refused before the rest is read.
    let huge = format!("{base}/huge.txt");
    let (ok, lines, _) = ingest(&server, &[&huge]).await;
    assert!(!ok, "{lines:?}");
    let error = lines[0]["error"].as_str().unwrap_or_default();
    assert_eq!(
        error,
        format!("{huge}: larger than the limit of {} bytes", 256 << 10)
    );

    let not_a_feed = format!("{base}{PAGE}");
    let (ok, lines, err) = ingest(&server, &["--feed", &not_a_feed]).await;
    assert!(!ok && lines.is_empty(), "{lines:?}");
    assert!(
        err.contains(&format!("{not_a_feed}: not an RSS or Atom feed")),
        "{err}"
    );
}
