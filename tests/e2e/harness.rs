//! One Accord process (in-process `App`) over one real nats-server.

use accord_api::{App, AppConfig};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_testkit::NatsServer;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::macros::datetime;
use time::OffsetDateTime;
use tonic::transport::Channel;

/// The log keys every process started from the harness signs and verifies with.
pub const TEST_KEYS: &str =
    "test-k1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub fn test_keys() -> accord_bus::LogKeys {
    accord_bus::LogKeys::parse(TEST_KEYS).expect("the test keys parse")
}

pub const SEED: &str = include_str!("../../examples/readouts/japan-nato-2017-10-31.txt");
pub const SEED_DATE: &str = "2017-10-31";

/// The later readout that reports on the seed's IPCP commitment.
pub const LATER_TEXT: &str = include_str!("../../examples/readouts/japan-nato-2018-10-18.txt");
pub const LATER_DATE: &str = "2018-10-18";
/// A fictional 2019 readout of the same parties that restates the
/// abductions promise: the linker proposes it for review (not applied), so
/// the review queue has something real in it.
pub const FOLLOW_UP_TEXT: &str = include_str!("fixtures/japan-nato-2019-06-27.txt");
pub const FOLLOW_UP_DATE: &str = "2019-06-27";

pub struct Harness {
    pub nats: NatsServer,
    pub data: tempfile::TempDir,
    pub app: Option<App>,
    /// What "now" is for the service; tests move it, nobody sleeps.
    pub now: Arc<Mutex<OffsetDateTime>>,
    /// Alert sink every app started from here gets.
    pub sink: Option<accord_alertmanager::SinkConfig>,
    /// Storage of extra replicas, removed with the harness.
    pub replica_dirs: Vec<tempfile::TempDir>,
}

impl Harness {
    pub async fn start() -> Harness {
        let nats = NatsServer::start();
        let data = tempfile::tempdir().unwrap();
        let now = Arc::new(Mutex::new(datetime!(2026-11-27 12:00 UTC)));
        let mut h = Harness {
            nats,
            data,
            app: None,
            now,
            sink: None,
            replica_dirs: Vec::new(),
        };
        h.start_app(None).await;
        h
    }

    pub fn config(&self) -> AppConfig {
        let mut config = AppConfig::new(self.nats.url(), self.data.path());
        config.bus = config.bus.with_keys(test_keys());
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.cache_bytes = 16 << 20;
        let now = self.now.clone();
        config.clock = Arc::new(move || *now.lock().unwrap());
        // Tests drive alert scans themselves: no background ticking.
        config.alert_tick = None;
        config.sink = self.sink.clone();
        config.health.every = std::time::Duration::from_millis(100);
        config
    }

    /// Another query replica (projector + its own sled + gRPC, alerter).
    pub async fn replica(&mut self) -> App {
        let dir = tempfile::tempdir().unwrap();
        let mut config = self.config();
        config.data_dir = dir.path().to_owned();
        config.roles = accord_api::Roles {
            ingest: false,
            query: true,
        };
        self.replica_dirs.push(dir);
        App::start(config).await.expect("replica starts")
    }

    pub async fn start_app(&mut self, after_commit: Option<accord_projector::AfterCommit>) {
        let mut config = self.config();
        config.after_commit = after_commit;
        self.app = Some(App::start(config).await.expect("accord starts"));
    }

    pub async fn stop_app(&mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("accord stops cleanly");
        }
    }

    pub async fn restart_app(&mut self) {
        self.stop_app().await;
        self.start_app(None).await;
    }

    pub fn set_now(&self, t: OffsetDateTime) {
        *self.now.lock().unwrap() = t;
    }

    pub fn projection_dir(&self) -> PathBuf {
        self.data.path().join("projection")
    }

    pub fn app(&self) -> &App {
        self.app.as_ref().expect("accord is running")
    }

    pub async fn client(&self) -> AccordClient<Channel> {
        AccordClient::connect(format!("http://{}", self.app().addr))
            .await
            .expect("connect to accord")
    }

    pub async fn bus(&self) -> accord_bus::Bus {
        accord_bus::Bus::connect(accord_bus::BusConfig::new(self.nats.url()).with_keys(test_keys()))
            .await
            .expect("connect to the log")
    }

    /// Publishes `bytes` on `subject` signed with the test log key, straight
    /// to the stream: what a buggy or newer Accord build would have written
    /// (forgeries are `log_security`'s). Its log position.
    pub async fn publish_signed(&self, subject: String, bytes: Vec<u8>) -> u64 {
        let nats = async_nats::connect(self.nats.url()).await.unwrap();
        let js = async_nats::jetstream::new(nats);
        let mut headers = async_nats::HeaderMap::new();
        let mac = test_keys().sign(&subject, &bytes);
        headers.insert(accord_bus::MAC_HEADER, mac.as_str());
        js.publish_with_headers(subject, headers, bytes.into())
            .await
            .unwrap()
            .await
            .unwrap()
            .sequence
    }

    /// Ingests a readout and waits until the tracker shows it.
    pub async fn ingest(&self, text: &str, date: &str) -> pb::IngestReadoutResponse {
        let request = pb::IngestReadoutRequest {
            text: text.into(),
            date: date.into(),
            ..Default::default()
        };
        let mut client = self.client().await;
        let answer = client
            .ingest_readout(request)
            .await
            .expect("ingest succeeds")
            .into_inner();
        // Read-your-writes, as `accord ingest` does: return once the
        // tracker shows it (an app without the query role, or one whose
        // projector a test has stopped, has nothing to wait for).
        let probe = pb::ListCommitmentsRequest {
            page_size: 1,
            min_position: Some(answer.position),
            ..Default::default()
        };
        if let Err(e) = client.list_commitments(probe).await {
            assert!(
                matches!(
                    e.code(),
                    tonic::Code::Unimplemented | tonic::Code::DeadlineExceeded
                ),
                "{e:?}"
            );
        }
        answer
    }

    /// Ingests the 2018 readout that follows up on the seed.
    pub async fn ingest_later(&self) -> pb::IngestReadoutResponse {
        self.ingest(LATER_TEXT, LATER_DATE).await
    }

    pub async fn ingest_follow_up(&self) -> pb::IngestReadoutResponse {
        self.ingest(FOLLOW_UP_TEXT, FOLLOW_UP_DATE).await
    }

    /// One commitment as the tracker has it now.
    pub async fn commitment(&self, id: &str) -> pb::Commitment {
        let request = pb::GetCommitmentRequest {
            id: id.into(),
            ..Default::default()
        };
        let answer = self
            .client()
            .await
            .get_commitment(request)
            .await
            .expect("get commitment");
        answer.into_inner().commitment.expect("a commitment")
    }

    /// One commitment once the tracker has applied the log up to `position`.
    pub async fn commitment_at(&self, id: &str, position: u64) -> pb::Commitment {
        let request = pb::GetCommitmentRequest {
            id: id.into(),
            min_position: Some(position),
            ..Default::default()
        };
        let answer = self
            .client()
            .await
            .get_commitment(request)
            .await
            .expect("get commitment");
        answer.into_inner().commitment.expect("a commitment")
    }

    /// The commitment once the linker has recorded evidence (applied or
    /// proposed) from `document_id` on it; the linker runs after ingest, on
    /// its own, so callers wait for it (bounded: 30 s).
    pub async fn linked(&self, id: &str, document_id: &str) -> pb::Commitment {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let c = self.commitment(id).await;
            let from_it = |e: &pb::Evidence| e.document_id == document_id;
            let done = c.evidence.iter().any(from_it)
                || c.proposals
                    .iter()
                    .any(|p| p.evidence.as_ref().is_some_and(from_it));
            if done {
                return c;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the linker recorded nothing from {document_id} on {id} within 30 s: {c:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Waits until the linker has finished the readout ingested as `ingest`
    /// (its text sits just before `DocumentIngested`), then until the
    /// projection has applied what it appended; returns that log position.
    pub async fn links_done(&self, ingest: &pb::IngestReadoutResponse) -> u64 {
        let linker = self.app().linker.as_ref().expect("query role");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while linker.checkpoint().unwrap() + 1 < ingest.position {
            assert!(
                std::time::Instant::now() < deadline,
                "the linker did not finish within 30 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let last = self.bus().await.last_canonical_position().await.unwrap();
        let mut position = self.app().position.clone().expect("query role");
        position.wait_for(|&p| p >= last).await.unwrap();
        last
    }

    /// How many canonical events the log holds up to `end`.
    pub async fn canonical_count(&self, end: u64) -> usize {
        use futures::StreamExt;
        let bus = self.bus().await;
        let mut log = Box::pin(bus.replay(1).await.unwrap());
        let mut n = 0;
        while let Some(entry) = log.next().await {
            let entry = entry.unwrap();
            if entry.position > end {
                break;
            }
            n += 1;
            if entry.position == end {
                break;
            }
        }
        n
    }

    /// Everything the tracker answers, at `min_position`: every page of the
    /// listing, each commitment by id, each document.
    pub async fn snapshot(&self, min_position: u64) -> Snapshot {
        let mut client = self.client().await;
        let mut list = Vec::new();
        let mut token = String::new();
        loop {
            let page = client
                .list_commitments(pb::ListCommitmentsRequest {
                    page_size: 2,
                    page_token: token,
                    min_position: Some(min_position),
                    ..Default::default()
                })
                .await
                .expect("list")
                .into_inner();
            list.extend(page.commitments);
            token = page.next_page_token;
            if token.is_empty() {
                break;
            }
        }
        let mut each = Vec::new();
        let mut documents = std::collections::BTreeMap::new();
        for c in &list {
            let got = client
                .get_commitment(pb::GetCommitmentRequest {
                    id: c.id.clone(),
                    ..Default::default()
                })
                .await
                .expect("get")
                .into_inner();
            each.push(got.commitment.expect("a commitment"));
            if !documents.contains_key(&c.document_id) {
                let d = client
                    .get_document(pb::GetDocumentRequest {
                        id: c.document_id.clone(),
                        min_position: None,
                    })
                    .await
                    .expect("doc")
                    .into_inner();
                documents.insert(c.document_id.clone(), (d.document, d.commitments));
            }
        }
        Snapshot {
            list,
            each,
            documents: documents.into_iter().collect(),
        }
    }
}

/// gRPC health of `service` at `addr`: `Some(status)`, `None` if unknown.
pub async fn health(addr: std::net::SocketAddr, service: &str) -> Option<i32> {
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connect to accord");
    let mut client = tonic_health::pb::health_client::HealthClient::new(channel);
    let request = tonic_health::pb::HealthCheckRequest {
        service: service.into(),
    };
    match client.check(request).await {
        Ok(r) => Some(r.into_inner().status),
        Err(s) if s.code() == tonic::Code::NotFound => None,
        Err(s) => panic!("health check of {service:?}: {s:?}"),
    }
}

pub const SERVING: Option<i32> =
    Some(tonic_health::pb::health_check_response::ServingStatus::Serving as i32);
pub const NOT_SERVING: Option<i32> =
    Some(tonic_health::pb::health_check_response::ServingStatus::NotServing as i32);

/// Waits (bounded: 30 s) until `service` at `addr` reports `want`.
pub async fn wait_health(addr: std::net::SocketAddr, service: &str, want: Option<i32>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let now = health(addr, service).await;
        if now == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{service:?} is {now:?}, not {want:?}, after 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A GetDocument answer: the document and its commitments.
pub type DocumentAnswer = (Option<pb::Document>, Vec<pb::Commitment>);

#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub list: Vec<pb::Commitment>,
    pub each: Vec<pb::Commitment>,
    pub documents: Vec<(String, DocumentAnswer)>,
}

/// The seed's IPCP action, the canonical example: exactly one must be found.
pub fn ipcp(commitments: &[pb::Commitment]) -> pb::Commitment {
    let found: Vec<_> = commitments
        .iter()
        .filter(|c| c.text.contains("Individual Partnership") && c.kind == pb::Kind::Action as i32)
        .collect();
    assert_eq!(found.len(), 1, "{commitments:#?}");
    found[0].clone()
}

/// The request was refused with `code`, and the message names `mentions`.
pub fn check(
    result: Result<impl std::fmt::Debug, tonic::Status>,
    code: tonic::Code,
    mentions: &str,
) {
    let status = result.expect_err("the request must be refused");
    assert_eq!(status.code(), code, "{status:?}");
    assert!(
        status.message().contains(mentions),
        "{:?} does not mention {mentions:?}",
        status.message()
    );
}

/// Waits, at most `within`, until `check` returns something.
pub async fn eventually<T>(
    within: std::time::Duration,
    what: &str,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Serves `app` on a free loopback port for the rest of the test; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Serves `app` over HTTPS (this certificate and key, PEM) on a free
/// loopback port for the rest of the test; its base URL.
pub async fn serve_tls(app: axum::Router, cert: &str, key: &str) -> String {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(accord_http_client::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let listener = TlsListener {
        tcp: tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        tls: tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config)),
    };
    let url = format!("https://{}", listener.tcp.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// TCP connections whose TLS handshake succeeded; failed ones (a client
/// that does not trust the certificate) are dropped.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    tls: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.tls.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// Waits (30 s) for `accord up` to say where it serves gRPC; that address.
pub fn grpc_address(up: &mut accord_testkit::Process) -> String {
    up.wait_for_line(std::time::Duration::from_secs(30), |l| {
        let addr = l.strip_prefix("accord serving gRPC on ")?;
        Some(addr.split_whitespace().next()?.to_owned())
    })
}
