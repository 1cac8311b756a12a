//! Small noun-phrase tests on token ranges: determiners, positions
//! ("their support for"), intents ("their intention to"), possessors.

use super::Ctx;
use crate::lexicon::*;

pub(super) fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "this"
            | "that"
            | "these"
            | "those"
            | "their"
            | "its"
            | "his"
            | "her"
            | "our"
            | "my"
            | "such"
    )
}

/// "their (full) support for", "Australia's opposition to", "the importance of".
pub(super) fn position_np(ctx: &Ctx, a: usize, b: usize) -> bool {
    for t in a..b.min(a + 6) {
        let w = ctx.w(t);
        if matches!(
            w,
            "opposition"
                | "support"
                | "commitment"
                | "commitments"
                | "determination"
                | "resolve"
                | "importance"
                | "position"
                | "positions"
                | "stance"
                | "adherence"
                | "intention"
                | "readiness"
                | "willingness"
                | "solidarity"
                | "pledge"
                | "resolution"
                | "desire"
                | "policy"
                | "objection"
                | "rejection"
        ) {
            return true;
        }
        if matches!(w, "," | ";" | "that" | "and") {
            return false;
        }
    }
    false
}

/// "their intention to VP", "Japan's readiness to VP": the verb's token.
pub(super) fn intent_to(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
    for t in a..b.min(a + 6) {
        match ctx.w(t) {
            "intention" | "intent" | "plan" | "plans" | "readiness" | "willingness" | "decision" | "desire"
            | "wish" | "offer" | "ambition" | "goal" | "aim" | "objective" | "target" => {
                let ok = t + 2 < b
                    && ctx.w(t + 1) == "to"
                    && !is_determiner(ctx.w(t + 2))
                    && ctx.mention_at(t + 2).is_none();
                return ok.then_some(t + 2);
            }
            "," | ";" | "that" | "and" | "." => return None,
            _ => {}
        }
    }
    None
}

/// "confirmed their commitment to promote cooperation": under a plain
/// confirmation the verb decides (a reaffirmed commitment stays a stance).
pub(super) fn commitment_to(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
    let t = (a..b.min(a + 5)).find(|&t| ctx.w(t) == "commitment")?;
    let ok = t + 2 < b && ctx.w(t + 1) == "to" && is_list_verb(ctx.w(t + 2));
    ok.then_some(t + 2)
}

/// "close cooperation toward", "continued coordination on".
pub(super) fn cooperation_np(ctx: &Ctx, a: usize, b: usize) -> bool {
    for t in a..b.min(a + 4) {
        match ctx.w(t) {
            "cooperation" | "coordination" | "collaboration" => return t + 1 < b,
            "close" | "closer" | "continued" | "further" | "their" | "the" | "bilateral" | "enhanced" | "strong" => {}
            _ => return false,
        }
    }
    false
}

/// "Australia's opposition": the possessing party, if a party.
pub(super) fn possessor(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
    // "Australia's", "the United States'", "the U.S. commitment"
    let mut t = a;
    while t < b && t < a + 6 {
        let w = ctx.w(t);
        if w == "the" {
            t += 1;
            continue;
        }
        let m = ctx.mention_at(t)?;
        let p = m.party?;
        // walk to the mention's last token
        let mut e = t;
        while e + 1 < b && ctx.toks[e + 1].e <= m.e {
            e += 1;
        }
        let last = ctx.w(e);
        let next = if e + 1 < b { ctx.w(e + 1) } else { "" };
        // "the Korean side's plan"
        let side = next == "side's" || next == "side" && e + 2 < b && matches!(ctx.w(e + 2), "'s" | "’s");
        if last.ends_with("'s") || last.ends_with("’s") || matches!(next, "'" | "’" | "'s" | "’s") || side {
            return Some(p);
        }
        let noun = |k: usize| k < b && (position_np(ctx, k, (k + 1).min(b)) || intent_to(ctx, k, b).is_some());
        return (m.strong && noun(e + 1)).then_some(p);
    }
    None
}
