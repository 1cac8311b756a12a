//! Amounts a promise names and a report gives: "provide more than $100
//! million", then "has now provided more than $128 million" (delivered in
//! full) or "more than 100 million euros of the 200 million have been
//! contracted" (a part: in progress). Money is compared with money, counts
//! ("1,800 practitioners") with counts; years and days are not amounts.

use regex::Regex;
use std::sync::LazyLock;

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<cur>(?:[A-Z]{1,3})?[$€£¥]|\b(?:USD|EUR|GBP|JPY)\s?)?\b(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)\b(?:\s|-)?(?P<scale>million|billion|trillion|bn|mn)?\b\s?(?P<unit>euros?|dollars?|won|yen|pounds?|rupees?|reais|pesos?|yuan|francs?)?",
    )
    .expect("valid")
});

/// A share of the whole said in words: "more than half of the amount".
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(half|a third|two thirds|a quarter|part|some|most|a portion|a share) of (the|its|their|this) (amount|sum|funds?|funding|pledge|commitment|package|total|money|resources)\b")
        .expect("valid")
});

/// An amount: its value and whether it is money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Amount {
    pub value: f64,
    pub money: bool,
}

fn number(raw: &str) -> Option<f64> {
    let words = [
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("twenty", 20.0),
        ("fifty", 50.0),
        ("hundred", 100.0),
    ];
    let lower = raw.to_lowercase();
    words
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, v)| *v)
        .or_else(|| raw.replace(',', "").parse().ok())
}

/// The amounts of a text.
pub(crate) fn amounts(text: &str) -> Vec<Amount> {
    AMOUNT
        .captures_iter(text)
        .filter_map(|c| {
            let raw = c.name("num")?.as_str();
            let value = number(raw)?;
            let scale = c.name("scale").map(|s| s.as_str().to_lowercase());
            let money = c.name("cur").is_some() || c.name("unit").is_some();
            let factor = match scale.as_deref() {
                Some("million" | "mn") => 1e6,
                Some("billion" | "bn") => 1e9,
                Some("trillion") => 1e12,
                _ => 1.0,
            };
            let worded = raw.chars().all(char::is_alphabetic);
            // A bare small number, a year or a worded count is no amount.
            let year = !raw.contains(',') && (1900.0..2100.0).contains(&value) && factor == 1.0;
            if !money && factor == 1.0 && (value < 20.0 || year || worded) {
                return None;
            }
            if worded && factor == 1.0 {
                return None;
            }
            Some(Amount {
                value: value * factor,
                money,
            })
        })
        .collect()
}

/// How much of the promised amount the report gives: below 1 a part, at
/// or above 1 the whole; `None` when the two give no comparable amounts.
pub(crate) fn delivered(promise: &str, report: &str) -> Option<f32> {
    if PART.is_match(report) {
        return Some(0.5);
    }
    let promised = amounts(promise);
    let reported = amounts(report);
    let ratio = |money: bool| -> Option<f64> {
        let p = promised
            .iter()
            .filter(|a| a.money == money)
            .map(|a| a.value)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))?;
        let r = reported
            .iter()
            .filter(|a| a.money == money)
            .map(|a| a.value)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))?;
        Some(r / p)
    };
    ratio(true).or_else(|| ratio(false)).map(|r| r as f32)
}

/// Whether the two texts name the same sum of money, large enough to be
/// telling ("€60 million" in the promise and in the report).
pub(crate) fn same_money(a: &str, b: &str) -> bool {
    let sums = |t: &str| -> Vec<f64> {
        amounts(t)
            .into_iter()
            .filter(|x| x.money && x.value >= 1e6)
            .map(|x| x.value)
            .collect()
    };
    let theirs = sums(b);
    sums(a)
        .iter()
        .any(|x| theirs.iter().any(|y| (x - y).abs() < 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_wholes() {
        let p = "provide more than $100 million for infrastructure by 2023";
        assert!(delivered(p, "has now provided more than $128 million").unwrap() >= 1.0);
        let p = "make a further 200 million euros available for projects";
        assert!(delivered(p, "more than 100 million euros have been contracted").unwrap() < 1.0);
        let p = "at least ten billion euros in new commitments by 2030";
        assert!(delivered(p, "projects worth more than one billion euros").unwrap() < 1.0);
        let p = "support more than 1,800 practitioners";
        assert!(delivered(p, "More than 1,300 practitioners have completed it").unwrap() < 1.0);
        assert_eq!(
            delivered("hold talks in 2024", "held on 5 September 2024"),
            None
        );
        assert_eq!(
            delivered(
                "provide $5 million",
                "committed more than half of the amount"
            ),
            Some(0.5)
        );
    }
}
