//! PDF readouts through the `accord` binary: `accord extract FILE.pdf`
//! (spans into the extracted text, a page per commitment) and `accord
//! ingest FILE.pdf` (the bytes go to `IngestReadout.pdf`); the page kept
//! with each commitment in the log, the tracker (through a rebuild), the
//! HTTP JSON, the board and `accord show`; unreadable PDFs refused naming
//! the file, or over gRPC as INVALID_ARGUMENT naming `pdf`.

use crate::faults::support::accord_bin;
use crate::harness::{serve, Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use std::process::Command;
use tokio_stream::StreamExt;

fn accord(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(accord_bin())
        .args(args)
        .output()
        .expect("run accord");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// The seed readout as a two-page PDF, one line per line of text.
fn seed_pdf() -> (Vec<u8>, Vec<&'static str>, Vec<&'static str>) {
    let paragraphs: Vec<&str> = SEED
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // Items 1 and 2 (commitments) on page 1, items 3 to 6 on page 2.
    let third = paragraphs
        .iter()
        .position(|l| l.starts_with("3. "))
        .unwrap();
    let (one, two) = paragraphs.split_at(third);
    let pdf = accord_testkit::pdf::pdf(&[one, two]);
    (pdf, one.to_vec(), two.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_readout_is_extracted_with_pages_and_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, one, two) = seed_pdf();
    let file = dir.path().join("japan-nato-2017-10-31.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let path = file.to_str().unwrap().to_owned();

    let (ok, out, err) = accord(&["extract", &path, "--date", SEED_DATE, "--format", "json"]);
    assert!(ok, "{err}");
    let extraction: serde_json::Value = serde_json::from_str(&out).unwrap();
    let commitments = extraction["commitments"].as_array().unwrap();
    assert!(commitments.len() >= 2, "{out}");
    let mut pages = std::collections::BTreeSet::new();
    for c in commitments {
        // The clause is on the page the commitment says.
        let page = c["page"].as_u64().unwrap_or_else(|| panic!("no page: {c}"));
        let on = if page == 1 { &one } else { &two };
        let words: Vec<&str> = c["text"].as_str().unwrap().split_whitespace().collect();
        let first = words[..words.len().min(4)].join(" ");
        assert!(
            on.iter().any(|p| p.contains(&first)),
            "{first:?} not on page {page}"
        );
        pages.insert(page);
    }
    assert_eq!(pages.into_iter().collect::<Vec<_>>(), [1, 2], "{out}");

    let h = Harness::start().await;
    let server = format!("http://{}", h.app().addr);
    let ingested = tokio::task::spawn_blocking(move || {
        accord(&["ingest", "--json", "--server", &server, &path])
    })
    .await
    .unwrap();
    let (ok, out, err) = ingested;
    assert!(ok, "{out}{err}");
    let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let request = pb::GetDocumentRequest {
        id: line["document_id"].as_str().unwrap().to_owned(),
        min_position: line["position"].as_u64(),
    };
    let answer = h.client().await.get_document(request).await.unwrap();
    let answer = answer.into_inner();
    assert_eq!(answer.document.unwrap().source, file.to_str().unwrap());
    assert_eq!(answer.commitments.len(), commitments.len(), "{out}");
    // The server read the same pages as `accord extract`.
    let extracted: std::collections::BTreeMap<u64, u64> = commitments
        .iter()
        .map(|c| {
            (
                c["span"]["start"].as_u64().unwrap(),
                c["page"].as_u64().unwrap(),
            )
        })
        .collect();
    for c in &answer.commitments {
        let start = c.span.as_ref().unwrap().start;
        assert_eq!(Some(&u64::from(c.page)), extracted.get(&start), "{c:?}");
    }

    // A PDF the server refuses: the file's line names the field and why.
    let locked = dir.path().join("locked.pdf");
    std::fs::write(&locked, accord_testkit::pdf::encrypted(&[&["Secret."]])).unwrap();
    let locked = locked.to_str().unwrap().to_owned();
    let server = format!("http://{}", h.app().addr);
    let refused = {
        let locked = locked.clone();
        tokio::task::spawn_blocking(move || {
            accord(&["ingest", "--json", "--server", &server, &locked])
        })
        .await
        .unwrap()
    };
    let (ok, out, _) = refused;
    assert!(!ok, "{out}");
    let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["file"], locked.as_str(), "{line}");
    let error = line["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("InvalidArgument: pdf: encrypted PDF"),
        "{error}"
    );
}

/// The page (1 or 2) of [`seed_pdf`] a commitment's text starts on.
fn page_of(text: &str, one: &[&str], two: &[&str]) -> u32 {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words[..words.len().min(4)].join(" ");
    match (
        one.iter().any(|l| l.contains(&first)),
        two.iter().any(|l| l.contains(&first)),
    ) {
        (true, false) => 1,
        (false, true) => 2,
        _ => panic!("{first:?} is not on exactly one page"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_sent_over_grpc_keeps_each_commitments_page_through_a_rebuild() {
    let h = Harness::start().await;
    let (pdf, one, two) = seed_pdf();
    let mut c = h.client().await;
    let request = pb::IngestReadoutRequest {
        pdf,
        date: SEED_DATE.into(),
        source: "japan-nato.pdf".into(),
        ..Default::default()
    };
    let answer = c.ingest_readout(request).await.unwrap().into_inner();
    assert!(!answer.already_ingested, "{answer:?}");
    let pages: Vec<(String, u32)> = answer
        .commitments
        .iter()
        .map(|c| (c.id.clone(), page_of(&c.text, &one, &two)))
        .collect();
    let mut seen: Vec<u32> = pages.iter().map(|(_, p)| *p).collect();
    seen.dedup();
    assert_eq!(seen, [1, 2], "{pages:?}");
    for (c, (_, page)) in answer.commitments.iter().zip(&pages) {
        assert_eq!(c.page, *page, "the answer: {c:?}");
    }
    for (id, page) in &pages {
        let tracked = h.commitment_at(id, answer.position).await;
        assert_eq!(tracked.page, *page, "the tracker: {tracked:?}");
    }
    // The log has it: a rebuild from the log gives every page back.
    let mut progress = c.rebuild(pb::RebuildRequest {}).await.unwrap().into_inner();
    let mut last = None;
    while let Some(p) = progress.next().await {
        last = Some(p.unwrap());
    }
    assert!(last.unwrap().swapped);
    for (id, page) in &pages {
        assert_eq!(
            h.commitment(id).await.page,
            *page,
            "after the rebuild: {id}"
        );
    }

    // The HTTP JSON, the board's commitment page and `accord show`.
    let (id, page) = pages.last().unwrap().clone();
    let http = accord_http::Http {
        service: h.app().service.clone(),
        tokens: crate::board::tokens(),
        clock: h.config().clock,
    };
    let base = serve(accord_http::router(http)).await;
    let web = accord_http_client::client().unwrap();
    let get = |path: String| {
        web.get(format!("{base}{path}"))
            .header("authorization", "Bearer reader-token")
            .send()
    };
    let body = get(format!("/api/v1/commitments/{id}")).await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&body.text().await.unwrap()).unwrap();
    assert_eq!(json["commitment"]["page"], page, "{json}");
    let board = get(format!("/commitments/{id}")).await.unwrap();
    let html = board.text().await.unwrap();
    assert!(
        html.contains(&format!("<span id=\"page\">page {page}</span>")),
        "{html}"
    );
    let server = format!("http://{}", h.app().addr);
    let shown = tokio::task::spawn_blocking(move || accord(&["show", "--server", &server, &id]))
        .await
        .unwrap();
    assert!(shown.0, "{}", shown.2);
    assert!(shown.1.contains(&format!("  page {page}")), "{}", shown.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_pdfs_over_grpc_are_invalid_argument_naming_the_problem() {
    let h = Harness::start().await;
    let (pdf, _, _) = seed_pdf();
    let bus = h.bus().await;
    let mut c = h.client().await;
    let request = |text: &str, pdf: Vec<u8>| pb::IngestReadoutRequest {
        text: text.into(),
        pdf,
        date: SEED_DATE.into(),
        ..Default::default()
    };
    let huge = vec![b' '; accord_api::limits::MAX_PDF_BYTES + 1];
    for (request, expected) in [
        (
            request("", accord_testkit::pdf::encrypted(&[&["Japan would act."]])),
            "pdf: encrypted PDF",
        ),
        (
            request("", accord_testkit::pdf::pdf(&[&[], &[]])),
            "pdf: PDF has no text on its 2 page(s)",
        ),
        (
            request("", pdf[..pdf.len() / 3].to_vec()),
            "pdf: malformed PDF",
        ),
        (request("", b"<html>not a pdf".to_vec()), "pdf: not a PDF"),
        (request(SEED, pdf.clone()), "pdf: is set and so is `text`"),
        (
            request("", huge),
            "pdf: is 3145729 bytes; the limit is 3145728",
        ),
    ] {
        let before = bus.message_count().await.unwrap();
        let status = c.ingest_readout(request).await.unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
        assert!(
            status.message().starts_with(expected),
            "{:?} is not {expected:?}",
            status.message()
        );
        assert_eq!(bus.message_count().await.unwrap(), before, "{expected}");
    }
}

#[test]
fn unreadable_pdfs_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _, _) = seed_pdf();
    for (name, bytes, reason) in [
        (
            "scan.pdf",
            accord_testkit::pdf::pdf(&[&[]]),
            "PDF has no text",
        ),
        ("cut.pdf", pdf[..pdf.len() / 3].to_vec(), "malformed PDF"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let path = file.to_str().unwrap();
        let (ok, _, err) = accord(&["extract", path, "--date", SEED_DATE]);
        assert!(!ok, "{name}");
        assert!(err.contains(&format!("{path}: {reason}")), "{name}: {err}");
    }
}
