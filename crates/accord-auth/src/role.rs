//! Roles and the one method → role table.

use std::fmt;
use std::str::FromStr;

/// A caller's role. Each role may do what its table rows say; `Analyst`
/// also what `Reader` may, `Admin` everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Ingester,
    Analyst,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Ingester, Role::Analyst, Role::Admin];

    /// Whether a caller with this role may call a method that needs `needed`.
    pub fn allows(&self, needed: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Analyst => matches!(needed, Role::Analyst | Role::Reader),
            Role::Ingester => needed == Role::Ingester,
            Role::Reader => needed == Role::Reader,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Ingester => "ingester",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?} (roles: reader, ingester, analyst, admin)"))
    }
}

/// The gRPC path prefix of the Accord service's methods.
pub const RPC_PREFIX: &str = "/accord.v1.Accord/";

/// The role an Accord RPC needs, by its name (`"GetCommitment"`). `None`
/// for a name not in the table: callers must deny it (fail closed).
pub fn required_role(method: &str) -> Option<Role> {
    Some(match method {
        "GetCommitment"
        | "ListCommitments"
        | "GetDocument"
        | "GetComplianceReport"
        | "WatchCommitments"
        | "WatchAlerts" => Role::Reader,
        "IngestReadout" => Role::Ingester,
        "RecordFollowUp" | "ReviewCommitment" => Role::Analyst,
        "Rebuild" | "Relink" | "ListDeadLetters" | "ReplayDeadLetters" | "SkipDeadLetter" => {
            Role::Admin
        }
        _ => return None,
    })
}

/// What a request path needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Health checks and reflection: anyone, no credentials.
    Open,
    /// An Accord RPC: its name and the role it needs.
    Needs { method: String, role: Role },
    /// Anything else: denied.
    Unknown,
}

/// Classify a gRPC request path (`/accord.v1.Accord/GetCommitment`).
pub fn access_for_path(path: &str) -> Access {
    const OPEN: [&str; 3] = [
        "/grpc.health.v1.Health/",
        "/grpc.reflection.v1.ServerReflection/",
        "/grpc.reflection.v1alpha.ServerReflection/",
    ];
    if OPEN.iter().any(|p| path.starts_with(p)) {
        return Access::Open;
    }
    match path
        .strip_prefix(RPC_PREFIX)
        .and_then(|m| Some((m, required_role(m)?)))
    {
        Some((method, role)) => Access::Needs {
            method: method.to_owned(),
            role,
        },
        None => Access::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_table() {
        use Role::*;
        let check = |has: Role, needed: Role, expected: bool| {
            assert_eq!(has.allows(needed), expected, "{has} allows {needed}?");
        };
        for (has, needed, expected) in [
            (Reader, Reader, true),
            (Reader, Ingester, false),
            (Reader, Analyst, false),
            (Reader, Admin, false),
            (Ingester, Reader, false),
            (Ingester, Ingester, true),
            (Ingester, Analyst, false),
            (Ingester, Admin, false),
            (Analyst, Reader, true),
            (Analyst, Ingester, false),
            (Analyst, Analyst, true),
            (Analyst, Admin, false),
            (Admin, Reader, true),
            (Admin, Ingester, true),
            (Admin, Analyst, true),
            (Admin, Admin, true),
        ] {
            check(has, needed, expected);
        }
    }

    #[test]
    fn paths() {
        let check =
            |path: &str, expected: Access| assert_eq!(access_for_path(path), expected, "{path}");
        let needs = |m: &str, role| Access::Needs {
            method: m.into(),
            role,
        };
        check("/grpc.health.v1.Health/Check", Access::Open);
        check(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            Access::Open,
        );
        check(
            "/accord.v1.Accord/GetCommitment",
            needs("GetCommitment", Role::Reader),
        );
        check(
            "/accord.v1.Accord/IngestReadout",
            needs("IngestReadout", Role::Ingester),
        );
        check(
            "/accord.v1.Accord/RecordFollowUp",
            needs("RecordFollowUp", Role::Analyst),
        );
        check("/accord.v1.Accord/Relink", needs("Relink", Role::Admin));
        check("/accord.v1.Accord/DropEverything", Access::Unknown);
        check("/accord.v1.Accord/", Access::Unknown);
        check("/other.Service/GetCommitment", Access::Unknown);
        check("", Access::Unknown);
    }

    #[test]
    fn roles_parse() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().unwrap_err().contains("root"));
    }
}
