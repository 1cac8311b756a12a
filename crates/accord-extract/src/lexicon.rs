//! Cue lexicons: which verbs open a reported clause, and what kind of
//! clause (intent, assessment, courtesy, appeal, ...) they open.

/// What a main verb of a sentence does to the clauses it governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VClass {
    /// agreed, concurred, decided: "to VP", "on VBG", "that X would".
    Agree,
    /// confirmed, affirmed, stressed: "that X would", or a position noun.
    Confirm,
    /// reaffirmed, reiterated: like Confirm, but what follows is a stance.
    Reaffirm,
    /// pledged, vowed, committed to, set the goal of: "to VP" / "VBG".
    Pledge,
    /// stated, said, announced, noted, shared the view: only a modal
    /// clause with a party subject makes a commitment.
    Report,
    /// Present-tense positions of a joint statement: "We oppose ...",
    /// "We support ...": the verb phrase itself is the stance.
    Stance,
    /// Opens no commitment; the reason is given for `--explain`.
    Neg(Neg),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neg {
    Courtesy,
    Concern,
    Appeal,
    Reaction,
    Discussion,
    Hope,
    PastAct,
}

impl Neg {
    pub fn reason(self) -> &'static str {
        match self {
            Neg::Courtesy => "courtesy or reaction (welcomed, thanked, congratulated)",
            Neg::Concern => "concern alone",
            Neg::Appeal => "appeal to others (called on, urged, asked, invited)",
            Neg::Reaction => "reaction (condemned, regretted)",
            Neg::Discussion => "discussion without stated intent (exchanged views, discussed)",
            Neg::Hope => "hope about another party's act",
            Neg::PastAct => "act completed at or before the meeting (signed, launched, adopted)",
        }
    }
}

/// Adverbs that may sit between a subject and its verb.
pub fn is_adverb(w: &str) -> bool {
    matches!(
        w,
        "also"
            | "further"
            | "then"
            | "jointly"
            | "once"
            | "again"
            | "strongly"
            | "firmly"
            | "fully"
            | "warmly"
            | "hereby"
            | "moreover"
            | "furthermore"
            | "therefore"
            | "thus"
            | "accordingly"
            | "finally"
            | "likewise"
            | "similarly"
            | "both"
            | "all"
            | "each"
            | "together"
            | "subsequently"
            | "additionally"
            | "duly"
            | "readily"
            | "unanimously"
            | "formally"
            | "publicly"
            | "explicitly"
            | "clearly"
            | "repeatedly"
            | "specifically"
            | "particularly"
            | "in"
            | "turn"
            | "today"
            | "yesterday"
            | "earlier"
            | "later"
            | "separately"
            | "too"
            | "newly"
            | "broadly"
            | "closely"
            | "not"
            | "never"
            | "still"
            | "always"
            | "now"
            | "currently"
            | "already"
    )
}

/// Match a main verb (possibly several words) at `i`. Returns its length in
/// tokens and class. `present` is true for present-tense forms ("we agree"),
/// which need an explicit subject right before them.
/// Whether a sum of money follows: "15 million", "$15 million", "A$15
/// million", "EUR 150 million", "USD 10 million".
fn money_next<'a>(at: impl Fn(usize) -> &'a str) -> bool {
    let symbol = |w: &str| matches!(w, "$" | "€" | "£" | "¥");
    let digits = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    digits(at(1))
        || symbol(at(1))
        || (matches!(at(1), "a" | "us" | "nz" | "c" | "s" | "hk") && symbol(at(2)))
        || (matches!(at(1), "usd" | "eur" | "gbp" | "jpy" | "aud" | "cad") && digits(at(2)))
}

/// "Five", "twenty": a number said in words.
fn number_word(w: &str) -> bool {
    matches!(
        w,
        "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "fifteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "hundred"
    )
}

/// After "confirmed": "the (shared) goal of" and its length.
fn goal_of<'a>(at: impl Fn(usize) -> &'a str) -> Option<usize> {
    let k = if matches!(at(1), "the" | "their" | "a" | "its") { 2 } else { 1 };
    let k = if matches!(at(k), "shared" | "common" | "joint" | "ambitious") { k + 1 } else { k };
    (matches!(at(k), "goal" | "target" | "objective" | "aim") && at(k + 1) == "of").then_some(k + 2)
}

/// Where "invitation" follows a possessive within a few words ("accepted
/// President Yoon's invitation"): its offset.
fn possessed_invitation<'a>(at: impl Fn(usize) -> &'a str) -> Option<usize> {
    let possessed = (2..=5).find(|&k| {
        let before = at(k - 1);
        at(k) == "invitation" && (before.ends_with("'s") || before.ends_with("’s") || matches!(before, "'s" | "’s"))
    });
    // "accepted an invitation from President El-Sisi to visit Egypt", "the
    // invitation of the Crown Prince to pay a state visit": up to the
    // inviter's last word
    let from_or_of = || {
        (matches!(at(1), "an" | "the") && at(2) == "invitation" && matches!(at(3), "from" | "of"))
            .then(|| (5..=9).find(|&j| at(j) == "to").map(|j| j - 1))
            .flatten()
    };
    possessed.or_else(from_or_of)
}

pub fn match_verb(ws: &[&str], i: usize) -> Option<(usize, VClass, bool)> {
    let at = |k: usize| ws.get(i + k).copied().unwrap_or("");
    use self::Neg::*;
    use VClass::*;
    let one = |c: VClass| Some((1, c, false));
    let pres = |c: VClass| Some((1, c, true));
    match at(0) {
        // "confirmed the shared goal of increasing the number of students
        // to 1,000 by 2025": a target set again is pledged again
        "confirmed" | "reaffirmed" | "affirmed" | "reiterated" if goal_of(at).is_some() => {
            Some((goal_of(at)?, Pledge, false))
        }
        "agreed" | "concurred" | "decided" => one(Agree),
        // "…, with both sides agreeing to hold the third round in Accra"
        "agreeing" if at(1) == "to" => one(Agree),
        "agree" | "agrees" | "decide" | "decides" | "concur" | "concurs" => pres(Agree),
        // "it was (also) agreed / confirmed / decided that": the class of the verb
        "it" if at(1) == "was" => {
            let k = if matches!(at(2), "also" | "further" | "jointly") { 3 } else { 2 };
            let (len, class, _) = match_verb(ws, i + k).filter(|(_, _, present)| !present)?;
            Some((k + len, class, false))
        }
        // "(An) agreement was reached to establish a commission": agreed, by
        // the meeting's parties
        "agreement" | "consensus" if at(1) == "was" && at(2) == "reached" && matches!(at(3), "to" | "that") => {
            Some((3, Agree, false))
        }
        "an" if at(1) == "agreement" => match_verb(ws, i + 1).map(|(len, class, present)| (len + 1, class, present)),
        "reached" if matches!(at(1), "agreement" | "consensus") => Some((2, Agree, false)),
        "reached" if at(1) == "an" && at(2) == "agreement" => Some((3, Agree, false)),
        "confirmed" | "reconfirmed" | "affirmed" | "underlined" | "underscored" | "stressed" | "emphasized"
        | "emphasised" | "recognized" | "recognised" | "acknowledged" | "highlighted" => one(Confirm),
        "confirm" | "confirms" | "affirm" | "affirms" | "underline" | "underlines" | "stress" | "emphasize"
        | "emphasise" | "recognize" | "recognise" => pres(Confirm),
        "reaffirmed" | "reiterated" | "renewed" | "re-affirmed" | "restated" | "recommitted" | "re-emphasized"
        | "re-emphasised" => one(Reaffirm),
        "reaffirm" | "reaffirms" | "reiterate" | "reiterates" | "renew" | "recommit" => pres(Reaffirm),
        "pledged" | "vowed" | "undertook" | "promised" | "resolved" => one(Pledge),
        // "offered to share expertise": the offer is the speaker's own undertaking
        "offered" | "offers" | "volunteered" if at(1) == "to" => one(Pledge),
        // "The UK also offered additional places for Thai officers", "offered
        // five scholarships", "offered places for Guatemalan diplomats": an
        // offer of more, of a number of something, or of places to study
        "offered" | "offers"
            if matches!(at(1), "additional" | "new" | "more" | "further")
                || money_next(at)
                || number_word(at(1))
                || matches!(at(1), "places" | "scholarships" | "fellowships" | "slots") =>
        {
            one(Pledge)
        }
        // "instructed their ministers to finalise ...": the leaders' own pledge
        "instructed" | "tasked" | "directed" | "mandated" | "charged" | "instruct" | "task" | "direct"
            if matches!(
                at(1),
                "their"
                    | "the"
                    | "relevant"
                    | "officials"
                    | "senior"
                    | "respective"
                    | "both"
                    | "ministers"
                    | "negotiators"
                    | "our"
            ) =>
        {
            let k = (2..=7).take_while(|&k| !matches!(at(k), "," | ";" | ".")).find(|&k| at(k) == "to")?;
            Some((k, Pledge, !at(0).ends_with("ed")))
        }
        // "accepted an invitation to visit": intent to meet
        "accepted" | "accepts"
            if matches!(at(1), "an" | "the" | "a")
                && matches!(at(2), "invitation" | "offer")
                && !matches!(at(3), "from" | "of") =>
        {
            Some((3, Pledge, at(0) == "accepts"))
        }
        // "accepted President Yoon's invitation to visit Seoul"
        "accepted" | "accepts" if possessed_invitation(at).is_some() => {
            Some((possessed_invitation(at)? + 1, Pledge, at(0) == "accepts"))
        }
        // "Germany commits a further 45 million euros": money pledged now
        "commits" | "committed"
            if matches!(at(1), "a" | "an")
                && matches!(at(2), "further" | "additional")
                && money_next(|k| at(k + 2)) =>
        {
            Some((1, Pledge, false))
        }
        "pledge" | "pledges" | "vow" | "undertake" | "promise" | "resolve" | "commit" | "commits" => pres(Pledge),
        "committed" if matches!(at(1), "to" | "themselves" | "itself" | "himself" | "herself") => one(Pledge),
        // "Australia committed A$15 million to the Partnership": money pledged
        "committed" if money_next(at) => one(Pledge),
        "set" if matches!(at(1), "the" | "a" | "an" | "themselves") => {
            let k = if at(1) == "themselves" { 2 } else { 1 };
            let k = if matches!(at(k), "the" | "a" | "an") { k + 1 } else { k };
            let k = if matches!(at(k), "ambitious" | "new" | "shared" | "common" | "joint") { k + 1 } else { k };
            if matches!(at(k), "goal" | "target" | "objective" | "aim") && at(k + 1) == "of" {
                Some((k + 2, Pledge, false))
            } else {
                None
            }
        }
        "looked" | "look" | "looks" if at(1) == "forward" && at(2) == "to" => Some((3, Pledge, at(0) != "looked")),
        // "announced the creation of 100 new scholarships per year"
        "announced" if at(1) == "the" && matches!(at(2), "creation" | "establishment" | "opening") && at(3) == "of" => {
            one(Pledge)
        }
        // "assured her counterpart of Austria's support for Peru's bid": a
        // position stated again to the other side
        "assured" | "assures"
            if (1..=4).any(|k| {
                at(k) == "of" && (k + 1..=k + 3).any(|j| matches!(at(j), "support" | "solidarity" | "commitment"))
            }) =>
        {
            Some((1, Reaffirm, at(0) == "assures"))
        }
        "stated" | "said" | "announced" | "noted" | "added" | "indicated" | "explained" | "mentioned" | "remarked"
        | "told" | "informed" | "observed" | "assured" | "declared" | "replied" | "responded" | "argued" => one(Report),
        // "the Latvian state scholarship programme": a noun before a noun
        "state" | "states" if !matches!(at(1), "that" | "their" | "its" | "our" | "the" | "his" | "her" | ",") => None,
        "state" | "states" | "announce" | "announces" | "note" | "notes" | "declare" | "declares" => pres(Report),
        // "shared the intention to enhance cooperation"
        "shared" | "share" | "shares"
            if matches!(at(1), "the" | "their")
                && matches!(at(2), "intention" | "determination" | "commitment" | "desire") =>
        {
            Some((3, Pledge, at(0) != "shared"))
        }
        // "We oppose any unilateral attempt", "We support Ukraine"
        "oppose" | "opposes" | "support" | "supports" | "reject" | "rejects" | "uphold" | "upholds" => pres(Stance),
        // "We stand firmly against aggression", "We stand with Ukraine": a position held
        "stand" | "stands" | "stood"
            if matches!(at(1), "against" | "behind" | "with" | "by")
                || matches!(at(1), "firmly" | "resolutely" | "united" | "steadfastly" | "together")
                    && matches!(at(2), "against" | "behind" | "with" | "by") =>
        {
            Some((1, Stance, at(0) != "stood"))
        }
        // "We remain resolute in our support to Ukraine"
        "remain" | "remains" | "remained" | "stand" | "stands" | "stood"
            if matches!(
                at(1),
                "resolute" | "steadfast" | "firm" | "unwavering" | "united" | "unwaveringly" | "firmly"
            ) && matches!(at(2), "in" | "behind" | "with") =>
        {
            Some((3, Reaffirm, false))
        }
        "shared" | "share" | "shares"
            if at(1) == "the"
                && matches!(at(2), "view" | "recognition" | "understanding" | "assessment" | "belief") =>
        {
            Some((3, Report, at(0) != "shared"))
        }
        "shared" if matches!(at(1), "concern" | "concerns") || (at(1) == "their" && at(2).starts_with("concern")) => {
            Some((2, Neg(Concern), false))
        }
        // "The Indian side conveyed that a programme would be offered": reported speech
        "conveyed" if at(1) == "that" => one(Report),
        "expressed" | "voiced" | "conveyed" | "express" | "expresses" => {
            let present = !matches!(at(0), "expressed" | "voiced" | "conveyed");
            for k in 1..=4 {
                let w = at(k);
                let c = match w {
                    "concern" | "concerns" | "alarm" | "dismay" => Some(Neg(Concern)),
                    "hope" | "hopes" | "wish" | "expectation" | "expectations" => Some(Neg(Hope)),
                    "regret" | "disappointment" | "outrage" => Some(Neg(Reaction)),
                    "condolences" | "condolence" | "gratitude" | "appreciation" | "thanks" | "pleasure"
                    | "sympathy" | "sympathies" | "congratulations" | "welcome" | "respect" | "admiration"
                    | "satisfaction" => Some(Neg(Courtesy)),
                    "intention" | "determination" | "commitment" | "readiness" | "willingness" | "resolve"
                    | "desire" | "intent" | "eagerness" => Some(Pledge),
                    // "conveyed Indonesia's plan to open": the possessor's announced intent
                    "plan" | "plans" | "decision" if at(0) == "conveyed" && at(k + 1) == "to" => Some(Pledge),
                    // "expressed his support for the adoption of X": a reaction to another's act
                    "support"
                        if at(k + 1) == "for"
                            && at(k + 2) == "the"
                            && matches!(
                                at(k + 3),
                                "adoption"
                                    | "announcement"
                                    | "decision"
                                    | "election"
                                    | "appointment"
                                    | "publication"
                                    | "release"
                                    | "passage"
                                    | "entry"
                                    | "launch"
                                    | "signing"
                            ) =>
                    {
                        Some(Neg(Courtesy))
                    }
                    "support" | "opposition" | "solidarity" => Some(Reaffirm),
                    "view" | "views" | "belief" | "position" => Some(Report),
                    _ => None,
                };
                if let Some(c) = c {
                    // "expressed their intention to ..." keeps the noun as part of the cue.
                    let len = if matches!(c, Pledge) { k + 1 } else { 1 };
                    return Some((len, c, present));
                }
            }
            Some((1, Neg(Discussion), present))
        }
        "welcomed" | "congratulated" | "thanked" | "appreciated" | "praised" | "commended" | "wished" | "hailed"
        | "applauded" | "lauded" => one(Neg(Courtesy)),
        "welcome" | "welcomes" | "congratulate" | "thank" | "appreciate" | "commend" | "applaud" => pres(Neg(Courtesy)),
        "paid" if matches!(at(1), "tribute" | "respects" | "homage") => one(Neg(Courtesy)),
        "called" | "call" | "calls" if matches!(at(1), "for" | "on" | "upon") => {
            Some((2, Neg(Appeal), at(0) != "called"))
        }
        // "asked their ministers to conclude a working holiday agreement":
        // leaders tasking their own side, as with "instructed"
        "asked" | "requested" | "encouraged" | "urged"
            if matches!(at(1), "their" | "our" | "respective")
                && matches!(
                    at(2),
                    "ministers" | "officials" | "negotiators" | "teams" | "governments" | "respective"
                ) =>
        {
            let k = (2..=7).take_while(|&k| !matches!(at(k), "," | ";" | ".")).find(|&k| at(k) == "to")?;
            Some((k, Pledge, false))
        }
        // "President Yoon proposed to launch a partnership": the proposer's own undertaking
        "proposed" if at(1) == "to" => one(Pledge),
        // "proposed holding it in early 2025", "proposed the creation of a task force"
        "proposed" if at(1).ends_with("ing") && at(1).len() > 5 => one(Pledge),
        "proposed"
            if at(1) == "the"
                && matches!(at(2), "creation" | "establishment" | "launch" | "holding" | "setting")
                && at(3) == "of" =>
        {
            one(Pledge)
        }
        "urged" | "asked" | "requested" | "invited" | "encouraged" | "demanded" | "appealed" | "implored" => {
            one(Neg(Appeal))
        }
        "urge" | "urges" | "encourage" | "encourages" | "demand" | "invite" | "invites" => pres(Neg(Appeal)),
        "condemned" | "deplored" | "denounced" | "regretted" | "criticized" | "criticised" | "protested"
        | "lamented" | "mourned" => one(Neg(Reaction)),
        "condemn" | "condemns" | "deplore" | "deplores" | "denounce" | "regret" => pres(Neg(Reaction)),
        "exchanged" | "discussed" | "reviewed" | "recalled" | "talked" | "briefed" | "touched" | "spoke"
        | "explored" | "considered" | "examined" | "assessed" | "outlined" | "described" | "raised" => {
            one(Neg(Discussion))
        }
        "discuss" | "discusses" | "recall" | "recalls" => pres(Neg(Discussion)),
        "hoped" => one(Neg(Hope)),
        "hope" | "hopes" => pres(Neg(Hope)),
        "signed" | "launched" | "adopted" | "endorsed" | "elevated" | "held" | "met" | "attended" | "visited"
        | "issued" | "concluded" | "established" | "opened" | "inaugurated" | "approved" | "unveiled" | "released"
        | "received" | "accepted" | "completed" | "finalised" | "finalized" | "upgraded" | "hosted" | "celebrated"
        | "marked" | "commemorated" | "witnessed" | "initialled" | "initialed" => one(Neg(PastAct)),
        _ => None,
    }
}

/// Modal phrases that state the subject's own future action; returns length.
pub fn match_modal(ws: &[&str], i: usize) -> Option<usize> {
    let at = |k: usize| ws.get(i + k).copied().unwrap_or("");
    match at(0) {
        "will" | "would" | "shall" | "'d" | "’d" | "'ll" | "’ll" | "must" | "should" => Some(1),
        "need" | "needed" if at(1) == "to" => Some(2),
        // "the Government has decided to open an embassy": a decision taken
        // is an intent stated
        "has" | "have" | "had" if matches!(at(1), "decided" | "resolved") && at(2) == "to" => Some(3),
        "intend" | "intends" | "intended" | "planned" | "plan" | "plans" | "aim" | "aims" | "seek" | "seeks"
        | "wish" | "wishes" | "want" | "wants"
            if at(1) == "to" =>
        {
            Some(2)
        }
        "is" | "are" | "remain" | "remains" | "remained" | "stand" | "stands" | "stood" | "was" | "were" => {
            // "are also going to conclude": an adverb may sit between
            let k = if matches!(at(1), "also" | "now" | "still" | "further" | "fully" | "firmly") { 2 } else { 1 };
            if matches!(at(k), "committed" | "determined" | "ready" | "prepared" | "resolved" | "going")
                && at(k + 1) == "to"
            {
                Some(k + 2)
            } else {
                // "1,000 nurses are to be trained", "it is now to be held",
                // "the third round is due to take place"
                plan_to_at(&at).map(|to| to + 1)
            }
        }
        "look" | "looks" if at(1) == "forward" && at(2) == "to" => Some(3),
        _ => None,
    }
}

/// After "is/are" at 0: the position of the "to" of a plan stated as
/// settled ("is to be trained", "is now to be held", "is due to take
/// place").
pub fn plan_to_at<'a>(at: &impl Fn(usize) -> &'a str) -> Option<usize> {
    if !matches!(at(0), "is" | "are") {
        return None;
    }
    let mut k = 1;
    if matches!(at(k), "also" | "now" | "still" | "further") {
        k += 1;
    }
    if at(k) == "due" {
        k += 1;
    }
    is_plan_to(at(k), at(k + 1), at(k + 2)).then_some(k)
}

/// "is to be trained", "is to take place": a plan stated as settled.
pub fn is_plan_to(to: &str, verb: &str, next: &str) -> bool {
    to == "to"
        && (verb == "be" && (next.ends_with("ed") || next.ends_with("en") || next == "built" || next == "held")
            || matches!(verb, "take" | "start" | "begin" | "commence" | "open"))
}

/// Bare verbs that can open a further item in a list of pledged actions
/// ("accelerate X, expand Y, and promote Z").
pub fn is_list_verb(w: &str) -> bool {
    matches!(
        w,
        "accelerate"
            | "expand"
            | "promote"
            | "strengthen"
            | "deepen"
            | "enhance"
            | "establish"
            | "launch"
            | "conduct"
            | "provide"
            | "explore"
            | "pursue"
            | "implement"
            | "increase"
            | "boost"
            | "build"
            | "advance"
            | "facilitate"
            | "ensure"
            | "step"
            | "elevate"
            | "consider"
            | "improve"
            | "reinforce"
            | "create"
            | "cooperate"
            | "coordinate"
            | "collaborate"
            | "sign"
            | "begin"
            | "start"
            | "resume"
            | "seek"
            | "hold"
            | "continue"
            | "work"
            | "develop"
            | "maintain"
            | "keep"
            | "intensify"
            | "broaden"
            | "finalize"
            | "finalise"
            | "conclude"
            | "negotiate"
            | "foster"
            | "visit"
            | "meet"
            | "host"
            | "convene"
            | "commence"
            | "initiate"
            | "dispatch"
            | "deploy"
            | "contribute"
            | "mobilize"
            | "mobilise"
            | "invest"
            | "undertake"
            | "bolster"
            | "upgrade"
            | "double"
            | "triple"
            | "reduce"
            | "help"
            | "train"
            | "combat"
            | "counter"
            | "address"
            | "tackle"
            | "revive"
            | "reinvigorate"
            | "oppose"
            | "uphold"
            | "respect"
            | "regard"
            | "jointly"
            | "further"
            | "set"
            | "share"
            | "exchange"
            | "send"
            | "open"
            | "support"
    )
}

/// Heads of a state's agencies: "the U.S. International Development Finance
/// Corporation", "the Dutch public financing institution" act for their
/// state.
pub fn is_agency(w: &str) -> bool {
    matches!(
        w,
        "corporation"
            | "administration"
            | "agency"
            | "institution"
            | "bank"
            | "authority"
            | "department"
            | "institute"
            | "commission"
            | "council"
            | "office"
            // "the Sri Lanka Tea Board would organise"
            | "board"
    )
}

/// Words that name or stand for the parties acting: used to tell a subject
/// ("the two Governments would ...") from a thing ("the dialogue would ...").
pub fn is_agent_noun(w: &str) -> bool {
    matches!(
        w,
        // "their navies would hold a joint exercise"
        "navies"
            | "navy"
            // "the Prime Minister and His Majesty agreed"
            | "majesty"
            | "highness"
            | "co-chairs"
            | "chairs"
            | "presidents"
            | "chancellors"
            | "armies"
            | "troops"
            | "leaders"
            | "leader"
            | "ministers"
            | "minister"
            | "sides"
            | "side"
            | "parties"
            | "governments"
            | "government"
            | "countries"
            | "country"
            | "nations"
            | "delegations"
            | "delegation"
            | "interlocutors"
            | "ministries"
            | "ministry"
            | "organisations"
            | "organizations"
            | "organisation"
            | "organization"
            | "allies"
            | "partners"
            | "administration"
            | "president"
            | "premier"
            | "chancellor"
            | "secretary"
            | "general"
            | "representative"
            | "forces"
            | "states"
            | "members"
            | "signatories"
            | "counterparts"
            | "officials"
            | "authorities"
            | "secretaries"
            | "heads"
            | "participants"
            | "two"
            | "both"
            | "senator"
            | "pm"
            | "pms"
            | "envoys"
            | "counterpart"
            | "negotiators"
            | "teams"
            | "experts"
            | "envoy"
            | "agencies"
            | "departments"
            | "militaries"
            // "the Chancellor and the Crown Prince agreed"
            | "prince"
            | "princess"
            | "king"
            | "queen"
            | "emir"
            | "sultan"
            | "sheikh"
            | "taoiseach"
            | "tánaiste"
    )
}

pub fn is_pronoun(w: &str) -> Option<Pronoun> {
    match w {
        "he" | "she" | "i" | "his" | "her" => Some(Pronoun::Single),
        "it" | "its" => Some(Pronoun::It),
        "they" | "we" | "their" | "our" | "both" => Some(Pronoun::Plural),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    Single,
    It,
    Plural,
}

/// Words that open a fronted adverbial before the subject ("Regarding X, ...").
pub fn is_fronting(w: &str) -> bool {
    matches!(
        w,
        "regarding"
            | "on"
            | "with"
            | "in"
            | "at"
            | "following"
            | "after"
            | "before"
            | "based"
            | "under"
            | "as"
            | "concerning"
            | "furthermore"
            | "moreover"
            | "also"
            | "additionally"
            | "meanwhile"
            | "opening"
            | "turning"
            | "to"
            | "during"
            | "for"
            | "given"
            | "against"
            | "through"
            | "separately"
            | "earlier"
            | "later"
            | "then"
            | "finally"
            | "lastly"
            | "first"
            | "second"
            | "third"
            | "today"
            | "yesterday"
            | "besides"
            | "building"
            | "recalling"
            | "noting"
            | "recognizing"
            | "recognising"
            | "welcoming"
            | "while"
            | "when"
            | "since"
            | "despite"
            | "amid"
            | "toward"
            | "towards"
            | "looking"
            | "speaking"
            | "from"
            | "by"
            | "however"
            | "similarly"
            | "likewise"
            | "accordingly"
            | "thus"
            | "therefore"
            | "ahead"
            | "prior"
            | "upon"
            | "among"
            | "amongst"
            | "alongside"
            | "reflecting"
            | "responding"
            | "referring"
            | "citing"
            | "overall"
            | "notably"
            | "importantly"
            | "specifically"
            | "beyond"
            | "within"
            | "throughout"
            | "about"
            | "once"
            | "if"
            | "although"
            | "because"
            | "now"
    )
}
