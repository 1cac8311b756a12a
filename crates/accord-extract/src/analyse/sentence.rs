//! One sentence: its main clauses into pledge heads, and the heads into
//! commitments.

use super::classify::classify;
use super::clauses::{list_items, modal_heads};
use super::phrases::{bodies_plan, commitment_to, cooperation_np, intent_to, is_determiner, position_np, possessor};
use super::subjects::{impersonal, main_verbs, resolve_subject, Verb};
use super::{Ctx, Found};
use crate::dates;
use crate::lexicon::*;

use super::head::{Head, HeadForm};

/// Read one sentence (or window) `a..b`: its main verbs and their subjects,
/// the pledge heads of their clauses, and the commitments those make.
pub(super) fn sentence(
    ctx: &Ctx,
    a: usize,
    b: usize,
    speaker: &mut Option<usize>,
    found: &mut Vec<Found>,
    notes: &mut Vec<String>,
    link_headline: bool,
) {
    if a >= b {
        return;
    }
    let ws: Vec<&str> = (a..b).map(|t| ctx.w(t)).collect();
    let mut vs = main_verbs(ctx, a, b, &ws);
    if link_headline {
        // a line without final punctuation in the present tense, after the
        // readout began, is a headline ("Leaders agree to boost trade"): a
        // link to another page, not this readout's voice; a joint
        // statement's "We agree" keeps its own
        let before = vs.len();
        vs.retain(|v| !v.present || (v.subj.0..v.subj.1).any(|t| matches!(ctx.w(t), "we" | "i")));
        if vs.len() < before && ctx.explain {
            notes.push("not taken: present-tense headline (no final punctuation)".into());
        }
    }
    resolve_verb_subjects(ctx, &mut vs, speaker);
    let heads = clause_heads(ctx, a, b, &vs, *speaker, notes);
    heads_to_found(ctx, heads, b, found, notes);
}

/// Resolve verb subjects; an unresolved one inherits the previous verb's
/// parties, and a single party becomes the speaker.
fn resolve_verb_subjects(ctx: &Ctx, vs: &mut [Verb], speaker: &mut Option<usize>) {
    let mut prev: Option<Vec<usize>> = None;
    for v in vs.iter_mut() {
        match resolve_subject(ctx, v.subj.0, v.subj.1, *speaker, None) {
            Some((p, _, explicit)) => {
                v.parties = p;
                v.explicit = explicit;
            }
            // "It was agreed to hold the next meeting in Delhi": the
            // meeting's parties agreed it
            None if impersonal(ctx.w(v.t)) && v.class == VClass::Agree && ctx.meeting.len() >= 2 => {
                v.parties = ctx.meeting.clone();
            }
            None => v.parties = prev.clone().unwrap_or_default(),
        }
        if v.parties.len() == 1 {
            *speaker = Some(v.parties[0]);
        }
        prev = Some(v.parties.clone());
    }
}

/// Where the scope of main verb `k` ends: at the conjunction before the
/// next verb's subject, or at the sentence end `b`.
fn scope_end(ctx: &Ctx, vs: &[Verb], k: usize, b: usize) -> usize {
    if k + 1 < vs.len() {
        let s = vs[k + 1].subj.0;
        // end at the conjunction before the next subject
        let mut e = s;
        while e > vs[k].t + vs[k].len && matches!(ctx.w(e - 1), "," | "and" | ";" | "but" | "while") {
            e -= 1;
        }
        e
    } else {
        b
    }
}

/// One main verb's clause: the verb, its cue text and its complement
/// `after..end`.
struct Clause<'a> {
    v: &'a Verb,
    /// the verb's text, as written
    cue: String,
    /// first token after the verb
    after: usize,
    /// the clause ends before this token
    end: usize,
    /// the word after the verb ("" at the sentence end)
    w1: &'a str,
}

/// The pledge heads of a sentence's clauses, in the order found.
fn clause_heads(
    ctx: &Ctx,
    a: usize,
    b: usize,
    vs: &[Verb],
    speaker: Option<usize>,
    notes: &mut Vec<String>,
) -> Vec<Head> {
    // scopes
    let mut heads: Vec<Head> = Vec::new();
    // a sentence with no main verb, or the stretch before the first one,
    // can hold direct modal clauses ("the two organisations will conduct")
    let first = vs.first().map_or(b, |v| v.subj.0);
    modal_heads(ctx, a, first, None, None, speaker, &mut heads, notes, true);
    for (k, v) in vs.iter().enumerate() {
        let end = scope_end(ctx, vs, k, b);
        let cue = ctx.text[ctx.toks[v.t].s..ctx.toks[v.t + v.len - 1].e].to_string();
        let after = v.t + v.len;
        let w1 = if after < b { ctx.w(after) } else { "" };
        let cl = Clause { v, cue, after, end, w1 };
        match v.class {
            VClass::Neg(n) => neg_clause(ctx, &cl, n, speaker, &mut heads, notes),
            VClass::Agree | VClass::Pledge | VClass::Reaffirm | VClass::Confirm => {
                pledge_clause(ctx, &cl, speaker, &mut heads, notes)
            }
            VClass::Stance => stance_clause(ctx, &cl, speaker, &mut heads, notes),
            VClass::Report if shares_view_to(ctx, &cl) => view_clause(ctx, &cl, &mut heads),
            VClass::Report if announces_amount(ctx, &cl) => amount_clause(&cl, &mut heads),
            VClass::Report => report_clause(ctx, &cl, speaker, &mut heads, notes),
        }
    }
    heads
}

/// A non-commitment verb ("expressed concern", "hoped"): only its own hope
/// to act, or a coordinated modal clause, is a pledge.
fn neg_clause(ctx: &Ctx, cl: &Clause, n: Neg, speaker: Option<usize>, heads: &mut Vec<Head>, notes: &mut Vec<String>) {
    let Clause { v, ref cue, after, end, .. } = *cl;
    let cue_txt = cue;
    // "expressed his hope to visit Japan": a wish about one's own act,
    // like "would like to" (a hope that others act is not)
    let own_hope = if n == Neg::Hope {
        (v.t..(after + 3).min(end))
            .find(|&t| matches!(ctx.w(t), "hope" | "hopes" | "hoped") && t + 2 < end && ctx.w(t + 1) == "to")
            .map(|t| t + 2)
            .filter(|&vt| !is_determiner(ctx.w(vt)) && ctx.mention_at(vt).is_none())
    } else {
        None
    };
    if let Some(vt) = own_hope.filter(|_| !v.parties.is_empty()) {
        heads.push(implied_pledge((vt, v.t, end), v.parties.clone(), format!("{cue_txt} hope to"), "own-hope"));
        return;
    }
    // "welcomed India's offer to establish a Centre of Excellence": the
    // offer is the pledge of the party at the table who made it
    let offered = (n == Neg::Courtesy)
        .then(|| possessor(ctx, after, end).filter(|p| ctx.meeting.contains(p)))
        .flatten()
        .zip(intent_to(ctx, after, end));
    if let Some((p, vt)) = offered {
        heads.push(implied_pledge((vt, after, end), vec![p], format!("{cue_txt} … to"), "welcomed-offer"));
        return;
    }
    // "signed a Memorandum on Political Consultations, agreeing to hold the
    // first round in Kuwait City in 2019": a pledge in a participle clause
    let participle = (after + 1..end.saturating_sub(2)).find(|&t| {
        ctx.w(t - 1) == ","
            && matches!(ctx.w(t), "agreeing" | "deciding" | "undertaking" | "pledging")
            && ctx.w(t + 1) == "to"
            && !is_determiner(ctx.w(t + 2))
    });
    if let Some(t) = participle.filter(|_| !v.parties.is_empty()) {
        let cue = ctx.text[ctx.toks[t].s..ctx.toks[t + 1].e].to_string();
        heads.push(implied_pledge((t + 2, t, end), v.parties.clone(), cue, "participle-pledge"));
        return;
    }
    // "welcomed the intention of the Port of Antwerp and Paraguay's port
    // authority to sign a memorandum", "welcomed Ethiopian Airlines' plans to
    // launch direct flights": the plan of the two sides' own bodies
    let welcomed = n == Neg::Courtesy && ctx.w(v.t).starts_with("welcom");
    if let Some((parties, vt)) = welcomed.then(|| bodies_plan(ctx, after, end)).flatten() {
        heads.push(implied_pledge((vt, after, end), parties, format!("{cue_txt} … to"), "welcomed-plan"));
        return;
    }
    if ctx.explain {
        notes.push(format!("not taken: {cue_txt:?}: {}", n.reason()));
    }
    // "condemned X and will continue to impose sanctions": a
    // coordinated modal clause is the subject's own pledge
    modal_heads(ctx, after, end, Some(v), Some(cue_txt), speaker, heads, notes, true);
}

/// A pledge read from under a verb that is none itself ("expressed his hope
/// to visit", "welcomed India's offer to establish"): its verb at `t`, its
/// span from `span_t`, up to `limit`.
fn implied_pledge(
    (t, span_t, limit): (usize, usize, usize),
    committers: Vec<usize>,
    cue: String,
    rule: &'static str,
) -> Head {
    Head {
        t,
        span_t,
        form: HeadForm::Bare,
        committers,
        counter: Vec::new(),
        cue,
        rule,
        vclass: Some(VClass::Pledge),
        limit,
        confidence: 0.6,
        negated: false,
        passive_meeting_ok: false,
    }
}

/// The form and first token of an agreed, pledged, reaffirmed or confirmed
/// complement; no form when the complement is not one.
fn pledge_form(ctx: &Ctx, cl: &Clause) -> (Option<HeadForm>, usize) {
    let Clause { v, after, end, w1, .. } = *cl;
    // "agreed to:" opens a list (`lead_in`): no verb phrase follows
    let word_after_to = after + 1 < end && ctx.w(after + 1).starts_with(|c: char| c.is_alphanumeric());
    if w1 == "to" && word_after_to && !is_determiner(ctx.w(after + 1)) {
        (Some(HeadForm::Bare), after + 1)
    } else if w1 == "not" && after + 2 < end && ctx.w(after + 1) == "to" {
        // "agreed not to allow ...": classify sees the negation
        (Some(HeadForm::Bare), after)
    } else if matches!(v.class, VClass::Pledge)
        && matches!(
            ctx.w(v.t),
            "pledged"
                | "promised"
                | "pledge"
                | "pledges"
                | "promise"
                | "committed"
                | "commits"
                | "offered"
                | "offers"
                | "proposed"
                | "announced"
        )
        && !matches!(w1, "to" | "that")
        && after < end
    {
        // "pledged an additional 50 million dollars": the pledge is the object
        // ("pledged that Hungary would ratify": its modal clause is)
        (Some(HeadForm::Gerund), after)
    } else if matches!(v.class, VClass::Pledge)
        && (ctx.w(v.t) == "set" || matches!(ctx.w(v.t + v.len - 1), "to" | "of"))
    {
        (Some(HeadForm::Gerund), after)
    } else if matches!(v.class, VClass::Pledge)
        && matches!(w1, "for" | "to" | "towards" | "toward")
        && after + 1 < end
        && matches!(
            ctx.w(v.t + v.len - 1),
            "commitment" | "determination" | "resolve" | "readiness" | "willingness" | "intention" | "desire"
        )
    {
        // "expressed commitment for closer cooperation"
        (Some(HeadForm::Gerund), after + 1)
    } else if matches!(w1, "on" | "upon") && after + 1 < end && matches!(v.class, VClass::Agree) {
        (Some(HeadForm::Gerund), after + 1)
    } else if let Some(vt) = intent_to(ctx, after, end)
        .filter(|_| matches!(v.class, VClass::Confirm | VClass::Report | VClass::Agree))
        .or_else(|| commitment_to(ctx, after, end).filter(|_| v.class == VClass::Confirm))
    {
        // "confirmed their intention to launch negotiations": the verb decides
        (Some(HeadForm::Bare), vt)
    } else if matches!(v.class, VClass::Reaffirm | VClass::Confirm | VClass::Pledge) && position_np(ctx, after, end) {
        (Some(HeadForm::Position), after)
    } else if matches!(v.class, VClass::Reaffirm | VClass::Confirm | VClass::Agree) && cooperation_np(ctx, after, end) {
        // "confirmed close cooperation toward ...": a cooperation pledge
        (Some(HeadForm::Gerund), after)
    } else {
        (None, after)
    }
}

/// "agreed to VP", "pledged X", "reaffirmed their support for": a head
/// (and its list items) from the complement, else its modal clauses.
fn pledge_clause(ctx: &Ctx, cl: &Clause, speaker: Option<usize>, heads: &mut Vec<Head>, notes: &mut Vec<String>) {
    let Clause { v, ref cue, after, end, w1 } = *cl;
    let cue_txt = cue;
    let (form, t) = pledge_form(ctx, cl);
    if let Some(form) = form {
        // "reaffirmed the U.S. commitment": the possessor holds the position
        let owner = if form == HeadForm::Position || t > after + 1 { possessor(ctx, after, end) } else { None };
        let committers = owner.map_or_else(|| v.parties.clone(), |p| vec![p]);
        if committers.is_empty() {
            if ctx.explain {
                notes.push(format!("not taken: {cue_txt:?}: no party found as subject"));
            }
            return;
        }
        let rule = match (v.class, form) {
            (VClass::Agree, HeadForm::Bare) => "agree-to",
            (VClass::Agree, _) => "agree-on",
            (VClass::Pledge, _) => "pledge",
            (_, HeadForm::Position) => "reaffirm-position",
            _ => "confirm-to",
        };
        let conf = if matches!(v.class, VClass::Agree | VClass::Pledge) { 0.9 } else { 0.85 };
        let cue = match form {
            HeadForm::Bare => format!("{cue_txt} to"),
            HeadForm::Gerund if matches!(w1, "on" | "upon") => {
                format!("{cue_txt} {w1}")
            }
            _ => cue_txt.clone(),
        };
        heads.push(Head {
            t,
            span_t: v.t,
            form,
            committers,
            counter: Vec::new(),
            cue,
            rule,
            vclass: Some(v.class),
            limit: end,
            confidence: conf,
            negated: false,
            passive_meeting_ok: false,
        });
        // further items: "and to VP", ", VP"
        list_items(ctx, heads, end);
        // "concurred on X and would cooperate on Y": a second pledge
        modal_heads(ctx, t + 1, end, Some(v), Some(cue_txt), speaker, heads, notes, false);
        return;
    }
    modal_heads(ctx, after, end, Some(v), Some(cue_txt), speaker, heads, notes, true);
}

/// "We oppose any unilateral attempt": the verb phrase is the position;
/// "... and will continue to support Ukraine" a second pledge.
fn stance_clause(ctx: &Ctx, cl: &Clause, speaker: Option<usize>, heads: &mut Vec<Head>, notes: &mut Vec<String>) {
    let Clause { v, ref cue, end, .. } = *cl;
    if !v.parties.is_empty() {
        heads.push(Head {
            t: v.t,
            span_t: v.t,
            form: HeadForm::Bare,
            committers: v.parties.clone(),
            counter: Vec::new(),
            cue: cue.clone(),
            rule: "present-stance",
            vclass: Some(VClass::Reaffirm),
            limit: end,
            confidence: 0.75,
            negated: false,
            passive_meeting_ok: false,
        });
        modal_heads(ctx, v.t + 1, end, Some(v), Some(cue), speaker, heads, notes, false);
    }
}

/// "shared the view to ...", "the recognition to ...".
fn shares_view_to(ctx: &Ctx, cl: &Clause) -> bool {
    let Clause { v, after, end, w1, .. } = *cl;
    w1 == "to" && matches!(ctx.w(v.t + v.len - 1), "view" | "recognition" | "understanding") && after + 1 < end
}

/// "shared the view to deepen discussions": an agreement to act.
fn view_clause(ctx: &Ctx, cl: &Clause, heads: &mut Vec<Head>) {
    let Clause { v, ref cue, after, end, .. } = *cl;
    if !v.parties.is_empty() {
        heads.push(Head {
            t: after + 1,
            span_t: v.t,
            form: HeadForm::Bare,
            committers: v.parties.clone(),
            counter: Vec::new(),
            cue: format!("{cue} to"),
            rule: "agree-to",
            vclass: Some(VClass::Agree),
            limit: end,
            confidence: 0.85,
            negated: false,
            passive_meeting_ok: false,
        });
        list_items(ctx, heads, end);
    }
}

/// "announced an additional $1 billion ..." by a party.
fn announces_amount(ctx: &Ctx, cl: &Clause) -> bool {
    let Clause { v, after, end, w1, .. } = *cl;
    matches!(ctx.w(v.t), "announced" | "announces" | "announce")
        && !matches!(w1, "that" | "to")
        && (after..end.min(after + 8)).any(|t| {
            matches!(ctx.w(t), "billion" | "million" | "yen" | "dollars" | "euros" | "pounds" | "$" | "£" | "€")
        })
        && !v.parties.is_empty()
}

/// "announced an additional $1 billion in assistance": a pledge of money.
fn amount_clause(cl: &Clause, heads: &mut Vec<Head>) {
    let Clause { v, ref cue, after, end, .. } = *cl;
    heads.push(Head {
        t: after,
        span_t: v.t,
        form: HeadForm::Gerund,
        committers: v.parties.clone(),
        counter: Vec::new(),
        cue: cue.clone(),
        rule: "announce-amount",
        vclass: Some(VClass::Pledge),
        limit: end,
        confidence: 0.7,
        negated: false,
        passive_meeting_ok: false,
    });
}

/// A report ("stated", "announced"): a possessor's intent, else its modal
/// clauses ("stated that he would visit").
fn report_clause(ctx: &Ctx, cl: &Clause, speaker: Option<usize>, heads: &mut Vec<Head>, notes: &mut Vec<String>) {
    let Clause { v, ref cue, after, end, .. } = *cl;
    let cue_txt = cue;
    // "announced Japan's plan to host ...": the possessor's own intent
    if let Some(vt) = intent_to(ctx, after, end) {
        let committers = possessor(ctx, after, end).map_or_else(|| v.parties.clone(), |p| vec![p]);
        if !committers.is_empty() {
            heads.push(Head {
                t: vt,
                span_t: v.t,
                form: HeadForm::Bare,
                committers,
                counter: Vec::new(),
                cue: cue_txt.clone(),
                rule: "report-intent",
                vclass: Some(v.class),
                limit: end,
                confidence: 0.75,
                negated: false,
                passive_meeting_ok: false,
            });
            return;
        }
    }
    modal_heads(ctx, after, end, Some(v), Some(cue_txt), speaker, heads, notes, true);
}

/// Where head `i` ends: at its limit, the next head's span, a participial
/// tail, a further "and that" clause or a semicolon; trailing conjunctions
/// and punctuation dropped.
fn head_end(ctx: &Ctx, heads: &[Head], i: usize, b: usize) -> usize {
    let h = &heads[i];
    let mut end = h.limit.min(b);
    if let Some(n) = heads.get(i + 1) {
        if n.span_t < end && n.span_t > h.t {
            end = n.span_t;
        }
    }
    // participial tails and a further "and that ..." clause are not part of the pledge
    for t in h.t + 1..end {
        let tail = ctx.w(t) == ","
            && t + 1 < end
            && matches!(
                ctx.w(t + 1),
                "noting" | "adding" | "saying" | "stressing" | "underlining" | "calling" | "urging"
            );
        let next_clause = ctx.w(t) == "and" && t + 1 < end && ctx.w(t + 1) == "that";
        if tail || next_clause || ctx.w(t) == ";" {
            end = t;
            break;
        }
    }
    while end > h.t + 1 && matches!(ctx.w(end - 1), "," | "and" | ";" | ":" | "." | "but" | "or" | "while" | "that") {
        end -= 1;
    }
    end
}

/// Turn heads into commitments: each ends where the next begins.
fn heads_to_found(ctx: &Ctx, mut heads: Vec<Head>, b: usize, found: &mut Vec<Found>, notes: &mut Vec<String>) {
    heads.sort_by_key(|h| h.t);
    heads.dedup_by_key(|h| h.t);
    for i in 0..heads.len() {
        let h = &heads[i];
        let end = head_end(ctx, &heads, i, b);
        if end <= h.t {
            continue;
        }
        let vp: Vec<&str> = (h.t..end).map(|t| ctx.w(t)).collect();
        let Some(kind) = classify(&vp, h) else {
            if ctx.explain {
                notes.push(format!(
                    "not taken: {:?}: closing formula, state or speech act (nothing to check)",
                    &ctx.text[ctx.toks[h.t].s..ctx.toks[end - 1].e]
                ));
            }
            continue;
        };
        let start = ctx.toks[h.span_t].s;
        let stop = ctx.toks[end - 1].e;
        let head_s = ctx.toks[h.t].s;
        let due = dates::deadline(&ctx.text[head_s..stop], ctx.date).map(|d| d.0);
        let (named, with) = ctx.parties_in(h.t, end);
        let mut counterparts: Vec<usize> = h.counter.clone();
        for p in named.into_iter().chain(with) {
            if !h.committers.contains(&p) && !counterparts.contains(&p) {
                counterparts.push(p);
            }
        }
        counterparts.retain(|p| !h.committers.contains(p));
        if ctx.explain {
            notes.push(format!(
                "TAKEN {kind} by [{}] cue {:?} rule {}: {:?}",
                h.committers.iter().map(|&p| ctx.g.parties[p].code.as_str()).collect::<Vec<_>>().join(", "),
                h.cue,
                h.rule,
                &ctx.text[start..stop]
            ));
        }
        found.push(Found {
            start,
            end: stop,
            head: head_s,
            kind,
            committers: h.committers.clone(),
            counterparts,
            cue: h.cue.clone(),
            rule: h.rule,
            due,
            confidence: h.confidence,
        });
    }
}

/// The lead-in of a list of pledges ("They agreed on the following:", "The
/// two delegations agreed to:", "The ministers agreed:"): whose subject
/// makes each item's pledge.
pub(super) struct LeadIn {
    parties: Vec<usize>,
    cue: String,
    class: VClass,
    /// "agreed to:": each item is a bare verb phrase ("hold the …").
    bare: bool,
}

/// The sentence `a..b` as the lead-in of a list of pledges, if it is one.
pub(super) fn lead_in(ctx: &Ctx, a: usize, b: usize, speaker: Option<usize>) -> Option<LeadIn> {
    if b <= a + 1 || ctx.w(b - 1) != ":" {
        return None;
    }
    let ws: Vec<&str> = (a..b).map(|t| ctx.w(t)).collect();
    let mut vs = main_verbs(ctx, a, b, &ws);
    let mut speaker = speaker;
    resolve_verb_subjects(ctx, &mut vs, &mut speaker);
    let v = vs.last().filter(|v| matches!(v.class, VClass::Agree | VClass::Pledge))?;
    let rest: Vec<&str> = (v.t + v.len..b - 1).map(|t| ctx.w(t)).collect();
    let bare = match rest.as_slice() {
        ["to"] => true,
        [] | ["as", "follows"] => false,
        ["on" | "upon", "the", "following"] | ["the", "following"] => false,
        ["on" | "upon", "the", "following", _] | ["the", "following", _] => false,
        _ => return None,
    };
    let parties = match v.parties.as_slice() {
        [] if ctx.meeting.len() >= 2 => ctx.meeting.clone(),
        [] => return None,
        ps => ps.to_vec(),
    };
    Some(LeadIn { parties, cue: ctx.text[ctx.toks[v.t].s..ctx.toks[b - 1].e].to_string(), class: v.class, bare })
}

/// One item of a lead-in's list, `a..b` without its marker: "to hold the
/// 3rd Session in Lusaka in 2020;" (or, after "agreed to:", "hold …") is
/// the lead-in's subject's pledge.
pub(super) fn listed_pledge(
    ctx: &Ctx,
    lead: &LeadIn,
    a: usize,
    b: usize,
    found: &mut Vec<Found>,
    notes: &mut Vec<String>,
) {
    let t = match (lead.bare, ctx.w(a)) {
        (false, "to") => a + 1,
        (true, _) => a,
        _ => return,
    };
    if t >= b || !ctx.text[ctx.toks[t].s..].starts_with(|c: char| c.is_lowercase()) {
        return;
    }
    let head = Head {
        t,
        span_t: a,
        form: HeadForm::Bare,
        committers: lead.parties.clone(),
        counter: Vec::new(),
        cue: lead.cue.clone(),
        rule: "agree-list",
        vclass: Some(lead.class),
        limit: b,
        confidence: 0.85,
        negated: false,
        passive_meeting_ok: false,
    };
    heads_to_found(ctx, vec![head], b, found, notes);
}
