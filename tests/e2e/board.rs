//! The follow-up board in a real browser (Debian's chromium driven through
//! chromedriver over WebDriver): the IPCP commitment shows "fulfilled" with
//! the 2018 readout quoted; a reader sees the review queue without accept
//! buttons and is refused (403) by the endpoint; an analyst accepts a
//! proposal and finds the event in the commitment's log; a change made
//! elsewhere reaches the open page over SSE. Screenshots go to
//! `target/board-screenshots/`.

use crate::harness::{ipcp, serve, Harness, LATER_TEXT, SEED, SEED_DATE};
use accord_testkit::ChromeDriver;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// A tokens file (as `accord token add` writes it) naming a reader and an analyst.
pub fn tokens() -> accord_http::Tokens {
    use accord_auth::{hash_token, Entry, Role};
    let line = |name: &str, role, token: &str| {
        Entry {
            name: name.into(),
            role,
            credential: hash_token(token),
        }
        .to_string()
    };
    let text = [
        line("rita", Role::Reader, "reader-token"),
        line("ann", Role::Analyst, "analyst-token"),
    ]
    .join("\n");
    let file = accord_auth::TokensFile::parse(&text, "board test").unwrap();
    accord_http::Tokens(Some(std::sync::Arc::new(file)))
}

async fn browser(driver: &ChromeDriver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": driver.chromium, "args": ChromeDriver::chromium_args() }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("start a chromium session through chromedriver: {e}"))
}

fn screenshots() -> PathBuf {
    let dir = accord_testkit::workspace_root().join("target/board-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(name), png).expect("write screenshot");
}

async fn log_in(c: &Client, base: &str, token: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("token"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    c.find(Locator::Id("login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_url(&format!("{base}/").parse().unwrap())
        .await
        .expect("the login form leads to the overview");
}

async fn text(c: &Client, css: &str) -> String {
    let el = c.wait().for_element(Locator::Css(css)).await;
    let el = el.unwrap_or_else(|e| panic!("{css} on the page: {e}"));
    el.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_shows_follow_ups_and_only_analysts_resolve_proposals() {
    let driver = ChromeDriver::start();
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let later = h.ingest_later().await;
    h.links_done(&later).await;
    let follow_up = h.ingest_follow_up().await;
    h.links_done(&follow_up).await;
    let ipcp = ipcp(&seed.commitments);
    h.linked(&ipcp.id, &later.document_id).await;
    let http = accord_http::Http {
        service: h.app().service.clone(),
        tokens: tokens(),
        clock: h.config().clock,
    };
    let base = serve(accord_http::router(http)).await;
    let c = browser(&driver).await;
    c.set_window_size(1280, 1000).await.unwrap();

    // Pages need a token: the board sends strangers to the login form.
    c.goto(&format!("{base}/commitments/{}", ipcp.id))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("login"))
        .await
        .expect("the login form");

    // A reader: the commitment, fulfilled by the 2018 readout, quoted.
    log_in(&c, &base, "reader-token").await;
    screenshot(&c, "overview.png").await;
    c.goto(&format!("{base}/commitments/{}", ipcp.id))
        .await
        .unwrap();
    assert_eq!(text(&c, "#status").await, "fulfilled");
    let quoted = text(&c, ".evidence blockquote mark").await;
    assert!(
        quoted.len() > 20 && LATER_TEXT.contains(&quoted),
        "the evidence quotes the 2018 readout: {quoted:?}"
    );
    let evidence = text(&c, ".evidence").await;
    // Dated when it happened ("in May this year"), from the 2018 readout.
    assert!(
        evidence.starts_with("2018-05-01") && evidence.contains(&later.document_id),
        "{evidence} (2018 readout {})",
        later.document_id
    );
    let readout = text(&c, ".readout mark").await;
    assert!(readout.contains("Individual Partnership"), "{readout}");
    screenshot(&c, "commitment.png").await;

    // The review queue: proposals, but no buttons for a reader, and the
    // endpoint refuses the reader's token even from a hand-made request.
    c.goto(&format!("{base}/review")).await.unwrap();
    text(&c, ".proposal").await;
    assert!(c
        .find_all(Locator::Css("button.resolve"))
        .await
        .unwrap()
        .is_empty());
    let target = h
        .client()
        .await
        .list_commitments(accord_proto::v1::ListCommitmentsRequest {
            review_queue: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .commitments
        .into_iter()
        .next()
        .expect("a commitment in the review queue");
    let refused = c
        .execute_async(
            r#"const [id, version, proposal, done] = arguments;
               fetch("/api/v1/commitments/" + id + "/reviews", { method: "POST",
                 headers: { "Content-Type": "application/json", "Authorization": "Bearer reader-token" },
                 body: JSON.stringify({ command_id: "r1", expected_version: version,
                   review: { type: "resolve", proposal_id: proposal, accept: true } }) })
               .then(r => r.json().then(b => done([r.status, b.code, b.message])));"#,
            vec![
                json!(target.id),
                json!(target.version),
                json!(target.proposals[0].proposal_id),
            ],
        )
        .await
        .unwrap();
    assert_eq!(refused[0], 403, "{refused}");
    assert_eq!(refused[1], "permission_denied", "{refused}");

    // An analyst accepts it from the queue and lands on the commitment,
    // whose log now ends with the resolution.
    log_in(&c, &base, "analyst-token").await;
    c.goto(&format!("{base}/review")).await.unwrap();
    let accept = c
        .wait()
        .for_element(Locator::Css(&format!(
            "button.resolve[data-accept=true][data-commitment='{}']",
            target.id
        )))
        .await
        .expect("an accept button for the analyst");
    screenshot(&c, "review.png").await;
    accept.click().await.unwrap();
    c.wait()
        .for_url(&format!("{base}/commitments/{}", target.id).parse().unwrap())
        .await
        .expect("accepting leads to the commitment page");
    let log = text(&c, "#log").await;
    assert!(log.contains("ProposalResolved"), "{log}");
    let now = h.commitment(&target.id).await;
    assert!(now.proposals.len() < target.proposals.len(), "{now:#?}");
    screenshot(&c, "accepted.png").await;

    // Live: a follow-up recorded elsewhere (gRPC) reaches the open page
    // through the SSE stream, which reloads it.
    let assess = accord_proto::v1::RecordFollowUpRequest {
        commitment_id: target.id.clone(),
        expected_version: now.version,
        command_id: "board-live".into(),
        follow_up: Some(
            accord_proto::v1::record_follow_up_request::FollowUp::Assess(
                accord_proto::v1::AssessStatus {
                    status: accord_proto::v1::Status::InProgress as i32,
                    effective: "2018-11-01".into(),
                    ..Default::default()
                },
            ),
        ),
    };
    h.client()
        .await
        .record_follow_up(assess)
        .await
        .expect("assessed over gRPC");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    // The page reloads under us: an element may go stale between find and read.
    let status = || async {
        let el = c.find(Locator::Css("#status")).await.ok()?;
        el.text().await.ok()
    };
    while status().await.as_deref() != Some("in_progress") {
        assert!(
            std::time::Instant::now() < deadline,
            "the open page did not follow the change"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The party page charts the score over time.
    c.goto(&format!("{base}/parties/JPN")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#score-chart circle"))
        .await
        .expect("a score point");
    screenshot(&c, "party.png").await;
    c.close().await.unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
}
