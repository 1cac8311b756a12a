use super::*;
use crate::event::tests::sample_made;
use crate::event::*;
use crate::ids::CommitmentId;
use crate::model::EvidenceKind;
use crate::model::{Kind, Party, ReasonCode, Status};
use proptest::prelude::*;
use time::macros::{date, datetime};

fn meta(command: &str) -> EventMeta {
    EventMeta {
        id: crate::EventId::derive("t", command),
        occurred_at: datetime!(2017-10-31 0:00 UTC),
        recorded_at: datetime!(2026-11-27 0:00 UTC),
        correlation_id: format!("cmd:{command}"),
    }
}

fn made(kind: Kind) -> Commitment {
    let mut e = sample_made();
    e.kind = kind;
    apply(None, &meta("make"), 1, &Event::CommitmentMade(e)).unwrap()
}

fn evidence(id: &str, kind: EvidenceKind) -> Evidence {
    Evidence {
        evidence_id: id.into(),
        kind,
        source_url: Some("https://example.org/readout".into()),
        date: date!(2018 - 10 - 18),
        source_type: "official_readout".into(),
        snippet: "welcomed the completion".into(),
        document_id: None,
        span: None,
        link_confidence: Some(0.9),
        signals: None,
    }
}

fn assess(status: Status, reassessment: bool) -> Command {
    Command::AssessStatus {
        party: None,
        status,
        reason: None,
        effective: date!(2018 - 10 - 18),
        assessor: "analyst".into(),
        note: None,
        reassessment,
        evidence_ids: vec![],
    }
}

/// Decides and applies, positions counting up from the state's version.
fn run(state: Commitment, command: &Command) -> Result<Commitment, CommitmentError> {
    let events = decide(&state, command)?;
    let mut s = state;
    for e in events {
        let next = s.version + 1;
        s = apply(Some(s), &meta("c"), next, &e).unwrap();
    }
    Ok(s)
}

#[test]
fn reaffirmation_alone_never_fulfils() {
    let c = run(
        made(Kind::Action),
        &Command::AttachEvidence {
            evidence: evidence("r1", EvidenceKind::Reaffirmation),
            by: "linker".into(),
        },
    )
    .unwrap();
    let err = run(c.clone(), &assess(Status::Fulfilled, false)).unwrap_err();
    assert!(
        matches!(err, CommitmentError::NeedsDeliveryEvidence { .. }),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains("reaffirmation alone never fulfils"));

    let c = run(
        c,
        &Command::AttachEvidence {
            evidence: evidence("done", EvidenceKind::Completion),
            by: "linker".into(),
        },
    )
    .unwrap();
    let c = run(c, &assess(Status::Fulfilled, false)).unwrap();
    assert_eq!(c.status, Status::Fulfilled);
    assert!(!c.status_positions().is_empty());
}

#[test]
fn terminal_statuses_move_only_by_reassessment() {
    let c = run(
        made(Kind::Action),
        &Command::AttachEvidence {
            evidence: evidence("done", EvidenceKind::Completion),
            by: "a".into(),
        },
    )
    .unwrap();
    let c = run(c, &assess(Status::Fulfilled, false)).unwrap();
    let err = run(c.clone(), &assess(Status::InProgress, false))
        .unwrap_err()
        .to_string();
    assert!(err.contains("from fulfilled to in_progress"), "{err}");
    let c = run(c, &assess(Status::Reversed, true)).unwrap();
    assert_eq!(c.status, Status::Reversed);
    assert_eq!(
        c.history.iter().map(|h| (h.from, h.to)).collect::<Vec<_>>(),
        [
            (Status::NotYetAssessed, Status::Fulfilled),
            (Status::NotYetAssessed, Status::Fulfilled),
            (Status::Fulfilled, Status::Reversed),
            (Status::Fulfilled, Status::Reversed),
        ]
    );
}

#[test]
fn stances_are_maintained_not_scored() {
    let err = run(made(Kind::Stance), &assess(Status::Fulfilled, false))
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not apply to a stance"), "{err}");
    let c = run(made(Kind::Stance), &assess(Status::Maintained, false)).unwrap();
    assert_eq!(c.status, Status::Maintained);
    assert!(run(made(Kind::Action), &assess(Status::Maintained, false)).is_err());
}

#[test]
fn statuses_are_per_party() {
    let jpn = Party::new("JPN").unwrap();
    let c = run(
        made(Kind::Action),
        &Command::AssessStatus {
            party: Some(jpn.clone()),
            status: Status::InProgress,
            reason: Some(ReasonCode::EvidenceFound),
            effective: date!(2018 - 01 - 01),
            assessor: "a".into(),
            note: None,
            reassessment: false,
            evidence_ids: vec![],
        },
    )
    .unwrap();
    assert_eq!(c.status_of(&jpn).unwrap().status, Status::InProgress);
    assert_eq!(
        c.status_of(&Party::new("NATO").unwrap()).unwrap().status,
        Status::NotYetAssessed
    );
    assert_eq!(c.status, Status::InProgress);
    let err = run(
        c,
        &Command::AssessStatus {
            party: Some(Party::new("USA").unwrap()),
            status: Status::Stalled,
            reason: None,
            effective: date!(2018 - 01 - 01),
            assessor: "a".into(),
            note: None,
            reassessment: false,
            evidence_ids: vec![],
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("USA is not a committer"), "{err}");
}

#[test]
fn rejected_and_merged_take_nothing_more() {
    let c = run(
        made(Kind::Action),
        &Command::Reject {
            by: "a".into(),
            reason: "not a pledge".into(),
        },
    )
    .unwrap();
    assert!(!c.is_tracked());
    assert!(matches!(
        run(
            c,
            &Command::Confirm {
                by: "a".into(),
                note: None
            }
        ),
        Err(CommitmentError::Rejected { .. })
    ));
    let into = CommitmentId::parse("c0000000000000000000a").unwrap();
    let c = run(
        made(Kind::Action),
        &Command::MergeInto {
            into: into.clone(),
            by: "a".into(),
        },
    )
    .unwrap();
    assert!(matches!(
        run(c, &assess(Status::Stalled, false)),
        Err(CommitmentError::Merged { .. })
    ));
}

#[test]
fn supersession_links_the_successor() {
    let next = CommitmentId::parse("c0000000000000000000b").unwrap();
    let c = run(
        made(Kind::Action),
        &Command::Supersede {
            successor: next.clone(),
            effective: date!(2018 - 10 - 18),
            by: "a".into(),
            evidence_ids: vec![],
        },
    )
    .unwrap();
    assert_eq!(c.status, Status::Superseded);
    assert_eq!(c.superseded_by, Some(next.clone()));
    let again = decide(
        &c,
        &Command::Supersede {
            successor: next,
            effective: date!(2018 - 10 - 18),
            by: "a".into(),
            evidence_ids: vec![],
        },
    )
    .unwrap();
    assert!(again.is_empty(), "superseding twice is a no-op");
}

#[test]
fn accepted_proposals_apply_their_follow_up() {
    let p = Command::Propose {
        proposal_id: "p1".into(),
        evidence: evidence("e1", EvidenceKind::Completion),
        status: Some(Status::Fulfilled),
        successor: None,
    };
    let c = run(made(Kind::Action), &p).unwrap();
    assert_eq!(c.proposals.len(), 1);
    assert_eq!(
        c.status,
        Status::NotYetAssessed,
        "a proposal changes nothing by itself"
    );
    let c = run(
        c,
        &Command::ResolveProposal {
            proposal_id: "p1".into(),
            accept: true,
            by: "reviewer".into(),
        },
    )
    .unwrap();
    assert!(c.proposals.is_empty());
    assert_eq!(c.status, Status::Fulfilled);
    assert_eq!(c.evidence.len(), 1);
}

#[test]
fn command_ids_are_remembered_with_their_positions() {
    let c = made(Kind::Action);
    let events = decide(
        &c,
        &Command::Confirm {
            by: "a".into(),
            note: None,
        },
    )
    .unwrap();
    let c = apply(Some(c), &meta("retry-me"), 7, &events[0]).unwrap();
    assert_eq!(c.commands.get("retry-me"), Some(&vec![7]));
    assert_eq!(c.version, 7);
}

#[test]
fn a_commitments_lists_stop_at_their_caps_with_a_reason() {
    let mut c = made(Kind::Action);
    for n in 0..MAX_EVIDENCE {
        let attach = Command::AttachEvidence {
            evidence: evidence(&format!("e{n}"), EvidenceKind::Progress),
            by: "a".into(),
        };
        c = run(c, &attach).unwrap();
    }
    assert_eq!(c.evidence.len(), MAX_EVIDENCE);
    let one_more = Command::AttachEvidence {
        evidence: evidence("one-more", EvidenceKind::Progress),
        by: "a".into(),
    };
    let err = run(c.clone(), &one_more).unwrap_err();
    assert!(
        matches!(
            err,
            CommitmentError::Full {
                limit: MAX_EVIDENCE,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("200 pieces of evidence"), "{err}");
    // What is already there is still "already so", not an error.
    let again = Command::AttachEvidence {
        evidence: evidence("e0", EvidenceKind::Progress),
        by: "a".into(),
    };
    assert_eq!(decide(&c, &again), Ok(vec![]));
    // Status changes that add no evidence still go through.
    let c = run(c, &assess(Status::InProgress, false)).unwrap();
    assert_eq!(c.status, Status::InProgress);
}

#[test]
fn status_changes_stop_at_their_cap() {
    let mut c = made(Kind::Action);
    let flips = [Status::InProgress, Status::Stalled];
    let mut n = 0;
    let err = loop {
        match run(c.clone(), &assess(flips[n % 2], true)) {
            Ok(next) => c = next,
            Err(e) => break e,
        }
        n += 1;
        assert!(n <= MAX_STATUS_CHANGES, "no cap on status changes");
    };
    assert_eq!(c.history.len(), MAX_STATUS_CHANGES);
    assert!(
        matches!(
            err,
            CommitmentError::Full {
                what: "status changes",
                ..
            }
        ),
        "{err}"
    );
}

fn any_command() -> impl Strategy<Value = Command> {
    let status = prop::sample::select(Status::ALL.to_vec());
    let kind = prop::sample::select(EvidenceKind::ALL.to_vec());
    prop_oneof![
        (status.clone(), any::<bool>()).prop_map(|(s, r)| assess(s, r)),
        (kind, 0u8..4).prop_map(|(k, n)| Command::AttachEvidence {
            evidence: evidence(&format!("e{n}"), k),
            by: "a".into()
        }),
        Just(Command::Confirm {
            by: "a".into(),
            note: None
        }),
        Just(Command::Reject {
            by: "a".into(),
            reason: "x".into()
        }),
        Just(Command::Supersede {
            successor: CommitmentId::parse("c0000000000000000000b").unwrap(),
            effective: date!(2019 - 01 - 01),
            by: "a".into(),
            evidence_ids: vec![]
        }),
    ]
}

proptest! {
    /// Whatever analysts try, the state machine's rules hold on every state
    /// reached, and replaying the accepted events gives the same state.
    #[test]
    fn rules_hold_for_any_command_sequence(kind in prop::sample::select(Kind::ALL.to_vec()), commands in prop::collection::vec(any_command(), 0..25)) {
        let mut state = made(kind);
        let mut log = vec![];
        for command in &commands {
            let before = state.clone();
            if let Ok(events) = decide(&state, command) {
                prop_assert!(before.is_tracked(), "an untracked commitment accepted {command:?}");
                for e in events {
                    let position = state.version + 1;
                    state = apply(Some(state), &meta("p"), position, &e).unwrap();
                    log.push((position, e));
                }
            }
            for s in &state.party_status {
                prop_assert!(s.status.fits(kind), "{} on a {kind}", s.status);
            }
            if state.status == Status::Fulfilled {
                prop_assert!(state.evidence.iter().any(|e| e.evidence.kind.shows_delivery()));
            }
            for h in &state.history {
                prop_assert!(h.from == h.to || !h.from.is_terminal() || log.iter().any(|(p, e)| *p == h.position && matches!(e, Event::StatusAssessed(a) if a.reassessment)),
                    "left terminal {} without reassessment", h.from);
            }
        }
        let replayed = log.iter().try_fold(made(kind), |s, (p, e)| apply(Some(s), &meta("p"), *p, e)).unwrap();
        prop_assert_eq!(replayed, state);
    }
}
