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
mod tests;
