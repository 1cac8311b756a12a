//! Small noun-phrase tests on token ranges: determiners, positions
//! ("their support for"), intents ("their intention to", "the plans of the
//! two ports to"), possessors.

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

/// "the intention of X and Y to VP", "X's plans to VP" in `a..b`: the
/// meeting's parties X names (all of them when X names no party or joins
/// two bodies: the two sides' ports, carriers or institutes), and where VP
/// starts. None when X names a party not at the meeting.
pub(super) fn bodies_plan(ctx: &Ctx, a: usize, b: usize) -> Option<(Vec<usize>, usize)> {
    let noun =
        (a..b.min(a + 8)).find(|&t| matches!(ctx.w(t), "intention" | "intentions" | "plan" | "plans" | "decision"))?;
    let possessed = noun > a && {
        let before = ctx.w(noun - 1);
        before.ends_with("'s")
            || before.ends_with("’s")
            || before.ends_with('\'')
            || matches!(before, "'" | "’" | "'s" | "’s")
    };
    let (actors, vt) = if noun + 1 < b && matches!(ctx.w(noun + 1), "of" | "by") {
        let to = (noun + 2..b.min(noun + 30))
            .take_while(|&t| !matches!(ctx.w(t), ";" | "."))
            .find(|&t| ctx.w(t) == "to" && t + 1 < b && !ctx.capitalised(t + 1) && !is_determiner(ctx.w(t + 1)))?;
        ((noun + 2, to), to + 1)
    } else if possessed && noun + 2 < b && ctx.w(noun + 1) == "to" && !is_determiner(ctx.w(noun + 2)) {
        ((a, noun), noun + 2)
    } else {
        return None;
    };
    if ctx.meeting.len() < 2 || vt >= b || ctx.mention_at(vt).is_some() {
        return None;
    }
    let named: Vec<usize> = (actors.0..actors.1).filter_map(|t| ctx.mention_at(t).and_then(|m| m.party)).collect();
    if named.iter().any(|p| !ctx.meeting.contains(p)) {
        return None;
    }
    let mut parties: Vec<usize> = ctx.meeting.iter().copied().filter(|p| named.contains(p)).collect();
    // "the Port of Antwerp and Paraguay's port authority": a body of each side
    if parties.is_empty() || (actors.0..actors.1).any(|t| ctx.w(t) == "and") {
        parties = ctx.meeting.clone();
    }
    Some((parties, vt))
}
