//! A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on a
//! free loopback port, with its own storage and clustering off; killed and
//! its storage removed when dropped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Alertmanager binary: `$ALERTMANAGER_BIN`, else Debian's
/// `prometheus-alertmanager`, else `alertmanager`, on `PATH`.
pub fn alertmanager_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ALERTMANAGER_BIN") {
        return PathBuf::from(bin);
    }
    ["prometheus-alertmanager", "alertmanager"]
        .iter()
        .find_map(|name| on_path(name))
        .unwrap_or_else(|| PathBuf::from("prometheus-alertmanager"))
}

/// `name` found in a `PATH` folder.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A tool the tests run, or a panic saying how to get it (tests never skip).
pub fn require_tool(name: &str) -> PathBuf {
    on_path(name).unwrap_or_else(|| {
        panic!("{name} not found on PATH — run `make tools` (installs it from Debian's packages)")
    })
}

/// One plain HTTP/1.1 request to `127.0.0.1:port`; (status, body).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Ok((status, body))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

pub struct Alertmanager {
    child: Option<Child>,
    port: u16,
    storage: tempfile::TempDir,
    config: String,
}

impl Alertmanager {
    /// Starts Alertmanager with `global.resolve_timeout` set and one
    /// receiver that sends nowhere. Panics with a clear message when the
    /// binary is missing or it is not ready within 20 s.
    pub fn start(resolve_timeout: Duration) -> Alertmanager {
        let config = format!(
            "global:\n  resolve_timeout: {}ms\nroute:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n",
            resolve_timeout.as_millis()
        );
        Self::with_config(&config)
    }

    /// Starts Alertmanager with this configuration (YAML).
    pub fn with_config(config: &str) -> Alertmanager {
        let storage = tempfile::Builder::new()
            .prefix("accord-am-")
            .tempdir()
            .expect("create a temporary storage folder");
        let mut am = Alertmanager {
            child: None,
            port: crate::free_port(),
            storage,
            config: config.to_owned(),
        };
        am.spawn();
        am
    }

    fn spawn(&mut self) {
        let bin = alertmanager_bin();
        assert!(
            bin.is_absolute() && bin.exists(),
            "Alertmanager not found ({}) — run `make tools` (installs Debian's prometheus-alertmanager) or set ALERTMANAGER_BIN",
            bin.display()
        );
        let config = self.storage.path().join("alertmanager.yml");
        std::fs::write(&config, &self.config).expect("write the Alertmanager config");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open the Alertmanager log");
        let child = Command::new(&bin)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.path={}",
                self.storage.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{}", self.port))
            .arg("--cluster.listen-address=")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("Alertmanager exited with {status}:\n{}", self.log_text());
            }
            if matches!(http(self.port, "GET", "/-/ready", None), Ok((200, _))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "Alertmanager not ready on port {} within 20 s:\n{}",
                self.port,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_path(&self) -> PathBuf {
        self.storage.path().join("alertmanager.log")
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn storage_dir(&self) -> &Path {
        self.storage.path()
    }

    pub fn log_text(&self) -> String {
        crate::read_log(&self.log_path())
    }

    /// `GET /api/v2/alerts` (active alerts only, as Alertmanager shows them).
    pub fn active_alerts(&self) -> String {
        let (status, body) = http(
            self.port,
            "GET",
            "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true",
            None,
        )
        .unwrap_or_else(|e| panic!("GET /api/v2/alerts: {e}\n{}", self.log_text()));
        assert_eq!(status, 200, "GET /api/v2/alerts: {body}");
        body
    }

    /// Alertmanager's own `/metrics` exposition.
    pub fn metrics(&self) -> String {
        http(self.port, "GET", "/metrics", None)
            .map(|(_, body)| body)
            .unwrap_or_default()
    }

    /// Kills it (SIGKILL); storage stays for [`Alertmanager::restart`].
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills and starts again on the same port with the same storage.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_accepts_an_alert_and_cleans_up() {
        let am = Alertmanager::start(Duration::from_secs(60));
        let (status, body) = http(
            am.port(),
            "POST",
            "/api/v2/alerts",
            Some(r#"[{"labels":{"alertname":"TestkitProbe"}}]"#),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(am.active_alerts().contains("TestkitProbe"));
        let (port, dir) = (am.port(), am.storage_dir().to_owned());
        drop(am);
        assert!(!dir.exists(), "storage is removed on drop");
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "gone on drop"
        );
    }
}
