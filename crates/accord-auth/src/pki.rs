//! Development certificates: a CA, server and client certificates (rcgen).
//!
//! For `accord credentials init` and tests. Production deployments bring
//! certificates from their own CA; these work the same way.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

pub use rcgen::Error as PkiError;

/// A certificate and its private key, PEM-encoded.
#[derive(Debug, Clone)]
pub struct Pem {
    pub cert: String,
    pub key: String,
}

/// A certificate authority that can issue server and client certificates.
pub struct Authority {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
}

impl Authority {
    /// A new self-signed CA named `common_name`, valid for ten years.
    pub fn new(common_name: &str) -> Result<Self, PkiError> {
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(common_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::hours(1);
        params.not_after = now + Duration::days(3650);
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Authority {
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
        })
    }

    /// An existing CA, from its certificate and key (to issue more).
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Self, PkiError> {
        let key = KeyPair::from_pem(key_pem)?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key)?;
        Ok(Authority {
            issuer,
            cert_pem: cert_pem.to_owned(),
        })
    }

    /// The CA certificate (what clients and servers trust).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA's private key (keep it private).
    pub fn key_pem(&self) -> String {
        self.issuer.key().serialize_pem()
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid a year.
    pub fn server(&self, names: &[&str]) -> Result<Pem, PkiError> {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
        params.distinguished_name = dn(names.first().copied().unwrap_or("accord"));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.issue(params, Duration::hours(-1), Duration::days(365))
    }

    /// A client certificate with subject CN `name`, valid a year.
    pub fn client(&self, name: &str) -> Result<Pem, PkiError> {
        self.client_valid(name, Duration::hours(-1), Duration::days(365))
    }

    /// A client certificate valid from now+`from` to now+`until` (tests use
    /// this to make an expired one).
    pub fn client_valid(
        &self,
        name: &str,
        from: Duration,
        until: Duration,
    ) -> Result<Pem, PkiError> {
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.issue(params, from, until)
    }

    fn issue(
        &self,
        mut params: CertificateParams,
        from: Duration,
        until: Duration,
    ) -> Result<Pem, PkiError> {
        let now = OffsetDateTime::now_utc();
        params.not_before = now + from;
        params.not_after = now + until;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Pem {
            cert: cert.pem(),
            key: key.serialize_pem(),
        })
    }
}

fn dn(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate_names;

    fn der(pem: &str) -> Vec<u8> {
        x509_parser::pem::parse_x509_pem(pem.as_bytes())
            .unwrap()
            .1
            .contents
    }

    #[test]
    fn issued_certificates_carry_their_names() {
        let ca = Authority::new("test CA").unwrap();
        let client = ca.client("alice").unwrap();
        assert_eq!(
            certificate_names(&der(&client.cert)).unwrap(),
            vec!["alice".to_string()]
        );
        let server = ca.server(&["localhost", "127.0.0.1"]).unwrap();
        assert_eq!(
            certificate_names(&der(&server.cert)).unwrap(),
            vec!["localhost".to_string(), "localhost".to_string()]
        );
        let again = Authority::from_pem(ca.cert_pem(), &ca.key_pem()).unwrap();
        let bob = again.client("bob").unwrap();
        assert_eq!(
            certificate_names(&der(&bob.cert)).unwrap(),
            vec!["bob".to_string()]
        );
        assert!(certificate_names(b"not a certificate").is_err());
    }
}
