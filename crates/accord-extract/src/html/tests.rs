//! HTML reading: article choice, offsets, every character reference.

use super::*;

#[test]
fn keeps_article_drops_nav_and_maps_offsets() {
    let src = "<!doctype html><html><head><title>Readout</title><script>var x = 'agreed to';</script></head>\
               <body><nav><a href='/'>Home</a> agreed to nothing</nav><article><h1>Summit</h1>\
               <p>The two leaders agreed to hold talks &amp; consult\n   next year.</p><p>Second.</p></article>\
               <footer>Copyright</footer></body></html>";
    assert!(looks_like_html(src));
    let h = extract_text(src).unwrap();
    assert_eq!(h.title.as_deref(), Some("Readout"));
    assert_eq!(h.text, "Summit\nThe two leaders agreed to hold talks & consult next year.\nSecond.");
    // every mapped char points at the same char in the source
    let amp = h.text.find('&').unwrap();
    assert_eq!(&src[h.starts[amp] as usize..h.ends[amp] as usize], "&amp;");
    let t = h.text.find("The two").unwrap();
    assert_eq!(&src[h.starts[t] as usize..h.starts[t] as usize + 7], "The two");
    // the heading maps to the <h1>, not to the same words in <title>
    let src2 =
        "<html><head><title>Summit</title></head><body><nav>Summit</nav><h1>Summit</h1><p>Text.</p></body></html>";
    let h2 = extract_text(src2).unwrap();
    assert_eq!(h2.text, "Summit\nText.");
    assert_eq!(h2.starts[0] as usize, src2.find("<h1>").unwrap() + 4);
}

#[test]
fn deep_pages_are_read_flat_with_offsets() {
    let mut src = String::from("<html><body><nav>Home agreed to</nav>");
    src.push_str(&"<div>".repeat(1000));
    src.push_str("<p>The leaders agreed to &amp; meet.</p><p>Next.</p>");
    let h = extract_text(&src).unwrap();
    assert_eq!(h.text, "The leaders agreed to & meet.\nNext.");
    let amp = h.text.find('&').unwrap();
    assert_eq!(&src[h.starts[amp] as usize..h.ends[amp] as usize], "&amp;");
}

#[test]
fn an_articles_own_header_is_kept_the_sites_is_not() {
    let src = "<html><body><header class='site-header'><a href='/'>Portal</a></header><article>\
               <header class='entry-header'><h1>ASEAN-Japan Summit</h1></header><p>Text.</p></article></body></html>";
    assert_eq!(extract_text(src).unwrap().text, "ASEAN-Japan Summit\nText.");
}

#[test]
fn plain_text_is_not_html() {
    assert!(!looks_like_html("Japan-NATO Summit Meeting\nOn October 18, ..."));
    assert!(!looks_like_html("<3 this summit"));
}

/// The HTML5 named references, from the WHATWG list (see the file header).
const ENTITIES: &str = include_str!("../../data/html5-entities.tsv");

/// Every named reference in the HTML5 list decodes to its code points and
/// maps back to exactly its own source bytes.
#[test]
fn every_html5_entity_maps() {
    let mut walked = 0;
    for line in ENTITIES.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, c1, c2) = (f[0], f[1].parse::<u32>().unwrap(), f[2].parse::<u32>().unwrap());
        let want: String =
            [c1, c2].iter().filter(|c| **c != 0).map(|c| char::from_u32(*c).unwrap()).collect::<String>();
        let src = format!("<!doctype html><html><body><p>x &{name} y</p></body></html>");
        let h = extract_text(&src).unwrap_or_else(|e| panic!("&{name} not mapped: {e:?}"));
        let entity = src.find('&').unwrap()..src.find('&').unwrap() + 1 + name.len();
        if want.chars().any(char::is_whitespace) {
            assert_eq!(h.text, "x y", "&{name}");
            continue;
        }
        assert_eq!(h.text, format!("x {want} y"), "&{name}");
        for k in 2..2 + want.len() {
            assert_eq!(h.starts[k] as usize..h.ends[k] as usize, entity, "&{name}");
        }
        walked += 1;
    }
    assert!(walked > 2200, "walked {walked}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]
    /// Paragraphs of words, inline tags and any character references
    /// (named from the HTML5 list, decimal, hex, with or without ';'):
    /// the page is read, every word survives and every character maps
    /// into the source.
    #[test]
    fn no_text_is_dropped_whatever_the_references(
        parts in proptest::collection::vec((0usize..2300, 0u32..0x11_0000, 0u8..6), 1..40)
    ) {
        let names: Vec<&str> =
            ENTITIES.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').next().unwrap()).collect();
        let mut body = String::new();
        let mut words = Vec::new();
        for (k, (e, n, how)) in parts.iter().enumerate() {
            let word = format!("w{k}x");
            body.push_str(&word);
            words.push(word);
            body.push(' ');
            match how {
                0 => body.push_str(&format!("&{}", names[e % names.len()])),
                1 => body.push_str(&format!("&#{n};")),
                2 => body.push_str(&format!("&#x{n:X}")),
                3 => body.push_str("<b>bold</b>"),
                4 => body.push_str("&amp;&lt;&gt;"),
                _ => body.push_str("</p><p>"),
            }
            body.push(' ');
        }
        let src = format!("<html><body><article><p>{body}</p></article></body></html>");
        let h = extract_text(&src).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e:?}")))?;
        for w in &words {
            proptest::prop_assert!(h.text.contains(w.as_str()), "{w} dropped from {src:?}");
        }
        for (k, _) in h.text.char_indices() {
            proptest::prop_assert!((h.ends[k] as usize) <= src.len() && h.starts[k] <= h.ends[k]);
        }
    }
}

/// Numeric references: decimal and hex, with or without ';', the
/// Windows-1252 range browsers apply to 128..=159, and invalid numbers.
#[test]
fn numeric_references_map() {
    let check = |r: &str, want: &str| {
        let src = format!("<p>x {r} y</p>");
        let h = extract_text(&src).unwrap_or_else(|e| panic!("{r}: {e:?}"));
        assert_eq!(h.text, format!("x {want} y"), "{r}");
        assert_eq!(&src[h.starts[2] as usize..h.ends[2] as usize], r, "{r}");
    };
    check("&#150;", "\u{2013}");
    check("&#128;", "\u{20ac}");
    check("&#146;", "\u{2019}");
    check("&#159;", "\u{178}");
    check("&#129;", "\u{81}");
    check("&#x96;", "\u{2013}");
    check("&#233", "\u{e9}");
    check("&#X201C;", "\u{201c}");
    check("&#0;", "\u{fffd}");
    check("&#xD800;", "\u{fffd}");
    check("&#99999999999;", "\u{fffd}");
    // every code in the C1 range maps (none is dropped)
    for n in 128..=159u32 {
        let src = format!("<p>x &#{n}; y</p>");
        let h = extract_text(&src).unwrap();
        assert!(h.text.starts_with("x ") && h.text.ends_with(" y") && h.text.len() > 4, "&#{n};: {:?}", h.text);
    }
}

/// The references that used to drop a whole paragraph now yield its commitment.
#[test]
fn paragraphs_with_entities_keep_their_commitments() {
    for e in ["&iacute;", "&oacute;", "&Eacute;", "&laquo;", "&#150;", "&aacute;", "&rsquo;", "&notin;", "&copy"] {
        let src = format!(
            "<html><body><article><h1>Meeting</h1><p>On 3 May 2024, Prime Minister Kishida met President Lula ({e}). \
             The two leaders agreed to hold the next strategic dialogue in Bras{e}lia next year.</p></article></body></html>"
        );
        let x = crate::extract(src.as_bytes(), &crate::Options::default()).unwrap();
        assert_eq!(x.commitments.len(), 1, "{e}: {:?}", x.commitments);
        let span = x.commitments[0].span;
        assert!(src[span.start as usize..span.end as usize].contains("hold the next strategic dialogue"), "{e}");
    }
}

/// Text the lexer cannot find in the source is an error naming where,
/// not a silent gap (`<plaintext>` makes the rest of the page text).
#[test]
fn unmappable_text_is_an_error_with_its_offset() {
    let src = "<html><body><p>Hi.</p><plaintext>They agreed to <b>meet</b> next year.";
    let e = extract_text(src).err().expect("an error");
    assert_eq!(e.offset, src.find("They").unwrap());
    let err = crate::extract(src.as_bytes(), &crate::Options::default()).unwrap_err();
    assert_eq!(err, crate::ExtractError::UnmappedHtml { offset: src.find("They").unwrap() });
    assert!(err.to_string().contains(&format!("byte {}", src.find("They").unwrap())));
}
