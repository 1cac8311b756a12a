//! The rules: from sentences to commitments.
//!
//! Each sentence is read as a chain of main clauses, each opened by a main
//! verb from the cue lexicon ("agreed", "stated", "welcomed" ...) with its
//! subject before it. A clause yields commitments through its complement:
//! "agreed to VP", "concurred on VBG", "reaffirmed their opposition",
//! or "stated that SUBJECT would VP" where the subject is a party. A list of
//! pledged actions is split into one commitment per verb phrase; a list of
//! objects inside one pledge is not.

use crate::dates;
use crate::gazetteer::{Gazetteer, PartyKind, Role, Target};
use crate::lexicon::*;
use crate::split::{self, Sentence};
use accord_domain::Kind;
use std::collections::HashMap;
use time::Date;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub s: usize,
    pub e: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            let mut e = i + c.len_utf8();
            loop {
                match it.peek().copied() {
                    Some((j, d)) if is_word_char(d) => {
                        e = j + d.len_utf8();
                        it.next();
                    }
                    Some((j, d)) if matches!(d, '\'' | '’' | '-' | '.' | '‐') => {
                        let next = text[j + d.len_utf8()..].chars().next();
                        if next.is_some_and(is_word_char) {
                            e = j + d.len_utf8();
                            it.next();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            // "he'd", "we'll": the modal is its own token
            let word = &text[i..e];
            let split = ["'d", "’d", "'ll", "’ll"]
                .iter()
                .find(|suf| word.len() > suf.len() + 1 && word.ends_with(*suf))
                .map(|suf| e - suf.len());
            match split {
                Some(k) => {
                    out.push(Tok { s: i, e: k });
                    out.push(Tok { s: k, e });
                }
                None => out.push(Tok { s: i, e }),
            }
        } else {
            out.push(Tok { s: i, e: i + c.len_utf8() });
        }
    }
    out
}

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

/// One commitment found, in analysed-text offsets.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// where the pledged verb phrase starts (deadlines are read from here)
    #[allow(dead_code)]
    pub head: usize,
    pub kind: Kind,
    pub committers: Vec<usize>,
    pub counterparts: Vec<usize>,
    pub cue: String,
    pub rule: &'static str,
    pub due: Option<Date>,
    pub confidence: f32,
}

#[derive(Debug, Clone)]
pub(crate) struct Note {
    pub start: usize,
    pub end: usize,
    pub lines: Vec<String>,
}

pub(crate) struct Analysis {
    pub found: Vec<Found>,
    pub notes: Vec<Note>,
    pub meeting: Vec<usize>,
    pub publisher: Option<usize>,
}

struct Ctx<'a> {
    text: &'a str,
    lower: &'a str,
    g: &'a Gazetteer,
    toks: Vec<Tok>,
    mentions: Vec<Mention>,
    /// token index -> mention index
    tok_mention: Vec<Option<u32>>,
    meeting: Vec<usize>,
    date: Option<Date>,
    explain: bool,
}

/// Resolve raw gazetteer hits into mentions with parties, using the
/// document: surnames need a title or the full name nearby; bare roles take
/// the party of the role's holder named elsewhere in the document.
fn resolve_mentions(
    text: &str,
    g: &Gazetteer,
    date: Option<Date>,
    publisher: &mut Option<usize>,
    publisher_given: bool,
) -> Vec<Mention> {
    let raw = g.scan(text);
    let nato = g.party_index("NATO");
    let un = g.party_index("UN");
    let eu = g.party_index("EU");
    let has_nato = raw.iter().any(|m| matches!(m.target, Target::Party { party, strong: true } if Some(party) == nato));
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
                mention.party = Some(party);
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
                let cands = g.persons_named(surface);
                let title_role = k.checked_sub(1).map(|j| raw[j]).and_then(|prev| match prev.target {
                    Target::Role(r) if text[prev.end..m.start].trim().len() <= 12 => Some(r),
                    _ => None,
                });
                let titled = title_role.is_some() || honorific_before(text, m.start);
                let cands: Vec<usize> = {
                    let same: Vec<usize> = cands
                        .iter()
                        .copied()
                        .filter(|&p| title_role.is_some() && g.persons[p].role() == title_role)
                        .collect();
                    if same.is_empty() {
                        cands
                    } else {
                        same
                    }
                };
                let known: Vec<usize> = cands.iter().copied().filter(|p| full_names.contains(p)).collect();
                let pick = if let Some(p) = known.first() {
                    Some(*p)
                } else if titled {
                    date.and_then(|d| cands.iter().copied().find(|&p| g.persons[p].in_office(d)))
                        .or(cands.first().copied())
                } else {
                    None
                };
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
    // Roles: titled ("Prime Minister Abe") roles vanish into the person;
    // "ROLE of PARTY", "PARTY ROLE" resolve; the rest are bare.
    let mut holders: HashMap<Role, Vec<usize>> = HashMap::new();
    // names learnt from "President Vo Van Thuong of Vietnam"
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
                for w in next_name(text, out[k].e) {
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
            // the party mention itself already stands for the subject
            keep[k] = false;
            continue;
        }
    }
    let mut bare_pm = false;
    for k in 0..out.len() {
        if keep[k] && out[k].role == Some(Role::PrimeMinister) && out[k].party.is_none() {
            bare_pm = true;
        }
    }
    if bare_pm && publisher.is_none() && !publisher_given {
        // "The Prime Minister met Prime Minister Kishida of Japan": the
        // unnamed Prime Minister is the publisher's. Guess it as the state
        // most named besides the named Prime Ministers' own.
        // the named leaders' states are the other side, not the publisher
        let mut pms: Vec<usize> = holders.values().flatten().copied().collect();
        pms.extend(out.iter().filter(|m| m.person).filter_map(|m| m.party));
        // count names in subject-like positions (not "support for Ukraine"),
        // and seats of government ("Number 10") heavily
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for m in &out {
            let Some(p) = m.party else { continue };
            if m.person || pms.contains(&p) || g.parties[p].kind != PartyKind::State {
                continue;
            }
            let before = text[..m.s].trim_end().trim_end_matches("the").trim_end();
            let prev = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_ascii_lowercase();
            let object = matches!(
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
        *publisher = counts.into_iter().max_by_key(|(p, n)| (*n, usize::MAX - p)).map(|(p, _)| p);
    }
    for k in 0..out.len() {
        if !keep[k] {
            continue;
        }
        let Some(role) = out[k].role else { continue };
        if out[k].party.is_some() {
            continue;
        }
        let list = holders.get(&role);
        let name = next_name(text, out[k].e);
        if !name.is_empty() {
            // "President Thuong": a person we learnt, or one we do not know
            out[k].party = name.iter().find_map(|w| learnt.get(w).copied());
            out[k].unknown = out[k].party.is_none();
            out[k].person = true;
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
            Role::PrimeMinister if publisher.is_some() => *publisher,
            Role::SecretaryGeneral => list.and_then(|l| l.first().copied()).or(if has_nato { nato } else { un }),
            Role::HighRepresentative => list.and_then(|l| l.first().copied()).or(eu),
            _ => list.and_then(|l| l.first().copied()),
        };
        out[k].party = p;
    }
    out.into_iter()
        .zip(keep)
        .filter(|(m, k)| *k && (m.party.is_some() || m.unknown || m.principal))
        .map(|(m, _)| m)
        .collect()
}

/// The capitalised words right after a title: "Vo Van Thuong" in
/// "President Vo Van Thuong of Vietnam".
fn next_name(text: &str, from: usize) -> Vec<&str> {
    let rest = &text[from..];
    let Some(rest) = rest.strip_prefix(' ') else { return Vec::new() };
    let mut out = Vec::new();
    for w in rest.split(' ').take(5) {
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
            w.starts_with(|c: char| c.is_uppercase()) || matches!(*w, "bin" | "al" | "van" | "von" | "de" | "der")
        })
}

fn gap_is_honorific(gap: &str) -> bool {
    let g = gap.trim_matches([' ', ',']);
    g.split_whitespace().all(|w| {
        matches!(
            w.trim_end_matches(','),
            "H.E." | "Mr." | "Ms." | "Mrs." | "Dr." | "the" | "Hon" | "Hon." | "Senator" | "MP" | "and"
        )
    })
}

fn honorific_before(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    ["Mr.", "Ms.", "Mrs.", "Dr.", "Mr", "Ms", "Mrs", "Dr", "H.E.", "Hon", "Hon."].iter().any(|h| {
        before.ends_with(h) && before[..before.len() - h.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
    })
}

impl<'a> Ctx<'a> {
    fn w(&self, t: usize) -> &'a str {
        let t = self.toks[t];
        &self.lower[t.s..t.e]
    }

    fn mention_at(&self, t: usize) -> Option<&Mention> {
        self.tok_mention[t].map(|m| &self.mentions[m as usize])
    }

    /// Parties named in a token range, split into actors and those after
    /// "together with"/"with" (counterparts).
    fn parties_in(&self, a: usize, b: usize) -> (Vec<usize>, Vec<usize>) {
        let (mut act, mut other) = (Vec::new(), Vec::new());
        if a >= b {
            return (act, other);
        }
        let (s, e) = (self.toks[a].s, self.toks[b - 1].e);
        let lo = self.mentions.partition_point(|m| m.s < s);
        let mut with = false;
        let mut t = a;
        for m in self.mentions[lo..].iter().take_while(|m| m.e <= e) {
            while t < b && self.toks[t].e <= m.s {
                if matches!(self.w(t), "with" | "than" | "including") {
                    with = true;
                }
                t += 1;
            }
            let Some(p) = m.party else { continue };
            if !m.strong {
                // demonyms and capitals act only when they head the subject
                // or qualify its head ("the Japanese side", "his Indian counterpart")
                let t_after = self.toks.partition_point(|t| t.s < m.e);
                let qualifies = t_after < b && {
                    let w = self.w(t_after);
                    matches!(
                        w,
                        "side"
                            | "government"
                            | "delegation"
                            | "counterpart"
                            | "leader"
                            | "leadership"
                            | "authorities"
                            | "administration"
                    )
                };
                if !self.is_head(m, b) && !qualifies {
                    continue;
                }
            }
            let list = if with { &mut other } else { &mut act };
            if !list.contains(&p) {
                list.push(p);
            }
        }
        (act, other)
    }

    fn is_head(&self, m: &Mention, b: usize) -> bool {
        b > 0 && self.toks[b - 1].e == m.e
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadForm {
    /// "agreed to VP", "would VP": a bare verb phrase.
    Bare,
    /// "concurred on VBG", "the importance of": a gerund or noun phrase.
    Gerund,
    /// "reaffirmed their opposition to": a position noun phrase.
    Position,
}

struct Head {
    /// first token of the verb phrase
    t: usize,
    /// first token of the span
    span_t: usize,
    form: HeadForm,
    committers: Vec<usize>,
    counter: Vec<usize>,
    cue: String,
    rule: &'static str,
    vclass: Option<VClass>,
    /// the clause this head belongs to ends at or before this token
    limit: usize,
    confidence: f32,
    negated: bool,
    passive_meeting_ok: bool,
}

/// Who "they", "the two leaders", "both sides" are: the document's meeting
/// parties, found in its title and opening sentence.
fn meeting_parties(ctx: &Ctx, sents: &[Sentence], publisher: Option<usize>) -> Vec<usize> {
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
                    if m.strong {
                        push(p, &mut out);
                        heading_parties.push(p);
                    }
                }
            }
        } else if !s.heading {
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
                        if m.person || m.role.is_some() {
                            push(p, &mut out);
                        }
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
    let head_len = ctx.text.len().min(sents.get(sents.len().min(8).saturating_sub(1)).map_or(0, |s| s.end));
    if let Some(c) = SIGNATORIES.captures(&ctx.text[..head_len]) {
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
    out
}

static SIGNATORIES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\bwe,\s+the\s+(?:leaders|heads of state and(?: of)? government|heads of state|heads of government|foreign ministers|ministers|prime ministers|presidents|representatives)\b[^,.]{0,60}?\bof\s+([^.]{3,400}?)(?:,?\s+(?:met|meet|have|gathered|convened|hereby|reaffirm|affirm|are|held|issue|adopt)\b|\.)",
    )
    .expect("signatories regex")
});

/// Sentences longer than this many tokens are read in windows.
const MAX_SENTENCE_TOKENS: usize = 250;

pub(crate) fn analyse(
    text: &str,
    g: &Gazetteer,
    date: Option<Date>,
    publisher: Option<usize>,
    explain: bool,
) -> Analysis {
    let lower = text.to_ascii_lowercase();
    let mut publisher_v = publisher;
    let mentions = resolve_mentions(text, g, date, &mut publisher_v, publisher.is_some());
    let toks = tokenize(text);
    let mut tok_mention = vec![None; toks.len()];
    {
        let mut mi = 0;
        for (ti, t) in toks.iter().enumerate() {
            while mi < mentions.len() && mentions[mi].e <= t.s {
                mi += 1;
            }
            if let Some(m) = mentions.get(mi) {
                if m.s < t.e && t.s < m.e {
                    tok_mention[ti] = Some(mi as u32);
                }
            }
        }
    }
    let sents = split::sentences(text);
    let mut ctx = Ctx { text, lower: &lower, g, toks, mentions, tok_mention, meeting: Vec::new(), date, explain };
    ctx.meeting = meeting_parties(&ctx, &sents, publisher_v);
    // unknown titled people stand for the one meeting party no known person does
    if ctx.mentions.iter().any(|m| m.unknown) {
        let known: Vec<usize> =
            ctx.mentions.iter().filter(|m| m.person && !m.unknown).filter_map(|m| m.party).collect();
        let free: Vec<usize> = ctx.meeting.iter().copied().filter(|p| !known.contains(p)).collect();
        let guess = if free.len() == 1 { Some(free[0]) } else { None };
        for m in ctx.mentions.iter_mut().filter(|m| m.unknown) {
            m.party = guess;
        }
    }
    let mut found = Vec::new();
    let mut notes = Vec::new();
    let mut speaker: Option<usize> = None;
    for s in &sents {
        let a = ctx.toks.partition_point(|t| t.s < s.start);
        let b = ctx.toks.partition_point(|t| t.s < s.end);
        let mut lines = Vec::new();
        // real sentences are far shorter; windows keep run-on input linear
        let mut w = a;
        while w < b {
            let e = if b - w > MAX_SENTENCE_TOKENS { w + MAX_SENTENCE_TOKENS } else { b };
            sentence(&ctx, w, e, &mut speaker, &mut found, &mut lines);
            w = e;
        }
        if explain {
            notes.push(Note { start: s.start, end: s.end, lines });
        }
    }
    Analysis { found, notes, meeting: ctx.meeting, publisher: publisher_v }
}

struct Verb {
    /// present tense ("we agree"): a joint statement's own voice
    present: bool,
    t: usize,
    len: usize,
    class: VClass,
    subj: (usize, usize),
    parties: Vec<usize>,
    explicit: bool,
}

/// Resolve a subject token range to parties. `inherit` is the previous
/// clause's parties, used for an empty subject.
fn resolve_subject(
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
                | "sides"
                | "governments"
                | "countries"
                | "delegations"
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
    None
}

fn strip_fronting(ctx: &Ctx, mut a: usize, b: usize) -> (usize, usize) {
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

fn agentive_end(ctx: &Ctx, t: usize) -> bool {
    let w = ctx.w(t);
    ctx.mention_at(t).is_some_and(|m| m.strong || ctx.toks[t].e == m.e)
        || is_pronoun(w).is_some() && !matches!(w, "his" | "her" | "its" | "their" | "our")
        || is_agent_noun(w)
        || w.ends_with("leaders")
        || titled_name(ctx, t)
}

/// An unknown capitalised name right after a title ("President Thuong").
fn titled_name(ctx: &Ctx, t: usize) -> bool {
    let cap = |k: usize| ctx.text[ctx.toks[k].s..].starts_with(|c: char| c.is_uppercase());
    let mut k = t;
    for _ in 0..4 {
        if !cap(k) || k == 0 {
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

/// Find main verbs of the sentence with their subjects.
fn main_verbs(ctx: &Ctx, a: usize, b: usize, ws: &[&str]) -> Vec<Verb> {
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
        let capital = ctx.text[ctx.toks[i].s..].starts_with(|c: char| c.is_uppercase());
        let ok = if ctx.mention_at(i).is_some() || capital && i != a {
            false
        } else if ctx.w(i) == "it" {
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
                !(present && possessive) && (agentive_end(ctx, p - 1) || prev == ")")
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

fn sentence(
    ctx: &Ctx,
    a: usize,
    b: usize,
    speaker: &mut Option<usize>,
    found: &mut Vec<Found>,
    notes: &mut Vec<String>,
) {
    if a >= b {
        return;
    }
    let ws: Vec<&str> = (a..b).map(|t| ctx.w(t)).collect();
    let mut vs = main_verbs(ctx, a, b, &ws);
    // resolve verb subjects
    let mut prev: Option<Vec<usize>> = None;
    for v in vs.iter_mut() {
        match resolve_subject(ctx, v.subj.0, v.subj.1, *speaker, None) {
            Some((p, _, explicit)) => {
                v.parties = p;
                v.explicit = explicit;
            }
            None => v.parties = prev.clone().unwrap_or_default(),
        }
        if v.parties.len() == 1 {
            *speaker = Some(v.parties[0]);
        }
        prev = Some(v.parties.clone());
    }
    // scopes
    let mut heads: Vec<Head> = Vec::new();
    let scope_end = |k: usize| -> usize {
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
    };
    // a sentence with no main verb, or the stretch before the first one,
    // can hold direct modal clauses ("the two organisations will conduct")
    let first = vs.first().map_or(b, |v| v.subj.0);
    modal_heads(ctx, a, first, None, None, *speaker, &mut heads, notes, true);
    for (k, v) in vs.iter().enumerate() {
        let end = scope_end(k);
        let cue_txt = ctx.text[ctx.toks[v.t].s..ctx.toks[v.t + v.len - 1].e].to_string();
        let after = v.t + v.len;
        let w1 = if after < b { ctx.w(after) } else { "" };
        match v.class {
            VClass::Neg(n) => {
                // "expressed his hope to visit Japan": a wish about one's own act,
                // like "would like to" (a hope that others act is not)
                let own_hope = if n == Neg::Hope {
                    (v.t..(after + 3).min(end))
                        .find(|&t| {
                            matches!(ctx.w(t), "hope" | "hopes" | "hoped") && t + 2 < end && ctx.w(t + 1) == "to"
                        })
                        .map(|t| t + 2)
                        .filter(|&vt| !is_determiner(ctx.w(vt)) && ctx.mention_at(vt).is_none())
                } else {
                    None
                };
                if let Some(vt) = own_hope.filter(|_| !v.parties.is_empty()) {
                    heads.push(Head {
                        t: vt,
                        span_t: v.t,
                        form: HeadForm::Bare,
                        committers: v.parties.clone(),
                        counter: Vec::new(),
                        cue: format!("{cue_txt} hope to"),
                        rule: "own-hope",
                        vclass: Some(VClass::Pledge),
                        limit: end,
                        confidence: 0.6,
                        negated: false,
                        passive_meeting_ok: false,
                    });
                    continue;
                }
                if ctx.explain {
                    notes.push(format!("not taken: {cue_txt:?}: {}", n.reason()));
                }
                // "condemned X and will continue to impose sanctions": a
                // coordinated modal clause is the subject's own pledge
                modal_heads(ctx, after, end, Some(v), Some(&cue_txt), *speaker, &mut heads, notes, true);
                continue;
            }
            VClass::Agree | VClass::Pledge | VClass::Reaffirm | VClass::Confirm => {
                let (form, t) = if w1 == "to" && after + 1 < end && !is_determiner(ctx.w(after + 1)) {
                    (Some(HeadForm::Bare), after + 1)
                } else if w1 == "not" && after + 2 < end && ctx.w(after + 1) == "to" {
                    // "agreed not to allow ...": classify sees the negation
                    (Some(HeadForm::Bare), after)
                } else if matches!(v.class, VClass::Pledge)
                    && matches!(ctx.w(v.t), "pledged" | "promised" | "pledge" | "pledges" | "promise")
                    && w1 != "to"
                    && after < end
                {
                    // "pledged an additional 50 million dollars": the pledge is the object
                    (Some(HeadForm::Gerund), after)
                } else if matches!(v.class, VClass::Pledge) && (ctx.w(v.t) == "set" || ctx.w(v.t + v.len - 1) == "to") {
                    (Some(HeadForm::Gerund), after)
                } else if matches!(v.class, VClass::Pledge)
                    && matches!(w1, "for" | "to" | "towards" | "toward")
                    && after + 1 < end
                    && matches!(
                        ctx.w(v.t + v.len - 1),
                        "commitment"
                            | "determination"
                            | "resolve"
                            | "readiness"
                            | "willingness"
                            | "intention"
                            | "desire"
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
                } else if matches!(v.class, VClass::Reaffirm | VClass::Confirm | VClass::Pledge)
                    && position_np(ctx, after, end)
                {
                    (Some(HeadForm::Position), after)
                } else if matches!(v.class, VClass::Reaffirm | VClass::Confirm | VClass::Agree)
                    && cooperation_np(ctx, after, end)
                {
                    // "confirmed close cooperation toward ...": a cooperation pledge
                    (Some(HeadForm::Gerund), after)
                } else {
                    (None, after)
                };
                if let Some(form) = form {
                    // "reaffirmed the U.S. commitment": the possessor holds the position
                    let owner =
                        if form == HeadForm::Position || t > after + 1 { possessor(ctx, after, end) } else { None };
                    let committers = owner.map_or_else(|| v.parties.clone(), |p| vec![p]);
                    if committers.is_empty() {
                        if ctx.explain {
                            notes.push(format!("not taken: {cue_txt:?}: no party found as subject"));
                        }
                        continue;
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
                    list_items(ctx, &mut heads, end);
                    // "concurred on X and would cooperate on Y": a second pledge
                    modal_heads(ctx, t + 1, end, Some(v), Some(&cue_txt), *speaker, &mut heads, notes, false);
                    continue;
                }
                modal_heads(ctx, after, end, Some(v), Some(&cue_txt), *speaker, &mut heads, notes, true);
            }
            VClass::Stance => {
                // "We oppose any unilateral attempt": the verb phrase is the position
                if !v.parties.is_empty() {
                    heads.push(Head {
                        t: v.t,
                        span_t: v.t,
                        form: HeadForm::Bare,
                        committers: v.parties.clone(),
                        counter: Vec::new(),
                        cue: cue_txt.clone(),
                        rule: "present-stance",
                        vclass: Some(VClass::Reaffirm),
                        limit: end,
                        confidence: 0.75,
                        negated: false,
                        passive_meeting_ok: false,
                    });
                }
            }
            VClass::Report
                if w1 == "to"
                    && matches!(ctx.w(v.t + v.len - 1), "view" | "recognition" | "understanding")
                    && after + 1 < end =>
            {
                // "shared the view to deepen discussions": an agreement to act
                if !v.parties.is_empty() {
                    heads.push(Head {
                        t: after + 1,
                        span_t: v.t,
                        form: HeadForm::Bare,
                        committers: v.parties.clone(),
                        counter: Vec::new(),
                        cue: format!("{cue_txt} to"),
                        rule: "agree-to",
                        vclass: Some(VClass::Agree),
                        limit: end,
                        confidence: 0.85,
                        negated: false,
                        passive_meeting_ok: false,
                    });
                    list_items(ctx, &mut heads, end);
                }
            }
            VClass::Report
                if matches!(ctx.w(v.t), "announced" | "announces" | "announce")
                    && !matches!(w1, "that" | "to")
                    && (after..end.min(after + 8)).any(|t| {
                        matches!(
                            ctx.w(t),
                            "billion" | "million" | "yen" | "dollars" | "euros" | "pounds" | "$" | "£" | "€"
                        )
                    })
                    && !v.parties.is_empty() =>
            {
                // "announced an additional $1 billion in assistance": a pledge of money
                heads.push(Head {
                    t: after,
                    span_t: v.t,
                    form: HeadForm::Gerund,
                    committers: v.parties.clone(),
                    counter: Vec::new(),
                    cue: cue_txt.clone(),
                    rule: "announce-amount",
                    vclass: Some(VClass::Pledge),
                    limit: end,
                    confidence: 0.7,
                    negated: false,
                    passive_meeting_ok: false,
                });
            }
            VClass::Report => {
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
                        continue;
                    }
                }
                modal_heads(ctx, after, end, Some(v), Some(&cue_txt), *speaker, &mut heads, notes, true);
            }
        }
    }
    // turn heads into commitments: each ends where the next begins
    heads.sort_by_key(|h| h.t);
    heads.dedup_by_key(|h| h.t);
    for i in 0..heads.len() {
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
        while end > h.t + 1 && matches!(ctx.w(end - 1), "," | "and" | ";" | ":" | "." | "but" | "or" | "while" | "that")
        {
            end -= 1;
        }
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

fn is_determiner(w: &str) -> bool {
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
fn position_np(ctx: &Ctx, a: usize, b: usize) -> bool {
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
fn intent_to(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
    for t in a..b.min(a + 6) {
        match ctx.w(t) {
            "intention" | "intent" | "plan" | "plans" | "readiness" | "willingness" | "decision" | "desire" => {
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
fn commitment_to(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
    let t = (a..b.min(a + 5)).find(|&t| ctx.w(t) == "commitment")?;
    let ok = t + 2 < b && ctx.w(t + 1) == "to" && is_list_verb(ctx.w(t + 2));
    ok.then_some(t + 2)
}

/// "close cooperation toward", "continued coordination on".
fn cooperation_np(ctx: &Ctx, a: usize, b: usize) -> bool {
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
fn possessor(ctx: &Ctx, a: usize, b: usize) -> Option<usize> {
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
        if last.ends_with("'s") || last.ends_with("’s") || matches!(next, "'" | "’" | "'s" | "’s") {
            return Some(p);
        }
        let noun = |k: usize| k < b && (position_np(ctx, k, (k + 1).min(b)) || intent_to(ctx, k, b).is_some());
        return (m.strong && noun(e + 1)).then_some(p);
    }
    None
}

/// Find the modal clauses in `a..b`: "SUBJECT would/will/intends to VP".
#[allow(clippy::too_many_arguments)]
fn modal_heads(
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
        // subject: back to "that", "which", ", and", scope start
        let mut s = m;
        let mut relative = false;
        let mut coord = false;
        while s > a {
            let w = ctx.w(s - 1);
            if matches!(w, "that" | "which" | "who" | "whom" | "whose" | "where" | "whereby" | "when") {
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
                if s >= 2 && ctx.w(s - 2) == "," || !agentive_end(ctx, s.saturating_sub(2).max(a)) {
                    break;
                }
            }
            s -= 1;
        }
        let boundary = s;
        // only the first modal clause of a scope starts at the cue; after a
        // rejected one, the next starts at its own subject
        let is_first = first_in_scope;
        first_in_scope = false;
        let mut vp = m + len;
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
                "like"
                    | "love"
                    | "aim"
                    | "seek"
                    | "strive"
                    | "endeavour"
                    | "endeavor"
                    | "try"
                    | "want"
                    | "wish"
                    | "hope"
            ) && vp + 1 < b
                && ctx.w(vp + 1) == "to"
            {
                vp += 2;
            } else {
                break;
            }
        }
        i = (vp - a).max(i + len);
        if vp >= b {
            break;
        }
        let modal_txt = ctx.text[ctx.toks[m].s..ctx.toks[m + len - 1].e].to_string();
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
            continue;
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
            continue;
        }
        // "was ready to" is a commitment only as reported speech
        if v.is_none() && matches!(ctx.w(m), "was" | "were" | "intended" | "planned") {
            continue;
        }
        if neg_scope && !(coord || boundary > a && matches!(ctx.w(boundary - 1), "and" | "but")) {
            if ctx.explain {
                notes.push(format!("not taken: {modal_txt:?}: inside a non-commitment clause"));
            }
            continue;
        }
        if relative {
            if ctx.explain {
                notes.push(format!("not taken: {modal_txt:?}: in a relative clause, no party subject"));
            }
            continue;
        }
        let (committers, counter, thing) = if coord {
            match &last_subject {
                Some(p) => (p.clone(), Vec::new(), false),
                None => match v {
                    Some(v) if !v.parties.is_empty() => (v.parties.clone(), Vec::new(), false),
                    _ => continue,
                },
            }
        } else {
            let outer = v.map(|v| v.parties.as_slice());
            // "a stronger Japan would be ...": an indefinite subject is generic
            let core = subject_core(ctx, boundary, m);
            let generic = core.0 < core.1 && matches!(ctx.w(core.0), "a" | "an" | "any" | "every" | "each");
            let head_ok = boundary < m && !generic && agentive_end(ctx, subject_head(ctx, boundary, m));
            match resolve_subject(ctx, boundary, m, speaker, outer) {
                Some((p, o, _)) if head_ok && !p.is_empty() => (p, o, false),
                _ => (Vec::new(), Vec::new(), true),
            }
        };
        let passive_meeting = is_meeting_passive(ctx, vp, b);
        let committers = if thing {
            // "the dialogue would be held": only when the parties agreed it
            match v {
                Some(v)
                    if passive_meeting
                        && matches!(v.class, VClass::Agree | VClass::Confirm)
                        && !v.parties.is_empty() =>
                {
                    v.parties.clone()
                }
                _ => {
                    if ctx.explain {
                        notes.push(format!(
                            "not taken: {modal_txt:?}: subject {:?} is not a party",
                            &ctx.text[ctx.toks[boundary.min(m)].s..ctx.toks[m].s].trim()
                        ));
                    }
                    continue;
                }
            }
        } else {
            committers
        };
        // "agreed we must continue": an obligation binds only those who agreed
        // ("agreed that Hamas should accept" binds nobody present)
        if matches!(ctx.w(m), "must" | "should" | "need" | "needed") {
            let agreed = v.is_some_and(|v| {
                matches!(v.class, VClass::Agree | VClass::Confirm | VClass::Reaffirm | VClass::Pledge)
            });
            let own = v.is_some_and(|v| !v.parties.is_empty() && committers.iter().all(|p| v.parties.contains(p)));
            if !(agreed && own) {
                if ctx.explain {
                    notes.push(format!("not taken: {modal_txt:?}: an obligation of others, not a pledge"));
                }
                continue;
            }
        }
        last_subject = Some(committers.clone());
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
        heads.push(Head {
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
        });
        list_items(ctx, heads, b);
    }
}

/// The last token of a subject's head, skipping commas and a trailing
/// "together with X" / "along with X" aside.
/// The part of a subject stretch that names the actor. An aside ends in a
/// comma ("Japan, as the G7 Presidency,"): the actor is before it, unless
/// the rest joins more actors with "and". Otherwise fronted material ends
/// in a comma ("while recovering, Japan"): the actor is the last chunk.
fn subject_core(ctx: &Ctx, a: usize, b: usize) -> (usize, usize) {
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

fn subject_head(ctx: &Ctx, a: usize, b: usize) -> usize {
    let (a, b) = subject_core(ctx, a, b);
    if a >= b {
        return b.saturating_sub(1);
    }
    let mut h = b;
    while h > a + 1 && ctx.w(h - 1) == "," {
        h -= 1;
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

fn is_meeting_passive(ctx: &Ctx, vp: usize, b: usize) -> bool {
    let w0 = ctx.w(vp);
    let w1 = if vp + 1 < b { ctx.w(vp + 1) } else { "" };
    (w0 == "be"
        && matches!(
            w1,
            "held" | "convened" | "organised" | "organized" | "hosted" | "launched" | "established" | "resumed"
        ))
        || matches!(w0, "meet" | "convene" | "reconvene")
        || (w0 == "take" && w1 == "place")
}

/// After the last head, look for further items of the same pledge list:
/// "and to VP", ", VP", ", and VP" (bare verbs only).
fn list_items(ctx: &Ctx, heads: &mut Vec<Head>, end: usize) {
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
    let items: Vec<Head> = found
        .into_iter()
        .map(|(st, vt)| Head {
            t: vt,
            span_t: st,
            form: HeadForm::Bare,
            committers: proto.committers.clone(),
            counter: proto.counter.clone(),
            cue: proto.cue.clone(),
            rule: "list-item",
            vclass: proto.vclass,
            limit: proto.limit,
            confidence: proto.confidence - 0.05,
            negated: false,
            passive_meeting_ok: false,
        })
        .collect();
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
    let items: Vec<Head> = found
        .into_iter()
        .map(|vt| Head {
            t: vt,
            span_t: vt,
            form: HeadForm::Position,
            committers: proto.committers.clone(),
            counter: proto.counter.clone(),
            cue: proto.cue.clone(),
            rule: "list-item",
            vclass: proto.vclass,
            limit: proto.limit,
            confidence: proto.confidence - 0.05,
            negated: false,
            passive_meeting_ok: false,
        })
        .collect();
    heads.extend(items);
}

fn is_verbish(w: &str) -> bool {
    is_list_verb(w)
        || !w.ends_with("ing") && w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !matches!(w, "and" | "or")
}

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
fn classify(vp: &[&str], h: &Head) -> Option<Kind> {
    let has = |ws: &[&str]| vp.iter().any(|w| ws.contains(w));
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
            w if w.ends_with("ly")
                && w.len() > 3
                && i + 1 < vp.len()
                && !matches!(w, "apply" | "supply" | "rely" | "comply" | "reply" | "ally") =>
            {
                // adverbs: "fully cooperate", "proactively contribute"
                i += 1
            }
            "further" | "also" | "jointly" | "more" | "than" | "closely" | "together" | "actively" | "steadily" => {
                i += 1
            }
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
    // "agreed on the need to strengthen", "agreed not to": read past the frame
    if matches!(vp.get(i).copied(), Some("not" | "never")) {
        return Some(Kind::Stance);
    }
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
    let v = vp.get(i).copied().unwrap_or("");
    let v1 = vp.get(i + 1).copied().unwrap_or("");
    let obj = &vp[(i + 1).min(vp.len())..];
    let obj_has = |ws: &[&str]| obj.iter().any(|w| ws.contains(w));
    if h.form == HeadForm::Position {
        return Some(Kind::Stance);
    }
    if MEETING_NOUNS.contains(&v) {
        // "looked forward to further discussions"
        return Some(Kind::Meeting);
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
            return None;
        }
    }
    if v == "the" && v1 == "importance" {
        return Some(Kind::Stance);
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
        return None;
    }
    if h.negated {
        return Some(Kind::Stance);
    }
    // "the next '2+2'": a ministerial meeting format
    let two_plus_two = vp.windows(3).any(|w| w[0] == "2" && w[1] == "+" && w[2] == "2");
    if two_plus_two
        && matches!(
            v,
            "hold" | "holding" | "host" | "hosting" | "convene" | "launch" | "establish" | "organize" | "organise"
        )
    {
        return Some(Kind::Meeting);
    }
    let meeting_v = matches!(
        v,
        "meet" | "visit" | "visiting" | "meeting" | "convene" | "convening" | "reconvene" | "consult" | "consulting"
    );
    if matches!(v, "the" | "a" | "an" | "their" | "its" | "his" | "her" | "our" | "early")
        && vp.iter().skip(i).take(6).any(|w| {
            matches!(
                *w,
                "visit" | "meeting" | "summit" | "talks" | "dialogue" | "discussions" | "consultations" | "exchanges"
            )
        })
    {
        // "look forward to the visit of ...", "agreed on an early meeting"
        return Some(Kind::Meeting);
    }
    if matches!(v, "the" | "a" | "an" | "close" | "closer" | "continued")
        && vp.iter().skip(i).take(4).any(|w| matches!(*w, "cooperation" | "coordination" | "collaboration"))
    {
        return Some(Kind::Cooperation);
    }
    let meeting_obj = obj.iter().take(8).any(|w| MEETING_NOUNS.contains(w))
        || obj.iter().any(|w| *w == "high-level" && vp.contains(&"visits"));
    if h.passive_meeting_ok && matches!(v, "be" | "meet" | "convene" | "take") {
        return Some(Kind::Meeting);
    }
    // "would be beneficial", "will be in the interests of": a state, not an act
    if matches!(v, "be" | "become" | "seem" | "appear")
        && !matches!(v1, "committed" | "united" | "steadfast" | "firm" | "resolute" | "ready" | "prepared")
    {
        return None;
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
        && obj.first().is_some_and(|w| matches!(*w, "part" | "steps" | "measures" | "forward" | "action")))
    {
        return None;
    }
    if meeting_v {
        return Some(Kind::Meeting);
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
    ) && obj
        .iter()
        .take(10)
        .any(|w| (MEETING_NOUNS.contains(w) && *w != "council") || matches!(*w, "committee" | "group" | "taskforce"))
    {
        return Some(Kind::Meeting);
    }
    if matches!(v, "welcome" | "welcoming" | "receive" | "receiving" | "invite" | "inviting")
        && obj.iter().take(8).any(|w| matches!(*w, "to" | "visit" | "again") || MEETING_NOUNS.contains(w))
    {
        return Some(Kind::Meeting);
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
        return Some(Kind::Meeting);
    }
    if matches!(v, "close" | "closer") && meeting_obj && obj.len() < 6 {
        return Some(Kind::Meeting);
    }
    // "continue to do whatever it takes to support Ukraine": open-ended support
    if cont
        && (has(&["support", "supporting"]) || matches!(v, "stand" | "standing"))
        && !matches!(v, "provide" | "providing" | "deliver" | "delivering" | "send" | "sending" | "fund" | "funding")
    {
        return Some(Kind::Stance);
    }
    // stance
    if matches!(h.vclass, Some(VClass::Reaffirm)) {
        return Some(Kind::Stance);
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
        return Some(Kind::Cooperation);
    }
    // "support people-to-people exchanges": backing a joint activity is cooperation
    if matches!(v, "support" | "supporting")
        && obj
            .iter()
            .take(5)
            .any(|w| matches!(*w, "exchanges" | "cooperation" | "collaboration" | "partnership" | "projects" | "joint"))
    {
        return Some(Kind::Cooperation);
    }
    if stance_v && !(matches!(v, "support" | "supporting") && obj_has(&["with"]) && !cont) {
        return Some(Kind::Stance);
    }
    if matches!(v, "maintain" | "maintaining" | "keep" | "keeping")
        && obj_has(&["policy", "position", "pressure", "stance", "sanctions", "principle", "principles", "commitment"])
    {
        return Some(Kind::Stance);
    }
    if (cont || matches!(v, "impose" | "keep" | "step" | "maintain")) && obj_has(&["pressure", "sanctions", "costs"]) {
        return Some(Kind::Stance);
    }
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
        return Some(Kind::Cooperation);
    }
    if matches!(v, "elevate" | "upgrade") && obj.iter().any(|w| matches!(*w, "partnership" | "level")) {
        // "elevate relations to a Comprehensive Strategic Partnership": checkable
        return Some(Kind::Action);
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
        return Some(Kind::Cooperation);
    }
    if cont && matches!(v, "close" | "closer") && has(&["coordination", "cooperation", "collaboration"]) {
        return Some(Kind::Cooperation);
    }
    if matches!(v, "close" | "closer") && has(&["coordination", "cooperation", "collaboration"]) {
        return Some(Kind::Cooperation);
    }
    if matches!(h.vclass, Some(VClass::Confirm)) && h.form == HeadForm::Gerund {
        return Some(Kind::Stance);
    }
    Some(Kind::Action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::gazetteer;
    use time::macros::date;

    /// Runs the rules on `input` and compares (text starts with, kind,
    /// committers, due) for every commitment, in order.
    fn check(input: &str, expected: &[(&str, &str, &str, Option<&str>)]) {
        let g = gazetteer(None);
        let a = analyse(input, &g, Some(date!(2018 - 10 - 18)), None, false);
        let got: Vec<(String, String, String, Option<String>)> = a
            .found
            .iter()
            .map(|f| {
                (
                    input[f.start..f.end].to_string(),
                    f.kind.to_string(),
                    f.committers.iter().map(|&p| g.parties[p].code.as_str()).collect::<Vec<_>>().join(","),
                    f.due.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "input {input:?}\ngot {got:#?}");
        for (g, e) in got.iter().zip(expected) {
            assert!(g.0.contains(e.0), "{:?} should contain {:?} (all: {got:#?})", g.0, e.0);
            assert_eq!((g.1.as_str(), g.2.as_str(), g.3.as_deref()), (e.1, e.2, e.3), "for {:?}", g.0);
        }
    }

    const HEAD: &str = "Japan-NATO Summit Meeting\nPrime Minister Shinzo Abe met Secretary General Jens Stoltenberg.\n";

    #[test]
    fn seed_ipcp_update_is_one_action_of_both() {
        check(
            &format!("{HEAD}Prime Minister Abe and the Secretary General shared the view that Japan and NATO would start an update on the Japan-NATO IPCP, thereby further deepening Japan-NATO relations."),
            &[("start an update on the Japan-NATO IPCP, thereby further deepening", "action", "JPN,NATO", None)],
        );
    }

    #[test]
    fn two_pledges_in_one_sentence_split_but_lists_do_not() {
        check(
            &format!("{HEAD}They concurred on the importance of maximizing pressure and would cooperate on maritime security, cyber and space."),
            &[
                ("the importance of maximizing pressure", "stance", "JPN,NATO", None),
                ("cooperate on maritime security, cyber and space", "cooperation", "JPN,NATO", None),
            ],
        );
        check(
            &format!(
                "{HEAD}The two leaders agreed to keep up regular contact, and to launch a new dialogue next year."
            ),
            &[
                ("keep up regular contact", "meeting", "JPN,NATO", None),
                ("launch a new dialogue next year", "meeting", "JPN,NATO", Some("2019-12-31")),
            ],
        );
    }

    #[test]
    fn non_commitments_are_not_taken() {
        check(
            &format!(
                "{HEAD}The two leaders welcomed the signing of the agreement, which will enhance ties. \
                 They shared the view that North Korea was a threat. They expressed concern over the situation. \
                 The two leaders exchanged views on Ukraine. The leaders signed the Accord. \
                 Prime Minister Abe called on China to act. The leaders agreed to stay in close touch. \
                 He expressed his hope that the Alliance would invite Japan. \
                 Senator Wong said that stabilising the relationship was a process that would take time."
            ),
            &[],
        );
    }

    #[test]
    fn speakers_pronouns_and_roles() {
        check(
            &format!("{HEAD}In response, the Secretary General thanked Prime Minister Abe. He stated that he would like to work with Japan. Prime Minister Abe stated that he would visit Brussels tomorrow."),
            &[
                ("work with Japan", "cooperation", "NATO", None),
                ("visit Brussels tomorrow", "meeting", "JPN", Some("2018-10-19")),
            ],
        );
    }

    #[test]
    fn possessors_hosts_and_passive_meetings() {
        check(
            &format!("{HEAD}The Secretary General reiterated NATO's full support for Japan's position. The two leaders agreed that the next round would be held in Tokyo in the first half of next year."),
            &[
                ("NATO's full support", "stance", "NATO", None),
                ("would be held in Tokyo", "meeting", "JPN,NATO", Some("2019-06-30")),
            ],
        );
    }

    #[test]
    fn hard_cases_from_other_styles() {
        check(
            "Japan-Italy Summit Meeting\nPrime Minister Kishida met Prime Minister Meloni.\n\
             The two leaders shared the view to deepen discussions on defence. \
             Prime Minister Kishida expressed his support for Indonesia's plan to relocate the capital. \
             Prime Minister Meloni said she'd like to visit Tokyo next year. \
             A stronger Japan would be beneficial to Italy. He is confident the two countries will prosper. \
             They agreed on the huge strength of the relationship. They agreed to speak again soon.",
            &[
                ("deepen discussions on defence", "cooperation", "JPN,ITA", None),
                ("his support for Indonesia's plan", "stance", "JPN", None),
                ("visit Tokyo next year", "meeting", "ITA", Some("2019-12-31")),
            ],
        );
        check(
            "India-Sri Lanka Summit\nPrime Minister Modi met President Sirisena in the South China Sea.\n\
             President Sirisena said that he would visit India next month.",
            &[("visit India next month", "meeting", "LKA", Some("2018-11-30"))],
        );
    }

    #[test]
    fn principals_and_two_positions() {
        check(
            "Readout of the Vice President's Meeting with Prime Minister Kishida of Japan\n\
             Vice President Kamala Harris met Prime Minister Fumio Kishida of Japan.\n\
             The Vice President said the President looks forward to visiting Japan in May. \
             The leaders reaffirmed their opposition to coercion and support for the rule of law.",
            &[
                ("visiting Japan in May", "meeting", "USA", Some("2019-05-31")),
                ("their opposition to coercion", "stance", "USA,JPN", None),
                ("support for the rule of law", "stance", "USA,JPN", None),
            ],
        );
    }

    #[test]
    fn pledged_amounts_and_new_bodies() {
        check(
            "Japan-Ukraine Summit\nPrime Minister Kishida met President Zelenskyy.\n\
             Prime Minister Kishida announced an additional 5.5 billion dollars in assistance to Ukraine. \
             Japan pledged 30 million dollars to the trust fund. The two sides agreed to set up a joint working group. \
             The leaders announced the launch of a new partnership.",
            &[
                ("announced an additional 5.5 billion dollars", "action", "JPN", None),
                ("pledged 30 million dollars", "action", "JPN", None),
                ("set up a joint working group", "meeting", "JPN,UKR", None),
            ],
        );
    }

    #[test]
    fn an_organisation_speaks_for_its_member_chair() {
        check(
            "Chairman's Statement of the 42nd ASEAN Summit\n1. The Summit was chaired by President Joko Widodo of Indonesia.\n\
             2. We agreed to accelerate the negotiations on the framework agreement. Indonesia will host the next summit in September.",
            &[
                ("accelerate the negotiations", "action", "ASEAN", None),
                ("host the next summit in September", "meeting", "IDN", Some("2019-09-30")),
            ],
        );
    }

    #[test]
    fn we_in_a_joint_statement_is_all_signatories() {
        check(
            "Joint Statement of the EU-Japan Summit\nWe reaffirm our support for Ukraine. We will strengthen cooperation on cyber by 2030.",
            &[
                ("reaffirm our support for Ukraine", "stance", "EU,JPN", None),
                ("strengthen cooperation on cyber by 2030", "cooperation", "EU,JPN", Some("2030-12-31")),
            ],
        );
    }

    #[test]
    fn tokens_keep_abbreviations_and_hyphens() {
        let t = "Japan-NATO's U.S. p.m., 2+2";
        let toks: Vec<&str> = tokenize(t).iter().map(|k| &t[k.s..k.e]).collect();
        assert_eq!(toks, ["Japan-NATO's", "U.S", ".", "p.m", ".", ",", "2", "+", "2"]);
        let t = "he'd visit; we’ll see";
        let toks: Vec<&str> = tokenize(t).iter().map(|k| &t[k.s..k.e]).collect();
        assert_eq!(toks, ["he", "'d", "visit", ";", "we", "’ll", "see"]);
    }
}
