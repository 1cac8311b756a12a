//! The follow-up linker as its own consumer: ingest order does not matter
//! (backfill), a relink appends only what is new, and every link says why.

use crate::harness::{
    Harness, FOLLOW_UP_DATE, FOLLOW_UP_TEXT, LATER_DATE, LATER_TEXT, SEED, SEED_DATE,
};
use accord_proto::v1 as pb;

/// What the tracker says of each commitment of the seed, by its text:
/// status, and the evidence (document, date, kind, snippet) behind it.
async fn outcome(h: &Harness, seed: &pb::IngestReadoutResponse) -> Vec<(String, i32, Vec<String>)> {
    let mut out = Vec::new();
    for c in &seed.commitments {
        let now = h.commitment(&c.id).await;
        let mut evidence: Vec<String> = now
            .evidence
            .iter()
            .chain(now.proposals.iter().filter_map(|p| p.evidence.as_ref()))
            .map(|e| format!("{} {} {} {}", e.document_id, e.date, e.kind, e.snippet))
            .collect();
        evidence.sort();
        out.push((now.text, now.status, evidence));
    }
    out.sort();
    out
}

#[tokio::test]
async fn ingest_order_does_not_matter_and_relink_appends_nothing_new() {
    // In order: the 2017 promise, then the 2018 readout reporting on it.
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let later = h.ingest(LATER_TEXT, LATER_DATE).await;
    h.links_done(&later).await;
    let follow_up = h.ingest(FOLLOW_UP_TEXT, FOLLOW_UP_DATE).await;
    h.links_done(&follow_up).await;
    let in_order = outcome(&h, &seed).await;
    let ipcp = crate::harness::ipcp(&seed.commitments);
    let fulfilled = h.linked(&ipcp.id, &later.document_id).await;
    assert_eq!(fulfilled.status, pb::Status::Fulfilled as i32);

    // Reversed: the 2018 and 2019 readouts first; nothing earlier to link to yet.
    let r = Harness::start().await;
    let later_first = r.ingest(LATER_TEXT, LATER_DATE).await;
    r.links_done(&later_first).await;
    let follow_up_first = r.ingest(FOLLOW_UP_TEXT, FOLLOW_UP_DATE).await;
    r.links_done(&follow_up_first).await;
    let seed_after = r.ingest(SEED, SEED_DATE).await;
    // The 2017 readout arrives: the linker reads the 2018 text again (backfill).
    r.links_done(&seed_after).await;
    let ipcp_after = crate::harness::ipcp(&seed_after.commitments);
    let backfilled = r.linked(&ipcp_after.id, &later_first.document_id).await;
    assert_eq!(
        backfilled.status,
        pb::Status::Fulfilled as i32,
        "{backfilled:#?}"
    );
    assert_eq!(
        outcome(&r, &seed_after).await,
        in_order,
        "same links whatever the order"
    );

    // Relink over the whole log: every link is already there, nothing appended.
    let before = r.bus().await.message_count().await.unwrap();
    let mut client = r.client().await;
    let relinked = relink(&mut client).await;
    assert_eq!(relinked.readouts, 3, "{relinked:?}");
    assert!(relinked.already >= 1, "{relinked:?}");
    assert_eq!(
        (relinked.applied, relinked.proposed, relinked.failed),
        (0, 0, 0),
        "{relinked:?}"
    );
    assert_eq!(r.bus().await.message_count().await.unwrap(), before);
}

/// Links the whole log again, as `accord relink` does.
async fn relink(
    client: &mut accord_proto::v1::accord_client::AccordClient<tonic::transport::Channel>,
) -> pb::RelinkResponse {
    client
        .relink(pb::RelinkRequest {})
        .await
        .expect("relink")
        .into_inner()
}

/// An analyst's status as a follow-up request.
fn assessed(
    c: &pb::Commitment,
    status: pb::Status,
    reassessment: bool,
) -> pb::RecordFollowUpRequest {
    use pb::record_follow_up_request::FollowUp;
    pb::RecordFollowUpRequest {
        commitment_id: c.id.clone(),
        expected_version: c.version,
        command_id: format!("analyst:{status:?}"),
        follow_up: Some(FollowUp::Assess(pb::AssessStatus {
            status: status as i32,
            effective: "2018-06-01".into(),
            assessor: "analyst".into(),
            reassessment,
            ..Default::default()
        })),
    }
}

#[tokio::test]
async fn a_link_that_applies_on_relink_settles_the_proposal_it_had_left() {
    // An analyst closed the IPCP as not fulfilled; the 2018 readout's
    // report of it cannot change a terminal status, so it waits for review.
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let ipcp = crate::harness::ipcp(&seed.commitments);
    let mut client = h.client().await;
    let closed = pb::Status::NotFulfilled;
    client
        .record_follow_up(assessed(&ipcp, closed, false))
        .await
        .expect("assess");
    let later = h.ingest(LATER_TEXT, LATER_DATE).await;
    h.links_done(&later).await;
    let waiting = h.linked(&ipcp.id, &later.document_id).await;
    assert_eq!(waiting.status, closed as i32, "{waiting:#?}");
    assert_eq!(waiting.proposals.len(), 1, "{waiting:#?}");

    // A reassessment reopens it; relink now applies the link, and the
    // proposal it had left is dismissed rather than left for a reviewer.
    client
        .record_follow_up(assessed(&waiting, pb::Status::InProgress, true))
        .await
        .expect("reassess");
    let relinked = relink(&mut client).await;
    assert_eq!((relinked.applied, relinked.settled), (1, 1), "{relinked:?}");
    let last = h.bus().await.last_canonical_position().await.unwrap();
    let now = h.commitment_at(&ipcp.id, last).await;
    assert_eq!(now.status, pb::Status::Fulfilled as i32, "{now:#?}");
    assert!(now.proposals.is_empty(), "{now:#?}");

    // Relink again: nothing new, nothing settled twice.
    let again = relink(&mut client).await;
    assert_eq!((again.applied, again.settled), (0, 0), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_commitment_shows_why_in_the_cli() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let later = h.ingest(LATER_TEXT, LATER_DATE).await;
    h.links_done(&later).await;
    let ipcp = crate::harness::ipcp(&seed.commitments);
    h.linked(&ipcp.id, &later.document_id).await;
    let out = std::process::Command::new(crate::faults::support::accord_bin())
        .args([
            "show",
            &ipcp.id,
            "--server",
            &format!("http://{}", h.app().addr),
        ])
        .output()
        .expect("run accord show");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("linked: cue \"welcomed the completion\""),
        "{stdout}"
    );
    assert!(stdout.contains("shared names ipcp"), "{stdout}");
    assert!(stdout.contains("dated by in May"), "{stdout}");
}

const FIJI_2023: &str = "Japan-Fiji Summit Meeting\n\nOn 20 July 2023, Prime Minister Kishida held a summit meeting with Prime Minister Rabuka of Fiji in Tokyo.\n\nPrime Minister Kishida stated that Japan would provide maritime security equipment, including communication systems.\n";
/// Says the promise again in full, so that only the table decides: with
/// three of its words ("the maritime security equipment had been handed
/// over") the reranking model retrained on 88 chain sets gives the pair 0.43,
/// under what a proposal needs.
const REPORT: &str = "Prime Minister Kishida stated that the maritime security equipment, including communication systems, had been handed over in November.\n";

#[tokio::test]
async fn a_promise_made_to_one_partner_is_not_reported_at_a_meeting_with_another() {
    let h = Harness::start().await;
    let fiji = h.ingest(FIJI_2023, "2023-07-20").await;
    h.links_done(&fiji).await;
    let equipment = &fiji.commitments[0];
    assert!(
        equipment.text.contains("maritime security equipment"),
        "{fiji:#?}"
    );

    // The same words at a meeting with Malaysia: Fiji, to whom it was
    // promised, is not there (the linker reads who met from ReadoutText.meeting).
    let malaysia = h
        .ingest(
            &format!("Japan-Malaysia Summit Meeting\n\nOn 16 December 2023, Prime Minister Kishida held a summit meeting with Prime Minister Anwar of Malaysia in Tokyo.\n\n{REPORT}"),
            "2023-12-16",
        )
        .await;
    h.links_done(&malaysia).await;
    let after = h.commitment(&equipment.id).await;
    let from_malaysia = after
        .evidence
        .iter()
        .chain(after.proposals.iter().filter_map(|p| p.evidence.as_ref()))
        .any(|e| e.document_id == malaysia.document_id);
    assert!(!from_malaysia, "{after:#?}");

    // At the next meeting with Fiji, the same sentence reports on it.
    let fiji_again = h
        .ingest(
            &format!("Japan-Fiji Summit Meeting\n\nOn 17 July 2024, Prime Minister Kishida held a summit meeting with Prime Minister Rabuka of Fiji in Tokyo.\n\n{REPORT}"),
            "2024-07-17",
        )
        .await;
    h.links_done(&fiji_again).await;
    h.linked(&equipment.id, &fiji_again.document_id).await;
}

const MOROCCO_HEAD: &str = "Japan-Morocco Foreign Ministers' Meeting\n\n";

#[tokio::test]
/// The report names the dialogue the first promise launched: it is on that
/// promise (the linker no longer follows a promise to its newest
/// restatement: the chain corpus's writers linked the original more often).
/// The "hold it" restatement between them is read with what "it" stands
/// for, the dialogue's first meeting, and the meeting held meets it too:
/// left alone, it would fall overdue though the meeting took place.
async fn a_report_names_the_promise_it_is_on_even_after_a_restatement() {
    let h = Harness::start().await;
    let first = h
        .ingest(
            &format!("{MOROCCO_HEAD}On 28 August 2022, Foreign Minister Hayashi held a meeting with Foreign Minister Bourita of Morocco in Tokyo.\n\nThe two ministers decided to launch a Japan-Morocco Policy Dialogue on Green Hydrogen, with a view to holding its first meeting in Tokyo within the next year.\n"),
            "2022-08-28",
        )
        .await;
    h.links_done(&first).await;
    let launch = &first.commitments[0];

    // Not held yet, and promised anew in the same sentence.
    let middle = h
        .ingest(
            &format!("{MOROCCO_HEAD}On 16 May 2024, Foreign Minister Kamikawa held a meeting with Foreign Minister Bourita of Morocco in Tokyo.\n\nThe two ministers noted that the first meeting of the Policy Dialogue on Green Hydrogen had not yet been held, and confirmed their intention to hold it in the second half of this year in Rabat.\n"),
            "2024-05-16",
        )
        .await;
    h.links_done(&middle).await;
    h.linked(&launch.id, &middle.document_id).await;
    let anew = middle
        .commitments
        .iter()
        .find(|c| c.text.contains("hold it"))
        .unwrap_or_else(|| panic!("the promise made anew was not extracted: {middle:#?}"));

    // The meeting held: the report is on the promise that named the dialogue.
    let held = h
        .ingest(
            &format!("{MOROCCO_HEAD}On 20 August 2025, Foreign Minister Iwaya held a meeting with Foreign Minister Bourita of Morocco in Yokohama.\n\nThe two ministers welcomed the holding of the first meeting of the Japan-Morocco Policy Dialogue on Green Hydrogen in Rabat in October last year.\n"),
            "2025-08-20",
        )
        .await;
    h.links_done(&held).await;
    h.linked(&launch.id, &held.document_id).await;
    let restated = h.commitment(&anew.id).await;
    let from_held = restated
        .evidence
        .iter()
        .chain(
            restated
                .proposals
                .iter()
                .filter_map(|p| p.evidence.as_ref()),
        )
        .any(|e| e.document_id == held.document_id);
    assert!(
        from_held,
        "the restatement (\"hold it\": the first meeting) was not met by the meeting held: {restated:#?}"
    );
}
