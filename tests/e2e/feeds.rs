//! `accord ingest URL…` and `accord ingest --feed URL`: readouts fetched
//! from a web server started here (two pages and an RSS feed listing them,
//! a page that is gone and one too large), over HTTP and over HTTPS with a
//! certificate from a private CA (`--fetch-ca-cert`), redirects from http
//! to https included.

use crate::faults::support::accord_bin;
use crate::harness::{serve, serve_tls, Harness, SEED};
use accord_proto::v1 as pb;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

const HTML: &str = include_str!("../readouts/govuk-uk-poland-2024-01-22.html");
const TXT: &str = "/readouts/japan-nato-2017-10-31.txt";
const PAGE: &str = "/news/uk-poland-2024-01-22.html";
const PDF: &str = "/statements/japan-nato-2017-10-31.pdf";

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
    let url = serve(site(seen, base.clone())).await;
    base.set(url.clone()).unwrap();
    url
}

/// [`publisher`] over HTTPS, with a certificate for 127.0.0.1 from `ca`.
async fn tls_publisher(seen: &Seen, ca: &accord_auth::pki::Authority) -> String {
    let base: Arc<OnceLock<String>> = Arc::default();
    let pem = ca.server(&["127.0.0.1"]).unwrap();
    let url = serve_tls(site(seen, base.clone()), &pem.cert, &pem.key).await;
    base.set(url.clone()).unwrap();
    url
}

fn site(seen: &Seen, base: Arc<OnceLock<String>>) -> axum::Router {
    let (s1, s2, s3, b) = (seen.clone(), seen.clone(), seen.clone(), base);
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
        .route(
            PDF,
            get(|| async {
                // Items 1 and 2 on page 1, the rest on page 2.
                let lines: Vec<&str> = SEED.lines().filter(|l| !l.trim().is_empty()).collect();
                let third = lines.iter().position(|l| l.starts_with("3. ")).unwrap();
                let (one, two) = lines.split_at(third);
                let pdf = accord_testkit::pdf::pdf(&[one, two]);
                ([(header::CONTENT_TYPE, "application/pdf")], pdf)
            }),
        )
        .route("/gone.html", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/huge.txt",
            get(|| async { "The leaders met. ".repeat(20_000) }),
        );
    app
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_over_https_from_a_private_ca_is_fetched_with_its_certificate_only() {
    let h = Harness::start().await;
    let server = format!("http://{}", h.app().addr);
    let ca = accord_auth::pki::Authority::new("Publisher test CA").unwrap();
    let seen = Seen::default();
    let base = tls_publisher(&seen, &ca).await;
    let (feed, txt, page) = (
        format!("{base}/feed.rss"),
        format!("{base}{TXT}"),
        format!("{base}{PAGE}"),
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("publisher-ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();
    let ca_file = ca_file.to_str().unwrap();

    // Without the CA: the system's roots do not know it; the error names
    // the URL and the certificate problem, and nothing is fetched.
    let (ok, lines, _) = ingest(&server, &[&txt]).await;
    assert!(!ok, "{lines:?}");
    let error = lines[0]["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with(&format!("{txt}: "))
            && error.contains("invalid peer certificate: UnknownIssuer"),
        "{error}"
    );
    let (ok, lines, err) = ingest(&server, &["--feed", &feed]).await;
    assert!(!ok && lines.is_empty(), "{lines:?}");
    assert!(
        err.contains(&feed) && err.contains("UnknownIssuer"),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty(), "no handshake, no request");

    // With it: the feed and both pages, their https URLs recorded.
    let (ok, lines, err) = ingest(&server, &["--fetch-ca-cert", ca_file, "--feed", &feed]).await;
    assert!(ok, "{lines:?}\n{err}");
    let (readouts, summary) = outcome(&lines);
    assert_eq!(readouts, [(txt.clone(), false), (page.clone(), false)]);
    assert_eq!(summary["ingested"], 2, "{summary}");
    for line in &lines[..2] {
        let request = pb::GetDocumentRequest {
            id: line["document_id"].as_str().unwrap().to_owned(),
            min_position: line["position"].as_u64(),
        };
        let answer = h.client().await.get_document(request).await.unwrap();
        let source = answer.into_inner().document.unwrap().source;
        assert!(source.starts_with("https://127.0.0.1:"), "{source}");
    }
    assert_eq!(seen.lock().unwrap().len(), 3, "the feed and its two pages");

    // An http URL that redirects to the https page is followed; the CA
    // comes from the environment this time.
    let moved = format!("{base}{PAGE}");
    let redirect = axum::Router::new().route(
        "/moved.html",
        get(move || async move { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, moved)]) }),
    );
    let old = format!("{}/moved.html", serve(redirect).await);
    let mut command = Command::new(accord_bin());
    command
        .args(["ingest", "--json", "--server", &server, &old])
        .env("ACCORD_FETCH_CA_CERT", ca_file);
    let out = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["file"], old.as_str(), "{line}");
    assert_eq!(
        line["already_ingested"], true,
        "the same page as before: {line}"
    );
    assert_eq!(
        seen.lock().unwrap().len(),
        4,
        "the page, through the redirect"
    );

    // A PDF over https: sent as bytes, each commitment with its page.
    let pdf = format!("{base}{PDF}");
    let (ok, lines, err) = ingest(&server, &["--fetch-ca-cert", ca_file, &pdf]).await;
    assert!(ok, "{lines:?}\n{err}");
    let request = pb::GetDocumentRequest {
        id: lines[0]["document_id"].as_str().unwrap().to_owned(),
        min_position: lines[0]["position"].as_u64(),
    };
    let answer = h.client().await.get_document(request).await.unwrap();
    let mut pages: Vec<u32> = answer
        .into_inner()
        .commitments
        .iter()
        .map(|c| c.page)
        .collect();
    pages.dedup();
    assert_eq!(pages, [1, 2], "{lines:?}");
}
