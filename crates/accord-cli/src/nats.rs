//! The NATS credentials and TLS flags, shared by every command that talks
//! to NATS directly (`up`, `sink`); `accord_bus::NatsAuth` does the rest.

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Clone, Default)]
#[command(next_help_heading = "NATS credentials and TLS")]
pub struct NatsArgs {
    /// NATS credentials file (user JWT + nkey seed, as `nsc` writes them).
    #[arg(long = "nats-creds", env = "NATS_CREDS", value_name = "FILE", global = true,
          conflicts_with_all = ["nkey", "user", "token"])]
    creds: Option<PathBuf>,
    /// File holding an nkey seed (`SU…`) for a server that lists nkey users.
    #[arg(long = "nats-nkey", env = "NATS_NKEY", value_name = "FILE", global = true,
          conflicts_with_all = ["user", "token"])]
    nkey: Option<PathBuf>,
    /// NATS user name (with --nats-password), e.g. `accord` (deploy/nats-users.conf).
    #[arg(
        long = "nats-user",
        env = "NATS_USER",
        global = true,
        requires = "password",
        conflicts_with = "token"
    )]
    user: Option<String>,
    /// NATS password for --nats-user (prefer the env var: flags show in `ps`).
    #[arg(
        long = "nats-password",
        env = "NATS_PASSWORD",
        hide_env_values = true,
        global = true,
        requires = "user"
    )]
    password: Option<String>,
    /// NATS authentication token (prefer the env var: flags show in `ps`).
    #[arg(
        long = "nats-token",
        env = "NATS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    token: Option<String>,
    /// PEM file of the CA that signed the NATS server's certificate; turns TLS on.
    #[arg(
        long = "nats-tls-ca",
        env = "NATS_TLS_CA",
        value_name = "FILE",
        global = true
    )]
    tls_ca: Option<PathBuf>,
    /// PEM client certificate, for servers that verify clients (with --nats-tls-key).
    #[arg(
        long = "nats-tls-cert",
        env = "NATS_TLS_CERT",
        value_name = "FILE",
        global = true,
        requires = "tls_key"
    )]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --nats-tls-cert.
    #[arg(
        long = "nats-tls-key",
        env = "NATS_TLS_KEY",
        value_name = "FILE",
        global = true,
        requires = "tls_cert"
    )]
    tls_key: Option<PathBuf>,
}

impl NatsArgs {
    pub fn auth(&self) -> accord_bus::NatsAuth {
        accord_bus::NatsAuth {
            creds: self.creds.clone(),
            nkey: self.nkey.clone(),
            user: self.user.clone(),
            password: self.password.clone(),
            token: self.token.clone(),
            tls_ca: self.tls_ca.clone(),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
        }
    }
}
