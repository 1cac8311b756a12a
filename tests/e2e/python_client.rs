//! examples/python/follow.py against a real server: stubs generated from
//! the proto with grpcio-tools, a durable JetStream consumer on the party
//! feed (nats-py), each commitment looked up over gRPC; run twice on the
//! same durable, the second run prints only what is new.

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The virtualenv `make tools` builds from examples/python/requirements.txt.
fn python() -> PathBuf {
    let venv = std::env::var_os("ACCORD_PYCLIENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| accord_testkit::workspace_root().join(".tools/pyclient"));
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `make tools` (builds the Python client's virtualenv)",
        python.display()
    );
    python
}

fn stubs(python: &PathBuf) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = accord_testkit::workspace_root();
    let status = Command::new(python)
        .current_dir(&root)
        .args(["-m", "grpc_tools.protoc", "-I", "proto"])
        .arg(format!("--python_out={}", out.path().display()))
        .arg(format!("--grpc_python_out={}", out.path().display()))
        .arg("proto/accord/v1/accord.proto")
        .status()
        .expect("run grpc_tools.protoc");
    assert!(
        status.success(),
        "grpcio-tools could not generate the stubs"
    );
    out
}

/// One run of the follower until 3 s pass without a message: its lines.
async fn follow(h: &Harness, python: &PathBuf, stubs: &std::path::Path) -> Vec<Value> {
    let mut command = Command::new(python);
    command
        .arg(accord_testkit::workspace_root().join("examples/python/follow.py"))
        .args(["--nats", &h.nats.url(), "--grpc", &h.app().addr.to_string()])
        .args([
            "--party",
            "NATO",
            "--durable",
            "py-test",
            "--idle-secs",
            "3",
        ])
        .arg("--stubs")
        .arg(stubs);
    let out = tokio::task::spawn_blocking(move || command.output().expect("run follow.py"))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let (summary, rows) = lines.split_last().expect("a summary line");
    assert_eq!(summary["summary"]["received"], rows.len(), "{stdout}");
    rows.to_vec()
}

/// (id, status, text) of NATO's commitments among `made`, as gRPC has them.
async fn expected(h: &Harness, made: &[pb::Commitment]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for c in made
        .iter()
        .filter(|c| c.committers.iter().any(|p| p == "NATO"))
    {
        let now = h.commitment(&c.id).await;
        let status = pb::Status::try_from(now.status).unwrap().as_str_name();
        let status = status.trim_start_matches("STATUS_").to_lowercase();
        out.push((now.id, status, now.text));
    }
    out.sort();
    out
}

fn printed(rows: &[Value]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_owned();
            (s("commitment_id"), s("status"), s("text"))
        })
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_client_follows_a_party_and_looks_commitments_up() {
    let python = python();
    let stubs = stubs(&python);
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    h.links_done(&seed).await;
    let first = follow(&h, &python, stubs.path()).await;
    let want = expected(&h, &seed.commitments).await;
    assert!(!want.is_empty());
    assert_eq!(printed(&first), want);

    // Durable: the second run sees only the 2018 readout's commitments.
    let later = h.ingest_later().await;
    h.links_done(&later).await;
    let second = follow(&h, &python, stubs.path()).await;
    assert_eq!(printed(&second), expected(&h, &later.commitments).await);
}
