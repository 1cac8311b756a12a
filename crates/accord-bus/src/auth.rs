//! Log authenticity: Accord's writers sign what they append, its readers
//! apply only what they can verify (README "Log authenticity").
//!
//! Every message Accord appends carries a header `Accord-Mac: <key-id>:<hex>`,
//! an HMAC-SHA256 over the message's subject, a zero byte and its payload.
//! One MAC per message rather than per atomic batch: readers see messages
//! one at a time, through filtered consumers that never see a whole batch
//! (the projector skips the party feed, the linker reads only texts), so
//! each message must be verifiable on its own. The subject is covered so a
//! signed event cannot be replayed onto another commitment's subject.
//!
//! Keys come from a key file: one `key-id secret` per line, `#` comments.
//! The first key signs new appends; every key verifies. Rotation: put a new
//! key first and keep the old ones below it. Revocation: remove a key, and
//! whatever it signed becomes unauthenticated.

use crate::BusError;
use futures::StreamExt;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;
use std::time::Duration;

/// The header carrying a message's MAC.
pub const MAC_HEADER: &str = "Accord-Mac";

/// Secrets shorter than this are refused: a MAC is only as strong as its key.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("log key file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("log keys, line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("log keys: no key (a key file holds `key-id secret` lines; the first one signs)")]
    Empty,
}

/// Why a log entry is not accepted as Accord's own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unauthenticated {
    #[error("unauthenticated: no {MAC_HEADER} header")]
    Missing,
    #[error("unauthenticated: malformed {MAC_HEADER} header")]
    Malformed,
    #[error("unauthenticated: unknown key id {0:?}")]
    UnknownKey(String),
    #[error("unauthenticated: MAC does not match (key {0:?})")]
    BadMac(String),
}

/// The keys of one deployment: the first signs, all verify.
#[derive(Clone)]
pub struct LogKeys {
    /// In file order; `keys[0]` signs. Each HMAC is keyed once, here, and
    /// cloned per message (keying costs two SHA-256 blocks every time).
    keys: Vec<(String, HmacSha256)>,
}

impl std::fmt::Debug for LogKeys {
    // Never print secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("LogKeys").field("ids", &ids).finish()
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(keyed: &HmacSha256, subject: &str, payload: &[u8]) -> HmacSha256 {
    let mut mac = keyed.clone();
    mac.update(subject.as_bytes());
    mac.update(&[0]);
    mac.update(payload);
    mac
}

impl LogKeys {
    /// Reads a key file (see the module docs).
    pub fn load(path: &Path) -> Result<LogKeys, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::File {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        LogKeys::parse(&text)
    }

    /// Parses `key-id secret` lines; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Result<LogKeys, KeyError> {
        let mut keys: Vec<(String, HmacSha256)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| KeyError::Line {
                line: i + 1,
                reason,
            };
            let mut tokens = line.split_whitespace();
            let (Some(id), Some(secret), None) = (tokens.next(), tokens.next(), tokens.next())
            else {
                return Err(bad("expected `key-id secret`".into()));
            };
            if !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
            {
                return Err(bad(format!(
                    "key id {id:?} may hold only letters, digits, '-', '_' and '.'"
                )));
            }
            if secret.len() < MIN_SECRET_LEN {
                return Err(bad(format!(
                    "the secret of key {id:?} has {} characters; at least {MIN_SECRET_LEN} are needed",
                    secret.len()
                )));
            }
            if keys.iter().any(|(k, _)| k == id) {
                return Err(bad(format!("key id {id:?} appears twice")));
            }
            let keyed = HmacSha256::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            keys.push((id.to_owned(), keyed));
        }
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        Ok(LogKeys { keys })
    }

    /// A fresh `key-id secret` line: 32 random bytes, hex.
    pub fn generate_line(id: &str) -> Result<String, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| KeyError::File {
            path: "(random source)".into(),
            reason: e.to_string(),
        })?;
        Ok(format!("{id} {}", hex::encode(secret)))
    }

    /// The id of the key that signs new appends.
    pub fn signing_key_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Every key id, signing key first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(id, _)| id.as_str())
    }

    /// The `Accord-Mac` header value for a message.
    pub fn sign(&self, subject: &str, payload: &[u8]) -> String {
        let (id, secret) = &self.keys[0];
        let tag = mac(secret, subject, payload).finalize().into_bytes();
        format!("{id}:{}", hex::encode(tag))
    }

    /// Checks a message's `Accord-Mac` header (in constant time).
    pub fn verify(
        &self,
        subject: &str,
        payload: &[u8],
        header: Option<&str>,
    ) -> Result<(), Unauthenticated> {
        let header = header.ok_or(Unauthenticated::Missing)?;
        let (id, tag) = header.split_once(':').ok_or(Unauthenticated::Malformed)?;
        let tag = hex::decode(tag.trim()).map_err(|_| Unauthenticated::Malformed)?;
        let (_, secret) = self
            .keys
            .iter()
            .find(|(k, _)| k == id)
            .ok_or_else(|| Unauthenticated::UnknownKey(id.to_owned()))?;
        mac(secret, subject, payload)
            .verify_slice(&tag)
            .map_err(|_| Unauthenticated::BadMac(id.to_owned()))
    }
}

/// `Ok` when `keys` is `None` (an insecure log) or the message's MAC holds.
pub(crate) fn authenticate(
    keys: Option<&LogKeys>,
    subject: &str,
    payload: &[u8],
    headers: Option<&async_nats::HeaderMap>,
) -> Result<(), Unauthenticated> {
    let Some(keys) = keys else {
        return Ok(());
    };
    let header = headers.and_then(|h| h.get(MAC_HEADER)).map(|v| v.as_str());
    keys.verify(subject, payload, header)
}

impl crate::Bus {
    /// Checks a message read from the stream by other means (a durable
    /// consumer): `Ok` when it carries a valid MAC, or the log is insecure.
    pub fn authenticate(
        &self,
        subject: &str,
        payload: &[u8],
        headers: Option<&async_nats::HeaderMap>,
    ) -> Result<(), Unauthenticated> {
        authenticate(self.config.keys.as_deref(), subject, payload, headers)
    }

    /// After a guarded append was refused: the last sequence on `subject`
    /// now, and whether only outsiders wrote after `expected` (entries
    /// without a valid signature are not part of the log, so the append
    /// goes again after them: a forged entry cannot block Accord).
    pub(crate) async fn moved_on(
        &self,
        subject: &str,
        expected: u64,
    ) -> Result<(u64, bool), BusError> {
        let current = self.last_on_subject(subject).await?.unwrap_or(0);
        let outsiders = current > expected
            && self
                .only_unauthenticated(subject, expected, current)
                .await?;
        if outsiders {
            tracing::warn!(
                subject,
                expected,
                current,
                "unauthenticated entries on the subject; appending after them"
            );
        }
        Ok((current, outsiders))
    }

    /// Whether every entry on `filter` in positions `(after, through]` is
    /// unauthenticated (always `false` for an insecure log).
    pub(crate) async fn only_unauthenticated(
        &self,
        filter: &str,
        after: u64,
        through: u64,
    ) -> Result<bool, BusError> {
        if self.config.keys.is_none() {
            return Ok(false);
        }
        let read = async {
            let mut entries = Box::pin(self.replay_subjects(after + 1, vec![filter.into()]).await?);
            while let Some(entry) = entries.next().await {
                let entry = entry?;
                if entry.position > through {
                    break;
                }
                if entry.unauthenticated.is_none() {
                    return Ok(false);
                }
                if entry.position == through {
                    break;
                }
            }
            Ok(true)
        };
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .map_err(|_| BusError::Replay(format!("reading {filter} from {after} timed out")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "key-a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "key-b bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn keys(text: &str) -> LogKeys {
        LogKeys::parse(text).unwrap()
    }

    #[test]
    fn a_signed_message_verifies_and_any_change_does_not() {
        let k = keys(A);
        let header = k.sign("accord.v1.cmt.c1.made", b"{}");
        assert!(header.starts_with("key-a:"));
        let check = |subject: &str, payload: &[u8], header: Option<&str>| {
            k.verify(subject, payload, header)
        };
        assert_eq!(check("accord.v1.cmt.c1.made", b"{}", Some(&header)), Ok(()));
        assert_eq!(
            check("accord.v1.cmt.c2.made", b"{}", Some(&header)),
            Err(Unauthenticated::BadMac("key-a".into()))
        );
        assert_eq!(
            check("accord.v1.cmt.c1.made", b"{ }", Some(&header)),
            Err(Unauthenticated::BadMac("key-a".into()))
        );
        assert_eq!(
            check("accord.v1.cmt.c1.made", b"{}", None),
            Err(Unauthenticated::Missing)
        );
        assert_eq!(
            check("accord.v1.cmt.c1.made", b"{}", Some("nocolon")),
            Err(Unauthenticated::Malformed)
        );
        assert_eq!(
            check("accord.v1.cmt.c1.made", b"{}", Some("key-a:zz")),
            Err(Unauthenticated::Malformed)
        );
        let other = header.replacen("key-a", "key-x", 1);
        assert_eq!(
            check("accord.v1.cmt.c1.made", b"{}", Some(&other)),
            Err(Unauthenticated::UnknownKey("key-x".into()))
        );
    }

    #[test]
    fn rotation_keeps_old_signatures_valid_and_removal_revokes_them() {
        let old = keys(A);
        let signed_by_a = old.sign("s", b"p");
        let rotated = keys(&format!("{B}\n{A}\n"));
        assert_eq!(rotated.signing_key_id(), "key-b");
        assert_eq!(rotated.verify("s", b"p", Some(&signed_by_a)), Ok(()));
        assert!(rotated.sign("s", b"p").starts_with("key-b:"));
        let revoked = keys(B);
        assert_eq!(
            revoked.verify("s", b"p", Some(&signed_by_a)),
            Err(Unauthenticated::UnknownKey("key-a".into()))
        );
    }

    #[test]
    fn key_files_are_checked_line_by_line() {
        fn check(text: &str, expected: Result<Vec<&str>, &str>) {
            let got = LogKeys::parse(text)
                .map(|k| k.key_ids().map(str::to_owned).collect::<Vec<_>>())
                .map_err(|e| e.to_string());
            match expected {
                Ok(ids) => assert_eq!(got.unwrap(), ids, "{text}"),
                Err(part) => {
                    let e = got.unwrap_err();
                    assert!(e.contains(part), "{text}: {e}")
                }
            }
        }
        check(
            &format!("# comment\n\n{A}\n  {B}  \n"),
            Ok(vec!["key-a", "key-b"]),
        );
        check("", Err("no key"));
        check("# only a comment\n", Err("no key"));
        check(
            "key-a short",
            Err("line 1: the secret of key \"key-a\" has 5"),
        );
        check(
            &format!("{A}\nlonely"),
            Err("line 2: expected `key-id secret`"),
        );
        check(&format!("{A} extra"), Err("expected `key-id secret`"));
        check(
            &format!("{A}\n{A}"),
            Err("line 2: key id \"key-a\" appears twice"),
        );
        check(
            "k:1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            Err("may hold only"),
        );
    }

    #[test]
    fn generated_lines_parse_and_differ() {
        let a = LogKeys::generate_line("k1").unwrap();
        let b = LogKeys::generate_line("k1").unwrap();
        assert_ne!(a, b);
        assert_eq!(keys(&a).signing_key_id(), "k1");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let shown = format!("{:?}", keys(A));
        assert!(
            shown.contains("key-a") && !shown.contains("aaaa"),
            "{shown}"
        );
    }
}
