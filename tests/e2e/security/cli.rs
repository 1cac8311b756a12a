//! `accord up`'s refusal to listen exposed without TLS and tokens, and the
//! client commands over mTLS with tokens from `accord credentials init`.

use crate::faults::support::accord_bin;
use accord_testkit::{free_port, NatsServer, Process};
use std::process::Command;
use std::time::Duration;

/// Runs `accord` with `args` and extra environment; (success, stdout + stderr).
fn accord(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(accord_bin())
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run accord");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn accord_async(args: Vec<String>, env: Vec<(String, String)>) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        accord(&args, &env)
    })
    .await
    .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_refuses_an_exposed_listener_without_tls_and_tokens_unless_insecure() {
    let nats = NatsServer::start();
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap().to_owned();
    let listen = format!("0.0.0.0:{}", free_port());
    let up = |extra: &[&str]| {
        let mut args = strings(&[
            "up",
            "--nats",
            &nats.url(),
            "--data-dir",
            &d,
            "--metrics-listen",
            "off",
            "--http-listen",
            "off",
            "--insecure-log",
        ]);
        args.extend(strings(extra));
        args
    };
    let (ok, out) = accord_async(up(&["--listen", &listen]), vec![]).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "refusing to serve gRPC on {listen} without TLS (--tls-cert/--tls-key) and authentication (--tokens)"
        )),
        "{out}"
    );
    // A tokens file that does not parse: the file and line are named.
    let bad = data.path().join("bad.tokens");
    std::fs::write(&bad, "# callers\nalice reader sha256:abc\n").unwrap();
    let (ok, out) = accord_async(up(&["--tokens", bad.to_str().unwrap()]), vec![]).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "{}:2: sha256: must be followed by 64 hex digits",
            bad.display()
        )),
        "{out}"
    );

    // A TLS file that is not PEM: the start stops and says so.
    let garbage = data.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let g = garbage.to_str().unwrap();
    let (ok, out) = accord_async(up(&["--tls-cert", g, "--tls-key", g]), vec![]).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains("TLS settings (--tls-cert, --tls-key, --client-ca): ")
            && out.contains("private key"),
        "{out}"
    );

    let mut command = Command::new(accord_bin());
    // The log key file is not what these tests are about.
    command.env("ACCORD_INSECURE_LOG", "true");
    command.args(up(&[
        "--listen",
        &listen,
        "--insecure",
        "--alert-tick-secs",
        "0",
    ]));
    let mut process = Process::spawn("accord up --insecure", command, &data.path().join("up.log"));
    let warning = process.wait_for_line(Duration::from_secs(30), |l| {
        l.contains("INSECURE").then(|| l.to_owned())
    });
    assert!(
        warning.contains("without TLS (--tls-cert/--tls-key) and authentication (--tokens)"),
        "{warning}"
    );
    let addr = crate::harness::grpc_address(&mut process);
    assert!(addr.starts_with("0.0.0.0:"), "{addr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_talks_mtls_with_tokens_made_by_credentials_init() {
    let nats = NatsServer::start();
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds");
    let c = |f: &str| creds.join(f).to_str().unwrap().to_owned();
    let (ok, out) = accord_async(strings(&["credentials", "init", "--dir", &c("")]), vec![]).await;
    assert!(ok, "{out}");
    let tokens_txt = std::fs::read_to_string(creds.join("tokens.txt")).unwrap();
    let token = |role: &str| -> String {
        let line = tokens_txt
            .lines()
            .find(|l| l.starts_with(&format!("{role} ")))
            .expect("a token per role");
        line.split_whitespace().nth(2).unwrap().to_owned()
    };
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(creds.join("tokens.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "tokens.txt is readable by the user only");
    assert!(!std::fs::read_to_string(creds.join("tokens"))
        .unwrap()
        .contains(&token("reader")));

    let port = free_port();
    let mut command = Command::new(accord_bin());
    // The log key file is not what these tests are about.
    command.env("ACCORD_INSECURE_LOG", "true");
    command.args([
        "up",
        "--nats",
        &nats.url(),
        "--metrics-listen",
        "off",
        "--http-listen",
        "off",
        "--alert-tick-secs",
        "0",
    ]);
    command.arg("--data-dir").arg(dir.path().join("data"));
    command.args(["--listen", &format!("127.0.0.1:{port}")]);
    command.args([
        "--tls-cert",
        &c("server.pem"),
        "--tls-key",
        &c("server-key.pem"),
    ]);
    command.args(["--client-ca", &c("ca.pem"), "--tokens", &c("tokens")]);
    let mut process = Process::spawn("accord up (mTLS)", command, &dir.path().join("up.log"));
    crate::harness::grpc_address(&mut process);

    let server = format!("https://127.0.0.1:{port}");
    let tls = |extra: &[&str]| {
        let mut args = strings(extra);
        args.extend(strings(&[
            "--server",
            &server,
            "--connect-wait",
            "2",
            "--ca-cert",
            &c("ca.pem"),
        ]));
        args.extend(strings(&[
            "--cert",
            &c("client.pem"),
            "--key",
            &c("client-key.pem"),
        ]));
        args
    };
    let as_role = |role: &str| vec![("ACCORD_TOKEN".to_owned(), token(role))];
    let readout =
        accord_testkit::workspace_root().join("examples/readouts/japan-nato-2017-10-31.txt");
    let readout = readout.to_str().unwrap();

    let (ok, out) = accord_async(tls(&["ingest", readout]), as_role("reader")).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains("IngestReadout needs role ingester; caller dev-reader has reader"),
        "{out}"
    );
    let (ok, out) = accord_async(tls(&["ingest", "--json", readout]), as_role("ingester")).await;
    assert!(ok, "{out}");
    assert!(
        !out.contains(&token("ingester")),
        "the token is never printed: {out}"
    );
    // An ingester may not read, so its ingest cannot wait for the tracker:
    // the reader asks for the position the ingest returned.
    let position = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v["position"].as_u64())
        .unwrap_or_else(|| panic!("no position in {out}"))
        .to_string();
    let (ok, listed) = accord_async(
        tls(&["list", "--json", "--min-position", &position]),
        as_role("reader"),
    )
    .await;
    assert!(ok && listed.contains("NATO"), "{listed}");
    // The certificate alone names the caller (dev-client, admin).
    let (ok, out) = accord_async(tls(&["dlq", "list"]), vec![]).await;
    assert!(ok, "{out}");
    // Without the CA the server is not trusted; without a client certificate it refuses.
    let plain = strings(&[
        "list",
        "--server",
        &format!("http://127.0.0.1:{port}"),
        "--connect-wait",
        "1",
    ]);
    let (ok, out) = accord_async(plain, as_role("reader")).await;
    assert!(!ok, "{out}");
    let no_cert = strings(&[
        "list",
        "--server",
        &server,
        "--connect-wait",
        "1",
        "--ca-cert",
        &c("ca.pem"),
    ]);
    let (ok, out) = accord_async(no_cert, as_role("reader")).await;
    assert!(!ok, "{out}");
    assert!(out.contains("may require a client certificate"), "{out}");
    assert!(!out.contains(&token("reader")), "{out}");
}
