//! Any child process a test starts (e.g. `accord up`): its stderr is kept in
//! a log for failure messages and can be waited on line by line, and it is
//! killed when dropped, even when the test panics.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Process {
    name: String,
    child: Option<Child>,
    log: PathBuf,
    lines: mpsc::Receiver<String>,
}

impl Process {
    /// Spawns `command` with stdout discarded and stderr appended to `log`
    /// (created if missing), and also offered to [`Process::wait_for_line`].
    pub fn spawn(name: impl Into<String>, mut command: Command, log: &Path) -> Process {
        let name = name.into();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap_or_else(|e| panic!("open {}: {e}", log.display()));
        let (tx, lines) = mpsc::channel();
        // Ends by itself at EOF, i.e. when the process is gone.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = writeln!(file, "{line}");
                let _ = tx.send(line);
            }
        });
        Process {
            name,
            child: Some(child),
            log: log.to_owned(),
            lines,
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Waits (blocking) for the first stderr line `matches` accepts and
    /// returns what it extracted. Panics, with the log, when the process
    /// exits or `timeout` passes first.
    pub fn wait_for_line<T>(
        &mut self,
        timeout: Duration,
        mut matches: impl FnMut(&str) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .lines
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                Ok(line) => {
                    if let Some(found) = matches(&line) {
                        return found;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.wait();
                    panic!(
                        "{} exited ({status:?}) before printing what we waited for:\n{}",
                        self.name,
                        self.log_text()
                    );
                }
                Err(mpsc::RecvTimeoutError::Timeout) if left.is_zero() => {
                    panic!(
                        "{} did not print what we waited for within {timeout:?}:\n{}",
                        self.name,
                        self.log_text()
                    );
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// Whether the process has exited (and with what), without waiting.
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    fn wait(&mut self) -> Option<ExitStatus> {
        self.child.take().and_then(|mut c| c.wait().ok())
    }

    /// SIGTERM, as an operator stops a service, then waits up to `within`
    /// for it to exit (SIGKILL after that); returns how it exited.
    pub fn terminate(&mut self, within: Duration) -> Option<ExitStatus> {
        let pid = self.pid()?.to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.try_exit() {
                self.child = None;
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill();
        None
    }

    /// SIGKILL — no chance to clean up — and reap it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Everything the process wrote to stderr so far.
    pub fn log_text(&self) -> String {
        crate::read_log(&self.log)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_awaited_logged_and_the_process_killed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sh.log");
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "echo starting >&2; echo 'ready on 1234' >&2; exec sleep 60",
        ]);
        let mut p = Process::spawn("sh", cmd, &log);
        let port: u16 = p.wait_for_line(Duration::from_secs(10), |l| {
            l.strip_prefix("ready on ")?.parse().ok()
        });
        assert_eq!(port, 1234);
        assert!(p.log_text().contains("starting"));
        let pid = p.pid().unwrap();
        assert!(p.try_exit().is_none(), "still running");
        drop(p);
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "killed and reaped on drop"
        );
    }
}
