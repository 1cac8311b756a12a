//! Modal clauses ("SUBJECT would/will/intends to VP") and the further items
//! of a pledge list ("and to VP", ", VP", "and their support for").

use super::head::{Head, HeadForm};
use super::phrases::{is_determiner, position_np};
use super::subjects::{
    agentive_end, all_named, institution, one_named, proper_body, resolve_subject, subject_core, subject_head, Verb,
};
use super::things::{deliverable_verb, is_meeting_passive, meeting_subject, possessed_passive, provided_passive};
use super::Ctx;
use crate::lexicon::*;

/// Find the modal clauses in `a..b`: "SUBJECT would/will/intends to VP".
#[allow(clippy::too_many_arguments)]
pub(super) fn modal_heads(
    ctx: &Ctx,
    a: usize,
    b: usize,
    v: Option<&Verb>,
    cue: Option<&str>,
    speaker: Option<usize>,
    heads: &mut Vec<Head>,
    notes: &mut Vec<String>,
    first: bool,
) {
    if a >= b {
        return;
    }
    let sc = ModalScope { a, b, v, cue, speaker, first };
    let ws: Vec<&str> = (a..b).map(|t| ctx.w(t)).collect();
    let mut last_subject: Option<Vec<usize>> = None;
    let mut i = 0;
    let mut first_in_scope = first;
    while i < ws.len() {
        let Some(len) = match_modal(&ws, i) else {
            i += 1;
            continue;
        };
        let m = a + i;
        let (boundary, relative, coord) = modal_subject_start(ctx, a, m);
        // only the first modal clause of a scope starts at the cue; after a
        // rejected one, the next starts at its own subject
        let is_first = first_in_scope;
        first_in_scope = false;
        let (vp, negated) = modal_verb_phrase(ctx, m + len, b);
        i = (vp - a).max(i + len);
        if vp >= b {
            break;
        }
        let md = Modal { m, len, boundary, relative, coord, is_first, vp, negated };
        let Some(head) = modal_head(ctx, &sc, &md, last_subject.as_deref(), notes) else { continue };
        last_subject = Some(head.committers.clone());
        heads.push(head);
        list_items(ctx, heads, b);
    }
}

/// The scope [`modal_heads`] searches, and the main verb governing it.
struct ModalScope<'a> {
    a: usize,
    b: usize,
    v: Option<&'a Verb>,
    cue: Option<&'a str>,
    speaker: Option<usize>,
    /// a first clause of its verb (not after a first pledge)
    first: bool,
}

/// One modal ("would", "will", "intends to") with its subject and verb phrase.
struct Modal {
    /// the modal's first token and its length
    m: usize,
    len: usize,
    /// where its subject starts
    boundary: usize,
    /// in a relative clause ("a process that would take time")
    relative: bool,
    /// coordinated ("and will"): no subject of its own
    coord: bool,
    /// the first modal clause of the scope
    is_first: bool,
    /// first token of the verb phrase
    vp: usize,
    negated: bool,
}

/// Walk back from the modal at `m` to its subject's start: back to "that",
/// "which", ", and", or the scope start `a`. Returns (start, relative,
/// coordinated).
fn modal_subject_start(ctx: &Ctx, a: usize, m: usize) -> (usize, bool, bool) {
    // subject: back to "that", "which", ", and", scope start
    let mut s = m;
    let mut relative = false;
    let mut coord = false;
    while s > a {
        let w = ctx.w(s - 1);
        if matches!(w, "that" | "which" | "who" | "whom" | "whose" | "where" | "whereby" | "when") {
            // "Kazakhstan, which joined the WTO in 2015, would share": an
            // aside between commas; the subject is before it
            if matches!(w, "which" | "who") && s >= a + 2 && ctx.w(s - 2) == "," && m > s && ctx.w(m - 1) == "," {
                s -= 2;
                continue;
            }
            // "a process that would take time": nothing between
            relative = s == m || w == "whose" || w == "which" || w == "who";
            break;
        }
        if matches!(
            w,
            ";" | "will"
                | "would"
                | "shall"
                | "while"
                | "whereas"
                | "although"
                | "though"
                | "because"
                | "unless"
                | "if"
        ) {
            break;
        }
        if w == "and" || w == "but" {
            if s == m {
                coord = true;
                break;
            }
            // "the Ministry of Mines and Energy will": inside a name
            let in_name = s >= 2 && s < m && ctx.capitalised(s - 2) && ctx.capitalised(s);
            if s >= 2 && ctx.w(s - 2) == "," || !agentive_end(ctx, s.saturating_sub(2).max(a)) && !in_name {
                break;
            }
        }
        s -= 1;
    }
    (s, relative, coord)
}

/// From the token after the modal, skip "like to", "continue to", adverbs
/// and "not" to the verb. Returns (verb token, negated).
fn modal_verb_phrase(ctx: &Ctx, mut vp: usize, b: usize) -> (usize, bool) {
    let mut negated = false;
    // skip "like to", "continue to", adverbs, "not"
    loop {
        if vp >= b {
            break;
        }
        let w = ctx.w(vp);
        if w == "not" || w == "never" {
            negated = true;
            vp += 1;
        } else if matches!(
            w,
            "also"
                | "further"
                | "jointly"
                | "together"
                | "both"
                | "each"
                | "then"
                | "now"
                | "soon"
                | "swiftly"
                | "actively"
                | "steadily"
                | "once"
                | "again"
                | "firmly"
                | "fully"
                | "immediately"
        ) && vp + 1 < b
            && !matches!(ctx.w(vp + 1), "," | "." | "with")
        {
            vp += 1;
        } else if matches!(
            w,
            "like" | "love" | "aim" | "seek" | "strive" | "endeavour" | "endeavor" | "try" | "want" | "wish" | "hope"
        ) && vp + 1 < b
            && ctx.w(vp + 1) == "to"
        {
            vp += 2;
        } else {
            break;
        }
    }
    (vp, negated)
}

/// The head a modal clause makes, or None when it is not a pledge (the
/// reason noted when explaining).
fn modal_head(
    ctx: &Ctx,
    sc: &ModalScope,
    md: &Modal,
    last_subject: Option<&[usize]>,
    notes: &mut Vec<String>,
) -> Option<Head> {
    let ModalScope { b, v, cue, .. } = *sc;
    let Modal { m, len, boundary, coord, is_first, vp, negated, .. } = *md;
    let modal_txt = ctx.text[ctx.toks[m].s..ctx.toks[m + len - 1].e].to_string();
    if modal_rejected(ctx, sc, md, &modal_txt, notes) {
        return None;
    }
    let (committers, counter, passive_meeting) = modal_committers(ctx, sc, md, last_subject, &modal_txt, notes)?;
    if obligation_of_others(ctx, sc, md, &committers, &modal_txt, notes) {
        return None;
    }
    let span_t = match v {
        Some(v) if is_first => v.t,
        _ => {
            if coord {
                m
            } else {
                boundary.min(m)
            }
        }
    };
    let (rule, conf) = match v.map(|v| v.class) {
        Some(VClass::Agree) => ("agree-that-modal", 0.85),
        Some(VClass::Confirm) | Some(VClass::Reaffirm) => ("confirm-that-modal", 0.85),
        Some(VClass::Pledge) => ("pledge-modal", 0.85),
        Some(_) => ("report-that-modal", 0.8),
        None => ("direct-modal", 0.7),
    };
    let cue_s = match cue {
        Some(c) => format!("{c} … {modal_txt}"),
        None => modal_txt.clone(),
    };
    Some(Head {
        t: vp,
        span_t,
        form: HeadForm::Bare,
        committers,
        counter,
        cue: cue_s,
        rule,
        vclass: v.map(|v| v.class),
        limit: b,
        confidence: conf,
        negated,
        passive_meeting_ok: passive_meeting,
    })
}

/// A modal that is no pledge whoever its subject: a noun ("Indonesia's
/// plan to"), a belief, a past "was ready to" outside reported speech, a
/// clause inside a non-commitment, a relative clause.
fn modal_rejected(ctx: &Ctx, sc: &ModalScope, md: &Modal, modal_txt: &str, notes: &mut Vec<String>) -> bool {
    let ModalScope { a, v, first, .. } = *sc;
    let Modal { m, boundary, relative, coord, .. } = *md;
    // after a first pledge or inside a courtesy, only a coordinated clause counts
    let neg_scope = matches!(v.map(|v| v.class), Some(VClass::Neg(_))) || !first;
    // "Indonesia's plan to", "the aim to": nouns, not a modal
    if matches!(
        ctx.w(m),
        "plan"
            | "plans"
            | "aim"
            | "aims"
            | "wish"
            | "wishes"
            | "want"
            | "wants"
            | "seek"
            | "seeks"
            | "intend"
            | "intends"
    ) && m > a
        && (is_determiner(ctx.w(m - 1))
            || ctx.w(m - 1).ends_with("'s")
            || ctx.w(m - 1).ends_with("’s")
            || matches!(ctx.w(m - 1), "'" | "’"))
    {
        return true;
    }
    // "he is confident the two countries will ...": a belief, not a pledge
    if (boundary..m).any(|t| {
        matches!(
            ctx.w(t),
            "confident"
                | "sure"
                | "convinced"
                | "believe"
                | "believes"
                | "believed"
                | "expect"
                | "expects"
                | "expected"
                | "hope"
                | "hopes"
                | "hoped"
                | "think"
                | "thinks"
                | "thought"
                | "certain"
                | "likely"
                | "trust"
        )
    }) {
        if ctx.explain {
            notes.push(format!("not taken: {modal_txt:?}: a belief or expectation, not a pledge"));
        }
        return true;
    }
    // "was ready to" is a commitment only as reported speech
    if v.is_none() && matches!(ctx.w(m), "was" | "were" | "intended" | "planned") {
        return true;
    }
    // "signed an agreement under which Norway will provide …": the terms of
    // what was signed are a party's pledge
    let terms = boundary >= a + 2
        && (matches!((ctx.w(boundary - 2), ctx.w(boundary - 1)), ("under" | "by", "which"))
            || ctx.w(boundary - 1) == "whereby")
        && !ctx.parties_in(boundary, m).0.is_empty();
    // "…; the next round will take place in Dili": a clause of its own
    let own_clause = boundary > a && ctx.w(boundary - 1) == ";" && !matches!(v.map(|v| v.class), Some(VClass::Neg(_)));
    let coordinated = coord || boundary > a && matches!(ctx.w(boundary - 1), "and" | "but");
    if neg_scope && !(terms || own_clause || coordinated) {
        if ctx.explain {
            notes.push(format!("not taken: {modal_txt:?}: inside a non-commitment clause"));
        }
        return true;
    }
    if relative && !terms {
        if ctx.explain {
            notes.push(format!("not taken: {modal_txt:?}: in a relative clause, no party subject"));
        }
        return true;
    }
    false
}

/// Who a modal clause binds: the previous clause's subject for a
/// coordinated one, else its own party subject, else (for "the dialogue
/// would be held") the parties who agreed it. Returns (committers,
/// counterparts, passive meeting), or None when nobody is bound.
fn modal_committers(
    ctx: &Ctx,
    sc: &ModalScope,
    md: &Modal,
    last_subject: Option<&[usize]>,
    modal_txt: &str,
    notes: &mut Vec<String>,
) -> Option<(Vec<usize>, Vec<usize>, bool)> {
    let ModalScope { b, v, speaker, .. } = *sc;
    let Modal { m, boundary, coord, vp, .. } = *md;
    let (committers, counter, thing) = if coord {
        match last_subject {
            Some(p) => (p.to_vec(), Vec::new(), false),
            None => match v {
                Some(v) if !v.parties.is_empty() => (v.parties.clone(), Vec::new(), false),
                _ => return None,
            },
        }
    } else {
        let outer = v.map(|v| v.parties.as_slice());
        // "a stronger Japan would be ...": an indefinite subject is generic
        let mut core = subject_core(ctx, boundary, m);
        // "The Federal Government also intends to": the adverb is not the body's
        while core.1 > core.0 + 1 && is_adverb(ctx.w(core.1 - 1)) {
            core.1 -= 1;
        }
        let generic = core.0 < core.1 && matches!(ctx.w(core.0), "a" | "an" | "any" | "every" | "each");
        let head_ok = boundary < m && !generic && agentive_end(ctx, subject_head(ctx, boundary, m));
        let body = boundary < m && institution(ctx, core);
        let named = if body { one_named(ctx, core) } else { None };
        // "Qatar Airways would launch direct flights", "the Hungarian
        // Eximbank would open a credit line", "Business Finland and AICEP
        // Portugal Global will sign": bodies whose names name their parties
        // (a thing acted on, "would be held", is not one)
        let named_body: Vec<usize> = if boundary < m && ctx.w(vp) != "be" && proper_body(ctx, core, true) {
            let named = all_named(ctx, core);
            if named.iter().all(|p| ctx.meeting.contains(p)) {
                named
            } else {
                Vec::new()
            }
        } else {
            Vec::new()
        };
        match resolve_subject(ctx, boundary, m, speaker, outer) {
            Some((p, o, _)) if head_ok && !p.is_empty() => (p, o, false),
            // "the Paraguayan Ministry of Public Works will sign", "a Dutch
            // trade mission will visit": a party's own body acts for it
            Some((p, o, _)) if body && !p.is_empty() => (p, o, false),
            // ("The Colombian Ministry of Mines": the state named once)
            _ if named.is_some() => (named.into_iter().collect(), Vec::new(), false),
            _ if !named_body.is_empty() => (named_body, Vec::new(), false),
            // "Minister Park said that the Government would increase", "the
            // Federal Government": the speaker's own government
            _ if body
                && (core.1 == core.0 + 2 || core.1 == core.0 + 3 && ctx.capitalised(core.0 + 1))
                && ctx.w(core.0) == "the"
                && outer.is_some_and(|o| o.len() == 1) =>
            {
                (outer.unwrap_or_default().to_vec(), Vec::new(), false)
            }
            // "Minister Restrepo informed that ProColombia intended to open an
            // office", "… that the Camoes Institute would open a centre": a
            // body of the speaker's own side, known by its name
            _ if boundary < m
                && proper_body(ctx, core, false)
                && v.is_some_and(|v| v.class == VClass::Report)
                && outer.is_some_and(|o| o.len() == 1 && ctx.meeting.contains(&o[0])) =>
            {
                (outer.unwrap_or_default().to_vec(), Vec::new(), false)
            }
            // "Canada's Dark Vessel Detection program would be extended to
            // the Philippines": a party's own thing, acted on in the passive
            Some((p, o, _)) if p.len() == 1 && possessed_passive(ctx, boundary, m, vp) => (p, o, false),
            _ => (Vec::new(), Vec::new(), true),
        }
    };
    let passive_meeting = is_meeting_passive(ctx, vp, b);
    let committers = if thing {
        // "the dialogue would be held": only when the parties agreed it
        match v {
            // (or announced, or said again: "reaffirmed that the 6th JCBC would
            // be held in Manila", "announced that a working group will meet")
            Some(v)
                if passive_meeting
                    && matches!(v.class, VClass::Agree | VClass::Confirm | VClass::Reaffirm | VClass::Report)
                    && !v.parties.is_empty() =>
            {
                v.parties.clone()
            }
            // "welcomed the first Dialogue, and agreed that a second round
            // would be held in London": an agreement coordinated after a
            // courtesy; the meeting's parties agreed it
            _ if passive_meeting
                && boundary >= 2
                && ctx.w(boundary - 1) == "that"
                && matches!(ctx.w(boundary - 2), "agreed" | "decided")
                && !ctx.meeting.is_empty() =>
            {
                ctx.meeting.clone()
            }
            // "It was agreed that the next meeting would be held in Delhi":
            // the meeting's parties agreed it
            Some(v) if passive_meeting && v.class == VClass::Agree && ctx.w(v.t) == "it" && !ctx.meeting.is_empty() => {
                ctx.meeting.clone()
            }
            // "The next bilateral consultations will take place in Manila in
            // 2024": a meeting of the parties announced in the readout's own voice
            None if passive_meeting && meeting_subject(ctx, boundary, m) && !ctx.meeting.is_empty() => {
                ctx.meeting.clone()
            }
            // "confirmed that the trains would be delivered by 2027", "agreed
            // that the port would begin operations in 2026": a deliverable the
            // parties vouched for
            Some(v)
                if matches!(v.class, VClass::Agree | VClass::Confirm)
                    && !v.parties.is_empty()
                    && deliverable_verb(ctx, vp, b) =>
            {
                v.parties.clone()
            }
            // "agreed that Korea Hydro & Nuclear Power would carry out a
            // feasibility study", "agreed that 100 students will come": an
            // arrangement the parties agreed, whoever carries it out
            Some(v)
                if v.class == VClass::Agree
                    && !v.parties.is_empty()
                    && matches!(ctx.w(m), "will" | "would" | "shall") =>
            {
                v.parties.clone()
            }
            // "The Indian side conveyed that a training programme would be
            // offered", "said that a framework arrangement would be signed":
            // the speaker's own side provides it
            // ("The two ministers announced that the visa agreement would be
            // signed before the end of 2019": both sides, theirs)
            Some(v)
                if v.class == VClass::Report
                    && !v.parties.is_empty()
                    && v.parties.iter().all(|p| ctx.meeting.contains(p))
                    && matches!(ctx.w(m), "will" | "would")
                    && provided_passive(ctx, vp, b) =>
            {
                v.parties.clone()
            }
            // "Under a new programme, 1,000 nurses are to be trained": a plan
            // stated as settled, by the readout or by the parties
            _ if plan_to(ctx, m, sc.b) => match v {
                Some(v) if !v.parties.is_empty() && !matches!(v.class, VClass::Neg(_)) => v.parties.clone(),
                None if !ctx.meeting.is_empty() => ctx.meeting.clone(),
                _ => return None,
            },
            _ => {
                if ctx.explain {
                    notes.push(format!(
                        "not taken: {modal_txt:?}: subject {:?} is not a party",
                        &ctx.text[ctx.toks[boundary.min(m)].s..ctx.toks[m].s].trim()
                    ));
                }
                return None;
            }
        }
    } else {
        committers
    };
    Some((committers, counter, passive_meeting))
}

/// "is to be trained", "are to take place" at the modal `m` (scope end `b`).
fn plan_to(ctx: &Ctx, m: usize, b: usize) -> bool {
    let at = |k: usize| if m + k < b { ctx.w(m + k) } else { "" };
    plan_to_at(&at).is_some()
}

/// "agreed we must continue": an obligation binds only those who agreed
/// ("agreed that Hamas should accept" binds nobody present). True when the
/// modal is an obligation of others.
fn obligation_of_others(
    ctx: &Ctx,
    sc: &ModalScope,
    md: &Modal,
    committers: &[usize],
    modal_txt: &str,
    notes: &mut Vec<String>,
) -> bool {
    let v = sc.v;
    if matches!(ctx.w(md.m), "must" | "should" | "need" | "needed") {
        let agreed =
            v.is_some_and(|v| matches!(v.class, VClass::Agree | VClass::Confirm | VClass::Reaffirm | VClass::Pledge));
        let own = v.is_some_and(|v| !v.parties.is_empty() && committers.iter().all(|p| v.parties.contains(p)));
        if !(agreed && own) {
            if ctx.explain {
                notes.push(format!("not taken: {modal_txt:?}: an obligation of others, not a pledge"));
            }
            return true;
        }
    }
    false
}

/// After the last head, look for further items of the same pledge list:
/// "and to VP", ", VP", ", and VP" (bare verbs only).
pub(super) fn list_items(ctx: &Ctx, heads: &mut Vec<Head>, end: usize) {
    let Some(h) = heads.last() else { return };
    if h.form == HeadForm::Position {
        position_items(ctx, heads, end);
        return;
    }
    if h.form != HeadForm::Bare {
        return;
    }
    let to_list = matches!(h.rule, "agree-to" | "pledge" | "confirm-to");
    let start = h.t + 1;
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut t = start;
    let mut depth = 0i32;
    while t < end {
        let w = ctx.w(t);
        match w {
            "(" => depth += 1,
            ")" => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            // "and to VP"
            if w == "and" && t + 2 < end {
                let (n1, n2) = (ctx.w(t + 1), ctx.w(t + 2));
                if to_list && n1 == "to" && !is_determiner(n2) && ctx.mention_at(t + 2).is_none() && is_verbish(n2) {
                    found.push((t + 1, t + 2));
                    t += 3;
                    continue;
                }
                if w == "and" && n1 == "that" {
                    break;
                }
                // "revitalise the dialogue and hold its next meeting in 2024": a meeting
                // verb before its object opens a second pledge
                if matches!(n1, "hold" | "host" | "convene" | "reconvene")
                    && (is_determiner(n2) || matches!(n2, "its" | "their" | "our" | "regular" | "annual" | "further"))
                {
                    found.push((t + 1, t + 1));
                    t += 2;
                    continue;
                }
            }
            if w == "," {
                let (mut k, mut and) = (t + 1, false);
                if k < end && ctx.w(k) == "and" {
                    k += 1;
                    and = true;
                }
                if k < end
                    && is_list_verb(ctx.w(k))
                    && k + 1 < end
                    && !matches!(ctx.w(k + 1), "," | "of" | "for" | "and" | ".")
                {
                    let _ = and;
                    found.push((k, k));
                    t = k + 1;
                    continue;
                }
            }
            // "accelerate A, expand B and promote C": once a list is open,
            // "and VERB" closes it
            if w == "and"
                && !found.is_empty()
                && t + 2 < end
                && is_list_verb(ctx.w(t + 1))
                && !matches!(ctx.w(t + 2), "," | "of" | "for" | "and" | ".")
            {
                found.push((t + 1, t + 1));
                t += 2;
                continue;
            }
            if w == "and" && t + 1 < end && matches!(ctx.w(t + 1), "would" | "will" | "shall") {
                break;
            }
        }
        t += 1;
    }
    let proto = heads.last().expect("head");
    let items: Vec<Head> = found.into_iter().map(|(st, vt)| list_item(proto, vt, st, HeadForm::Bare)).collect();
    heads.extend(items);
}

/// "reaffirmed their commitment to X and their support for Y": two positions.
fn position_items(ctx: &Ctx, heads: &mut Vec<Head>, end: usize) {
    let Some(h) = heads.last() else { return };
    let mut found = Vec::new();
    let mut t = h.t + 2;
    while t + 2 < end {
        let possessed = matches!(ctx.w(t + 1), "their" | "its" | "our" | "his" | "her")
            && position_np(ctx, t + 1, (t + 5).min(end));
        // "their opposition to X and support for Y": a second position noun
        let bare = matches!(ctx.w(t + 1), "support" | "opposition" | "commitment" | "determination" | "resolve")
            && matches!(ctx.w(t + 2), "to" | "for" | "of");
        if ctx.w(t) == "and" && (possessed || bare) {
            found.push(t + 1);
        }
        t += 1;
    }
    let proto = heads.last().expect("head");
    let items: Vec<Head> = found.into_iter().map(|vt| list_item(proto, vt, vt, HeadForm::Position)).collect();
    heads.extend(items);
}

/// A further item of a pledged list: the head's subject, cue and limits,
/// a little less confidence.
fn list_item(proto: &Head, t: usize, span_t: usize, form: HeadForm) -> Head {
    Head {
        t,
        span_t,
        form,
        committers: proto.committers.clone(),
        counter: proto.counter.clone(),
        cue: proto.cue.clone(),
        rule: "list-item",
        vclass: proto.vclass,
        limit: proto.limit,
        confidence: proto.confidence - 0.05,
        negated: false,
        passive_meeting_ok: false,
    }
}

fn is_verbish(w: &str) -> bool {
    is_list_verb(w)
        || !w.ends_with("ing") && w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !matches!(w, "and" | "or")
}
