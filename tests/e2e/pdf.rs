//! PDF readouts through the `accord` binary: `accord extract FILE.pdf`
//! (spans into the extracted text, a page per commitment) and `accord
//! ingest FILE.pdf`; unreadable PDFs refused naming the file.

use crate::faults::support::accord_bin;
use crate::harness::{Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use std::process::Command;

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
