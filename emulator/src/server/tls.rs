//! A self-signed certificate for `localhost`/`127.0.0.1`, generated at start, and the rustls
//! acceptor using it.

use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::Error;

/// The generated certificate (PEM) and an acceptor serving it.
pub(crate) struct SelfSigned {
    pub(crate) certificate_pem: String,
    pub(crate) acceptor: TlsAcceptor,
}

/// A certificate for `localhost`, `127.0.0.1` and `host`, with its own subject and serial
/// number. rcgen's simple certificates all have the subject `rcgen self signed cert`, so a CA
/// bundle holding two emulators' certificates had two trust anchors of one name, and OpenSSL
/// based clients checked the second emulator against the first one's key.
fn certificate(host: &str, port: u16) -> Result<rcgen::CertifiedKey, rcgen::Error> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if !names.iter().any(|n| n == host) {
        names.push(host.to_owned());
    }
    let mut rng = fastrand::Rng::new();
    let mut serial: Vec<u8> = (0..16).map(|_| rng.u8(..)).collect();
    // A positive, non-zero 16-byte INTEGER (RFC 5280 4.1.2.2).
    serial[0] = (serial[0] & 0x7f) | 0x40;
    let tag: String = serial.iter().map(|b| format!("{b:02x}")).collect();
    let mut params = rcgen::CertificateParams::new(names)?;
    let mut subject = rcgen::DistinguishedName::new();
    subject.push(rcgen::DnType::OrganizationName, "bitrix24-emulator");
    subject.push(
        rcgen::DnType::CommonName,
        format!("bitrix24-emulator {host}:{port} {}", &tag[..16]),
    );
    params.distinguished_name = subject;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let key_pair = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key_pair)?;
    Ok(rcgen::CertifiedKey { cert, key_pair })
}

pub(crate) fn self_signed(host: &str, port: u16) -> Result<SelfSigned, Error> {
    let certified = certificate(host, port).map_err(|e| Error::Tls(e.to_string()))?;
    let cert = CertificateDer::from(certified.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
    // An explicit provider: the process-wide default is ambiguous when several are linked.
    let config = ServerConfig::builder_with_provider(Arc::new(aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| Error::Tls(e.to_string()))?;
    Ok(SelfSigned {
        certificate_pem: certified.cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits one DER element off `der`: (tag, contents, rest).
    fn element(der: &[u8]) -> (u8, &[u8], &[u8]) {
        let tag = der[0];
        let (len, header) = match der[1] {
            n if n < 0x80 => (usize::from(n), 2),
            n => {
                let bytes = usize::from(n & 0x7f);
                let len = der[2..2 + bytes]
                    .iter()
                    .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
                (len, 2 + bytes)
            }
        };
        (tag, &der[header..header + len], &der[header + len..])
    }

    /// (serial, issuer, subject) of a certificate, as DER.
    fn names(der: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let (_, certificate, _) = element(der);
        let (_, tbs, _) = element(certificate);
        let (version_tag, _, rest) = element(tbs);
        assert_eq!(version_tag, 0xa0);
        let (serial_tag, serial, rest) = element(rest);
        assert_eq!(serial_tag, 0x02);
        let (_, _, rest) = element(rest); // signature algorithm
        let (_, issuer, rest) = element(rest);
        let (_, _, rest) = element(rest); // validity
        let (_, subject, _) = element(rest);
        (serial.to_vec(), issuer.to_vec(), subject.to_vec())
    }

    #[test]
    fn every_certificate_has_its_own_subject_and_serial() {
        let a = certificate("127.0.0.1", 8024).unwrap();
        let b = certificate("127.0.0.1", 8024).unwrap();
        let (serial_a, issuer_a, subject_a) = names(a.cert.der());
        let (serial_b, issuer_b, subject_b) = names(b.cert.der());
        assert_eq!(issuer_a, subject_a, "self-signed");
        assert_eq!(issuer_b, subject_b, "self-signed");
        assert_ne!(subject_a, subject_b);
        assert_ne!(serial_a, serial_b);
        assert_eq!(serial_a.len(), 16);
        assert!(serial_a[0] & 0x80 == 0, "positive serial");
        // The served configuration still accepts it.
        assert!(self_signed("127.0.0.1", 8024).is_ok());
    }
}
