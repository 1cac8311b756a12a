//! Names of parties, people and roles, and the matcher that finds them.
//!
//! The data lives in tab-separated files under `data/` that are embedded at
//! compile time; callers can add rows at run time through [`ExtraData`]
//! without recompiling (the caller does the file IO and hands us the text).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use std::sync::{Arc, LazyLock};
use time::Date;

pub(crate) const PARTIES_TSV: &str = include_str!("../data/parties.tsv");
pub(crate) const LEADERS_TSV: &str = include_str!("../data/leaders.tsv");
pub(crate) const TOPICS_TSV: &str = include_str!("../data/topics.tsv");

/// Extra gazetteer rows in the same TSV formats as the embedded files
/// (`data/parties.tsv`, `data/leaders.tsv`, `data/topics.tsv`). Rows are added
/// to the embedded ones; a party code already known gets the extra names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraData {
    pub parties_tsv: String,
    pub leaders_tsv: String,
    pub topics_tsv: String,
}

impl ExtraData {
    /// Reads `parties.tsv`, `leaders.tsv` and `topics.tsv` from a folder;
    /// missing files are skipped. This is the only IO in the crate and it
    /// runs only when the caller asks for it.
    pub fn load_dir(dir: &std::path::Path) -> std::io::Result<Self> {
        let read = |name: &str| -> std::io::Result<String> {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(s) => Ok(s),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
                Err(e) => Err(e),
            }
        };
        Ok(Self {
            parties_tsv: read("parties.tsv")?,
            leaders_tsv: read("leaders.tsv")?,
            topics_tsv: read("topics.tsv")?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartyKind {
    State,
    Org,
}

#[derive(Debug, Clone)]
pub(crate) struct PartyEntry {
    pub code: String,
    pub kind: PartyKind,
    /// For organisations: member state codes ("we" of an ASEAN summit is ASEAN).
    pub members: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name: String,
    pub surname: String,
    pub party: usize,
    pub title: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Person {
    /// The role this person's title names, if one we know.
    pub fn role(&self) -> Option<Role> {
        let t = self.title.as_str();
        ROLES.iter().filter(|(r, _)| t.starts_with(r)).max_by_key(|(r, _)| r.len()).map(|(_, role)| *role)
    }

    pub fn in_office(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }
}

/// The roles we recognise in running text; a bare role ("the Secretary
/// General") is resolved per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    PrimeMinister,
    President,
    SecretaryGeneral,
    HighRepresentative,
    Premier,
    Chancellor,
    ForeignMinister,
    DefenceMinister,
    Minister,
    Other,
}

pub(crate) const ROLES: &[(&str, Role)] = &[
    ("Prime Minister", Role::PrimeMinister),
    ("PM", Role::PrimeMinister),
    ("President", Role::President),
    ("Vice President", Role::Other),
    ("Vice-President", Role::Other),
    ("High Representative/Vice-President", Role::HighRepresentative),
    ("HR/VP", Role::HighRepresentative),
    ("Secretary General", Role::SecretaryGeneral),
    ("Secretary-General", Role::SecretaryGeneral),
    ("High Representative", Role::HighRepresentative),
    ("Premier", Role::Premier),
    ("Chancellor", Role::Chancellor),
    ("Foreign Minister", Role::ForeignMinister),
    ("Minister for Foreign Affairs", Role::ForeignMinister),
    ("Minister of Foreign Affairs", Role::ForeignMinister),
    ("Foreign Secretary", Role::ForeignMinister),
    ("Secretary of State", Role::ForeignMinister),
    ("Defence Minister", Role::DefenceMinister),
    ("Defense Minister", Role::DefenceMinister),
    ("Minister of Defence", Role::DefenceMinister),
    ("Minister of Defense", Role::DefenceMinister),
    ("Minister for Defence", Role::DefenceMinister),
    ("Defence Secretary", Role::DefenceMinister),
    ("Secretary of Defense", Role::DefenceMinister),
    ("Minister", Role::Minister),
    ("State Councilor", Role::Other),
    ("State Councillor", Role::Other),
    ("Senator", Role::Other),
    ("King", Role::Other),
    ("Queen", Role::Other),
    ("Emperor", Role::Other),
    ("Crown Prince", Role::Other),
    ("Sultan", Role::Other),
    ("Emir", Role::Other),
    ("Sheikh", Role::Other),
    ("Sheikha", Role::Other),
    ("Cabinet Secretary", Role::Other),
    ("Commissioner", Role::Other),
    ("Governor", Role::Other),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A party name; `strong` is false for demonyms and capitals, which
    /// name a party only in subject position.
    Party {
        party: usize,
        strong: bool,
    },
    /// NATO's "the Alliance", "Allies", "Allied": only NATO if NATO is in the document.
    NatoAlias,
    Person {
        person: usize,
    },
    Surname {
        person: usize,
    },
    Role(Role),
    /// A place whose name holds a party's ("South China Sea", "Northern
    /// Ireland"): matched only to hide the inner name.
    Place,
}

pub(crate) struct Gazetteer {
    pub parties: Vec<PartyEntry>,
    pub persons: Vec<Person>,
    pub topics: Vec<(String, Vec<String>)>,
    /// all topic keywords, pattern i belongs to topic `topic_of[i]`
    pub topic_matcher: AhoCorasick,
    pub topic_of: Vec<usize>,
    pub targets: Vec<Target>,
    pub matcher: AhoCorasick,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawMention {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

fn parse_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).ok()
}

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.split('\t').map(str::trim).collect())
}

fn names<'a>(field: Option<&&'a str>) -> impl Iterator<Item = &'a str> {
    field.copied().unwrap_or("").split('|').map(str::trim).filter(|s| !s.is_empty())
}

impl Gazetteer {
    pub fn build(extra: Option<&ExtraData>) -> Gazetteer {
        let mut parties: Vec<PartyEntry> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let add = |p: &str, t: Target, patterns: &mut Vec<String>, targets: &mut Vec<Target>| {
            patterns.push(p.to_owned());
            targets.push(t);
        };
        let ptsv = [PARTIES_TSV, extra.map_or("", |e| e.parties_tsv.as_str())];
        for tsv in ptsv {
            for r in rows(tsv) {
                let code = r[0];
                if r.get(1).is_some_and(|k| k.eq_ignore_ascii_case("place")) {
                    for n in names(r.get(2)) {
                        add(n, Target::Place, &mut patterns, &mut targets);
                    }
                    continue;
                }
                if accord_domain::Party::new(code).is_err() {
                    continue;
                }
                let kind = if r.get(1).is_some_and(|k| k.eq_ignore_ascii_case("org")) {
                    PartyKind::Org
                } else {
                    PartyKind::State
                };
                let idx = match parties.iter().position(|p| p.code == code) {
                    Some(i) => i,
                    None => {
                        parties.push(PartyEntry { code: code.to_owned(), kind, members: Vec::new() });
                        parties.len() - 1
                    }
                };
                for m in names(r.get(5)) {
                    if !parties[idx].members.iter().any(|x| x == m) {
                        parties[idx].members.push(m.to_owned());
                    }
                }
                for n in names(r.get(2)) {
                    add(n, Target::Party { party: idx, strong: true }, &mut patterns, &mut targets);
                }
                for n in names(r.get(3)).chain(names(r.get(4))) {
                    add(n, Target::Party { party: idx, strong: false }, &mut patterns, &mut targets);
                }
            }
        }
        for n in ["Alliance", "Allies", "Allied", "Ally"] {
            add(n, Target::NatoAlias, &mut patterns, &mut targets);
        }
        let mut persons: Vec<Person> = Vec::new();
        let ltsv = [LEADERS_TSV, extra.map_or("", |e| e.leaders_tsv.as_str())];
        for tsv in ltsv {
            for r in rows(tsv) {
                let (Some(name), Some(code)) = (r.first(), r.get(2)) else {
                    continue;
                };
                let Some(party) = parties.iter().position(|p| p.code == *code) else {
                    continue;
                };
                let idx = persons.len();
                persons.push(Person {
                    name: (*name).to_owned(),
                    surname: r.get(1).copied().unwrap_or("").to_owned(),
                    party,
                    title: r.get(3).copied().unwrap_or("").to_owned(),
                    from: r.get(4).and_then(|s| parse_date(s)),
                    to: r.get(5).and_then(|s| parse_date(s)),
                });
                add(name, Target::Person { person: idx }, &mut patterns, &mut targets);
                for a in names(r.get(6)) {
                    add(a, Target::Person { person: idx }, &mut patterns, &mut targets);
                }
                if let Some(s) = r.get(1).filter(|s| !s.is_empty() && *s != name) {
                    add(s, Target::Surname { person: idx }, &mut patterns, &mut targets);
                }
            }
        }
        for (r, role) in ROLES {
            add(r, Target::Role(*role), &mut patterns, &mut targets);
        }
        let mut topics = Vec::new();
        let ttsv = [TOPICS_TSV, extra.map_or("", |e| e.topics_tsv.as_str())];
        for tsv in ttsv {
            for r in rows(tsv) {
                let kws: Vec<String> = names(r.get(1)).map(str::to_lowercase).collect();
                if let Some(t) = topics.iter_mut().find(|(n, _): &&mut (String, Vec<String>)| n == r[0]) {
                    t.1.extend(kws);
                } else {
                    topics.push((r[0].to_owned(), kws));
                }
            }
        }
        let mut kw = Vec::new();
        let mut topic_of = Vec::new();
        for (i, (_, kws)) in topics.iter().enumerate() {
            for k in kws {
                kw.push(k.clone());
                topic_of.push(i);
            }
        }
        let topic_matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&kw)
            .expect("topic patterns build");
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&patterns)
            .expect("gazetteer patterns build");
        Gazetteer { parties, persons, topics, topic_matcher, topic_of, targets, matcher }
    }

    /// All whole-word matches, leftmost-longest. Same-surface patterns
    /// (a surname shared by two people) resolve to the first row; the
    /// document pass re-resolves surnames by date.
    pub fn scan(&self, text: &str) -> Vec<RawMention> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for m in self.matcher.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let before_ok = s == 0 || !is_word_byte_before(text, s);
            let after_ok = e >= b.len() || !is_word_char_at(text, e);
            if before_ok && after_ok {
                out.push(RawMention { start: s, end: e, target: self.targets[m.pattern().as_usize()] });
            }
        }
        for k in 1..out.len() {
            if let Some(party) = self.name_across(text, &out[k - 1], &out[k]) {
                out[k].target = party;
            }
        }
        out
    }

    /// A party's name may begin inside the match before: in "Minister for
    /// Foreign Affairs, European Union and Cooperation" the role is found
    /// first and then "European Union" alone, though "Foreign Affairs,
    /// European Union and Cooperation" names Spain's ministry. A party name
    /// that starts at a word inside `before` and covers all of `next` gives
    /// `next` its party; the spans stay as found.
    fn name_across(&self, text: &str, before: &RawMention, next: &RawMention) -> Option<Target> {
        if next.start < before.end {
            return None;
        }
        let mut words = text[before.start..before.end].match_indices(' ').map(|(i, _)| before.start + i + 1);
        words.find_map(|w| {
            let input = Input::new(text).range(w..).anchored(Anchored::Yes);
            let m = self.matcher.find(input)?;
            let whole = m.end() >= text.len() || !is_word_char_at(text, m.end());
            let target = self.targets[m.pattern().as_usize()];
            let named = matches!(target, Target::Party { strong: true, .. });
            (named && whole && m.end() >= next.end).then_some(target)
        })
    }

    pub fn party_index(&self, code: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.code == code)
    }

    /// All people whose surname or name is `surface`.
    pub fn persons_named(&self, surface: &str) -> Vec<usize> {
        self.persons
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.name == surface || p.surname == surface || p.name.split_whitespace().any(|w| w == surface)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn is_word_char_at(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(|c| c.is_alphanumeric())
}

fn is_word_byte_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric())
}

static BUILTIN: LazyLock<Arc<Gazetteer>> = LazyLock::new(|| Arc::new(Gazetteer::build(None)));

/// The last gazetteer built with extra rows: a service passes the same rows
/// with every readout, and building takes far longer than comparing.
static WITH_EXTRA: std::sync::Mutex<Option<(ExtraData, Arc<Gazetteer>)>> = std::sync::Mutex::new(None);

/// The embedded gazetteer, or one with the caller's extra rows (cached).
pub(crate) fn gazetteer(extra: Option<&ExtraData>) -> Arc<Gazetteer> {
    match extra {
        None => BUILTIN.clone(),
        Some(e) if e == &ExtraData::default() => BUILTIN.clone(),
        Some(e) => {
            let mut last = WITH_EXTRA.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((data, built)) = last.as_ref() {
                if data == e {
                    return built.clone();
                }
            }
            let built = Arc::new(Gazetteer::build(Some(e)));
            *last = Some((e.clone(), built.clone()));
            built
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(g: &Gazetteer, text: &str) -> Vec<String> {
        g.scan(text)
            .into_iter()
            .filter_map(|m| match m.target {
                Target::Party { party, .. } => Some(g.parties[party].code.clone()),
                Target::Person { person } => Some(g.parties[g.persons[person].party].code.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn longest_names_win_and_words_are_whole() {
        let g = gazetteer(None);
        assert_eq!(codes(&g, "North Korea and the Republic of Korea"), ["PRK", "KOR"]);
        assert_eq!(codes(&g, "Japan-NATO relations"), ["JPN", "NATO"]);
        assert_eq!(codes(&g, "Japanese investment in Ukraine's east"), ["JPN", "UKR"]);
        assert!(codes(&g, "USAGE of the Koreans").is_empty());
        assert_eq!(codes(&g, "Prime Minister Shinzo Abe"), ["JPN"]);
        assert_eq!(codes(&g, "the U.S. and the EU"), ["USA", "EU"]);
        assert_eq!(codes(&g, "the South China Sea, Northern Ireland and the Korean Peninsula"), Vec::<String>::new());
    }

    #[test]
    fn extra_rows_extend_without_recompiling() {
        let extra = ExtraData {
            parties_tsv: "XKX\tstate\tKosovo\tKosovar\tPristina\nJPN\tstate\tNippon".into(),
            leaders_tsv: "Vjosa Osmani\tOsmani\tXKX\tPresident\t2021-04-04\t\t".into(),
            topics_tsv: String::new(),
        };
        let g = gazetteer(Some(&extra));
        assert_eq!(codes(&g, "Kosovo and Nippon; President Vjosa Osmani"), ["XKX", "JPN", "XKX"]);
    }
}
