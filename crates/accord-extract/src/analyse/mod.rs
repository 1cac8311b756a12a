//! The rules: from sentences to commitments.
//!
//! Each sentence is read as a chain of main clauses, each opened by a main
//! verb from the cue lexicon ("agreed", "stated", "welcomed" ...) with its
//! subject before it. A clause yields commitments through its complement:
//! "agreed to VP", "concurred on VBG", "reaffirmed their opposition",
//! or "stated that SUBJECT would VP" where the subject is a party. A list of
//! pledged actions is split into one commitment per verb phrase; a list of
//! objects inside one pledge is not.

//!
//! The stages, one module each:
//! - [`tokens`]: words and punctuation as byte ranges;
//! - [`mentions`]: party mentions (names, people, roles) and the meeting's
//!   parties;
//! - [`subjects`]: main verbs and the parties their subjects stand for;
//! - [`sentence`]: a sentence's clauses into pledge heads, and heads into
//!   commitments;
//! - [`clauses`]: modal clauses ("SUBJECT would VP") and lists of pledged
//!   verb phrases;
//! - [`phrases`]: small noun-phrase tests ("their support for", "Japan's");
//! - [`classify`]: the kind of a pledged verb phrase, or its rejection.

mod classify;
mod clauses;
mod head;
mod meeting;
mod mentions;
mod phrases;
mod sentence;
mod subjects;
mod things;
mod tokens;

use crate::gazetteer::Gazetteer;
use crate::split;
use accord_domain::Kind;
use time::Date;

use meeting::meeting_parties;
use mentions::{resolve_mentions, Mention};
use sentence::{lead_in, listed_pledge, sentence, LeadIn};
pub(crate) use tokens::{tokenize, Tok};

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
    /// The sentences analysed (headings included), in text order.
    pub sentences: Vec<split::Sentence>,
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

impl<'a> Ctx<'a> {
    fn w(&self, t: usize) -> &'a str {
        let t = self.toks[t];
        &self.lower[t.s..t.e]
    }

    /// Whether token `t` starts with a capital letter, as written.
    fn capitalised(&self, t: usize) -> bool {
        self.text[self.toks[t].s..].starts_with(|c: char| c.is_uppercase())
    }

    fn mention_at(&self, t: usize) -> Option<&Mention> {
        self.tok_mention[t].map(|m| &self.mentions[m as usize])
    }

    /// Whether any token in `a..b` is part of a mention.
    fn mentions_in(&self, a: usize, b: usize) -> bool {
        (a..b).any(|t| self.tok_mention[t].is_some())
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
                            // "the French Navy and the Chilean Navy would hold …"
                            | "navy"
                            | "army"
                            | "forces"
                            | "military"
                            // "Philippine Foreign Secretary Manalo": a demonym titles a person
                            | "foreign"
                            | "prime"
                            | "president"
                            | "minister"
                            | "secretary"
                            | "chancellor"
                            | "premier"
                    )
                };
                // "the Dutch public financing institution": a demonym in an
                // agency's name says whose it is
                // (before its acronym: "the French Development Agency (AFD)")
                let head = if b >= 4 && self.w(b - 1) == ")" && self.w(b - 3) == "(" { b - 3 } else { b };
                let agency = head > 0 && crate::lexicon::is_agency(self.w(head - 1));
                if !self.is_head(m, b) && !qualifies && !agency {
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
    // headlines after the readout began are links to other pages ("Related",
    // "Most read"); the page's own title before it may state this meeting
    let mut body_seen = false;
    // "They agreed on the following:", then its list items (the block of
    // the item last read)
    let mut lead: Option<(LeadIn, Option<usize>)> = None;
    for s in &sents {
        let link_headline = s.heading && body_seen;
        body_seen |= !s.heading;
        let a = ctx.toks.partition_point(|t| t.s < s.start);
        let b = ctx.toks.partition_point(|t| t.s < s.end);
        let mut lines = Vec::new();
        if site_chrome(&lower[s.start..s.end]) {
            if explain {
                lines.push("not taken: the website speaking to its reader (cookies, e-mail, feedback)".into());
                notes.push(Note { start: s.start, end: s.end, lines });
            }
            continue;
        }
        let taken = found.len();
        // real sentences are far shorter; windows keep run-on input linear
        let mut w = a;
        while w < b {
            let e = if b - w > MAX_SENTENCE_TOKENS { w + MAX_SENTENCE_TOKENS } else { b };
            sentence(&ctx, w, e, &mut speaker, &mut found, &mut lines, link_headline);
            w = e;
        }
        let item = list_item_start(text, s);
        accepted_invitation(&ctx, s.start, s.end, &mut found, &mut lines);
        match &mut lead {
            Some((l, block)) if item => {
                if found.len() == taken {
                    listed_pledge(&ctx, l, a, b, &mut found, &mut lines);
                }
                *block = Some(s.block);
            }
            // an item's further sentences
            Some((_, Some(block))) if *block == s.block => {}
            _ => lead = lead_in(&ctx, a, b, speaker).map(|l| (l, None)),
        }
        if explain {
            notes.push(Note { start: s.start, end: s.end, lines });
        }
    }
    Analysis { found, notes, meeting: ctx.meeting, publisher: publisher_v, sentences: sents }
}

/// Whether sentence `s` opens a list item: only a list marker ("-", "•",
/// "1.", "(a)") before it on its line.
fn list_item_start(text: &str, s: &split::Sentence) -> bool {
    let line = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line..s.start];
    !before.trim().is_empty() && split::list_marker_len(before) == before.len()
}

/// "Secretary Manalo invited Minister Jaishankar to co-chair the next
/// meeting in Manila, which was accepted", "invited President Meloni to
/// visit Chile, and she accepted": an invitation accepted is a promise to
/// meet, of both sides.
static ACCEPTED_INVITATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\binvit(?:ed|ation)\b[^.;]{0,80}?\b(to (?:visit|attend|co-chair|co-host|hold|travel|(?:pay|make) (?:a |an )?(?:\w+ )?visit)\b[^;]*?),?\s+(?:which (?:was|he|she|they|the [\w ]{1,40}?) (?:duly |gladly )?accepted|and (?:he|she|they) accepted|which was accepted)\b")
        .expect("invitation regex")
});

static INVITATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\binvit(?:ed|ation for)\b[^.;]{0,60}?\b(to (?:visit|attend|come to|travel to|(?:pay|make) (?:a |an )?(?:\w+ )?visit)\b[^;]*?)(?:,? (?:and (?:he|she|they|the [\w ]{1,40}?)|which (?:[\w]+ ){0,3}?)accepted\b.*)?(?:;[^;]*\baccepted\b[^;]*)?$")
        .expect("invitation regex")
});

/// Whether the words between "invited" and "to visit" name someone.
fn named_guest(sentence: &str, c: &regex::Captures) -> bool {
    let to = c.get(1).map_or(0, |m| m.start());
    let lower = sentence[..to].to_lowercase();
    let from = lower.rfind("invited").map_or(0, |i| i + "invited".len());
    let guest = &sentence[from..to];
    guest.chars().any(char::is_uppercase) || matches!(guest.trim(), "him" | "her" | "them")
}

fn accepted_invitation(ctx: &Ctx, start: usize, end: usize, found: &mut Vec<Found>, lines: &mut Vec<String>) {
    if ctx.meeting.len() < 2 || found.iter().any(|f| f.start >= start && f.end <= end) {
        return;
    }
    // "invited the Prime Minister to visit Colombia": the visit the two
    // sides now expect, accepted or not (nothing else taken in the sentence)
    let (c, cue, rule, confidence) = match ACCEPTED_INVITATION.captures(&ctx.text[start..end]) {
        Some(c) => (c, "invitation … accepted", "invitation-accepted", 0.8),
        None => match INVITATION.captures(&ctx.text[start..end]) {
            // a person invited ("the Prime Minister", "Minister Tajani"), not "investors"
            Some(c) if named_guest(&ctx.text[start..end], &c) => (c, "invited … to", "invitation", 0.6),
            _ => return,
        },
    };
    let visit = c.get(1).expect("group");
    let (s, e) = (start + visit.start(), start + visit.end());
    let e = s + ctx.text[s..e].trim_end_matches(|c: char| c == '.' || c == ',' || c.is_whitespace()).len();
    found.push(Found {
        start: s,
        end: e,
        head: s,
        kind: Kind::Meeting,
        committers: ctx.meeting.clone(),
        counterparts: Vec::new(),
        cue: cue.into(),
        rule,
        due: crate::dates::deadline(&ctx.text[s..e], ctx.date).map(|d| d.0),
        confidence,
    });
    if ctx.explain {
        lines.push(format!("TAKEN meeting: an invitation ({rule}): {:?}", &ctx.text[s..e]));
    }
}

/// A sentence of the page around the readout: it addresses the reader
/// ("you") about the website itself. Readouts speak of parties, never to
/// the reader, so its "we" is the publisher's web team.
pub(super) fn site_chrome(lower: &str) -> bool {
    const WEB: &[&str] = &[
        "cookie",
        "cookies",
        "website",
        "site",
        "page",
        "email",
        "e-mail",
        "emails",
        "link",
        "subscribe",
        "subscribing",
        "browser",
        "feedback",
        "newsletter",
        "newsletters",
        "click",
        "sign",
        "javascript",
        "privacy",
        "visit",
    ];
    let words = || lower.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty());
    words().any(|w| matches!(w, "you" | "your" | "yours")) && words().any(|w| WEB.contains(&w))
}

#[cfg(test)]
mod tests;
