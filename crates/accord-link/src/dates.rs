//! When a reported outcome happened, from the later readout's own words:
//! "signed in March" (the first of March), "entered into force on 1 July",
//! "last year" (1 January of that year), "in 2023". Month names without a
//! year fall in the twelve months up to the later readout's date.

use regex::Regex;
use std::sync::LazyLock;
use time::{Date, Month};

static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    let month =
        "January|February|March|April|May|June|July|August|September|October|November|December";
    Regex::new(&format!(
        r"(?i)\b(?:(?:in|on|since|from|of|during|last) (?:early |mid-|late )?)(?:(?P<d1>\d{{1,2}}) (?P<m1>{month})|(?P<m2>{month})(?: (?P<d2>\d{{1,2}}))?)(?:,? (?P<y1>(?:19|20)\d\d)| (?P<ly>last year)| (?P<ty>this year))?\b|\b(?P<last>last|this) year\b|\b(?P<lm>last|this) month\b|\bin (?P<y2>(?:19|20)\d\d)\b"
    ))
    .expect("valid")
});

/// The date of the outcome and the phrase that says it, if the sentence
/// dates it no later than `later` and no earlier than `not_before`.
pub fn effective(sentence: &str, later: Date, not_before: Option<Date>) -> Option<(Date, String)> {
    PHRASE.captures_iter(sentence).find_map(|c| {
        let phrase = c.get(0)?.as_str().to_owned();
        let date = if let Some(which) = c.name("last") {
            let year = match which.as_str().to_lowercase().as_str() {
                "last" => later.year() - 1,
                _ => return None, // "this year" names no day
            };
            Date::from_calendar_date(year, Month::January, 1).ok()?
        } else if let Some(which) = c.name("lm") {
            // "last month": its first day; "this month": the later readout's month
            let first = later.replace_day(1).ok()?;
            match which.as_str().to_lowercase().as_str() {
                "last" => first.previous_day()?.replace_day(1).ok()?,
                _ => first,
            }
        } else if let Some(y) = c.name("y2") {
            Date::from_calendar_date(y.as_str().parse().ok()?, Month::January, 1).ok()?
        } else {
            let month = c.name("m1").or(c.name("m2"))?.as_str();
            let month = month_of(month)?;
            let day: u8 = c
                .name("d1")
                .or(c.name("d2"))
                .map_or(Some(1), |d| d.as_str().parse().ok())?;
            let last = phrase.to_lowercase().starts_with("last ");
            let year = match c.name("y1") {
                Some(y) => y.as_str().parse().ok()?,
                None if c.name("ly").is_some() => later.year() - 1,
                // "in May this year": the later readout's year, even when that is still ahead
                None if c.name("ty").is_some() => later.year(),
                None if month as u8 == later.month() as u8 && last => later.year() - 1,
                None if month as u8 <= later.month() as u8 => later.year(),
                None => later.year() - 1,
            };
            Date::from_calendar_date(year, month, day).ok()?
        };
        let in_range = date <= later && not_before.is_none_or(|n| date >= n);
        in_range.then_some((date, phrase))
    })
}

pub(crate) fn month_of(name: &str) -> Option<Month> {
    let lower = name.to_lowercase();
    (1..=12u8)
        .filter_map(|m| Month::try_from(m).ok())
        .find(|m| format!("{m}").to_lowercase() == lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn check(sentence: &str, expected: Option<Date>) {
        let got = effective(sentence, date!(2023 - 10 - 09), Some(date!(2022 - 01 - 01)));
        assert_eq!(got.map(|(d, _)| d), expected, "{sentence}");
    }

    #[test]
    fn dates_of_outcomes() {
        check("The RAA was signed in March.", Some(date!(2023 - 03 - 01)));
        check(
            "It entered into force on 1 July.",
            Some(date!(2023 - 07 - 01)),
        );
        check(
            "It entered into force on July 1, 2023.",
            Some(date!(2023 - 07 - 01)),
        );
        check(
            "The survey was completed last year.",
            Some(date!(2022 - 01 - 01)),
        );
        check(
            "The dialogue was launched in 2022.",
            Some(date!(2022 - 01 - 01)),
        );
        check(
            "The exercise was held in November.",
            Some(date!(2022 - 11 - 01)),
        );
        check("They would meet again in 2030.", None);
        check("The plan was completed earlier this year.", None);
        check(
            "The MMPA, signed in May last year, is working.",
            Some(date!(2022 - 05 - 01)),
        );
        check(
            "The GSOMIA, fully normalised on 21 March last year.",
            Some(date!(2022 - 03 - 21)),
        );
        check(
            "They put the talks on hold last November.",
            Some(date!(2022 - 11 - 01)),
        );
        check(
            "The visit planned for last October.",
            Some(date!(2022 - 10 - 01)),
        );
        // the later readout says when: its date is not the evidence date
        check(
            "They welcomed the completion in May this year of the update of the IPCP.",
            Some(date!(2023 - 05 - 01)),
        );
        check(
            "The survey was completed last month.",
            Some(date!(2023 - 09 - 01)),
        );
        check(
            "The line opened earlier this month.",
            Some(date!(2023 - 10 - 01)),
        );
        // "this year" pins the year: a month still ahead is no evidence date
        check("The review in November this year will settle it.", None);
    }

    #[test]
    fn last_month_in_january_is_last_december() {
        let got = effective("It was signed last month.", date!(2024 - 01 - 15), None);
        assert_eq!(got.map(|(d, _)| d), Some(date!(2023 - 12 - 01)));
    }
}
