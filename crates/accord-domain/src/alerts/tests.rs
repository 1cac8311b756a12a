use super::*;
use crate::commitment::{apply, decide as decide_command, Command};
use crate::event::tests::sample_made;
use crate::event::{DeadlineSet, EventMeta, Evidence};
use crate::model::EvidenceKind;
use time::macros::{date, datetime};

fn meta() -> EventMeta {
    EventMeta {
        id: crate::EventId::derive("a", "b"),
        occurred_at: datetime!(2017-10-31 0:00 UTC),
        recorded_at: datetime!(2017-10-31 0:00 UTC),
        correlation_id: "t".into(),
    }
}

fn step(c: Commitment, events: Vec<Event>) -> Commitment {
    events.into_iter().fold(c, |c, e| {
        let p = c.version + 1;
        apply(Some(c), &meta(), p, &e).unwrap()
    })
}

fn with_deadline(due: Date) -> Commitment {
    let made = apply(None, &meta(), 1, &Event::CommitmentMade(sample_made())).unwrap();
    let id = made.id.clone();
    step(
        made,
        vec![Event::DeadlineSet(DeadlineSet {
            commitment_id: id,
            due,
            basis: DeadlineBasis::Text,
            reason: "r".into(),
        })],
    )
}

fn kinds(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::CommitmentDueSoon(a) => format!("due_soon:{}", a.alert.lead_days.unwrap()),
            Event::CommitmentOverdue(_) => "overdue".into(),
            Event::AlertResolved(r) => format!("resolved:{}:{}", r.alert.kind.as_str(), r.reason),
            other => other.type_name().into(),
        })
        .collect()
}

/// Walks the calendar, applying whatever the alerter decides each day.
fn check(days: &[(Date, &[&str])], mut c: Commitment, commands: &[(Date, Command)]) {
    let policy = AlertPolicy::default();
    for (day, expected) in days {
        for (when, command) in commands {
            if when == day {
                let events = decide_command(&c, command).unwrap();
                c = step(c, events);
            }
        }
        let events = decide(&c, *day, &policy);
        assert_eq!(
            kinds(&events),
            expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "on {day}"
        );
        c = step(c, events);
        assert!(
            decide(&c, *day, &policy).is_empty(),
            "deciding twice on {day} raises nothing new"
        );
    }
}

#[test]
fn due_soon_then_overdue_each_once() {
    check(
        &[
            (date!(2018 - 11 - 01), &[]),
            (date!(2018 - 12 - 01), &["due_soon:30"]),
            (date!(2018 - 12 - 10), &[]),
            (date!(2018 - 12 - 24), &["due_soon:7"]),
            (date!(2018 - 12 - 31), &[]),
            (
                date!(2019 - 01 - 01),
                &[
                    "resolved:due_soon:now overdue",
                    "resolved:due_soon:now overdue",
                    "overdue",
                ],
            ),
            (date!(2019 - 06 - 01), &[]),
        ],
        with_deadline(date!(2018 - 12 - 31)),
        &[],
    );
}

#[test]
fn a_clock_jump_raises_only_the_tightest_alert() {
    check(
        &[
            (date!(2018 - 12 - 28), &["due_soon:7"]),
            (date!(2018 - 12 - 29), &[]),
        ],
        with_deadline(date!(2018 - 12 - 31)),
        &[],
    );
    check(
        &[(date!(2019 - 03 - 01), &["overdue"])],
        with_deadline(date!(2018 - 12 - 31)),
        &[],
    );
}

#[test]
fn fulfilment_and_moved_deadlines_resolve() {
    let evidence = Evidence {
        evidence_id: "e".into(),
        kind: EvidenceKind::Completion,
        source_url: None,
        date: date!(2019 - 02 - 01),
        source_type: "news".into(),
        snippet: String::new(),
        document_id: None,
        span: None,
        link_confidence: None,
        signals: None,
    };
    check(
        &[
            (date!(2019 - 01 - 05), &["overdue"]),
            (
                date!(2019 - 02 - 01),
                &["resolved:overdue:commitment fulfilled"],
            ),
            (date!(2020 - 01 - 01), &[]),
        ],
        with_deadline(date!(2018 - 12 - 31)),
        &[(
            date!(2019 - 02 - 01),
            Command::RecordFollowUp {
                evidence,
                status: Some(Status::Fulfilled),
                successor: None,
                by: "a".into(),
            },
        )],
    );
    check(
        &[
            (date!(2019 - 01 - 05), &["overdue"]),
            (
                date!(2019 - 01 - 06),
                &["resolved:overdue:deadline moved to 2019-06-30"],
            ),
            (date!(2019 - 06 - 25), &["due_soon:7"]),
            (
                date!(2019 - 06 - 26),
                &["resolved:due_soon:deadline waived"],
            ),
        ],
        with_deadline(date!(2018 - 12 - 31)),
        &[
            (
                date!(2019 - 01 - 06),
                Command::ExtendDeadline {
                    to: date!(2019 - 06 - 30),
                    reason: "talks delayed".into(),
                    by: "a".into(),
                },
            ),
            (
                date!(2019 - 06 - 26),
                Command::WaiveDeadline {
                    reason: "no longer relevant".into(),
                    by: "a".into(),
                },
            ),
        ],
    );
}

#[test]
fn windows_come_from_text_next_meeting_or_horizon() {
    let p = |c: &str| Party::new(c).unwrap();
    let jn = [p("JPN"), p("NATO")];
    let meeting = date!(2018 - 10 - 18);
    let policy = DeadlinePolicy::default();
    let meetings: [(&[Party], Date); 1] = [(&jn, date!(2019 - 06 - 30))];
    assert_eq!(
        window(Kind::Stance, &jn, None, meeting, &meetings, &policy),
        None
    );
    assert_eq!(
        window(
            Kind::Action,
            &jn,
            Some(date!(2018 - 12 - 31)),
            meeting,
            &meetings,
            &policy
        )
        .unwrap()
        .0,
        date!(2018 - 12 - 31)
    );
    let (d, basis, _) = window(Kind::Cooperation, &jn, None, meeting, &meetings, &policy).unwrap();
    assert_eq!(
        (d, basis),
        (date!(2019 - 06 - 30), DeadlineBasis::NextMeeting)
    );
    let (d, basis, _) =
        window(Kind::Action, &[p("JPN")], None, meeting, &meetings, &policy).unwrap();
    assert_eq!((d, basis), (date!(2019 - 10 - 18), DeadlineBasis::Horizon));
    assert_eq!(add_months(date!(2019 - 01 - 31), 1), date!(2019 - 02 - 28));
    assert_eq!(add_months(date!(2019 - 11 - 15), 14), date!(2021 - 01 - 15));
}
