//! Issue 11: no request can panic, exhaust or wedge Accord. Field limits,
//! required versions, group commits that isolate one bad readout, and
//! watches that leave nothing behind when their clients go.

use crate::harness::{check, Harness, SEED, SEED_DATE};
use accord_api::validate::Readout;
use accord_bus::{BusError, Outgoing};
use accord_domain::Event;
use accord_proto::v1 as pb;
use std::time::{Duration, Instant};
use tonic::Code;

#[tokio::test]
async fn a_two_mib_field_is_invalid_argument_naming_it_and_its_limit() {
    use pb::record_follow_up_request::FollowUp;
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = &seed.commitments[0];
    let mut c = h.client().await;
    let two_mib = "n".repeat(2 << 20);
    let note = c
        .record_follow_up(pb::RecordFollowUpRequest {
            commitment_id: target.id.clone(),
            expected_version: target.version,
            command_id: "big-note".into(),
            follow_up: Some(FollowUp::Assess(pb::AssessStatus {
                status: pb::Status::InProgress as i32,
                effective: "2018-01-01".into(),
                note: two_mib.clone(),
                ..Default::default()
            })),
        })
        .await;
    let limit = accord_api::limits::MAX_NOTE_BYTES.to_string();
    check(note, Code::InvalidArgument, "assess.note: ");
    let text = c
        .ingest_readout(pb::IngestReadoutRequest {
            text: two_mib.clone(),
            date: SEED_DATE.into(),
            ..Default::default()
        })
        .await;
    check(text, Code::InvalidArgument, "text: ");
    let filter = c
        .list_commitments(pb::ListCommitmentsRequest {
            text_contains: two_mib,
            ..Default::default()
        })
        .await;
    check(filter, Code::InvalidArgument, "text_contains: ");
    // The message says how far is allowed.
    let again = c
        .review_commitment(pb::ReviewCommitmentRequest {
            commitment_id: target.id.clone(),
            expected_version: target.version,
            command_id: "big-reason".into(),
            review: Some(pb::review_commitment_request::Review::Reject(pb::Reject {
                by: "a".into(),
                reason: "r".repeat(accord_api::limits::MAX_NOTE_BYTES + 1),
            })),
        })
        .await;
    check(again, Code::InvalidArgument, &limit);
    // Past the whole request's limit the decoder refuses it, still not UNAVAILABLE.
    let huge = c
        .ingest_readout(pb::IngestReadoutRequest {
            text: "x".repeat(accord_api::limits::MAX_REQUEST_BYTES + 1),
            ..Default::default()
        })
        .await
        .expect_err("refused");
    assert!(
        !matches!(
            huge.code(),
            Code::Unavailable | Code::Internal | Code::Unknown
        ),
        "{huge:?}"
    );
    // Nothing was appended for any of them; the server still answers.
    assert_eq!(h.commitment(&target.id).await.version, target.version);
}

#[tokio::test]
async fn commands_without_an_expected_version_are_refused_by_name() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = &seed.commitments[0];
    let mut c = h.client().await;
    let refused = c
        .review_commitment(pb::ReviewCommitmentRequest {
            commitment_id: target.id.clone(),
            expected_version: 0,
            command_id: "no-version".into(),
            review: Some(pb::review_commitment_request::Review::Confirm(
                pb::Confirm::default(),
            )),
        })
        .await;
    check(refused, Code::InvalidArgument, "expected_version: ");
    let refused = c
        .record_follow_up(pb::RecordFollowUpRequest {
            commitment_id: target.id.clone(),
            expected_version: 0,
            command_id: "no-version".into(),
            follow_up: Some(pb::record_follow_up_request::FollowUp::WaiveDeadline(
                pb::WaiveDeadline {
                    reason: "r".into(),
                    by: "a".into(),
                },
            )),
        })
        .await;
    check(refused, Code::InvalidArgument, "expected_version: ");
    assert_eq!(h.commitment(&target.id).await.version, target.version);
}

/// One readout's events, as ingest plans them.
fn events_of(text: &str) -> Vec<Outgoing> {
    let date = time::macros::date!(2017 - 10 - 31);
    let readout = Readout {
        text: text.into(),
        date: Some(date),
        publisher: None,
        title: None,
        source: None,
        page_starts: Vec::new(),
    };
    let options = accord_extract::Options {
        date: Some(date),
        ..Default::default()
    };
    let extraction = accord_extract::extract(text.as_bytes(), &options).expect("extracts");
    let plan = accord_api::ingest::plan(
        &readout,
        &extraction,
        &Default::default(),
        time::macros::datetime!(2026-11-27 12:00 UTC),
    )
    .expect("plans");
    plan.envelopes.into_iter().map(Outgoing::new).collect()
}

fn messages_of(events: &[Outgoing]) -> u64 {
    events.iter().map(|o| 1 + o.parties.len() as u64).sum()
}

#[tokio::test]
async fn one_bad_readout_in_a_group_commit_fails_alone() {
    let h = Harness::start().await;
    let bus = h.bus().await;
    let appender = accord_api::appender::Appender::start(bus.clone());
    let before = bus.message_count().await.unwrap();
    let good: Vec<Vec<Outgoing>> = (0..6)
        .map(|i| {
            events_of(&format!(
                "{SEED}\nJapan would hold talks with NATO in round {i}."
            ))
        })
        .collect();
    let mut headless = events_of(&format!("{SEED}\nJapan would hold talks, round h."));
    headless.pop(); // no DocumentIngested last
    let mut oversized = events_of(&format!("{SEED}\nJapan would hold talks, round o."));
    for o in &mut oversized {
        if let Event::ReadoutText(t) = &mut o.envelope.event {
            t.sentences[0].text = "o".repeat(2 << 20);
        }
    }
    // All at once, so they queue together and share group commits.
    let answers = futures::future::join_all(
        good.iter()
            .cloned()
            .chain([headless, oversized])
            .map(|events| appender.append(events)),
    )
    .await;
    for (i, answer) in answers[..good.len()].iter().enumerate() {
        assert!(answer.is_ok(), "good readout {i}: {answer:?}");
    }
    assert!(
        matches!(&answers[good.len()], Err(BusError::Publish(m)) if m.contains("DocumentIngested")),
        "{:?}",
        answers[good.len()]
    );
    assert!(
        matches!(
            &answers[good.len() + 1],
            Err(BusError::EventTooLarge {
                event: "ReadoutText",
                ..
            })
        ),
        "{:?}",
        answers[good.len() + 1]
    );
    // Exactly the good readouts landed, whole.
    let landed: u64 = good.iter().map(|g| messages_of(g)).sum();
    assert_eq!(bus.message_count().await.unwrap(), before + landed);
}

/// The consumers on the event log right now.
async fn consumers(bus: &accord_bus::Bus) -> usize {
    let js = async_nats::jetstream::new(bus.client().clone());
    let mut stream = js.get_stream(bus.stream_name()).await.unwrap();
    stream.info().await.unwrap().state.consumer_count
}

async fn until_consumers(bus: &accord_bus::Bus, what: &str, ok: impl Fn(usize) -> bool) {
    // Ordered consumers are removed by the server 30 s after their last pull.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = consumers(bus).await;
        if ok(n) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {n} consumers");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn watches_leave_nothing_behind_when_their_clients_go() {
    let h = Harness::start().await;
    h.ingest(SEED, SEED_DATE).await;
    let bus = h.bus().await;
    let baseline = consumers(&bus).await;
    let c = h.client().await;
    let mut open = Vec::new();
    for i in 0..150 {
        let mut c = c.clone();
        if i % 2 == 0 {
            let stream = c
                .watch_commitments(pb::WatchCommitmentsRequest {
                    from_position: 1,
                    ..Default::default()
                })
                .await
                .expect("watch opens")
                .into_inner();
            open.push(futures::future::Either::Left(stream));
        } else {
            let stream = c
                .watch_alerts(pb::WatchAlertsRequest::default())
                .await
                .expect("watch opens")
                .into_inner();
            open.push(futures::future::Either::Right(stream));
        }
    }
    until_consumers(&bus, "every watch has a consumer", |n| n >= baseline + 150).await;
    drop(open);
    drop(c);
    until_consumers(&bus, "consumers back to the baseline", |n| n <= baseline).await;
    // And the server still serves watches and queries.
    let mut again = h
        .client()
        .await
        .watch_commitments(pb::WatchCommitmentsRequest {
            from_position: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(again.message().await.unwrap().is_some());
}

#[tokio::test]
async fn past_max_watches_a_new_watch_is_resource_exhausted() {
    let mut h = Harness::start().await;
    h.stop_app().await;
    let mut config = h.config();
    config.limits.max_watches = 2;
    h.app = Some(accord_api::App::start(config).await.unwrap());
    let mut c = h.client().await;
    let a = c.watch_alerts(pb::WatchAlertsRequest::default()).await;
    let b = c.watch_alerts(pb::WatchAlertsRequest::default()).await;
    assert!(a.is_ok() && b.is_ok());
    check(
        c.watch_alerts(pb::WatchAlertsRequest::default()).await,
        Code::ResourceExhausted,
        "--max-watches",
    );
    drop((a, b));
    // Slots come back once their watches are gone.
    let deadline = Instant::now() + Duration::from_secs(30);
    while c
        .watch_alerts(pb::WatchAlertsRequest::default())
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "watch slots never came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn compliance_reports_come_in_pages_with_whole_totals() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let mut c = h.client().await;
    let ask = |page_size: i32, page_token: String| pb::GetComplianceReportRequest {
        party: "JPN".into(),
        min_position: Some(seed.position),
        page_size,
        page_token,
        ..Default::default()
    };
    let whole = c
        .get_compliance_report(ask(0, String::new()))
        .await
        .unwrap()
        .into_inner();
    assert!(whole.commitments.len() >= 3, "{whole:?}");
    assert_eq!(whole.next_page_token, "");
    let (mut lines, mut token, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let page = c
            .get_compliance_report(ask(2, token))
            .await
            .unwrap()
            .into_inner();
        assert!(page.commitments.len() <= 2);
        assert_eq!(
            (&page.counts, page.assessed),
            (&whole.counts, whole.assessed)
        );
        lines.extend(page.commitments.into_iter().map(|l| l.commitment_id));
        pages += 1;
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    let all: Vec<String> = whole
        .commitments
        .into_iter()
        .map(|l| l.commitment_id)
        .collect();
    assert_eq!(lines, all);
    assert_eq!(pages, all.len().div_ceil(2));
    check(
        c.get_compliance_report(ask(2, "not a token".into())).await,
        Code::InvalidArgument,
        "page_token: ",
    );
    check(
        c.list_dead_letters(pb::ListDeadLettersRequest {
            page_size: 5000,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "page_size: ",
    );
}

/// NATS frozen mid-command: the answer says either that nothing was
/// appended (the batch never got its commit through: `UNAVAILABLE`) or that
/// it may have landed (the commit went out, its acknowledgement did not:
/// `DEADLINE_EXCEEDED`) — and a retry with the same command id lands it
/// exactly once either way.
#[tokio::test]
async fn a_command_cut_off_by_a_frozen_nats_says_what_may_have_happened() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = seed.commitments[0].clone();
    let bus = h.bus().await;
    let before = bus.message_count().await.unwrap();
    let mut c = h.client().await;
    let confirm = pb::ReviewCommitmentRequest {
        commitment_id: target.id.clone(),
        expected_version: target.version,
        command_id: "lost-answer-1".into(),
        review: Some(pb::review_commitment_request::Review::Confirm(
            pb::Confirm {
                by: "analyst".into(),
                note: String::new(),
            },
        )),
    };
    h.nats.pause();
    let cut = c.review_commitment(confirm.clone()).await;
    h.nats.resume();
    let status = cut.expect_err("no answer from a frozen NATS");
    match status.code() {
        Code::Unavailable => assert!(
            status.message().contains("nothing was appended"),
            "{status:?}"
        ),
        Code::DeadlineExceeded => assert!(
            status.message().contains("may have landed")
                && status.message().contains("same command_id"),
            "{status:?}"
        ),
        _ => panic!("{status:?}"),
    }
    // Retry as a client should (the CLI does): same command id, while the
    // answer is still "nothing was appended" or "may have landed" — a NATS
    // just thawed can take a moment to answer JetStream requests.
    let mut attempts = 0;
    let first = loop {
        attempts += 1;
        match c.review_commitment(confirm.clone()).await {
            Ok(r) => break r.into_inner(),
            Err(s)
                if attempts < 10
                    && matches!(s.code(), Code::Unavailable | Code::DeadlineExceeded) =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await
            }
            Err(s) => panic!("retry {attempts}: {s:?}"),
        }
    };
    let again = c.review_commitment(confirm).await.unwrap().into_inner();
    assert!(again.replayed);
    assert_eq!(first.positions, again.positions);
    assert_eq!(first.commitment.unwrap().review, "confirmed");
    let copies = 1 + target.committers.len() as u64;
    assert_eq!(bus.message_count().await.unwrap(), before + copies);
}

/// An operator caps the log's size: at the cap ingest is refused with a
/// clear RESOURCE_EXHAUSTED, nothing is dropped or half-written, and once
/// there is room again ingest works.
#[tokio::test]
async fn a_full_event_log_refuses_new_events_and_keeps_the_old_ones() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let bus = h.bus().await;
    let js = async_nats::jetstream::new(bus.client().clone());
    let mut stream = js.get_stream(bus.stream_name()).await.unwrap();
    let info = stream.info().await.unwrap().clone();
    assert_eq!(
        info.config.discard,
        async_nats::jetstream::stream::DiscardPolicy::New,
        "the log refuses new events at a cap, never drops old ones"
    );
    let mut capped = info.config.clone();
    capped.max_bytes = info.state.bytes as i64 + 2048;
    js.update_stream(capped.clone()).await.unwrap();
    let before = bus.message_count().await.unwrap();

    let mut c = h.client().await;
    let refused = c
        .ingest_readout(pb::IngestReadoutRequest {
            text: crate::harness::LATER_TEXT.into(),
            date: crate::harness::LATER_DATE.into(),
            ..Default::default()
        })
        .await;
    check(refused, Code::ResourceExhausted, "the event log is full");
    assert_eq!(
        bus.message_count().await.unwrap(),
        before,
        "nothing half-written"
    );
    let kept = h.commitment(&seed.commitments[0].id).await;
    assert_eq!(kept.version, seed.commitments[0].version);

    capped.max_bytes = -1;
    js.update_stream(capped).await.unwrap();
    let later = h.ingest_later().await;
    assert!(!later.already_ingested && later.position > before);
}

fn attach(id: &str, version: u64, n: usize) -> pb::RecordFollowUpRequest {
    use pb::record_follow_up_request::FollowUp;
    pb::RecordFollowUpRequest {
        commitment_id: id.into(),
        expected_version: version,
        command_id: format!("attach-{n}"),
        follow_up: Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                evidence_id: format!("e{n}"),
                kind: "progress".into(),
                date: "2018-01-01".into(),
                source_type: "news".into(),
                snippet: format!("talks went on, round {n}"),
                ..Default::default()
            }),
            by: String::new(),
        })),
    }
}

/// Per-commitment lists are capped, and command ids kept outside the
/// commitment's record still answer retries from long before.
#[tokio::test]
async fn a_commitment_full_of_evidence_refuses_more_and_old_retries_still_replay() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = &seed.commitments[0];
    let mut c = h.client().await;
    let mut version = target.version;
    let mut first = None;
    for n in 0..accord_domain::commitment::MAX_EVIDENCE {
        let done = c
            .record_follow_up(attach(&target.id, version, n))
            .await
            .unwrap_or_else(|e| panic!("evidence {n}: {e:?}"))
            .into_inner();
        version = done.version;
        first.get_or_insert(done.positions);
    }
    let bus = h.bus().await;
    let count = bus.message_count().await.unwrap();
    let full = c
        .record_follow_up(attach(&target.id, version, 9999))
        .await
        .unwrap_err();
    assert_eq!(full.code(), Code::FailedPrecondition, "{full:?}");
    assert!(
        full.message()
            .contains("already holds 200 pieces of evidence"),
        "{}",
        full.message()
    );
    // The very first command, retried with its stale version: its first result.
    let again = c
        .record_follow_up(attach(&target.id, target.version, 0))
        .await
        .unwrap()
        .into_inner();
    assert!(again.replayed);
    assert_eq!(Some(again.positions), first);
    assert_eq!(
        bus.message_count().await.unwrap(),
        count,
        "neither appended anything"
    );
}
