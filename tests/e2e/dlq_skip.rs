//! Issue #10, item 7: a way out of a parked commitment. `SkipDeadLetter`
//! (`accord dlq skip`) records an `EntrySkipped` in the log; the events held
//! behind the junk entry are applied, a second skip appends nothing, a
//! rebuild gets the same projection, and `accord show` lists the skip.
//! (Who may skip: the admin row of `security::every_rpc_admits_exactly_its_roles`.)

use crate::harness::{check, ipcp, Harness, SEED, SEED_DATE};
use accord_domain::event::CommitmentConfirmed;
use accord_domain::{CommitmentId, Envelope, Event, EventId, EventMeta};
use accord_proto::v1 as pb;
use futures::StreamExt;
use time::macros::datetime;
use tonic::Code;

/// Runs the `accord` CLI against the harness; its stdout.
fn accord(h: &Harness, args: &[&str]) -> String {
    let server = format!("http://{}", h.app().addr);
    let out = std::process::Command::new(crate::faults::support::accord_bin())
        .args(args)
        .args(["--server", &server])
        .output()
        .expect("run accord");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "accord {args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn skip(position: u64, reason: &str) -> pb::SkipDeadLetterRequest {
    pb::SkipDeadLetterRequest {
        position,
        reason: reason.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skipped_junk_entry_releases_its_commitment_once_and_for_good() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let ipcp = ipcp(&seed.commitments);
    let subject = |token: &str| format!("accord.v1.cmt.{}.{token}", ipcp.id);
    let junk = h
        .publish_signed(subject("confirmed"), b"{ not an event".to_vec())
        .await;
    let confirm = Envelope::new(
        EventMeta {
            id: EventId::derive("dlq-skip", "confirm"),
            occurred_at: datetime!(2018-01-01 0:00 UTC),
            recorded_at: datetime!(2018-01-02 0:00 UTC),
            correlation_id: "cmd:confirm".into(),
        },
        Event::CommitmentConfirmed(CommitmentConfirmed {
            commitment_id: CommitmentId::parse(&ipcp.id).unwrap(),
            by: "analyst".into(),
            note: None,
        }),
    );
    let held = h
        .publish_signed(subject("confirmed"), confirm.to_json())
        .await;
    let mut c = h.client().await;
    let before = h.commitment_at(&ipcp.id, held).await;
    assert_eq!(before.review, "unreviewed", "the confirmation is held back");

    // Only the unreadable head can be skipped, and only with a reason.
    check(
        c.skip_dead_letter(skip(held, "x")).await,
        Code::InvalidArgument,
        "waits behind parked position",
    );
    check(
        c.skip_dead_letter(skip(junk, " ")).await,
        Code::InvalidArgument,
        "reason",
    );
    check(
        c.skip_dead_letter(skip(1, "x")).await,
        Code::NotFound,
        "parked entry",
    );

    let done = c
        .skip_dead_letter(skip(junk, "written by a broken tool"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            done.commitment_id.as_str(),
            done.already_skipped,
            done.still_parked
        ),
        (ipcp.id.as_str(), false, 0)
    );
    assert!(done.skip_position > held);
    let after = h.commitment(&ipcp.id).await;
    assert_eq!(
        (after.review.as_str(), after.version),
        ("confirmed", done.skip_position),
        "the held confirmation, then the skip, are applied"
    );
    assert_eq!(after.skipped_entries.len(), 1);
    let entry = &after.skipped_entries[0];
    assert_eq!(
        (entry.position, entry.reason.as_str(), entry.by.as_str()),
        (junk, "written by a broken tool", "local")
    );
    let dead = c
        .list_dead_letters(pb::ListDeadLettersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .dead_letters;
    assert!(dead.is_empty(), "{dead:?}");

    // Skipping again appends nothing.
    let bus = h.bus().await;
    let count = bus.message_count().await.unwrap();
    let again = c
        .skip_dead_letter(skip(junk, "again"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (again.already_skipped, again.skip_position),
        (true, done.skip_position)
    );
    assert_eq!(bus.message_count().await.unwrap(), count);

    // The CLI: a second junk entry, skipped once, then reported as done.
    let junk2 = h
        .publish_signed(subject("assessed"), b"junk again".to_vec())
        .await;
    c.get_commitment(pb::GetCommitmentRequest {
        id: ipcp.id.clone(),
        min_position: Some(junk2),
        ..Default::default()
    })
    .await
    .unwrap();
    let position = junk2.to_string();
    let first = accord(
        &h,
        &["dlq", "skip", &position, "--reason", "more junk", "--json"],
    );
    let first: serde_json::Value = serde_json::from_str(first.trim()).unwrap();
    assert_eq!(first["already_skipped"], false, "{first}");
    assert_eq!(first["commitment_id"], ipcp.id.as_str(), "{first}");
    let second = accord(&h, &["dlq", "skip", &position, "--reason", "more junk"]);
    assert!(second.contains("already skipped"), "{second}");
    let shown = accord(&h, &["show", &ipcp.id]);
    for p in [junk, junk2] {
        assert!(
            shown.contains(&format!("skipped parked log entry {p} by local")),
            "{shown}"
        );
    }

    // A rebuild meets the same entries and gets the same projection.
    let digest = h.app().store.as_ref().unwrap().digest().unwrap();
    let mut progress = c.rebuild(pb::RebuildRequest {}).await.unwrap().into_inner();
    let mut last = None;
    while let Some(p) = progress.next().await {
        last = Some(p.unwrap());
    }
    let last = last.unwrap();
    assert!(last.swapped, "{last:?}");
    assert_eq!(last.digest, digest, "the rebuilt projection is identical");
    assert_eq!(h.commitment(&ipcp.id).await.skipped_entries.len(), 2);
}
