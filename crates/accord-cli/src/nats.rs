//! The NATS credentials and TLS flags, shared by every command that talks
//! to NATS directly (`up`, `sink`); `accord_bus::NatsAuth` does the rest.

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Clone, Default)]
#[command(next_help_heading = "NATS credentials and TLS")]
pub struct NatsArgs {
    /// NATS credentials file (user JWT + nkey seed, as `nsc` writes them).
    #[arg(long = "nats-creds", env = "NATS_CREDS", value_name = "FILE", global = true,
          conflicts_with_all = ["nats_nkey", "nats_user", "nats_token"])]
    nats_creds: Option<PathBuf>,
    /// File holding an nkey seed (`SU…`) for a server that lists nkey users.
    #[arg(long = "nats-nkey", env = "NATS_NKEY", value_name = "FILE", global = true,
          conflicts_with_all = ["nats_user", "nats_token"])]
    nats_nkey: Option<PathBuf>,
    /// NATS user name (with --nats-password), e.g. `accord` (deploy/nats-users.conf).
    #[arg(
        long = "nats-user",
        env = "NATS_USER",
        global = true,
        requires = "nats_password",
        conflicts_with = "nats_token"
    )]
    nats_user: Option<String>,
    /// NATS password for --nats-user (prefer the env var: flags show in `ps`).
    #[arg(
        long = "nats-password",
        env = "NATS_PASSWORD",
        hide_env_values = true,
        global = true,
        requires = "nats_user"
    )]
    nats_password: Option<String>,
    /// NATS authentication token (prefer the env var: flags show in `ps`).
    #[arg(
        long = "nats-token",
        env = "NATS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    nats_token: Option<String>,
    /// PEM file of the CA that signed the NATS server's certificate; turns TLS on.
    #[arg(
        long = "nats-tls-ca",
        env = "NATS_TLS_CA",
        value_name = "FILE",
        global = true
    )]
    nats_tls_ca: Option<PathBuf>,
    /// PEM client certificate, for servers that verify clients (with --nats-tls-key).
    #[arg(
        long = "nats-tls-cert",
        env = "NATS_TLS_CERT",
        value_name = "FILE",
        global = true,
        requires = "nats_tls_key"
    )]
    nats_tls_cert: Option<PathBuf>,
    /// PEM private key of --nats-tls-cert.
    #[arg(
        long = "nats-tls-key",
        env = "NATS_TLS_KEY",
        value_name = "FILE",
        global = true,
        requires = "nats_tls_cert"
    )]
    nats_tls_key: Option<PathBuf>,
}

impl NatsArgs {
    pub fn auth(&self) -> accord_bus::NatsAuth {
        accord_bus::NatsAuth {
            creds: self.nats_creds.clone(),
            nkey: self.nats_nkey.clone(),
            user: self.nats_user.clone(),
            password: self.nats_password.clone(),
            token: self.nats_token.clone(),
            tls_ca: self.nats_tls_ca.clone(),
            tls_cert: self.nats_tls_cert.clone(),
            tls_key: self.nats_tls_key.clone(),
        }
    }
}
