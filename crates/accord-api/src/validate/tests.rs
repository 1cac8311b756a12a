//! `check(request, expected)`: `Ok(())` or the field the refusal names.

use super::*;
use tonic::Code;

const ID: &str = "c-0123456789abcdef0123";

/// Asserts a parse result: accepted, or refused as INVALID_ARGUMENT with a
/// message that starts with the field's name.
fn check<T: std::fmt::Debug>(got: Result<T, ApiError>, expected: Result<(), &str>) {
    match (got, expected) {
        (Ok(_), Ok(())) => {}
        (Err(e), Err(field)) => {
            let status = tonic::Status::from(e);
            assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
            assert!(
                status.message().starts_with(&format!("{field}: ")),
                "message {:?} does not name {field}",
                status.message()
            );
        }
        (got, expected) => panic!("got {got:?}, expected {expected:?}"),
    }
}

fn valid_id() -> String {
    let doc = DocumentId::for_text("a readout");
    CommitmentId::for_span(&doc, Span { start: 0, end: 5 }).to_string()
}

#[test]
fn ingest_requests() {
    let req = |text: &str, date: &str, publisher: &str| pb::IngestReadoutRequest {
        text: text.into(),
        date: date.into(),
        publisher: publisher.into(),
        ..Default::default()
    };
    check(ingest_readout(req("Japan would act.", "", "")), Ok(()));
    check(
        ingest_readout(req("Japan would act.", "2017-10-31", "JPN")),
        Ok(()),
    );
    check(ingest_readout(req("  \n ", "", "")), Err("text"));
    check(ingest_readout(req("x", "31/10/2017", "")), Err("date"));
    // Far dates would overflow deadline arithmetic: refused, never a panic.
    check(ingest_readout(req("x", "-0001-01-01", "")), Err("date"));
    check(ingest_readout(req("x", "9999-06-01", "")), Err("date"));
    check(ingest_readout(req("x", "1899-12-31", "")), Err("date"));
    check(ingest_readout(req("x", "2200-12-31", "")), Ok(()));
    check(
        ingest_readout(req("x", "", "not a party!")),
        Err("publisher"),
    );
    let huge = "a".repeat(MAX_READOUT_BYTES + 1);
    check(ingest_readout(req(&huge, "", "")), Err("text"));
}

#[test]
fn pdf_ingest_requests() {
    use accord_testkit::pdf;
    let req = |text: &str, bytes: Vec<u8>| pb::IngestReadoutRequest {
        text: text.into(),
        pdf: bytes,
        ..Default::default()
    };
    let two_pages = pdf::pdf(&[&["Japan and NATO met."], &["Japan would act."]]);
    let read = ingest_readout(req("", two_pages.clone())).unwrap();
    let second = read.text.find("Japan would").unwrap();
    assert_eq!(read.page_starts, [0, second], "{:?}", read.text);
    let garbage = b"%PDF-1.7\n\x00\xff trailer <<>>".to_vec();
    for (request, field, reason) in [
        (
            req("Japan would act.", two_pages.clone()),
            "pdf",
            "is set and so is `text`",
        ),
        (
            req("", pdf::encrypted(&[&["Secret."]])),
            "pdf",
            "encrypted PDF",
        ),
        (req("", pdf::pdf(&[&[]])), "pdf", "PDF has no text"),
        (
            req("", two_pages[..two_pages.len() / 3].to_vec()),
            "pdf",
            "malformed PDF",
        ),
        (req("", garbage), "pdf", "malformed PDF"),
        (req("", b"hello".to_vec()), "pdf", "not a PDF"),
        (
            req("", vec![b'%'; limits::MAX_PDF_BYTES + 1]),
            "pdf",
            "is 3145729 bytes; the limit",
        ),
        (req("", vec![]), "text", "is empty"),
    ] {
        let status = tonic::Status::from(ingest_readout(request).unwrap_err());
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        let prefix = format!("{field}: {reason}");
        assert!(
            status.message().starts_with(&prefix),
            "{:?} is not {prefix:?}",
            status.message()
        );
    }
}

#[test]
fn commitment_lookups() {
    let req = |id: &str, as_of: &str, axis: i32| pb::GetCommitmentRequest {
        id: id.into(),
        as_of: as_of.into(),
        as_of_axis: axis,
        ..Default::default()
    };
    let id = valid_id();
    check(get_commitment(&req(&id, "", 0)), Ok(()));
    check(get_commitment(&req(&id, "2018-06-30", 0)), Ok(()));
    check(get_commitment(&req(&id, "2018-06-30T12:00:00Z", 1)), Ok(()));
    check(get_commitment(&req("", "", 0)), Err("id"));
    check(get_commitment(&req(ID, "", 0)), Err("id"));
    check(get_commitment(&req(&id, "June 2018", 0)), Err("as_of"));
    check(
        get_commitment(&req(&id, "9999-01-01T00:00:00Z", 0)),
        Err("as_of"),
    );
    check(get_commitment(&req(&id, "", 99)), Err("as_of_axis"));
}

#[test]
fn as_of_a_date_means_the_end_of_that_day() {
    let t = as_of("2018-06-30").unwrap().unwrap();
    assert_eq!(t.date().to_string(), "2018-06-30");
    assert_eq!((t.hour(), t.minute(), t.second()), (23, 59, 59));
}

#[test]
fn list_requests() {
    let base = pb::ListCommitmentsRequest::default();
    let with = |f: &dyn Fn(&mut pb::ListCommitmentsRequest)| {
        let mut r = base.clone();
        f(&mut r);
        list_commitments(&r)
    };
    check(with(&|_| {}), Ok(()));
    check(with(&|r| r.page_size = 1000), Ok(()));
    check(with(&|r| r.page_size = -1), Err("page_size"));
    check(with(&|r| r.page_size = 1001), Err("page_size"));
    check(
        with(&|r| r.page_token = "garbage".into()),
        Err("page_token"),
    );
    check(with(&|r| r.kind = 42), Err("kind"));
    check(with(&|r| r.status = 42), Err("status"));
    check(with(&|r| r.party = "??".into()), Err("party"));
    check(
        with(&|r| r.status_party = "JPN".into()),
        Err("status_party"),
    );
    check(
        with(&|r| {
            r.status_party = "JPN".into();
            r.status = pb::Status::Fulfilled as i32;
        }),
        Ok(()),
    );
    check(
        with(&|r| r.topic = "maritime security".into()),
        Err("topic"),
    );
    check(with(&|r| r.topic = "Maritime-Security".into()), Ok(()));
    let q = with(&|r| r.topic = " Maritime-Security ".into()).unwrap();
    assert_eq!(q.filter.topic.as_deref(), Some("maritime-security"));
    assert_eq!(q.limit, DEFAULT_PAGE_SIZE);
}

#[test]
fn follow_up_requests() {
    use pb::record_follow_up_request::FollowUp;
    let id = valid_id();
    let req = |commitment_id: &str, follow_up: Option<FollowUp>| pb::RecordFollowUpRequest {
        commitment_id: commitment_id.into(),
        follow_up,
        command_id: "c1".into(),
        expected_version: 7,
    };
    let assess = |status: i32, effective: &str, party: &str| {
        Some(FollowUp::Assess(pb::AssessStatus {
            status,
            effective: effective.into(),
            party: party.into(),
            ..Default::default()
        }))
    };
    let fulfilled = pb::Status::Fulfilled as i32;
    check(
        record_follow_up(req(&id, assess(fulfilled, "2018-05-01", ""))),
        Ok(()),
    );
    check(
        record_follow_up(req("", assess(fulfilled, "2018-05-01", ""))),
        Err("commitment_id"),
    );
    check(record_follow_up(req(&id, None)), Err("follow_up"));
    check(
        record_follow_up(req(&id, assess(0, "2018-05-01", ""))),
        Err("assess.status"),
    );
    check(
        record_follow_up(req(&id, assess(fulfilled, "", ""))),
        Err("assess.effective"),
    );
    check(
        record_follow_up(req(&id, assess(fulfilled, "2018-05-01", "?"))),
        Err("assess.party"),
    );
    let evidence = |kind: &str, date: &str| {
        Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                kind: kind.into(),
                date: date.into(),
                ..Default::default()
            }),
            by: "analyst".into(),
        }))
    };
    check(
        record_follow_up(req(&id, evidence("completion", "2018-05-01"))),
        Ok(()),
    );
    check(
        record_follow_up(req(&id, evidence("rumour", "2018-05-01"))),
        Err("evidence.kind"),
    );
    check(
        record_follow_up(req(&id, evidence("completion", ""))),
        Err("evidence.date"),
    );
    // The typed kind, alone or agreeing with the deprecated string.
    let typed = |kind: &str, typed: pb::EvidenceKind| {
        Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                kind: kind.into(),
                evidence_kind: typed as i32,
                date: "2018-05-01".into(),
                ..Default::default()
            }),
            by: "analyst".into(),
        }))
    };
    check(
        record_follow_up(req(&id, typed("", pb::EvidenceKind::Shortfall))),
        Ok(()),
    );
    check(
        record_follow_up(req(&id, typed("shortfall", pb::EvidenceKind::Shortfall))),
        Ok(()),
    );
    check(
        record_follow_up(req(&id, typed("completion", pb::EvidenceKind::Shortfall))),
        Err("evidence.kind"),
    );
    let mut unknown = typed("", pb::EvidenceKind::Shortfall);
    if let Some(FollowUp::Evidence(a)) = unknown.as_mut() {
        a.evidence.as_mut().unwrap().evidence_kind = 99;
    }
    check(
        record_follow_up(req(&id, unknown)),
        Err("evidence.evidence_kind"),
    );
    let supersede = |successor: &str| {
        Some(FollowUp::Supersede(pb::Supersede {
            successor: successor.into(),
            effective: "2019-01-01".into(),
            ..Default::default()
        }))
    };
    check(record_follow_up(req(&id, supersede(&id))), Ok(()));
    check(
        record_follow_up(req(&id, supersede("nope"))),
        Err("supersede.successor"),
    );
    let extend = Some(FollowUp::ExtendDeadline(pb::ExtendDeadline::default()));
    check(
        record_follow_up(req(&id, extend)),
        Err("extend_deadline.to"),
    );
}

#[test]
fn review_requests() {
    use pb::review_commitment_request::Review;
    let id = valid_id();
    let req = |review: Option<Review>| pb::ReviewCommitmentRequest {
        commitment_id: id.clone(),
        review,
        expected_version: 7,
        ..Default::default()
    };
    check(
        review_commitment(req(Some(Review::Confirm(Default::default())))),
        Ok(()),
    );
    check(review_commitment(req(None)), Err("review"));
    let merge = |into: &str| {
        Some(Review::Merge(pb::Merge {
            into: into.into(),
            ..Default::default()
        }))
    };
    check(review_commitment(req(merge(""))), Err("merge.into"));
    check(review_commitment(req(merge(&id))), Ok(()));
    // No silent "whatever version it has now": 0 is refused by name.
    let unversioned = pb::ReviewCommitmentRequest {
        expected_version: 0,
        ..req(Some(Review::Confirm(Default::default())))
    };
    check(review_commitment(unversioned), Err("expected_version"));
    let unversioned = pb::RecordFollowUpRequest {
        commitment_id: id.clone(),
        command_id: "c1".into(),
        follow_up: Some(pb::record_follow_up_request::FollowUp::WaiveDeadline(
            Default::default(),
        )),
        ..Default::default()
    };
    check(record_follow_up(unversioned), Err("expected_version"));
}

#[test]
fn report_and_watch_requests() {
    let report = |party: &str, since: &str, until: &str| pb::GetComplianceReportRequest {
        party: party.into(),
        since: since.into(),
        until: until.into(),
        ..Default::default()
    };
    check(compliance_report(&report("JPN", "", "")), Ok(()));
    check(compliance_report(&report("", "", "")), Err("party"));
    check(
        compliance_report(&report("JPN", "2019-01-01", "2018-01-01")),
        Err("since"),
    );
    check(compliance_report(&report("JPN", "", "soon")), Err("until"));
    let alerts = |types: &[&str]| pb::WatchAlertsRequest {
        types: types.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    check(watch_alerts(&alerts(&["overdue", "resolved"])), Ok(()));
    check(watch_alerts(&alerts(&["late"])), Err("types"));
    let typed = |changes: Vec<i32>| pb::WatchAlertsRequest {
        changes,
        ..Default::default()
    };
    check(
        watch_alerts(&typed(vec![pb::AlertChange::Overdue as i32])),
        Ok(()),
    );
    check(watch_alerts(&typed(vec![0])), Err("changes"));
    check(watch_alerts(&typed(vec![9])), Err("changes"));
    let (_, both) = watch_alerts(&pb::WatchAlertsRequest {
        types: vec!["overdue".into()],
        changes: vec![
            pb::AlertChange::Overdue as i32,
            pb::AlertChange::Resolved as i32,
        ],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(both, [AlertChange::Overdue, AlertChange::Resolved]);
    let watch = pb::WatchCommitmentsRequest {
        kind: 9,
        ..Default::default()
    };
    check(watch_commitments(&watch), Err("kind"));
    check(document_id(""), Err("id"));
    check(document_id("x"), Err("id"));
}

#[test]
fn filters_reject_unknown_values_by_field() {
    assert_eq!(kind_filter(0).unwrap(), None);
    assert_eq!(kind_filter(1).unwrap(), Some(Kind::Action));
    assert!(kind_filter(99)
        .unwrap_err()
        .to_string()
        .starts_with("kind:"));
    assert_eq!(status_filter(5).unwrap(), Some(Status::Fulfilled));
    assert!(status_filter(-1)
        .unwrap_err()
        .to_string()
        .starts_with("status:"));
    assert!(optional_party("party", "n.a.t.o")
        .unwrap_err()
        .to_string()
        .starts_with("party:"));
    assert_eq!(
        optional_date("date", "2017-10-31")
            .unwrap()
            .unwrap()
            .to_string(),
        "2017-10-31"
    );
    assert!(optional_date("date", "31/10/2017")
        .unwrap_err()
        .to_string()
        .starts_with("date:"));
}
