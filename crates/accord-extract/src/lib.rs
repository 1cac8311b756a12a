//! Accord's commitment extractor: a readout (plain text or HTML) in,
//! commitments out, each with the byte span it came from.
//!
//! Pure library: no IO except [`ExtraData::load_dir`], which runs only when a
//! caller asks for it. The rules follow the annotation guideline
//! (`shared/corpus/GUIDELINE.md`): cue lexicons, a little grammar (subjects,
//! modal clauses, lists of pledged verb phrases) and gazetteers of parties,
//! people and roles in `data/`.
//!
//! # Offsets
//! Every [`Span`] is a pair of UTF-8 byte offsets into the bytes the caller
//! passed to [`extract`], end exclusive. For plain text that is the text
//! itself. For HTML the extractor reads the article text (dropping `script`,
//! `style`, `nav`, `header`, `footer`, `aside`, forms and the like), and a
//! span starts at the source byte of its first character and ends after the
//! source bytes of its last one; so `input[span.start..span.end]` is the HTML
//! source of the clause, tags and entities included. [`Extracted::text`] is
//! the decoded clause text. [`Extraction::sentences`] carry spans mapped the
//! same way, with their decoded text.

mod analyse;
mod dates;
mod gazetteer;
mod html;
mod lexicon;
mod split;
mod topics;

use accord_domain::{CommitmentId, DocumentId, Kind, Party, Span};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;
use time::Date;

pub use gazetteer::ExtraData;

/// Name and version of the rules; bump when the rules change so stored
/// extractions can be told apart.
pub const VERSION: &str = "accord-extract/0.5";

/// Largest input accepted: readouts are a few kB; 8 MiB leaves room for
/// bloated HTML while bounding time and memory.
pub const MAX_INPUT: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The meeting date: deadlines are resolved against it. When None, the
    /// first full date written in the document is used.
    pub date: Option<Date>,
    /// Who published the readout: bare "the Prime Minister" is theirs.
    pub publisher: Option<Party>,
    pub title: Option<String>,
    /// Extra gazetteer rows (parties, leaders, topics) added to the embedded
    /// ones; see [`ExtraData::load_dir`].
    pub extra: Option<Arc<ExtraData>>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("input is empty (or only white space)")]
    Empty,
    #[error("input is {size} bytes, larger than the {limit}-byte limit")]
    TooLarge { size: usize, limit: usize },
    #[error("input is not valid UTF-8: invalid byte at offset {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("input looks binary: NUL or control byte at offset {offset}")]
    Binary { offset: usize },
    /// A text node of an HTML page whose decoded text could not be located
    /// in the source: refused rather than silently dropped.
    #[error("HTML text near byte {offset} could not be mapped back to the source; the page was not read")]
    UnmappedHtml { offset: usize },
}

#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub document: DocumentInfo,
    pub commitments: Vec<Extracted>,
    /// The decoded text the rules read: the input itself for plain text, the
    /// article text for HTML. Not serialised.
    #[serde(skip)]
    pub text: String,
    /// The sentences of [`Extraction::text`] the rules read, headings
    /// (titles, datelines) left out, in text order. Not serialised.
    #[serde(skip)]
    pub sentences: Vec<ReadoutSentence>,
}

/// One sentence of a readout, for linking follow-ups to what was said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadoutSentence {
    /// The decoded sentence text (for HTML: tags dropped, entities decoded).
    pub text: String,
    /// Byte span in the caller's input, mapped like commitment spans: for
    /// HTML, from the source byte of the first character to the end of the
    /// last one's source bytes.
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// `DocumentId::for_text` of the input as given (for HTML, the source).
    pub id: DocumentId,
    pub title: Option<String>,
    #[serde(with = "accord_domain::event::iso_date::option")]
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub bytes: usize,
    pub format: &'static str,
    /// The parties "the two leaders", "both sides", "we" stand for.
    pub parties: Vec<Party>,
    pub extractor: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Extracted {
    pub id: CommitmentId,
    pub kind: Kind,
    pub committers: Vec<Party>,
    pub counterparts: Vec<Party>,
    pub text: String,
    pub span: Span,
    pub cue: String,
    pub rule: String,
    #[serde(with = "accord_domain::event::iso_date::option")]
    pub due: Option<Date>,
    pub confidence: f32,
    pub topics: Vec<String>,
    /// CAMEO event code of the intent ("036" express intent to meet or
    /// negotiate, "030" to cooperate, "031" material cooperation, "033"
    /// aid, "032" diplomatic (policy) support).
    pub cameo: &'static str,
}

impl Extracted {
    /// The domain's command input for this commitment (what ingest decides on).
    pub fn to_new_commitment(&self) -> accord_domain::document::NewCommitment {
        accord_domain::document::NewCommitment {
            kind: self.kind,
            committers: self.committers.clone(),
            counterparts: self.counterparts.clone(),
            text: self.text.clone(),
            span: self.span,
            cue: self.cue.clone(),
            due: self.due,
            confidence: self.confidence,
            topics: self.topics.clone(),
            page: None,
        }
    }
}

/// Text ready for analysis, with a map back to the caller's bytes for HTML.
struct Prepared {
    text: String,
    /// For HTML: per byte of `text`, the source range of its character.
    map: Option<(Vec<u32>, Vec<u32>)>,
    format: &'static str,
    title: Option<String>,
    date: Option<Date>,
}

impl Prepared {
    fn span(&self, s: usize, e: usize) -> Span {
        match &self.map {
            None => Span { start: s, end: e },
            Some((starts, ends)) => {
                let start = starts.get(s).copied().unwrap_or(0) as usize;
                let end = if e > s { ends.get(e - 1).copied().unwrap_or(0) as usize } else { start };
                Span { start, end: end.max(start) }
            }
        }
    }
}

fn validate(input: &[u8]) -> Result<&str, ExtractError> {
    if input.len() > MAX_INPUT {
        return Err(ExtractError::TooLarge { size: input.len(), limit: MAX_INPUT });
    }
    let text = std::str::from_utf8(input).map_err(|e| ExtractError::InvalidUtf8 { offset: e.valid_up_to() })?;
    if let Some(offset) = text.bytes().position(|b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
    {
        return Err(ExtractError::Binary { offset });
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(text)
}

fn prepare(text: &str) -> Result<Prepared, ExtractError> {
    if html::looks_like_html(text) {
        let h = html::extract_text(text).map_err(|u| ExtractError::UnmappedHtml { offset: u.offset })?;
        let date = h.date.as_deref().and_then(dates::find_date);
        Ok(Prepared { text: h.text, map: Some((h.starts, h.ends)), format: "html", title: h.title, date })
    } else {
        Ok(Prepared { text: String::new(), map: None, format: "text", title: None, date: None })
    }
}

fn title_of(text: &str) -> Option<String> {
    // a page copied from the web starts with its menus ("Skip to content",
    // "Home | News | ..."): look a little further, past them
    let menu = |l: &&str| l.starts_with("Skip to") || l.contains(" | ") || l.split_whitespace().count() < 3;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(16).collect();
    let is_title = |l: &&str| l.len() < 200 && !l.ends_with('.') && !menu(l);
    lines
        .iter()
        .find(|l| {
            is_title(l)
                && [
                    "Meeting",
                    "Summit",
                    "Talks",
                    "Dialogue",
                    "Statement",
                    "Readout",
                    "Visit",
                    "Call",
                    "meeting",
                    "Council",
                    "Conference",
                ]
                .iter()
                .any(|k| l.contains(k))
        })
        .or_else(|| lines.iter().find(|l| is_title(l)))
        .or_else(|| lines.iter().take(4).find(|l| l.len() < 200 && !l.ends_with('.')))
        .map(|s| s.to_string())
}

struct Run {
    prepared: Prepared,
    analysis: analyse::Analysis,
    g: Arc<gazetteer::Gazetteer>,
    date: Option<Date>,
    publisher: Option<Party>,
    title: Option<String>,
}

fn run(input: &[u8], opts: &Options, explain: bool) -> Result<(Run, String), ExtractError> {
    let source = validate(input)?;
    let prepared = prepare(source)?;
    let text: &str = if prepared.map.is_some() { &prepared.text } else { source };
    let g = gazetteer::gazetteer(opts.extra.as_deref());
    let date = opts.date.or(prepared.date).or_else(|| dates::find_date(text));
    let publisher_idx = opts.publisher.as_ref().and_then(|p| g.party_index(p.as_str()));
    let analysis = analyse::analyse(text, &g, date, publisher_idx, explain);
    let publisher =
        opts.publisher.clone().or_else(|| analysis.publisher.and_then(|p| Party::new(g.parties[p].code.clone()).ok()));
    let title = opts.title.clone().or_else(|| prepared.title.clone()).or_else(|| title_of(text));
    let text_owned = if prepared.map.is_some() { String::new() } else { source.to_owned() };
    Ok((Run { prepared, analysis, g, date, publisher, title }, text_owned))
}

/// Extract the commitments of one readout.
pub fn extract(input: &[u8], opts: &Options) -> Result<Extraction, ExtractError> {
    let (r, plain) = run(input, opts, false)?;
    let text: &str = if r.prepared.map.is_some() { &r.prepared.text } else { &plain };
    // the id names the document the caller gave (HTML source included), so
    // the same file always gets the same id whatever we read out of it
    let id = DocumentId::for_text(std::str::from_utf8(input).unwrap_or(text));
    let party = |i: usize| Party::new(r.g.parties[i].code.clone()).ok();
    let mut commitments = Vec::with_capacity(r.analysis.found.len());
    for f in &r.analysis.found {
        let span = r.prepared.span(f.start, f.end);
        let clause = &text[f.start..f.end];
        let topics = topics::topics(&r.g, clause);
        commitments.push(Extracted {
            id: CommitmentId::for_span(&id, span),
            kind: f.kind,
            committers: f.committers.iter().filter_map(|&p| party(p)).collect(),
            counterparts: f.counterparts.iter().filter_map(|&p| party(p)).collect(),
            text: clause.to_string(),
            span,
            cue: f.cue.clone(),
            rule: f.rule.to_string(),
            due: f.due,
            confidence: f.confidence,
            topics,
            cameo: topics::cameo(f.kind, &clause.to_ascii_lowercase()),
        });
    }
    let sentences = r
        .analysis
        .sentences
        .iter()
        .filter(|s| !s.heading)
        .map(|s| ReadoutSentence { text: text[s.start..s.end].to_string(), span: r.prepared.span(s.start, s.end) })
        .collect();
    let document = DocumentInfo {
        id,
        title: r.title,
        date: r.date,
        publisher: r.publisher,
        bytes: input.len(),
        format: r.prepared.format,
        parties: r.analysis.meeting.iter().filter_map(|&p| party(p)).collect(),
        extractor: VERSION,
    };
    let text = if r.prepared.map.is_some() { r.prepared.text } else { plain };
    Ok(Extraction { document, commitments, text, sentences })
}

/// Per sentence: taken or not, and why (the cue and rule that took it, or
/// the non-commitment rule that rejected it).
pub fn explain(input: &[u8], opts: &Options) -> Result<String, ExtractError> {
    let (r, plain) = run(input, opts, true)?;
    let text: &str = if r.prepared.map.is_some() { &r.prepared.text } else { &plain };
    let mut out = String::new();
    let names = |v: &[usize]| v.iter().map(|&p| r.g.parties[p].code.clone()).collect::<Vec<_>>().join(", ");
    let _ = writeln!(
        out,
        "{VERSION}  format {}  date {}  meeting parties [{}]  publisher {}",
        r.prepared.format,
        r.date.map_or("-".to_string(), |d| d.to_string()),
        names(&r.analysis.meeting),
        r.publisher.as_ref().map_or("-".to_string(), |p| p.to_string()),
    );
    for n in &r.analysis.notes {
        let span = r.prepared.span(n.start, n.end);
        let _ = writeln!(out, "\n[{}..{}] {}", span.start, span.end, &text[n.start..n.end]);
        if n.lines.is_empty() {
            let _ = writeln!(out, "    - no commitment cue");
        }
        for l in &n.lines {
            let _ = writeln!(out, "    - {l}");
        }
    }
    Ok(out)
}

impl Extraction {
    /// A human-readable aligned table for `--format table`.
    pub fn to_table(&self) -> String {
        let mut rows: Vec<[String; 6]> =
            vec![["#".into(), "kind".into(), "committers".into(), "due".into(), "span".into(), "text".into()]];
        for (i, c) in self.commitments.iter().enumerate() {
            let committers = c.committers.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",");
            let mut text: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > 90 {
                text = text.chars().take(87).collect::<String>() + "...";
            }
            rows.push([
                (i + 1).to_string(),
                c.kind.to_string(),
                committers,
                c.due.map_or("-".into(), |d| d.to_string()),
                format!("{}..{}", c.span.start, c.span.end),
                text,
            ]);
        }
        let mut widths = [0usize; 6];
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r.iter()) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}  {}  {} commitment(s)",
            self.document.title.as_deref().unwrap_or("(untitled)"),
            self.document.date.map_or("-".to_string(), |d| d.to_string()),
            self.commitments.len()
        );
        for r in &rows {
            let mut line = String::new();
            for (k, (c, w)) in r.iter().zip(widths).enumerate() {
                if k == 5 {
                    line.push_str(c);
                } else {
                    let _ = write!(line, "{c:<w$}  ");
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }
}

/// The member states of an organisation party (`NATO` → `USA`, `GBR`, …), as
/// the gazetteer knows them; empty for a state or an unknown code. The
/// linker uses it to see that a commitment of Germany concerns an EU meeting.
pub fn members(party: &Party, extra: Option<&ExtraData>) -> Vec<Party> {
    let g = gazetteer::gazetteer(extra);
    g.party_index(party.as_str())
        .map(|i| g.parties[i].members.iter().filter_map(|m| Party::new(m.clone()).ok()).collect())
        .unwrap_or_default()
}

/// The parties a text names as partners: in a compound ("the
/// Japan-Australia Reciprocal Access Agreement"), a pair ("Japan and the
/// Netherlands would…") or after "with" ("signed an agreement with the
/// Philippines"), by name, demonym or capital. The
/// linker uses it to see that a sentence speaks of an agreement with
/// someone else.
pub fn partners_named(text: &str, extra: Option<&ExtraData>) -> Vec<Party> {
    let g = gazetteer::gazetteer(extra);
    let mentions: Vec<(usize, usize, usize)> = g
        .scan(text)
        .into_iter()
        .filter_map(|m| match m.target {
            gazetteer::Target::Party { party, .. } => Some((m.start, m.end, party)),
            _ => None,
        })
        .collect();
    let joined = |a: usize, b: usize| {
        let between = &text[a..b];
        matches!(between, "-" | "–" | "/" | " and " | " and the ")
    };
    let mut named: Vec<Party> = mentions
        .iter()
        .enumerate()
        .filter(|(i, (start, end, _))| {
            let before = text[..*start].trim_end_matches("the ").to_lowercase();
            before.ends_with("with ")
                || mentions.get(i + 1).is_some_and(|next| joined(*end, next.0))
                || i.checked_sub(1).is_some_and(|j| joined(mentions[j].1, *start))
        })
        .filter_map(|(_, (_, _, i))| Party::new(g.parties[*i].code.clone()).ok())
        .collect();
    named.sort();
    named.dedup();
    named
}

/// The parties a text names by name, not by demonym or capital: "Malta",
/// not "Valletta". The linker tells a country from a town with it.
pub fn parties_named_by_name(text: &str, extra: Option<&ExtraData>) -> Vec<Party> {
    named(text, extra, true)
}

/// Every party a text names, by name, demonym or capital.
pub fn parties_named(text: &str, extra: Option<&ExtraData>) -> Vec<Party> {
    named(text, extra, false)
}

fn named(text: &str, extra: Option<&ExtraData>, by_name_only: bool) -> Vec<Party> {
    let g = gazetteer::gazetteer(extra);
    let mut named: Vec<Party> = g
        .scan(text)
        .into_iter()
        .filter_map(|m| match m.target {
            gazetteer::Target::Party { party, strong } if strong || !by_name_only => {
                Party::new(g.parties[party].code.clone()).ok()
            }
            _ => None,
        })
        .collect();
    named.sort();
    named.dedup();
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capital_names_its_party_but_not_by_name() {
        let codes = |v: Vec<Party>| v.iter().map(|p| p.as_str().to_owned()).collect::<Vec<_>>();
        assert_eq!(codes(parties_named("talks in Valletta", None)), ["MLT"]);
        assert!(parties_named_by_name("talks in Valletta", None).is_empty());
        assert_eq!(codes(parties_named_by_name("talks in Malta", None)), ["MLT"]);
    }

    #[test]
    fn partners_are_named_in_compounds_and_after_with() {
        let check = |text: &str, want: &[&str]| {
            let got: Vec<String> = partners_named(text, None).iter().map(|p| p.as_str().to_owned()).collect();
            assert_eq!(got, want, "{text:?}");
        };
        check("We signed the Japan-Australia Reciprocal Access Agreement today.", &["AUS", "JPN"]);
        check("Japan had signed a Reciprocal Access Agreement with the Philippines on Monday.", &["PHL"]);
        check("They stood by Ukraine's sovereignty and the Paris Agreement.", &[]);
        check("The two leaders welcomed the progress.", &[]);
        check("confirmed that Japan and the Netherlands would work towards", &["JPN", "NLD"]);
        let all: Vec<String> =
            parties_named("Japan and the Netherlands would sign", None).iter().map(|p| p.as_str().to_owned()).collect();
        assert_eq!(all, ["JPN", "NLD"]);
    }

    #[test]
    fn a_demonym_before_a_title_names_a_party_of_the_meeting() {
        let text = "Secretary Blinken's Meeting with Colombian Foreign Minister Murillo\n\nSecretary of State Antony J. Blinken met today with Colombian Foreign Minister Luis Gilberto Murillo in New York.\n";
        let parties: Vec<String> = extract(text.as_bytes(), &Options::default())
            .unwrap()
            .document
            .parties
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect();
        assert!(parties.contains(&"COL".to_owned()), "{parties:?}");
    }

    #[test]
    fn a_demonym_two_parties_share_is_the_one_the_readout_names() {
        let text = "Abdullah bin Zayed receives phone call from Dominican Foreign Minister\n\nAbu Dhabi, 6 October 2020\n\nHis Highness Sheikh Abdullah bin Zayed Al Nahyan, Minister of Foreign Affairs of the UAE, today received a phone call from Roberto Alvarez, Minister of Foreign Affairs of the Dominican Republic. The Dominican minister and His Highness agreed to hold the second session of the joint committee in Abu Dhabi.\n";
        let parties = meeting_parties_of(text);
        assert!(parties.contains(&"DOM".to_owned()) && !parties.contains(&"DMA".to_owned()), "{parties:?}");
        // Dominica's own readout keeps it.
        let text = "Prime Minister of Dominica visits Caracas\n\nCaracas, 3 May 2019\n\nThe Dominican Prime Minister and the Foreign Minister of Venezuela agreed to hold talks on energy.\n";
        let parties = meeting_parties_of(text);
        assert!(parties.contains(&"DMA".to_owned()) && !parties.contains(&"DOM".to_owned()), "{parties:?}");
    }

    fn meeting_parties_of(text: &str) -> Vec<String> {
        let extraction = extract(text.as_bytes(), &Options::default()).unwrap();
        extraction.document.parties.iter().map(|p| p.as_str().to_owned()).collect()
    }

    #[test]
    fn a_demonym_compound_meeting_name_names_both_parties() {
        let text = "German-Chilean government consultations in Berlin\n\nPress release 7 June 2024\n\nOn 7 June 2024, Federal Chancellor Olaf Scholz and President Gabriel Boric chaired the first German-Chilean government consultations at the Federal Chancellery.\n";
        let parties = meeting_parties_of(text);
        assert!(parties.contains(&"CHL".to_owned()) && parties.contains(&"DEU".to_owned()), "{parties:?}");
    }

    #[test]
    fn the_federal_chancellor_unnamed_is_germanys() {
        let text = "Federal Chancellor receives the Prime Minister of Canada\n\nBerlin, 8 June 2021\n\nThe Federal Chancellor today received the Prime Minister of Canada for talks at the Federal Chancellery.\n";
        let parties = meeting_parties_of(text);
        assert!(parties.contains(&"DEU".to_owned()) && parties.contains(&"CAN".to_owned()), "{parties:?}");
    }

    #[test]
    fn the_capital_a_minister_met_in_names_the_host() {
        let text = "Minister Veldkamp in Manila: 'Our water partnership is delivering'\n\nNews item, Ministry of Foreign Affairs, Government of the Netherlands\nManila, 29 January 2025\n\nMinister of Foreign Affairs Caspar Veldkamp met Secretary of Foreign Affairs Enrique Manalo in Manila today for the second round of Bilateral Consultations.\n";
        let parties = meeting_parties_of(text);
        assert!(parties.contains(&"NLD".to_owned()) && parties.contains(&"PHL".to_owned()), "{parties:?}");
    }

    #[test]
    fn the_guest_titled_by_their_state_is_at_the_table_not_the_union_they_will_chair() {
        // "the President of the Comoros ... the chairmanship of the African
        // Union": the Comoros met France; the AU was only named
        let text = "Talks\n\nParis, 19 January 2023\n\nThe President of the French Republic received the President of the Comoros, Mr. Azali Assoumani, at the Elysee Palace, shortly before the latter assumed the rotating chairmanship of the African Union.\n";
        assert_eq!(meeting_parties_of(text), ["FRA", "COM"]);
    }

    #[test]
    fn a_minister_in_a_capital_for_talks_with_its_leaders_meets_that_state() {
        let text = "Foreign Minister Lahbib visits Tbilisi\n\nTbilisi, 6 December 2023\n\nMinister of Foreign Affairs Hadja Lahbib was in Tbilisi today for talks with Prime Minister Irakli Garibashvili.\n";
        let options = Options { publisher: Some(Party::new("BEL").unwrap()), ..Options::default() };
        let extraction = extract(text.as_bytes(), &options).unwrap();
        let mut parties: Vec<&str> = extraction.document.parties.iter().map(|p| p.as_str()).collect();
        parties.sort();
        assert_eq!(parties, ["BEL", "GEO"]);
    }

    #[test]
    fn latin_america_is_a_region_not_the_united_states() {
        let text = "Japan-Brazil Summit Meeting\n\nPrime Minister Kishida met President Lula in Tokyo.\nThe two leaders agreed to hold a conference on Latin America and South America next year.\n";
        let extraction = extract(text.as_bytes(), &Options::default()).unwrap();
        let named: Vec<String> = extraction
            .commitments
            .iter()
            .flat_map(|c| c.committers.iter().chain(&c.counterparts))
            .chain(&extraction.document.parties)
            .map(|p| p.as_str().to_owned())
            .collect();
        assert!(!named.contains(&"USA".to_owned()), "{named:?}");
        assert!(!extraction.commitments.is_empty());
    }

    #[test]
    fn titles_skip_page_menus() {
        let check = |text: &str, want: Option<&str>| assert_eq!(title_of(text).as_deref(), want, "{text:?}");
        check("Japan-NATO Summit Meeting\nOn October 31, the two leaders met.", Some("Japan-NATO Summit Meeting"));
        check(
            "Skip to content\nThe White House\nMenu\nSearch\nHome | News\nReadout of President Biden's Meeting with President Marcos\nMAY 01, 2023\nText.",
            Some("Readout of President Biden's Meeting with President Marcos"),
        );
        check("Joint Statement\nWe met.", Some("Joint Statement"));
        check("We met.", None);
    }

    #[test]
    fn errors_are_clear() {
        assert_eq!(extract(b"", &Options::default()).unwrap_err(), ExtractError::Empty);
        assert_eq!(extract(b"  \n ", &Options::default()).unwrap_err(), ExtractError::Empty);
        assert_eq!(extract(b"ab\xffcd", &Options::default()).unwrap_err(), ExtractError::InvalidUtf8 { offset: 2 });
        assert_eq!(extract(b"ab\0cd", &Options::default()).unwrap_err(), ExtractError::Binary { offset: 2 });
        let big = vec![b'a'; MAX_INPUT + 1];
        assert!(matches!(extract(&big, &Options::default()), Err(ExtractError::TooLarge { .. })));
        let msg = ExtractError::InvalidUtf8 { offset: 7 }.to_string();
        assert!(msg.contains("offset 7"), "{msg}");
    }

    #[test]
    fn html_sentences_are_decoded_and_map_to_the_source() {
        let html = "<html><head><title>Japan-UK Summit Meeting</title></head><body>\n\
            <nav><a href=\"/\">Home</a></nav>\n<article>\n<h1>Japan-UK Summit Meeting</h1>\n\
            <p>Prime Minister Kishida met Prime Minister Sunak.</p>\n\
            <p>The two leaders agreed to deepen trade &amp; investment ties. \
            They will meet again in <b>London</b> next year.</p>\n</article></body></html>";
        let x = extract(html.as_bytes(), &Options::default()).unwrap();
        assert_eq!(x.document.format, "html");
        assert!(x.text.contains("trade & investment ties"), "{:?}", x.text);
        assert!(!x.text.contains("&amp;") && !x.text.contains('<') && !x.text.contains("Home"), "{:?}", x.text);
        // the heading is left out; texts are decoded
        let texts: Vec<&str> = x.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Prime Minister Kishida met Prime Minister Sunak.",
                "The two leaders agreed to deepen trade & investment ties.",
                "They will meet again in London next year.",
            ]
        );
        // spans are source bytes, entities and tags included
        let src: Vec<&str> = x.sentences.iter().map(|s| &html[s.span.start..s.span.end]).collect();
        assert_eq!(
            src,
            [
                "Prime Minister Kishida met Prime Minister Sunak.",
                "The two leaders agreed to deepen trade &amp; investment ties.",
                "They will meet again in <b>London</b> next year.",
            ]
        );
        // each sentence is a stretch of the decoded text, and holds its commitments
        for s in &x.sentences {
            assert!(x.text.contains(&s.text), "{:?}", s.text);
        }
        assert!(!x.commitments.is_empty());
        for c in &x.commitments {
            assert!(
                x.sentences.iter().any(|s| s.span.start <= c.span.start && c.span.end <= s.span.end),
                "{:?} outside every sentence",
                c.text
            );
        }
    }

    #[test]
    fn plain_text_sentences_are_slices_of_the_input() {
        let input = "Japan-UK Summit Meeting\nPrime Minister Kishida met Prime Minister Sunak. \
            The two leaders agreed to deepen trade & investment ties.\n";
        let x = extract(input.as_bytes(), &Options::default()).unwrap();
        assert_eq!(x.text, input);
        assert_eq!(x.sentences.len(), 2);
        for s in &x.sentences {
            assert_eq!(&input[s.span.start..s.span.end], s.text);
        }
        // not part of the JSON output
        let json = serde_json::to_value(&x).unwrap();
        assert_eq!(json.as_object().unwrap().keys().collect::<Vec<_>>(), ["commitments", "document"]);
    }
}
