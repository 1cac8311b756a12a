//! Main verbs and their subjects: which parties a clause speaks for.

use super::Ctx;
use crate::lexicon::*;

pub(super) struct Verb {
    /// present tense ("we agree"): a joint statement's own voice
    pub(super) present: bool,
    pub(super) t: usize,
    pub(super) len: usize,
    pub(super) class: VClass,
    pub(super) subj: (usize, usize),
    pub(super) parties: Vec<usize>,
    pub(super) explicit: bool,
}

/// Resolve a subject token range to parties. `inherit` is the previous
/// clause's parties, used for an empty subject.
pub(super) fn resolve_subject(
    ctx: &Ctx,
    a: usize,
    b: usize,
    speaker: Option<usize>,
    outer: Option<&[usize]>,
) -> Option<(Vec<usize>, Vec<usize>, bool)> {
    let (a, b) = strip_fronting(ctx, a, b);
    if a >= b {
        return None;
    }
    let full_b = b;
    let (a, b) = subject_core(ctx, a, b);
    let (act, mut other) = ctx.parties_in(a, b);
    for p in ctx.parties_in(b, full_b).0 {
        if !act.contains(&p) && !other.contains(&p) && (b..full_b).any(|t| matches!(ctx.w(t), "with" | "including")) {
            other.push(p);
        }
    }
    let words: Vec<&str> = (a..b).map(|t| ctx.w(t)).collect();
    let group = words.iter().any(|w| {
        matches!(
            *w,
            "officials"
                | "negotiators"
                | "teams"
                | "experts"
                | "authorities"
                | "leaders"
                | "ministers"
                | "presidents"
                | "chancellors"
                | "co-chairs"
                | "chairs"
                | "sides"
                | "governments"
                | "countries"
                | "delegations"
                | "interlocutors"
                | "nations"
                | "parties"
                | "ministries"
                | "organisations"
                | "organizations"
                | "participants"
                | "both"
                | "two"
                | "heads"
                | "pms"
        )
    });
    let pron = words.iter().rev().find_map(|w| is_pronoun(w));
    // "Minister Mirzoyan and I agreed": the writer is the other side of a
    // meeting of two
    if act.len() == 1 && ctx.meeting.len() == 2 && ctx.meeting.contains(&act[0]) && and_i(&words) {
        return Some((ctx.meeting.clone(), other, false));
    }
    if !act.is_empty() {
        let mut act = act;
        if group {
            // "Ministers and the High Representative", "Allied leaders"
            for &p in outer.unwrap_or(&ctx.meeting) {
                if !act.contains(&p) && words.first() != Some(&"allied") && !words.contains(&"allied") {
                    act.push(p);
                }
            }
        }
        return Some((act, other, true));
    }
    // "the Vice President said the President looks forward to": the principal
    if (a..b).any(|t| ctx.mention_at(t).is_some_and(|m| m.principal)) {
        if let Some(o) = outer.filter(|o| o.len() == 1) {
            return Some((o.to_vec(), other, true));
        }
    }
    // "he said that we will never ...": one speaker's "we" is his side
    let we = words.iter().any(|w| matches!(*w, "we" | "our" | "us"));
    if we && !group {
        if let Some(o) = outer.filter(|o| o.len() == 1) {
            return Some((o.to_vec(), other, false));
        }
    }
    if group || matches!(pron, Some(Pronoun::Plural)) {
        let o = outer.filter(|o| o.len() >= 2).unwrap_or(&ctx.meeting);
        return Some((o.to_vec(), other, false));
    }
    if let Some(Pronoun::Single) | Some(Pronoun::It) = pron {
        if let Some(o) = outer.filter(|o| o.len() == 1) {
            return Some((o.to_vec(), other, false));
        }
        return speaker.map(|p| (vec![p], other, false));
    }
    // "Minister Schreinemacher and Deputy Prime Minister Prasad agreed":
    // two office-holders the gazetteer does not know, at a meeting of two,
    // are its two sides
    if ctx.meeting.len() == 2 && two_office_holders(&words) {
        return Some((ctx.meeting.clone(), other, false));
    }
    // "The Joint Committee agreed to hold …", "the Association Council
    // agreed to raise the target": a body the meeting's parties hold
    // together speaks for all of them
    if joint_body(&words) || session_body(ctx, &words) {
        let o = outer.filter(|o| o.len() >= 2).unwrap_or(&ctx.meeting);
        if o.len() >= 2 {
            return Some((o.to_vec(), other, false));
        }
    }
    // "She announced that the Commission will establish …", "Mr Rutte
    // announced that the Minister for Foreign Trade will lead …": a body or
    // office of the speaker's side, named by what it is
    // "the Federal Government will provide …": Germany's, unnamed
    if words.ends_with(&["federal", "government"]) {
        if let Some(p) = ctx.g.party_index("DEU") {
            return Some((vec![p], other, false));
        }
    }
    // "France announced that its agencies and companies would mobilise"
    let office = matches!(words.first(), Some(&"the") | Some(&"its"))
        && words
            .iter()
            .any(|w| is_agency(w) || matches!(*w, "minister" | "ministry" | "secretary" | "agencies" | "institutions"));
    if office {
        if let Some(o) = outer.filter(|o| o.len() == 1) {
            return Some((o.to_vec(), other, false));
        }
        // "Under Global Gateway, the Commission will mobilise": the Union's
        // executive, at a meeting the Union attends
        if words.contains(&"commission") {
            if let Some(eu) = ctx.g.party_index("EU").filter(|eu| ctx.meeting.contains(eu)) {
                return Some((vec![eu], other, false));
            }
        }
    }
    None
}

pub(super) fn strip_fronting(ctx: &Ctx, mut a: usize, b: usize) -> (usize, usize) {
    // drop a fronted adverbial ending in a comma, and adverbs
    loop {
        if a >= b {
            break;
        }
        let w = ctx.w(a);
        if is_fronting(w) || w == "," {
            if let Some(c) = (a..b).find(|&t| ctx.w(t) == ",") {
                a = c + 1;
                continue;
            }
        }
        break;
    }
    (a, b)
}

const BOUNDARY: &[&str] = &[",", "and", ";", "but", "while", "whereas", "that", ":"];

pub(super) fn agentive_end(ctx: &Ctx, t: usize) -> bool {
    let w = ctx.w(t);
    ctx.mention_at(t).is_some_and(|m| m.strong || ctx.toks[t].e == m.e)
        || is_pronoun(w).is_some() && !matches!(w, "his" | "her" | "its" | "their" | "our")
        || is_agent_noun(w)
        || is_agency(w)
        // "the Joint Committee agreed"
        || w == "committee"
        || w.ends_with("leaders")
        || titled_name(ctx, t)
        // "the two Heads of State agreed"
        || matches!(w, "state" | "government") && t >= 2 && ctx.w(t - 1) == "of" && matches!(ctx.w(t - 2), "heads" | "head")
}

/// An unknown capitalised name right after a title ("President Thuong").
fn titled_name(ctx: &Ctx, t: usize) -> bool {
    let mut k = t;
    for _ in 0..4 {
        if !ctx.capitalised(k) || k == 0 {
            return false;
        }
        if matches!(
            ctx.w(k - 1),
            "president"
                | "minister"
                | "premier"
                | "chancellor"
                | "secretary"
                | "general"
                | "representative"
                | "senator"
                | "king"
                | "queen"
                | "emir"
                | "sheikh"
                | "sheikha"
                | "sultan"
                | "prince"
                | "councilor"
                | "councillor"
                | "commissioner"
                | "governor"
                | "mr"
                | "ms"
                | "mrs"
                | "dr"
                | "h.e"
                | "pm"
                | "ambassador"
        ) {
            return true;
        }
        k -= 1;
    }
    false
}

/// A verb with no subject of its own: "It was agreed", "(An) agreement
/// was reached to": the meeting's parties agreed.
pub(super) fn impersonal(first: &str) -> bool {
    matches!(first, "it" | "agreement" | "consensus" | "an")
}

/// Find main verbs of the sentence with their subjects.
pub(super) fn main_verbs(ctx: &Ctx, a: usize, b: usize, ws: &[&str]) -> Vec<Verb> {
    let mut vs: Vec<Verb> = Vec::new();
    let mut i = a;
    while i < b {
        let Some((len, class, present)) = match_verb(ws, i - a) else {
            i += 1;
            continue;
        };
        // left context: skip adverbs
        let mut p = i;
        while p > a && is_adverb(ctx.w(p - 1)) && ctx.w(p - 1) != "in" {
            p -= 1;
        }
        let capital = ctx.capitalised(i);
        let ok = if ctx.mention_at(i).is_some() || capital && i != a {
            false
        } else if impersonal(ctx.w(i)) {
            true
        } else if p == a {
            ctx.w(i) != "it" && i == a && present
        } else {
            let prev = ctx.w(p - 1);
            if matches!(
                prev,
                "had"
                    | "has"
                    | "have"
                    | "was"
                    | "were"
                    | "been"
                    | "be"
                    | "being"
                    | "is"
                    | "are"
                    | "which"
                    | "who"
                    | "to"
                    | "would"
                    | "will"
                    | "could"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "shall"
                    | "can"
                    | "the"
                    | "a"
                    | "an"
                    | "that"
                    | "not"
            ) {
                false
            } else if matches!(prev, "and" | "," | ";" | "but" | "while") {
                // "We welcome X and task negotiators to ...": parallel present verbs
                !present || vs.last().is_some_and(|l: &Verb| l.present)
            } else {
                // "Japan's support": a possessive makes the word a noun
                let possessive = prev.ends_with("'s") || prev.ends_with("’s") || matches!(prev, "'" | "’");
                // "the Joint Commission (JCEC) established under it would
                // hold": a participle describing the name, not its verb
                let described = prev == ")" && i + len < b && matches!(ctx.w(i + len), "under" | "by" | "pursuant");
                !(described || present && possessive) && (agentive_end(ctx, p - 1) || prev == ")")
            }
        };
        if ok {
            vs.push(Verb { t: i, len, class, subj: (a, p), parties: Vec::new(), explicit: false, present });
            i += len;
        } else {
            i += 1;
        }
    }
    // subjects: from the boundary before the verb back to the previous verb
    #[allow(clippy::needless_range_loop)]
    for k in 0..vs.len() {
        let lo = if k == 0 { a } else { vs[k - 1].t + vs[k - 1].len };
        let v_start = vs[k].subj.1;
        let mut start = lo;
        let mut j = v_start;
        while j > lo {
            j -= 1;
            let w = ctx.w(j);
            if BOUNDARY.contains(&w) {
                let cand = j + 1;
                // keep "Japan and Australia" together
                if w == "and" && j > lo && agentive_end(ctx, j - 1) && cand < v_start {
                    continue;
                }
                start = cand;
                break;
            }
        }
        if k == 0 {
            // the first verb's subject runs from the sentence start: fronted
            // adverbials and asides are stripped when it is resolved
            let words: Vec<&str> = (a..v_start).map(|t| ctx.w(t)).collect();
            let clause_inside = (0..words.len()).any(|i| match_modal(&words, i).is_some());
            if !words.contains(&"that") && !words.contains(&";") && !clause_inside {
                start = a;
            }
        }
        vs[k].subj = (start, v_start);
    }
    vs
}

/// The part of a subject stretch that names the actor. An aside ends in a
/// comma ("Japan, as the G7 Presidency,"): the actor is before it, unless
/// the rest joins more actors with "and". Otherwise fronted material ends
/// in a comma ("while recovering, Japan"): the actor is the last chunk.
pub(super) fn subject_core(ctx: &Ctx, a: usize, b: usize) -> (usize, usize) {
    let (a, b) = strip_fronting(ctx, a, b);
    if a >= b {
        return (a, b);
    }
    let trailing = ctx.w(b - 1) == ",";
    let first = (a + 1..b).find(|&t| ctx.w(t) == ",");
    let Some(c) = first else { return (a, b) };
    if trailing {
        if (c + 1..b).any(|t| ctx.w(t) == "and") {
            return (a, b);
        }
        // "Invest International, the Dutch public financing institution,":
        // an agency whose apposition says whose it is
        let last = (c + 1..b).rev().find(|&t| ctx.w(t) != ",");
        if let Some(last) = last {
            if is_agency(ctx.w(last)) && (c + 1..last).any(|t| ctx.mention_at(t).is_some()) {
                return (c + 1, last + 1);
            }
        }
        return (a, c);
    }
    let last = (a..b).rev().find(|&t| ctx.w(t) == ",").unwrap_or(c);
    let chunk_names_actor =
        (last + 1..b).any(|t| ctx.mention_at(t).is_some() || is_pronoun(ctx.w(t)).is_some() || is_agent_noun(ctx.w(t)));
    if chunk_names_actor {
        (last + 1, b)
    } else {
        (a, b)
    }
}

/// The last token of a subject's head, skipping commas and a trailing
/// "together with X" / "along with X" aside.
pub(super) fn subject_head(ctx: &Ctx, a: usize, b: usize) -> usize {
    let (a, b) = subject_core(ctx, a, b);
    if a >= b {
        return b.saturating_sub(1);
    }
    let mut h = b;
    // "Germany also intends to": commas and adverbs after the head
    while h > a + 1 && matches!(ctx.w(h - 1), "," | "also" | "further" | "now" | "still" | "additionally" | "likewise")
    {
        h -= 1;
    }
    // "the U.S. International Development Finance Corporation (DFC)": the
    // head is before its acronym
    if h > a + 3 && ctx.w(h - 1) == ")" && ctx.w(h - 3) == "(" {
        h -= 3;
    }
    for t in (a..h).rev() {
        if ctx.w(t) == "with" && t > a && matches!(ctx.w(t - 1), "together" | "along" | "jointly") {
            let mut k = t - 1;
            while k > a + 1 && ctx.w(k - 1) == "," {
                k -= 1;
            }
            h = k;
            break;
        }
    }
    h.saturating_sub(1).max(a)
}

/// A subject naming a body of a state: a ministry, its government or
/// administration, its armed forces or police, a mission or team it sends.
pub(super) fn institution(ctx: &Ctx, (a, b): (usize, usize)) -> bool {
    (a..b).any(|t| {
        matches!(
            ctx.w(t),
            "ministry"
                | "ministries"
                | "government"
                | "administration"
                | "bundeswehr"
                | "police"
                | "navy"
                | "army"
                | "mission"
                | "team"
                | "institute"
                | "agency"
                | "authorities"
                | "personnel"
                | "department"
        )
    })
}

/// A body known by its proper name ("ProColombia", "the Camoes Institute",
/// "Flanders Investment & Trade", "Qatar Airways"): capitalised words, and
/// not a thing the parties make or meet in ("the Association Agreement",
/// "the Summit"). `named`: whether it may name a party.
pub(super) fn proper_body(ctx: &Ctx, (a, b): (usize, usize), named: bool) -> bool {
    let a = if a < b && ctx.w(a) == "the" { a + 1 } else { a };
    if a >= b || !ctx.capitalised(a) || !named && ctx.mentions_in(a, b) {
        return false;
    }
    let words_ok = (a..b).all(|t| {
        ctx.capitalised(t)
            || matches!(ctx.w(t), "of" | "and" | "&" | "for" | "the" | "-" | "–" | "(" | ")" | "'s" | "’s")
    });
    // "the Kuwait Fund for Arab Economic Development (KFAED)": the head is
    // before its acronym
    let last = if b >= a + 4 && ctx.w(b - 1) == ")" && ctx.w(b - 3) == "(" { b - 4 } else { b - 1 };
    words_ok && !THINGS.contains(&ctx.w(last))
}

/// Head nouns of things, not bodies: what a capitalised name ending in one
/// stands for is made, held or met in, and acts for no one.
const THINGS: &[&str] = &[
    "agreement",
    "memorandum",
    "treaty",
    "convention",
    "summit",
    "meeting",
    "commission",
    "committee",
    "council",
    "forum",
    "conference",
    "programme",
    "program",
    "project",
    "fund",
    "exhibition",
    "festival",
    "dialogue",
    "consultations",
    "round",
    "session",
    "year",
    "plan",
    "strategy",
    "partnership",
    "initiative",
    "union",
    "framework",
    "declaration",
    "protocol",
    "arrangement",
    "olympics",
    "games",
    "expo",
    "cup",
    "week",
];

/// The parties a subject names, by name or adjective, in the order named
/// ("Business Finland and AICEP Portugal Global": FIN, PRT).
pub(super) fn all_named(ctx: &Ctx, (a, b): (usize, usize)) -> Vec<usize> {
    if a >= b {
        return Vec::new();
    }
    let (s, e) = (ctx.toks[a].s, ctx.toks[b - 1].e);
    let mut named: Vec<usize> = Vec::new();
    for p in ctx.mentions.iter().filter(|m| m.s >= s && m.e <= e).filter_map(|m| m.party) {
        if !named.contains(&p) {
            named.push(p);
        }
    }
    named
}

/// The one party a subject names, by name or adjective, anywhere in it
/// ("a Dutch Risk Reduction Team").
pub(super) fn one_named(ctx: &Ctx, core: (usize, usize)) -> Option<usize> {
    match all_named(ctx, core)[..] {
        [only] => Some(only),
        _ => None,
    }
}

/// "the Joint Committee", "the Association Council", "the Joint
/// Commission": a standing body of two parties, named by what it is.
fn joint_body(words: &[&str]) -> bool {
    let [first, .., last] = words else {
        return false;
    };
    *first == "the"
        && matches!(*last, "committee" | "council" | "commission")
        && words.iter().any(|w| {
            matches!(
                *w,
                "joint" | "association" | "partnership" | "cooperation" | "binational" | "intergovernmental" | "mixed"
            )
        })
}

/// "The Commission agreed to launch negotiations": a bare "the Commission"
/// or "the Committee" in the readout of a joint body's session is that body
/// (never where the European or an AU Commission is named).
fn session_body(ctx: &Ctx, words: &[&str]) -> bool {
    let [the, body] = words else {
        return false;
    };
    if *the != "the" || !matches!(*body, "commission" | "committee") {
        return false;
    }
    let names_other =
        ["european commission", "union commission", "commission of the european", "commission of the african"];
    if names_other.iter().any(|n| ctx.lower.contains(n)) {
        return false;
    }
    ctx.lower.match_indices(*body).any(|(at, _)| {
        let before: Vec<&str> = ctx.lower[..at].split_whitespace().rev().take(4).collect();
        before
            .iter()
            .any(|w| matches!(*w, "joint" | "intergovernmental" | "mixed" | "binational" | "bilateral" | "permanent"))
    })
}

/// "X and I", "X and myself": the writer acts beside someone named.
fn and_i(words: &[&str]) -> bool {
    words.windows(2).any(|w| w[0] == "and" && matches!(w[1], "i" | "myself"))
}

/// "Minister X and Deputy Prime Minister Y", "Mr. X and Foreign Minister
/// Y": two people, each with a title.
fn two_office_holders(words: &[&str]) -> bool {
    let titled = |part: &[&str]| {
        part.iter().any(|w| {
            matches!(
                *w,
                "mr" | "mrs"
                    | "ms"
                    | "dr"
                    | "adviser"
                    | "advisor"
                    | "ambassador"
                    | "sheikh"
                    | "minister"
                    | "president"
                    | "chancellor"
                    | "secretary"
                    | "premier"
                    | "commissioner"
                    | "king"
                    | "queen"
                    | "emir"
                    | "sultan"
                    | "prince"
                    | "taoiseach"
                    | "tánaiste"
            )
        })
    };
    let ands: Vec<usize> = (0..words.len()).filter(|&i| words[i] == "and").collect();
    matches!(ands.as_slice(), [i] if titled(&words[..*i]) && titled(&words[*i + 1..]))
}
