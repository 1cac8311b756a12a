//! The kind of a pledged verb phrase (meeting, cooperation, stance, action),
//! or None for what is not a commitment: closing formulas, states, speech
//! acts, assessments.

use super::head::{Head, HeadForm};
use crate::lexicon::*;
use accord_domain::Kind;

const MEETING_NOUNS: &[&str] = &[
    "meeting",
    "meetings",
    "talks",
    "talk",
    "dialogue",
    "dialogues",
    "consultation",
    "consultations",
    "summit",
    "summits",
    "round",
    "session",
    "sessions",
    "conference",
    "call",
    "calls",
    "visit",
    "visits",
    "exchanges",
    "contact",
    "contacts",
    "communication",
    "communications",
    "forum",
    "mechanism",
    "hotline",
    "negotiations?",
    "consultative",
    "discussions",
    "2+2",
    "council",
];

/// The kind of a pledged verb phrase; None for a bare closing formula.
pub(super) fn classify(vp: &[&str], h: &Head) -> Option<Kind> {
    let (i, cont) = skip_preamble(vp);
    // "agreed on the need to strengthen", "agreed not to": read past the frame
    if matches!(vp.get(i).copied(), Some("not" | "never")) {
        return Some(Kind::Stance);
    }
    let i = skip_frame(vp, i);
    let v = vp.get(i).copied().unwrap_or("");
    let v1 = vp.get(i + 1).copied().unwrap_or("");
    let obj = &vp[(i + 1).min(vp.len())..];
    let p = Phrase { vp, i, v, v1, obj, cont };
    formulas(&p, h)
        .or_else(|| meeting_forms(&p, h))
        .or_else(|| acts_and_meetings(&p))
        .or_else(|| stances(&p, h))
        .or_else(|| cooperation(&p, h))
        .unwrap_or(Some(Kind::Action))
}

/// A rule group's answer: `Some(kind)` decides (`Some(None)`: not a
/// commitment); `None` leaves it to the next group.
type Verdict = Option<Option<Kind>>;

/// A pledged verb phrase split for the rules: the verb `v` at `vp[i]`, the
/// next word `v1`, and the object `obj` after the verb.
#[derive(Clone, Copy)]
struct Phrase<'a> {
    vp: &'a [&'a str],
    i: usize,
    v: &'a str,
    v1: &'a str,
    obj: &'a [&'a str],
    /// "continue to ...", "keep ..."
    cont: bool,
}

/// Skip "continue to", adverbs and "be ready to" before the verb. Returns
/// the verb's index and whether the phrase continues an activity.
fn skip_preamble(vp: &[&str]) -> (usize, bool) {
    let mut i = 0;
    let mut cont = false;
    while i < vp.len() {
        match vp[i] {
            "continue" | "continuing" | "keep" if vp.get(i + 1) == Some(&"to") => {
                cont = true;
                i += 2;
            }
            "continue" | "continuing" => {
                cont = true;
                i += 1;
            }
            // "keep working with", "keep upholding": the gerund decides
            "keep" | "keeping"
                if vp.get(i + 1).is_some_and(|w| w.ends_with("ing") && w.len() > 5 && *w != "nothing") =>
            {
                cont = true;
                i += 1;
            }
            w if w.ends_with("ly")
                && w.len() > 3
                && i + 1 < vp.len()
                && !matches!(w, "apply" | "supply" | "rely" | "comply" | "reply" | "ally") =>
            {
                // adverbs: "fully cooperate", "proactively contribute"
                i += 1
            }
            "further" | "also" | "jointly" | "more" | "than" | "closely" | "together" | "actively" | "steadily"
            | "next" | "again" => i += 1,
            // "be ready to provide": the verb after "to" decides
            "be" if matches!(
                vp.get(i + 1).copied(),
                Some(
                    "ready"
                        | "prepared"
                        | "able"
                        | "willing"
                        | "happy"
                        | "glad"
                        | "pleased"
                        | "determined"
                        | "committed"
                )
            ) && vp.get(i + 2) == Some(&"to") =>
            {
                i += 3
            }
            _ => break,
        }
    }
    (i, cont)
}

/// Read past a frame: "the need to", "ways to", "efforts to".
fn skip_frame(vp: &[&str], mut i: usize) -> usize {
    for frame in [
        &["the", "need", "to"][..],
        &["the", "need", "for"],
        &["the", "necessity", "to"],
        &["the", "necessity", "of"],
        &["ways", "to"],
        &["measures", "to"],
        &["efforts", "to"],
    ] {
        if vp[i..].starts_with(frame) {
            i += frame.len();
            break;
        }
    }
    i
}

/// Positions, assessments, closing formulas and negation.
fn formulas(p: &Phrase, h: &Head) -> Verdict {
    let Phrase { vp, v, v1, obj, .. } = *p;
    let obj_has = |ws: &[&str]| obj.iter().any(|w| ws.contains(w));
    if h.form == HeadForm::Position {
        return Some(Some(Kind::Stance));
    }
    if MEETING_NOUNS.contains(&v) {
        // "looked forward to further discussions"
        return Some(Some(Kind::Meeting));
    }
    if h.form == HeadForm::Gerund && h.rule == "agree-on" {
        let gerund = v.ends_with("ing");
        let framed = vp.first().is_some_and(|w| *w == "the")
            && matches!(vp.get(1).copied(), Some("importance" | "need" | "necessity"));
        let deliverable = vp.iter().take(6).any(|w| {
            matches!(
                *w,
                "plan"
                    | "roadmap"
                    | "framework"
                    | "package"
                    | "measures"
                    | "steps"
                    | "initiative"
                    | "mechanism"
                    | "programme"
                    | "program"
                    | "schedule"
                    | "timeline"
                    | "agenda"
                    | "target"
                    | "targets"
                    | "goal"
                    | "arrangement"
                    | "arrangements"
                    | "agreement"
                    | "text"
                    | "date"
                    | "venue"
                    | "action"
            ) || MEETING_NOUNS.contains(w)
        });
        if !(gerund || framed || deliverable) {
            // "agreed on the huge strength of the relationship": an assessment
            return Some(None);
        }
    }
    if v == "the" && v1 == "importance" {
        return Some(Some(Kind::Stance));
    }
    // bare closing formulas
    let closing = (matches!(v, "stay" | "remain" | "keep" | "maintain")
        && (obj_has(&["touch", "contact", "communication"])))
        && !obj_has(&[
            "toward",
            "towards",
            "on",
            "regarding",
            "for",
            "to",
            "over",
            "high-level",
            "regular",
            "regularly",
        ])
        && obj.len() <= 5;
    // "agreed to speak again soon", "talk again": nothing to check either
    let speak_again = matches!(v, "speak" | "talk" | "be" | "speaking" | "talking")
        && obj_has(&["again", "soon", "touch", "contact"])
        && !obj_has(&["toward", "towards", "on", "regarding", "about", "before", "at", "in"])
        && obj.len() <= 4;
    if closing || speak_again {
        return Some(None);
    }
    if h.negated {
        return Some(Some(Kind::Stance));
    }
    None
}

/// Meeting formats and noun phrases ("the visit of", "close cooperation"),
/// passive meetings, and states ("would be beneficial").
fn meeting_forms(p: &Phrase, h: &Head) -> Verdict {
    let Phrase { vp, i, v, v1, .. } = *p;
    // "the next '2+2'": a ministerial meeting format
    let two_plus_two = vp.windows(3).any(|w| w[0] == "2" && w[1] == "+" && w[2] == "2");
    if two_plus_two
        && matches!(
            v,
            "hold" | "holding" | "host" | "hosting" | "convene" | "launch" | "establish" | "organize" | "organise"
        )
    {
        return Some(Some(Kind::Meeting));
    }
    if matches!(v, "the" | "a" | "an" | "their" | "its" | "his" | "her" | "our" | "early")
        && vp.iter().skip(i).take(6).any(|w| {
            matches!(
                *w,
                "visit" | "meeting" | "summit" | "talks" | "dialogue" | "discussions" | "consultations" | "exchanges"
            )
        })
    {
        // "look forward to the visit of ...", "agreed on an early meeting"
        return Some(Some(Kind::Meeting));
    }
    // "continued dialogue", "further consultations", "regular exchanges"
    if matches!(v, "continued" | "further" | "regular" | "frequent" | "ongoing" | "more" | "sustained") {
        let noun = vp[i..].iter().find(|w| {
            !matches!(
                **w,
                "continued"
                    | "further"
                    | "regular"
                    | "frequent"
                    | "ongoing"
                    | "more"
                    | "sustained"
                    | "close"
                    | "closer"
                    | "high-level"
            )
        });
        if noun.is_some_and(|w| {
            MEETING_NOUNS.contains(w) && !matches!(*w, "contact" | "contacts" | "communication" | "communications")
        }) {
            return Some(Some(Kind::Meeting));
        }
    }
    if matches!(v, "the" | "a" | "an" | "close" | "closer" | "continued" | "our" | "their" | "its" | "cooperation")
        && vp.iter().skip(i).take(4).any(|w| matches!(*w, "cooperation" | "coordination" | "collaboration"))
    {
        return Some(Some(Kind::Cooperation));
    }
    // "maintain close security cooperation", "continue cooperation on": continued joint work
    if (p.cont || matches!(v, "maintain" | "maintaining" | "keep" | "keeping" | "sustain" | "sustaining"))
        && vp.iter().skip(i).take(5).any(|w| matches!(*w, "cooperation" | "coordination" | "collaboration"))
        && !vp.iter().skip(i).take(5).any(|w| matches!(*w, "policy" | "position" | "commitment" | "pressure"))
    {
        return Some(Some(Kind::Cooperation));
    }
    if h.passive_meeting_ok && matches!(v, "be" | "meet" | "convene" | "take") {
        return Some(Some(Kind::Meeting));
    }
    // "Canada's program would be extended to the Philippines": an act in
    // the passive (who acts is settled with the subject)
    if v == "be" && passive_act(v1) {
        return Some(Some(Kind::Action));
    }
    // "would be beneficial", "will be in the interests of": a state, not an act
    if matches!(v, "be" | "become" | "seem" | "appear")
        && !matches!(v1, "committed" | "united" | "steadfast" | "firm" | "resolute" | "ready" | "prepared")
    {
        return Some(None);
    }
    None
}

/// A participle after "be" that names something done ("extended", "built",
/// "developed"), not a state ("committed", "pleased", "based").
fn passive_act(w: &str) -> bool {
    let done = w.ends_with("ed") || matches!(w, "built" | "sent" | "made" | "set" | "held" | "drawn" | "undertaken");
    done && !matches!(
        w,
        "committed"
            | "united"
            | "interested"
            | "pleased"
            | "concerned"
            | "convinced"
            | "determined"
            | "prepared"
            | "engaged"
            | "involved"
            | "based"
            | "related"
            | "dedicated"
            | "devoted"
            | "focused"
            | "aimed"
            | "expected"
            | "needed"
            | "required"
            | "allowed"
            | "encouraged"
            | "tied"
            | "linked"
            | "guided"
            | "informed"
            | "welcomed"
            | "honoured"
            | "honored"
            | "delighted"
            | "satisfied"
            | "disappointed"
            | "worried"
            | "alarmed"
            | "supposed"
            | "used"
    )
}

/// Speech acts (nothing to check) and meeting verbs: holding, hosting,
/// welcoming, keeping in contact.
fn acts_and_meetings(p: &Phrase) -> Verdict {
    let Phrase { vp, v, obj, cont, .. } = *p;
    let meeting_v = matches!(
        v,
        "meet" | "visit" | "visiting" | "meeting" | "convene" | "convening" | "reconvene" | "consult" | "consulting"
    );
    let meeting_obj = obj.iter().take(8).any(|w| MEETING_NOUNS.contains(w))
        || obj.iter().any(|w| *w == "high-level" && vp.contains(&"visits"));
    // "looked forward to seeing one another at the G7": meeting again
    if matches!(v, "see" | "seeing")
        && obj.first().is_some_and(|w| matches!(*w, "one" | "each" | "him" | "her" | "them" | "you" | "his" | "their"))
    {
        return Some(Some(Kind::Meeting));
    }
    // "would like to ask / say / thank": speech acts, nothing to check later
    if matches!(
        v,
        "ask"
            | "say"
            | "express"
            | "thank"
            | "explain"
            | "convey"
            | "note"
            | "mention"
            | "emphasize"
            | "emphasise"
            | "stress"
            | "add"
            | "congratulate"
            | "state"
            | "point"
            | "touch"
            | "hear"
            | "listen"
            | "learn"
            | "know"
            | "see"
            | "take"
    ) && !(v == "take"
        && obj.first().is_some_and(|w| matches!(*w, "part" | "steps" | "measures" | "forward" | "action" | "in")))
    {
        return Some(None);
    }
    if meeting_v {
        return Some(Some(Kind::Meeting));
    }
    if matches!(
        v,
        "hold"
            | "holding"
            | "host"
            | "hosting"
            | "organize"
            | "organise"
            | "launch"
            | "launching"
            | "revive"
            | "reviving"
            | "resume"
            | "resuming"
            | "establish"
            | "establishing"
            | "set"
            | "create"
            | "creating"
            | "institutionalize"
            | "institutionalise"
            | "schedule"
            | "revitalise"
            | "revitalize"
            | "revitalising"
            | "revitalizing"
            | "reinvigorate"
            | "reactivate"
            | "restart"
            | "regularise"
            | "regularize"
    ) && obj
        .iter()
        .take(10)
        .any(|w| (MEETING_NOUNS.contains(w) && *w != "council") || matches!(*w, "committee" | "group" | "taskforce"))
    {
        return Some(Some(Kind::Meeting));
    }
    if matches!(v, "welcome" | "welcoming" | "receive" | "receiving" | "invite" | "inviting")
        && obj.iter().take(8).any(|w| matches!(*w, "to" | "visit" | "again") || MEETING_NOUNS.contains(w))
    {
        return Some(Some(Kind::Meeting));
    }
    if matches!(
        v,
        "maintain"
            | "keep"
            | "continue"
            | "promote"
            | "intensify"
            | "step"
            | "increase"
            | "conduct"
            | "pursue"
            | "deepen"
    ) && obj
        .iter()
        .take(6)
        .any(|w| matches!(*w, "contact" | "contacts" | "communication" | "visits" | "dialogue" | "consultations"))
        || (cont || matches!(v, "maintain" | "keep" | "continue" | "promote" | "conduct"))
            && obj.iter().take(4).any(|w| *w == "high-level")
    {
        return Some(Some(Kind::Meeting));
    }
    if matches!(v, "close" | "closer") && meeting_obj && obj.len() < 6 {
        return Some(Some(Kind::Meeting));
    }
    None
}

/// Stances: open-ended support, reaffirmations, opposition, maintained
/// pressure; and support for joint activity, which is cooperation.
fn stances(p: &Phrase, h: &Head) -> Verdict {
    let Phrase { vp, v, v1, obj, cont, .. } = *p;
    let has = |ws: &[&str]| vp.iter().any(|w| ws.contains(w));
    let obj_has = |ws: &[&str]| obj.iter().any(|w| ws.contains(w));
    // "support Viet Nam's efforts, including through ODA loans of 50 billion
    // yen": support with an amount is concrete aid
    if matches!(v, "support" | "supporting" | "assist" | "assisting" | "help" | "helping")
        && obj_has(&["yen", "usd", "dollars", "euros", "eur", "billion", "million", "loan", "loans", "grant", "grants"])
    {
        return Some(Some(Kind::Action));
    }
    // "continue to do whatever it takes to support Ukraine": open-ended support
    if cont
        && (has(&["support", "supporting"]) || matches!(v, "stand" | "standing"))
        && !matches!(v, "provide" | "providing" | "deliver" | "delivering" | "send" | "sending" | "fund" | "funding")
    {
        return Some(Some(Kind::Stance));
    }
    // stance
    if matches!(h.vclass, Some(VClass::Reaffirm)) {
        return Some(Some(Kind::Stance));
    }
    let stance_v = matches!(
        v,
        "oppose"
            | "opposing"
            | "support"
            | "supporting"
            | "uphold"
            | "upholding"
            | "respect"
            | "respecting"
            | "regard"
            | "adhere"
            | "abide"
            | "stand"
            | "standing"
            | "remain"
            | "reject"
            | "defend"
            | "press"
            | "pressing"
            | "oppose,"
            | "condemn"
            | "refrain"
            | "recognize"
            | "recognise"
            | "honour"
            | "honor"
            | "preserve"
    );
    // "contribute to regional peace" (no amount): cooperation
    if matches!(v, "contribute" | "contributing")
        && v1 == "to"
        && !obj.iter().any(|w| matches!(*w, "fund" | "budget" | "package" | "facility" | "trust" | "financing"))
    {
        return Some(Some(Kind::Cooperation));
    }
    // "support people-to-people exchanges": backing a joint activity is cooperation
    if matches!(v, "support" | "supporting")
        && obj
            .iter()
            .take(5)
            .any(|w| matches!(*w, "exchanges" | "cooperation" | "collaboration" | "partnership" | "projects" | "joint"))
    {
        return Some(Some(Kind::Cooperation));
    }
    if stance_v && !(matches!(v, "support" | "supporting") && obj_has(&["with"]) && !cont) {
        return Some(Some(Kind::Stance));
    }
    if matches!(v, "maintain" | "maintaining" | "keep" | "keeping")
        && obj_has(&["policy", "position", "pressure", "stance", "sanctions", "principle", "principles", "commitment"])
    {
        return Some(Some(Kind::Stance));
    }
    if (cont || matches!(v, "impose" | "keep" | "step" | "maintain")) && obj_has(&["pressure", "sanctions", "costs"]) {
        return Some(Some(Kind::Stance));
    }
    None
}

/// Cooperation verbs and upgraded relations; a confirmed gerund is a stance.
fn cooperation(p: &Phrase, h: &Head) -> Verdict {
    let Phrase { vp, v, obj, cont, .. } = *p;
    let has = |ws: &[&str]| vp.iter().any(|w| ws.contains(w));
    let obj_has = |ws: &[&str]| obj.iter().any(|w| ws.contains(w));
    // cooperation
    let coop_v = matches!(
        v,
        "cooperate"
            | "cooperating"
            | "collaborate"
            | "collaborating"
            | "coordinate"
            | "coordinating"
            | "work"
            | "working"
            | "partner"
            | "strengthen"
            | "strengthening"
            | "deepen"
            | "deepening"
            | "enhance"
            | "enhancing"
            | "expand"
            | "expanding"
            | "promote"
            | "promoting"
            | "advance"
            | "advancing"
            | "bolster"
            | "bolstering"
            | "step"
            | "stepping"
            | "boost"
            | "boosting"
            | "broaden"
            | "broadening"
            | "intensify"
            | "intensifying"
            | "reinforce"
            | "reinforcing"
            | "foster"
            | "fostering"
            | "build"
            | "building"
            | "encourage"
            | "encouraging"
            | "facilitate"
            | "facilitating"
            | "explore"
            | "exploring"
            | "consolidating"
    );
    let builds_ties = obj_has(&["partnership", "relations", "relationship", "ties", "cooperation", "trust"]);
    if coop_v && (!matches!(v, "build" | "building") || builds_ties) {
        return Some(Some(Kind::Cooperation));
    }
    if matches!(v, "elevate" | "upgrade") && obj.iter().any(|w| matches!(*w, "partnership" | "level")) {
        // "elevate relations to a Comprehensive Strategic Partnership": checkable
        return Some(Some(Kind::Action));
    }
    if matches!(
        v,
        "raise"
            | "move"
            | "elevate"
            | "take"
            | "lift"
            | "bring"
            | "develop"
            | "upgrade"
            | "further"
            | "consolidate"
            | "extend"
    ) && obj
        .iter()
        .take(8)
        .any(|w| matches!(*w, "relations" | "relationship" | "ties" | "cooperation" | "partnership" | "collaboration"))
    {
        return Some(Some(Kind::Cooperation));
    }
    if cont && matches!(v, "close" | "closer") && has(&["coordination", "cooperation", "collaboration"]) {
        return Some(Some(Kind::Cooperation));
    }
    if matches!(v, "close" | "closer") && has(&["coordination", "cooperation", "collaboration"]) {
        return Some(Some(Kind::Cooperation));
    }
    if matches!(h.vclass, Some(VClass::Confirm)) && h.form == HeadForm::Gerund {
        return Some(Some(Kind::Stance));
    }
    None
}
