//! Public keys for RSA signatures: the URLs a provider's certificate may be fetched from (the
//! SSRF rule of each provider, [`CertUrl`]), what a check uses ([`RsaKey`]), and the public
//! key of a PEM X.509 certificate (Amazon SNS's, PayPal's) by a small, strictly bounded DER
//! walk: no certificate library in the wasm.
//!
//! Only what is needed to find the key is read: the certificate's outer `SEQUENCE`, its
//! `tbsCertificate`, the fields before `subjectPublicKeyInfo` (skipped by length), and that
//! `SubjectPublicKeyInfo`, which must be an `rsaEncryption` key. Nothing else in the
//! certificate is trusted or checked here: which certificate to trust is decided by where it
//! came from ([`CertUrl`], fetched over HTTPS), and WebCrypto then refuses a
//! malformed key when it imports it.

/// Longest certificate URL accepted.
pub const MAX_CERT_URL_BYTES: usize = 512;

/// Whose certificate a URL names: each provider's documented host (the SSRF rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertHost {
    /// Amazon SNS: `sns.<region>.amazonaws.com` or `sns.<region>.amazonaws.com.cn` (the
    /// region of lower-case letters, digits and `-`, as AWS's own validator allows, GovCloud
    /// included), a path ending in `.pem`.
    Sns,
    /// PayPal: `api.paypal.com`, `api-m.paypal.com` or their `sandbox.` forms, a path
    /// `/v1/notifications/certs/<name>`.
    PayPal,
}

/// A certificate URL that passed its provider's rule: `https`, ASCII, at most
/// [`MAX_CERT_URL_BYTES`], no user info, port, query or fragment, a path of letters, digits
/// and `/-_.` without `..` or `//`, and the host and path [`CertHost`] names. The only URL
/// the Worker ever fetches a certificate from, and only through this type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CertUrl(String);

impl CertUrl {
    /// The URL, if it passes `host`'s rule.
    #[must_use]
    pub fn parse(url: &str, host: CertHost) -> Option<Self> {
        if url.len() > MAX_CERT_URL_BYTES || !url.is_ascii() {
            return None;
        }
        let rest = url.strip_prefix("https://")?;
        let (name, path) = rest.split_at(rest.find('/')?);
        let path_ok = path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b)) && !path.contains("..") && !path.contains("//");
        let provider_ok = match host {
            CertHost::Sns => sns_host(name).is_some() && path.ends_with(".pem"),
            CertHost::PayPal => {
                PAYPAL_HOSTS.contains(&name) && path.strip_prefix(PAYPAL_CERT_PATH).is_some_and(|n| !n.is_empty() && !n.contains('/'))
            }
        };
        (path_ok && provider_ok).then(|| Self(url.to_string()))
    }

    /// The URL as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// PayPal's API hosts, live and sandbox.
const PAYPAL_HOSTS: [&str; 4] = ["api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com"];
/// Where PayPal serves its webhook signing certificates.
const PAYPAL_CERT_PATH: &str = "/v1/notifications/certs/";

/// `sns.<region>.amazonaws.com` or `sns.<region>.amazonaws.com.cn`, the region of lower-case
/// letters, digits and `-` (at least 3).
pub(crate) fn sns_host(host: &str) -> Option<()> {
    let region = host.strip_prefix("sns.")?;
    let region = region.strip_suffix(".amazonaws.com").or_else(|| region.strip_suffix(".amazonaws.com.cn"))?;
    (region.len() >= 3 && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')).then_some(())
}

/// The key an RSA check uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsaKey {
    /// A public key at hand (DER SubjectPublicKeyInfo): a certificate the source pins for a
    /// URL (`scheme.certificates`), or a configured public key (Orum). Nothing is fetched.
    Spki(Vec<u8>),
    /// The key of the certificate at this URL, fetched by the Worker (cached per isolate).
    Fetch(CertUrl),
}

/// An RSA public key given as configuration (Orum's): its DER SubjectPublicKeyInfo, the
/// form WebCrypto imports.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaSpki(Vec<u8>);

impl RsaSpki {
    /// The key from text: PEM `PUBLIC KEY` (SubjectPublicKeyInfo), PEM `RSA PUBLIC KEY`
    /// (PKCS#1, wrapped here), or bare base64 of either DER; `None` for anything that is not
    /// an RSA key of that shape.
    #[must_use]
    pub fn from_text(text: &str) -> Option<Self> {
        if text.len() > MAX_PEM_BYTES {
            return None;
        }
        let (pkcs1, inner) = match text.trim().split_once("-----BEGIN ") {
            Some((_, rest)) => {
                let (label, rest) = rest.split_once("-----")?;
                let body = rest.split_once("-----END ")?.0;
                (label == "RSA PUBLIC KEY", body)
            }
            None => (false, text),
        };
        let b64: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = crate::base64::STANDARD.decode(b64).ok()?;
        let spki = if pkcs1 || element(&der).is_some_and(|(_, _, body, _)| body.first() == Some(&0x02)) { wrap_pkcs1(&der)? } else { der };
        rsa_spki(&spki).then_some(Self(spki))
    }

    /// The DER SubjectPublicKeyInfo.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for RsaSpki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A public key, but the rule stays simple: no key material in any log line.
        f.write_str("RsaSpki([not shown])")
    }
}

/// DER length bytes (at most 64 KiB).
fn der_len(len: usize) -> Option<Vec<u8>> {
    match len {
        0..=0x7f => Some(vec![u8::try_from(len).ok()?]),
        0x80..=0xff => Some(vec![0x81, u8::try_from(len).ok()?]),
        _ => Some(vec![0x82, u8::try_from(len >> 8).ok()?, u8::try_from(len & 0xff).ok()?]),
    }
}

/// A PKCS#1 `RSAPublicKey` inside a SubjectPublicKeyInfo.
fn wrap_pkcs1(pkcs1: &[u8]) -> Option<Vec<u8>> {
    let (0x30, whole, _, rest) = element(pkcs1)? else { return None };
    if !rest.is_empty() || whole.len() > 60_000 {
        return None;
    }
    let alg = [&[0x30, 0x0d][..], &RSA_ENCRYPTION, &[0x05, 0x00]].concat();
    let bits = [&[0x03][..], &der_len(whole.len() + 1)?, &[0x00], whole].concat();
    let body = [alg, bits].concat();
    Some([&[0x30][..], &der_len(body.len())?, &body].concat())
}

/// Whether `der` is exactly one SubjectPublicKeyInfo of an `rsaEncryption` key.
fn rsa_spki(der: &[u8]) -> bool {
    let Some((0x30, _, body, trailing)) = element(der) else { return false };
    let Some((0x30, _, alg, key)) = element(body) else { return false };
    trailing.is_empty() && alg.starts_with(&RSA_ENCRYPTION) && matches!(element(key), Some((0x03, _, _, rest)) if rest.is_empty())
}

/// Largest PEM text read (AWS's certificates are about 2 KB).
pub const MAX_PEM_BYTES: usize = 16 * 1024;

/// `rsaEncryption` (1.2.840.113549.1.1.1) as a DER OID.
const RSA_ENCRYPTION: [u8; 11] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One DER element: `(tag, the whole element, its content, what follows it)`.
type Element<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// The DER element at the start of `input`. Lengths take at most two bytes (64 KiB) and
/// must be minimal; no indefinite length.
fn element(input: &[u8]) -> Option<Element<'_>> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, header, rest) = match first {
        0..=0x7f => (usize::from(first), 2, rest),
        0x81 => {
            let (&b, rest) = rest.split_first()?;
            if b < 0x80 {
                return None;
            }
            (usize::from(b), 3, rest)
        }
        0x82 => {
            let (&hi, rest) = rest.split_first()?;
            let (&lo, rest) = rest.split_first()?;
            if hi == 0 {
                return None;
            }
            ((usize::from(hi) << 8) | usize::from(lo), 4, rest)
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    let (content, after) = rest.split_at(len);
    let whole = input.get(..header + len)?;
    Some((tag, whole, content, after))
}

/// The DER of a PEM certificate (`-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`,
/// the first one if there are several).
#[must_use]
pub fn der_of_pem(pem: &[u8]) -> Option<Vec<u8>> {
    if pem.len() > MAX_PEM_BYTES {
        return None;
    }
    let text = std::str::from_utf8(pem).ok()?;
    let after = text.split_once("-----BEGIN CERTIFICATE-----")?.1;
    let inner = after.split_once("-----END CERTIFICATE-----")?.0;
    let b64: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    crate::base64::STANDARD.decode(b64).ok()
}

/// The certificate's `SubjectPublicKeyInfo` (DER), when it is an RSA key.
#[must_use]
pub fn spki_of_der(der: &[u8]) -> Option<Vec<u8>> {
    let (0x30, _, cert, trailing) = element(der)? else { return None };
    if !trailing.is_empty() {
        return None;
    }
    let (0x30, _, tbs, _) = element(cert)? else { return None };
    let mut rest = tbs;
    // [0] version (optional), serialNumber, signature, issuer, validity, subject.
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.3;
    }
    for want in [0x02, 0x30, 0x30, 0x30, 0x30] {
        let (tag, _, _, after) = element(rest)?;
        if tag != want {
            return None;
        }
        rest = after;
    }
    let (0x30, spki, body, _) = element(rest)? else { return None };
    let (0x30, _, alg, key) = element(body)? else { return None };
    if !alg.starts_with(&RSA_ENCRYPTION) {
        return None;
    }
    let (0x03, _, _, none) = element(key)? else { return None };
    none.is_empty().then(|| spki.to_vec())
}

/// The RSA `SubjectPublicKeyInfo` of a PEM certificate.
#[must_use]
pub fn spki_of_pem(pem: &[u8]) -> Option<Vec<u8>> {
    spki_of_der(&der_of_pem(pem)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The self-signed test certificate of tests/vectors/amazon_sns.json.
    fn test_pem() -> String {
        let doc: crate::json::Value = crate::json::parse(include_bytes!("../tests/vectors/amazon_sns.json")).unwrap();
        let certs = doc["cases"][0]["certificates"].as_object().unwrap();
        let (_, pem) = certs.iter().next().unwrap();
        pem.as_str().unwrap().to_string()
    }

    #[test]
    fn fetches_paypal_certificates_only_from_paypals_api_hosts() {
        for ok in [
            "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
            "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        ] {
            assert_eq!(CertUrl::parse(ok, CertHost::PayPal).map(|u| u.as_str().to_string()), Some(ok.to_string()), "{ok}");
        }
        for bad in [
            "http://api.paypal.com/v1/notifications/certs/CERT-1",
            "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
            "https://evil.paypal.com/v1/notifications/certs/CERT-1",
            "https://paypal.com/v1/notifications/certs/CERT-1",
            "https://api.paypal.com:443/v1/notifications/certs/CERT-1",
            "https://u@api.paypal.com/v1/notifications/certs/CERT-1",
            "https://api.paypal.com/v1/notifications/certs/",
            "https://api.paypal.com/v1/notifications/certs/a/b",
            "https://api.paypal.com/v1/notifications/certs/../../x",
            "https://api.paypal.com/v1/notifications/certs/CERT-1?x=1",
            "https://api.paypal.com/v1/oauth2/token",
            "https://169.254.169.254/v1/notifications/certs/CERT-1",
            "https://sns.us-east-1.amazonaws.com/x.pem",
        ] {
            assert_eq!(CertUrl::parse(bad, CertHost::PayPal), None, "{bad}");
        }
        assert_eq!(CertUrl::parse("https://api.paypal.com/v1/notifications/certs/CERT-1", CertHost::Sns), None, "a rule is per provider");
    }

    #[test]
    fn reads_rsa_public_keys_as_spki_or_pkcs1_and_refuses_the_rest() {
        let spki = spki_of_pem(test_pem().as_bytes()).unwrap();
        let b64 = crate::base64::STANDARD.encode(&spki);
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n");
        assert_eq!(RsaSpki::from_text(&pem).map(|k| k.der().to_vec()), Some(spki.clone()));
        assert_eq!(RsaSpki::from_text(&b64).map(|k| k.der().to_vec()), Some(spki.clone()));
        // The PKCS#1 key inside the BIT STRING, as `RSA PUBLIC KEY`, wraps to the same SPKI.
        let (_, _, body, _) = element(&spki).unwrap();
        let (_, _, _, bits) = element(body).unwrap();
        let (_, _, content, _) = element(bits).unwrap();
        let pkcs1 = crate::base64::STANDARD.encode(&content[1..]);
        assert_eq!(RsaSpki::from_text(&format!("-----BEGIN RSA PUBLIC KEY-----\n{pkcs1}\n-----END RSA PUBLIC KEY-----")).map(|k| k.der().to_vec()), Some(spki.clone()));
        assert_eq!(format!("{:?}", RsaSpki::from_text(&b64).unwrap()), "RsaSpki([not shown])");
        for bad in ["", "not a key", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="] {
            assert_eq!(RsaSpki::from_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn finds_the_rsa_key_of_a_pem_certificate() {
        let pem = test_pem();
        let spki = spki_of_pem(pem.as_bytes()).unwrap();
        assert_eq!(spki[0], 0x30);
        assert!(spki.windows(RSA_ENCRYPTION.len()).any(|w| w == RSA_ENCRYPTION));
        // 2048-bit modulus: a 294-byte SubjectPublicKeyInfo.
        assert_eq!(spki.len(), 294);
    }

    #[test]
    fn refuses_anything_but_one_well_formed_certificate() {
        let pem = test_pem();
        let der = der_of_pem(pem.as_bytes()).unwrap();
        // Truncated anywhere, or with a byte after it.
        for cut in [1, 2, 10, der.len() / 2, der.len() - 1] {
            assert_eq!(spki_of_der(&der[..cut]), None, "cut at {cut}");
        }
        assert_eq!(spki_of_der(&[der.as_slice(), &[0]].concat()), None);
        // Another outer tag, an indefinite or overlong length.
        let mut tag = der.clone();
        tag[0] = 0x31;
        assert_eq!(spki_of_der(&tag), None);
        assert_eq!(element(&[0x30, 0x80, 0, 0]), None);
        assert_eq!(element(&[0x30, 0x81, 0x05, 1, 2, 3, 4, 5]), None, "0x81 with a length under 128");
        assert_eq!(element(&[0x30, 0x82, 0x00, 0x85]), None, "0x82 with a zero high byte");
        assert_eq!(element(&[0x30, 0x83, 0, 0, 1, 0]), None, "three length bytes");
        // Not PEM, too large, not a certificate block.
        assert_eq!(spki_of_pem(b"not a certificate"), None);
        assert_eq!(spki_of_pem(pem.replace("CERTIFICATE", "PUBLIC KEY").as_bytes()), None);
        assert_eq!(spki_of_pem(&vec![b'A'; MAX_PEM_BYTES + 1]), None);
        // A key that is not RSA (the OID changed to id-ecPublicKey's first bytes).
        let at = der.windows(RSA_ENCRYPTION.len()).position(|w| w == RSA_ENCRYPTION).unwrap();
        let mut ec = der.clone();
        ec[at + 10] = 0x02;
        assert_eq!(spki_of_der(&ec), None);
    }
}
