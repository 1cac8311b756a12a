//! Clauses whose subject is a thing, not a party: who a meeting, a
//! deliverable or a party's own programme in the passive binds ("the
//! dialogue would be held", "the trains would be delivered", "Canada's
//! program would be extended").

use super::Ctx;

/// A subject naming a meeting or a body that meets: "the next bilateral
/// consultations", "the Strategic Dialogue", "the joint committee".
pub(super) fn meeting_subject(ctx: &Ctx, boundary: usize, m: usize) -> bool {
    (boundary..m).any(|t| {
        matches!(
            ctx.w(t),
            "consultations"
                | "dialogue"
                | "meeting"
                | "summit"
                | "talks"
                | "round"
                | "session"
                | "commission"
                | "committee"
                | "council"
                | "forum"
                | "group"
                | "negotiations"
        )
    })
}

/// A deliverable's milestone: "be delivered", "be completed", "begin
/// operations", "enter into force".
pub(super) fn deliverable_verb(ctx: &Ctx, vp: usize, b: usize) -> bool {
    let (w0, w1) = verb_pair(ctx, vp, b);
    passive(
        (w0, w1),
        &[
            "delivered",
            "completed",
            "signed",
            "concluded",
            "finalised",
            "finalized",
            "built",
            "opened",
            "established",
            "operational",
        ],
    ) || (matches!(w0, "begin" | "start" | "commence") && vp + 1 < b)
        || (w0 == "enter" && w1 == "into")
}

/// "be offered", "be signed": something one side provides, in the passive.
pub(super) fn provided_passive(ctx: &Ctx, vp: usize, b: usize) -> bool {
    passive(
        verb_pair(ctx, vp, b),
        &[
            "offered",
            "provided",
            "signed",
            "delivered",
            "opened",
            "established",
            "launched",
            "built",
            "sent",
            "extended",
            "expanded",
            "completed",
            "concluded",
            "developed",
            "set",
            "granted",
            "made",
            "submitted",
        ],
    )
}

/// The verb after the modal and the word after it ("" at the clause's end).
fn verb_pair<'a>(ctx: &'a Ctx, vp: usize, b: usize) -> (&'a str, &'a str) {
    (ctx.w(vp), if vp + 1 < b { ctx.w(vp + 1) } else { "" })
}

/// "be" and one of `participles`: "be held", "be delivered".
fn passive((w0, w1): (&str, &str), participles: &[&str]) -> bool {
    w0 == "be" && participles.contains(&w1)
}

/// A subject opening with a party's possessive ("Canada's … program")
/// and a passive verb ("would be extended").
pub(super) fn possessed_passive(ctx: &Ctx, boundary: usize, m: usize, vp: usize) -> bool {
    let start = if ctx.w(boundary) == "the" { boundary + 1 } else { boundary };
    let possessive = (start..m.min(start + 4)).any(|t| {
        ctx.mention_at(t).is_some() && matches!(ctx.w(t + 1), "'s" | "’s" | "'" | "’") || ctx.w(t).ends_with("'s")
    });
    possessive && ctx.w(vp) == "be" && (ctx.w(vp + 1).ends_with("ed") || ctx.w(vp + 1).ends_with("en"))
}

pub(super) fn is_meeting_passive(ctx: &Ctx, vp: usize, b: usize) -> bool {
    // "will next meet", "will again be held"
    let vp = if matches!(ctx.w(vp), "next" | "again" | "also" | "then") && vp + 1 < b { vp + 1 } else { vp };
    let (w0, w1) = verb_pair(ctx, vp, b);
    passive(
        (w0, w1),
        &[
            "held",
            "convened",
            "organised",
            "organized",
            "hosted",
            "launched",
            "established",
            "resumed",
            "set",
            "created",
            "formed",
        ],
    ) || matches!(w0, "meet" | "convene" | "reconvene")
        || (w0 == "take" && w1 == "place")
}
