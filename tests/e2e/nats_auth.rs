//! Issue #10, NATS side: every way Accord can authenticate to NATS
//! (`accord_bus::NatsAuth`, the `--nats-*` flags), each against a real
//! nats-server configured by the test for it — nkey users, a token,
//! decentralized JWT auth with a creds file, TLS with a private CA and
//! client certificates (`verify: true`) — and what a wrong setting says.
//! (User and password: `nats_security`, against the shipped config.)
//!
//! The creds test builds operator, account and user JWTs itself from
//! `nkeys` key pairs (header, claims, ed25519 signature): the claims are a
//! handful of JSON fields, and no well-kept Rust crate issues NATS JWTs.

use crate::faults::support::accord_bin;
use accord_bus::{Bus, BusConfig, NatsAuth};
use accord_testkit::NatsServer;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use nkeys::KeyPair;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A server from `config` (written to `dir`), JetStream on (storage in the
/// server's temporary folder).
fn server(dir: &Path, config: &str) -> NatsServer {
    let path = dir.join("nats.conf");
    std::fs::write(
        &path,
        format!("jetstream {{ store_dir: \"js\" }}\n{config}"),
    )
    .unwrap();
    NatsServer::with_config(&path, &[])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Connects as Accord does (stream setup included) and reads the stream's
/// message count: proof the server let this client in with JetStream rights.
async fn accord_connects(url: String, auth: NatsAuth) -> Result<u64, String> {
    let mut config = BusConfig::new(url);
    config.auth = auth;
    let bus = Bus::connect(config).await.map_err(|e| e.to_string())?;
    bus.message_count().await.map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nkey_seed_and_token_users_connect_and_wrong_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let user = KeyPair::new_user();
    let nats = server(
        dir.path(),
        &format!(
            "authorization {{ users: [ {{ nkey: {} }} ] }}\n",
            user.public_key()
        ),
    );
    let seed = write(
        dir.path(),
        "accord.nk",
        &format!("{}\n", user.seed().unwrap()),
    );
    let nkey = |path: PathBuf| NatsAuth {
        nkey: Some(path),
        ..NatsAuth::default()
    };
    assert_eq!(accord_connects(nats.url(), nkey(seed)).await, Ok(0));
    let stranger = write(dir.path(), "other.nk", &KeyPair::new_user().seed().unwrap());
    let refused = accord_connects(nats.url(), nkey(stranger))
        .await
        .unwrap_err();
    assert!(
        refused.contains("refused the credentials (nkey seed"),
        "{refused}"
    );
    drop(nats);

    let token_dir = tempfile::tempdir().unwrap();
    let nats = server(
        token_dir.path(),
        "authorization { token: \"t0ken-for-accord\" }\n",
    );
    let token = |t: &str| NatsAuth {
        token: Some(t.into()),
        ..NatsAuth::default()
    };
    accord_connects(nats.url(), token("t0ken-for-accord"))
        .await
        .unwrap();
    let refused = accord_connects(nats.url(), token("wrong"))
        .await
        .unwrap_err();
    assert!(
        refused.contains("refused the credentials (token"),
        "{refused}"
    );
}

/// A signed NATS JWT: `issuer` vouches for `subject` with these claims.
fn jwt(issuer: &KeyPair, subject: &str, nats: serde_json::Value) -> String {
    let header = B64.encode(r#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let claims = json!({
        "jti": format!("accord-test-{subject}"),
        "iat": 1_700_000_000,
        "iss": issuer.public_key(),
        "sub": subject,
        "name": "accord-test",
        "nats": nats,
    });
    let signed = format!("{header}.{}", B64.encode(claims.to_string()));
    let signature = issuer.sign(signed.as_bytes()).unwrap();
    format!("{signed}.{}", B64.encode(signature))
}

/// An account JWT without limits (JetStream on unless it is the system one).
fn account(operator: &KeyPair, account: &KeyPair, jetstream: bool) -> String {
    let mut unlimited = json!({
        "subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
        "wildcards": true, "conn": -1, "leaf": -1,
    });
    if jetstream {
        for limit in ["mem_storage", "disk_storage", "streams", "consumer"] {
            unlimited[limit] = json!(-1);
        }
    }
    jwt(
        operator,
        &account.public_key(),
        json!({"type": "account", "version": 2, "limits": unlimited}),
    )
}

/// A creds file as `nsc` writes it.
fn creds(user_jwt: &str, user: &KeyPair) -> String {
    format!(
        "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
         ************************* IMPORTANT *************************\n\
         NKEY Seed printed below can be used to sign and prove identity.\n\n\
         -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
        user.seed().unwrap()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_creds_file_connects_under_decentralized_jwt_auth() {
    let (operator, system, app) = (
        KeyPair::new_operator(),
        KeyPair::new_account(),
        KeyPair::new_account(),
    );
    let operator_jwt = jwt(
        &operator,
        &operator.public_key(),
        json!({"type": "operator", "version": 2, "system_account": system.public_key()}),
    );
    let config = format!(
        "operator: {operator_jwt}\nsystem_account: {sys}\nresolver: MEMORY\n\
         resolver_preload: {{\n  {sys}: {sys_jwt}\n  {app}: {app_jwt}\n}}\n",
        sys = system.public_key(),
        sys_jwt = account(&operator, &system, false),
        app = app.public_key(),
        app_jwt = account(&operator, &app, true),
    );
    let dir = tempfile::tempdir().unwrap();
    let nats = server(dir.path(), &config);
    let user = KeyPair::new_user();
    let user_jwt = jwt(
        &app,
        &user.public_key(),
        json!({"type": "user", "version": 2, "pub": {}, "sub": {},
               "subs": -1, "data": -1, "payload": -1}),
    );
    let file = write(dir.path(), "accord.creds", &creds(&user_jwt, &user));
    let auth = |path: PathBuf| NatsAuth {
        creds: Some(path),
        ..NatsAuth::default()
    };
    let count = accord_connects(nats.url(), auth(file)).await;
    assert_eq!(count, Ok(0), "{}", nats.log_text());

    // The same JWT with someone else's seed cannot answer the challenge.
    let forged = write(
        dir.path(),
        "forged.creds",
        &creds(&user_jwt, &KeyPair::new_user()),
    );
    let refused = accord_connects(nats.url(), auth(forged)).await.unwrap_err();
    assert!(
        refused.contains("refused the credentials (creds file"),
        "{refused}"
    );
}

/// A CA, and a certificate it signed for `names`: (cert PEM, key PEM).
struct Ca(rcgen::CertifiedIssuer<'static, rcgen::KeyPair>);

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let key = rcgen::KeyPair::generate().unwrap();
        Ca(rcgen::CertifiedIssuer::self_signed(params, key).unwrap())
    }

    fn issue(&self, names: &[&str]) -> (String, String) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.0)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_a_private_ca_and_client_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Ca::new("Accord test CA");
    let (server_cert, server_key) = ca.issue(&["127.0.0.1", "localhost"]);
    let (client_cert, client_key) = ca.issue(&["accord"]);
    let files = [
        ("ca.pem", ca.0.pem()),
        ("server.pem", server_cert),
        ("server-key.pem", server_key),
        ("client.pem", client_cert),
        ("client-key.pem", client_key),
        ("other-ca.pem", Ca::new("Someone else").0.pem()),
    ];
    for (name, text) in &files {
        write(d, name, text);
    }
    let nats = server(
        d,
        &format!(
            "tls {{\n  cert_file: \"{0}/server.pem\"\n  key_file: \"{0}/server-key.pem\"\n  \
             ca_file: \"{0}/ca.pem\"\n  verify: true\n}}\n",
            d.display()
        ),
    );
    let tls = |ca: &str, client: bool| NatsAuth {
        tls_ca: Some(d.join(ca)),
        tls_cert: client.then(|| d.join("client.pem")),
        tls_key: client.then(|| d.join("client-key.pem")),
        ..NatsAuth::default()
    };
    let count = accord_connects(nats.url(), tls("ca.pem", true)).await;
    assert_eq!(count, Ok(0), "{}", nats.log_text());

    let wrong_ca = accord_connects(nats.url(), tls("other-ca.pem", true))
        .await
        .unwrap_err();
    assert!(
        wrong_ca.contains("TLS failed (no credentials, TLS (CA"),
        "{wrong_ca}"
    );
    assert!(wrong_ca.contains("other-ca.pem"), "{wrong_ca}");
    let no_client_cert = accord_connects(nats.url(), tls("ca.pem", false)).await;
    assert!(
        no_client_cert.is_err(),
        "verify: true demands a client certificate"
    );
}

/// `accord up` and `accord sink` refuse unusable settings before
/// connecting: exit non-zero, the file and the problem named, no panic.
#[test]
fn bad_credentials_files_stop_the_cli_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let junk = write(dir.path(), "junk.creds", "hello\n");
    let missing = dir.path().join("missing-ca.pem");
    let nowhere = "nats://127.0.0.1:1";
    let data = dir.path().to_str().unwrap();
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &[
                "up",
                "--data-dir",
                data,
                "--nats",
                nowhere,
                "--nats-creds",
                junk.to_str().unwrap(),
            ],
            &[
                "NATS credentials file",
                "junk.creds",
                "cannot parse user JWT",
            ],
        ),
        (
            &[
                "up",
                "--data-dir",
                data,
                "--nats",
                nowhere,
                "--nats-tls-ca",
                missing.to_str().unwrap(),
            ],
            &["NATS TLS CA file", "missing-ca.pem"],
        ),
        (
            &[
                "sink",
                "parked",
                "--nats",
                nowhere,
                "--nats-nkey",
                junk.to_str().unwrap(),
            ],
            &["NATS nkey seed file", "junk.creds", "not an nkey seed"],
        ),
        (
            &["up", "--data-dir", data, "--nats-user", "accord"],
            &["--nats-password"],
        ),
    ];
    for (args, expected) in cases {
        let out = Command::new(accord_bin())
            .env("ACCORD_INSECURE_LOG", "true")
            .args(args)
            .env_remove("NATS_PASSWORD")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        for part in expected {
            assert!(stderr.contains(part), "{args:?}: {stderr:?} lacks {part:?}");
        }
    }
}
