//! The authenticated caller, as put into request extensions.

use crate::error::AuthError;
use crate::role::{required_role, Role};

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A bearer token found (by hash) in the tokens file.
    Token,
    /// A client certificate (mTLS) whose name is in the tokens file.
    Certificate,
    /// No tokens file on a loopback listener: every caller is `local`, admin.
    Local,
}

/// An authenticated caller: a name from the tokens file and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub role: Role,
    pub source: Source,
}

impl Identity {
    pub fn new(name: impl Into<String>, role: Role, source: Source) -> Self {
        Identity {
            name: name.into(),
            role,
            source,
        }
    }

    /// The identity of every caller of a loopback server without a tokens file.
    pub fn local() -> Self {
        Identity::new("local", Role::Admin, Source::Local)
    }

    /// The name to record for a request field naming the actor (`by`,
    /// `assessor`): empty → the caller's name; the caller's name → itself;
    /// anyone else → refused, a request cannot claim someone else.
    /// A [`Source::Local`] caller is not authenticated at all, so a name it
    /// gives is kept as stated (there is no one to impersonate).
    pub fn claim(&self, field: &str, claimed: &str) -> Result<String, AuthError> {
        let claimed = claimed.trim();
        if claimed.is_empty() || claimed == self.name {
            Ok(self.name.clone())
        } else if self.source == Source::Local {
            Ok(claimed.to_owned())
        } else {
            Err(AuthError::ClaimsSomeoneElse {
                field: field.to_owned(),
                claimed: claimed.to_owned(),
                caller: self.name.clone(),
            })
        }
    }
}

/// May `caller` call `method`? The error says what is needed.
pub fn authorize(caller: &Identity, method: &str) -> Result<(), AuthError> {
    let needed =
        required_role(method).ok_or_else(|| AuthError::UnknownMethod(method.to_owned()))?;
    if caller.role.allows(needed) {
        Ok(())
    } else {
        Err(AuthError::Denied {
            method: method.to_owned(),
            needed,
            caller: caller.name.clone(),
            has: caller.role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims() {
        let alice = Identity::new("alice", Role::Analyst, Source::Token);
        let check = |claimed: &str, expected: Result<&str, &str>| {
            let got = alice.claim("by", claimed);
            match (got, expected) {
                (Ok(name), Ok(want)) => assert_eq!(name, want),
                (Err(e), Err(want)) => assert!(e.to_string().contains(want), "{e}"),
                (got, want) => panic!("claim {claimed:?}: got {got:?}, want {want:?}"),
            }
        };
        check("", Ok("alice"));
        check("  ", Ok("alice"));
        check("alice", Ok("alice"));
        check("bob", Err("a request cannot claim someone else"));
        check("bob", Err("by is \"bob\""));
        let local = Identity::local();
        assert_eq!(local.claim("by", "").unwrap(), "local");
        assert_eq!(local.claim("by", "analyst").unwrap(), "analyst");
    }

    #[test]
    fn authorize_says_what_is_needed() {
        let alice = Identity::new("alice", Role::Reader, Source::Token);
        let err = authorize(&alice, "RecordFollowUp").unwrap_err();
        assert_eq!(
            err.to_string(),
            "RecordFollowUp needs role analyst; caller alice has reader"
        );
        assert!(authorize(&alice, "ListCommitments").is_ok());
        let err = authorize(&alice, "Nope").unwrap_err();
        assert!(err.to_string().contains("Nope"), "{err}");
    }
}
