//! Issue #12: the operations configs under `deploy/` are checked with the
//! real tools (Debian's promtool and amtool, systemd-analyze): the
//! Prometheus scrape config and alert rules (and the rules' unit tests), the
//! Alertmanager routes, the systemd units.

use crate::faults::support::accord_bin;
use accord_testkit::{require_tool, workspace_root};
use std::path::Path;
use std::process::Command;

/// Runs `tool args…` in `dir`; panics with its output unless it succeeds.
fn check(tool: &str, dir: &Path, args: &[&str]) -> String {
    let out = Command::new(require_tool(tool))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{tool} {args:?} failed:\n{text}");
    text
}

#[test]
fn prometheus_config_and_alert_rules_pass_promtool_and_their_unit_tests() {
    let dir = workspace_root().join("deploy/prometheus");
    check("promtool", &dir, &["check", "config", "prometheus.yml"]);
    let rules = check("promtool", &dir, &["check", "rules", "accord-rules.yml"]);
    assert!(rules.contains("SUCCESS: 7 rules found"), "{rules}");
    let tested = check(
        "promtool",
        &dir,
        &["test", "rules", "accord-rules.test.yml"],
    );
    assert!(tested.contains("SUCCESS"), "{tested}");
    // Every rule named in the README's runbook has a unit test, and back.
    let text = std::fs::read_to_string(dir.join("accord-rules.yml")).unwrap();
    let tests = std::fs::read_to_string(dir.join("accord-rules.test.yml")).unwrap();
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    for alert in text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- alert: "))
    {
        assert!(
            tests.contains(&format!("alertname: {alert}")),
            "{alert} has no promtool unit test"
        );
        assert!(
            readme.contains(&format!("`{alert}`")),
            "README has no runbook line for {alert}"
        );
    }
}

#[test]
fn alertmanager_routes_pass_amtool() {
    let dir = workspace_root().join("deploy/alertmanager");
    check("amtool", &dir, &["check-config", "alertmanager.yml"]);
    for (labels, receiver) in [
        (
            &[
                "source=accord",
                "parties=JPN,NATO",
                "alertname=AccordCommitmentOverdue",
            ][..],
            "japan-desk",
        ),
        (
            &[
                "source=accord",
                "parties=NATO",
                "alertname=AccordCommitmentDueSoon",
            ][..],
            "analysts",
        ),
        (
            &["alertname=AccordProjectorLagging", "instance=q1"][..],
            "ops",
        ),
    ] {
        let mut args = vec!["config", "routes", "test", "--config.file=alertmanager.yml"];
        let verify = format!("--verify.receivers={receiver}");
        args.push(&verify);
        args.extend_from_slice(labels);
        check("amtool", &dir, &args);
    }
}

#[test]
fn systemd_units_pass_systemd_analyze_verify() {
    let units = workspace_root().join("deploy/systemd");
    // A scratch root holding the units, systemd's own units, and the
    // binaries at the paths the units name (hard links where possible).
    let root = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let r = root.path();
    for d in [
        "usr/local/bin",
        "usr/bin",
        "usr/lib/systemd",
        "etc/systemd/system",
    ] {
        std::fs::create_dir_all(r.join(d)).unwrap();
    }
    std::os::unix::fs::symlink("usr/bin", r.join("bin")).unwrap();
    std::os::unix::fs::symlink("usr/lib", r.join("lib")).unwrap();
    let copied = Command::new("cp")
        .args(["-r", "/lib/systemd/system"])
        .arg(r.join("usr/lib/systemd/"))
        .status()
        .unwrap();
    assert!(copied.success());
    let place = |from: &Path, to: &str| {
        let to = r.join(to);
        if std::fs::hard_link(from, &to).is_err() {
            std::fs::copy(from, &to).unwrap();
        }
    };
    place(&accord_bin(), "usr/local/bin/accord");
    place(
        &accord_testkit::nats_server_bin(),
        "usr/local/bin/nats-server",
    );
    place(&require_tool("kill"), "usr/bin/kill");
    let system = r.join("etc/systemd/system");
    for unit in ["nats-server.service", "accord@.service"] {
        std::fs::copy(units.join(unit), system.join(unit)).unwrap();
    }
    let mut names = vec!["nats-server.service".to_owned()];
    for role in ["all", "ingest", "query"] {
        let instance = format!("accord@{role}.service");
        std::os::unix::fs::symlink("accord@.service", system.join(&instance)).unwrap();
        names.push(instance);
        // The unit's command line is one the binary takes.
        let ok = Command::new(accord_bin())
            .args(["up", "--role", role, "--help"])
            .output()
            .unwrap();
        assert!(ok.status.success(), "accord up --role {role}: {ok:?}");
    }
    let root_arg = format!("--root={}", r.display());
    let mut args = vec!["verify", "--man=no", root_arg.as_str()];
    args.extend(names.iter().map(String::as_str));
    let out = check("systemd-analyze", &system, &args);
    assert!(!out.contains("rror"), "{out}");
}
