//! Issue #16: the contract subscribers build on. Every event type goes through
//! the real pipeline (ingest, the linker, analysts' commands, the alerter) on a
//! real nats-server, and every message read back from the stream fits the
//! committed JSON Schema for its `type` and `schema_version`.

use crate::harness::{ipcp, Harness, LATER_DATE, LATER_TEXT, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use accord_proto::v1::record_follow_up_request::FollowUp;
use accord_proto::v1::review_commitment_request::Review;
use futures::StreamExt;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use time::macros::datetime;

pub fn schema_dir() -> PathBuf {
    accord_testkit::workspace_root().join("proto/events")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make schemas`)", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The npm tools `make tools` installs (tools/node/package.json).
pub fn node_tools() -> PathBuf {
    std::env::var_os("ACCORD_NODE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| accord_testkit::workspace_root().join(".tools/node"))
}

/// A command from the npm tools; panics, naming the fix, when it is missing.
pub fn node_tool(name: &str) -> std::process::Command {
    let bin = node_tools().join("node_modules/.bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing: run `make tools` (needs Node.js >= 20 and npm)",
        bin.display()
    );
    let mut command = std::process::Command::new(bin);
    command
        .current_dir(accord_testkit::workspace_root())
        // The AsyncAPI CLI's usage metrics stay off (and off the network).
        .env(
            "ASYNCAPI_METRICS_CONFIG_PATH",
            accord_testkit::workspace_root().join("tools/node/asyncapi-analytics.json"),
        )
        .env("SUPPRESS_NO_CONFIG_WARNING", "1");
    command
}

fn run(mut command: std::process::Command) -> (bool, String) {
    let out = command.output().expect("run the tool");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The AsyncAPI document: `(channel address pattern, message names)`.
fn asyncapi_channels() -> Vec<(String, BTreeSet<String>)> {
    let path = accord_testkit::workspace_root().join("proto/asyncapi.yaml");
    let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let message_name = |m: &Value| {
        let reference = m["$ref"].as_str().unwrap_or_default();
        reference.rsplit('/').next().unwrap_or_default().to_owned()
    };
    doc["channels"]
        .as_object()
        .expect("channels")
        .values()
        .map(|c| {
            let names = c["messages"]
                .as_object()
                .expect("messages")
                .values()
                .map(message_name)
                .collect();
            (c["address"].as_str().unwrap().to_owned(), names)
        })
        .collect()
}

/// Whether `subject` fits an AsyncAPI address (`{param}` is one token).
fn fits(address: &str, subject: &str) -> bool {
    let a: Vec<&str> = address.split('.').collect();
    let s: Vec<&str> = subject.split('.').collect();
    a.len() == s.len()
        && a.iter()
            .zip(&s)
            .all(|(a, s)| a == s || (a.starts_with('{') && a.ends_with('}') && !s.is_empty()))
}

#[test]
fn the_asyncapi_document_is_valid() {
    let mut validate = node_tool("asyncapi");
    validate.args(["validate", "proto/asyncapi.yaml", "--fail-severity=warn"]);
    let (ok, out) = run(validate);
    assert!(ok && out.contains("is valid"), "asyncapi validate:\n{out}");
    // The check can fail: a reference to a schema that is not there.
    let broken = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile_in(accord_testkit::workspace_root().join("proto"))
        .unwrap();
    let text =
        std::fs::read_to_string(accord_testkit::workspace_root().join("proto/asyncapi.yaml"))
            .unwrap()
            .replace(
                "./events/v2/DeadlineSet.json",
                "./events/v2/DeadlineSets.json",
            );
    std::fs::write(broken.path(), text).unwrap();
    let mut validate = node_tool("asyncapi");
    validate
        .arg("validate")
        .arg(broken.path())
        .arg("--fail-severity=warn");
    let (ok, out) = run(validate);
    assert!(!ok, "a broken reference must fail validation:\n{out}");
}

#[test]
fn buf_lint_and_no_breaking_change_against_the_released_proto() {
    let mut lint = node_tool("buf");
    lint.arg("lint");
    let (ok, out) = run(lint);
    assert!(ok, "buf lint (exceptions: buf.yaml):\n{out}");
    let mut breaking = node_tool("buf");
    breaking.args(["breaking", "--against", "proto-released"]);
    let (ok, out) = run(breaking);
    assert!(
        ok,
        "buf breaking against the last released proto (proto-released/README.md):\n{out}"
    );
    // The check can fail: a renamed field is a breaking change.
    let changed = tempfile::tempdir().unwrap();
    let file = changed.path().join("accord/v1/accord.proto");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let proto = std::fs::read_to_string(
        accord_testkit::workspace_root().join("proto/accord/v1/accord.proto"),
    )
    .unwrap();
    std::fs::write(
        &file,
        proto.replace("string cue = 8;", "string cue_words = 8;"),
    )
    .unwrap();
    let mut breaking = node_tool("buf");
    breaking
        .arg("breaking")
        .arg(changed.path())
        .args(["--against", "proto-released"]);
    let (ok, out) = run(breaking);
    assert!(!ok && out.contains("cue_words"), "{out}");
}

/// The commitment's version as the projection has it at `min_position`.
async fn version(h: &Harness, id: &str, min_position: u64) -> u64 {
    h.client()
        .await
        .get_commitment(pb::GetCommitmentRequest {
            id: id.into(),
            min_position: Some(min_position),
            ..Default::default()
        })
        .await
        .expect("get commitment")
        .into_inner()
        .commitment
        .expect("a commitment")
        .version
}

/// Sends a follow-up or a review on `id` at its current version; returns the
/// last log position the command appended.
struct Driver<'a> {
    h: &'a Harness,
    position: u64,
    n: usize,
}

impl Driver<'_> {
    async fn follow_up(&mut self, id: &str, follow_up: FollowUp) {
        self.n += 1;
        let request = pb::RecordFollowUpRequest {
            commitment_id: id.into(),
            expected_version: version(self.h, id, self.position).await,
            command_id: format!("contract-{}", self.n),
            follow_up: Some(follow_up),
        };
        let answer = self
            .h
            .client()
            .await
            .record_follow_up(request)
            .await
            .unwrap_or_else(|s| panic!("follow-up {} on {id}: {s:?}", self.n))
            .into_inner();
        self.advance(&answer);
    }

    async fn review(&mut self, id: &str, review: Review) {
        self.n += 1;
        let request = pb::ReviewCommitmentRequest {
            commitment_id: id.into(),
            expected_version: version(self.h, id, self.position).await,
            command_id: format!("contract-{}", self.n),
            review: Some(review),
        };
        let answer = self
            .h
            .client()
            .await
            .review_commitment(request)
            .await
            .unwrap_or_else(|s| panic!("review {} on {id}: {s:?}", self.n))
            .into_inner();
        self.advance(&answer);
    }

    fn advance(&mut self, answer: &pb::CommandResponse) {
        assert!(!answer.positions.is_empty(), "appended nothing: {answer:?}");
        self.position = self.position.max(*answer.positions.iter().max().unwrap());
    }
}

/// Drives every kind of event into the log of `h`: two readouts, analysts'
/// commands of every kind, a linker proposal and its resolution, and the
/// three alert events.
pub async fn every_event_type(h: &Harness) {
    h.set_now(datetime!(2017-11-01 09:00 UTC));
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let ipcp = ipcp(&seed.commitments);
    let tracked: Vec<&pb::Commitment> = seed
        .commitments
        .iter()
        .filter(|c| c.id != ipcp.id && c.kind != pb::Kind::Stance as i32)
        .collect();
    assert!(
        tracked.len() >= 3,
        "the seed has enough commitments: {tracked:#?}"
    );
    // a: confirmed, its deadline extended then waived; d: superseded;
    // watched: raises the alerts; b, c (any kind): rejected, merged into a.
    let (a, d, watched) = (&tracked[0].id, &tracked[1].id, &tracked[2].id);
    let rest: Vec<&String> = seed
        .commitments
        .iter()
        .map(|c| &c.id)
        .filter(|id| ![&ipcp.id, a, d, watched].contains(id))
        .collect();
    assert!(
        rest.len() >= 2,
        "the seed has enough commitments: {seed:#?}"
    );
    let (b, c) = (rest[0], rest[1]);
    let mut drive = Driver {
        h,
        position: seed.position,
        n: 0,
    };

    drive
        .follow_up(
            &ipcp.id,
            FollowUp::Evidence(pb::AttachEvidence {
                evidence: Some(pb::Evidence {
                    evidence_id: "contract-ev-1".into(),
                    kind: "progress".into(),
                    date: "2018-03-01".into(),
                    source_type: "news".into(),
                    snippet: "talks on the IPCP update began".into(),
                    source_url: "https://example.org/ipcp".into(),
                    ..Default::default()
                }),
                by: "analyst".into(),
            }),
        )
        .await;
    // Withdrawn is terminal: the 2018 readout's "completion" link is refused
    // by the state machine and goes to the review queue as a proposal.
    drive
        .follow_up(
            &ipcp.id,
            FollowUp::Assess(pb::AssessStatus {
                status: pb::Status::Withdrawn as i32,
                effective: "2018-04-01".into(),
                assessor: "analyst".into(),
                reason: "policy_change".into(),
                evidence_ids: vec!["contract-ev-1".into()],
                ..Default::default()
            }),
        )
        .await;
    drive
        .review(
            a,
            Review::Confirm(pb::Confirm {
                by: "analyst".into(),
                note: "a real pledge".into(),
            }),
        )
        .await;
    drive
        .review(
            b,
            Review::Reject(pb::Reject {
                by: "analyst".into(),
                reason: "a courtesy".into(),
            }),
        )
        .await;
    drive
        .review(
            c,
            Review::Merge(pb::Merge {
                into: a.clone(),
                by: "analyst".into(),
            }),
        )
        .await;
    drive
        .follow_up(
            d,
            FollowUp::Supersede(pb::Supersede {
                successor: a.clone(),
                effective: "2018-02-01".into(),
                by: "analyst".into(),
                evidence_ids: vec![],
            }),
        )
        .await;
    drive
        .follow_up(
            a,
            FollowUp::ExtendDeadline(pb::ExtendDeadline {
                to: "2019-06-30".into(),
                reason: "talks resumed".into(),
                by: "analyst".into(),
            }),
        )
        .await;

    // The 2018 readout: the linker proposes the refused link; dismiss it.
    h.set_now(datetime!(2018-10-19 09:00 UTC));
    let later = h.ingest(LATER_TEXT, LATER_DATE).await;
    drive.position = h.links_done(&later).await;
    let proposed = h.linked(&ipcp.id, &later.document_id).await;
    let proposal = proposed
        .proposals
        .first()
        .unwrap_or_else(|| panic!("a proposal on the withdrawn IPCP: {proposed:#?}"));
    drive
        .review(
            &ipcp.id,
            Review::Resolve(pb::ResolveProposal {
                proposal_id: proposal.proposal_id.clone(),
                accept: false,
                by: "analyst".into(),
            }),
        )
        .await;

    // Alerts: due soon (within 30 days of a deadline), then overdue, which
    // resolves the due-soon alert; then waive the extended deadline.
    let alerter = h.app().alerter.clone().expect("query role");
    let mut position = h.app().position.clone().expect("query role");
    position.wait_for(|&p| p >= drive.position).await.unwrap();
    let watched = h.commitment(watched).await;
    let due = time::Date::parse(&watched.deadline, accord_domain::event::ISO_DATE)
        .unwrap_or_else(|e| panic!("{:?}: {e}", watched.deadline));
    h.set_now(due.midnight().assume_utc() - time::Duration::days(5));
    assert!(alerter.scan_once().await.unwrap().raised > 0, "due soon");
    h.set_now(due.midnight().assume_utc() + time::Duration::days(2));
    assert!(alerter.scan_once().await.unwrap().raised > 0, "overdue");
    drive.position = h.bus().await.last_canonical_position().await.unwrap();
    // The typed fields say what the deprecated strings say.
    let confirmed = h.commitment(a).await;
    assert_eq!(
        (confirmed.review_state, confirmed.review.as_str()),
        (pb::ReviewState::Confirmed as i32, "confirmed")
    );
    assert_eq!(confirmed.basis, pb::DeadlineBasis::Analyst as i32);
    assert_eq!(confirmed.deadline_basis, "analyst");
    let withdrawn = h.commitment(&ipcp.id).await;
    let evidence = &withdrawn.evidence[0];
    assert_eq!(
        (evidence.evidence_kind, evidence.kind.as_str()),
        (pb::EvidenceKind::Progress as i32, "progress")
    );
    let alerted = h.commitment(&watched.id).await;
    assert!(alerted
        .alerts
        .iter()
        .any(|x| x.alert_kind == pb::AlertKind::Overdue as i32 && x.kind == "overdue"));
    assert!(alerted
        .alerts
        .iter()
        .any(|x| x.alert_kind == pb::AlertKind::DueSoon as i32 && x.kind == "due_soon"));
    drive
        .follow_up(
            a,
            FollowUp::WaiveDeadline(pb::WaiveDeadline {
                reason: "open-ended after all".into(),
                by: "analyst".into(),
            }),
        )
        .await;
    // An operator's skip, appended as `SkipDeadLetter` does (the real flow,
    // with a junk entry that fits no schema, is `dlq_skip`'s): it names an
    // entry that was never parked, so it only joins the history.
    let skip = accord_domain::Envelope::new(
        accord_domain::EventMeta {
            id: accord_domain::EventId::derive(a, "skip:1"),
            occurred_at: datetime!(2018-12-01 09:00 UTC),
            recorded_at: datetime!(2018-12-01 09:00 UTC),
            correlation_id: "skip:1".into(),
        },
        accord_domain::Event::EntrySkipped(accord_domain::event::EntrySkipped {
            commitment_id: accord_domain::CommitmentId::parse(a).unwrap(),
            position: 1,
            reason: "junk".into(),
            by: "admin".into(),
        }),
    );
    let expected = version(h, a, drive.position).await;
    let outgoing = [accord_bus::Outgoing {
        envelope: skip,
        parties: vec![],
    }];
    h.bus()
        .await
        .append(&outgoing, accord_bus::Expect::CommitmentVersion(expected))
        .await
        .expect("append the skip");
}

/// Every message in stream ACCORD, from position 1: (subject, payload).
pub async fn read_back(h: &Harness) -> Vec<(String, Vec<u8>)> {
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let stream = js.get_stream("ACCORD").await.unwrap();
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subject: "accord.v1.>".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let pending = consumer.cached_info().num_pending as usize;
    let mut messages = consumer.messages().await.unwrap().take(pending);
    let mut out = Vec::new();
    while let Some(m) = messages.next().await {
        let m = m.unwrap();
        out.push((m.subject.to_string(), m.payload.to_vec()));
    }
    out
}

/// Runs examples/node-consumer on a fresh durable until the stream is
/// drained; returns its summary. Panics on a crash, not on invalid messages.
fn node_consumer(h: &Harness, durable: &str) -> Value {
    let script = accord_testkit::workspace_root().join("examples/node-consumer/consumer.js");
    let mut node = std::process::Command::new("node");
    node.arg(script)
        .args([
            "--nats",
            &h.nats.url(),
            "--durable",
            durable,
            "--idle-ms",
            "1500",
        ])
        .env("NODE_PATH", node_tools().join("node_modules"));
    assert!(
        node_tools().join("node_modules/nats").exists(),
        "the npm package nats is missing: run `make tools`"
    );
    let out = node
        .output()
        .expect("run node (Node.js >= 20 is needed for make test)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|v| v.get("summary").cloned())
        .unwrap_or_else(|| panic!("no summary from the node consumer:\n{stdout}\n{stderr}"));
    let invalid = summary["invalid"].as_u64().unwrap();
    assert_eq!(
        out.status.code(),
        Some(if invalid > 0 { 1 } else { 0 }),
        "{stdout}\n{stderr}"
    );
    summary
}

fn all_types() -> BTreeSet<String> {
    let envelope = load(&schema_dir().join("envelope.json"));
    envelope["properties"]["type"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_read_back_from_nats_fits_its_schema() {
    let h = Harness::start().await;
    every_event_type(&h).await;
    let messages = read_back(&h).await;

    let dir = schema_dir();
    let compile = |v: &Value| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(v)
            .expect("a valid schema")
    };
    let envelope = compile(&load(&dir.join("envelope.json")));
    let mut validators = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut party_feed = 0;
    for (subject, payload) in &messages {
        let message: Value =
            serde_json::from_slice(payload).unwrap_or_else(|e| panic!("{subject}: not JSON: {e}"));
        let errors: Vec<String> = envelope
            .iter_errors(&message)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{subject}: envelope: {errors:?}\n{message}"
        );
        let type_name = message["type"].as_str().unwrap().to_owned();
        let version = message["schema_version"].as_u64().unwrap();
        let path = dir.join(format!("v{version}/{type_name}.json"));
        let validator = validators
            .entry(path.clone())
            .or_insert_with(|| compile(&load(&path)));
        let errors: Vec<String> = validator
            .iter_errors(&message)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{subject} does not fit {}: {errors:#?}\n{message}",
            path.display()
        );
        // And the Rust reader agrees.
        accord_domain::Envelope::from_json(payload).expect("decodes");
        if subject.starts_with("accord.v1.party.") {
            party_feed += 1;
        }
        *seen.entry(type_name).or_default() += 1;
    }
    let types: BTreeSet<String> = seen.keys().cloned().collect();
    assert_eq!(
        types,
        all_types(),
        "every event type went through the pipeline: {seen:#?}"
    );
    assert!(party_feed > 0, "the party feed was read too");

    // A consumer in another language: the Node.js example, on the same server.
    let summary = node_consumer(&h, "e2e-node");
    assert_eq!(summary["invalid"], 0, "{summary}");
    assert_eq!(summary["received"], messages.len(), "{summary}");
    let node_types: BTreeSet<String> = summary["types"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(node_types, all_types(), "{summary}");
    // It can fail: a message that is not a valid event is reported.
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let bad = br#"{"id":"e1","type":"DocumentIngested","schema_version":2,"payload":{}}"#;
    js.publish("accord.v1.doc.d0.ingested", bad.as_slice().into())
        .await
        .unwrap()
        .await
        .unwrap();
    let summary = node_consumer(&h, "e2e-node-again");
    assert_eq!(summary["invalid"], 1, "{summary}");

    // The AsyncAPI document describes every subject and message seen.
    let channels = asyncapi_channels();
    for (subject, payload) in &messages {
        let message: Value = serde_json::from_slice(payload).unwrap();
        let type_name = message["type"].as_str().unwrap();
        assert!(
            channels
                .iter()
                .any(|(address, names)| fits(address, subject) && names.contains(type_name)),
            "proto/asyncapi.yaml has no channel for {type_name} on {subject}"
        );
    }
}
