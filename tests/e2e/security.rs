//! Who may write the record: TLS, mTLS, bearer tokens, the one role check,
//! `by`/`assessor` from the caller; `cli` runs `accord` as users do.

mod cli;

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_api::auth::{GrpcSecurity, TlsFiles};
use accord_api::App;
use accord_auth::pki::{Authority, Pem};
use accord_auth::{generate_token, hash_token, Credential, Entry, Role, TokensFile};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_proto::v1::record_follow_up_request::FollowUp;
use accord_testkit::NatsServer;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use time::macros::datetime;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};
use tonic::Code;

/// Tokens for one user per role (`reader-user` …) and a certificate name.
struct Callers {
    tokens: Vec<(Role, String)>,
    file: TokensFile,
}

impl Callers {
    fn new(cert_lines: &[(&str, Role, &str)]) -> Callers {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for role in Role::ALL {
            let token = generate_token().unwrap();
            let entry = Entry {
                name: format!("{role}-user"),
                role,
                credential: hash_token(&token),
            };
            text.push_str(&format!("{entry}\n"));
            tokens.push((role, token));
        }
        for (name, role, cn) in cert_lines {
            let entry = Entry {
                name: (*name).into(),
                role: *role,
                credential: Credential::Certificate((*cn).into()),
            };
            text.push_str(&format!("{entry}\n"));
        }
        Callers {
            tokens,
            file: TokensFile::parse(&text, "test tokens").unwrap(),
        }
    }

    fn token(&self, role: Role) -> &str {
        &self.tokens.iter().find(|(r, _)| *r == role).unwrap().1
    }
}

/// A harness whose app runs with `security` (nothing started before).
async fn secure(security: GrpcSecurity) -> Harness {
    let mut h = Harness {
        nats: NatsServer::start(),
        data: tempfile::tempdir().unwrap(),
        app: None,
        now: Arc::new(Mutex::new(datetime!(2017-11-01 09:00 UTC))),
        sink: None,
        replica_dirs: Vec::new(),
    };
    let mut config = h.config();
    config.security = security;
    h.app = Some(App::start(config).await.expect("secure accord starts"));
    h
}

fn tls(server: &Pem, client_ca: Option<&Authority>) -> Option<TlsFiles> {
    Some(TlsFiles {
        cert: server.cert.clone().into_bytes(),
        key: server.key.clone().into_bytes(),
        client_ca: client_ca.map(|ca| ca.cert_pem().as_bytes().to_vec()),
    })
}

/// Connects over TLS (trusting `ca`) or plain HTTP/2 (`ca` None).
async fn connect(
    addr: SocketAddr,
    ca: Option<&Authority>,
    id: Option<&Pem>,
) -> Result<AccordClient<Channel>, String> {
    let scheme = if ca.is_some() { "https" } else { "http" };
    let mut endpoint = Endpoint::from_shared(format!("{scheme}://{addr}")).unwrap();
    if let Some(ca) = ca {
        let mut config =
            ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca.cert_pem()));
        if let Some(id) = id {
            config = config.identity(Identity::from_pem(&id.cert, &id.key));
        }
        endpoint = endpoint.tls_config(config).unwrap();
    }
    endpoint
        .connect()
        .await
        .map(AccordClient::new)
        .map_err(|e| format!("{e:?}"))
}

/// Connect and list: the whole round trip, or why it failed.
async fn list(addr: SocketAddr, ca: Option<&Authority>, id: Option<&Pem>) -> Result<(), String> {
    let mut client = connect(addr, ca, id).await?;
    client
        .list_commitments(pb::ListCommitmentsRequest::default())
        .await
        .map(drop)
        .map_err(|s| format!("{:?}: {} ({s:?})", s.code(), s.message()))
}

fn with_header<T>(message: T, authorization: Option<&str>) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    if let Some(value) = authorization {
        request
            .metadata_mut()
            .insert("authorization", value.parse().unwrap());
    }
    request
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_clients_must_trust_the_servers_ca() {
    let ca = Authority::new("test CA").unwrap();
    let other = Authority::new("someone else's CA").unwrap();
    let server = ca.server(&["localhost", "127.0.0.1"]).unwrap();
    let h = secure(GrpcSecurity {
        tls: tls(&server, None),
        ..Default::default()
    })
    .await;
    let addr = h.app().addr;

    list(addr, Some(&ca), None)
        .await
        .expect("a client trusting the CA gets answers");
    let plain = list(addr, None, None).await;
    assert!(
        plain.is_err(),
        "plain HTTP/2 against a TLS server fails: {plain:?}"
    );
    let wrong = list(addr, Some(&other), None).await.unwrap_err();
    assert!(
        wrong.to_lowercase().contains("certificate") || wrong.contains("UnknownIssuer"),
        "{wrong}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mtls_names_the_caller_by_certificate_and_refuses_others() {
    let ca = Authority::new("test CA").unwrap();
    let other = Authority::new("someone else's CA").unwrap();
    let server = ca.server(&["localhost", "127.0.0.1"]).unwrap();
    let callers = Callers::new(&[("alice", Role::Analyst, "alice.example.org")]);
    let h = secure(GrpcSecurity {
        tls: tls(&server, Some(&ca)),
        tokens: Some(Arc::new(callers.file.clone())),
        insecure: false,
    })
    .await;
    let addr = h.app().addr;
    let alice = ca.client("alice.example.org").unwrap();
    let check =
        |what: &str, got: Result<(), String>, expected: Result<(), &str>| match (&got, expected) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(want)) => assert!(e.contains(want), "{what}: {e} !~ {want}"),
            _ => panic!("{what}: got {got:?}, want {expected:?}"),
        };
    // Refused in the TLS handshake: a transport error, never an answer.
    let handshake = Err("tonic::transport::Error(Transport");
    check(
        "no client certificate",
        list(addr, Some(&ca), None).await,
        handshake,
    );
    let forged = other.client("alice.example.org").unwrap();
    check(
        "a certificate from another CA",
        list(addr, Some(&ca), Some(&forged)).await,
        handshake,
    );
    let expired = ca
        .client_valid(
            "alice.example.org",
            time::Duration::days(-30),
            time::Duration::days(-1),
        )
        .unwrap();
    check(
        "an expired certificate",
        list(addr, Some(&ca), Some(&expired)).await,
        handshake,
    );
    let stranger = ca.client("bob.example.org").unwrap();
    check(
        "a good certificate nobody mapped",
        list(addr, Some(&ca), Some(&stranger)).await,
        Err("Unauthenticated: client certificate (bob.example.org) is not in the tokens file"),
    );
    check(
        "alice's certificate",
        list(addr, Some(&ca), Some(&alice)).await,
        Ok(()),
    );

    // Alice records a follow-up: the log names her, from her certificate.
    let mut client = connect(addr, Some(&ca), Some(&alice)).await.unwrap();
    let seed = ingest_as_admin(&mut client, &callers).await;
    let done = client
        .record_follow_up(assess(&seed.commitments[0], "", "by-cert"))
        .await
        .expect("alice (analyst) may assess")
        .into_inner();
    let history = &done.commitment.unwrap().history;
    assert_eq!(history.last().unwrap().assessor, "alice", "{history:#?}");
}

async fn ingest_as_admin(
    client: &mut AccordClient<Channel>,
    callers: &Callers,
) -> pb::IngestReadoutResponse {
    let request = pb::IngestReadoutRequest {
        text: SEED.into(),
        date: SEED_DATE.into(),
        ..Default::default()
    };
    client
        .ingest_readout(with_header(
            request,
            Some(&bearer(callers.token(Role::Admin))),
        ))
        .await
        .expect("admin may ingest")
        .into_inner()
}

fn assess(c: &pb::Commitment, assessor: &str, command_id: &str) -> pb::RecordFollowUpRequest {
    pb::RecordFollowUpRequest {
        commitment_id: c.id.clone(),
        expected_version: c.version,
        command_id: command_id.into(),
        follow_up: Some(FollowUp::Assess(pb::AssessStatus {
            status: pb::Status::InProgress as i32,
            effective: "2017-11-01".into(),
            assessor: assessor.into(),
            ..Default::default()
        })),
    }
}

/// One call of `method` with `authorization` (a harmless request; the
/// admin's Rebuild runs to the end).
async fn call(
    client: &mut AccordClient<Channel>,
    method: &str,
    auth: Option<&str>,
) -> Result<(), tonic::Status> {
    let r = |m| with_header(m, auth);
    match method {
        "IngestReadout" => {
            let m = pb::IngestReadoutRequest {
                text: SEED.into(),
                date: SEED_DATE.into(),
                ..Default::default()
            };
            client.ingest_readout(with_header(m, auth)).await.map(drop)
        }
        "GetCommitment" => client
            .get_commitment(with_header(pb::GetCommitmentRequest::default(), auth))
            .await
            .map(drop),
        "ListCommitments" => client
            .list_commitments(r(pb::ListCommitmentsRequest::default()))
            .await
            .map(drop),
        "GetDocument" => client
            .get_document(with_header(pb::GetDocumentRequest::default(), auth))
            .await
            .map(drop),
        "RecordFollowUp" => client
            .record_follow_up(with_header(pb::RecordFollowUpRequest::default(), auth))
            .await
            .map(drop),
        "ReviewCommitment" => client
            .review_commitment(with_header(pb::ReviewCommitmentRequest::default(), auth))
            .await
            .map(drop),
        "GetComplianceReport" => {
            let m = pb::GetComplianceReportRequest {
                party: "JPN".into(),
                ..Default::default()
            };
            client
                .get_compliance_report(with_header(m, auth))
                .await
                .map(drop)
        }
        "WatchCommitments" => client
            .watch_commitments(with_header(pb::WatchCommitmentsRequest::default(), auth))
            .await
            .map(drop),
        "WatchAlerts" => client
            .watch_alerts(with_header(pb::WatchAlertsRequest::default(), auth))
            .await
            .map(drop),
        "ListDeadLetters" => client
            .list_dead_letters(with_header(pb::ListDeadLettersRequest::default(), auth))
            .await
            .map(drop),
        "ReplayDeadLetters" => client
            .replay_dead_letters(with_header(pb::ReplayDeadLettersRequest {}, auth))
            .await
            .map(drop),
        "SkipDeadLetter" => {
            let m = pb::SkipDeadLetterRequest {
                position: 1,
                reason: "junk".into(),
            };
            client
                .skip_dead_letter(with_header(m, auth))
                .await
                .map(drop)
        }
        "Rebuild" => {
            let mut progress = client
                .rebuild(with_header(pb::RebuildRequest {}, auth))
                .await?
                .into_inner();
            while progress.message().await?.is_some() {}
            Ok(())
        }
        "Relink" => client
            .relink(with_header(pb::RelinkRequest {}, auth))
            .await
            .map(drop),
        other => panic!("no call for {other}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Allowed,
    Unauthenticated,
    Denied,
}

/// Every RPC × every caller: allowed (any answer past the check),
/// UNAUTHENTICATED or PERMISSION_DENIED, with a message that says why; a
/// refused IngestReadout appends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rpc_admits_exactly_its_roles() {
    use Outcome::*;
    let callers = Callers::new(&[]);
    let h = secure(GrpcSecurity {
        tokens: Some(Arc::new(callers.file.clone())),
        ..Default::default()
    })
    .await;
    let mut client = connect(h.app().addr, None, None).await.unwrap();
    let bus = h.bus().await;
    // (method, reader, ingester, analyst, admin)
    let table: [(&str, [Outcome; 4]); 14] = [
        ("GetCommitment", [Allowed, Denied, Allowed, Allowed]),
        ("ListCommitments", [Allowed, Denied, Allowed, Allowed]),
        ("GetDocument", [Allowed, Denied, Allowed, Allowed]),
        ("GetComplianceReport", [Allowed, Denied, Allowed, Allowed]),
        ("WatchCommitments", [Allowed, Denied, Allowed, Allowed]),
        ("WatchAlerts", [Allowed, Denied, Allowed, Allowed]),
        ("IngestReadout", [Denied, Allowed, Denied, Allowed]),
        ("RecordFollowUp", [Denied, Denied, Allowed, Allowed]),
        ("ReviewCommitment", [Denied, Denied, Allowed, Allowed]),
        ("Rebuild", [Denied, Denied, Denied, Allowed]),
        ("Relink", [Denied, Denied, Denied, Allowed]),
        ("ListDeadLetters", [Denied, Denied, Denied, Allowed]),
        ("ReplayDeadLetters", [Denied, Denied, Denied, Allowed]),
        ("SkipDeadLetter", [Denied, Denied, Denied, Allowed]),
    ];
    let unknown = "Bearer acc_00000000000000000000000000000000000000000000000000000000000000ff";
    for (method, expected) in table {
        let needed = accord_auth::required_role(method).unwrap();
        let mut cases: Vec<(String, Option<String>, Outcome)> = Role::ALL
            .into_iter()
            .zip(expected)
            .map(|(role, outcome)| {
                (
                    format!("{role}-user"),
                    Some(bearer(callers.token(role))),
                    outcome,
                )
            })
            .collect();
        cases.push(("no token".into(), None, Unauthenticated));
        cases.push((
            "an unknown token".into(),
            Some(unknown.into()),
            Unauthenticated,
        ));
        for (who, auth, want) in cases {
            let before = bus.message_count().await.unwrap();
            let result = call(&mut client, method, auth.as_deref()).await;
            let got = match &result {
                Err(s) if s.code() == Code::Unauthenticated => Unauthenticated,
                Err(s) if s.code() == Code::PermissionDenied => Denied,
                _ => Allowed,
            };
            assert_eq!(got, want, "{method} by {who}: {result:?}");
            if let Err(s) = &result {
                match got {
                    Denied => assert_eq!(
                        s.message(),
                        format!(
                            "{method} needs role {needed}; caller {who} has {}",
                            who.trim_end_matches("-user")
                        )
                    ),
                    Unauthenticated => assert!(
                        s.message().contains("token"),
                        "{method} by {who}: {}",
                        s.message()
                    ),
                    Allowed => {}
                }
            }
            if got != Allowed {
                let after = bus.message_count().await.unwrap();
                assert_eq!(
                    after, before,
                    "a refused {method} by {who} appended to the log"
                );
            }
        }
    }
}

/// Malformed `authorization` headers: UNAUTHENTICATED, saying what is wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_authorization_headers_are_refused_with_reasons() {
    let callers = Callers::new(&[]);
    let h = secure(GrpcSecurity {
        tokens: Some(Arc::new(callers.file.clone())),
        ..Default::default()
    })
    .await;
    let mut client = connect(h.app().addr, None, None).await.unwrap();
    let token = callers.token(Role::Admin).to_owned();
    let huge = format!("Bearer {}", "a".repeat(4000));
    for (header, expected) in [
        (token.as_str(), "expected `Bearer <token>`"),
        ("Basic dXNlcjpwYXNz", "expected `Bearer <token>`"),
        ("Bearer", "expected `Bearer <token>`"),
        ("Bearer a,b", "characters outside"),
        (huge.as_str(), "longer than 512 bytes"),
    ] {
        let status = client
            .list_commitments(with_header(
                pb::ListCommitmentsRequest::default(),
                Some(header),
            ))
            .await
            .unwrap_err();
        assert_eq!(
            status.code(),
            Code::Unauthenticated,
            "{header:.40}: {status:?}"
        );
        assert!(
            status.message().contains(expected),
            "{header:.40}: {}",
            status.message()
        );
        assert!(
            !status.message().contains(&token[4..]),
            "the token is never echoed"
        );
    }
    // Bytes that are not ASCII (allowed in HTTP header values as obs-text).
    let mut request = tonic::Request::new(pb::ListCommitmentsRequest::default());
    let value = tonic::metadata::MetadataValue::try_from(&b"Bearer t\xc3\xb6ken"[..]).unwrap();
    request.metadata_mut().insert("authorization", value);
    let status = client.list_commitments(request).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    assert!(
        status.message().contains("not ASCII"),
        "{}",
        status.message()
    );
    // Health stays open to everyone (it panics on any error but NOT_FOUND).
    assert!(crate::harness::health(h.app().addr, "").await.is_some());
}

/// The recorded `by`/`assessor` is the caller: empty is filled in, another
/// name is refused and nothing is appended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_names_the_caller_and_no_one_else() {
    let callers = Callers::new(&[]);
    let h = secure(GrpcSecurity {
        tokens: Some(Arc::new(callers.file.clone())),
        ..Default::default()
    })
    .await;
    let mut client = connect(h.app().addr, None, None).await.unwrap();
    let seed = ingest_as_admin(&mut client, &callers).await;
    let analyst = bearer(callers.token(Role::Analyst));
    let c = &seed.commitments[0];
    let bus = h.bus().await;

    let before = bus.message_count().await.unwrap();
    let spoofed = client
        .record_follow_up(with_header(assess(c, "mallory", "spoof"), Some(&analyst)))
        .await
        .unwrap_err();
    assert_eq!(spoofed.code(), Code::PermissionDenied, "{spoofed:?}");
    assert_eq!(
        spoofed.message(),
        "a request cannot claim someone else: assessor is \"mallory\" but the caller is analyst-user"
    );
    let confirm = |by: &str, command_id: &str| pb::ReviewCommitmentRequest {
        commitment_id: c.id.clone(),
        expected_version: c.version,
        command_id: command_id.into(),
        review: Some(pb::review_commitment_request::Review::Confirm(
            pb::Confirm {
                by: by.into(),
                note: String::new(),
            },
        )),
    };
    let spoofed = client
        .review_commitment(with_header(
            confirm("admin-user", "spoof-review"),
            Some(&analyst),
        ))
        .await
        .unwrap_err();
    assert_eq!(spoofed.code(), Code::PermissionDenied, "{spoofed:?}");
    assert!(
        spoofed.message().contains("by is \"admin-user\""),
        "{}",
        spoofed.message()
    );
    assert_eq!(
        bus.message_count().await.unwrap(),
        before,
        "refused claims append nothing"
    );

    let done = client
        .record_follow_up(with_header(assess(c, "", "filled"), Some(&analyst)))
        .await
        .expect("an empty assessor is filled in")
        .into_inner();
    let history = done.commitment.unwrap().history;
    assert_eq!(
        history.last().unwrap().assessor,
        "analyst-user",
        "{history:#?}"
    );
    let same = pb::Commitment {
        version: done.version,
        ..c.clone()
    };
    client
        .record_follow_up(with_header(
            assess(&same, "analyst-user", "own-name"),
            Some(&analyst),
        ))
        .await
        .expect("naming yourself is fine");
}
