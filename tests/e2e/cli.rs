//! The `accord` binary as users run it: `accord up` as a process, `accord
//! ingest` of .txt and .html files, `accord list` and `accord show`.

use crate::faults::support::accord_bin;
use accord_testkit::{free_port, NatsServer, Process};
use std::process::Command;
use std::time::Duration;

fn accord(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(accord_bin())
        .args(args)
        .output()
        .expect("run accord");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_text_and_html_files_list_and_show() {
    let nats = NatsServer::start();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = format!("http://127.0.0.1:{port}");
    // A key file as an operator makes one; `up` signs with it.
    let keys = data.path().join("log.keys");
    let (made, said, err) = accord(&["log-key", "new", keys.to_str().unwrap(), "--id", "k1"]);
    assert!(made && said.contains("key k1 now signs"), "{said}{err}");
    let mut up = Command::new(accord_bin());
    up.args(["up", "--nats", &nats.url(), "--data-dir"])
        .arg(data.path())
        .arg("--log-keys")
        .arg(&keys)
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--alert-tick-secs",
            "0",
            "--metrics-listen",
            "127.0.0.1:0",
            "--http-listen",
            "127.0.0.1:0",
        ]);
    let mut up = Process::spawn("accord up", up, &data.path().join("accord.log"));
    up.wait_for_line(Duration::from_secs(30), |l| {
        l.contains("accord serving gRPC on").then_some(())
    });

    let readouts = tempfile::tempdir().unwrap();
    let root = accord_testkit::workspace_root();
    std::fs::copy(
        root.join("examples/readouts/japan-nato-2017-10-31.txt"),
        readouts.path().join("japan-nato-2017-10-31.txt"),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/readouts/govuk-uk-poland-2024-01-22.html"),
        readouts.path().join("govuk-uk-poland-2024-01-22.html"),
    )
    .unwrap();
    // No date in the name or the text: refused, with a message saying so.
    std::fs::write(
        readouts.path().join("undated.txt"),
        "The two leaders agreed to meet again.\n",
    )
    .unwrap();
    let bus = accord_bus::Bus::connect(accord_bus::BusConfig::new(nats.url()))
        .await
        .unwrap();

    let dir = readouts.path().to_str().unwrap();
    let (ok, stdout, _) = tokio::task::spawn_blocking({
        let server = server.clone();
        let dir = dir.to_owned();
        move || accord(&["ingest", &dir, "--server", &server])
    })
    .await
    .unwrap();
    assert!(
        !ok,
        "one file was refused, so ingest reports failure:\n{stdout}"
    );
    assert!(
        stdout.contains("3 file(s): 2 ingested, 0 already known, 1 failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("undated.txt: error: InvalidArgument: date:"),
        "{stdout}"
    );
    let after = bus.message_count().await.unwrap();

    // The refused file published nothing; the same folder again publishes nothing new.
    let (_, again, _) = tokio::task::spawn_blocking({
        let server = server.clone();
        let dir = dir.to_owned();
        move || accord(&["ingest", &dir, "--json", "--server", &server])
    })
    .await
    .unwrap();
    let lines: Vec<serde_json::Value> = again
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let known = lines
        .iter()
        .filter(|l| l["already_ingested"] == true && l["document_id"].is_string())
        .count();
    assert_eq!(known, 2, "{again}");
    assert!(
        lines.iter().any(|l| l["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("undated.txt"))
            && l["error"].as_str().is_some_and(|e| e.contains("date:"))),
        "{again}"
    );
    let summary = lines.last().unwrap();
    assert_eq!(
        (
            &summary["ingested"],
            &summary["already_known"],
            &summary["failed"]
        ),
        (&0.into(), &2.into(), &1.into()),
        "{again}"
    );
    assert_eq!(bus.message_count().await.unwrap(), after);

    let (ok, listed, err) = tokio::task::spawn_blocking({
        let server = server.clone();
        move || accord(&["list", "--json", "--server", &server])
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    let rows: Vec<serde_json::Value> = listed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let has = |party: &str| {
        rows.iter().any(|r| {
            r["committers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == party)
        })
    };
    assert!(
        has("NATO") && has("POL") && has("GBR"),
        "both readouts are tracked: {listed}"
    );
    let ipcp = rows
        .iter()
        .find(|r| r["text"].as_str().unwrap().contains("IPCP"))
        .expect("the IPCP action");

    let (ok, shown, err) = tokio::task::spawn_blocking({
        let id = ipcp["id"].as_str().unwrap().to_owned();
        let server = server.clone();
        move || accord(&["show", &id, "--server", &server])
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    assert!(
        shown.contains("not_yet_assessed") && shown.contains("JPN, NATO"),
        "{shown}"
    );

    // The export: one CSV row per listed commitment, the documented columns;
    // JSON Lines with the same keys; the report as JSON.
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            accord(&args.iter().map(String::as_str).collect::<Vec<_>>())
        })
    };
    let args = |a: &[&str]| {
        let mut v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        v.extend(["--server".to_owned(), server.clone()]);
        v
    };
    let (ok, csv, err) = run(args(&["export", "--format", "csv"])).await.unwrap();
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, accord_http::export::COLUMNS);
    assert_eq!(reader.records().count(), rows.len(), "{csv}");
    let (ok, jsonl, err) = run(args(&["export", "--format", "jsonl", "--party", "POL"]))
        .await
        .unwrap();
    assert!(ok, "{err}");
    let exported: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        !exported.is_empty()
            && exported.iter().all(|r| r["committers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "POL")),
        "{jsonl}"
    );
    let (ok, report, err) = run(args(&["report", "NATO", "--json"])).await.unwrap();
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["party"], "NATO", "{report}");
    up.kill();
}

#[test]
fn link_json_gives_one_object_per_link_with_its_signals() {
    let examples = accord_testkit::workspace_root().join("examples/readouts");
    let later = examples.join("japan-nato-2018-10-18.txt");
    let earlier = examples.join("japan-nato-2017-10-31.txt");
    let (ok, stdout, err) = accord(&[
        "link",
        "--json",
        later.to_str().unwrap(),
        earlier.to_str().unwrap(),
        "--later-date",
        "2018-10-18",
        "--earlier-date",
        "2017-10-31",
    ]);
    assert!(ok, "{err}");
    let links: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let ipcp = links
        .iter()
        .find(|l| l["commitment"].as_str().is_some_and(|t| t.contains("IPCP")))
        .unwrap_or_else(|| panic!("the IPCP update is linked: {stdout}"));
    assert_eq!(ipcp["outcome"], "fulfilled", "{ipcp}");
    assert_eq!(ipcp["applied"], true, "{ipcp}");
    assert_eq!(ipcp["effective"], "2018-05-01", "{ipcp}");
    assert_eq!(ipcp["signals"]["dated_by"], "in May this year", "{ipcp}");
}
