//! The tokens file: who may call, by token hash or certificate name.
//!
//! One caller credential per line, `NAME ROLE CREDENTIAL`; `#` starts a
//! comment. CREDENTIAL is `sha256:<64 hex>` (the SHA-256 of a bearer token;
//! the token itself is never stored) or `cert:<name>` (a client
//! certificate's subject CN or DNS SAN). A name may have several lines
//! (an old and a new token while rotating).

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cert::certificate_names;
use crate::error::{AuthError, TokensFileError};
use crate::identity::{Identity, Source};
use crate::role::Role;

/// Longest `authorization` header accepted (a token is 68 characters).
pub const MAX_AUTHORIZATION_LEN: usize = 512;
const TOKEN_PREFIX: &str = "acc_";

/// How a line's caller proves who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    TokenSha256([u8; 32]),
    Certificate(String),
}

/// One line of the tokens file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub role: Role,
    pub credential: Credential,
}

impl fmt::Display for Entry {
    /// The line as written to the file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.credential {
            Credential::TokenSha256(h) => {
                write!(f, "{} {} sha256:{}", self.name, self.role, hex::encode(h))
            }
            Credential::Certificate(n) => write!(f, "{} {} cert:{n}", self.name, self.role),
        }
    }
}

/// The parsed tokens file.
#[derive(Debug, Clone, Default)]
pub struct TokensFile {
    entries: Vec<Entry>,
}

impl TokensFile {
    /// Read and parse `path`; errors name the file and the line.
    pub fn load(path: &Path) -> Result<Self, TokensFileError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TokensFileError::Io {
            origin: origin.clone(),
            source,
        })?;
        Self::parse(&text, &origin)
    }

    /// Parse the file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, TokensFileError> {
        let mut entries: Vec<Entry> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let fail = |message: String| TokensFileError::Line {
                origin: origin.to_owned(),
                line: i + 1,
                message,
            };
            let entry = parse_line(line).map_err(fail)?;
            if entries.iter().any(|e| e.credential == entry.credential) {
                return Err(fail("this credential is already on an earlier line".into()));
            }
            entries.push(entry);
        }
        Ok(TokensFile { entries })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Who sends this `authorization` header value (`Bearer <token>`)?
    /// Compares the token's hash with every entry in constant time.
    pub fn verify_bearer(&self, header: impl AsRef<[u8]>) -> Result<Identity, AuthError> {
        let token = parse_bearer(header.as_ref())?;
        let presented: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found: Option<&Entry> = None;
        for e in &self.entries {
            if let Credential::TokenSha256(h) = &e.credential {
                if bool::from(h.ct_eq(&presented)) && found.is_none() {
                    found = Some(e);
                }
            }
        }
        found
            .map(|e| Identity::new(e.name.clone(), e.role, Source::Token))
            .ok_or(AuthError::UnknownToken)
    }

    /// Who holds this client certificate (DER)? Matches its subject CNs,
    /// then its DNS SANs, against the `cert:` lines, in file order.
    pub fn identity_for_certificate(&self, der: &[u8]) -> Result<Identity, AuthError> {
        let names = certificate_names(der)?;
        self.identity_for_names(&names)
    }

    /// As [`Self::identity_for_certificate`], from names already read.
    pub fn identity_for_names(&self, names: &[String]) -> Result<Identity, AuthError> {
        for name in names {
            for e in &self.entries {
                if matches!(&e.credential, Credential::Certificate(c) if c == name) {
                    return Ok(Identity::new(e.name.clone(), e.role, Source::Certificate));
                }
            }
        }
        Err(AuthError::UnknownCertificate {
            names: if names.is_empty() {
                "no CN or DNS name".into()
            } else {
                names.join(", ")
            },
        })
    }
}

fn parse_line(line: &str) -> Result<Entry, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [name, role, credential] = fields[..] else {
        return Err(format!(
            "expected `NAME ROLE CREDENTIAL` (3 fields), found {} field(s)",
            fields.len()
        ));
    };
    check_name(name)?;
    let role: Role = role.parse()?;
    let credential = if let Some(h) = credential.strip_prefix("sha256:") {
        let bytes = hex::decode(h)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or(
                "sha256: must be followed by 64 hex digits (the hash of a token, not the token)",
            )?;
        Credential::TokenSha256(bytes)
    } else if let Some(n) = credential.strip_prefix("cert:") {
        if n.is_empty() {
            return Err("cert: must be followed by a certificate CN or DNS name".into());
        }
        Credential::Certificate(n.to_owned())
    } else {
        return Err("credential must start with sha256: or cert:".into());
    };
    Ok(Entry {
        name: name.to_owned(),
        role,
        credential,
    })
}

/// Names are recorded in events (`by`, `assessor`): keep them plain.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "name {name:?} must be 1–64 characters of A–Z a–z 0–9 . _ @ -"
        ))
    }
}

fn parse_bearer(header: &[u8]) -> Result<&str, AuthError> {
    let bad = |m: &str| Err(AuthError::Malformed(m.to_owned()));
    if header.len() > MAX_AUTHORIZATION_LEN {
        return bad(&format!("longer than {MAX_AUTHORIZATION_LEN} bytes"));
    }
    let Ok(header) = std::str::from_utf8(header) else {
        return bad("not ASCII");
    };
    if !header.is_ascii() {
        return bad("not ASCII");
    }
    let Some((scheme, token)) = header.split_once(' ') else {
        return bad("expected `Bearer <token>`");
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return bad("expected `Bearer <token>`");
    }
    let token = token.trim();
    if token.is_empty() {
        return bad("empty bearer token");
    }
    // RFC 6750 token68 characters.
    if !token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c))
    {
        return bad("bearer token has characters outside A–Z a–z 0–9 - . _ ~ + / =");
    }
    Ok(token)
}

/// A new random bearer token (`acc_` + 64 hex digits, 256 bits).
pub fn generate_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// The tokens-file line credential for `token`: `sha256:<hex>`.
pub fn hash_token(token: &str) -> Credential {
    Credential::TokenSha256(Sha256::digest(token.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "acc_0000000000000000000000000000000000000000000000000000000000000001";

    fn file() -> TokensFile {
        let alice = Entry {
            name: "alice".into(),
            role: Role::Reader,
            credential: hash_token(ALICE),
        };
        let text = format!("# comment\n\n{alice}  # trailing\nbot ingester cert:bot.example.org\n");
        TokensFile::parse(&text, "t.tokens").unwrap()
    }

    #[test]
    fn bearer_headers() {
        let f = file();
        let check =
            |header: &[u8], expected: Result<&str, &str>| match (f.verify_bearer(header), expected)
            {
                (Ok(id), Ok(name)) => assert_eq!(id.name, name),
                (Err(e), Err(want)) => {
                    assert!(e.to_string().contains(want), "{e} !~ {want}");
                    assert!(!e.to_string().contains(ALICE));
                }
                (got, want) => panic!(
                    "{:?}: got {got:?}, want {want:?}",
                    String::from_utf8_lossy(header)
                ),
            };
        check(format!("Bearer {ALICE}").as_bytes(), Ok("alice"));
        check(format!("bearer {ALICE}").as_bytes(), Ok("alice"));
        check(ALICE.as_bytes(), Err("expected `Bearer <token>`"));
        check(
            format!("Basic {ALICE}").as_bytes(),
            Err("expected `Bearer <token>`"),
        );
        check(b"Bearer ", Err("empty bearer token"));
        check(b"Bearer x", Err("unknown bearer token"));
        check("Bearer tökén".as_bytes(), Err("not ASCII"));
        check(b"Bearer \xff\xfe", Err("not ASCII"));
        check(b"Bearer a b", Err("characters outside"));
        check(
            format!("Bearer {}", "a".repeat(600)).as_bytes(),
            Err("longer than 512"),
        );
        check(b"", Err("expected `Bearer <token>`"));
    }

    #[test]
    fn certificate_names_map_to_entries() {
        let f = file();
        let id = f
            .identity_for_names(&["nope".into(), "bot.example.org".into()])
            .unwrap();
        assert_eq!(
            (id.name.as_str(), id.role, id.source),
            ("bot", Role::Ingester, Source::Certificate)
        );
        let err = f.identity_for_names(&["eve".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "client certificate (eve) is not in the tokens file"
        );
    }

    #[test]
    fn bad_files_name_file_and_line() {
        let check = |text: &str, expected: &str| {
            let err = TokensFile::parse(text, "x.tokens").unwrap_err().to_string();
            assert!(err.starts_with("x.tokens:"), "{err}");
            assert!(err.contains(expected), "{err} !~ {expected}");
        };
        let h = "a".repeat(64);
        check(
            "alice reader",
            "x.tokens:1: expected `NAME ROLE CREDENTIAL`",
        );
        check(
            &format!("# c\nalice root sha256:{h}"),
            "x.tokens:2: unknown role \"root\"",
        );
        check(
            "alice reader sha256:abc",
            "x.tokens:1: sha256: must be followed by 64 hex",
        );
        check("alice reader acc_1234", "must start with sha256: or cert:");
        check("alice reader cert:", "cert: must be followed");
        check(&format!("al ice reader sha256:{h}"), "4 field(s)");
        check(&format!("al/ice reader sha256:{h}"), "name \"al/ice\"");
        check(
            &format!("a reader sha256:{h}\nb admin sha256:{h}"),
            "x.tokens:2: this credential is already",
        );
    }

    #[test]
    fn generated_tokens_verify_and_differ() {
        let t1 = generate_token().unwrap();
        let t2 = generate_token().unwrap();
        assert_ne!(t1, t2);
        assert_eq!(t1.len(), 68);
        let line = Entry {
            name: "n".into(),
            role: Role::Admin,
            credential: hash_token(&t1),
        }
        .to_string();
        assert!(!line.contains(&t1[4..]));
        let f = TokensFile::parse(&line, "mem").unwrap();
        assert_eq!(
            f.verify_bearer(format!("Bearer {t1}")).unwrap().role,
            Role::Admin
        );
        assert_eq!(
            f.verify_bearer(format!("Bearer {t2}")),
            Err(AuthError::UnknownToken)
        );
    }

    #[test]
    fn load_names_missing_file() {
        let err = TokensFile::load(Path::new("/nonexistent/x.tokens")).unwrap_err();
        assert!(
            err.to_string().starts_with("/nonexistent/x.tokens: "),
            "{err}"
        );
    }
}
