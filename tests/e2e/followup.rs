//! Issue #4: every commitment followed to its end, by analysts and by later readouts.

use crate::harness::{check, ipcp, Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use accord_proto::v1::record_follow_up_request::FollowUp;
use time::macros::datetime;
use tonic::Code;

async fn get(
    h: &Harness,
    id: &str,
    as_of: &str,
    axis: pb::TimeAxis,
) -> Result<pb::Commitment, tonic::Status> {
    let request = pb::GetCommitmentRequest {
        id: id.into(),
        min_position: None,
        as_of: as_of.into(),
        as_of_axis: axis as i32,
    };
    Ok(h.client()
        .await
        .get_commitment(request)
        .await?
        .into_inner()
        .commitment
        .unwrap())
}

fn assess(
    id: &str,
    version: u64,
    command_id: &str,
    status: pb::Status,
    effective: &str,
) -> pb::RecordFollowUpRequest {
    pb::RecordFollowUpRequest {
        commitment_id: id.into(),
        expected_version: version,
        command_id: command_id.into(),
        follow_up: Some(FollowUp::Assess(pb::AssessStatus {
            status: status as i32,
            effective: effective.into(),
            assessor: "analyst".into(),
            ..Default::default()
        })),
    }
}

#[tokio::test]
async fn a_later_readout_fulfils_the_ipcp_with_evidence_and_positions() {
    let mut h = Harness::start().await;
    h.set_now(datetime!(2017-11-01 09:00 UTC));
    let seed = h.ingest(SEED, SEED_DATE).await;
    let before = ipcp(&seed.commitments);
    assert!(seed.follow_ups.is_empty());

    h.set_now(datetime!(2018-10-19 09:00 UTC));
    let later = h.ingest_later().await;
    assert!(
        later.follow_ups.is_empty(),
        "ingest no longer links in line"
    );
    let linked_at = h.links_done(&later).await;
    let now = h.linked(&before.id, &later.document_id).await;
    assert_eq!(now.status, pb::Status::Fulfilled as i32, "{now:#?}");
    assert_eq!(now.evidence.len(), 1);
    let evidence = &now.evidence[0];
    assert_eq!(evidence.document_id, later.document_id);
    assert_eq!(evidence.kind, "completion");
    assert!(
        evidence
            .snippet
            .contains("completion in May this year of the update"),
        "{}",
        evidence.snippet
    );
    assert!(evidence.position > later.position && evidence.position <= linked_at);
    // The linker says why: the cue, the shared instrument, the parties, the date.
    let signals = evidence
        .signals
        .as_ref()
        .expect("linked evidence carries its signals");
    assert!(signals.cue.contains("completion"), "{signals:?}");
    assert!(
        signals.shared_names.iter().any(|n| n == "ipcp"),
        "{signals:?}"
    );
    assert!(signals.decision.starts_with("applied"), "{signals:?}");
    // "the completion in May this year": the evidence dates from May 2018.
    assert_eq!(evidence.date, "2018-05-01");
    assert_eq!(signals.dated_by, "in May this year");
    // Every status names the events behind it: the assessment and its evidence.
    assert!(
        now.status_positions.contains(&evidence.position),
        "{:?}",
        now.status_positions
    );
    assert!(
        now.status_positions
            .iter()
            .all(|p| *p > later.position && *p <= linked_at),
        "{:?}",
        now.status_positions
    );
    for party in &now.party_statuses {
        assert_eq!(party.status, pb::Status::Fulfilled as i32);
        assert_eq!(party.positions, now.status_positions);
    }

    // As of a date before the completion (May 2018), on both time axes:
    // the 2017 status. On the occurred axis it was fulfilled in May; on the
    // recorded axis only once the 2018 readout was ingested (October).
    for axis in [pb::TimeAxis::Occurred, pb::TimeAxis::Recorded] {
        let then = get(&h, &before.id, "2018-04-30", axis).await.unwrap();
        assert_eq!(then.status, pb::Status::NotYetAssessed as i32, "{axis:?}");
        assert!(then.evidence.is_empty());
        let after = get(&h, &before.id, "2018-10-20", axis).await.unwrap();
        assert_eq!(after.status, pb::Status::Fulfilled as i32, "{axis:?}");
    }
    let june = |axis| get(&h, &before.id, "2018-06-30", axis);
    let occurred = june(pb::TimeAxis::Occurred).await.unwrap();
    assert_eq!(occurred.status, pb::Status::Fulfilled as i32);
    let recorded = june(pb::TimeAxis::Recorded).await.unwrap();
    assert_eq!(recorded.status, pb::Status::NotYetAssessed as i32);
    let err = get(&h, &before.id, "2017-01-01", pb::TimeAxis::Occurred)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err:?}");

    // Rebuilt from the log: identical answers.
    let snapshot = h.snapshot(linked_at).await;
    let full = get(&h, &before.id, "", pb::TimeAxis::Unspecified)
        .await
        .unwrap();
    let digest = h.app().store.as_ref().unwrap().digest().unwrap();
    h.stop_app().await;
    std::fs::remove_dir_all(h.projection_dir()).unwrap();
    h.start_app(None).await;
    assert_eq!(h.snapshot(linked_at).await, snapshot);
    assert_eq!(
        get(&h, &before.id, "", pb::TimeAxis::Unspecified)
            .await
            .unwrap(),
        full
    );
    assert_eq!(h.app().store.as_ref().unwrap().digest().unwrap(), digest);
}

#[tokio::test]
async fn concurrent_follow_ups_one_wins_the_other_is_aborted() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    // The ingest is acknowledged before it is projected.
    let mut projected = h.app().position.clone().unwrap();
    projected.wait_for(|&p| p >= seed.position).await.unwrap();
    let version = get(&h, &target.id, "", pb::TimeAxis::Unspecified)
        .await
        .unwrap()
        .version;

    let (mut a, mut b) = (h.client().await, h.client().await);
    let (ra, rb) = tokio::join!(
        a.record_follow_up(assess(
            &target.id,
            version,
            "analyst-a",
            pb::Status::InProgress,
            "2018-01-10"
        )),
        b.record_follow_up(assess(
            &target.id,
            version,
            "analyst-b",
            pb::Status::Stalled,
            "2018-01-11"
        )),
    );
    let (winner, loser) = match (ra, rb) {
        (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w.into_inner(), l),
        other => panic!("exactly one must win: {other:?}"),
    };
    assert_eq!(loser.code(), Code::Aborted, "{loser:?}");
    assert!(
        loser
            .message()
            .contains(&format!("at version {}", winner.version)),
        "{}",
        loser.message()
    );
    let now = get(&h, &target.id, "", pb::TimeAxis::Unspecified)
        .await
        .unwrap();
    assert_eq!(
        now.history.len(),
        2,
        "one assessment (two parties), not two: {:#?}",
        now.history
    );
}

#[tokio::test]
async fn a_retried_command_id_appends_once() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    let mut c = h.client().await;
    let bus = h.bus().await;

    let first = c
        .record_follow_up(assess(
            &target.id,
            target.version,
            "retry-1",
            pb::Status::InProgress,
            "2018-01-10",
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(!first.replayed && !first.positions.is_empty());
    let count = bus.message_count().await.unwrap();
    // The retry carries the old (now stale) version: still the first result.
    let again = c
        .record_follow_up(assess(
            &target.id,
            target.version,
            "retry-1",
            pb::Status::InProgress,
            "2018-01-10",
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(again.replayed);
    assert_eq!(again.positions, first.positions);
    assert_eq!(
        bus.message_count().await.unwrap(),
        count,
        "a retry appends nothing"
    );
    // A new command with the stale version loses.
    let stale = c
        .record_follow_up(assess(
            &target.id,
            target.version,
            "retry-2",
            pb::Status::Stalled,
            "2018-01-10",
        ))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Code::Aborted);
}

#[tokio::test]
async fn illegal_changes_are_refused_naming_both_states() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    let mut c = h.client().await;

    check(
        c.record_follow_up(assess(
            &target.id,
            target.version,
            "f1",
            pb::Status::Fulfilled,
            "2018-05-01",
        ))
        .await,
        Code::FailedPrecondition,
        "reaffirmation alone never fulfils",
    );

    let evidence = pb::RecordFollowUpRequest {
        commitment_id: target.id.clone(),
        expected_version: target.version,
        command_id: "e1".into(),
        follow_up: Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                evidence_id: "nato-press-2018-05".into(),
                kind: "completion".into(),
                date: "2018-05-31".into(),
                snippet: "IPCP update completed".into(),
                source_type: "press_release".into(),
                ..Default::default()
            }),
            by: "analyst".into(),
        })),
    };
    let v = c
        .record_follow_up(evidence)
        .await
        .unwrap()
        .into_inner()
        .version;
    let done = c
        .record_follow_up(assess(
            &target.id,
            v,
            "f2",
            pb::Status::Fulfilled,
            "2018-05-31",
        ))
        .await
        .unwrap()
        .into_inner();
    check(
        c.record_follow_up(assess(
            &target.id,
            done.version,
            "f3",
            pb::Status::InProgress,
            "2018-06-01",
        ))
        .await,
        Code::FailedPrecondition,
        "from fulfilled to in_progress",
    );

    check(
        c.record_follow_up(assess(
            &target.id,
            done.version,
            "",
            pb::Status::Stalled,
            "2018-06-01",
        ))
        .await,
        Code::InvalidArgument,
        "command_id",
    );
    let unknown = c
        .record_follow_up(assess(
            "c00000000000000000000",
            1,
            "x",
            pb::Status::Stalled,
            "2018-06-01",
        ))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    // Report: JPN has one fulfilled commitment and the rest unassessed.
    let report = c
        .get_compliance_report(pb::GetComplianceReportRequest {
            party: "JPN".into(),
            min_position: Some(done.version),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(report.assessed, 1);
    assert_eq!(report.score, Some(1.0));
    assert!(report
        .counts
        .iter()
        .any(|c| c.status == pb::Status::Fulfilled as i32 && c.count == 1));
}

#[tokio::test]
async fn a_rejected_extraction_leaves_the_tracker_but_not_the_log() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = &seed.commitments[0];
    let mut c = h.client().await;
    let request = pb::ReviewCommitmentRequest {
        commitment_id: target.id.clone(),
        expected_version: target.version,
        command_id: "reject-1".into(),
        review: Some(pb::review_commitment_request::Review::Reject(pb::Reject {
            by: "reviewer".into(),
            reason: "a courtesy, not a pledge".into(),
        })),
    };
    let done = c.review_commitment(request).await.unwrap().into_inner();
    let listed = c
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(done.version),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.commitments.len(), seed.commitments.len() - 1);
    assert!(listed.commitments.iter().all(|x| x.id != target.id));
    let all = c
        .list_commitments(pb::ListCommitmentsRequest {
            include_untracked: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.commitments.len(), seed.commitments.len());
    let rejected = get(&h, &target.id, "", pb::TimeAxis::Unspecified)
        .await
        .unwrap();
    assert_eq!(rejected.review, "rejected");
}

/// The `follow_ups` of the dev gold corpus, as end-to-end cases: ingest the
/// earlier readout, then the later one; the earlier commitment the gold
/// names must end with the gold outcome, with the later readout as evidence.
#[tokio::test]
async fn gold_follow_ups_reach_their_outcomes() {
    let corpus = accord_testkit::workspace_root().join("../shared/corpus");
    let mut cases = 0;
    for entry in std::fs::read_dir(corpus.join("gold")).unwrap() {
        let gold: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        let Some(follow_ups) = gold["follow_ups"].as_array().filter(|f| !f.is_empty()) else {
            continue;
        };
        for f in follow_ups {
            let earlier_name = f["refers_to"]["document"].as_str().unwrap();
            let earlier_gold: serde_json::Value = serde_json::from_slice(
                &std::fs::read(
                    corpus
                        .join("gold")
                        .join(earlier_name.replace(".txt", ".json")),
                )
                .unwrap(),
            )
            .unwrap();
            let h = Harness::start().await;
            let earlier_text =
                std::fs::read_to_string(corpus.join("readouts").join(earlier_name)).unwrap();
            let earlier = h
                .ingest(&earlier_text, earlier_gold["date"].as_str().unwrap())
                .await;
            let later_text = std::fs::read_to_string(
                corpus
                    .join("readouts")
                    .join(gold["document"].as_str().unwrap()),
            )
            .unwrap();
            let later = h.ingest(&later_text, gold["date"].as_str().unwrap()).await;
            h.links_done(&later).await;

            // The earlier commitment whose span covers the gold anchor.
            let anchor = f["refers_to"]["anchor"].as_str().unwrap();
            let at = earlier_text
                .find(anchor)
                .expect("anchor in the earlier readout");
            let target = earlier
                .commitments
                .iter()
                .find(|c| {
                    c.span.as_ref().is_some_and(|s| {
                        s.start as usize <= at && at + anchor.len() <= s.end as usize
                    })
                })
                .unwrap_or_else(|| panic!("no commitment covers {anchor:?}"));
            let now = h.commitment(&target.id).await;
            let expected = format!("STATUS_{}", f["outcome"].as_str().unwrap().to_uppercase());
            assert_eq!(
                pb::Status::try_from(now.status).unwrap().as_str_name(),
                expected,
                "{anchor:?}"
            );
            assert!(
                now.evidence
                    .iter()
                    .any(|e| e.document_id == later.document_id),
                "{now:#?}"
            );
            let snippet = f["anchor"].as_str().unwrap();
            assert!(
                now.evidence.iter().any(|e| e.snippet.contains(snippet)),
                "evidence should quote {snippet:?}: {:#?}",
                now.evidence
            );
            cases += 1;
        }
    }
    assert!(cases > 0, "the dev corpus has follow-up cases");
}
