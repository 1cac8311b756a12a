//! Test support. [`NatsServer`] starts the project's pinned `nats-server`
//! (JetStream on, storage in a temporary folder, a free loopback port) and
//! kills it and removes its storage when dropped, even when a test panics.
//! [`Alertmanager`] does the same for a real Prometheus Alertmanager,
//! [`ChromeDriver`] runs Debian's chromedriver (and chromium) for the
//! board's browser tests, [`NatsCluster`] does the same for a three-node JetStream cluster (from
//! `deploy/cluster/node.conf`), [`Process`] for any other child process, and
//! [`SeededRng`] makes random fault schedules replayable, and [`Tmpfs`]
//! mounts a small disk a test can fill (and grow again).

mod alertmanager;
mod browser;
mod cluster;
pub mod pdf;
mod process;
mod rng;
mod tmpfs;

pub use alertmanager::{alertmanager_bin, http, on_path, require_tool, Alertmanager};
pub use browser::ChromeDriver;
pub use cluster::{NatsCluster, NatsPasswords};
pub use process::Process;
pub use rng::{seed_from_env, SeededRng};
pub use tmpfs::Tmpfs;

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `nats-server` binary: `$NATS_SERVER_BIN`, else the one `make tools`
/// installs under `.tools/` at the workspace root.
pub fn nats_server_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("NATS_SERVER_BIN") {
        return PathBuf::from(bin);
    }
    workspace_root().join(".tools/venv/bin/nats-server")
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral loopback port")
        .port()
}

/// `n` distinct ports nobody listens on right now (all held open while
/// choosing, so they cannot repeat).
pub fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral loopback port"))
        .collect();
    held.iter()
        .map(|l| l.local_addr().expect("a bound address").port())
        .collect()
}

/// The `nats-server` binary, or a panic telling how to get it.
fn checked_nats_server_bin() -> PathBuf {
    let bin = nats_server_bin();
    assert!(
        bin.exists(),
        "nats-server not found at {} — run `make tools` or set NATS_SERVER_BIN",
        bin.display()
    );
    bin
}

/// True once a NATS server on `port` greets a client with its `INFO` line.
fn greets(port: u16) -> bool {
    greeting(port).is_some()
}

/// The server's INFO line on `port`, if a NATS server answers there.
fn greeting(port: u16) -> Option<String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let mut line = String::new();
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    BufReader::new(stream).read_line(&mut line).ok()?;
    line.starts_with("INFO").then_some(line)
}

/// Whether every thread of process `pid` is stopped (state `T` in
/// `/proc/<pid>/task/*/stat`).
fn all_threads_stopped(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.filter_map(Result::ok).all(|task| {
        std::fs::read_to_string(task.path().join("stat")).is_ok_and(|stat| {
            // The state follows the command name, which is in parentheses.
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .is_some_and(|state| state == "T" || state == "t")
        })
    })
}

fn read_log(path: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut s);
    }
    s
}

/// Servers launched by this process so far.
static LAUNCHES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct NatsServer {
    child: Option<Child>,
    port: u16,
    http_port: u16,
    storage: tempfile::TempDir,
    log: PathBuf,
    config: Option<PathBuf>,
    env: Vec<(String, String)>,
    /// Which launch in this process, for [`NatsServer::name`].
    launch: u64,
}

impl NatsServer {
    /// Starts a single JetStream server. Panics with a clear message when the
    /// binary is missing (run `make tools`) or it does not come up in 20 s.
    pub fn start() -> NatsServer {
        Self::launch(None, &[])
    }

    /// Starts a server from a config file (e.g. the shipped
    /// `deploy/nats.conf`, or one a test wrote), with `env` set for the
    /// `$VAR` references in it. The port and the monitoring port (both
    /// free, loopback) are given on the command line and win over the
    /// file's; the server runs in its temporary folder, so the config's
    /// `jetstream { store_dir }` should be relative (`"js"`).
    pub fn with_config(config: impl AsRef<Path>, env: &[(&str, &str)]) -> NatsServer {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>();
        Self::launch(Some(config.as_ref().to_owned()), &env)
    }

    fn launch(config: Option<PathBuf>, env: &[(String, String)]) -> NatsServer {
        let storage = tempfile::Builder::new()
            .prefix("accord-nats-")
            .tempdir()
            .expect("create a temporary storage folder");
        let log = storage.path().join("nats-server.log");
        let ports = free_ports(2);
        let mut server = NatsServer {
            child: None,
            port: ports[0],
            http_port: ports[1],
            storage,
            log,
            config,
            env: env.to_vec(),
            launch: LAUNCHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        // A port chosen free can be taken by another test's server before
        // this one binds it: then choose again.
        for _ in 0..5 {
            if server.spawn() {
                return server;
            }
            server.kill();
            let ports = free_ports(2);
            (server.port, server.http_port) = (ports[0], ports[1]);
        }
        panic!(
            "no free port for nats-server after 5 tries:\n{}",
            server.log_text()
        );
    }

    /// The monitoring port (`/healthz`, `/varz`), when started with a config.
    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn storage_dir(&self) -> &Path {
        self.storage.path()
    }

    /// Starts the server; false if another server answers on its port.
    fn spawn(&mut self) -> bool {
        let bin = checked_nats_server_bin();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("open the server log");
        let mut command = Command::new(&bin);
        command.args([
            "--jetstream",
            "--addr",
            "127.0.0.1",
            "--port",
            &self.port.to_string(),
        ]);
        match &self.config {
            // The server runs in the temporary folder, so a relative
            // `store_dir` in the config (the shipped one's) lands there.
            Some(config) => command
                .arg("-c")
                .arg(std::path::absolute(config).expect("an absolute config path"))
                .args(["-m", &self.http_port.to_string()])
                .current_dir(self.storage.path()),
            // Named, so that the readiness check knows it is this server
            // answering: a port chosen free may be taken by another test's
            // server in the meantime, and this one would then exit while
            // the other greets in its place.
            None => command
                .arg("--store_dir")
                .arg(self.storage.path().join("js"))
                .args(["--name", &self.name()]),
        };
        let child = command
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        self.child = Some(child);
        self.wait_ready()
    }

    /// Waits for this server's greeting; false if another one greets.
    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                if self.log_text().contains("address already in use") {
                    return false;
                }
                panic!("nats-server exited with {status}:\n{}", self.log_text());
            }
            let ours = |info: &str| {
                self.config.is_some()
                    || info.contains(&format!("\"server_name\":\"{}\"", self.name()))
            };
            if let Some(info) = greeting(self.port) {
                return ours(&info);
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "nats-server did not come up on port {} within 20 s:\n{}",
            self.port,
            self.log_text()
        );
    }

    /// The name a server started without a config file runs under: one
    /// per launch in this process (tests run as threads of one process).
    fn name(&self) -> String {
        format!("accord-test-{}-{}", std::process::id(), self.launch)
    }

    /// What the server logged so far (for failure messages).
    pub fn log_text(&self) -> String {
        read_log(&self.log)
    }

    /// Kills the server (SIGKILL); storage stays for [`NatsServer::restart`].
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server (SIGSTOP): connections stay open, nothing is
    /// answered — an acknowledgement lost in flight. [`NatsServer::resume`]
    /// thaws it.
    pub fn pause(&self) {
        self.signal("-STOP");
        // kill(1) returns once the signal is sent; wait until every thread
        // of the server shows it stopped, so nothing it does afterwards can
        // be mistaken for an answer from a frozen server.
        let pid = self.child.as_ref().expect("the server is running").id();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !all_threads_stopped(pid) {
            assert!(
                Instant::now() < deadline,
                "nats-server {pid} did not stop within 5 s of SIGSTOP"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Thaws a [`NatsServer::pause`]d server (SIGCONT).
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, which: &str) {
        let child = self.child.as_ref().expect("the server is running");
        let status = Command::new("kill")
            .args([which, &child.id().to_string()])
            .status()
            .expect("run kill(1)");
        assert!(status.success(), "kill {which} failed");
    }

    /// Kills and starts again on the same port with the same storage.
    pub fn restart(&mut self) {
        self.kill();
        assert!(
            self.spawn(),
            "another nats-server took port {} while this one was down",
            self.port
        );
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_server_is_stopped_when_pause_returns_and_answers_after_resume() {
        let nats = NatsServer::start();
        nats.pause();
        let pid = nats.child.as_ref().unwrap().id();
        assert!(all_threads_stopped(pid));
        assert!(
            greeting(nats.port()).is_none(),
            "a frozen server greets no one"
        );
        nats.resume();
        assert!(greets(nats.port()));
        assert!(!all_threads_stopped(pid));
    }

    #[test]
    fn a_port_another_server_took_is_not_taken_for_this_ones() {
        let other = NatsServer::start();
        let storage = tempfile::tempdir().unwrap();
        let mut late = NatsServer {
            child: None,
            port: other.port(),
            http_port: free_port(),
            log: storage.path().join("nats-server.log"),
            storage,
            config: None,
            env: Vec::new(),
            launch: LAUNCHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        // it fails to bind, or the other one greets first: not ready either way
        assert!(!late.spawn());
    }

    #[test]
    fn starts_restarts_and_cleans_up() {
        let mut server = NatsServer::start();
        let port = server.port();
        assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
        server.restart();
        assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
        let dir = server.storage_dir().to_owned();
        drop(server);
        assert!(!dir.exists(), "storage is removed on drop");
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "server is gone on drop"
        );
    }

    #[test]
    fn free_ports_are_distinct() {
        let mut ports = free_ports(9);
        ports.sort_unstable();
        ports.dedup();
        assert_eq!(ports.len(), 9);
    }
}
