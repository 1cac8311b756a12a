//! The `accord` binary as a user runs it, without NATS or a server.
//!
//! Being an integration test of this package also makes `cargo test
//! --workspace` build `target/<profile>/accord` with the test run's features,
//! so the end-to-end tests (which start that binary) need no separate
//! `cargo build` and its second copy of every dependency.

use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("ACCORD_LOG_FORMAT")
        .output()
        .expect("run the accord binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_command_with_what_it_does() {
    let out = accord(&["--help"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    for command in [
        "up",
        "ingest",
        "list",
        "show",
        "followup",
        "review",
        "watch",
        "alerts",
        "rebuild",
        "extract",
        "link",
        "credentials",
        "token",
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("`{command}` is not listed in --help:\n{help}"));
        assert!(
            line.split_whitespace().count() > 2,
            "`{command}` has no description: {line:?}"
        );
    }
}

#[test]
fn extract_names_the_file_and_what_is_wrong_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"Japan and \xff\xfe NATO").unwrap();
    let missing = dir.path().join("missing.txt");

    for (file, says) in [(&binary, "not valid UTF-8"), (&missing, "No such file")] {
        let out = accord(&["extract", "--date", "2017-10-31", file.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{} was accepted", file.display());
        assert!(
            stderr.contains(file.to_str().unwrap()) && stderr.contains(says),
            "the error should name {} and say {says:?}: {stderr}",
            file.display()
        );
    }
}

#[test]
fn extract_finds_the_seed_readouts_promises_offline() {
    let file = accord_testkit::workspace_root().join("examples/readouts/japan-nato-2017-10-31.txt");
    let out = accord(&[
        "extract",
        "--format",
        "json",
        "--date",
        "2017-10-31",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let texts = found.to_string();
    for promise in ["IPCP", "abductions"] {
        assert!(
            texts.contains(promise),
            "no {promise} commitment in {texts}"
        );
    }
}
