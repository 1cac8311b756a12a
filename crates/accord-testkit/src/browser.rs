//! A real headless browser for the board's tests: Debian's `chromedriver`
//! on a free loopback port (killed when dropped) driving Debian's
//! `chromium`. Both are required: a missing one fails the test with how to
//! get it, never skips.

use crate::{free_port, require_tool, Process};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct ChromeDriver {
    process: Process,
    port: u16,
    /// The browser binary sessions should start.
    pub chromium: PathBuf,
    _dir: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts chromedriver and waits (30 s) until it accepts connections.
    pub fn start() -> ChromeDriver {
        let chromium = require_tool("chromium");
        let driver = require_tool("chromedriver");
        let dir = tempfile::tempdir().expect("temp folder");
        let port = free_port();
        let mut command = Command::new(driver);
        command.arg(format!("--port={port}")).arg(format!(
            "--log-path={}",
            dir.path().join("chromedriver.log").display()
        ));
        let mut process = Process::spawn("chromedriver", command, &dir.path().join("stderr.log"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = process.try_exit() {
                panic!("chromedriver exited ({status}) before listening on {port}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ChromeDriver {
            process,
            port,
            chromium,
            _dir: dir,
        }
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Chromium's flags for a headless run in a container.
    pub fn chromium_args() -> Vec<&'static str> {
        vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
        ]
    }

    pub fn pid(&self) -> Option<u32> {
        self.process.pid()
    }
}
