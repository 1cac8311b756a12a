//! Any bytes in: Ok or a clear error, never a panic; spans always in bounds
//! and on character boundaries of the input.

use accord_extract::{explain, extract, Options};
use proptest::prelude::*;

fn check_spans(input: &[u8]) {
    check_dated(input, None);
}

/// Like [`check_spans`], with a meeting date given (deadlines computed).
fn check_dated(input: &[u8], date: Option<time::Date>) {
    let opts = Options { date, ..Options::default() };
    match extract(input, &opts) {
        Ok(x) => {
            let text = std::str::from_utf8(input).expect("Ok implies UTF-8");
            for c in &x.commitments {
                assert!(c.span.start <= c.span.end && c.span.end <= input.len(), "span out of bounds: {:?}", c.span);
                assert!(text.is_char_boundary(c.span.start) && text.is_char_boundary(c.span.end), "{:?}", c.span);
                assert!(!c.committers.is_empty());
            }
            let _ = x.to_table();
            let _ = serde_json::to_string(&x).expect("serialises");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let _ = explain(input, &opts);
}

const WORDS: &[&str] = &[
    "The",
    "two",
    "leaders",
    "agreed",
    "to",
    "hold",
    "talks",
    "next",
    "year",
    ".",
    ",",
    "and",
    "Japan",
    "NATO",
    "would",
    "will",
    "stated",
    "that",
    "he",
    "they",
    "reaffirmed",
    "their",
    "support",
    "for",
    "Ukraine",
    "H.E.",
    "Mr.",
    "p.m.",
    "U.S.",
    "1.",
    "(2)",
    "\n",
    "\n\n",
    "welcomed",
    "by",
    "the",
    "end",
    "of",
    "March",
    "2030",
    "<p>",
    "</p>",
    "<div>",
    "&amp;",
    "é",
    "日本",
    "—",
    "\"",
    "’s",
    "Prime",
    "Minister",
    "Abe",
    "Secretary",
    "General",
    "concurred",
    "on",
    "strengthening",
    "cooperation",
    "within",
    "three",
    "months",
    "tomorrow",
    "<script>",
    "</script>",
    "<nav>",
    "it",
    "was",
    "agreed",
    "that",
    "both",
    "sides",
    "would",
    "meet",
    ";",
];

fn readout_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..120).prop_map(|ws| ws.join(" "))
}

/// Deadline phrases with numbers of any size, among the readout words.
const DEADLINE_WORDS: &[&str] = &[
    "within",
    "in",
    "by",
    "until",
    "before",
    "after",
    "days",
    "weeks",
    "months",
    "years",
    "decades",
    "day",
    "year",
    "the",
    "end",
    "of",
    "fiscal",
    "FY",
    "Q4",
    "spring",
    "2200",
    "2201",
    "1899",
    "9999",
    "0",
    "-1",
    "1",
    "12",
    "31",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999",
    "5000000",
    "2000000000",
    "1e308",
    "½",
    "December",
    "March",
    "31st",
    "first",
    "half",
    "next",
    "following",
    "would",
    "complete",
    "Japan",
    "NATO",
    "agreed",
    "to",
    "meet",
    "talks",
    ".",
    ",",
];

fn deadline_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![prop::sample::select(WORDS), prop::sample::select(DEADLINE_WORDS)], 0..80)
        .prop_map(|ws| ws.join(" "))
}

/// Any meeting date Accord accepts (1900..=2200), and the calendar's ends.
fn meeting_date() -> impl Strategy<Value = time::Date> {
    prop_oneof![
        (1900i32..=2200, 1u8..=12, 1u8..=28)
            .prop_map(|(y, m, d)| { time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap() }),
        Just(time::Date::MIN),
        Just(time::Date::MAX),
        Just(time::macros::date!(2200 - 12 - 31)),
        Just(time::macros::date!(1900 - 01 - 01)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..600)) {
        check_spans(&input);
    }

    #[test]
    fn readout_like_text_never_panics(s in readout_like()) {
        check_spans(s.as_bytes());
    }

    #[test]
    fn dated_text_with_large_numbers_never_panics(s in deadline_like(), date in meeting_date()) {
        check_dated(s.as_bytes(), Some(date));
    }

    #[test]
    fn dated_arbitrary_bytes_never_panic(
        input in prop::collection::vec(any::<u8>(), 0..400),
        date in meeting_date(),
    ) {
        check_dated(&input, Some(date));
    }

    #[test]
    fn readout_like_html_never_panics(s in readout_like()) {
        check_spans(format!("<html><body><p>{s}</p></body></html>").as_bytes());
    }
}

#[test]
fn deeply_nested_html() {
    let mut s = String::from("<!doctype html><html><body>");
    for _ in 0..20_000 {
        s.push_str("<div>");
    }
    s.push_str("The two leaders agreed to hold talks next year.");
    check_spans(s.as_bytes());
}

/// Quadratic traps: a run-on "sentence" of a megabyte, and nesting far
/// deeper than any page. Both must stay fast (read in windows / flat).
#[test]
fn pathological_inputs_stay_fast() {
    let t = std::time::Instant::now();
    let runon = "Japan and NATO would start an update and they would cooperate, and he would visit ".repeat(12_000);
    check_spans(runon.as_bytes());
    let mut deep = String::from("<html><body>");
    deep.push_str(&"<div>".repeat(200_000));
    deep.push_str("The two leaders agreed to meet.");
    check_spans(deep.as_bytes());
    assert!(t.elapsed() < std::time::Duration::from_secs(60), "took {:?}", t.elapsed());
}

#[test]
fn huge_and_odd_inputs() {
    check_spans(&vec![b'a'; accord_extract::MAX_INPUT + 1]);
    check_spans("They agreed to meet. ".repeat(20_000).as_bytes());
    check_spans(b"\xef\xbb\xbfThe two leaders agreed to meet again.");
    check_spans("（1）日本と中国は協力する。 The two leaders agreed to cooperate on Ａ.".as_bytes());
    check_spans(b"<");
    check_spans(b"<p");
    check_spans(b"<p>&#xffffff; &#0; &bogus; agreed to meet</p>");
}

/// Deadline arithmetic far past the calendar yields no deadline, never a panic.
#[test]
fn far_deadlines_do_not_panic() {
    let options = accord_extract::Options { date: Some(time::macros::date!(2017 - 10 - 31)), ..Default::default() };
    for text in [
        "Japan and NATO would complete the review within 5000000 days.",
        "Japan and NATO would complete the review within 2000000000 years.",
        "Japan and NATO would complete the review within 99999999999 decades.",
        "Japan and NATO would complete the review within 300000000 weeks.",
    ] {
        let got = accord_extract::extract(text.as_bytes(), &options).unwrap();
        assert!(got.commitments.iter().all(|c| c.due.is_none()), "{text}: {:?}", got.commitments);
    }
}
