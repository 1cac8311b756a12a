//! Generated requests (proptest strategies, drawn deterministically) against
//! one running server: every RPC with arbitrary field values — empty and
//! huge strings, unicode and control characters, extreme dates, u64 and
//! i32 limits. None may answer INTERNAL or UNKNOWN, a refused request
//! appends nothing, an accepted one appends whole, and afterwards the
//! server still answers health and a real query.

use crate::harness::{wait_health, Harness, SEED, SEED_DATE, SERVING};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use tonic::transport::Channel;
use tonic::Code;

/// Requests per RPC: enough to cover every strategy arm, fast on 2 cores.
const CASES: usize = 64;

fn draw<S: Strategy>(runner: &mut TestRunner, s: S) -> S::Value {
    s.new_tree(runner).expect("a value").current()
}

/// Strings a client may send: real ids among arbitrary text.
fn text(runner: &mut TestRunner, real: &[String]) -> String {
    let real = real.to_vec();
    let s = prop_oneof![
        Just(String::new()),
        "\\PC{0,40}",
        ".{0,24}",
        "[ \t\r\n\u{0}\u{7f}\u{200b}\u{feff}]{0,8}",
        (1usize..4).prop_map(|k| "é漢🙂".repeat(k * 400)),
        Just("x".repeat(300 << 10)),
        Just("y".repeat(5 << 10)),
        "[+-]?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}",
        "(1899|1900|2017|2200|2201|9999|0000)-(00|01|02|12|13)-(00|01|28|29|31|32)",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
        "[A-Z]{2,4}|[a-z_]{3,20}",
        proptest::sample::select(real),
    ];
    draw(runner, s)
}

fn number(runner: &mut TestRunner) -> u64 {
    draw(
        runner,
        prop_oneof![
            Just(0u64),
            Just(1),
            Just(u64::MAX),
            Just(u64::MAX - 1),
            Just(i64::MAX as u64 + 1),
            0u64..200,
            any::<u64>(),
        ],
    )
}

fn small(runner: &mut TestRunner) -> i32 {
    draw(
        runner,
        prop_oneof![Just(i32::MIN), Just(i32::MAX), -3i32..16, any::<i32>()],
    )
}

fn texts(runner: &mut TestRunner, real: &[String]) -> Vec<String> {
    let n = draw(runner, prop_oneof![0usize..3, Just(80)]);
    (0..n).map(|_| text(runner, real)).collect()
}

fn evidence(r: &mut TestRunner, real: &[String]) -> pb::Evidence {
    pb::Evidence {
        evidence_id: text(r, real),
        kind: text(r, real),
        evidence_kind: small(r),
        source_url: text(r, real),
        date: text(r, real),
        source_type: text(r, real),
        snippet: text(r, real),
        document_id: text(r, real),
        span: Some(pb::Span {
            start: number(r),
            end: number(r),
        }),
        link_confidence: draw(r, any::<f32>()),
        ..Default::default()
    }
}

fn follow_up(r: &mut TestRunner, real: &[String]) -> pb::RecordFollowUpRequest {
    use pb::record_follow_up_request::FollowUp;
    let follow_up = match draw(r, 0..6) {
        0 => None,
        1 => Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(evidence(r, real)),
            by: text(r, real),
        })),
        2 => Some(FollowUp::Assess(pb::AssessStatus {
            party: text(r, real),
            status: small(r),
            reason: text(r, real),
            effective: text(r, real),
            assessor: text(r, real),
            note: text(r, real),
            reassessment: draw(r, any::<bool>()),
            evidence_ids: texts(r, real),
        })),
        3 => Some(FollowUp::Supersede(pb::Supersede {
            successor: text(r, real),
            effective: text(r, real),
            by: text(r, real),
            evidence_ids: texts(r, real),
        })),
        4 => Some(FollowUp::ExtendDeadline(pb::ExtendDeadline {
            to: text(r, real),
            reason: text(r, real),
            by: text(r, real),
        })),
        _ => Some(FollowUp::WaiveDeadline(pb::WaiveDeadline {
            reason: text(r, real),
            by: text(r, real),
        })),
    };
    pb::RecordFollowUpRequest {
        commitment_id: text(r, real),
        expected_version: number(r),
        command_id: text(r, real),
        follow_up,
    }
}

fn review(r: &mut TestRunner, real: &[String]) -> pb::ReviewCommitmentRequest {
    use pb::review_commitment_request::Review;
    let review = match draw(r, 0..5) {
        0 => None,
        1 => Some(Review::Confirm(pb::Confirm {
            by: text(r, real),
            note: text(r, real),
        })),
        2 => Some(Review::Reject(pb::Reject {
            by: text(r, real),
            reason: text(r, real),
        })),
        3 => Some(Review::Merge(pb::Merge {
            into: text(r, real),
            by: text(r, real),
        })),
        _ => Some(Review::Resolve(pb::ResolveProposal {
            proposal_id: text(r, real),
            accept: draw(r, any::<bool>()),
            by: text(r, real),
        })),
    };
    pb::ReviewCommitmentRequest {
        commitment_id: text(r, real),
        expected_version: number(r),
        command_id: text(r, real),
        review,
    }
}

fn min_position(r: &mut TestRunner) -> Option<u64> {
    draw(r, any::<bool>()).then(|| number(r))
}

/// A readout that may well be accepted: the seed with arbitrary lines
/// added, any date in Accord's range (extremes included); as text, or half
/// the time as a PDF of those lines.
fn readout(r: &mut TestRunner, real: &[String]) -> pb::IngestReadoutRequest {
    let date = "(1900|19[0-9]{2}|20[0-9]{2}|2199|2200)-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])";
    let body = format!(
        "{SEED}\n{}\nJapan will invest {} yen in {}.",
        text(r, real),
        number(r),
        text(r, real)
    );
    let (body, pdf) = if draw(r, any::<bool>()) {
        let lines: Vec<&str> = body.lines().collect();
        let (one, two) = lines.split_at(lines.len() / 2);
        (String::new(), accord_testkit::pdf::pdf(&[one, two]))
    } else {
        (body, Vec::new())
    };
    pb::IngestReadoutRequest {
        text: body,
        pdf,
        date: draw(r, date),
        title: text(r, real),
        source: String::new(),
        publisher: draw(r, "|JPN|NATO"),
    }
}

/// Bytes sent as a PDF: mostly none, else arbitrary bytes (with and
/// without a `%PDF-` header), real PDFs cut short or with bytes flipped,
/// encrypted and text-less ones.
fn pdf_bytes(r: &mut TestRunner, real: &[String]) -> Vec<u8> {
    use accord_testkit::pdf;
    let bytes = || proptest::collection::vec(any::<u8>(), 0..2048);
    let good = |r: &mut TestRunner| pdf::pdf(&[&[&text(r, real)], &["Japan would act."]]);
    match draw(r, 0..9) {
        0..=2 => Vec::new(),
        3 => draw(r, bytes()),
        4 => [b"%PDF-1.7\n".to_vec(), draw(r, bytes())].concat(),
        5 => {
            let good = good(r);
            let cut = draw(r, 0..good.len());
            good[..cut].to_vec()
        }
        6 => {
            let mut good = good(r);
            for _ in 0..draw(r, 1..8) {
                let at = draw(r, 0..good.len());
                good[at] = draw(r, any::<u8>());
            }
            good
        }
        7 => pdf::encrypted(&[&["Japan would act."]]),
        _ => pdf::pdf(&[&[], &[]]),
    }
}

/// Half the time, the version a command names is the commitment's
/// current one (so some commands are accepted); else the generated one.
async fn current(
    c: &mut AccordClient<Channel>,
    r: &mut TestRunner,
    id: &str,
    generated: u64,
) -> u64 {
    if !draw(r, any::<bool>()) {
        return generated;
    }
    let request = pb::GetCommitmentRequest {
        id: id.into(),
        ..Default::default()
    };
    match c.get_commitment(request).await {
        Ok(a) => a.into_inner().commitment.map_or(generated, |c| c.version),
        Err(_) => generated,
    }
}

/// What one generated request did: refused, or accepted and appended
/// this many stream messages (events and their party-feed copies).
enum Done {
    Refused(tonic::Status),
    Read,
    Appended(u64),
    /// A readout: its document id and the position of its DocumentIngested.
    Ingested(String, u64),
}

fn refused(s: tonic::Status) -> Done {
    Done::Refused(s)
}

/// A command's answer: its events, each with one copy per committer.
fn command(r: pb::CommandResponse) -> Done {
    let committers = r.commitment.map_or(0, |c| c.committers.len() as u64);
    Done::Appended(r.positions.len() as u64 * (1 + committers))
}

async fn first_item<T>(s: Result<tonic::Response<tonic::Streaming<T>>, tonic::Status>) -> Done {
    let mut stream = match s {
        Ok(s) => s.into_inner(),
        Err(e) => return refused(e),
    };
    match tokio::time::timeout(std::time::Duration::from_millis(200), stream.message()).await {
        Ok(Err(e)) => refused(e),
        _ => Done::Read,
    }
}

async fn one(
    c: &mut AccordClient<Channel>,
    rpc: usize,
    r: &mut TestRunner,
    real: &[String],
) -> (String, Done) {
    macro_rules! call {
        ($req:expr, $method:ident, $ok:expr) => {{
            let req = $req;
            let shown = format!("{req:?}");
            let done = match c.$method(req).await {
                Ok(a) => $ok(a.into_inner()),
                Err(e) => refused(e),
            };
            (shown, done)
        }};
    }
    match rpc {
        0 => call!(
            if draw(r, any::<bool>()) {
                readout(r, real)
            } else {
                pb::IngestReadoutRequest {
                    text: text(r, real),
                    date: text(r, real),
                    title: text(r, real),
                    source: text(r, real),
                    publisher: text(r, real),
                    pdf: pdf_bytes(r, real),
                }
            },
            ingest_readout,
            |a: pb::IngestReadoutResponse| if a.already_ingested {
                Done::Read
            } else {
                Done::Ingested(a.document_id, a.position)
            }
        ),
        1 => call!(
            pb::GetCommitmentRequest {
                id: text(r, real),
                min_position: min_position(r),
                as_of: text(r, real),
                as_of_axis: small(r),
            },
            get_commitment,
            |_| Done::Read
        ),
        2 => call!(
            pb::ListCommitmentsRequest {
                party: text(r, real),
                kind: small(r),
                status: small(r),
                text_contains: text(r, real),
                page_size: small(r),
                page_token: text(r, real),
                min_position: min_position(r),
                status_party: text(r, real),
                topic: text(r, real),
                review_queue: draw(r, any::<bool>()),
                include_untracked: draw(r, any::<bool>()),
            },
            list_commitments,
            |_| Done::Read
        ),
        3 => call!(
            pb::GetDocumentRequest {
                id: text(r, real),
                min_position: min_position(r),
            },
            get_document,
            |_| Done::Read
        ),
        4 => {
            let mut req = follow_up(r, real);
            req.expected_version = current(c, r, &req.commitment_id, req.expected_version).await;
            call!(req, record_follow_up, command)
        }
        5 => {
            let mut req = review(r, real);
            req.expected_version = current(c, r, &req.commitment_id, req.expected_version).await;
            call!(req, review_commitment, command)
        }
        6 => call!(
            pb::GetComplianceReportRequest {
                party: text(r, real),
                since: text(r, real),
                until: text(r, real),
                min_position: min_position(r),
                page_size: small(r),
                page_token: text(r, real),
            },
            get_compliance_report,
            |_| Done::Read
        ),
        7 => {
            let req = pb::WatchCommitmentsRequest {
                from_position: number(r),
                party: text(r, real),
                kind: small(r),
                status: small(r),
                topic: text(r, real),
                text_contains: text(r, real),
            };
            let shown = format!("{req:?}");
            (shown, first_item(c.watch_commitments(req).await).await)
        }
        9 => call!(
            pb::ListDeadLettersRequest {
                page_size: small(r),
                page_token: text(r, real),
            },
            list_dead_letters,
            |_| Done::Read
        ),
        _ => {
            let req = pb::WatchAlertsRequest {
                from_position: number(r),
                party: text(r, real),
                types: texts(r, real),
                changes: (0..draw(r, 0usize..4)).map(|_| small(r)).collect(),
            };
            let shown = format!("{req:?}");
            (shown, first_item(c.watch_alerts(req).await).await)
        }
    }
}

#[tokio::test]
async fn generated_requests_never_fail_the_server() {
    let mut h = Harness::start().await;
    // No linker: nothing appends on its own while message counts are compared.
    h.stop_app().await;
    let mut config = h.config();
    config.linker = false;
    h.app = Some(accord_api::App::start(config).await.unwrap());
    let seed = h.ingest(SEED, SEED_DATE).await;
    let mut real: Vec<String> = seed.commitments.iter().map(|c| c.id.clone()).collect();
    real.push(seed.document_id.clone());
    let bus = h.bus().await;
    let mut c = h.client().await;
    let mut runner = TestRunner::deterministic();
    let mut accepted = 0;
    let mut pdfs_accepted = 0;
    for rpc in 0..10 {
        for _ in 0..CASES {
            let before = bus.message_count().await.unwrap();
            let (request, done) = one(&mut c, rpc, &mut runner, &real).await;
            let shown: String = request.chars().take(600).collect();
            let after = bus.message_count().await.unwrap();
            match done {
                Done::Refused(s) => {
                    assert!(
                        !matches!(s.code(), Code::Internal | Code::Unknown | Code::Unavailable),
                        "{s:?} for {shown}"
                    );
                    assert_eq!(after, before, "a refused request appended: {shown}");
                }
                Done::Read => assert_eq!(after, before, "a read appended: {shown}"),
                Done::Ingested(document, position) => {
                    // One atomic batch, whole: its DocumentIngested is in.
                    assert!(after > before, "{shown}");
                    let subject = accord_bus::subjects::document_ingested(&document);
                    assert_eq!(
                        bus.last_on_subject(&subject).await.unwrap(),
                        Some(position),
                        "{shown}"
                    );
                    accepted += 1;
                    // `pdf` starting with the bytes of "%PDF".
                    pdfs_accepted += request.contains("pdf: [37, 80, 68, 70,") as usize;
                }
                Done::Appended(n) => {
                    assert_eq!(after, before + n, "{shown}");
                    accepted += (n > 0) as usize;
                }
            }
        }
    }
    // The server keeps answering: health and a real query.
    wait_health(h.app().addr, "", SERVING).await;
    let got = h.commitment(&seed.commitments[0].id).await;
    assert_eq!(got.id, seed.commitments[0].id);
    // The strategies reach the write paths, not only the refusals.
    assert!(
        accepted >= 10,
        "only {accepted} generated requests were accepted"
    );
    eprintln!("{accepted} generated requests were accepted, {pdfs_accepted} of them PDFs");
    assert!(pdfs_accepted >= 1, "no generated PDF readout was accepted");
}
