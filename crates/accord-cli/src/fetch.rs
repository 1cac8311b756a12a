//! Readouts from where they live: pages over HTTP or HTTPS and the RSS/Atom
//! feeds that list them (`accord ingest URL…`, `accord ingest --feed URL`).
//! HTTPS certificates are checked against the system's roots and
//! `--fetch-ca-cert` (accord-http-client: rustls on ring); redirects are
//! followed (at most 5, http → https included).
//!
//! Polite by construction: one request at a time (the CLI ingests one
//! readout after another), at least `--fetch-interval` between two requests
//! to the same host, a user agent naming Accord and its version, a timeout
//! on every request and a size limit on every body.

use anyhow::{anyhow, bail, Context};
use reqwest::Url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::time::Instant;

/// A page above this is refused before it is read to the end: the server
/// takes no more readout text (HTML included) than this anyway.
pub const MAX_PAGE_BYTES: usize = accord_api::limits::MAX_READOUT_BYTES;
/// A PDF (a file, or a URL ending in `.pdf`): what `IngestReadout` takes.
pub const MAX_PDF_BYTES: usize = accord_api::limits::MAX_PDF_BYTES;
/// A feed lists pages; it may be larger than one page, not without bound.
pub const MAX_FEED_BYTES: usize = 4 << 20;
/// Sent with every request, so a publisher can tell who is reading.
pub const USER_AGENT: &str = concat!(
    "Accord/",
    env!("CARGO_PKG_VERSION"),
    " (summit readout tracker; one request at a time)"
);

/// One readout to ingest: a local file or a page on the web.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// `title` is the feed entry's title, empty for a URL given directly.
    Url {
        url: String,
        title: String,
    },
}

impl Input {
    /// What the readout is called in output and recorded as its `source`.
    pub fn label(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Url { url, .. } => url.clone(),
        }
    }

    /// The name a meeting date may be read from (`…-2017-10-31.html`).
    pub fn name(&self) -> PathBuf {
        match self {
            Input::File(path) => path.clone(),
            Input::Url { url, .. } => Url::parse(url)
                .ok()
                .and_then(|u| u.path_segments()?.next_back().map(PathBuf::from))
                .unwrap_or_default(),
        }
    }

    pub fn title(&self) -> String {
        match self {
            Input::File(_) => String::new(),
            Input::Url { title, .. } => title.clone(),
        }
    }

    /// The readout: read from disk or fetched; UTF-8 text, or a PDF's
    /// bytes as they are (the server reads PDFs: one reader, and it knows
    /// the pages it keeps with each commitment).
    pub async fn body(&self, fetcher: &mut Fetcher) -> anyhow::Result<Body> {
        let name = self.name();
        let bytes = match self {
            Input::File(path) => {
                let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                if size > MAX_PDF_BYTES as u64 {
                    bail!(
                        "{} is {size} bytes; too large for a readout (the limit is {MAX_PDF_BYTES})",
                        path.display()
                    );
                }
                std::fs::read(path).with_context(|| format!("read {}", path.display()))?
            }
            Input::Url { url, .. } => {
                let pdf = accord_pdf::is_pdf(&name, b"");
                let max = if pdf { MAX_PDF_BYTES } else { MAX_PAGE_BYTES };
                fetcher.get(url, max).await?
            }
        };
        if accord_pdf::is_pdf(&name, &bytes) {
            return Ok(Body::Pdf(bytes));
        }
        String::from_utf8(bytes).map(Body::Text).map_err(|e| {
            anyhow!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// What is sent as the readout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Plain text or HTML.
    Text(String),
    /// A PDF file, sent as `IngestReadoutRequest.pdf`.
    Pdf(Vec<u8>),
}

/// `http://` or `https://`: fetched rather than read from disk.
pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

/// Fetches one URL at a time, spacing requests to the same host.
pub struct Fetcher {
    http: reqwest::Client,
    interval: Duration,
    last: HashMap<String, Instant>,
}

impl Fetcher {
    pub fn new(
        timeout: Duration,
        interval: Duration,
        ca_cert: Option<&Path>,
    ) -> anyhow::Result<Fetcher> {
        let roots = ca_cert
            .map(accord_http_client::load_ca_file)
            .transpose()?
            .unwrap_or_default();
        let http = accord_http_client::builder(&roots)?
            .user_agent(USER_AGENT)
            .connect_timeout(timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .context("set up the HTTP client")?;
        Ok(Fetcher {
            http,
            interval,
            last: HashMap::new(),
        })
    }

    /// The body of `url`, at most `max` bytes; any other answer than 2xx is
    /// an error naming the URL and the status.
    pub async fn get(&mut self, url: &str, max: usize) -> anyhow::Result<Vec<u8>> {
        let parsed = Url::parse(url).with_context(|| format!("{url}: not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("{url}: only http and https URLs are fetched");
        }
        let host = parsed.host_str().unwrap_or_default().to_owned();
        if let Some(last) = self.last.get(&host) {
            tokio::time::sleep_until(*last + self.interval).await;
        }
        let body = self.read(parsed, max).await.with_context(|| url.to_owned());
        self.last.insert(host, Instant::now());
        body
    }

    async fn read(&self, url: Url, max: usize) -> anyhow::Result<Vec<u8>> {
        let mut response = self.http.get(url).send().await?;
        let status = response.status();
        if !status.is_success() {
            bail!("HTTP {status}");
        }
        let too_big = || anyhow!("larger than the limit of {max} bytes");
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_big());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > max {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The pages an RSS or Atom feed links to, in feed order.
    pub async fn feed(&mut self, url: &str) -> anyhow::Result<Vec<Input>> {
        let body = self.get(url, MAX_FEED_BYTES).await?;
        feed_entries(url, &body)
    }
}

/// Each entry's first link, made absolute against the feed's URL.
pub fn feed_entries(url: &str, body: &[u8]) -> anyhow::Result<Vec<Input>> {
    let feed =
        feed_rs::parser::parse(body).map_err(|e| anyhow!("{url}: not an RSS or Atom feed: {e}"))?;
    let base = Url::parse(url).with_context(|| format!("{url}: not a URL"))?;
    let mut pages = Vec::new();
    for entry in feed.entries {
        let Some(link) = entry.links.first() else {
            continue;
        };
        let page = base
            .join(link.href.trim())
            .with_context(|| format!("{url}: entry link {:?} is not a URL", link.href))?;
        pages.push(Input::Url {
            url: page.to_string(),
            title: entry.title.map(|t| t.content).unwrap_or_default(),
        });
    }
    Ok(pages)
}

/// Files, folders (their .txt/.html/.pdf files) and URLs as given on the command
/// line, then the pages each feed lists; each readout once.
pub async fn inputs(
    args: &[String],
    feeds: &[String],
    fetcher: &mut Fetcher,
) -> anyhow::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for arg in args {
        if is_url(arg) {
            inputs.push(Input::Url {
                url: arg.clone(),
                title: String::new(),
            });
        } else {
            inputs.extend(readout_files(Path::new(arg))?.into_iter().map(Input::File));
        }
    }
    for feed in feeds {
        inputs.extend(fetcher.feed(feed).await?);
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| seen.insert(i.label()));
    Ok(inputs)
}

fn readout_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("read folder {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| {
                    ["txt", "html", "htm", "pdf"]
                        .iter()
                        .any(|e| x.eq_ignore_ascii_case(e))
                })
            })
            .collect();
        found.sort();
        Ok(found)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        bail!("{}: no such file or folder", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Readouts</title><link>https://gov.example/</link>
<description>d</description>
<item><title>Leaders meet</title><link>/news/a-2024-01-22.html</link></item>
<item><title>No link</title></item>
<item><title>Second</title><link>https://other.example/b.txt</link></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>R</title><id>urn:x</id>
<updated>2024-01-22T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><updated>2024-01-22T00:00:00Z</updated>
<link href="one.html"/></entry></feed>"#;

    fn url(url: &str, title: &str) -> Input {
        Input::Url {
            url: url.into(),
            title: title.into(),
        }
    }

    #[test]
    fn feed_entries_are_absolute_links_in_order() {
        let check = |feed: &str, body: &str, expected: Vec<Input>| {
            assert_eq!(
                feed_entries(feed, body.as_bytes()).unwrap(),
                expected,
                "{body}"
            );
        };
        check(
            "https://gov.example/feed.rss",
            RSS,
            vec![
                url("https://gov.example/news/a-2024-01-22.html", "Leaders meet"),
                url("https://other.example/b.txt", "Second"),
            ],
        );
        check(
            "http://h.example/atom/feed.xml",
            ATOM,
            vec![url("http://h.example/atom/one.html", "One")],
        );
    }

    #[test]
    fn a_page_that_is_no_feed_is_refused_naming_the_url() {
        let err = feed_entries("http://h.example/x", b"<html><body>hi</body></html>")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("http://h.example/x: not an RSS or Atom feed"),
            "{err}"
        );
    }

    #[test]
    fn a_date_is_read_from_the_last_path_segment() {
        let check =
            |input: Input, expected: &str| assert_eq!(input.name(), PathBuf::from(expected));
        check(
            url("https://g.example/news/uk-2024-01-22.html?x=1", ""),
            "uk-2024-01-22.html",
        );
        check(url("https://g.example/", ""), "");
        check(
            Input::File("a/b-2017-10-31.txt".into()),
            "a/b-2017-10-31.txt",
        );
    }

    #[test]
    fn urls_are_told_from_paths() {
        for (arg, expected) in [
            ("https://a.example/x", true),
            ("http://a.example", true),
            ("readouts/x.txt", false),
            ("ftp://a.example/x", false),
        ] {
            assert_eq!(is_url(arg), expected, "{arg}");
        }
    }

    #[test]
    fn the_user_agent_names_accord_and_its_version() {
        assert!(USER_AGENT.starts_with(&format!("Accord/{} ", env!("CARGO_PKG_VERSION"))));
    }
}
