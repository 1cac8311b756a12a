//! Summit-compliance reporting: each party is scored on its own status.

use crate::commitment::Commitment;
use crate::ids::CommitmentId;
use crate::model::{Kind, Party, Status};
use std::collections::BTreeMap;
use time::Date;

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub commitment_id: CommitmentId,
    pub status: Status,
    pub score: Option<i32>,
    pub text: String,
    pub meeting_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub counts: BTreeMap<Status, u32>,
    /// Mean of the scores of assessed commitments; `None` when none is assessed.
    pub score: Option<f64>,
    pub assessed: u32,
    pub lines: Vec<Line>,
}

/// The compliance report of `party` over tracked, non-stance commitments it
/// made with a meeting date in `since..=until`: counts per status (the
/// party's own status) and the average of +1 fulfilled, 0 in progress or
/// partially fulfilled, -1 not fulfilled, reversed or withdrawn.
pub fn compliance(
    party: &Party,
    commitments: &[Commitment],
    since: Option<Date>,
    until: Option<Date>,
) -> Report {
    let mut report = Report {
        counts: BTreeMap::new(),
        score: None,
        assessed: 0,
        lines: Vec::new(),
    };
    let mut total = 0i64;
    for c in commitments {
        if !c.is_tracked() || c.kind == Kind::Stance {
            continue;
        }
        let in_period = match c.meeting_date {
            Some(d) => since.is_none_or(|s| d >= s) && until.is_none_or(|u| d <= u),
            None => since.is_none() && until.is_none(),
        };
        let Some(status) = c.status_of(party).map(|s| s.status) else {
            continue;
        };
        if !in_period {
            continue;
        }
        *report.counts.entry(status).or_default() += 1;
        let score = status.compliance_score();
        if let Some(s) = score {
            report.assessed += 1;
            total += i64::from(s);
        }
        report.lines.push(Line {
            commitment_id: c.id.clone(),
            status,
            score,
            text: c.text.clone(),
            meeting_date: c.meeting_date,
        });
    }
    if report.assessed > 0 {
        report.score = Some(total as f64 / f64::from(report.assessed));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitment::{apply, decide, Command};
    use crate::event::{tests::sample_made, Event, EventMeta, Evidence};
    use crate::model::EvidenceKind;
    use time::macros::{date, datetime};

    fn with_status(kind: Kind, text: &str, status: Option<Status>) -> Commitment {
        let mut made = sample_made();
        made.kind = kind;
        made.text = text.into();
        made.commitment_id = CommitmentId::for_span(
            &made.document_id,
            crate::Span {
                start: text.len(),
                end: text.len() + 1,
            },
        );
        let meta = EventMeta {
            id: crate::EventId::derive("r", text),
            occurred_at: datetime!(2017-10-31 0:00 UTC),
            recorded_at: datetime!(2017-10-31 0:00 UTC),
            correlation_id: "t".into(),
        };
        let mut c = apply(None, &meta, 1, &Event::CommitmentMade(made)).unwrap();
        let evidence = Evidence {
            evidence_id: "e".into(),
            kind: EvidenceKind::Completion,
            source_url: None,
            date: date!(2018 - 01 - 01),
            source_type: "news".into(),
            snippet: String::new(),
            document_id: None,
            span: None,
            link_confidence: None,
            signals: None,
        };
        let mut commands = vec![Command::AttachEvidence {
            evidence,
            by: "a".into(),
        }];
        if let Some(status) = status {
            commands.push(Command::AssessStatus {
                party: None,
                status,
                reason: None,
                effective: date!(2018 - 01 - 01),
                assessor: "a".into(),
                note: None,
                reassessment: false,
                evidence_ids: vec![],
            });
        }
        for cmd in commands {
            for e in decide(&c, &cmd).unwrap() {
                let p = c.version + 1;
                c = apply(Some(c), &meta, p, &e).unwrap();
            }
        }
        c
    }

    #[test]
    fn scores_average_over_assessed_commitments_only() {
        let jpn = Party::new("JPN").unwrap();
        let all = [
            with_status(Kind::Action, "a", Some(Status::Fulfilled)),
            with_status(Kind::Action, "b", Some(Status::NotFulfilled)),
            with_status(Kind::Cooperation, "c", Some(Status::InProgress)),
            with_status(Kind::Action, "d", Some(Status::Fulfilled)),
            with_status(Kind::Action, "e", None),
            with_status(Kind::Stance, "f", Some(Status::Maintained)),
        ];
        let r = compliance(&jpn, &all, None, None);
        assert_eq!(r.assessed, 4);
        assert_eq!(r.score, Some(0.25)); // (1 - 1 + 0 + 1) / 4
        assert_eq!(r.counts.get(&Status::NotYetAssessed), Some(&1));
        assert_eq!(r.lines.len(), 5, "stances are not scored");
        let none = compliance(&jpn, &all, Some(date!(2020 - 01 - 01)), None);
        assert_eq!((none.assessed, none.score), (0, None));
        assert!(compliance(&Party::new("USA").unwrap(), &all, None, None)
            .lines
            .is_empty());
    }
}
