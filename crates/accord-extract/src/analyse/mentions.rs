//! Party mentions: gazetteer hits resolved with the document (surnames,
//! roles, the publisher).

use crate::gazetteer::{Gazetteer, PartyKind, RawMention, Role, Target};
use std::collections::HashMap;
use time::Date;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Mention {
    pub s: usize,
    pub e: usize,
    pub party: Option<usize>,
    /// A name, person or role: can stand as a subject.
    pub strong: bool,
    pub person: bool,
    /// A bare role ("the Secretary General") resolved from the document.
    pub role: Option<Role>,
    /// A titled person we do not know ("President Sirisena"): resolved to
    /// the meeting party no known person stands for, once those are known.
    pub unknown: bool,
    /// A bare title whose holder the document never names ("the President"
    /// in a Vice President's readout): stands for the speaker's party.
    pub principal: bool,
}

/// Resolve raw gazetteer hits into mentions with parties, using the
/// document: surnames need a title or the full name nearby; bare roles take
/// the party of the role's holder named elsewhere in the document.
pub(super) fn resolve_mentions(
    text: &str,
    g: &Gazetteer,
    date: Option<Date>,
    publisher: &mut Option<usize>,
    publisher_given: bool,
) -> Vec<Mention> {
    let raw = g.scan(text);
    let nato = g.party_index("NATO");
    let has_nato = raw.iter().any(|m| matches!(m.target, Target::Party { party, strong: true } if Some(party) == nato));
    let mut out = named_mentions(text, g, date, &raw, has_nato);
    let (holders, keep) = role_holders(text, &mut out);
    let mut bare_pm = false;
    for k in 0..out.len() {
        if keep[k] && out[k].role == Some(Role::PrimeMinister) && out[k].party.is_none() {
            bare_pm = true;
        }
    }
    if bare_pm && publisher.is_none() && !publisher_given {
        *publisher = guess_publisher(text, g, &out, &holders.holders);
    }
    resolve_bare_roles(text, g, &mut out, &keep, &holders, *publisher, has_nato);
    out.into_iter()
        .zip(keep)
        .filter(|(m, k)| *k && (m.party.is_some() || m.unknown || m.principal))
        .map(|(m, _)| m)
        .collect()
}

/// A demonym or capital two parties share ("Dominican": Dominica, and the
/// Dominican Republic's people): the party whose name begins with it, when
/// the document names that party and never the gazetteer's own by name.
fn shared_demonym(text: &str, raw: &[RawMention], m: &RawMention, party: usize) -> usize {
    let surface = &text[m.start..m.end];
    let named = |m: &RawMention| match m.target {
        Target::Party { party, strong: true } => Some((party, &text[m.start..m.end])),
        _ => None,
    };
    if raw.iter().filter_map(named).any(|(p, _)| p == party) {
        return party;
    }
    raw.iter()
        .filter_map(named)
        .find(|(_, name)| name.strip_prefix(surface).is_some_and(|rest| rest.starts_with(' ')))
        .map_or(party, |(p, _)| p)
}

/// "Latin America", "South America": the region, not the United States.
fn names_a_region(text: &str, start: usize, end: usize) -> bool {
    &text[start..end] == "America"
        && ["Latin ", "South ", "Central ", "North "].iter().any(|r| text[..start].ends_with(r))
}

/// The raw hits as mentions: parties, people (a surname resolved by a title,
/// the full name, or the same surname met with a title), roles still bare.
fn named_mentions(text: &str, g: &Gazetteer, date: Option<Date>, raw: &[RawMention], has_nato: bool) -> Vec<Mention> {
    let nato = g.party_index("NATO");
    let full_names: Vec<usize> =
        raw.iter().filter_map(|m| if let Target::Person { person } = m.target { Some(person) } else { None }).collect();
    let mut out: Vec<Mention> = Vec::with_capacity(raw.len());
    // "Abe said ..." after "Prime Minister Abe": a surname met with a title
    // stands for the same person later on
    let mut surname_party: HashMap<&str, usize> = HashMap::new();
    let mut deferred: Vec<(usize, &str)> = Vec::new();
    for (k, m) in raw.iter().enumerate() {
        let mut mention = Mention {
            s: m.start,
            e: m.end,
            party: None,
            strong: true,
            person: false,
            role: None,
            unknown: false,
            principal: false,
        };
        match m.target {
            Target::Party { party, strong } => {
                if names_a_region(text, m.start, m.end) {
                    continue;
                }
                mention.party = Some(if strong { party } else { shared_demonym(text, raw, m, party) });
                mention.strong = strong;
            }
            Target::NatoAlias => {
                if !has_nato {
                    continue;
                }
                mention.party = nato;
            }
            Target::Person { person } => {
                // the same name may have held office for two parties (Rutte, Tusk)
                let name = &g.persons[person].name;
                let p = date
                    .and_then(|d| g.persons.iter().find(|q| &q.name == name && q.in_office(d)))
                    .map_or(g.persons[person].party, |q| q.party);
                mention.party = Some(p);
                mention.person = true;
            }
            Target::Surname { .. } => {
                let surface = &text[m.start..m.end];
                let pick = surname_person(text, g, date, raw, k, &full_names);
                mention.person = true;
                match pick {
                    Some(p) => {
                        mention.party = Some(g.persons[p].party);
                        surname_party.insert(surface, g.persons[p].party);
                    }
                    None => deferred.push((out.len(), surface)),
                }
            }
            Target::Role(role) => {
                mention.role = Some(role);
            }
            Target::Place => continue,
        }
        out.push(mention);
    }
    for (i, surface) in deferred {
        out[i].party = surname_party.get(surface).copied();
    }
    out
}

/// The person the surname `raw[k]` stands for: one whose full name the
/// document gives, else (after a title or honorific) the one in office.
fn surname_person(
    text: &str,
    g: &Gazetteer,
    date: Option<Date>,
    raw: &[RawMention],
    k: usize,
    full_names: &[usize],
) -> Option<usize> {
    let m = &raw[k];
    let surface = &text[m.start..m.end];
    let cands = g.persons_named(surface);
    let title_role = k.checked_sub(1).map(|j| raw[j]).and_then(|prev| match prev.target {
        Target::Role(r) if text[prev.end..m.start].trim().len() <= 12 => Some(r),
        _ => None,
    });
    let titled = title_role.is_some() || honorific_before(text, m.start);
    let cands: Vec<usize> = {
        let same: Vec<usize> =
            cands.iter().copied().filter(|&p| title_role.is_some() && g.persons[p].role() == title_role).collect();
        if same.is_empty() {
            cands
        } else {
            same
        }
    };
    let known: Vec<usize> = cands.iter().copied().filter(|p| full_names.contains(p)).collect();
    if let Some(p) = known.first() {
        Some(*p)
    } else if titled {
        date.and_then(|d| cands.iter().copied().find(|&p| g.persons[p].in_office(d))).or(cands.first().copied())
    } else {
        None
    }
}

/// Who holds each role in this document, and names learnt on the way.
struct RoleHolders<'t> {
    holders: HashMap<Role, Vec<usize>>,
    /// names learnt from "President Vo Van Thuong of Vietnam"
    learnt: HashMap<&'t str, usize>,
}

/// Roles: titled ("Prime Minister Abe") roles vanish into the person;
/// "ROLE of PARTY", "PARTY ROLE" resolve; the rest are bare. Returns the
/// holders found and which mentions to keep.
fn role_holders<'t>(text: &'t str, out: &mut [Mention]) -> (RoleHolders<'t>, Vec<bool>) {
    let mut holders: HashMap<Role, Vec<usize>> = HashMap::new();
    let mut learnt: HashMap<&str, usize> = HashMap::new();
    let mut keep = vec![true; out.len()];
    for k in 0..out.len() {
        let Some(role) = out[k].role else { continue };
        // followed by a person (possibly after another title or honorifics)
        let mut titled = None;
        for n in out.iter().skip(k + 1).take(3) {
            let gap = &text[out[k].e..n.s];
            if gap.len() > 40 || !gap_is_honorific(gap) {
                break;
            }
            if n.person {
                titled = n.party;
                break;
            }
            if n.role.is_none() {
                break;
            }
        }
        if let Some(p) = titled {
            holders.entry(role).or_default().push(p);
            keep[k] = false;
            continue;
        }
        let after = &text[out[k].e..];
        let of_party = out.get(k + 1).filter(|n| {
            let gap = &text[out[k].e..n.s];
            n.party.is_some() && n.strong && of_gap(gap)
        });
        if let Some(n) = of_party {
            let p = n.party;
            holders.entry(role).or_default().push(p.unwrap_or(0));
            if let Some(p) = p {
                // "President Vo Van Thuong of Vietnam", "Minister of Foreign
                // Affairs of Hungary Zoltán Baranyi"
                // the name after the title or the party, or in apposition
                // before the title: "Minister … of the State of Kuwait,
                // Sheikh Khaled", "Mr. Kristjan Mägi, Minister of Foreign
                // Affairs of the Republic of Estonia"
                let after_party = text[n.e..].strip_prefix(',').map_or(Vec::new(), |_| next_name(text, n.e + 1));
                let named = next_name(text, out[k].e).into_iter().chain(next_name(text, n.e)).chain(after_party);
                for w in named.chain(name_before(text, out[k].s)) {
                    learnt.insert(w, p);
                }
            }
            out[k].party = p;
            out[k].role = None;
            let _ = after;
            continue;
        }
        let before =
            k.checked_sub(1).map(|j| out[j]).filter(|b| b.party.is_some() && text[b.e..out[k].s].trim().is_empty());
        if let Some(b) = before {
            holders.entry(role).or_default().push(b.party.unwrap_or(0));
            // "Hungarian Foreign Minister Zoltán Baranyi"
            if let Some(p) = b.party {
                for w in next_name(text, out[k].e) {
                    learnt.insert(w, p);
                }
            }
            // the party mention itself already stands for the subject
            keep[k] = false;
            continue;
        }
    }
    (RoleHolders { holders, learnt }, keep)
}

/// "The Prime Minister met Prime Minister Kishida of Japan": the unnamed
/// Prime Minister is the publisher's. Guess it as the state most named
/// besides the named Prime Ministers' own.
fn guess_publisher(text: &str, g: &Gazetteer, out: &[Mention], holders: &HashMap<Role, Vec<usize>>) -> Option<usize> {
    if let Some(p) = site_owner(text, g, out) {
        return Some(p);
    }
    // the named leaders' states are the other side, not the publisher
    let mut pms: Vec<usize> = holders.values().flatten().copied().collect();
    pms.extend(out.iter().filter(|m| m.person).filter_map(|m| m.party));
    // count names in subject-like positions (not "support for Ukraine"),
    // and seats of government ("Number 10") heavily
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for m in out {
        let Some(p) = m.party else { continue };
        if m.person || pms.contains(&p) || g.parties[p].kind != PartyKind::State {
            continue;
        }
        let before = text[..m.s].trim_end().trim_end_matches("the").trim_end();
        let prev = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_ascii_lowercase();
        // "in Cameroon, Ghana, Malawi and Peru": an item of a list
        let listed = before.ends_with(',');
        let object = listed
            || matches!(
                prev.as_str(),
                "for"
                    | "to"
                    | "on"
                    | "against"
                    | "in"
                    | "with"
                    | "of"
                    | "from"
                    | "at"
                    | "toward"
                    | "towards"
                    | "into"
                    | "over"
                    | "about"
                    | "between"
                    | "among"
                    | "by"
                    | "supporting"
                    | "support"
                    | "invade"
                    | "invaded"
                    | "including"
                    | "regarding"
                    | "like"
                    | "as"
                    | "and"
            );
        let w = if !m.strong && text[m.s..m.e].contains(' ') {
            5
        } else if m.strong && !object {
            1
        } else {
            0
        };
        *counts.entry(p).or_default() += w;
    }
    counts.retain(|_, n| *n > 0);
    counts.into_iter().max_by_key(|(p, n)| (*n, usize::MAX - p)).map(|(p, _)| p)
}

/// The state whose seat of government ("10 Downing Street", "White
/// House") or office ("Prime Minister's Office of Japan", "Ministry of
/// Foreign Affairs, Republic of Korea") signs the page: the publisher, even
/// when its leader is named too. Read in the page's head and credits.
fn site_owner(text: &str, g: &Gazetteer, out: &[Mention]) -> Option<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for m in out {
        let Some(p) = m.party else { continue };
        if m.person || g.parties[p].kind != PartyKind::State {
            continue;
        }
        // seats of government only: capitals ("New Delhi") are just places
        let seat = !m.strong
            && [
                "Downing Street",
                "Number 10",
                "No 10",
                "No. 10",
                "White House",
                "Kantei",
                "Elysee",
                "Élysée",
                "Blue House",
            ]
            .iter()
            .any(|s| text[m.s..m.e].contains(s));
        let before = text[..m.s].trim_end().trim_end_matches(',').trim_end();
        let before = before.strip_suffix("of").map_or(before, str::trim_end).trim_end_matches(',').trim_end();
        let office =
            m.strong && ["Office", "Ministry of Foreign Affairs", "Cabinet"].iter().any(|o| before.ends_with(o));
        if seat || office {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(p, n)| (*n, usize::MAX - p)).map(|(p, _)| p)
}

/// Bare roles left: "President Thuong" (a learnt or unknown person), a
/// principal never named here, or the party of the role's holder.
fn resolve_bare_roles(
    text: &str,
    g: &Gazetteer,
    out: &mut [Mention],
    keep: &[bool],
    roles: &RoleHolders,
    publisher: Option<usize>,
    has_nato: bool,
) {
    let nato = g.party_index("NATO");
    let un = g.party_index("UN");
    let eu = g.party_index("EU");
    let mut learnt = roles.learnt.clone();
    for k in 0..out.len() {
        if !keep[k] {
            continue;
        }
        let Some(role) = out[k].role else { continue };
        if out[k].party.is_some() {
            continue;
        }
        let list = roles.holders.get(&role);
        let name = next_name(text, out[k].e);
        if !name.is_empty() {
            // "President Thuong": a person we learnt, or one we do not know
            out[k].party = name.iter().find_map(|w| learnt.get(w).copied());
            out[k].unknown = out[k].party.is_none();
            out[k].person = true;
            continue;
        }
        // "The Minister for Foreign Affairs and Trade, Ciarán Ó Floinn T.D.,
        // today welcomed …": a minister of no party named, in apposition
        // with a name no party was learnt for, is the publisher's own
        let apposed = apposed_name(text, out[k].e);
        let minister = matches!(role, Role::ForeignMinister | Role::Minister | Role::DefenceMinister);
        if let Some(p) = publisher.filter(|_| minister && !apposed.is_empty()) {
            if apposed.iter().all(|w| !learnt.contains_key(w)) {
                out[k].party = Some(p);
                for w in apposed {
                    learnt.insert(w, p);
                }
                continue;
            }
        }
        // "The Federal Chancellor today received …": Germany's, unnamed
        if list.is_none() && role == Role::Chancellor && text[..out[k].s].ends_with("Federal ") {
            out[k].party = g.party_index("DEU");
            continue;
        }
        if list.is_none()
            && !(role == Role::PrimeMinister && publisher.is_some())
            && matches!(role, Role::President | Role::PrimeMinister | Role::Chancellor | Role::Premier)
        {
            // "the Vice President said the President looks forward to ...":
            // a principal with no holder named here; the speaker's party, later
            out[k].principal = true;
            continue;
        }
        let p = match role {
            Role::PrimeMinister if publisher.is_some() => publisher,
            Role::SecretaryGeneral => list.and_then(|l| l.first().copied()).or(if has_nato { nato } else { un }),
            Role::HighRepresentative => list.and_then(|l| l.first().copied()).or(eu),
            _ => list.and_then(|l| l.first().copied()),
        };
        out[k].party = p;
    }
}

/// The capitalised words right after a title: "Vo Van Thuong" in
/// "President Vo Van Thuong of Vietnam".
fn next_name(text: &str, from: usize) -> Vec<&str> {
    let rest = &text[from..];
    let Some(rest) = rest.strip_prefix(' ') else { return Vec::new() };
    // a name ends with its line ("… Zoltán Baranyi.\n\nMinister")
    let rest = rest.split('\n').next().unwrap_or_default();
    let mut out = Vec::new();
    for w in rest.split(' ').take(7) {
        // "…, H.E. Rodrigo Quispe Choque": an honorific before the name
        if out.is_empty() && HONORIFICS.contains(&w) {
            continue;
        }
        // "Salim bin Nasser Al Harthy": particles inside a name
        if !out.is_empty() && matches!(w, "bin" | "bint" | "ibn" | "de" | "da" | "van" | "von" | "der" | "del") {
            continue;
        }
        let w = w.trim_end_matches([',', '.', ';', ':', '\'', '’']);
        let w = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w);
        if w.len() > 1 && w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(|c| c.is_alphabetic() || c == '-')
        {
            if matches!(w, "The" | "In" | "On" | "And" | "Of" | "For") {
                break;
            }
            out.push(w);
        } else {
            break;
        }
    }
    out
}

/// The name in apposition after a title, past the rest of the title's
/// name: "Ciarán Ó Floinn" in "Minister for Foreign Affairs and Trade,
/// Ciarán Ó Floinn T.D.,".
fn apposed_name(text: &str, from: usize) -> Vec<&str> {
    let rest = &text[from..];
    let line = rest.split('\n').next().unwrap_or_default();
    let Some(comma) = line.find(", ").filter(|&c| c <= 40) else { return Vec::new() };
    let between = &line[..comma];
    let of_title = between.is_empty()
        || between
            .strip_prefix(" and ")
            .is_some_and(|w| w.split(' ').all(|w| w.starts_with(|c: char| c.is_uppercase())));
    if !of_title {
        return Vec::new();
    }
    next_name(text, from + comma + 1)
}

/// The capitalised words of a name in apposition before a title: "Kristjan
/// Mägi" in "Mr. Kristjan Mägi, Minister of Foreign Affairs of Estonia".
fn name_before(text: &str, to: usize) -> Vec<&str> {
    let Some(before) = text[..to].strip_suffix(", ") else { return Vec::new() };
    let line = before.rsplit('\n').next().unwrap_or_default();
    let mut out: Vec<&str> = Vec::new();
    for w in line.rsplit(' ').take(4) {
        let name = w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(|c| c.is_alphabetic() || c == '-');
        if !name || matches!(w, "The" | "In" | "On" | "And" | "Of" | "For" | "With") {
            break;
        }
        out.push(w);
    }
    out
}

/// " of ", " of the ", or an unknown name then " of ": "President Vo Van Thuong of".
fn of_gap(gap: &str) -> bool {
    if matches!(gap, " of " | " of the " | " for ") {
        return true;
    }
    let Some(names) = gap.strip_suffix(" of ").or_else(|| gap.strip_suffix(" of the ")) else { return false };
    let names = names.trim_start_matches([' ', ',']);
    let words: Vec<&str> = names.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            // ("Minister of Foreign Affairs and Trade of Hungary": the title goes on)
            w.starts_with(|c: char| c.is_uppercase())
                || matches!(*w, "bin" | "al" | "van" | "von" | "de" | "der" | "and")
        })
}

fn gap_is_honorific(gap: &str) -> bool {
    let g = gap.trim_matches([' ', ',']);
    g.split_whitespace().all(|w| {
        let w = w.trim_end_matches(',');
        HONORIFICS.contains(&w) || matches!(w, "the" | "Senator" | "MP" | "and")
    })
}

/// Words of address before a name.
const HONORIFICS: &[&str] = &["H.E.", "Mr.", "Ms.", "Mrs.", "Dr.", "Mr", "Ms", "Mrs", "Dr", "Hon", "Hon.", "Amb."];

fn honorific_before(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    HONORIFICS.iter().any(|h| {
        before.ends_with(h) && before[..before.len() - h.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
    })
}
