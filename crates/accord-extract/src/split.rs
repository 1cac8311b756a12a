//! Blocks, list markers and sentences. Readouts put one paragraph or list item
//! per line, number them ("1.", "(2)") and abbreviate titles ("H.E. Mr."),
//! so a naive split on ". " would cut names in half.

/// A sentence as a byte range of the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index of the block (line / paragraph) the sentence belongs to.
    pub block: usize,
    /// The sentence has no final punctuation: a heading, title or dateline.
    pub heading: bool,
}

/// Words after which a period does not end a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "maj", "capt", "gov", "sen", "rep", "hon",
    "rev", "messrs", "mme", "amb", "no", "nos", "vs", "cf", "approx", "dept", "fig", "inc", "ltd", "co", "corp", "e.g",
    "i.e", "h.e", "h.m", "h.h", "h.r.h", "art", "para", "vol", "pp", "ca",
];
const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];
/// Dotted abbreviations that may also end a sentence ("at 10 p.m. The ...").
const AMBIGUOUS: &[&str] = &["a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "etc", "u.s.a"];
const STARTERS: &[&str] = &[
    "The",
    "They",
    "He",
    "She",
    "It",
    "We",
    "Both",
    "This",
    "These",
    "In",
    "On",
    "At",
    "After",
    "Following",
    "During",
    "Regarding",
    "Prime",
    "Mr.",
    "Ms.",
    "Foreign",
    "Secretary",
];

pub(crate) fn list_marker_len(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    // "1." "12)" "(2)" "(a)" "a)" "iv." "-" "•" "*"
    let rest = &line[i..];
    let marker_end = if let Some(inner) = rest.strip_prefix('(') {
        inner
            .find(')')
            .filter(|&k| (1..=4).contains(&k))
            .map(|k| k + 2)
            .filter(|&k| rest[1..k - 1].chars().all(|c| c.is_ascii_alphanumeric()))
    } else if let Some(c) = rest.chars().next() {
        if matches!(c, '-' | '•' | '*' | '·' | '–' | '—' | '▪' | '●') {
            Some(c.len_utf8())
        } else {
            let n = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
            if (1..=3).contains(&n) && matches!(rest.as_bytes().get(n), Some(b'.') | Some(b')')) {
                Some(n + 1)
            } else if rest.len() >= 2 && rest.as_bytes()[0].is_ascii_lowercase() && rest.as_bytes()[1] == b')' {
                Some(2)
            } else {
                None
            }
        }
    } else {
        None
    };
    if let Some(k) = marker_end {
        // A marker must be followed by white space ("1. Prime", not "1.5").
        if b.get(k).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i = k;
            while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
                i += 1;
            }
        }
    }
    i
}

/// Splits into sentences. Lines are blocks; a line that starts in lower case
/// or with a closing bracket continues the previous one.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let s = pos;
        pos += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let lead = trimmed.len() - trimmed.trim_start().len();
        let content = trimmed.trim();
        if content.is_empty() {
            continue;
        }
        let cs = s + lead;
        let ce = cs + content.len();
        let cont = content.starts_with(|c: char| c.is_lowercase() || c == ')' || c == ',');
        if cont {
            if let Some(last) = blocks.last_mut() {
                if text[last.1..cs].matches('\n').count() <= 1 {
                    last.1 = ce;
                    continue;
                }
            }
        }
        blocks.push((cs, ce));
    }
    for (bi, &(bs, be)) in blocks.iter().enumerate() {
        let start = bs + list_marker_len(&text[bs..be]);
        split_block(text, start, be, bi, &mut out);
    }
    out
}

fn prev_word(text: &str, dot: usize) -> &str {
    let before = &text[..dot];
    let s = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &before[s..]
}

fn split_block(text: &str, start: usize, end: usize, block: usize, out: &mut Vec<Sentence>) {
    let b = text.as_bytes();
    let mut s = start;
    let mut i = start;
    while i < end {
        let c = b[i];
        if c == b'.' || c == b'!' || c == b'?' {
            let mut j = i + 1;
            // closing quotes and brackets belong to the sentence
            loop {
                let rest = &text[j..end];
                if let Some(ch) = rest.chars().next() {
                    if matches!(ch, '"' | '\'' | '”' | '’' | ')' | ']') {
                        j += ch.len_utf8();
                        continue;
                    }
                }
                break;
            }
            let at_end = j >= end;
            let ws = !at_end && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\n' || b[j] == b'\r');
            if at_end || ws && is_boundary(text, i, j, end) {
                push(text, s, j, block, out);
                s = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push(text, s, end, block, out);
}

fn is_boundary(text: &str, dot: usize, after: usize, end: usize) -> bool {
    if text.as_bytes()[dot] != b'.' {
        return next_word(text, after, end).is_some_and(|w| !w.starts_with(|c: char| c.is_lowercase()));
    }
    let Some(next) = next_word(text, after, end) else {
        return true;
    };
    let first = next.chars().next().unwrap_or(' ');
    if first.is_lowercase() {
        return false;
    }
    let pw = prev_word(text, dot);
    let lw = pw.to_ascii_lowercase();
    let lw = lw.as_str();
    if lw.is_empty() {
        return true;
    }
    if TITLES.contains(&lw) {
        return false;
    }
    // initials: "J. Smith", and dotted names "H.E."
    if pw.chars().count() == 1 && pw.chars().all(|c| c.is_uppercase()) {
        return false;
    }
    if MONTHS.contains(&lw) {
        return !first.is_ascii_digit();
    }
    let w = next.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if matches!(lw, "u.s" | "u.k" | "u.n" | "e.u" | "u.s.a") {
        return ["The", "They", "He", "She", "It", "We", "Both", "This", "These"].contains(&w);
    }
    if AMBIGUOUS.contains(&lw) || (lw.contains('.') && lw.len() <= 6) {
        return STARTERS.contains(&w);
    }
    true
}

fn next_word(text: &str, from: usize, end: usize) -> Option<&str> {
    let rest = &text[from..end];
    let t = rest.trim_start();
    if t.is_empty() {
        return None;
    }
    let t = t.trim_start_matches(['"', '\'', '“', '‘', '(', '[']);
    let w = t.split_whitespace().next()?;
    Some(w)
}

fn push(text: &str, s: usize, e: usize, block: usize, out: &mut Vec<Sentence>) {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    let (s, e) = (s + lead, e - trail);
    if s >= e {
        return;
    }
    let last = text[s..e].trim_end_matches(['"', '\'', '”', '’', ')', ']']).chars().next_back();
    let heading = !matches!(last, Some('.') | Some('!') | Some('?') | Some(':') | Some(';'));
    out.push(Sentence { start: s, end: e, block, heading });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got: Vec<&str> = sentences(input).iter().map(|s| &input[s.start..s.end]).collect();
        assert_eq!(got, expected, "input: {input:?}");
    }

    #[test]
    fn titles_and_abbreviations_do_not_split() {
        check(
            "Prime Minister Abe met H.E. Mr. Jens Stoltenberg at 10:45 p.m. for 35 minutes. He left.",
            &["Prime Minister Abe met H.E. Mr. Jens Stoltenberg at 10:45 p.m. for 35 minutes.", "He left."],
        );
        check("The U.S. President spoke. Then Dr. Yang left.", &["The U.S. President spoke.", "Then Dr. Yang left."]);
        check("They met at 9 a.m. The talks went well.", &["They met at 9 a.m.", "The talks went well."]);
        check("Issued 06 Dec. 2016 in Brussels.", &["Issued 06 Dec. 2016 in Brussels."]);
        check("It met the U.S. They agreed.", &["It met the U.S.", "They agreed."]);
    }

    #[test]
    fn list_markers_and_quotes() {
        check(
            "1. First point. Second.\n(2) Another one\n- bullet item.\n3) third.",
            &["First point.", "Second.", "Another one", "bullet item.", "third."],
        );
        check(
            "They made it a \"Sea of Peace.\" Then they left.",
            &["They made it a \"Sea of Peace.\"", "Then they left."],
        );
        check("1.5 million people came.", &["1.5 million people came."]);
    }

    #[test]
    fn continuation_lines_join_and_headings_are_marked() {
        let text = "Joint Statement (English (PDF)\n) was issued.\nSecurity and defence";
        let s = sentences(text);
        assert_eq!(s.len(), 2);
        assert!(!s[0].heading);
        assert!(s[1].heading);
    }
}
