//! The follow-up linker as a consumer of the log. It reads every readout's
//! text (`ReadoutText`, `accord.v1.doc.*.text`) in log order, asks
//! [`accord_link`] which earlier commitments it reports on, and records
//! each link as a command on that commitment: confident ones as evidence
//! plus the status they support, the rest as proposals in the review queue.
//!
//! - **Exactly-once effects.** A link's command id is
//!   `link:<later document>:<commitment>`; commitments remember the command
//!   ids applied to them, so re-reading a readout (after a crash before the
//!   checkpoint, a `relink`, or on a second replica) appends nothing twice.
//! - **Checkpointed.** The linker's position and the texts it has read live
//!   in [`accord_store::Readouts`], written after a readout's links landed.
//! - **Order does not matter.** When a readout arrives that is *older* than
//!   texts already read, those later texts are linked again, now with its
//!   commitments among the candidates (backfill).
//! - Ingest never waits for any of this.

use crate::commands::{Commands, Outcome};
use crate::error::ApiError;
use accord_bus::subjects;
use accord_domain::commitment::Command;
use accord_domain::event::{ReadoutText, SentenceText};
use accord_domain::{
    Commitment, CommitmentId, DocumentId, Envelope, Event, Evidence, Party, Status,
};
use accord_link::{Later, Link, APPLY_AT};
use accord_store::{Filter, Readouts};
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

/// Who the linker says it is in the events it appends.
pub const LINKER: &str = "accord-linker";

#[derive(Clone)]
pub struct Linker {
    pub commands: Commands,
    /// Gazetteer rows of this deployment (organisation members).
    pub extra: Option<Arc<accord_extract::ExtraData>>,
    readouts: Readouts,
}

/// What linking did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Readout texts read.
    pub readouts: u64,
    /// Links recorded as evidence and status.
    pub applied: u64,
    /// Links sent to the review queue.
    pub proposed: u64,
    /// Links recorded before (same command id): nothing appended.
    pub already: u64,
    /// Links that could not be recorded for now (logged; read again).
    pub failed: u64,
    /// Links the commitment refused even as a proposal (logged; skipped).
    pub refused: u64,
    /// The linker's own pending proposals dismissed because their link
    /// now applied.
    pub settled: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.readouts += o.readouts;
        self.applied += o.applied;
        self.proposed += o.proposed;
        self.already += o.already;
        self.failed += o.failed;
        self.refused += o.refused;
        self.settled += o.settled;
    }
}

impl Linker {
    pub fn new(
        commands: Commands,
        extra: Option<Arc<accord_extract::ExtraData>>,
    ) -> Result<Linker, ApiError> {
        let readouts = commands.query.store.readouts()?;
        Ok(Linker {
            commands,
            extra,
            readouts,
        })
    }

    /// The log position of the last readout text this linker finished.
    pub fn checkpoint(&self) -> Result<u64, ApiError> {
        Ok(self.readouts.checkpoint()?)
    }

    /// Follows the log until the task is dropped; errors are logged and the
    /// linker resumes from its checkpoint.
    pub async fn run(self) {
        loop {
            if let Err(e) = self.follow().await {
                tracing::warn!(error = %e, "linker stopped; resuming from its checkpoint");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    async fn follow(&self) -> Result<(), ApiError> {
        let from = self.readouts.checkpoint()? + 1;
        let filters = vec![subjects::READOUT_TEXTS.to_owned()];
        let mut log = Box::pin(
            self.commands
                .query
                .bus
                .replay_subjects(from, filters)
                .await?,
        );
        while let Some(entry) = log.next().await {
            let entry = entry?;
            let text = match &entry.unauthenticated {
                None => readout_text(&entry.payload),
                Some(why) => {
                    tracing::error!(position = entry.position, subject = %entry.subject, reason = %why, "unauthenticated entry; the linker skips it");
                    None
                }
            };
            let Some(text) = text else {
                tracing::warn!(position = entry.position, subject = %entry.subject, "not a readable ReadoutText; the linker skips it");
                self.readouts.skip(entry.position)?;
                continue;
            };
            let tally = self.read(entry.position, &text, true).await?;
            if tally.failed == 0 {
                self.readouts.record(entry.position, &text)?;
            } else {
                return Err(ApiError::LinkerRetry {
                    document: text.document_id.to_string(),
                    failed: tally.failed,
                });
            }
        }
        Ok(())
    }

    /// Re-runs linking over every readout text in the log, appending only
    /// links not recorded before (after the linker improved). `progress`
    /// gets (position, last position).
    pub async fn relink(&self, progress: impl Fn(u64, u64)) -> Result<Tally, ApiError> {
        let bus = &self.commands.query.bus;
        let Some(last) = bus.last_on_subject(subjects::READOUT_TEXTS).await? else {
            return Ok(Tally::default());
        };
        let filters = vec![subjects::READOUT_TEXTS.to_owned()];
        let mut log = Box::pin(bus.replay_subjects(1, filters).await?);
        let mut total = Tally::default();
        while let Some(entry) = log.next().await {
            let entry = entry?;
            let authentic = entry.unauthenticated.is_none();
            if let Some(text) = readout_text(&entry.payload).filter(|_| authentic) {
                // No backfill: every text gets its own pass, against all
                // commitments now projected.
                total += self.read(entry.position, &text, false).await?;
            }
            progress(entry.position, last);
            if entry.position >= last {
                break;
            }
        }
        tracing::info!(?total, "relink done");
        Ok(total)
    }

    /// Links one readout: its sentences against earlier commitments, and
    /// (with `backfill`) later readouts already read against its commitments.
    async fn read(
        &self,
        position: u64,
        text: &ReadoutText,
        backfill: bool,
    ) -> Result<Tally, ApiError> {
        self.wait_for_projection(position).await?;
        let mut tally = Tally {
            readouts: 1,
            ..Default::default()
        };
        tally += self.link_later(text, None).await?;
        if !backfill {
            return Ok(tally);
        }
        let own: BTreeSet<Party> = self.expand(&text.parties).into_iter().collect();
        for later in self.readouts.dated_after(text.date)? {
            let related = later.parties.iter().any(|p| own.contains(p));
            if later.document_id != text.document_id && related {
                // `text` is not recorded until its pass is done.
                tally += self.link_later(&later, Some(text)).await?;
            }
        }
        Ok(tally)
    }

    /// The readout's own commitments are projected before it is linked.
    /// `position` is the text's own, a canonical event the projector reads,
    /// so the wait asks the log nothing.
    async fn wait_for_projection(&self, position: u64) -> Result<(), ApiError> {
        loop {
            match self.commands.query.applied(position).await {
                Ok(_) => return Ok(()),
                Err(ApiError::NotCaughtUp { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// What the readouts `commitments` were made in say: the parties of
    /// their meetings, as they name them, and their sentences. `unrecorded`:
    /// a readout being read, not yet among those recorded.
    fn readouts_of(
        &self,
        commitments: &[Commitment],
        unrecorded: Option<&ReadoutText>,
    ) -> Result<EarlierReadouts, ApiError> {
        let mut out = EarlierReadouts::default();
        let mut read = BTreeSet::new();
        for c in commitments {
            // each readout once, whether or not it knows who met
            if !read.insert(&c.document_id) {
                continue;
            }
            let text = match unrecorded.filter(|t| t.document_id == c.document_id) {
                Some(t) => t.clone(),
                None => match self.readouts.get(&c.document_id)? {
                    Some(t) => t,
                    None => continue,
                },
            };
            // Events written before the meeting was kept alone say nothing.
            if let Some(meeting) = &text.meeting {
                out.made_at
                    .insert(c.document_id.clone(), self.expand(meeting));
            }
            out.sentences.insert(c.document_id.clone(), text.sentences);
        }
        Ok(out)
    }

    /// Links `later` against every earlier commitment of its parties;
    /// `unrecorded` as for [`Linker::readouts_of`].
    async fn link_later(
        &self,
        later: &ReadoutText,
        unrecorded: Option<&ReadoutText>,
    ) -> Result<Tally, ApiError> {
        // Listing the parties' commitments and scoring them is sled reads
        // and CPU for as long as the parties' record is big: on a blocking
        // thread, so it never holds an async worker the requests served
        // beside it (one `accord up`) wait on.
        let (this, owned_later, owned_unrecorded) =
            (self.clone(), later.clone(), unrecorded.cloned());
        let found = tokio::task::spawn_blocking(move || {
            this.links_for(&owned_later, owned_unrecorded.as_ref())
        })
        .await;
        let (links, own) = match found {
            Ok(found) => found?,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Cancelled: the runtime is shutting down; read again next time.
            Err(_) => {
                return Err(ApiError::LinkerRetry {
                    document: later.document_id.to_string(),
                    failed: 1,
                })
            }
        };
        let mut tally = Tally::default();
        for link in links {
            match self.record(later, &link, &own).await {
                Ok(recorded) => {
                    tally.settled += recorded.settled;
                    match (recorded.outcome.replayed, recorded.applied) {
                        (true, _) => tally.already += 1,
                        (false, true) => tally.applied += 1,
                        (false, false) => tally.proposed += 1,
                    }
                }
                // Transient: the log or the projection; the readout is read again.
                Err(
                    e @ (ApiError::Bus(_)
                    | ApiError::Conflict { .. }
                    | ApiError::NotCaughtUp { .. }
                    | ApiError::BeyondLog { .. }),
                ) => {
                    tracing::warn!(commitment = %link.commitment_id, error = %e, "follow-up link not recorded; retried later");
                    tally.failed += 1;
                }
                // Permanent (the commitment refuses even a proposal): reading the
                // readout again would not change it, so it must not hold the linker.
                Err(e) => {
                    tracing::warn!(commitment = %link.commitment_id, error = %e, "follow-up link refused; skipped");
                    tally.refused += 1;
                }
            }
        }
        Ok(tally)
    }

    /// What `later` reports on among the earlier commitments of its
    /// parties (the rules and the model), and the readout's own
    /// commitments (for the links' command ids).
    fn links_for(
        &self,
        later: &ReadoutText,
        unrecorded: Option<&ReadoutText>,
    ) -> Result<(Vec<Link>, Vec<Commitment>), ApiError> {
        let parties = self.expand(&later.parties);
        let store = &self.commands.query.store;
        let mut candidates: BTreeMap<CommitmentId, Commitment> = BTreeMap::new();
        let mut own = Vec::new();
        for party in &parties {
            let filter = Filter {
                party: Some(party.clone()),
                ..Default::default()
            };
            for c in store.list(&filter, None, 100_000)?.commitments {
                if c.document_id == later.document_id {
                    own.push(c);
                } else if c.meeting_date.is_some_and(|d| d < later.date) {
                    candidates.insert(c.id.clone(), c);
                }
            }
        }
        let candidates: Vec<Commitment> = candidates.into_values().collect();
        let earlier = self.readouts_of(&candidates, unrecorded)?;
        let input = Later {
            date: later.date,
            parties: &parties,
            sentences: &later.sentences,
            extra: self.extra.as_deref(),
            made_at: Some(&earlier.made_at),
            own: later.meeting.as_deref(),
            earlier_text: Some(&earlier.sentences),
        };
        Ok((accord_link::link(&input, &candidates), own))
    }

    /// The meeting's parties and the members of the organisations among them.
    fn expand(&self, parties: &[Party]) -> Vec<Party> {
        let mut all: BTreeSet<Party> = parties.iter().cloned().collect();
        for p in parties {
            all.extend(accord_extract::members(p, self.extra.as_deref()));
        }
        all.into_iter().collect()
    }

    /// Records one link.
    async fn record(
        &self,
        later: &ReadoutText,
        link: &Link,
        own: &[Commitment],
    ) -> Result<Recorded, ApiError> {
        let evidence = Evidence {
            evidence_id: format!("{}@{}", later.document_id, link.span.start),
            kind: link.evidence,
            source_url: None,
            date: link.effective,
            source_type: "official_readout".into(),
            snippet: link.snippet.clone(),
            document_id: Some(later.document_id.clone()),
            span: Some(link.span),
            link_confidence: Some(link.confidence),
            signals: Some(link.signals.clone()),
        };
        let command_id = format!("link:{}:{}", later.document_id, link.commitment_id);
        let successor = (link.status == Some(Status::Superseded))
            .then(|| successor(link, own))
            .flatten();
        let mut proposed = evidence.clone();
        let propose = |evidence: Evidence| Command::Propose {
            proposal_id: command_id.clone(),
            evidence,
            status: link.status,
            successor: successor.clone(),
        };
        // A replacement needs its successor to apply; otherwise a human picks it.
        let apply = link.confidence >= APPLY_AT
            && (link.status != Some(Status::Superseded) || successor.is_some());
        let commands = &self.commands;
        if !apply {
            let outcome = commands
                .execute(&link.commitment_id, 0, &command_id, propose(proposed))
                .await?;
            return Ok(Recorded::proposed(outcome));
        }
        let evidence_id = evidence.evidence_id.clone();
        let command = Command::RecordFollowUp {
            evidence,
            status: link.status,
            successor: successor.clone(),
            by: LINKER.into(),
        };
        match commands
            .execute(&link.commitment_id, 0, &command_id, command)
            .await
        {
            Ok(outcome) => {
                let settled = self
                    .settle(&outcome.commitment, &command_id, &evidence_id)
                    .await;
                Ok(Recorded {
                    outcome,
                    applied: true,
                    settled,
                })
            }
            // The state machine refuses it as is (e.g. a terminal status): a human decides.
            Err(ApiError::Refused(why)) => {
                tracing::info!(commitment = %link.commitment_id, %why, "follow-up not applicable as is; proposed for review");
                if let Some(s) = proposed.signals.as_mut() {
                    s.decision = format!("review: {why}");
                }
                let review_id = format!("{command_id}:review");
                let outcome = commands
                    .execute(&link.commitment_id, 0, &review_id, propose(proposed))
                    .await?;
                Ok(Recorded::proposed(outcome))
            }
            Err(e) => Err(e),
        }
    }

    /// Dismisses the linker's own proposal for the same readout and
    /// commitment (its id is the link's command id, whether the link was
    /// proposed or refused) once the link has applied: it was waiting
    /// because the commitment refused it (a terminal status later
    /// reassessed, a status an older linker got wrong), and leaving it
    /// would ask a reviewer to judge what is already recorded. Best effort:
    /// a proposal a reviewer resolved meanwhile is gone, and a failure
    /// leaves it for them. Returns how many it dismissed (0 or 1).
    async fn settle(&self, after: &Commitment, command_id: &str, evidence_id: &str) -> u64 {
        let applied = after
            .evidence
            .iter()
            .any(|e| e.evidence.evidence_id == evidence_id);
        let stale = after.proposals.iter().find(|p| p.proposal_id == command_id);
        let Some(p) = stale.filter(|_| applied) else {
            return 0;
        };
        let dismiss = Command::ResolveProposal {
            proposal_id: p.proposal_id.clone(),
            accept: false,
            by: LINKER.into(),
        };
        let settle_id = format!("{}:settled", p.proposal_id);
        match self
            .commands
            .execute(&after.id, 0, &settle_id, dismiss)
            .await
        {
            Ok(_) => {
                tracing::info!(commitment = %after.id, proposal = %p.proposal_id, "the applied link settles the linker's own proposal");
                1
            }
            Err(e) => {
                tracing::warn!(commitment = %after.id, proposal = %p.proposal_id, error = %e, "proposal left for review");
                0
            }
        }
    }
}

/// What recording one link did.
struct Recorded {
    outcome: Outcome,
    /// Applied as evidence and status (or else proposed for review).
    applied: bool,
    /// The linker's own proposals for the pair dismissed since.
    settled: u64,
}

impl Recorded {
    fn proposed(outcome: Outcome) -> Recorded {
        Recorded {
            outcome,
            applied: false,
            settled: 0,
        }
    }
}

/// The later readout's own commitment that a replacement names.
fn successor(link: &Link, own: &[Commitment]) -> Option<CommitmentId> {
    let named = accord_link::instruments(&link.snippet);
    own.iter()
        .find(|s| !accord_link::instruments(&s.text).is_disjoint(&named))
        .map(|s| s.id.clone())
}

/// The earlier readouts a later one is linked against, by document.
#[derive(Default)]
struct EarlierReadouts {
    made_at: BTreeMap<DocumentId, Vec<Party>>,
    sentences: BTreeMap<DocumentId, Vec<SentenceText>>,
}

fn readout_text(payload: &[u8]) -> Option<ReadoutText> {
    match Envelope::from_json(payload).ok()?.event {
        Event::ReadoutText(t) => Some(t),
        _ => None,
    }
}
