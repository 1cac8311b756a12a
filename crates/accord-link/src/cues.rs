//! Report cues: the words by which a later readout says what became of an
//! earlier promise. Each cue names an [`Outcome`]; a sentence's outcome is
//! its strongest cue, where negative news (reversed, not fulfilled) outranks
//! replacement, which outranks completion, progress and reaffirmation.

use regex::Regex;
use std::sync::LazyLock;

/// What a later readout reports about an earlier commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Reaffirmed,
    InProgress,
    Fulfilled,
    Superseded,
    NotFulfilled,
    Reversed,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Fulfilled,
        Outcome::InProgress,
        Outcome::Reaffirmed,
        Outcome::Superseded,
        Outcome::NotFulfilled,
        Outcome::Reversed,
    ];

    /// The name used in the chain corpus and in evidence signals.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fulfilled => "fulfilled",
            Outcome::InProgress => "in_progress",
            Outcome::Reaffirmed => "reaffirmed",
            Outcome::Superseded => "superseded",
            Outcome::NotFulfilled => "not_fulfilled",
            Outcome::Reversed => "reversed",
        }
    }

    pub fn parse(raw: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

/// A cue found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub outcome: Outcome,
    /// How clearly it reports an outcome, 0..1.
    pub strength: f32,
    /// The matched words.
    pub text: String,
    /// Byte offset of the match in the sentence.
    pub at: usize,
}

struct Rule {
    pattern: Regex,
    outcome: Outcome,
    strength: f32,
}

/// The strength of a restatement cue ("said that Germany would support"):
/// a stance said again is reaffirmed; a deliverable promised again is not
/// reported on.
pub(crate) const RESTATED: f32 = 0.45;

/// Nouns for a promise itself: "honoured the pledge", "kept its commitments".
pub(crate) const PROMISES: &str = "pledges?|promises?|commitments?|assurances?|undertakings?";

/// The nouns for a candidacy: what support is promised for, and what a
/// later readout says was won or is still supported.
pub(crate) const CANDIDACIES: &str = "candidacy|candidature|bid";

const DONE: &str = "completed|concluded|finali[sz]ed|signed|adopted|launched|delivered|established|opened|held|convened|ratified|implemented|achieved|inaugurated|conducted|deployed|dispatched|carried out|set up|created|published|released|reached|met|operationali[sz]ed|commissioned|handed over|hosted|organi[sz]ed|staged|posted|assigned|paid|disbursed|provided|normali[sz]ed|restored|resumed|reopened|introduced|rolled out|put in place|enacted|approved|endorsed|transferred";

#[rustfmt::skip]
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |p: &str, outcome, strength| Rule {
        pattern: Regex::new(&format!("(?i){p}")).expect("valid cue"),
        outcome,
        strength,
    };
    use Outcome::*;
    vec![
        // Reversed: suspended, withdrawn, cancelled.
        rule(r"\b(had|has|have|was|were) (forced |obliged )?to (withdraw|cancel|call off|abandon|suspend|halt|terminate|scrap)\b", Reversed, 0.85),
        rule(r"\b(suspended|suspending|suspension of|suspends|suspend)\b", Reversed, 0.9),
        rule(r"\b(paused|pausing|pauses|put on pause)\b", Reversed, 0.85),
        rule(r"\b(decision|decided|decides|chose|move)\b[^.;]{0,90}?\bto (end|terminate|cancel|scrap|abandon|withdraw|suspend|halt|pause|discontinue|exit)\b", Reversed, 0.85),
        rule(r"\b(withdrew|withdrawn|withdrawal|withdrawing|withdraws|pulled out|exited|reneged on|walked away from|backed out of)\b", Reversed, 0.9),
        rule(r"\b(wound up|winding up|wound down|closed down|shut down|(was|were|had been|has been) (ended|closed|axed|dropped))\b", Reversed, 0.85),
        rule(r"\b(cancell?ed|cancell?ation|called off|scrapped|abandoned|terminated|termination of|revoked|rescinded|discontinued|halted)\b", Reversed, 0.9),
        rule(r"\b(put|placed|puts|putting)\b[^.;]{0,80}?\bon hold\b|\b(remains?|remained|is|was|were|are) on hold\b", Reversed, 0.85),
        rule(r"\bdecided (\S+ ){0,3}?not to (proceed|pursue|go ahead|continue|renew|extend|buy|purchase|acquire|ratify|sign|hold|host|launch|open|establish|organi[sz]e)\b", Reversed, 0.9),
        rule(r"\b(postponed|deferred|shelved|put off) (indefinitely|until further notice)\b|\bindefinitely (postponed|deferred)\b", Reversed, 0.9),
        rule(r"\b(re-?introduced|re-?imposed|reinstated) (the |a |its |their )?[\w -]{0,30}?(requirement|restriction|ban|tariff|duty|duties|quota|control|check)s?\b", Reversed, 0.8),
        rule(r"\b(requirement|restriction|ban|tariff|duty|duties|quota|control)s? [\w ]{0,30}?(re-?introduced|re-?imposed|reinstated)\b", Reversed, 0.8),
        rule(r"\b(frozen|froze|reversed|no longer (take|taking|participate|participating|pursue|pursuing))\b", Reversed, 0.8),
        rule(r"\bno (new |further )(commitments|funds|funding|projects|disbursements|loans|grants) (will|would|are to|is to|can) be (made|approved|provided|financed|given|signed)\b", Reversed, 0.8),
        rule(r"\b(is|are|was|were) no longer to (be|go ahead|take place)\b", Reversed, 0.85),
        rule(r"\b(will|would|shall) not (proceed|go ahead) with\b|\b(will|would) not be pursued\b", Reversed, 0.85),
        rule(r"\b(will|would) now (only )?(take place|be held|be convened)\b", NotFulfilled, 0.8),
        rule(r"\b(broken off|broke off|dissolved|dismantled)\b|\b(will|would|is|are|was|were) no longer (go ahead|going ahead|proceed|proceeding|be pursued|be provided|be funded)\b", Reversed, 0.9),
        rule(r"\b(had been|has been|have been|was|were|is|are) (set aside|shelved|put aside)\b|\b(stopped|ended|ceased|halted) (its|their|his|her) (support|funding|financing|participation|contribution)\b", Reversed, 0.85),
        rule(r"\b(remain|remains|remained|would remain|will remain) (paused|suspended|frozen)\b|\b(was|were|has been|have been|had been|is|are) paused\b", Reversed, 0.85),
        rule(r"\b(agreed|decided|chose|resolved) (\S+ ){0,3}?not to (proceed|pursue|go ahead|continue|renew|extend|resume)\b", Reversed, 0.85),
        // Not fulfilled: missed, stalled, not possible.
        rule(r"\b(ran|runs|run|running) counter to\b|\bcontrary to (the|its|their|what|this)\b", NotFulfilled, 0.8),
        rule(r"\b(had|has|have|was|were|is|are) (still|yet) not (yet )?(been )?(\w+ed|paid|held|met|done|made|given|built|sent|begun|paid out)\b|\b(was|were|is|are) (supposed |meant |due |expected |scheduled )?to have (been )?(\w+ed|held|met|paid|begun|made|sent|built|done)\b", NotFulfilled, 0.85),
        rule(r"\b(would|will|is likely to|are likely to) (slip|be delayed|be postponed|take longer|not be (ready|completed|finished|met))\b|\b(slip|slips|slipped|slipping) (into|to|past|beyond)\b", NotFulfilled, 0.8),
        rule(r"\b(had|has|have|was|were) not (yet )?been (possible|able|completed|concluded|finali[sz]ed|achieved|met|held|signed|implemented|reached|delivered|launched|established|realised|realized|convened|ratified)\b", NotFulfilled, 0.9),
        rule(r"\bnot (been )?possible to\b|\b(could|did|would) not (be )?(conclude|complete|finali[sz]e|meet|hold|reach|sign|deliver|launch|organi[sz]e|arrange|be (completed|concluded|held|convened|met|reached|signed))|\b(could|would) not be (organi[sz]ed|arranged|implemented|carried out|launched|delivered|opened|established)\b", NotFulfilled, 0.9),
        rule(r"\b(did|has|have|had|could|would) not (yet )?(take place|taken place|happen|happened|materiali[sz]ed?|go ahead|gone ahead|proceed|proceeded)\b|\b(was|were) not held\b", NotFulfilled, 0.9),
        rule(r"\b(had|has|have|did) not (yet )?(held|hold|met|meet|convened|convene)\b|\b(has|have|had) (been )?(moved|postponed|pushed back|rescheduled|deferred) (to|until|into)\b", NotFulfilled, 0.9),
        rule(r"\b(well |far |still )?(below|short of) (the |its |their |our )?(\w+ )?(target|goal|objective|aim)\b|\bno [\w -]{0,40}? (had|has|have) (yet )?been (held|convened|signed|concluded|completed|adopted|launched|established)\b|\byet to be (carried out|implemented|realised|realized|held|put in place)\b", NotFulfilled, 0.85),
        rule(r"\b(has|have|had) not (yet )?(set up|established|opened|launched|signed|concluded|completed|delivered|paid|disbursed|implemented|created|adopted|started|begun)\b|\bnot yet (been )?(put into practice|put into effect|realised|realized)\b|\byet to be met\b", NotFulfilled, 0.85),
        rule(r"\bstill (did|do|does) not\b", NotFulfilled, 0.75),
        rule(r"\b(is|are|was|were) not yet in (service|operation|force|place)\b|\bshort of the (figure|number|level|amount|sum|doubling|tripling)\b|\bbelow the [\d,.]+ (originally |initially )?(planned|promised|pledged|announced|targeted|envisaged|foreseen)\b", NotFulfilled, 0.85),
        rule(r"\b(has|have|had) not (yet )?(produced|yielded|resulted in|led to)\b", NotFulfilled, 0.75),
        rule(r"\b(failed|unable) to\b|\b(fell|fallen|falls|falling|well|far|still|remains?|remained) short\b|\bmissed\b|\bbehind schedule\b", NotFulfilled, 0.85),
        rule(r"\b(had|have) (aimed|intended|set out|planned|hoped|expected|sought|meant|been due|been scheduled|been expected) to\b[^.;]{0,120}?\b(still|not yet|yet to|never|no longer)\b", NotFulfilled, 0.85),
        rule(r"\b(no|little|limited|slow|insufficient|lack of|without) (real |meaningful |substantive |further )?progress\b", NotFulfilled, 0.8),
        rule(r"\b(stalled|deadlocked|at an impasse|stuck)\b", NotFulfilled, 0.8),
        rule(r"\b(remains?|remained|left|is still|was still|are still|were still) (unfinished|incomplete|unresolved|unmet|pending|outstanding|unrealised|unrealized|unimplemented)\b", NotFulfilled, 0.8),
        rule(r"\bnot yet (been )?(completed|concluded|finali[sz]ed|reached|met|signed|ratified|held|launched|implemented|operational|in place)\b|\byet to (be )?(complete|conclude|finali[sz]e|reach|meet|sign|ratify|hold|launch|implement|start|begin|materiali[sz]e|convened?|held|paid|delivered|disbursed|established|opened|set up|open|operate|enter into force)", NotFulfilled, 0.85),
        rule(r"\bregrett?ed (that|the (delay|lack|failure|slow))\b|\bexpressed (disappointment|regret)\b", NotFulfilled, 0.7),
        rule(r"\b(has|have|had) never (taken place|been held|materiali[sz]ed|happened|been (signed|opened|established|set up|appointed|delivered|launched))\b", NotFulfilled, 0.9),
        rule(r"\b(has|have|had|is|are|was|were) yet to\b", NotFulfilled, 0.8),
        rule(r"\b(will|would) not be (reached|achieved|attained)\b", NotFulfilled, 0.85),
        rule(r"\b(delayed|postponed|slipped|deferred)\b", NotFulfilled, 0.55),
        // Superseded: a new instrument, target or date in place of the old.
        rule(r"\b(replaces?|replaced|replacing|supersedes?|superseded|superseding|succeeds|succeeded|successor (to|of)|in place of|instead of|takes over from|took over from|(take|takes|took|taking) over the (functions|role|tasks|remit)|subsumed|folded into|merged into|(take|takes|took|taking) the place of|in lieu of)\b", Superseded, 0.85),
        rule(r"\binstead\b", Superseded, 0.75),
        rule(r"\b(incorporates|incorporated|incorporating|absorbs|absorbed|absorbing|encompasses|subsumes)\b (the |its |their )?(planned|proposed|envisaged|earlier|previous|separate|original)\b|\b(will|would) not (go ahead|continue|proceed|be held|take place) as (a |an )?(separate|stand-alone|standalone|distinct)\b", Superseded, 0.85),
        rule(r"\b(adjust|adjusted|adjusting|revise|revised|revising|amend|amended|amending|modify|modified|renegotiate|renegotiated|reduce|reduced|lower|lowered|scale back|scaled back|extend|extended|extending|reschedule|rescheduled)\b (the |its |their |our |\w+'s )?(\w+ ){0,3}?(share|target|amount|contribution|deadline|timeline|timetable|cost|costs|period|date|schedule|goal|ceiling|payment)s?\b", Superseded, 0.75),
        rule(r"\b(fold|folds|folded|folding|merge|merged|merging|integrate|integrated|integrating|subsume)\b[^.;]{0,100}?\binto\b", Superseded, 0.8),
        rule(r"\b(revis(e|ed|es|ing)|replac(e|ed|ing)|extend(ed|ing)?|push(ed|ing)? back|mov(e|ed|ing)|reset(ting)?|adjust(ed|ing)?|chang(e|ed|ing)) (the|its|their|our) (earlier |original |previous |initial )?(target|deadline|timeline|timetable|target date|date)\b|\b(revised|new|updated|later) (target|deadline|timeline|timetable|target date) of\b", Superseded, 0.85),
        rule(r"\b(will|would|is to|are to) (now )?be (financed|funded|provided|delivered|taken forward|handled|implemented|carried out|pursued|covered) (under|through|via|by|within) (a|an|the) (new|broader|wider|separate|larger|single)\b|\b(will|would) now be (financed|funded|provided|delivered|taken forward|handled|implemented|carried out|pursued|covered) (under|through|via|by|within)\b", Superseded, 0.8),
        rule(r"\b(transformed|converted|turned|upgraded|expanded|developed) into (a|an) (broader|wider|new|larger|single|fully-fledged|full-fledged)\b", Superseded, 0.8),
        rule(r"\binto which\b[^.;]{0,80}?\b(merged|folded|integrated|absorbed|incorporated)\b|\b(rolled|rolled up) into\b", Superseded, 0.8),
        rule(r"\b(will|would) (now )?become part of (a|an|the) (new|broader|wider|single)\b|\bbecame part of (a|an|the) (new|broader|wider|single)\b", Superseded, 0.8),
        rule(r"\bnow (falls?|comes?) (under|within)\b|\b(will|would) now (continue|be pursued|proceed) (within|under|as part of|through)\b", Superseded, 0.8),
        // "the status of the schools would be addressed within a comprehensive
        // Declaration of Intent"
        rule(r"\b(will|would) (henceforth |now |instead )?be (addressed|dealt with|handled|covered|taken up|pursued) (within|under|as part of|in the framework of)\b", Superseded, 0.8),
        rule(r"\brather than\b", Superseded, 0.6),
        rule(r"\b(will|would) not (appoint|establish|create|set up|open|hold|launch) (a |an )?(separate|stand-alone|standalone|distinct|dedicated)\b", Superseded, 0.85),
        rule(r"\b(takes?|took|taking) (forward|over) (the )?work (previously |formerly )?(carried out|done|conducted|undertaken) (under|by|in)\b|\boriginally (foreseen|planned|scheduled|envisaged|intended|due|expected)\b[^.;]{0,60}?\b(will now|would now|now|instead)\b", Superseded, 0.85),
        rule(r"\b(overtaken|absorbed|superseded|eclipsed) by\b|\b(absorbed|incorporated|subsumed) into\b|\b(gave|give|gives|giving) way to\b|\b(will|would) (now )?be (taken|carried) forward (as part of|under|within|through|in the)\b|\b(has|have|had) (since |now )?become (one |a )?(strand|part|pillar|component|track|element)s? of\b", Superseded, 0.85),
        rule(r"\b(upgraded|elevated|raised) (the|their|our|its|bilateral)?\s?[\w -]{0,40}\bto (a|an|the) (new |higher |)?[\w -]{0,30}(partnership|level|framework|agreement|status)\b", Superseded, 0.7),
        // Fulfilled: done, held, in force.
        rule(r"\b(assessed positively|positively assessed|witnessed|attended|highlighted|highlighting|welcomed|welcoming|noted|noting|took note of|celebrated|celebrating|hailed|marked|marking|commended|commending|appreciated|praised|acknowledged|recalled|expressed (appreciation|gratitude|satisfaction) (for|at|with)|thanked \w+ for) (in (this|that) (regard|context|respect),? |in particular,? |also |further )?(with (satisfaction|appreciation) )?(the |their |its )?(successful |timely |recent |smooth |early |formal |operational |official |full |substantial |high-level |active )?(completion|participation|attendance|conclusion|finali[sz]ation|signing|signature|adoption|entry into force|launch|launching|establishment|opening|inauguration|holding|hosting|conduct|staging|convening|ratification|delivery|implementation|achievement|commissioning|deployment|dispatch|operationali[sz]ation|realisation|realization|publication|resumption|normali[sz]ation|restoration|appointment|nomination|designation|arrival|release|transfer|handover|return|restitution|repatriation|disbursement|accession|activation|(first |successful )?visit|first (meeting|round|session)|(meeting|session|round) of)\b", Fulfilled, 0.9),
        rule(&format!( r"\b(was|were|(?:has|have|had)(?: already| now)? been|is now|are now) (successfully |formally |finally |duly |now |recently |fully |already )?({DONE}|contracted|allocated|earmarked|transferred|appointed)\b"),
            Fulfilled,
            0.85,
        ),
        rule(&format!( r"\b(has|have|had) (now |already |successfully |recently |formally |finally |fully )?({DONE}|contracted|allocated|earmarked|transferred|appointed)\b"),
            Fulfilled,
            0.75,
        ),
        rule(r"\b(has|have|had|was|were) (now |already )?(been )?fully (committed|disbursed|spent|allocated|used)\b", Fulfilled, 0.85),
        rule(r"\b(realises|realizes|realised|realized|fulfils|fulfills|delivers on|delivered on)\b|\b(highlighted|noted|welcomed|praised|hailed) the success of\b", Fulfilled, 0.8),
        rule(&format!(r"\b(was|were|had been|has been|have been) (exceeded|surpassed)\b|\b(exceeded|surpassed) (the|its|their) (target|goal|objective)\b|\b(honou?r(ed|ing)|kept|keeping|delivered on)\b[^.;]{{0,25}}?\b(the|its|their|his|her) ({PROMISES})\b"), Fulfilled, 0.85),
        rule(r"\b(is|are|was|were) now (complete|completed|finished|in operation|functioning|fully operational)\b|\b(started|began|commenced) operations?\b", Fulfilled, 0.85),
        // "the abolition of visa requirements, effective since 1 January
        // 2020"; "the mission had begun its work in September"
        rule(r"\b(effective|applicable|applied) (since|from|as of) (\d|the|January|February|March|April|May|June|July|August|September|October|November|December)|\b(began|begun|started|commenced) (its |their )?(work|functioning|activities|activity)\b", Fulfilled, 0.85),
        rule(r"\b(entered|enters|came|come|comes) into (force|effect|operation)\b|\bbecame (operational|effective)\b|\bnow (in place|operational|in force|up and running)\b|\btook place\b|\bwent ahead\b|\bin (force|effect|operation) since\b|\b(has|have) been (fully )?(operational|in operation|functioning) since\b|\bwent live\b|\b(has|have) been (operating|running|based|active|open|working)\b[^.;]{0,40}?\bsince\b", Fulfilled, 0.9),
        // "the weekly freighter service, operating since October 2018"; "comes
        // days after the signing of the EVFTA"
        rule(r"\b(operating|running|operational) since\b|\b(after|following) the (signing|signature|entry into force|opening|launch|adoption|conclusion|ratification|inauguration) of\b", Fulfilled, 0.8),
        // "The highlight of the visit was the signing, on 17 February, of"
        rule(r"\b(was|were|included|saw) the (signing|signature|opening|inauguration|launch|adoption|conclusion)\b", Fulfilled, 0.8),
        // A candidate elected: "congratulated Kenya on its election to the
        // Security Council", "thanked Jamaica for its support in the
        // election", "Tajikistan had voted for Ireland", "thanked the Kingdom
        // for its vote in June 2020, which contributed to Norway's election".
        rule(&format!(r"\b(congratulated|congratulating|congratulations to)\b[^.;]{{0,60}}?\bon (its|the|his|her|their) (successful )?(election|selection|membership)\b|\b(became|was|were)\b[^.;]{{0,60}}?\bto be (elected|selected)\b|\b(its|their|\w+'s) votes? (in|of|last)\b[^.;]{{0,60}}?\b(contributed to|led to|helped|secured|ensured)\b[^.;]{{0,30}}?\belection\b|\b(was|were|been|being) (elected|selected)\b|\belection of \w+ (to|as)\b|\b(support|backing|vote|votes)\b[^.;]{{0,40}}?\b(in|at) the (\w+ ){{0,4}}?elections?\b|\bvoted (for|in favour of)\b|\bvote in (favour|support) of\b|\bsuccessful ({CANDIDACIES})\b|\b(bore|borne) fruit\b|\bcrowned with success\b"), Fulfilled, 0.85),
        // Opening the sentence, not inside a back-reference ("the goal set
        // during the state visit").
        rule(r"(^|; )\s*(during|on the occasion of|in the course of) (the|his|her|their) (first |official |state |working |bilateral )*visit\b", Fulfilled, 0.8),
        rule(r"\b(has|have|had) (now )?(met|convened)\b|\bfirst met\b|\bmet (for the first time|twice|three times|\w+ times)\b|\bsince (its|their) (launch|establishment|inception|creation|entry into force|signing|opening)\b", Fulfilled, 0.8),
        rule(r"\bnow (extends?|covers?|includes?|operates?|serves?|reaches?|spans?|connects?)\b", Fulfilled, 0.75),
        rule(r"\b(welcomed|welcoming|noted|appreciated|acknowledged|commended|thanked)\b[^.;]{0,40}?\bcontributions? (of|to|worth)\b|\bwhich (have|has) (funded|financed|equipped|trained|helped)\b", Fulfilled, 0.8),
        rule(r"\b(agreed|adopted|endorsed|approved) (at|in|during) (the |their )?([A-Z]|last\b|(19|20)\d\d)", Fulfilled, 0.65),
        rule(r"\b(fully )?(completed|concluded|finali[sz]ed|signed|adopted|approved|endorsed|ratified|inaugurated|convened|delivered|launched|opened|established|held|hosted|implemented|achieved|normali[sz]ed|resumed|restored|reopened|co-chaired|gathered)\b", Fulfilled, 0.6),
        rule(r"\b(provided|contributed|disbursed|donated)\b", Fulfilled, 0.55),
        rule(r"\b(visited|visiting|paid (a|an|his|her) (official |state |working )?visit|met|meeting with|talks with|held (a |their )?(meeting|talks|summit|consultations|dialogue))\b", Fulfilled, 0.5),
        rule(r"\b(welcomed|welcoming|thanked|appreciated|noted|commended)\b[^.;]{0,60}?\battendance (at|in)\b", Fulfilled, 0.85),
        rule(r"\b(was|were|has been|have been|had been) (raised|increased|expanded|doubled|tripled) to\b|\b(was|were|has been|have been|had been) (doubled|tripled)\b|\b(was|were|has been|have been|had been) included in\b", Fulfilled, 0.75),
        // In progress.
        rule(r"\b(continues|continued|continuing|continue) (its |their |the )?(discussions|talks|negotiations|consultations|dialogue|work) (with|on)\b", InProgress, 0.85),
        rule(r"\b(will|is expected to|are expected to|is due to|are due to|is set to|are set to|is scheduled to)\s+(\w+\s+)?(be )?(enter into force|come into force|take effect|signed|ratified|concluded|completed|finali[sz]ed|operational)\b", InProgress, 0.93),
        rule(r"\b(identification|selection|approval|award|disbursement|implementation|delivery|financing|funding) of\b[^.;]{0,80}?\bunder (the|its|this)\b", InProgress, 0.8),
        rule(r"\b(welcomed|welcoming|noted|noting|took note of|reviewed|reviewing|took stock of|taking stock of|acknowledged|appreciated) (with (satisfaction|appreciation) )?(the )?(good |steady |significant |substantial |considerable |continued |encouraging |ongoing |positive )?(progress|advances|headway|ongoing work|work under ?way|steps taken|efforts|momentum|first (phase|stage|steps))\b", InProgress, 0.85),
        rule(r"\b(launch|start|commencement|opening|beginning) of (formal |the |official )?(negotiations|talks)\b|\b(rounds?|sessions?) of [\w -]{0,30}?(negotiations|talks)\b", InProgress, 0.92),
        rule(r"\b(held|completed|concluded|had) (\w+ ){0,2}?(rounds|sessions)\b", InProgress, 0.92),
        // "four rounds had been held", "advanced through three rounds", "the
        // study group had held three meetings": steps of work still open
        // "negotiations … a third round was held in Tunis", "the third round
        // of which was held": a round of talks is a step, not the deal
        rule(r"\b(negotiations?|talks|negotiating)\b[^.;]{0,120}?\bround\b[^.;]{0,40}?\bheld\b|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\w+teenth|\d+(st|nd|rd|th)) negotiating round\b", InProgress, 0.93),
        rule(r"\b(is|are|was|were) (now )?in (its|their) (first|second|third|fourth|fifth) (year|phase|stage)\b|\b(is|are|was|were) (now |still )?in the (design|planning|tendering|procurement|construction|implementation) (phase|stage)\b", InProgress, 0.85),
        rule(r"\b(is|are|was|were) (now )?(under construction|under way|underway)\b|\b(negotiations?|talks|discussions)\b[^.;]{0,60}?\b(continued|continue|continues|are continuing|is continuing|were continuing)\b", InProgress, 0.9),
        rule(r"\b(rounds|sessions) (had|have|has) (now |so far |already )?been held\b|\bthrough (\w+ ){0,2}?rounds\b|\bhad held (\w+ ){0,2}?meetings\b|\bnearing (completion|conclusion|finali[sz]ation)\b", InProgress, 0.92),
        // numbers moving toward a target: "has risen from 60 to 110", "now
        // number more than 1,700", "stands at 350", "reached 2,100"
        rule(r"\b(has |have |had )?(risen|rose|grown|grew|climbed|increased) (from [\d,.]+ )?to (more than |over |some |about |around )?[\d,.]+\b|\bnow numbers? (more than |over |some |about |around )?[\d,.]+\b|\b(stands?|stood) at [\d,.]+\b|\breached [\d,.]+\b", InProgress, 0.7),
        rule(r"\b(continued|ongoing) (talks|work|discussions|negotiations|consultations)\b|\b(remains?|remained) under (final |further )?(coordination|negotiation|discussion|review|consideration|preparation)\b", InProgress, 0.7),
        // A text agreed and on its way to signature: "agreed ad referendum",
        // "was initialled", "is undergoing domestic approval procedures",
        // "harmonised at expert level".
        rule(r"\b(agreed|negotiated) ad referendum\b|\b(was|were|been|being) initial(l)?ed\b|\b(undergoing|going through|undergo|final stages? of)\b[^.;]{0,20}?\b(internal|domestic|national)\b[^.;]{0,20}?\bprocedures\b|\b(agreed|harmoni[sz]ed|finali[sz]ed) at (the )?expert level\b", InProgress, 0.8),
        // A programme running: "41 Comorian students have been admitted to
        // Congolese universities since the 2018–2019 academic year",
        // "fifteen students have studied in Serbia since 2018".
        rule(r"\b(has|have) (been )?(studied|trained|admitted|enrolled|graduated|benefited|benefitted|participated|taken part|awarded|placed|hosted|received)\b[^.;]{0,80}?\bsince\b", InProgress, 0.75),
        // "updated New Zealand on preparations to establish a resident mission"
        rule(r"\bpreparations (to|for) (establish|open|set up|launch|hold|host|convene|sign|conclude|the (establishment|opening|launch|holding|signing))\b", InProgress, 0.7),
        // "welcomed the preparations by Business Sweden to establish its office"
        rule(r"\b(welcomed|welcoming|noted|noting|appreciated|reviewed) (the )?(ongoing |advanced |active )?preparations (by|for|of)\b", InProgress, 0.75),
        rule(r"\b(ready for signature|well advanced|(has|have|had) (been drafted|progressed)|already committed)\b", InProgress, 0.75),
        // A part delivered: outranks the completion of that part.
        rule(r"\b(first|second|third|initial) (consignment|tranche|batch|shipment|instal+ment|disbursement|deliver(y|ies)|phase|stage|reading)s?\b|\bthe first of\b", InProgress, 0.95),
        rule(r"\b(completed|concluded|finished|finali[sz]ed)\b (the |its |their |a )?(preliminary|initial|pilot|design|preparatory|scoping|feasibility|pre-feasibility|first)( [\w-]+)? (phase|stage|study|studies|round|work)\b", InProgress, 0.95),
        rule(r"\b(well |firmly )?on (the way|course|track) (to|towards?)\b|\b(close to|nearly|almost|more than|over|about) (half|a third|two-thirds|a quarter|three-quarters)\b|\b(accelerate|speed up|step up|advance|press ahead with) (the )?(work|efforts|progress) (on|towards?)\b", InProgress, 0.7),
        rule(r"\b(important|significant|major|key|first|concrete|further|decisive|an?) (step|steps|milestone)s? (towards?|in)\b", InProgress, 0.7),
        rule(r"\b(is|are|was|were|remains?|remained) still (under|being|awaiting|pending|in)\b|\bstill (under negotiation|being negotiated|under discussion|under consideration|under review|awaiting|pending)\b", InProgress, 0.7),
        rule(r"\b(is|are|was|were) (now |still )?(continuing|funding|financing|implementing|building|developing|supporting|delivering|training|constructing|preparing|negotiating|working on|rolling out)\b", InProgress, 0.65),
        rule(r"\b(is|are|was|were) (now |still )?being (finali[sz]ed|disbursed|implemented|prepared|negotiated|drafted|built|constructed|set up|established|rolled out|deployed|delivered|processed|completed)\b", InProgress, 0.9),
        rule(r"\b(made|taken|undertaken|carried out|funded|financed|identified|selected|approved|awarded|trained|implemented|disbursed|agreed|contracted|committed|signed|launched|allocated) under (the|its|this|that)\b|\bso far\b|\bto date\b|\bthus far\b|\bthe first of\b", InProgress, 0.8),
        rule(r"\b(progress|progressing|proceeding|under ?way|ongoing|on track|on schedule|advancing|in the process of|in train|moving forward|first (phase|stage|tranche|steps?)|partially|initial (phase|stage)|negotiations (are|were|continue|continued))\b", InProgress, 0.6),
        rule(r"\b(continues|continue|goes on|go on|carries on|carry on)(\.|,|;|:|$| and\b| but\b)", InProgress, 0.65),
        rule(r"\b(is|are|was|were|now) under construction\b|\b(took|taking|take) stock of\b", InProgress, 0.65),
        rule(r"\b(at an|at a|in an|in a|in the|at the|in its|in their) (advanced|final|late|closing|last) (stages?|phases?)\b|\b(close to|near|nearing) (completing|completion|concluding|conclusion|finali[sz]ing|finali[sz]ation|agreement|signature|signing)\b|\b(is|are|was|were|remains?|remained) (now |still )?under (final |active |detailed )?(review|consideration|discussion|negotiation|preparation)\b", InProgress, 0.75),
        rule(r"\b(is|are) (also )?due (in|to take place|to be held|to meet|later)\b", InProgress, 0.6),
        rule(r"\b(half|partly|partially|largely) (complete|completed|finished|built|done)\b|\b(further|more) (efforts|work) (was|were|is|are) (needed|required)\b|\b(steps|measures) to (implement|deliver|meet|fulfil|fulfill)\b|\b(has|have|had) (risen|increased|grown) by\b|\b(grew|rose) by \d", InProgress, 0.65),
        // "had reached an advanced stage": not "had reached" (the target)
        rule(r"\b(largely|mostly|substantially|broadly) (agreed|completed|finali[sz]ed|concluded|negotiated|drafted|done)\b|\breached (an|a|the|its) (advanced|final|late|closing) (stages?|phases?)\b", InProgress, 0.85),
        rule(r"\b(has|have|had) (begun|started|commenced|initiated)\b|\b(began|commenced|initiated|started)\b|\b(had|has|have) (taken part|participated|benefit+ed)\b", InProgress, 0.6),
        // Reaffirmed: said again.
        rule(r"\b(reaffirmed|reaffirming|reaffirms|reiterated|reiterating|reiterates|renewed|renewing|recommitted|restated|reconfirmed|re-affirmed|re-committed)\b", Reaffirmed, 0.75),
        rule(r"\b(we|they|both sides|the leaders|the two leaders|the ministers) (reaffirm|reiterate|renew|restate|recommit)\b", Reaffirmed, 0.75),
        rule(r"\b(remain|remains|remained) (a |an )?(firm|strong|steadfast|staunch|committed|reliable) (supporter|advocate|partner|backer)\b|\b(stood|stands|stand) ready to\b|\bin line with (the|their|its|our) (position|stance|commitment|principles)\b", Reaffirmed, 0.6),
        rule(r"\b(remain|remains|remained|stay|stayed) (firmly |fully |strongly |steadfastly )?(committed|dedicated)\b|\b(continued|continuing|unwavering|steadfast) (commitment|support)\b", Reaffirmed, 0.65),
        rule(r"\b(will|would|shall) (not|never) (change|waver|alter)\b|\b(repeated|renewed|restated|reiterated|gave again) (the|its|their|his|her|our) (assurance|pledge|promise|commitment|position|support|guarantee)s?\b|\b(firmly|steadfastly|consistently|still) (adheres?|supports?|opposes?|stands?|upholds?|backs?)\b", Reaffirmed, 0.7),
        rule(r"\b(keep|keeps|kept) (up|standing|supporting|backing|working)\b|\b(stand(s|ing)?|stood)\b,?( \w+,?){0,3}? by\b|\b(held|hold|holds|holding) (firmly |fast )?to (the|their|its|his|her|our) (position|stance|view|principle|commitment)s?\b", Reaffirmed, 0.65),
        rule(r"\b(would|will|shall) (remain|stay) (a |an |the )?(\w+ ){0,2}?(partner|committed|engaged|ally|friend|supporter|dedicated)\b", Reaffirmed, 0.6),
        // A position said again (kept for stances only, see `RESTATED`).
        rule(r"\b(said|stated|told|assured|affirmed)\b (\S+ ){0,4}?that (\S+ ){1,4}?(would|will)\b", Reaffirmed, RESTATED),
        rule(r"\b(underlined|underscored|stressed|emphasi[sz]ed|highlighted|confirmed)\b", Reaffirmed, 0.5),
        rule(r"\bagreed to continue (coordinating|cooperating|consulting|supporting|working together)\b", Reaffirmed, 0.7),
        rule(r"\b(continue|continued|continues|continuing) to (\w+ )?(oppose|support|condemn|call for|urge|stand|reject|uphold|back|emphasi[sz]e|underscore|stress|believe|promote|champion|respect)\b", Reaffirmed, 0.7),
        // A position said to stand: "Australia's position remains
        // unchanged", "remained as stated in previous meetings", "remains
        // a pillar of their policy"; "Poland supports Luxembourg's
        // candidacy", in the present, said of the support it promised.
        rule(&format!(r"\b(position|stance|support) (remains|remained|is|was) (unchanged|unaltered|as stated|the same)\b|\b(remains|remained) as (stated|expressed|agreed)\b|\b(remains?|remained) (a|the) (key |top |central |main |firm |high )?(priority|pillar)\b|\b(supports|backs)\b[^.;]{{0,40}}?\b({CANDIDACIES})\b"), Reaffirmed, 0.75),
    ]
});

/// Words just before a cue that make it a new promise, not a report
/// ("agreed to launch", "would hold", "will sign").
static PROMISE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(to|would|will|shall|should|could|may|might|plan to|aim to|intend to|look forward to)\s+(\w+\s+){0,1}$")
        .expect("valid")
});

/// A past obligation before a cue ("had to be postponed", "were forced to
/// cancel"): what happened, not a promise.
static PAST_OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(had|(was|were) (forced|obliged|compelled))\s+to\s+(\w+\s+){0,1}$")
        .expect("valid")
});

/// A cue that starts with its own auxiliary ("could not take place", "had
/// been held") is not the verb of a promise before it ("the Summit Canada
/// was to host could not take place").
static AUXILIARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(could|did|would|had|has|have|was|were|is|are|not|failed|unable|remains?|remained)\b").expect("valid")
});

/// A decision taken at the later meeting ("decided to put on hold", "agreed
/// to fold … into"): a report of replacement or reversal, not a promise.
static DECIDED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(agreed|decided|resolved|chose) to\s+(\w+\s+){0,1}$").expect("valid")
});

/// A negation just before a cue: "had not resumed", "never took place".
static NEGATED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(not|never|no longer|nor)\s+((yet|fully|been|be|ever|still)\s+){0,2}$")
        .expect("valid")
});

/// The outcome a sentence reports, if any: the strongest cue that is not
/// part of a new promise.
pub fn outcome_of(sentence: &str) -> Option<Cue> {
    best(all_of(sentence))
}

/// Every cue of a sentence that is not part of a new promise.
pub fn all_of(sentence: &str) -> Vec<Cue> {
    let mut out = Vec::new();
    for rule in RULES.iter() {
        for m in rule.pattern.find_iter(sentence) {
            let before = &sentence[..m.start()];
            // "would take the place of": a replacement is reported, even in
            // the future tense.
            let decided = rule.outcome == Outcome::Superseded
                || rule.outcome == Outcome::Reversed && DECIDED_BEFORE.is_match(before);
            if rule.outcome != Outcome::Reaffirmed
                && !decided
                && !AUXILIARY.is_match(m.as_str())
                && PROMISE_BEFORE.is_match(before)
                && !PAST_OBLIGATION.is_match(before)
            {
                continue;
            }
            // "had not resumed", "never took place": a completion denied.
            let denied = matches!(rule.outcome, Outcome::Fulfilled | Outcome::InProgress)
                && NEGATED_BEFORE.is_match(before);
            out.push(Cue {
                outcome: if denied {
                    Outcome::NotFulfilled
                } else {
                    rule.outcome
                },
                strength: rule.strength,
                text: m.as_str().to_owned(),
                at: m.start(),
            });
        }
    }
    out
}

/// The strongest of `cues`.
pub fn best(cues: impl IntoIterator<Item = Cue>) -> Option<Cue> {
    cues.into_iter().fold(None, |b: Option<Cue>, c| match b {
        Some(b) if !outranks(&c, &b) => Some(b),
        _ => Some(c),
    })
}

/// Strong cues first; among strong ones, negative news wins; weak cues
/// ("postponed") give way to a clear report later in the sentence ("was
/// finally held").
pub(crate) fn outranks(a: &Cue, b: &Cue) -> bool {
    let weight = |c: &Cue| {
        let rank = match c.outcome {
            Outcome::Reversed | Outcome::NotFulfilled => 3.0,
            Outcome::Superseded => 2.5,
            Outcome::Fulfilled => 2.0,
            Outcome::InProgress => 1.5,
            Outcome::Reaffirmed => 1.0,
        };
        c.strength * 4.0 + rank * 0.1
    };
    weight(a) > weight(b)
}

#[cfg(test)]
mod tests;
