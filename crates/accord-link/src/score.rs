//! Scores (report sentence, earlier commitment) pairs: how surely the
//! sentence is about the commitment (the reference), and what it reports
//! (the outcome, from the sentence's cues and the commitment's kind).

use crate::amounts;
use crate::aspect;
use crate::clauses;
use crate::cues::{Cue, Outcome};
use crate::elections;
use crate::features::{class_of, Class, Features};
use crate::outcome;
use crate::pairs::{Candidate, Detail, Later, APPLY_AT};
use crate::pool::Pool;
use crate::sentence::Sentence;
use crate::text::{is_nation, name_head};
use accord_domain::{Commitment, Kind, Party};
use std::collections::BTreeSet;

/// What a kindred word ("talks" for "negotiations") counts for, against
/// the same word.
const KIN_WEIGHT: f32 = 0.6;

/// What the core of a promise said again counts for, against all of it.
const CORE_WEIGHT: f32 = 0.8;

/// What the sentence before a back-reference that fits ("the commitment
/// it made in Bucharest in 2019") counts for when it names the promise's
/// subject, against the sentence itself naming it.
const CONTEXT_WEIGHT: f32 = 0.5;

/// What an election told counts for, for support promised to a candidacy.
const ELECTION_WEIGHT: f32 = 0.35;

/// The reference a sentence with no report cue needs to be a report.
const CUELESS_AT: f32 = 0.5;

/// The least reference that makes a pair a candidate at all. The reranker
/// weighs each candidate among its rivals, so it is set low: 0.25 turned
/// away paraphrases the model keeps (at 0.20 the development chains gain
/// 23 links and lose 4 wrong ones; at 0.10 the rivals crowd out reports).
const REFERENCE_AT: f32 = 0.2;

/// The least confidence a report on a position or a pledge to cooperate
/// is proposed at, unless said again in so many words (on the chain
/// corpus, proposals below it were right about one time in three).
const POSITION_AT: f32 = 0.55;

/// What naming the same thing in other words adds to a reference.
const THING_WEIGHT: f32 = 0.25;

/// What a meeting at the promised place adds to a reference; as much
/// again when it has the promised number.
const PLACE_WEIGHT: f32 = 0.15;

/// Whether the sentence, about a promise one of whose parties is missing
/// from the later meeting, names another partner and not the missing one:
/// "a Reciprocal Access Agreement with the Philippines", "the
/// Japan-Australia RAA" are agreements of the same kind, not the Japan-UK
/// one.
fn names_someone_else(
    pool: &Pool<'_>,
    (i, c): (usize, &Commitment),
    sentence: &Sentence,
    topic: usize,
) -> bool {
    // A position is held towards the world, not with a partner.
    if c.kind == Kind::Stance {
        return false;
    }
    let theirs: Vec<&Party> = c.committers.iter().chain(&c.counterparts).collect();
    let partners = sentence
        .clause_partners
        .get(topic)
        .unwrap_or(&sentence.partners);
    let mut others = partners.iter().filter(|p| !theirs.contains(p));
    let unnamed = c.committers.iter().any(|p| !sentence.named.contains(p));
    // The parties the promise itself names are its own: the cooperation
    // "with Mozambique" is the Brazil-Japan promise's too.
    let in_promise = pool.named.get(&i).map_or(&[][..], Vec::as_slice);
    unnamed && others.any(|p| !in_promise.contains(p))
}

/// Why a (sentence, commitment) pair is no candidate: what `accord link
/// --explain` and the chains evaluation print for a miss.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// The commitment is settled, withdrawn, or made at or after the later meeting.
    NotTracked,
    /// Too few of the commitment's parties are at the later meeting.
    PartiesAbsent { share: f32 },
    /// The sentence names another partner, or speaks of others' dealings.
    SomeoneElse,
    /// No report cue (or tense) that fits the commitment.
    NoCue,
    /// A position or a pledge to cooperate, restated without a clear
    /// reference, or a position said to be missed or replaced.
    Position,
    /// Promised at a meeting with others, none of whom is at this one or
    /// named by the sentence.
    OtherTable { others: Vec<Party> },
    /// Too little of the commitment is said again.
    WeakReference { reference: f32, cueless: bool },
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::NotTracked => {
                f.write_str("it is not open to reports (settled, or not earlier)")
            }
            Rejection::PartiesAbsent { share } => {
                write!(
                    f,
                    "only {:.0}% of its parties are at the later meeting",
                    share * 100.0
                )
            }
            Rejection::SomeoneElse => {
                f.write_str("the sentence is about another partner's dealings")
            }
            Rejection::NoCue => f.write_str("the sentence has no report cue that fits it"),
            Rejection::Position => f.write_str(
                "a position or cooperation pledge: said again too vaguely, or said to be missed or replaced",
            ),
            Rejection::OtherTable { others } => {
                let others: Vec<&str> = others.iter().map(Party::as_str).collect();
                write!(
                    f,
                    "promised at another table (with {}), none of whom is here or named",
                    others.join(", ")
                )
            }
            Rejection::WeakReference { reference, cueless } => {
                let floor = if *cueless { CUELESS_AT } else { REFERENCE_AT };
                write!(f, "reference {reference:.2} below {floor}")?;
                f.write_str(if *cueless {
                    ", which a sentence without a report verb needs"
                } else {
                    ": too little of it is said again"
                })
            }
        }
    }
}

/// Scores one sentence against one commitment: the candidate, or why the
/// pair has none.
pub(crate) fn judge(
    later: &Later<'_>,
    pool: &Pool<'_>,
    s: usize,
    sentence: &Sentence,
    item: &(usize, &Commitment, Features),
) -> Result<Candidate, Rejection> {
    let (i, c, cf) = item;
    let sf = &sentence.features;
    let share = pool.share.get(i).copied().unwrap_or(0.0);
    let shared_names = sf.shared_names(cf);
    // A distinctive acronym ("the IPCP") may be reported by one of the
    // parties at another meeting: kept, for review.
    let acronym = shared_names
        .iter()
        .any(|n| !n.contains(' ') && pool.names.df(n) <= 3);
    // Soft: a distinctive name (an acronym or a long name few commitments
    // share) outweighs a party missing, except for a meeting, which needs
    // everyone who was to meet.
    let rare_name = c.kind != Kind::Meeting
        && shared_names
            .iter()
            .any(|n| pool.names.df(n) <= 2 && (!n.contains(' ') || n.split(' ').count() >= 3));
    if share < 0.6 && !(share >= 0.5 && acronym) && !(share > 0.0 && rare_name) {
        return Err(Rejection::PartiesAbsent { share });
    }
    // The clause that speaks of the promise: the one sharing most of its words.
    let topic = (0..sentence.clauses.len())
        .max_by_key(|&k| {
            (
                sentence.clauses[k].words.intersection(&cf.words).count(),
                std::cmp::Reverse(k),
            )
        })
        .unwrap_or(0);
    let about_others = sentence
        .clause_about_others
        .get(topic)
        .copied()
        .unwrap_or(sentence.about_others);
    // "Japan had signed a grant agreement with Côte d'Ivoire": a third
    // country's dealings, not this promise
    let in_promise = pool.named.get(i).map_or(&[][..], Vec::as_slice);
    let dealt_with = sentence
        .clause_dealt_with
        .get(topic)
        .map_or(&[][..], Vec::as_slice);
    let third = dealt_with.iter().any(|p| {
        !later.parties.contains(p)
            && !c.committers.contains(p)
            && !c.counterparts.contains(p)
            && !in_promise.contains(p)
    });
    if names_someone_else(pool, (*i, c), sentence, topic) || about_others || third {
        return Err(Rejection::SomeoneElse);
    }
    // Made at another table: even a shared name ("the Joint Economic
    // Committee", "the EPCA") is that table's own unless the sentence
    // names someone who sat at it.
    if let Some(others) = pool.elsewhere.get(i) {
        if !others.iter().any(|p| sentence.named.contains(p)) {
            return Err(Rejection::OtherTable {
                others: others.clone(),
            });
        }
    }
    let shared_words: Vec<String> = cf.words.intersection(&sf.words).cloned().collect();
    let back = sentence.back.as_ref().and_then(|b| {
        let venue = pool
            .venues
            .get(&c.document_id)
            .map_or(&[][..], Vec::as_slice);
        b.weight(c, cf, pool.last_meeting, later.parties, venue)
    });
    let local = |at: usize| locality(pool, sentence, &shared_words, &shared_names, at);
    let cue = outcome::cue(later, (c, cf), sentence, &local).ok_or(Rejection::NoCue)?;
    let here = local(cue.at);
    let cue = Cue {
        strength: cue.strength * (0.5 + 0.5 * here),
        ..cue
    };
    let kindred = cf.kindred(sf);
    let context = back
        .filter(|b| *b > 0.0)
        .and(sentence.context.as_ref())
        .map_or(0.0, |ctx| {
            let shared: Vec<String> = cf.words.intersection(&ctx.words).cloned().collect();
            CONTEXT_WEIGHT * overlap(pool, cf, ctx, &shared, &cf.kindred(ctx))
        });
    let mut reference =
        overlap(pool, cf, sf, &shared_words, &kindred) + back.unwrap_or(0.0) + context;
    let mut detail = Detail {
        overlap: reference,
        back: back.unwrap_or(0.0) + context,
        meeting_fit: 1.0,
        locality: here,
        kindred_words: kindred.len(),
        information: pool.words.weight(cf.words.iter()),
        clauses: sentence.clauses.len(),
        parties_here: share,
        extraction: c.confidence,
        context_name: !shared_names.is_empty()
            && shared_names.iter().all(|n| cf.context_names.contains(n)),
        ..Detail::default()
    };
    // "Would visit Jordan", then "his trip to Amman": a visit to the same
    // country is the visit promised.
    if !sentence.visits.is_empty()
        && pool
            .visits
            .get(i)
            .into_iter()
            .flatten()
            .any(|p| sentence.visits.contains(p))
    {
        reference += 0.35;
        detail.same_visit = true;
    }
    // "Would support Norway's candidature for a non-permanent seat", then
    // "thanked the Kingdom for its vote …, which contributed to Norway's
    // election": the election is what the support was for.
    // Support for Poland's candidacy is not what "Poland supports
    // Luxembourg's candidacy" or "congratulated Slovakia on the election"
    // speaks of, however many words they share.
    let someone_elses = pool.candidacies.get(i).is_some_and(|theirs| {
        let spoken_of = &sentence.candidates;
        !theirs.is_empty() && !spoken_of.is_empty() && !spoken_of.iter().any(|p| theirs.contains(p))
    });
    let elected = pool.candidacies.contains_key(i)
        && !someone_elses
        && elections::tells_the_election(&sentence.text, &sentence.named, in_promise);
    if elected {
        reference += ELECTION_WEIGHT;
    }
    // "Talks held in Valletta in October 2019" for "hold consultations in
    // Valletta in the autumn of 2019": a meeting where the promised one was
    // to be held is likely that one, the more so under the same number
    // ("the Third Meeting of the Mechanism", "the 3rd Policy Consultations").
    // Only a place few of the earlier promises name says which meeting:
    // the parties' capitals host most of them.
    let same_place = c.kind == Kind::Meeting
        && cf
            .places
            .intersection(&sf.places)
            .any(|p| pool.places.df(p) <= 2);
    if same_place {
        reference += PLACE_WEIGHT;
        if cf.same_ordinal(sf) {
            reference += PLACE_WEIGHT;
        }
    }
    // The same sum of money: "the €60 million programme" for "provide €60
    // million".
    if amounts::same_money(&c.text, &sentence.text) {
        reference += 0.2;
        detail.same_money = true;
    }
    // "the readmission agreement" for "an agreement on the readmission of
    // persons": one thing named two ways
    if shared_names.is_empty() && crate::things::same_thing(&cf.things, &sf.things) {
        reference += THING_WEIGHT;
        detail.same_thing = true;
    }
    if !shared_names.is_empty() {
        // A distinctive name: an acronym or a long name few candidates use.
        let rare = shared_names
            .iter()
            .any(|n| pool.names.df(n) <= 2 && (!n.contains(' ') || n.split(' ').count() >= 3));
        reference += if rare { 0.45 } else { 0.2 };
        detail.rare_name = rare;
    }
    detail.name_df = shared_names
        .iter()
        .map(|n| pool.names.df(n))
        .min()
        .map_or(-1.0, |df| df as f32);
    // A promise made to others who are not at this meeting ("contribute to
    // the NATO fund", reported at a meeting without NATO) is less likely
    // the subject.
    if !c.counterparts.is_empty() && !c.counterparts.iter().any(|p| later.parties.contains(p)) {
        reference *= 0.85;
        detail.counterparts_away = true;
    }
    // "the second round of the DTA negotiations" for "open negotiations on
    // a DTA, with a first round in 2020": a rare shared name says which
    // promise; another round of a meeting series is another meeting.
    let named_rarely = (0.0..=2.0).contains(&detail.name_df);
    if sf.ordinal_clash(cf) && (c.kind == Kind::Meeting || !named_rarely) {
        reference *= 0.3;
        detail.ordinal_clash = true;
    }
    if someone_elses {
        reference *= 0.3;
    }

    if shared_names.is_empty() && named_apart(cf, sf) {
        reference *= 0.5;
        detail.named_apart = true;
    }
    if c.kind == Kind::Meeting && shared_names.is_empty() {
        let fit = meeting_fit(
            cf,
            sf,
            &cue,
            back.is_some(),
            sentence.this_meeting,
            same_place,
        );
        reference = (reference * fit).max(reference + (fit - 1.0));
        detail.meeting_fit = fit;
    }
    // "Welcomed the signing of the UK–Mongolia DTC" says nothing of "visit
    // the United Kingdom": a visit promised is met by a visit, and a
    // country's name alone is said by every sentence of the meeting.
    let visit_promised = pool.visits.get(i).is_some_and(|v| !v.is_empty());
    if visit_promised
        && shared_names.is_empty()
        && kindred.is_empty()
        && back.is_none()
        && shared_words.iter().all(|w| is_nation(w))
        && !sentence.speaks_of_a_visit()
    {
        reference = 0.0;
    }
    let reference = (reference * (0.6 + 0.4 * here)).min(1.0);
    // No report verb: only a strong reference makes the sentence a report.
    let cueless = cue.text.starts_with(aspect::MARK);
    detail.cueless = cueless;
    if reference < REFERENCE_AT || (cueless && reference < CUELESS_AT) {
        return Err(Rejection::WeakReference { reference, cueless });
    }
    let outcome = outcome::fit(cue.outcome, c);
    let mut confidence = (0.55 * reference + 0.4 * cue.strength + 0.05).clamp(0.0, 0.99);
    if cueless && reference < 0.95 {
        confidence = confidence.min(APPLY_AT - 0.05);
    }
    // Every committer at the later meeting: the parties report on their
    // own promise. Otherwise it may be about someone else's: review.
    // A step under a stance sets no status: for review.
    if share < 0.99 || (c.kind == Kind::Stance && outcome == Outcome::InProgress) {
        confidence = confidence.min(APPLY_AT - 0.05);
    }
    // A position or a pledge to cooperate touched on again ("stressed",
    // "will continue to support") is the commonest restatement in
    // readouts, and few are reports an analyst would count: only a clear
    // one is proposed, unless it is said again in so many words
    // ("reiterated NATO's full support on the abductions issue"). A
    // position is kept, dropped or acted under; it is not missed or
    // replaced. A pledge to cooperate with a deadline ("work towards the
    // launch of direct flights by 2018") is a thing to be done, as an
    // action is.
    let position = c.kind == Kind::Stance || (c.kind == Kind::Cooperation && c.due.is_none());
    let said_again = outcome == Outcome::Reaffirmed && cue.strength >= 0.75;
    let borne_out = elected && outcome == Outcome::Fulfilled;
    if position && confidence < POSITION_AT && !said_again && !borne_out
        || c.kind == Kind::Stance && matches!(outcome, Outcome::NotFulfilled | Outcome::Superseded)
    {
        return Err(Rejection::Position);
    }
    let parties: Vec<Party> = c
        .committers
        .iter()
        .chain(&c.counterparts)
        .filter(|p| later.parties.contains(p))
        .cloned()
        .collect();
    Ok(Candidate {
        sentence: s,
        commitment: *i,
        outcome,
        cue: cue.text.clone(),
        cue_strength: cue.strength,
        reference,
        confidence,
        shared_names,
        shared_words,
        back_reference: back.and(sentence.back.as_ref()).map(|b| b.text.clone()),
        parties,
        detail,
        chance: None,
    })
}

/// The share of what the sentence shares with the commitment (its rarity
/// weighted words, its names) that lies in the clause holding byte `at`: 1
/// for a sentence of one clause.
fn locality(
    pool: &Pool<'_>,
    sentence: &Sentence,
    shared: &[String],
    names: &[String],
    at: usize,
) -> f32 {
    if sentence.clauses.len() < 2 {
        return 1.0;
    }
    let clause = &sentence.clauses[clauses::at(&sentence.clauses, at)];
    let name_words: Vec<String> = names
        .iter()
        .flat_map(|n| n.split(' ').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let all = pool.words.weight(shared.iter().chain(&name_words));
    if all <= 0.0 {
        return 1.0;
    }
    let here = pool.words.weight(
        shared
            .iter()
            .chain(&name_words)
            .filter(|w| clause.words.contains(*w)),
    );
    (here / all).clamp(0.0, 1.0)
}

/// How much of the commitment the sentence says again: its words (weighted
/// by rarity), and its word pairs.
fn overlap(
    pool: &Pool<'_>,
    cf: &Features,
    sf: &Features,
    shared: &[String],
    kindred: &[String],
) -> f32 {
    let said = pool.words.weight(shared.iter()) + KIN_WEIGHT * pool.words.weight(kindred.iter());
    let coverage = said / pool.words.weight(cf.words.iter()).max(1e-3);
    let pairs = pool.pairs.weight(cf.pairs.intersection(&sf.pairs))
        / pool.pairs.weight(cf.pairs.iter()).max(1e-3);
    // A commitment of few words is covered by chance ("visit the Republic of
    // Korea"); many rare words shared are evidence however long it is.
    let information = pool.words.weight(cf.words.iter());
    let reliable = (0.4 + information / 20.0).min(1.0);
    let rare = (pool
        .words
        .rare_weight(shared.iter().filter(|w| !is_nation(w)))
        + KIN_WEIGHT * pool.words.rare_weight(kindred.iter()))
        / 6.0;
    // The promise's core said again, however long its elaboration.
    let core = pool
        .words
        .weight(cf.core.iter().filter(|w| sf.words.contains(*w)))
        / pool.words.weight(cf.core.iter()).max(1e-3);
    let core = if cf.core.len() >= 3 {
        CORE_WEIGHT * core
    } else {
        0.0
    };
    0.6 * (coverage.min(1.0) * reliable).max(rare.min(1.0)).max(core) + 0.25 * pairs.min(1.0)
}

/// How well a sentence fits a meeting promise it names no instrument of:
/// another kind of meeting ("held a summit meeting" for "hold the second
/// 2+2") does not; the readout of the very meeting promised does best ("the
/// Summit took place in Beijing today" for "the next Summit would be held
/// in China"); a bare "met" with no meeting noun in common is weak — unless
/// it was where the promised meeting was to be (`same_place`).
fn meeting_fit(
    cf: &Features,
    sf: &Features,
    cue: &Cue,
    back: bool,
    this_meeting: bool,
    same_place: bool,
) -> f32 {
    let meetings = |f: &Features| -> BTreeSet<&'static str> {
        f.heads
            .iter()
            .copied()
            .filter(|h| {
                class_of(h) == Some(Class::Meeting)
                    && !matches!(*h, "meeting" | "round" | "session" | "format")
            })
            .collect()
    };
    let (ours, theirs) = (meetings(cf), meetings(sf));
    let common = !ours.is_disjoint(&theirs);
    if !ours.is_empty() && !theirs.is_empty() && !common && !same_place {
        return 0.5;
    }
    match cue.outcome {
        Outcome::Fulfilled if common && this_meeting && !named_apart(cf, sf) => 1.3,
        Outcome::Fulfilled if !common && !back && !same_place && cue.strength <= 0.6 => 0.6,
        _ => 1.0,
    }
}

/// Whether the two name different things of one kind: "the ASEAN Summit"
/// and "the North American Leaders' Summit", "the Renewable Energy
/// Partnership" and "the Critical Minerals Investment Partnership".
fn named_apart(cf: &Features, sf: &Features) -> bool {
    let head = |n: &str| name_head(n).map(str::to_owned);
    cf.names
        .iter()
        .filter(|n| n.contains(' ') && head(n).is_some())
        .any(|ours| {
            let theirs: Vec<&String> = sf
                .names
                .iter()
                .filter(|t| t.contains(' ') && head(t) == head(ours))
                .collect();
            !theirs.is_empty()
                && theirs.iter().all(|t| {
                    let (a, b): (BTreeSet<&str>, BTreeSet<&str>) =
                        (ours.split(' ').collect(), t.split(' ').collect());
                    !a.is_subset(&b) && !b.is_subset(&a)
                })
        })
}
