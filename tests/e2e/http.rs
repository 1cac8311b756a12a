//! The HTTP/JSON API against a real server: the same filters, errors
//! (codes and messages), roles, optimistic concurrency and command ids as
//! gRPC; the SSE stream; the OpenAPI document; the export.

use crate::board::tokens;
use crate::harness::{ipcp, serve, Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use serde_json::{json, Value};

struct Api {
    base: String,
    web: reqwest::Client,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.web.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = req.send().await.expect("the HTTP API answers");
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self.call("GET", path, Some("reader-token"), None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// A refused request: its status, and the gRPC code and message.
    async fn refused(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, String, String) {
        let (status, text) = self.call(method, path, Some(token), body).await;
        let e: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON error: {text}"));
        (
            status,
            e["code"].as_str().unwrap().into(),
            e["message"].as_str().unwrap().into(),
        )
    }
}

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn sorted(cs: impl Iterator<Item = pb::Commitment>) -> Vec<String> {
    let mut out: Vec<String> = cs.map(|c| c.id).collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_http_api_answers_like_grpc() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let later = h.ingest_later().await;
    h.links_done(&later).await;
    let ipcp = ipcp(&seed.commitments);
    h.linked(&ipcp.id, &later.document_id).await;
    let http = accord_http::Http {
        service: h.app().service.clone(),
        tokens: tokens(),
        clock: h.config().clock,
    };
    let api = Api {
        base: serve(accord_http::router(http)).await,
        web: accord_http_client::client().unwrap(),
    };
    let all: Vec<pb::Commitment> = h
        .client()
        .await
        .list_commitments(pb::ListCommitmentsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .commitments;

    // Filters: each listing is what the tracker holds, filtered.
    let late = |c: &pb::Commitment| c.deadline.as_str() >= "2019-01-01";
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("party=JPN&status=fulfilled", vec![ipcp.id.clone()]),
        ("status=fulfilled&status_party=NATO", vec![ipcp.id.clone()]),
        (
            "deadline_from=2019-01-01",
            sorted(all.iter().filter(|c| late(c)).cloned()),
        ),
        (
            "kind=stance",
            sorted(
                all.iter()
                    .filter(|c| c.kind == pb::Kind::Stance as i32)
                    .cloned(),
            ),
        ),
        (
            "review_queue=true",
            sorted(all.iter().filter(|c| !c.proposals.is_empty()).cloned()),
        ),
    ];
    for (query, want) in cases {
        assert_eq!(
            ids(&api.get(&format!("/api/v1/commitments?{query}")).await),
            want,
            "{query}"
        );
    }
    let one = api.get(&format!("/api/v1/commitments/{}", ipcp.id)).await;
    assert_eq!(one["commitment"]["status"], "fulfilled");
    let doc = api
        .get(&format!("/api/v1/documents/{}", later.document_id))
        .await;
    assert_eq!(
        doc["commitments"].as_array().unwrap().len(),
        later.commitments.len()
    );
    let report = api.get("/api/v1/reports/JPN").await;
    assert_eq!(report["counts"]["fulfilled"], 1, "{report}");

    // Errors: the gRPC code by name and the very gRPC message.
    let grpc = h
        .client()
        .await
        .get_commitment(pb::GetCommitmentRequest {
            id: "nope".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let (status, code, message) = api
        .refused("GET", "/api/v1/commitments/nope", "reader-token", None)
        .await;
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "invalid_argument", grpc.message())
    );
    let (status, code, message) = api
        .refused(
            "GET",
            "/api/v1/commitments?status=great",
            "reader-token",
            None,
        )
        .await;
    assert_eq!((status, code.as_str()), (400, "invalid_argument"));
    assert!(message.starts_with("status:"), "{message}");
    let (status, code, _) = api
        .refused("GET", "/api/v1/commitments", "stolen", None)
        .await;
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));

    // Commands: analysts only, versions checked, command ids idempotent,
    // the caller recorded as the assessor.
    let target = seed
        .commitments
        .iter()
        .find(|c| c.kind == pb::Kind::Cooperation as i32)
        .expect("a cooperation");
    let version = h.commitment(&target.id).await.version;
    let path = format!("/api/v1/commitments/{}/follow-ups", target.id);
    let assess = |expected: u64, command_id: &str| {
        json!({
            "command_id": command_id, "expected_version": expected,
            "follow_up": { "type": "assess", "party": "JPN", "status": "in_progress", "effective": "2018-01-15" },
        })
    };
    let (status, code, message) = api
        .refused("POST", &path, "reader-token", Some(assess(version, "c1")))
        .await;
    assert_eq!((status, code.as_str()), (403, "permission_denied"));
    assert!(message.contains("needs role analyst"), "{message}");
    let (status, code, message) = api
        .refused(
            "POST",
            &path,
            "analyst-token",
            Some(assess(version - 1, "c1")),
        )
        .await;
    assert_eq!((status, code.as_str()), (409, "aborted"));
    assert!(
        message.contains(&format!("is at version {version}")),
        "{message}"
    );
    let (status, body) = api
        .call(
            "POST",
            &path,
            Some("analyst-token"),
            Some(assess(version, "c1")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let done: Value = serde_json::from_str(&body).unwrap();
    assert!(
        done["version"].as_u64().unwrap() > version && done["replayed"] == false,
        "{done}"
    );
    let (_, again) = api
        .call(
            "POST",
            &path,
            Some("analyst-token"),
            Some(assess(version, "c1")),
        )
        .await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        (again["replayed"].clone(), again["version"].clone()),
        (json!(true), done["version"].clone())
    );
    let now = h.commitment(&target.id).await;
    assert_eq!(now.history.last().map(|h| h.assessor.as_str()), Some("ann"));

    // The change stream, from the start of the log, carries that assessment.
    let mut events = api
        .web
        .get(format!("{}/api/v1/events?from_position=1", api.base))
        .header("authorization", "Bearer reader-token")
        .send()
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    let wanted = format!(
        "\"commitment_id\":\"{}\",\"status\":\"in_progress\"",
        target.id
    );
    while !seen.contains(&wanted) {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(30), events.chunk()).await;
        let chunk = chunk
            .expect("changes keep coming")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        seen.contains("event: change") && seen.contains("StatusAssessed"),
        "{seen}"
    );

    // The OpenAPI document and the export.
    let doc = api.get("/api/v1/openapi.json").await;
    assert!(
        doc["paths"]["/api/v1/commitments/{id}/reviews"]["post"].is_object(),
        "{doc}"
    );
    let (status, csv) = api
        .call(
            "GET",
            "/api/v1/export?format=csv&party=JPN",
            Some("reader-token"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(accord_http::export::COLUMNS.join(",").as_str())
    );
    let jpn = all
        .iter()
        .filter(|c| c.committers.iter().any(|p| p == "JPN"))
        .count();
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, jpn, "{csv}");
}
