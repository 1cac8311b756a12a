//! Dates: the readout's own date, and deadlines resolved against it.
//!
//! A deadline is the last day of the period the text names ("next year" in a
//! 2017 readout is 2018-12-31); day-level times resolve to that day and spans
//! ("within three months") to the date that long after the meeting.
//! "early ..." and "as soon as possible" name no period, so they are not
//! deadlines.

use regex::Regex;
use std::sync::LazyLock;
use time::{Date, Duration, Month};

const MONTH_RE: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";

fn month_of(s: &str) -> Option<Month> {
    let s = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match s.get(..3)? {
        "jan" => Month::January,
        "feb" => Month::February,
        "mar" => Month::March,
        "apr" => Month::April,
        "may" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "aug" => Month::August,
        "sep" => Month::September,
        "oct" => Month::October,
        "nov" => Month::November,
        "dec" => Month::December,
        _ => return None,
    };
    Some(m)
}

static DOC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({m})\.?,?\s+((?:19|20)\d\d)|({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)|((?:19|20)\d\d)-(\d\d)-(\d\d))\b",
        m = MONTH_RE
    ))
    .expect("date regex")
});

/// The first full date written in the text ("21 December 2022",
/// "June 04, 2020", "06 Dec. 2016", "2022-12-21").
pub fn find_date(text: &str) -> Option<Date> {
    for c in DOC_DATE.captures_iter(text) {
        let d = if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
            make(y.as_str(), month_of(m.as_str()), d.as_str())
        } else if let (Some(m), Some(d), Some(y)) = (c.get(4), c.get(5), c.get(6)) {
            make(y.as_str(), month_of(m.as_str()), d.as_str())
        } else if let (Some(y), Some(m), Some(d)) = (c.get(7), c.get(8), c.get(9)) {
            let m = m.as_str().parse::<u8>().ok().and_then(|m| Month::try_from(m).ok());
            make(y.as_str(), m, d.as_str())
        } else {
            None
        };
        if d.is_some() {
            return d;
        }
    }
    None
}

fn make(y: &str, m: Option<Month>, d: &str) -> Option<Date> {
    Date::from_calendar_date(y.parse().ok()?, m?, d.parse().ok()?).ok()
}

fn end_of_month(year: i32, m: Month) -> Option<Date> {
    Date::from_calendar_date(year, m, time::util::days_in_month(m, year)).ok()
}

fn end_of_year(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::December, 31).ok()
}

/// `n` months after `d`; `None` past the calendar's range (never a panic).
fn add_months(d: Date, n: i32) -> Option<Date> {
    let total = i64::from(d.year()) * 12 + (d.month() as i64 - 1) + i64::from(n);
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?;
    let day = d.day().min(time::util::days_in_month(m, y));
    Date::from_calendar_date(y, m, day).ok()
}

fn number(s: &str) -> Option<i32> {
    Some(match s {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "eighteen" => 18,
        "twenty" => 20,
        "thirty" => 30,
        _ => s.parse().ok()?,
    })
}

type Handler = fn(&regex::Captures, Option<Date>) -> Option<Date>;

fn year_word(w: &str, r: Option<Date>) -> Option<i32> {
    match w {
        "this year" | "the year" => r.map(|r| r.year()),
        "next year" => r.map(|r| r.year() + 1),
        y => y.parse().ok(),
    }
}

static DEADLINES: LazyLock<Vec<(Regex, Handler)>> = LazyLock::new(|| {
    let m = MONTH_RE;
    let v: Vec<(String, Handler)> = vec![
        (r"\b(?:later today|by the end of (?:the )?day|by the end of today|tonight|later this evening)\b".into(), |_, r| r),
        (r"\btomorrow\b".into(), |_, r| r?.next_day()),
        (
            r"\b(first|second|1st|2nd) half of (this year|next year|the year|(?:19|20)\d\d)\b".into(),
            |c, r| {
                let y = year_word(&c[2], r)?;
                if c[1].starts_with('f') || c[1].starts_with('1') {
                    end_of_month(y, Month::June)
                } else {
                    end_of_year(y)
                }
            },
        ),
        (
            r"\b(first|second|third|fourth) quarter of (this year|next year|the year|(?:19|20)\d\d)\b".into(),
            |c, r| {
                let y = year_word(&c[2], r)?;
                let m = match &c[1] {
                    "first" => Month::March,
                    "second" => Month::June,
                    "third" => Month::September,
                    _ => Month::December,
                };
                end_of_month(y, m)
            },
        ),
        (
            r"\b(?:by|before|until|in|within|during|at) (?:the )?(?:end|close) of (this|the|next) (year|month|week)\b"
                .into(),
            |c, r| {
                let r = r?;
                let next = &c[1] == "next";
                match &c[2] {
                    "year" => end_of_year(r.year() + next as i32),
                    "month" => {
                        let d = add_months(r, next as i32)?;
                        end_of_month(d.year(), d.month())
                    }
                    _ => {
                        let to_sunday = 6 - r.weekday().number_days_from_monday() as i64;
                        r.checked_add(Duration::days(to_sunday + if next { 7 } else { 0 }))
                    }
                }
            },
        ),
        (
            format!(r"\b(?:by|before|until|in|within|during|through|at) (?:the )?(?:end of |early |mid-?|late |beginning of )?({m})\.?(?:,? ((?:19|20)\d\d)| (this year|next year))?\b"),
            |c, r| {
                let mo = month_of(&c[1])?;
                let y = if let Some(y) = c.get(2) {
                    y.as_str().parse().ok()?
                } else if let Some(w) = c.get(3) {
                    year_word(w.as_str(), r)?
                } else {
                    let r = r?;
                    if (mo as u8) < (r.month() as u8) {
                        r.year() + 1
                    } else {
                        r.year()
                    }
                };
                end_of_month(y, mo)
            },
        ),
        (
            r"\b(?:by|before|until|in|within|during|through|for) (?:the )?(?:end of |fiscal year |fy ?|early |mid-?|late )?((?:19|20)\d\d)\b"
                .into(),
            |c, _| end_of_year(c[1].parse().ok()?),
        ),
        (
            r"\b(?:within|later|during|by the end of|before the end of|by end of|in) (?:this|the) year\b|\bthis year\b".into(),
            |_, r| end_of_year(r?.year()),
        ),
        (r"\bnext year(?:'s|’s)?\b".into(), |_, r| end_of_year(r?.year() + 1)),
        (r"\bby (?:the )?year-end\b|\bby the end of the calendar year\b".into(), |_, r| end_of_year(r?.year())),
        (r"\bby end-((?:19|20)\d\d)\b".into(), |c, _| end_of_year(c[1].parse().ok()?)),
        (
            format!(r"\b(?:by|before|until|in|from|around) (?:the end of )?next ({m})\b"),
            |c, r| {
                let r = r?;
                let mo = month_of(&c[1])?;
                let y = if (mo as u8) <= (r.month() as u8) { r.year() + 1 } else { r.year() };
                end_of_month(y, mo)
            },
        ),
        (r"\bnext month\b".into(), |_, r| {
            let d = add_months(r?, 1)?;
            end_of_month(d.year(), d.month())
        }),
        (r"\b(?:later|within|by the end of|before the end of) this month\b|\bthis month\b".into(), |_, r| {
            let r = r?;
            end_of_month(r.year(), r.month())
        }),
        (r"\bnext week\b".into(), |_, r| {
            let r = r?;
            r.checked_add(Duration::days(13 - r.weekday().number_days_from_monday() as i64))
        }),
        (
            r"\b(?:within|in the next|in the coming|over the next|over the coming|during the next|in the following|within the next|in) (\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty) (day|week|month|year|decade)s?\b"
                .into(),
            |c, r| {
                let r = r?;
                let n = number(&c[1])?;
                match &c[2] {
                    "day" => r.checked_add(Duration::days(n as i64)),
                    "week" => r.checked_add(Duration::weeks(n as i64)),
                    "month" => add_months(r, n),
                    "year" => add_months(r, n.checked_mul(12)?),
                    _ => add_months(r, n.checked_mul(120)?),
                }
            },
        ),
        (
            r"\b(?:over|in|during|within) the (?:next|coming) (day|week|month|year|decade)\b".into(),
            |c, r| {
                let r = r?;
                match &c[1] {
                    "day" => r.next_day(),
                    "week" => r.checked_add(Duration::weeks(1)),
                    "month" => add_months(r, 1),
                    "year" => add_months(r, 12),
                    _ => add_months(r, 120),
                }
            },
        ),
    ];
    v.into_iter().map(|(p, h)| (Regex::new(&format!("(?i){p}")).expect("deadline regex"), h)).collect()
});

/// One pass over the clause tells which deadline patterns can match at all.
static DEADLINE_SET: LazyLock<regex::RegexSet> =
    LazyLock::new(|| regex::RegexSet::new(DEADLINES.iter().map(|(r, _)| r.as_str())).expect("deadline set"));

/// A deadline found in `clause`: the resolved date and the byte range of the
/// phrase that gave it. The earliest phrase wins; among phrases starting at
/// the same place, the longest.
pub fn deadline(clause: &str, reference: Option<Date>) -> Option<(Date, std::ops::Range<usize>)> {
    // pages copied from the web space words with no-break and thin spaces
    // ("next\u{a0}year"): read them as spaces, and map the phrase back
    if !clause.contains(|c: char| c.is_whitespace() && !c.is_ascii()) {
        return deadline_spaced(clause, reference);
    }
    let (mut norm, mut map) = (String::with_capacity(clause.len()), Vec::with_capacity(clause.len() + 1));
    for (i, c) in clause.char_indices() {
        let c = if c.is_whitespace() { ' ' } else { c };
        norm.push(c);
        map.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    map.push(clause.len());
    deadline_spaced(&norm, reference).map(|(d, r)| (d, map[r.start]..map[r.end]))
}

fn deadline_spaced(clause: &str, reference: Option<Date>) -> Option<(Date, std::ops::Range<usize>)> {
    let mut best: Option<(usize, usize, Date)> = None;
    let hits = DEADLINE_SET.matches(clause);
    if !hits.matched_any() {
        return None;
    }
    for (re, h) in hits.iter().map(|i| &DEADLINES[i]) {
        for c in re.captures_iter(clause) {
            let m = c.get(0).expect("group 0");
            if recurring(&clause[..m.start()]) {
                continue;
            }
            let Some(d) = h(&c, reference) else { continue };
            let better = match best {
                None => true,
                Some((s, e, _)) => m.start() < s || (m.start() == s && m.end() > e),
            };
            if better {
                best = Some((m.start(), m.end(), d));
            }
            break;
        }
    }
    best.map(|(s, e, d)| (d, s..e))
}

/// "every two years", "twice a year", "once a month" are frequencies.
fn recurring(before: &str) -> bool {
    let w = before.trim_end().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    matches!(w.as_str(), "every" | "each" | "per" | "twice" | "once" | "since")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn check(clause: &str, reference: Date, expected: Option<Date>) {
        assert_eq!(deadline(clause, Some(reference)).map(|d| d.0), expected, "{clause:?}");
    }

    #[test]
    fn no_break_and_thin_spaces_are_spaces() {
        let r = date!(2023 - 03 - 20);
        check("hold the next summit in Tokyo next\u{a0}year", r, Some(date!(2024 - 12 - 31)));
        check("by the\u{2009}end of\u{202f}June", r, Some(date!(2023 - 06 - 30)));
        let clause = "launch it by\u{a0}the end of next\u{a0}year.";
        let (_, range) = deadline(clause, Some(r)).unwrap();
        assert_eq!(&clause[range], "by\u{a0}the end of next\u{a0}year");
    }

    #[test]
    fn relative_deadlines() {
        let r = date!(2017 - 01 - 12);
        check("hand over the aircraft by the end of March", r, Some(date!(2017 - 03 - 31)));
        check("visit Japan again within this year", r, Some(date!(2017 - 12 - 31)));
        check("visit Davao City tomorrow", r, Some(date!(2017 - 01 - 13)));
        check("hold a telephone talk later today", r, Some(date!(2017 - 01 - 12)));
        check("hold the meeting next year", r, Some(date!(2018 - 12 - 31)));
        check("hold the round in the first half of next year", r, Some(date!(2018 - 06 - 30)));
        check("in the first half of 2019", r, Some(date!(2019 - 06 - 30)));
        check("double trade by 2030", r, Some(date!(2030 - 12 - 31)));
        check("report, the first due by June 2017", r, Some(date!(2017 - 06 - 30)));
        check("meet next month", r, Some(date!(2017 - 02 - 28)));
        check("later this month", r, Some(date!(2017 - 01 - 31)));
        check("conclude within three months", r, Some(date!(2017 - 04 - 12)));
        check("over the next five years", r, Some(date!(2022 - 01 - 12)));
        check("the Summit at next year's Summit in Washington", r, Some(date!(2018 - 12 - 31)));
        check("by the end of November", r, Some(date!(2017 - 11 - 30)));
        check("provide support from April", r, None);
        check("later this year", r, Some(date!(2017 - 12 - 31)));
        check("conclude the talks by year-end", r, Some(date!(2017 - 12 - 31)));
        check("by end-2025", r, Some(date!(2025 - 12 - 31)));
        check("a cold shutdown by next January", date!(2011 - 05 - 26), Some(date!(2012 - 01 - 31)));
    }

    #[test]
    fn not_deadlines() {
        let r = date!(2017 - 01 - 12);
        check("early resolution of the abductions issue", r, None);
        check("sign the agreement as soon as possible", r, None);
        check("meet at least once every two years", r, None);
        check("report on progress twice a year", r, None);
        check("the measures announced today", r, None);
        check("at the earliest opportunity", r, None);
    }

    #[test]
    fn month_in_the_past_rolls_to_next_year() {
        check("by the end of March", date!(2017 - 10 - 12), Some(date!(2018 - 03 - 31)));
    }

    #[test]
    fn document_dates() {
        assert_eq!(find_date("Media release\n21 December 2022\n"), Some(date!(2022 - 12 - 21)));
        assert_eq!(find_date("Summit\nJune 04, 2020\n"), Some(date!(2020 - 06 - 04)));
        assert_eq!(find_date("06 Dec. 2016"), Some(date!(2016 - 12 - 06)));
        assert_eq!(find_date("On October 31, commencing"), None);
        assert_eq!(find_date("posted 2023-07-12"), Some(date!(2023 - 07 - 12)));
    }
}
