//! Keys a source verifies with: resolved secrets with labels and an optional expiry.

/// A secret value. Its `Debug` never shows it, so it cannot leak through a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps secret bytes.
    #[must_use]
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The bytes, for the MAC or the constant-time comparison only.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// What a key is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMaterial {
    /// A shared secret (HMAC key, token, password).
    Secret(Secret),
    /// An Ed25519 public key (`whpk_`).
    Ed25519([u8; 32]),
    /// An ECDSA P-256 public key (SendGrid's verification key).
    EcdsaP256(crate::crypto::P256Key),
    /// An RSA public key (Orum's webhook key).
    Rsa(crate::cert::RsaSpki),
}

/// One configured key of a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// Named in logs and `X-Hookgate-Key` instead of the secret.
    pub label: String,
    /// The key itself.
    pub material: KeyMaterial,
    /// Unix seconds after which the key is no longer accepted (end of a rotation).
    pub not_after_secs: Option<u64>,
}

impl Key {
    /// Whether the key may still be used at `now_secs`.
    #[must_use]
    pub fn usable_at(&self, now_secs: u64) -> bool {
        self.not_after_secs.is_none_or(|t| now_secs <= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let key = Key { label: "l".into(), material: KeyMaterial::Secret(Secret::new(b"hunter2".to_vec())), not_after_secs: None };
        let shown = format!("{key:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("104, 117"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn a_key_expires_after_not_after() {
        let key = Key { label: "l".into(), material: KeyMaterial::Ed25519([0; 32]), not_after_secs: Some(100) };
        assert!(key.usable_at(100));
        assert!(!key.usable_at(101));
    }
}
