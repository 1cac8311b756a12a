//! HTML readouts: keep the article text, drop navigation and boilerplate,
//! and remember where every character came from in the source.
//!
//! The DOM (html5ever via `scraper`) decides what is article text; a small
//! source lexer, which knows byte offsets, supplies the positions. The two
//! are aligned text node by text node, in document order.

use scraper::{ElementRef, Html, Node};

pub(crate) struct HtmlText {
    pub text: String,
    /// For each byte of `text`: source offset where its character starts
    /// and where it ends (entities span several source bytes).
    pub starts: Vec<u32>,
    pub ends: Vec<u32>,
    pub title: Option<String>,
    pub date: Option<String>,
}

/// Cheap sniffing: an HTML document or fragment starts with markup.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(2048).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || head.starts_with('<')
            && ["<body", "<p>", "<p ", "<div", "<article", "<head", "<h1", "<h2", "<section", "<main"]
                .iter()
                .any(|t| head.contains(t))
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select", "svg",
    "iframe", "menu", "head", "object", "canvas", "dialog", "textarea", "option",
];
/// Elements whose content the lexer does not read as text.
const RAW_TEXT: &[&str] = &["script", "style", "noscript", "template", "title", "textarea", "xmp"];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "main",
    "hr",
    "title",
    "body",
    "address",
    "caption",
    "center",
];
const BOILER_HINTS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "breadcrumb",
    "sidebar",
    "cookie",
    "share",
    "social",
    "skip-link",
    "banner",
    "related",
    "newsletter",
    "masthead",
    "site-header",
    "subscribe",
    "pagination",
];

/// One decoded character of source text.
struct Lexed {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

/// A character reference decoded the way html5ever's tokenizer decodes one
/// in text: up to two characters and the source bytes it spans.
struct CharRef {
    chars: [char; 2],
    count: usize,
    len: usize,
}

/// Decode the character reference `s` starts with (`s` starts with '&'),
/// following the HTML5 tokenizer: the longest named reference in the
/// HTML5 table (legacy names match without ';'), numeric references with
/// or without ';', 0x80..0x9F mapped as Windows-1252, invalid numbers as
/// U+FFFD. None when the '&' is literal text.
fn decode_entity(s: &str) -> Option<CharRef> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        return decode_numeric(s);
    }
    let (mut best, mut k) = (None, 1);
    while k < b.len() && k <= 40 && (b[k].is_ascii_alphanumeric() || b[k] == b';') {
        let Some(&(c1, c2)) = markup5ever::data::NAMED_ENTITIES.get(&s[1..=k]) else { break };
        if c1 != 0 {
            best = Some((c1, c2, k + 1));
        }
        if b[k] == b';' {
            break;
        }
        k += 1;
    }
    let (c1, c2, len) = best?;
    let c1 = char::from_u32(c1)?;
    Some(match char::from_u32(c2).filter(|_| c2 != 0) {
        Some(c2) => CharRef { chars: [c1, c2], count: 2, len },
        None => CharRef { chars: [c1, c1], count: 1, len },
    })
}

fn decode_numeric(s: &str) -> Option<CharRef> {
    let b = s.as_bytes();
    let (base, mut k) = match b.get(2) {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let digits = k;
    let (mut n, mut too_big) = (0u32, false);
    while let Some(d) = b.get(k).and_then(|c| (*c as char).to_digit(base)) {
        n = n.wrapping_mul(base).wrapping_add(d);
        too_big |= n > 0x10FFFF;
        k += 1;
    }
    if k == digits {
        return None;
    }
    if b.get(k) == Some(&b';') {
        k += 1;
    }
    let c = match n {
        _ if too_big => '\u{fffd}',
        0x80..=0x9F => markup5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(n).unwrap_or('\u{fffd}')),
        n => char::from_u32(n).filter(|c| *c != '\0').unwrap_or('\u{fffd}'),
    };
    Some(CharRef { chars: [c, c], count: 1, len: k })
}

fn raw_text_end(src: &str, from: usize, tag: &str) -> usize {
    let lower_close = format!("</{tag}");
    let hay = &src[from..];
    // ASCII case-insensitive search without allocating the whole rest
    let bytes = hay.as_bytes();
    let n = lower_close.len();
    let mut i = 0;
    while i + n <= bytes.len() {
        if bytes[i] == b'<' && bytes[i..i + n].eq_ignore_ascii_case(lower_close.as_bytes()) {
            return from + i;
        }
        i += 1;
    }
    src.len()
}

/// A block boundary in flat mode, turned into a line break later.
const BREAK: char = '\u{2029}';
const VOID: &[&str] =
    &["br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed", "param", "track"];

/// Deepest element nesting, cheaply: past a few hundred levels the tree
/// builder's scope checks turn quadratic, so we read such pages flat.
fn max_depth(src: &str) -> usize {
    let b = src.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(k) = src[i..].find('<') {
        i += k + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = src[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .take(12)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !VOID.contains(&name.as_str()) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Decode the text between tags, with source offsets per output byte. In
/// `flat` mode (no DOM) boilerplate elements are skipped here and block
/// tags leave a [`BREAK`].
fn lex(src: &str, flat: bool) -> Lexed {
    let mut out = Lexed { text: String::with_capacity(src.len() / 2), starts: Vec::new(), ends: Vec::new() };
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let rest = &src[i..];
            if rest.starts_with("<!--") {
                i = rest.find("-->").map_or(b.len(), |k| i + k + 3);
                continue;
            }
            let name_start = i + 1;
            let is_tag =
                b.get(name_start).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'!' || *c == b'?');
            if !is_tag {
                push(&mut out, '<', i, i + 1);
                i += 1;
                continue;
            }
            // find the tag end, respecting quotes
            let mut j = name_start;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"') | (None, b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            let name: String = src[name_start..j.min(b.len())]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let tag_start = i;
            i = (j + 1).min(b.len());
            let closing = b[name_start] == b'/';
            if flat {
                let close_name: String = if closing {
                    src[name_start + 1..j.min(b.len())]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase()
                } else {
                    String::new()
                };
                let n = if closing { close_name.as_str() } else { name.as_str() };
                if BLOCK.contains(&n) {
                    push(&mut out, BREAK, tag_start, tag_start);
                }
                if !closing && SKIP.contains(&name.as_str()) {
                    i = raw_text_end(src, i, &name);
                }
                continue;
            }
            if matches!(name.as_str(), "script" | "style" | "textarea" | "title" | "xmp" | "noscript") && !closing {
                let end = raw_text_end(src, i, &name);
                i = end;
            }
            continue;
        }
        let next = src[i..].find('<').map_or(b.len(), |k| i + k);
        lex_text(src, i, next, &mut out);
        i = next;
    }
    out
}

fn lex_text(src: &str, from: usize, to: usize, out: &mut Lexed) {
    let mut i = from;
    while i < to {
        let rest = &src[i..to];
        if rest.starts_with('&') {
            if let Some(r) = decode_entity(rest) {
                for &c in &r.chars[..r.count] {
                    push(out, c, i, i + r.len);
                }
                i += r.len;
                continue;
            }
        }
        if rest.starts_with("\r\n") {
            push(out, '\n', i, i + 2);
            i += 2;
            continue;
        }
        let c = rest.chars().next().expect("non-empty");
        let c2 = if c == '\r' { '\n' } else { c };
        push(out, c2, i, i + c.len_utf8());
        i += c.len_utf8();
    }
}

fn push(out: &mut Lexed, c: char, s: usize, e: usize) {
    out.text.push(c);
    for _ in 0..c.len_utf8() {
        out.starts.push(s as u32);
        out.ends.push(e as u32);
    }
}

fn boilerplate(el: &ElementRef) -> bool {
    let v = el.value();
    // an article's own <header> holds its title and date, not the site's menus
    if v.name() == "header" && el.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "article")) {
        return false;
    }
    if SKIP.contains(&v.name()) {
        return true;
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(v.attr("role"), Some("navigation" | "banner" | "contentinfo" | "complementary" | "search")) {
        return true;
    }
    // class and id words, compared without allocating: this runs for every element
    let hinted = |w: &str| {
        BOILER_HINTS.iter().any(|h| {
            w.len() >= h.len()
                && w.as_bytes()[..h.len()].eq_ignore_ascii_case(h.as_bytes())
                && (w.len() == h.len() || w.as_bytes()[h.len()] == b'-')
        })
    };
    [v.attr("class"), v.attr("id")]
        .into_iter()
        .flatten()
        .any(|a| a.split(|c: char| !c.is_alphanumeric() && c != '-').any(hinted))
}

/// Read a page without a DOM: text between tags, minus boilerplate
/// elements, with block tags as line breaks.
fn extract_flat(src: &str) -> HtmlText {
    let lexed = lex(src, true);
    let mut out = HtmlText { text: String::new(), starts: Vec::new(), ends: Vec::new(), title: None, date: None };
    let (mut space, mut brk) = (false, false);
    for (k, c) in lexed.text.char_indices() {
        let (s, e) = (lexed.starts[k], lexed.ends[k]);
        if c == BREAK {
            brk = true;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if !out.text.is_empty() && (brk || space) {
            out.text.push(if brk { '\n' } else { ' ' });
            out.starts.push(s);
            out.ends.push(s);
        }
        brk = false;
        space = false;
        out.text.push(c);
        for _ in 0..c.len_utf8() {
            out.starts.push(s);
            out.ends.push(e);
        }
    }
    out
}

/// A DOM text node the source lexer could not find: its decoded text does
/// not occur in the source text at or after `offset` (a source byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unmapped {
    pub offset: usize,
}

/// The article text of an HTML page, every byte mapped to its source bytes.
/// Errs rather than drop text it cannot map.
pub(crate) fn extract_text(src: &str) -> Result<HtmlText, Unmapped> {
    if max_depth(src) > 400 {
        return Ok(extract_flat(src));
    }
    let doc = Html::parse_document(src);
    let lexed = lex(src, false);
    let title = scraper::Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| t.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            scraper::Selector::parse("h1")
                .ok()
                .and_then(|s| doc.select(&s).next())
                .map(|t| t.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        });
    let date = scraper::Selector::parse(
        "time[datetime], meta[property='article:published_time'], meta[name='date'], meta[name='dcterms.date']",
    )
    .ok()
    .and_then(|s| doc.select(&s).next())
    .and_then(|e| e.value().attr("datetime").or(e.value().attr("content")).map(|s| s.to_string()));
    // the article root: <article>, <main>, [role=main], else <body>
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|q| scraper::Selector::parse(q).ok())
        .find_map(|s| doc.select(&s).next())
        .unwrap_or_else(|| doc.root_element());

    let mut out = HtmlText { text: String::new(), starts: Vec::new(), ends: Vec::new(), title, date };
    // Walk the whole document so the cursor into the source text also
    // passes over text we drop (navigation before the article), and emit
    // only what lies in the article root outside boilerplate.
    let root_id = root.id();
    let mut cursor = 0usize;
    let mut skip_depth: Option<usize> = None;
    let mut raw_depth: Option<usize> = None;
    let mut root_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut pending_break = false;
    let mut in_space = true;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                depth += 1;
                if node.id() == root_id {
                    root_depth = Some(depth);
                }
                let emit = root_depth.is_some() && skip_depth.is_none();
                match node.value() {
                    Node::Element(e) => {
                        if raw_depth.is_none() && RAW_TEXT.contains(&e.name()) {
                            raw_depth = Some(depth);
                        }
                        if emit {
                            if ElementRef::wrap(node).is_some_and(|el| boilerplate(&el)) {
                                skip_depth = Some(depth);
                            }
                            if BLOCK.contains(&e.name()) {
                                pending_break = true;
                            }
                        }
                    }
                    Node::Text(t) if raw_depth.is_none() => {
                        let t: &str = t;
                        if t.is_empty() {
                            continue;
                        }
                        // in document order, normally just ahead of the cursor; text the
                        // tree builder moved (foster parenting out of tables) lies behind it
                        let Some(pos) = lexed.text[cursor..].find(t).map(|k| k + cursor).or_else(|| lexed.text.find(t))
                        else {
                            let offset = lexed.starts.get(cursor).map_or(src.len(), |s| *s as usize);
                            return Err(Unmapped { offset });
                        };
                        let base = pos;
                        cursor = cursor.max(pos + t.len());
                        if !emit {
                            continue;
                        }
                        for (k, c) in t.char_indices() {
                            let (s, e) = (lexed.starts[base + k], lexed.ends[base + k]);
                            if c.is_whitespace() || c == '\u{a0}' {
                                if !in_space && !pending_break {
                                    out.text.push(' ');
                                    out.starts.push(s);
                                    out.ends.push(e);
                                    in_space = true;
                                }
                                continue;
                            }
                            if pending_break {
                                if !out.text.is_empty() {
                                    // drop a trailing space before the break
                                    if out.text.ends_with(' ') {
                                        out.text.pop();
                                        out.starts.pop();
                                        out.ends.pop();
                                    }
                                    out.text.push('\n');
                                    out.starts.push(s);
                                    out.ends.push(s);
                                }
                                pending_break = false;
                            }
                            in_space = false;
                            out.text.push(c);
                            for _ in 0..c.len_utf8() {
                                out.starts.push(s);
                                out.ends.push(e);
                            }
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip_depth == Some(depth) {
                        skip_depth = None;
                    }
                    if raw_depth == Some(depth) {
                        raw_depth = None;
                    }
                    if root_depth.is_some() && skip_depth.is_none() && BLOCK.contains(&e.name()) {
                        pending_break = true;
                    }
                }
                if root_depth == Some(depth) {
                    root_depth = None;
                }
                depth -= 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
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
    const ENTITIES: &str = include_str!("../data/html5-entities.tsv");

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
}
