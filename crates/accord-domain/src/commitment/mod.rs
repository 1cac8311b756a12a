//! The commitment aggregate: its state, the commands on it and the rules
//! that decide them (`decide`), and how events change it (`apply`).
//!
//! Rules, in short:
//! - statuses are per committing party; the commitment's own status is
//!   derived from them (all equal: that status; mixed: see [`overall`]);
//! - a status must fit the kind (stances are `maintained`/`contradicted`,
//!   never scored for compliance);
//! - `fulfilled` needs delivery evidence: a reaffirmation alone never does it;
//! - terminal statuses change only by an explicit reassessment;
//! - a rejected or merged-away commitment takes no further commands.

mod decide;
mod fold;
mod state;

pub use decide::{
    decide, follow_up_events, Command, CommitmentError, MAX_EVIDENCE, MAX_PENDING_PROPOSALS,
    MAX_STATUS_CHANGES,
};
pub use fold::{apply, replay};
pub use state::{
    overall, AttachedEvidence, Commitment, Deadline, PartyStatus, RaisedAlert, Review,
    SkippedEntry, StatusChange,
};

#[cfg(test)]
mod tests;
