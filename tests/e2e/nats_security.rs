//! Issue #10 "Who may write the record", NATS side: the SHIPPED configs
//! (`deploy/nats.conf`, `deploy/cluster/node.conf`, both including
//! `deploy/nats-users.conf`) are what the servers here run — only ports,
//! storage and passwords come from the test. Accord writes as user
//! `accord`; user `subscriber` can follow the log (plain subscriptions and
//! its own consumers) but cannot write it, nor delete, purge or change the
//! stream. Anonymous clients are refused; cluster routes need their password.

use crate::faults::support::accord_bin;
use crate::harness::{grpc_address, SEED, SEED_DATE};
use accord_bus::{Bus, BusConfig, NatsAuth};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_testkit::{workspace_root, NatsCluster, NatsPasswords, NatsServer, Process};
use async_nats::jetstream::{self, consumer::pull};
use futures::StreamExt;
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A client as user `subscriber`, and the server errors it is told about
/// (permission violations arrive as `-ERR` lines, i.e. these events).
async fn subscriber(
    url: &str,
    pw: &NatsPasswords,
) -> (async_nats::Client, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = async_nats::ConnectOptions::with_user_and_password(
        "subscriber".into(),
        pw.subscriber.clone(),
    )
    .event_callback(move |event| {
        let sink = sink.clone();
        async move {
            if let async_nats::Event::ServerError(e) = event {
                sink.lock().unwrap().push(e.to_string());
            }
        }
    })
    .connect(url)
    .await
    .expect("the subscriber user connects");
    (client, seen)
}

fn accord_user(pw: &NatsPasswords) -> NatsAuth {
    NatsAuth {
        user: Some("accord".into()),
        password: Some(pw.accord.clone()),
        ..NatsAuth::default()
    }
}

/// Waits (bounded) until the server reported a permission violation naming
/// `subject`.
async fn violation(seen: &Arc<Mutex<Vec<String>>>, subject: &str) {
    for _ in 0..200 {
        if seen
            .lock()
            .unwrap()
            .iter()
            .any(|e| e.contains("Permissions Violation") && e.contains(subject))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no permission violation for {subject}; server said: {:?}",
        seen.lock().unwrap()
    );
}

/// The log stream as a subscriber sees it: reading its info is allowed. A
/// cluster busy with the whole suite may answer the request late (seen
/// once: a timeout); a refusal fails at once.
async fn stream_info(js: &jetstream::Context) -> jetstream::stream::Stream {
    use async_nats::jetstream::context::GetStreamErrorKind;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match js.get_stream("ACCORD").await {
            Ok(stream) => return stream,
            Err(e) if attempt < 4 && e.kind() == GetStreamErrorKind::Request => continue,
            Err(e) => panic!("stream info is allowed: {e:?}"),
        }
    }
}

/// As `subscriber`: writing the log, deleting, purging or changing the
/// stream are all refused by the server, and the log is unchanged.
async fn subscriber_cannot_write(url: &str, pw: &NatsPasswords, accord: &Bus) {
    let before = accord.message_count().await.unwrap();
    let (client, seen) = subscriber(url, pw).await;
    client
        .publish("accord.v1.cmt.x.made", "{\"forged\":true}".into())
        .await
        .unwrap();
    client.flush().await.unwrap();
    violation(&seen, "accord.v1.cmt.x.made").await;

    let js = jetstream::new(client.clone());
    let mut stream = stream_info(&js).await;
    let mut config = stream.info().await.unwrap().config.clone();
    config.deny_delete = false;
    config.deny_purge = false;
    let (deleted, purged, updated) = tokio::join!(
        js.delete_stream("ACCORD"),
        stream.purge(),
        js.update_stream(config),
    );
    assert!(deleted.is_err() && purged.is_err() && updated.is_err());
    for subject in [
        "$JS.API.STREAM.DELETE.ACCORD",
        "$JS.API.STREAM.PURGE.ACCORD",
        "$JS.API.STREAM.UPDATE.ACCORD",
    ] {
        violation(&seen, subject).await;
    }
    assert_eq!(accord.message_count().await.unwrap(), before);
    let js = jetstream::new(accord.client().clone());
    let info = js
        .get_stream("ACCORD")
        .await
        .unwrap()
        .info()
        .await
        .unwrap()
        .clone();
    assert!(info.config.deny_delete && info.config.deny_purge);
}

/// The Node.js example consumer (npm `nats`, a durable consumer) as user
/// `subscriber`: how many messages on `filter` it received, all valid.
fn node_subscriber(url: &str, pw: &NatsPasswords, filter: &str) -> u64 {
    let tools = crate::contract::node_tools();
    assert!(
        tools.join("node_modules/nats").exists(),
        "the npm package nats is missing: run `make tools`"
    );
    let out = Command::new("node")
        .arg(workspace_root().join("examples/node-consumer/consumer.js"))
        .args([
            "--nats",
            url,
            "--filter",
            filter,
            "--durable",
            "third-party",
        ])
        .args(["--idle-ms", "1500"])
        .env("NODE_PATH", tools.join("node_modules"))
        .env("NATS_USER", "subscriber")
        .env("NATS_PASSWORD", &pw.subscriber)
        .output()
        .expect("run node (Node.js >= 20 is needed for make test)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let summary = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v.get("summary").cloned())
        .unwrap_or_else(|| panic!("no summary from the node consumer:\n{stdout}\n{stderr}"));
    assert_eq!(summary["invalid"], 0, "{summary}");
    summary["received"].as_u64().unwrap()
}

/// `accord up` as user `accord` (flags and env as an operator gives them).
fn accord_up(url: &str, pw: &NatsPasswords, data: &std::path::Path) -> Process {
    let mut up = Command::new(accord_bin());
    // The log key file is not what these tests are about.
    up.env("ACCORD_INSECURE_LOG", "true");
    up.args(["up", "--nats", url, "--nats-user", "accord", "--data-dir"])
        .arg(data)
        .args(["--listen", "127.0.0.1:0", "--alert-tick-secs", "0"])
        .args(["--metrics-listen", "off", "--http-listen", "off"])
        .env("NATS_PASSWORD", &pw.accord);
    Process::spawn("accord up", up, &data.join("accord.log"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_config_lets_accord_write_and_subscribers_only_read() {
    let pw = NatsPasswords::default();
    let nats = NatsServer::with_config(workspace_root().join("deploy/nats.conf"), &pw.env());
    let anonymous = async_nats::ConnectOptions::new().connect(nats.url()).await;
    assert!(anonymous.is_err(), "anonymous clients are refused");

    let (follower, seen) = subscriber(&nats.url(), &pw).await;
    let mut plain = follower
        .subscribe("accord.v1.party.NATO.made.*")
        .await
        .expect("subscriber may follow party feeds");
    follower.flush().await.unwrap();

    let data = tempfile::tempdir().unwrap();
    let mut up = accord_up(&nats.url(), &pw, data.path());
    let addr = grpc_address(&mut up);
    assert!(
        !up.log_text().contains(&pw.accord),
        "the password is never logged"
    );
    let ingested = AccordClient::connect(format!("http://{addr}"))
        .await
        .unwrap()
        .ingest_readout(pb::IngestReadoutRequest {
            text: SEED.into(),
            date: SEED_DATE.into(),
            ..Default::default()
        })
        .await
        .expect("accord ingests as user accord")
        .into_inner();
    let nato: BTreeSet<String> = ingested
        .commitments
        .iter()
        .filter(|c| c.committers.iter().any(|p| p == "NATO"))
        .map(|c| c.id.clone())
        .collect();
    assert!(!nato.is_empty());

    // A plain subscription gets every NATO commitment...
    let mut got = BTreeSet::new();
    while got.len() < nato.len() {
        let msg = tokio::time::timeout(Duration::from_secs(20), plain.next())
            .await
            .expect("NATO commitments arrive")
            .unwrap();
        got.insert(msg.subject.rsplit('.').next().unwrap().to_owned());
    }
    assert_eq!(got, nato);
    // ... and so does the subscriber's own consumer on the stream.
    let js = jetstream::new(follower.clone());
    let stream = js.get_stream("ACCORD").await.unwrap();
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: "accord.v1.party.NATO.made.*".into(),
            ..Default::default()
        })
        .await
        .expect("subscriber may create its own consumer");
    let mut batch = consumer
        .fetch()
        .max_messages(nato.len() + 5)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .unwrap();
    let mut via_consumer = BTreeSet::new();
    while let Some(msg) = batch.next().await {
        let msg = msg.unwrap();
        msg.ack().await.expect("subscriber may ack its consumer");
        via_consumer.insert(msg.subject.rsplit('.').next().unwrap().to_owned());
    }
    assert_eq!(via_consumer, nato);
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
    // A third-party client with a durable consumer, as the README shows.
    let filter = "accord.v1.party.NATO.made.*";
    assert_eq!(node_subscriber(&nats.url(), &pw, filter), nato.len() as u64);

    let mut config = BusConfig::new(nats.url());
    config.auth = accord_user(&pw);
    let accord = Bus::connect(config).await.unwrap();
    subscriber_cannot_write(&nats.url(), &pw, &accord).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_a_clear_error_not_a_retry_loop() {
    let pw = NatsPasswords::default();
    let nats = NatsServer::with_config(workspace_root().join("deploy/nats.conf"), &pw.env());
    let wrong = NatsPasswords {
        accord: "not-the-password".into(),
        ..NatsPasswords::default()
    };
    let mut config = BusConfig::new(nats.url());
    config.auth = accord_user(&wrong);
    let Err(e) = Bus::connect(config).await else {
        panic!("a wrong password was accepted")
    };
    let text = e.to_string();
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(
        text.contains("user accord") && !text.contains("not-the-password"),
        "{text}"
    );

    let data = tempfile::tempdir().unwrap();
    let out = Command::new(accord_bin())
        .env("ACCORD_INSECURE_LOG", "true")
        .args([
            "up",
            "--nats",
            &nats.url(),
            "--nats-user",
            "accord",
            "--data-dir",
        ])
        .arg(data.path())
        .args(["--listen", "127.0.0.1:0", "--metrics-listen", "off"])
        .args(["--http-listen", "off"])
        .env("NATS_PASSWORD", &wrong.accord)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("refused the credentials"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("not-the-password"),
        "{stderr}"
    );
}

#[test]
fn shipped_configs_pass_nats_server_check_and_need_their_passwords() {
    let bin = accord_testkit::nats_server_bin();
    let pw = NatsPasswords::default();
    let root = workspace_root();
    let node = [
        ("ACCORD_NODE", "n1"),
        ("ACCORD_CLIENT_PORT", "4222"),
        ("ACCORD_HTTP_PORT", "8222"),
        ("ACCORD_CLUSTER_PORT", "6222"),
        ("ACCORD_STORE_DIR", "/tmp/accord-n1"),
        ("ACCORD_ROUTE_1", "nats://route:x@127.0.0.1:6222"),
        ("ACCORD_ROUTE_2", "nats://route:x@127.0.0.1:6223"),
        ("ACCORD_ROUTE_3", "nats://route:x@127.0.0.1:6224"),
    ];
    for file in ["deploy/nats.conf", "deploy/cluster/node.conf"] {
        let check = |with_passwords: bool| {
            let mut command = Command::new(&bin);
            command
                .args(["-t", "-c"])
                .arg(root.join(file))
                .envs(node)
                .env_remove("ACCORD_NATS_PASSWORD")
                .env_remove("ACCORD_SUBSCRIBER_PASSWORD")
                .env_remove("ACCORD_ROUTE_PASSWORD");
            if with_passwords {
                command.envs(pw.env());
            }
            let out = command.output().expect("run nats-server -t");
            let text = String::from_utf8_lossy(&out.stderr).into_owned()
                + &String::from_utf8_lossy(&out.stdout);
            (out.status.success(), text)
        };
        let (ok, text) = check(true);
        assert!(ok && text.contains("is valid"), "{file}: {text}");
        let (ok, text) = check(false);
        assert!(
            !ok && text.contains("PASSWORD"),
            "{file} without passwords: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_cluster_config_authenticates_routes_and_keeps_subscribers_read_only() {
    let cluster = tokio::task::block_in_place(NatsCluster::start);
    // Healthy means the JetStream meta group formed: routes authenticated.
    let (_, routez) = cluster.http_get(0, "/routez").expect("monitoring answers");
    for other in ["n2", "n3"] {
        assert!(
            routez.contains(&format!("\"remote_name\": \"{other}\"")),
            "{routez}"
        );
    }
    let pw = cluster.passwords().clone();
    let anonymous = async_nats::ConnectOptions::new()
        .connect(cluster.url(1))
        .await;
    assert!(anonymous.is_err(), "anonymous clients are refused");

    let mut config = BusConfig::new(cluster.url(0));
    config.replicas = 3;
    config.auth = accord_user(&pw);
    let accord = Bus::connect(config)
        .await
        .expect("accord creates its R3 stream");
    subscriber_cannot_write(&cluster.url(2), &pw, &accord).await;
}
