//! Who may call what, decided in one place.
//!
//! Pure: no tonic, no sockets. The gRPC layer (`accord-api::auth`) and the
//! HTTP API both ask the same questions here:
//!
//! - who is calling? [`TokensFile::verify_bearer`] (an `authorization: Bearer`
//!   header) or [`TokensFile::identity_for_certificate`] (the names in a client
//!   certificate, see [`certificate_names`]);
//! - what does the method need? [`required_role`] / [`access_for_path`];
//! - may they? [`authorize`] (uses [`Role::allows`]);
//! - may the request name someone? [`Identity::claim`].
//!
//! [`pki`] makes development certificates (`accord credentials init`, tests).

mod cert;
mod error;
mod identity;
pub mod pki;
mod role;
mod tokens;

pub use cert::certificate_names;
pub use error::{AuthError, AuthErrorKind, TokensFileError};
pub use identity::{authorize, Identity, Source};
pub use role::{access_for_path, required_role, Access, Role, RPC_PREFIX};
pub use tokens::{
    generate_token, hash_token, Credential, Entry, TokensFile, MAX_AUTHORIZATION_LEN,
};
