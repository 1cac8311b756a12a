//! A three-node NATS JetStream cluster on loopback, started from the same
//! `deploy/cluster/node.conf` people use, so the tests exercise the documented
//! deployment rather than a private variant of it.

use crate::{checked_nats_server_bin, free_ports, greets, read_log, workspace_root};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a node (or the whole cluster) may take to report healthy: the
/// first JetStream meta-leader election on a busy 2-core machine is slow.
const HEALTHY_WITHIN: Duration = Duration::from_secs(45);

struct Node {
    name: String,
    client_port: u16,
    http_port: u16,
    cluster_port: u16,
    store: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

/// Three `nats-server` processes clustered on loopback, each with its own
/// storage in one temporary folder. Dropping it kills every node and removes
/// the storage, even when a test panics.
pub struct NatsCluster {
    nodes: Vec<Node>,
    storage: tempfile::TempDir,
    passwords: NatsPasswords,
}

/// The passwords a test gives the users of the shipped
/// `deploy/nats-users.conf` (and the cluster routes), via the environment.
#[derive(Clone, Debug)]
pub struct NatsPasswords {
    /// User `accord`: Accord's own processes.
    pub accord: String,
    /// User `subscriber`: read only.
    pub subscriber: String,
    /// The cluster routes.
    pub route: String,
}

impl Default for NatsPasswords {
    fn default() -> Self {
        NatsPasswords {
            accord: "accord-test-password".into(),
            subscriber: "subscriber-test-password".into(),
            route: "route-test-password".into(),
        }
    }
}

impl NatsPasswords {
    /// The environment the shipped configs read them from.
    pub fn env(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("ACCORD_NATS_PASSWORD", self.accord.as_str()),
            ("ACCORD_SUBSCRIBER_PASSWORD", self.subscriber.as_str()),
            ("ACCORD_ROUTE_PASSWORD", self.route.as_str()),
        ]
    }
}

impl NatsCluster {
    pub const SIZE: usize = 3;

    /// Starts the three nodes and waits until each reports healthy (JetStream
    /// up, meta leader known). Ports are chosen free but can be taken by
    /// someone else before a node binds them, so a failed start is retried
    /// with fresh ports.
    pub fn start() -> NatsCluster {
        let mut failure = String::new();
        for _ in 0..3 {
            match NatsCluster::try_start() {
                Ok(cluster) => return cluster,
                Err(e) => failure = e,
            }
        }
        panic!("the three-node NATS cluster did not come up:\n{failure}");
    }

    fn try_start() -> Result<NatsCluster, String> {
        let storage = tempfile::Builder::new()
            .prefix("accord-cluster-")
            .tempdir()
            .expect("create a temporary storage folder");
        let ports = free_ports(3 * NatsCluster::SIZE);
        let nodes = (0..NatsCluster::SIZE)
            .map(|i| {
                let name = format!("n{}", i + 1);
                Node {
                    client_port: ports[3 * i],
                    http_port: ports[3 * i + 1],
                    cluster_port: ports[3 * i + 2],
                    store: storage.path().join(&name),
                    log: storage.path().join(format!("{name}.log")),
                    name,
                    child: None,
                }
            })
            .collect();
        let mut cluster = NatsCluster {
            nodes,
            storage,
            passwords: NatsPasswords::default(),
        };
        for i in 0..NatsCluster::SIZE {
            cluster.spawn(i);
        }
        let all: Vec<usize> = (0..NatsCluster::SIZE).collect();
        cluster.wait_healthy(&all)?;
        Ok(cluster)
    }

    fn spawn(&mut self, i: usize) {
        let bin = checked_nats_server_bin();
        let config = workspace_root().join("deploy/cluster/node.conf");
        let routes: Vec<String> = self
            .nodes
            .iter()
            .map(|n| {
                format!(
                    "nats://route:{}@127.0.0.1:{}",
                    self.passwords.route, n.cluster_port
                )
            })
            .collect();
        let node = &mut self.nodes[i];
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&node.log)
            .expect("open the node log");
        let child = Command::new(&bin)
            .arg("-c")
            .arg(&config)
            .env("ACCORD_NODE", &node.name)
            .env("ACCORD_CLIENT_PORT", node.client_port.to_string())
            .env("ACCORD_HTTP_PORT", node.http_port.to_string())
            .env("ACCORD_CLUSTER_PORT", node.cluster_port.to_string())
            .env("ACCORD_STORE_DIR", &node.store)
            .env("ACCORD_ROUTE_1", &routes[0])
            .env("ACCORD_ROUTE_2", &routes[1])
            .env("ACCORD_ROUTE_3", &routes[2])
            .envs(self.passwords.env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        node.child = Some(child);
    }

    /// Waits until each of `nodes` answers `/healthz` with 200 — for a
    /// clustered server that means JetStream is up and in contact with a meta
    /// leader, i.e. streams can be created and used through it.
    pub fn wait_healthy(&mut self, nodes: &[usize]) -> Result<(), String> {
        let deadline = Instant::now() + HEALTHY_WITHIN;
        for &i in nodes {
            loop {
                if let Some(status) = self.nodes[i]
                    .child
                    .as_mut()
                    .and_then(|c| c.try_wait().ok().flatten())
                {
                    return Err(format!(
                        "node {} exited with {status}:\n{}",
                        self.nodes[i].name,
                        self.log_text(i)
                    ));
                }
                let node = &self.nodes[i];
                if node.child.is_some()
                    && greets(node.client_port)
                    && http_get(node.http_port, "/healthz").is_some_and(|(code, _)| code == 200)
                {
                    break;
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "node {} not healthy within {HEALTHY_WITHIN:?}; last /healthz: {:?}\n{}",
                        node.name,
                        http_get(node.http_port, "/healthz"),
                        self.logs()
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(())
    }

    /// The client URL of node `i` (0-based).
    pub fn url(&self, i: usize) -> String {
        format!("nats://127.0.0.1:{}", self.nodes[i].client_port)
    }

    /// The route (cluster) port of node `i`.
    pub fn route_port(&self, i: usize) -> u16 {
        self.nodes[i].cluster_port
    }

    /// Every node's client URL.
    pub fn urls(&self) -> Vec<String> {
        (0..self.nodes.len()).map(|i| self.url(i)).collect()
    }

    /// The server name of node `i` (`n1`, `n2`, `n3`), as JetStream reports
    /// it for stream leaders and replicas.
    pub fn name(&self, i: usize) -> &str {
        &self.nodes[i].name
    }

    /// The node with this server name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    pub fn is_running(&self, i: usize) -> bool {
        self.nodes[i].child.is_some()
    }

    /// The monitoring endpoint of node `i`, e.g. for `/jsz` or `/healthz`.
    pub fn http_get(&self, i: usize, path: &str) -> Option<(u16, String)> {
        http_get(self.nodes[i].http_port, path)
    }

    /// Kills node `i` (SIGKILL, no goodbye to its peers); its storage stays.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts node `i` again with its ports and storage, and waits until it
    /// is healthy (rejoined and caught up with the meta leader).
    pub fn restart(&mut self, i: usize) {
        self.kill(i);
        self.spawn(i);
        if let Err(e) = self.wait_healthy(&[i]) {
            panic!("restarting {}: {e}", self.nodes[i].name);
        }
    }

    /// What node `i` logged so far.
    pub fn log_text(&self, i: usize) -> String {
        read_log(&self.nodes[i].log)
    }

    /// The tail of every node's log, for failure messages.
    pub fn logs(&self) -> String {
        let mut out = String::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let log = self.log_text(i);
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            out.push_str(&format!("--- {} (last 30 lines) ---\n", node.name));
            for line in tail.into_iter().rev() {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// The passwords its users have (`accord`, `subscriber`, routes).
    pub fn passwords(&self) -> &NatsPasswords {
        &self.passwords
    }

    pub fn storage_dir(&self) -> &std::path::Path {
        self.storage.path()
    }
}

impl Drop for NatsCluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

/// A minimal HTTP/1.0 GET against the loopback monitoring port: status code
/// and body, or `None` when nothing answers.
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let code = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((code, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_nodes_come_up_survive_a_kill_and_clean_up() {
        let mut cluster = NatsCluster::start();
        assert_eq!(cluster.urls().len(), 3);
        assert_eq!(cluster.index_of("n2"), Some(1));
        let (code, body) = cluster.http_get(0, "/jsz").expect("monitoring answers");
        assert_eq!(code, 200);
        assert!(body.contains("\"cluster_size\": 3"), "{body}");

        cluster.kill(2);
        assert!(!cluster.is_running(2));
        cluster
            .wait_healthy(&[0, 1])
            .expect("two of three keep a quorum");
        cluster.restart(2);
        assert!(cluster.is_running(2));

        let dir = cluster.storage_dir().to_owned();
        let port = cluster.nodes[0].client_port;
        drop(cluster);
        assert!(!dir.exists(), "storage is removed on drop");
        assert!(!greets(port), "nodes are gone on drop");
    }
}
