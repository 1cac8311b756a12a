//! The names in a client certificate that the tokens file can map.

use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::AuthError;

/// A certificate's subject common names, then its DNS SANs.
/// (Validity and chain are checked by TLS before this is asked.)
pub fn certificate_names(der: &[u8]) -> Result<Vec<String>, AuthError> {
    let (_, cert) =
        X509Certificate::from_der(der).map_err(|e| AuthError::BadCertificate(e.to_string()))?;
    let mut names: Vec<String> = cert
        .subject()
        .iter_common_name()
        .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
        .collect();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            if let GeneralName::DNSName(d) = n {
                names.push((*d).to_owned());
            }
        }
    }
    Ok(names)
}
