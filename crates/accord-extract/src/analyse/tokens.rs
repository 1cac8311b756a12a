//! Tokens: words (with inner apostrophes, hyphens and dots) and single
//! punctuation characters, as byte ranges of the analysed text.

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub s: usize,
    pub e: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            let mut e = i + c.len_utf8();
            loop {
                match it.peek().copied() {
                    Some((j, d)) if is_word_char(d) => {
                        e = j + d.len_utf8();
                        it.next();
                    }
                    Some((j, d)) if matches!(d, '\'' | '’' | '-' | '.' | '‐') => {
                        let next = text[j + d.len_utf8()..].chars().next();
                        if next.is_some_and(is_word_char) {
                            e = j + d.len_utf8();
                            it.next();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            // "he'd", "we'll": the modal is its own token
            let word = &text[i..e];
            let split = ["'d", "’d", "'ll", "’ll"]
                .iter()
                .find(|suf| word.len() > suf.len() + 1 && word.ends_with(*suf))
                .map(|suf| e - suf.len());
            match split {
                Some(k) => {
                    out.push(Tok { s: i, e: k });
                    out.push(Tok { s: k, e });
                }
                None => out.push(Tok { s: i, e }),
            }
        } else {
            out.push(Tok { s: i, e: i + c.len_utf8() });
        }
    }
    out
}
