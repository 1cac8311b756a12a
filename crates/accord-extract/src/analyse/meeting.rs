//! The parties of the meeting: who "they", "the two leaders", "both sides"
//! are, from a readout's title, its opening sentences, the signatories a
//! joint statement names, or a hyphenated meeting name.

use super::Ctx;
use crate::gazetteer::PartyKind;
use crate::split::Sentence;

/// Who "they", "the two leaders", "both sides" are: the document's meeting
/// parties, found in its title and opening sentence.
/// Whether `rest` (the text after a party's name) opens with a title:
/// " Foreign Minister Murillo", " President Lula".
fn titled(rest: &str) -> bool {
    const TITLES: [&str; 13] = [
        " counterpart",
        " Foreign Minister",
        " Prime Minister",
        " President",
        " Minister",
        " Secretary",
        " Ambassador",
        " Chancellor",
        " Vice President",
        " Deputy Prime Minister",
        " Federal Minister",
        " Prime Cabinet Secretary",
        " Cabinet Secretary",
    ];
    // "Egypt's Minister of Foreign Affairs"
    let rest = rest.strip_prefix("'s").or_else(|| rest.strip_prefix("’s")).unwrap_or(rest);
    TITLES.iter().any(|t| rest.starts_with(t))
}

pub(super) fn meeting_parties(ctx: &Ctx, sents: &[Sentence], publisher: Option<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    let push = |p: usize, out: &mut Vec<usize>| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    let mut body_seen = 0;
    let mut lead_end = 0;
    let mut heading_parties: Vec<usize> = Vec::new();
    for s in sents.iter().take(12) {
        if s.heading && body_seen == 0 {
            for m in ctx.mentions.iter().filter(|m| m.s >= s.start && m.e <= s.end) {
                if let Some(p) = m.party {
                    // ("Sri Lankan Foreign Minister hold talks": a demonym
                    // before a title names the title holder's party)
                    if m.strong || titled(&ctx.text[m.e..s.end]) {
                        push(p, &mut out);
                        heading_parties.push(p);
                    }
                }
            }
        } else if !s.heading {
            // a page's banner ("We use cookies to make this website work")
            // comes before the readout: its opening names who met
            let met = MET.is_match(&ctx.text[s.start..s.end]);
            let names_someone = ctx.mentions.iter().any(|m| {
                m.s >= s.start && m.e <= s.end && m.party.is_some() && (m.person || m.role.is_some() || m.strong || met)
            });
            if body_seen == 0 && (!names_someone || super::site_chrome(&ctx.lower[s.start..s.end])) {
                continue;
            }
            body_seen += 1;
            // a title naming two parties ("ASEAN-China Summit") is enough:
            // the chair's own state is not a party of "we"
            if body_seen == 1 && out.len() >= 2 {
                lead_end = s.end;
                break;
            }
            if body_seen == 1 {
                lead_end = s.end;
                for m in ctx.mentions.iter().filter(|m| m.s >= s.start && m.e <= s.end) {
                    if let Some(p) = m.party {
                        // "met with Colombian Foreign Minister Murillo": a
                        // demonym before a title names the title holder's party
                        if m.person || m.role.is_some() || titled(&ctx.text[m.e..s.end]) {
                            push(p, &mut out);
                        }
                    }
                }
            }
            // "Minister Veldkamp met Secretary Manalo in Manila": one side
            // named, the other is the host whose capital the meeting is in
            // ("visited Cairo", "travelled today to Amman"); "met with the
            // Minister of Foreign Affairs of Vietnam", "received the President of
            // the Comoros": the title holder's state
            if body_seen <= 2 && out.len() <= 1 && MET.is_match(&ctx.text[s.start..s.end]) {
                for m in ctx.mentions.iter().filter(|m| m.s >= s.start && m.e <= s.end) {
                    let Some(p) = m.party else { continue };
                    let before = &ctx.text[s.start..m.s];
                    let capital = !m.strong && !m.person && m.role.is_none();
                    let arrival = [" in ", "visited ", "visits ", " to "].iter().any(|w| before.ends_with(w));
                    let title_of = m.strong && (before.ends_with(" of ") || before.ends_with(" of the ")) && {
                        let mut from = before.len().saturating_sub(80);
                        while !before.is_char_boundary(from) {
                            from += 1;
                        }
                        let near = &before[from..];
                        ["Minister", "President", "Secretary"].iter().any(|t| near.contains(t))
                    };
                    if out.len() < 2 && (capital && arrival || title_of) {
                        push(p, &mut out);
                    }
                }
            }
        }
        if body_seen >= 1 && out.len() >= 2 {
            break;
        }
    }
    if out.len() < 2 {
        if let Some(p) = publisher {
            push(p, &mut out);
        }
    }
    if out.len() < 2 {
        for m in ctx.mentions.iter().filter(|m| m.e <= lead_end.max(1)) {
            if let (Some(p), true) = (m.party, m.strong) {
                if ctx.g.parties[p].kind == PartyKind::Org {
                    push(p, &mut out);
                }
            }
        }
    }
    if out.len() < 2 {
        for m in ctx.mentions.iter().filter(|m| m.e <= lead_end.max(1)) {
            if let (Some(p), true) = (m.party, m.strong) {
                push(p, &mut out);
            }
        }
    }
    // "We, the leaders of Australia, India, Japan and the United States":
    // the signatories a joint statement names are its "we"
    // (within the first body sentences: menus and datelines before them do not count)
    let head_len = ctx.text.len().min(sents.iter().filter(|s| !s.heading).take(8).last().map_or(0, |s| s.end));
    let head = &ctx.text[..head_len];
    if let Some(c) = SIGNATORIES.captures(head).or_else(|| PARTICIPANTS.captures(head)) {
        let g = c.get(1).expect("group");
        let named: Vec<usize> = ctx
            .mentions
            .iter()
            .filter(|m| m.s >= g.start() && m.e <= g.end() && m.strong)
            .filter_map(|m| m.party)
            .fold(Vec::new(), |mut v, p| {
                if !v.contains(&p) {
                    v.push(p);
                }
                v
            });
        if named.len() >= 2 {
            return named;
        }
    }
    // a state that is a member of an organisation at the table is spoken
    // for by it (the chair of an ASEAN summit), unless a heading names it
    let member_of_present = |p: usize, out: &[usize]| {
        out.iter().any(|&o| ctx.g.parties[o].members.iter().any(|m| *m == ctx.g.parties[p].code))
    };
    let snapshot = out.clone();
    out.retain(|&p| heading_parties.contains(&p) || !member_of_present(p, &snapshot));
    if out.len() < 2 {
        // "The 24th ASEAN-Republic of Korea (ROK) Summit was held ...,
        // chaired by ...": the meeting's name names its parties
        let named = compound_meeting_parties(ctx, lead_end);
        if named.len() >= 2 {
            return named;
        }
    }
    out
}

/// Parties named in a hyphenated meeting name ("ASEAN-Republic of Korea
/// Summit", "Japan-Viet Nam Talks") before `end`.
fn compound_meeting_parties(ctx: &Ctx, end: usize) -> Vec<usize> {
    let mut named = Vec::new();
    for c in MEETING_NAME.find_iter(&ctx.text[..end.min(ctx.text.len())]) {
        // a demonym counts inside the name: "German-Chilean government consultations"
        for m in ctx.mentions.iter().filter(|m| m.s >= c.start() && m.e <= c.end()) {
            if let Some(p) = m.party.filter(|p| !named.contains(p)) {
                named.push(p);
            }
        }
        if named.len() >= 2 {
            return named;
        }
        named.clear();
    }
    named
}

static MET: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(met|meets|received|receives|held talks|talks with|hosted|visited|visits|travelled)\b")
        .expect("met regex")
});

static MEETING_NAME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"\b[A-Z][\w.]*(?: [A-Z][\w.]*| of)*(?:-[A-Z][\w.]*(?: [A-Z][\w.]*| of)*)+(?: \([A-Z]+\))? (?:(?:government|intergovernmental|strategic|high-level|bilateral|political|economic|security|ministerial|leaders'?) )?(?:Summit|Meeting|Dialogue|Talks|Consultations|summit|meeting|dialogue|talks|consultations)\b",
    )
    .expect("meeting name regex")
});

/// A chair's summary opening with who met: "1. The G7 Foreign Ministers of
/// Canada, France, ... and the High Representative of the European Union
/// met in Capri": they, not the chair named in the dateline, are "we".
static PARTICIPANTS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?im)^(?:\(?\d{1,3}[.)]\s+)?the\s+(?:[A-Z0-9][\w-]*\s+)?(?:leaders|heads of state and(?: of)? government|heads of state|heads of government|foreign ministers|ministers|prime ministers|presidents)\s+of\s+([^.]{3,400}?),?\s+(?:met|gathered|convened|held)\b",
    )
    .expect("participants regex")
});

static SIGNATORIES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\bwe,\s+the\s+(?:leaders|heads of state and(?: of)? government|heads of state|heads of government|foreign ministers|ministers|prime ministers|presidents|representatives)\b[^,.]{0,60}?\bof\s+([^.]{3,400}?)(?:,?\s+(?:met|meet|have|gathered|convened|hereby|reaffirm|affirm|are|held|issue|adopt)\b|\.)",
    )
    .expect("signatories regex")
});
