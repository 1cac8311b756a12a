//! `accord credentials init` and `accord token add`: local development
//! credentials (a CA, server and client certificates, a token per role)
//! and issuing tokens. Only hashes go into the tokens file; a new token is
//! shown once.

use accord_auth::pki::Authority;
use accord_auth::{generate_token, hash_token, Credential, Entry, Role, TokensFile};
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct CredentialsArgs {
    #[command(subcommand)]
    command: CredentialsCommand,
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// Make what is missing in DIR: ca.pem (+ ca-key.pem), server.pem for
    /// 127.0.0.1/localhost, client.pem (CN dev-client, admin), and a token
    /// per role (hashes in DIR/tokens, the tokens once in DIR/tokens.txt).
    Init {
        /// Where the files go (private keys and tokens.txt are user-only).
        #[arg(long, default_value = ".accord")]
        dir: PathBuf,
        /// Extra DNS names or IP addresses for the server certificate.
        #[arg(long = "server-name", value_name = "NAME")]
        server_names: Vec<String>,
    },
}

#[derive(Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make a new random token for NAME with ROLE, append its hash to the
    /// tokens file and print the token once (on stdout). A running server
    /// reads the file at start: restart it to accept the token.
    Add {
        /// Caller name, recorded as `by` / `assessor` of what they change.
        #[arg(long)]
        name: String,
        /// reader, ingester, analyst or admin.
        #[arg(long)]
        role: Role,
        /// The tokens file (made if missing).
        #[arg(long, env = "ACCORD_TOKENS", default_value = ".accord/tokens")]
        tokens_file: PathBuf,
    },
    /// Map a client certificate's CN (or DNS name) to NAME with ROLE.
    AddCert {
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: Role,
        /// The certificate's subject CN or a DNS name in it.
        #[arg(long)]
        cert_name: String,
        #[arg(long, env = "ACCORD_TOKENS", default_value = ".accord/tokens")]
        tokens_file: PathBuf,
    },
}

pub fn credentials(args: CredentialsArgs) -> anyhow::Result<()> {
    match args.command {
        CredentialsCommand::Init { dir, server_names } => init(&dir, &server_names),
    }
}

pub fn token(args: TokenArgs) -> anyhow::Result<()> {
    match args.command {
        TokenCommand::Add {
            name,
            role,
            tokens_file,
        } => {
            let token = add_token(&tokens_file, &name, role)?;
            println!("{token}");
            eprintln!(
                "added {name} ({role}) to {}; the token above is not stored anywhere",
                tokens_file.display()
            );
            Ok(())
        }
        TokenCommand::AddCert {
            name,
            role,
            cert_name,
            tokens_file,
        } => {
            let entry = Entry {
                name,
                role,
                credential: Credential::Certificate(cert_name),
            };
            append_entry(&tokens_file, &entry)?;
            eprintln!("added `{entry}` to {}", tokens_file.display());
            Ok(())
        }
    }
}

/// Append `name role sha256:…` for a fresh token; returns the token.
fn add_token(tokens_file: &Path, name: &str, role: Role) -> anyhow::Result<String> {
    let token = generate_token().context("no randomness for a token")?;
    let entry = Entry {
        name: name.to_owned(),
        role,
        credential: hash_token(&token),
    };
    append_entry(tokens_file, &entry)?;
    Ok(token)
}

/// Append a line, after checking the file still parses with it.
fn append_entry(tokens_file: &Path, entry: &Entry) -> anyhow::Result<()> {
    let existing = match std::fs::read_to_string(tokens_file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "# accord tokens file: NAME ROLE sha256:<SHA-256 of the token>|cert:<certificate CN>\n"
                .into()
        }
        Err(e) => return Err(e).with_context(|| format!("read {}", tokens_file.display())),
    };
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{entry}\n"));
    TokensFile::parse(&text, &tokens_file.display().to_string())?;
    write_private(tokens_file, &text)
}

/// Write a file readable by the user only (0600).
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("write {}", path.display()))?;
    file.write_all(contents.as_bytes())
        .with_context(|| format!("write {}", path.display()))
}

fn write_public(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents).with_context(|| format!("write {}", path.display()))
}

fn init(dir: &Path, extra_names: &[String]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let at = |f: &str| dir.join(f);
    let (ca_pem, ca_key) = (at("ca.pem"), at("ca-key.pem"));
    let ca = match (ca_pem.exists(), ca_key.exists()) {
        (true, true) => {
            let read = |p: &Path| {
                std::fs::read_to_string(p).with_context(|| format!("read {}", p.display()))
            };
            Authority::from_pem(&read(&ca_pem)?, &read(&ca_key)?)
                .with_context(|| format!("load the CA in {}", dir.display()))?
        }
        (false, false) => {
            let ca = Authority::new("accord development CA").context("make a CA")?;
            write_private(&ca_key, &ca.key_pem())?;
            write_public(&ca_pem, ca.cert_pem())?;
            eprintln!("made {} (CA)", ca_pem.display());
            ca
        }
        _ => bail!(
            "{} has only one of ca.pem and ca-key.pem; remove it to start over",
            dir.display()
        ),
    };
    if !at("server.pem").exists() {
        let mut names: Vec<&str> = vec!["localhost", "127.0.0.1", "::1"];
        names.extend(extra_names.iter().map(String::as_str));
        let server = ca.server(&names).context("issue the server certificate")?;
        write_private(&at("server-key.pem"), &server.key)?;
        write_public(&at("server.pem"), &server.cert)?;
        eprintln!(
            "made {} for {}",
            at("server.pem").display(),
            names.join(", ")
        );
    }
    let tokens = at("tokens");
    if !at("client.pem").exists() {
        let client = ca
            .client("dev-client")
            .context("issue the client certificate")?;
        write_private(&at("client-key.pem"), &client.key)?;
        write_public(&at("client.pem"), &client.cert)?;
        let entry = Entry {
            name: "dev-client".into(),
            role: Role::Admin,
            credential: Credential::Certificate("dev-client".into()),
        };
        append_entry(&tokens, &entry)?;
        eprintln!("made {} (CN dev-client, admin)", at("client.pem").display());
    }
    let plain = at("tokens.txt");
    if !plain.exists() {
        let mut lines = String::from(
            "# accord development tokens (shown once; the server keeps only hashes in `tokens`)\n",
        );
        for role in Role::ALL {
            let name = format!("dev-{role}");
            let token = add_token(&tokens, &name, role)?;
            lines.push_str(&format!("{role} {name} {token}\n"));
        }
        write_private(&plain, &lines)?;
        eprintln!(
            "made a token per role: {} (user-only); hashes in {}",
            plain.display(),
            tokens.display()
        );
    }
    Ok(())
}
