//! Identifiers. Documents are named by a content hash of their normalised
//! text, and everything born from a document derives its id from that hash,
//! so ingesting the same text twice yields the same ids (idempotency).

use crate::model::Span;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} id {value:?}: expected {expected}")]
pub struct IdError {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

macro_rules! hex_id {
    ($name:ident, $what:literal, $prefix:literal, $hex_len:literal) => {
        #[doc = concat!("A ", $what, " id: `", $prefix, "` followed by ", stringify!($hex_len), " lower-case hex digits.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const LEN: usize = $prefix.len() + $hex_len;

            pub fn parse(value: &str) -> Result<Self, IdError> {
                let ok = value.len() == Self::LEN
                    && value.starts_with($prefix)
                    && value[$prefix.len()..]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                if ok {
                    Ok(Self(value.to_owned()))
                } else {
                    Err(IdError {
                        what: $what,
                        value: value.chars().take(80).collect(),
                        expected: concat!("'", $prefix, "' and ", stringify!($hex_len), " hex digits"),
                    })
                }
            }

            fn from_digest(parts: &[&[u8]]) -> Self {
                let mut h = Sha256::new();
                for p in parts {
                    h.update((p.len() as u64).to_be_bytes());
                    h.update(p);
                }
                let hex = hex::encode(h.finalize());
                Self(format!("{}{}", $prefix, &hex[..$hex_len]))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "description": concat!("A ", $what, " id: '", $prefix, "' and ", stringify!($hex_len), " lower-case hex digits."),
                    "type": "string",
                    "pattern": concat!("^", $prefix, "[0-9a-f]{", stringify!($hex_len), "}$"),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_id!(DocumentId, "document", "d", 24);
hex_id!(CommitmentId, "commitment", "c", 20);
hex_id!(EventId, "event", "e", 32);

impl DocumentId {
    /// The id of a readout: a hash of its normalised text, so that the same
    /// readout with other line endings or spacing is the same document.
    pub fn for_text(text: &str) -> Self {
        Self::from_digest(&[b"accord.document.v1", normalize_text(text).as_bytes()])
    }
}

impl CommitmentId {
    /// A commitment is named by its document and its span in that document.
    pub fn for_span(document: &DocumentId, span: Span) -> Self {
        Self::from_digest(&[
            b"accord.commitment.v1",
            document.as_str().as_bytes(),
            &(span.start as u64).to_be_bytes(),
            &(span.end as u64).to_be_bytes(),
        ])
    }
}

impl EventId {
    /// Events are named after what they happen to and a discriminator that is
    /// unique for that thing (the event type for one-off events, a command id
    /// for repeatable ones), so a retried command yields the same event id.
    pub fn derive(subject_id: &str, discriminator: &str) -> Self {
        Self::from_digest(&[
            b"accord.event.v1",
            subject_id.as_bytes(),
            discriminator.as_bytes(),
        ])
    }
}

/// Normalises a readout for hashing: Unix line endings, trimmed lines, runs of
/// blank lines and of spaces collapsed. Content (case, punctuation) is kept.
pub fn normalize_text(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push('\n');
        }
        for (i, w) in words.enumerate() {
            if i > 0 {
                current.push(' ');
            }
            current.push_str(w);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_modulo_whitespace_is_same_document() {
        let a = DocumentId::for_text("Japan and NATO\nwould start an update.\n");
        let b = DocumentId::for_text("  Japan  and NATO\r\nwould start an update.  \r\n\r\n");
        assert_eq!(a, b);
        let c = DocumentId::for_text("Japan and NATO\nwould start an update!\n");
        assert_ne!(a, c);
    }

    #[test]
    fn paragraph_breaks_count() {
        assert_ne!(normalize_text("a\n\nb"), normalize_text("a\nb"));
        assert_eq!(normalize_text("a\n\n\n\nb"), normalize_text("a\n\nb"));
        assert_eq!(normalize_text("\n\n a \n"), "a");
    }

    #[test]
    fn ids_parse_and_reject() {
        let d = DocumentId::for_text("x");
        assert_eq!(DocumentId::parse(d.as_str()).unwrap(), d);
        assert!(DocumentId::parse("d123").is_err());
        assert!(CommitmentId::parse(d.as_str()).is_err());
        let c = CommitmentId::for_span(&d, Span { start: 1, end: 5 });
        assert_eq!(c.as_str().len(), CommitmentId::LEN);
        assert_ne!(c, CommitmentId::for_span(&d, Span { start: 1, end: 6 }));
        assert!(CommitmentId::parse("cZZZZZZZZZZZZZZZZZZZZ").is_err());
    }
}
