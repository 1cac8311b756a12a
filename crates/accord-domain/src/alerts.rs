//! Deadlines and alerts, decided from state and a "today" the caller passes.
//!
//! Every tracked commitment but a stance gets an assessment window at ingest
//! ([`window`]). The alerter asks [`decide`] what to raise or resolve; the
//! answer depends only on the commitment's state (which records every alert
//! already raised) and the day, so replays and rebuilds raise nothing new, and
//! replicas that race append the same events under the same version guard:
//! one wins, the others see its events.

use crate::commitment::Commitment;
use crate::event::{
    Alert, AlertKind, AlertResolved, CommitmentDueSoon, CommitmentOverdue, DeadlineBasis, Event,
};
use crate::model::{Kind, Party, Status};
use time::{Date, Month};

/// How windows are chosen when the readout gives no time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlinePolicy {
    /// Months after the meeting, per kind (stances get no window).
    pub horizon_months: [(Kind, u32); 3],
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            horizon_months: [
                (Kind::Action, 12),
                (Kind::Cooperation, 12),
                (Kind::Meeting, 12),
            ],
        }
    }
}

impl DeadlinePolicy {
    pub fn horizon(&self, kind: Kind) -> Option<u32> {
        self.horizon_months
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, m)| *m)
    }
}

/// When the alerter speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPolicy {
    /// Days before the deadline at which a due-soon alert is raised.
    pub lead_days: Vec<u32>,
}

impl Default for AlertPolicy {
    fn default() -> Self {
        AlertPolicy {
            lead_days: vec![30, 7],
        }
    }
}

/// A date `months` after `date`, clamped to the end of shorter months and to
/// the last date the calendar holds (never a panic, whatever the input).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = i64::from(date.year()) * 12 + (date.month() as i64 - 1) + i64::from(months);
    let year = total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::December);
    i32::try_from(year)
        .ok()
        .and_then(|year| {
            let last = time::util::days_in_month(month, year);
            Date::from_calendar_date(year, month, date.day().min(last)).ok()
        })
        .unwrap_or(Date::MAX)
}

/// The assessment window of a new commitment: the deadline in the text;
/// else the next meeting of the same parties in the same readout (the
/// earliest due meeting commitment with the same committers); else the
/// horizon for its kind. Stances get none.
pub fn window(
    kind: Kind,
    committers: &[Party],
    due: Option<Date>,
    meeting_date: Date,
    meetings: &[(&[Party], Date)],
    policy: &DeadlinePolicy,
) -> Option<(Date, DeadlineBasis, String)> {
    if kind == Kind::Stance {
        return None;
    }
    if let Some(due) = due {
        return Some((
            due,
            DeadlineBasis::Text,
            "deadline stated in the readout".into(),
        ));
    }
    if kind != Kind::Meeting {
        let next = meetings
            .iter()
            .filter(|(parties, d)| *parties == committers && *d > meeting_date)
            .map(|(_, d)| *d)
            .min();
        if let Some(next) = next {
            return Some((
                next,
                DeadlineBasis::NextMeeting,
                "the next meeting of the same parties".into(),
            ));
        }
    }
    let months = policy.horizon(kind)?;
    Some((
        add_months(meeting_date, months),
        DeadlineBasis::Horizon,
        format!("no time given: {months}-month horizon for {kind} commitments"),
    ))
}

fn closed(c: &Commitment) -> Option<String> {
    if !c.is_tracked() {
        return Some(format!("commitment {:?}", c.review).to_lowercase());
    }
    match c.status {
        Status::Fulfilled
        | Status::Superseded
        | Status::Withdrawn
        | Status::NotFulfilled
        | Status::Reversed => Some(format!("commitment {}", c.status)),
        _ => None,
    }
}

fn alert(c: &Commitment, kind: AlertKind, deadline: Date, lead_days: Option<u32>) -> Alert {
    let lead = lead_days.map(|d| format!(":{d}d")).unwrap_or_default();
    Alert {
        alert_id: format!("{}:{}:{deadline}{lead}", c.id, kind.as_str()),
        kind,
        commitment_id: c.id.clone(),
        committers: c.committers.clone(),
        commitment_kind: c.kind,
        text: c.text.clone(),
        deadline,
        lead_days,
    }
}

/// The alert events due for `c` on `today`: resolutions of alerts that no
/// longer hold, then at most one new alert (overdue, or the tightest lead
/// time crossed that no tighter alert already covers).
pub fn decide(c: &Commitment, today: Date, policy: &AlertPolicy) -> Vec<Event> {
    let mut events = Vec::new();
    let deadline = c.deadline.as_ref().map(|d| d.due);
    let closed = closed(c);
    let overdue = deadline.is_some_and(|d| today > d) && closed.is_none();
    for raised in c.alerts.iter().filter(|a| a.resolved_at_position.is_none()) {
        let a = &raised.alert;
        let reason = if let Some(why) = &closed {
            Some(why.clone())
        } else if deadline != Some(a.deadline) {
            Some(match deadline {
                Some(d) => format!("deadline moved to {d}"),
                None => "deadline waived".into(),
            })
        } else if a.kind == AlertKind::DueSoon && overdue {
            Some("now overdue".into())
        } else {
            None
        };
        if let Some(reason) = reason {
            events.push(Event::AlertResolved(AlertResolved {
                alert: a.clone(),
                reason,
            }));
        }
    }
    let (Some(deadline), None) = (deadline, closed) else {
        return events;
    };
    let raised = |kind: AlertKind, covers: &dyn Fn(Option<u32>) -> bool| {
        c.alerts.iter().any(|a| {
            a.alert.kind == kind && a.alert.deadline == deadline && covers(a.alert.lead_days)
        })
    };
    if overdue {
        if !raised(AlertKind::Overdue, &|_| true) {
            events.push(Event::CommitmentOverdue(CommitmentOverdue {
                alert: alert(c, AlertKind::Overdue, deadline, None),
            }));
        }
        return events;
    }
    let days_left = (deadline - today).whole_days();
    let tightest = policy
        .lead_days
        .iter()
        .copied()
        .filter(|&lead| days_left <= i64::from(lead))
        .min();
    if let Some(lead) = tightest {
        if !raised(AlertKind::DueSoon, &|l| l.is_some_and(|l| l <= lead)) {
            events.push(Event::CommitmentDueSoon(CommitmentDueSoon {
                alert: alert(c, AlertKind::DueSoon, deadline, Some(lead)),
            }));
        }
    }
    events
}

#[cfg(test)]
mod tests;
