//! Bad requests get the right status code and a message naming the field;
//! the server keeps serving. Health and reflection are on.

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use tonic::Code;

fn check(result: Result<impl std::fmt::Debug, tonic::Status>, code: Code, mentions: &str) {
    let status = result.expect_err("the request must be refused");
    assert_eq!(status.code(), code, "{status:?}");
    assert!(
        status.message().contains(mentions),
        "{:?} does not mention {mentions:?}",
        status.message()
    );
}

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
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", h.app().addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let serving = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "accord.v1.Accord".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        serving.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
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
