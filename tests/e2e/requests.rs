//! Bad requests get the right status code and a message naming the field;
//! the server keeps serving. Health and reflection are on.

use crate::harness::{check, Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use tonic::Code;

#[tokio::test]
async fn bad_requests_name_the_field() {
    let h = Harness::start().await;
    let ingested = h.ingest(SEED, SEED_DATE).await;
    let mut c = h.client().await;

    let ingest = |text: &str, date: &str, publisher: &str| pb::IngestReadoutRequest {
        text: text.into(),
        date: date.into(),
        publisher: publisher.into(),
        ..Default::default()
    };
    check(
        c.ingest_readout(ingest("", SEED_DATE, "")).await,
        Code::InvalidArgument,
        "text",
    );
    check(
        c.ingest_readout(ingest("  \n ", SEED_DATE, "")).await,
        Code::InvalidArgument,
        "text",
    );
    check(
        c.ingest_readout(ingest(SEED, "31.10.2017", "")).await,
        Code::InvalidArgument,
        "date",
    );
    check(
        c.ingest_readout(ingest(SEED, SEED_DATE, "not a party"))
            .await,
        Code::InvalidArgument,
        "publisher",
    );
    check(
        c.ingest_readout(ingest("They would meet again.", "", ""))
            .await,
        Code::InvalidArgument,
        "date",
    );
    check(
        c.ingest_readout(ingest(
            &"x".repeat(accord_api::MAX_READOUT_BYTES + 1),
            SEED_DATE,
            "",
        ))
        .await,
        Code::InvalidArgument,
        "text",
    );

    let get = |id: &str, min: Option<u64>| pb::GetCommitmentRequest {
        id: id.into(),
        min_position: min,
        ..Default::default()
    };
    check(
        c.get_commitment(get("", None)).await,
        Code::InvalidArgument,
        "id",
    );
    check(
        c.get_commitment(get("not-an-id", None)).await,
        Code::InvalidArgument,
        "id",
    );
    check(
        c.get_commitment(get("c00000000000000000000", None)).await,
        Code::NotFound,
        "c00000000000000000000",
    );
    check(
        c.get_commitment(get(&ingested.commitments[0].id, Some(u64::MAX)))
            .await,
        Code::OutOfRange,
        "min_position",
    );

    let list = |size: i32, token: &str| pb::ListCommitmentsRequest {
        page_size: size,
        page_token: token.into(),
        ..Default::default()
    };
    check(
        c.list_commitments(list(-1, "")).await,
        Code::InvalidArgument,
        "page_size",
    );
    check(
        c.list_commitments(list(1_000_000, "")).await,
        Code::InvalidArgument,
        "page_size",
    );
    check(
        c.list_commitments(list(10, "garbage")).await,
        Code::InvalidArgument,
        "page_token",
    );
    check(
        c.list_commitments(pb::ListCommitmentsRequest {
            kind: 42,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "kind",
    );
    check(
        c.list_commitments(pb::ListCommitmentsRequest {
            status: 99,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "status",
    );
    check(
        c.list_commitments(pb::ListCommitmentsRequest {
            party: "a.b".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "party",
    );

    check(
        c.get_document(pb::GetDocumentRequest {
            id: "".into(),
            min_position: None,
        })
        .await,
        Code::InvalidArgument,
        "id",
    );
    check(
        c.get_document(pb::GetDocumentRequest {
            id: "d000000000000000000000000".into(),
            min_position: None,
        })
        .await,
        Code::NotFound,
        "document",
    );

    // Still serving, and the good answer is still right.
    let doc = c
        .get_document(pb::GetDocumentRequest {
            id: ingested.document_id.clone(),
            min_position: Some(ingested.position),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(doc.commitments.len(), ingested.commitments.len());
}

#[tokio::test]
async fn health_and_reflection_are_served() {
    let h = Harness::start().await;
    crate::harness::wait_health(h.app().addr, "accord.v1.Accord", crate::harness::SERVING).await;
}

#[tokio::test]
async fn reflection_lists_the_accord_service() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;

    let h = Harness::start().await;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", h.app().addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = client
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let answer = answers.message().await.unwrap().expect("one answer");
    let Some(MessageResponse::ListServicesResponse(list)) = answer.message_response else {
        panic!("{answer:?}")
    };
    let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"accord.v1.Accord"), "{names:?}");
    assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
}

/// An `IngestReadoutRequest` as a client with a bug might send it: bytes
/// where the contract says UTF-8 text.
#[derive(Clone, PartialEq, prost::Message)]
struct RawIngest {
    #[prost(bytes = "vec", tag = "1")]
    text: Vec<u8>,
    #[prost(string, tag = "2")]
    date: String,
}

#[tokio::test]
async fn invalid_utf8_is_an_invalid_argument_naming_the_field() {
    let h = Harness::start().await;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", h.app().addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let path =
        tonic::codegen::http::uri::PathAndQuery::from_static("/accord.v1.Accord/IngestReadout");
    let request = tonic::Request::new(RawIngest {
        text: vec![b'J', b'a', 0xff, 0xfe, b'n'],
        date: SEED_DATE.into(),
    });
    let codec = tonic_prost::ProstCodec::<RawIngest, pb::IngestReadoutResponse>::default();
    let status = grpc.unary(request, path, codec).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("text"), "{}", status.message());
    // Still serving.
    h.ingest(SEED, SEED_DATE).await;
}

#[tokio::test]
async fn every_command_and_stream_names_the_bad_field() {
    use pb::record_follow_up_request::FollowUp;
    use pb::review_commitment_request::Review;
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = seed.commitments[0].clone();
    let mut c = h.client().await;

    let follow =
        |follow_up: Option<FollowUp>, version: u64, command_id: &str| pb::RecordFollowUpRequest {
            commitment_id: target.id.clone(),
            expected_version: version,
            command_id: command_id.into(),
            follow_up,
        };
    let v = target.version;
    check(
        c.record_follow_up(follow(None, v, "x")).await,
        Code::InvalidArgument,
        "follow_up",
    );
    let evidence = |kind: &str, date: &str| {
        Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                evidence_id: "e".into(),
                kind: kind.into(),
                date: date.into(),
                ..Default::default()
            }),
            by: "a".into(),
        }))
    };
    check(
        c.record_follow_up(follow(evidence("rumour", "2018-01-01"), v, "x"))
            .await,
        Code::InvalidArgument,
        "evidence.kind",
    );
    check(
        c.record_follow_up(follow(evidence("completion", "yesterday"), v, "x"))
            .await,
        Code::InvalidArgument,
        "evidence.date",
    );
    let assess = |status: i32, effective: &str| {
        Some(FollowUp::Assess(pb::AssessStatus {
            status,
            effective: effective.into(),
            assessor: "a".into(),
            ..Default::default()
        }))
    };
    check(
        c.record_follow_up(follow(assess(0, "2018-01-01"), v, "x"))
            .await,
        Code::InvalidArgument,
        "assess.status",
    );
    check(
        c.record_follow_up(follow(assess(99, "2018-01-01"), v, "x"))
            .await,
        Code::InvalidArgument,
        "status",
    );
    check(
        c.record_follow_up(follow(assess(pb::Status::InProgress as i32, ""), v, "x"))
            .await,
        Code::InvalidArgument,
        "assess.effective",
    );
    check(
        c.record_follow_up(follow(
            assess(pb::Status::InProgress as i32, "2018-01-01"),
            u64::MAX,
            "x",
        ))
        .await,
        Code::Aborted,
        "version",
    );
    check(
        c.record_follow_up(follow(
            assess(pb::Status::InProgress as i32, "2018-01-01"),
            v,
            &"k".repeat(500),
        ))
        .await,
        Code::InvalidArgument,
        "command_id",
    );
    let extend = Some(FollowUp::ExtendDeadline(pb::ExtendDeadline {
        to: "2099-13-01".into(),
        reason: "r".into(),
        by: "a".into(),
    }));
    check(
        c.record_follow_up(follow(extend, v, "x")).await,
        Code::InvalidArgument,
        "extend_deadline.to",
    );
    let mut unknown = follow(assess(pb::Status::InProgress as i32, "2018-01-01"), v, "x");
    unknown.commitment_id = "c00000000000000000000".into();
    check(
        c.record_follow_up(unknown).await,
        Code::NotFound,
        "c00000000000000000000",
    );

    let review = |review: Option<Review>| pb::ReviewCommitmentRequest {
        commitment_id: target.id.clone(),
        expected_version: v,
        command_id: "r".into(),
        review,
    };
    check(
        c.review_commitment(review(None)).await,
        Code::InvalidArgument,
        "review",
    );
    check(
        c.review_commitment(review(Some(Review::Merge(pb::Merge {
            into: "c00000000000000000000".into(),
            by: "a".into(),
        }))))
        .await,
        Code::NotFound,
        "c00000000000000000000",
    );
    check(
        c.review_commitment(review(Some(Review::Merge(pb::Merge {
            into: "nonsense".into(),
            by: "a".into(),
        }))))
        .await,
        Code::InvalidArgument,
        "merge.into",
    );
    check(
        c.review_commitment(review(Some(Review::Reject(pb::Reject {
            by: "a".into(),
            reason: "".into(),
        }))))
        .await,
        Code::InvalidArgument,
        "reason",
    );
    check(
        c.review_commitment(review(Some(Review::Resolve(pb::ResolveProposal {
            proposal_id: "nope".into(),
            accept: true,
            by: "a".into(),
        }))))
        .await,
        Code::InvalidArgument,
        "proposal_id",
    );

    let report = |party: &str, since: &str, until: &str| pb::GetComplianceReportRequest {
        party: party.into(),
        since: since.into(),
        until: until.into(),
        min_position: None,
        ..Default::default()
    };
    check(
        c.get_compliance_report(report("", "", "")).await,
        Code::InvalidArgument,
        "party",
    );
    check(
        c.get_compliance_report(report("JPN", "2019-01-01", "2018-01-01"))
            .await,
        Code::InvalidArgument,
        "since",
    );
    check(
        c.get_compliance_report(report("JPN", "", "someday")).await,
        Code::InvalidArgument,
        "until",
    );

    let as_of = pb::GetCommitmentRequest {
        id: target.id.clone(),
        as_of: "last tuesday".into(),
        ..Default::default()
    };
    check(
        c.get_commitment(as_of).await,
        Code::InvalidArgument,
        "as_of",
    );
    let axis = pb::GetCommitmentRequest {
        id: target.id.clone(),
        as_of: "2018-01-01".into(),
        as_of_axis: 7,
        ..Default::default()
    };
    check(
        c.get_commitment(axis).await,
        Code::InvalidArgument,
        "as_of_axis",
    );
    let list = pb::ListCommitmentsRequest {
        status_party: "JPN".into(),
        ..Default::default()
    };
    check(
        c.list_commitments(list).await,
        Code::InvalidArgument,
        "status_party",
    );

    check(
        c.watch_commitments(pb::WatchCommitmentsRequest {
            party: "??".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "party",
    );
    check(
        c.watch_commitments(pb::WatchCommitmentsRequest {
            kind: 9,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "kind",
    );
    check(
        c.watch_alerts(pb::WatchAlertsRequest {
            types: vec!["panic".into()],
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "types",
    );

    // The server is still up and right.
    let doc = c
        .get_document(pb::GetDocumentRequest {
            id: seed.document_id.clone(),
            min_position: Some(seed.position),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(doc.commitments.len(), seed.commitments.len());
}
