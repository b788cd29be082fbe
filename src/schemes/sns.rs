//! Amazon SNS (HTTP/S subscriptions): the body is a JSON message (sent as `text/plain`)
//! signed by AWS with RSA, the public key in an X.509 certificate at `SigningCertURL`.
//!
//! - `SignatureVersion` `"1"`: SHA1withRSA; `"2"`: SHA256withRSA (RSASSA-PKCS1-v1_5).
//!   `Signature` is base64.
//! - The string to sign is `Name\nValue\n` for each of these fields present, in this order:
//!   `Notification`: `Message`, `MessageId`, `Subject` (only when present), `Timestamp`,
//!   `TopicArn`, `Type`; `SubscriptionConfirmation` and `UnsubscribeConfirmation`:
//!   `Message`, `MessageId`, `SubscribeURL`, `Timestamp`, `Token`, `TopicArn`, `Type`.
//!   (`sns-validator` 0.3.5 signs an `UnsubscribeConfirmation` with the notification's list
//!   plus `SubscribeURL`, leaving `Token` out; AWS's documentation is followed here.)
//! - The certificate is fetched only from `https://sns.<region>.amazonaws.com[.cn]/<...>.pem`
//!   ([`CertHost::Sns`]): the SSRF rule. The core never fetches: it records an RSA check
//!   naming the validated URL ([`crate::crypto::RsaCall`]), and the Worker fetches the
//!   certificate (cached per isolate), takes its public key ([`crate::cert::spki_of_pem`])
//!   and verifies with WebCrypto.
//! - Event id: `MessageId` (signed). Timestamp: `Timestamp` (RFC 3339, signed); SNS retries
//!   a delivery with the same message, so the default tolerance is an hour; a delivery policy
//!   that retries for longer needs a larger `tolerance_secs` (or 0 to turn the window off).
//! - No secrets: the trust is in AWS's certificate, found by the URL rule.
//!
//! <https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html>
//! Caveat: no real SNS message is in the vectors (AWS publishes no signed example); they
//! are signed with a self-made certificate as the documentation describes and
//! cross-checked with `sns-validator` (AWS's own validator) pointed at that certificate.
use crate::json::Value;

use super::{reject_recipe_options, Coverage, Replay, Scheme, SchemeConfig, SecretEncoding, Verified};
use crate::config::ConfigError;
use crate::cert::{CertHost, CertUrl, RsaKey};
use crate::crypto::{Crypto, RsaHash};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;
use crate::schemes::common::{check_window, TimeFormat, BASE64};

/// The header SNS sets to the message's `Type` (not signed; the body's `Type` is used).
pub const MESSAGE_TYPE_HEADER: &str = "x-amz-sns-message-type";
/// Longest RSA signature accepted (4096-bit keys); AWS uses 2048-bit keys.
pub const MAX_SIGNATURE_BYTES: usize = 512;
/// The SSRF rule for `SigningCertURL`: see [`CertHost::Sns`].
#[must_use]
pub fn cert_url(url: &str) -> Option<CertUrl> {
    CertUrl::parse(url, CertHost::Sns)
}

/// A verified `SubscriptionConfirmation`'s `SubscribeURL` that passed the rule:
/// `https://sns.<region>.amazonaws.com[.cn]/?Action=ConfirmSubscription&…` (the host rule of
/// [`CertHost::Sns`], path `/`, no user info, port or fragment). The only URL the Worker GETs to
/// confirm a subscription, and only through this type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscribeUrl(String);

impl SubscribeUrl {
    /// The URL, if it passes the rule.
    #[must_use]
    pub fn parse(url: &str) -> Option<Self> {
        if url.len() > 2048 || !url.is_ascii() || url.contains('#') || url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return None;
        }
        let rest = url.strip_prefix("https://")?;
        let (host, query) = rest.split_once("/?")?;
        crate::cert::sns_host(host)?;
        query.starts_with("Action=ConfirmSubscription&").then(|| Self(url.to_string()))
    }

    /// The URL as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What to do with a verified `SubscriptionConfirmation`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Subscription {
    /// Hand it on to the origin like any message (the default): the origin confirms.
    #[default]
    Forward,
    /// GET its `SubscribeURL` from the Worker and answer 200 without handing it on.
    AtEdge,
}

impl crate::json_read::FromJson for Subscription {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        crate::json_read::variant(value, path, &[("forward", Self::Forward), ("at_edge", Self::AtEdge)])
    }
}

/// The scheme.
#[derive(Clone, Debug, Default)]
pub struct Sns {
    /// What a verified `SubscriptionConfirmation` becomes.
    pub subscription: Subscription,
    /// Certificates the source pins, by URL (their public keys): used instead of fetching.
    pub pinned: crate::sorted_map::SortedMap<CertUrl, Vec<u8>>,
}

/// The three message types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    /// A published message.
    Notification,
    /// Sent once when a subscription is made; confirm by GETting `SubscribeURL`.
    SubscriptionConfirmation,
    /// Sent when a subscription is deleted.
    UnsubscribeConfirmation,
}

impl MessageType {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "Notification" => Some(Self::Notification),
            "SubscriptionConfirmation" => Some(Self::SubscriptionConfirmation),
            "UnsubscribeConfirmation" => Some(Self::UnsubscribeConfirmation),
            _ => None,
        }
    }

    /// The fields signed, in order, and whether each must be present.
    fn signed_fields(self) -> &'static [(&'static str, bool)] {
        match self {
            Self::Notification => &[("Message", true), ("MessageId", true), ("Subject", false), ("Timestamp", true), ("TopicArn", true), ("Type", true)],
            Self::SubscriptionConfirmation | Self::UnsubscribeConfirmation => &[
                ("Message", true),
                ("MessageId", true),
                ("SubscribeURL", true),
                ("Timestamp", true),
                ("Token", true),
                ("TopicArn", true),
                ("Type", true),
            ],
        }
    }
}

/// The string SNS signs for `message` (a JSON object), or `None` when a field it needs is
/// absent or not a string (a `Subject` of `null` counts as absent, as AWS's validator has it).
#[must_use]
pub fn string_to_sign(message: &crate::json::Map) -> Option<(MessageType, String)> {
    let kind = MessageType::parse(message.get("Type")?.as_str()?)?;
    let mut out = String::new();
    for (name, required) in kind.signed_fields() {
        match message.get(*name) {
            Some(Value::String(v)) => {
                out.push_str(name);
                out.push('\n');
                out.push_str(v);
                out.push('\n');
            }
            None | Some(Value::Null) if !required => {}
            _ => return None,
        }
    }
    Some((kind, out))
}

fn text<'a>(message: &'a crate::json::Map, name: &str) -> Option<&'a str> {
    message.get(name).and_then(Value::as_str)
}

impl Scheme for Sns {
    /// Checks, in order: a JSON object body (`body_not_json`), `Signature` present
    /// (`signature_missing`), `SignatureVersion` 1 or 2 and a base64 `Signature` of at most
    /// 512 bytes (`signature_malformed`), `SigningCertURL` under the URL rule
    /// (`certificate_url_refused`), a known `Type` with every signed field
    /// (`message_malformed`), a readable `Timestamp` (`timestamp_malformed`), the RSA
    /// signature (`signature_mismatch`), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, _keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let Ok(Value::Object(message)) = crate::json::parse(req.body) else {
            return Err(Rejection::BodyNotJson);
        };
        let signature = text(&message, "Signature").ok_or(Rejection::SignatureMissing)?;
        let hash = match text(&message, "SignatureVersion") {
            Some("1") => RsaHash::Sha1,
            Some("2") => RsaHash::Sha256,
            _ => return Err(Rejection::SignatureMalformed),
        };
        let signature = BASE64.decode(signature.trim()).map_err(|_| Rejection::SignatureMalformed)?;
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_BYTES {
            return Err(Rejection::SignatureMalformed);
        }
        let cert = text(&message, "SigningCertURL").and_then(cert_url).ok_or(Rejection::CertificateUrlRefused)?;
        let (kind, signed) = string_to_sign(&message).ok_or(Rejection::MessageMalformed)?;
        let stamp = text(&message, "Timestamp").ok_or(Rejection::TimestampMissing)?;
        let timestamp = TimeFormat::Rfc3339.parse(stamp).ok_or(Rejection::TimestampMalformed)?;
        let cert = match self.pinned.get(&cert) {
            Some(spki) => RsaKey::Spki(spki.clone()),
            None => RsaKey::Fetch(cert),
        };
        if !crypto.rsa_verify(&cert, hash, &[signed.as_bytes()], &signature) {
            return Err(Rejection::SignatureMismatch);
        }
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        let event_id = text(&message, "MessageId").map(str::to_string);
        let confirm_url = if kind == MessageType::SubscriptionConfirmation && self.subscription == Subscription::AtEdge {
            // Signed by AWS, so this is AWS's URL; the rule still holds for what is fetched.
            Some(text(&message, "SubscribeURL").and_then(SubscribeUrl::parse).ok_or(Rejection::MessageMalformed)?)
        } else {
            None
        };
        Ok(Verified { event_id, timestamp: Some(timestamp), confirm_url, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        3600
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedId, signed_timestamp: true }
    }

    fn needs_keys(&self) -> bool {
        false
    }
}

/// Builds the scheme (it takes no options).
///
/// # Errors
/// Any recipe option.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    reject_recipe_options(cfg, path, &["subscription_confirmation", "certificates"])?;
    let mut pinned = crate::sorted_map::SortedMap::new();
    for (url, pem) in cfg.certificates.iter().flatten() {
        // A certificate URL is public (AWS publishes it), so the field names it.
        let shown: String = url.chars().take(200).collect();
        let field = format!("{path}.certificates[\"{shown}\"]");
        let url = cert_url(url).ok_or_else(|| ConfigError::invalid(&field, "the URL must be an https://sns.<region>.amazonaws.com/….pem URL, as SigningCertURL gives it"))?;
        let spki = crate::cert::spki_of_pem(pem.as_bytes()).ok_or_else(|| ConfigError::invalid(&field, "not a PEM X.509 certificate with an RSA key"))?;
        pinned.insert(url, spki);
    }
    Ok(Box::new(Sns { subscription: cfg.subscription_confirmation.unwrap_or_default(), pinned }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetches_only_sns_pem_urls_over_https() {
        for ok in [
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
            "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
            "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        ] {
            assert_eq!(cert_url(ok).map(|u| u.as_str().to_string()), Some(ok.to_string()), "{ok}");
        }
        for bad in [
            "http://sns.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com/a.pem?x=1",
            "https://sns.us-east-1.amazonaws.com/a.pem#f",
            "https://sns.us-east-1.amazonaws.com:8443/a.pem",
            "https://user@sns.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/a.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com/a.pem.txt",
            "https://sns.us-east-1.amazonaws.com/a.txt",
            "https://sns.us-east-1.amazonaws.com/../x.pem",
            "https://sns.us-east-1.amazonaws.com//x.pem",
            "https://sns.US-EAST-1.amazonaws.com/a.pem",
            "https://sns.a.amazonaws.com/a.pem",
            "https://sns..amazonaws.com/a.pem",
            "https://sqs.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com/a%2e.pem",
            "https://sns.us-east-1.amazonaws.com",
            "https://sns.us-east-1.amazonaws.com/",
            "https://sns.us-east-1.amazonaws.com/\u{e9}.pem",
            "",
        ] {
            assert_eq!(cert_url(bad), None, "{bad}");
        }
        let long = format!("https://sns.us-east-1.amazonaws.com/{}.pem", "a".repeat(600));
        assert_eq!(cert_url(&long), None);
    }

    #[test]
    fn a_source_takes_no_secrets_and_the_core_never_passes_a_signature_it_cannot_check() {
        let with = |secrets: &str| format!(r#"{{"sources":{{"sns":{{"scheme":{{"type":"amazon_sns"}}{secrets},"destination":{{"origin":"https://o.example/x"}}}}}}}}"#);
        let config = crate::Config::load(&with(""), &|_| None).unwrap();
        let source = &config.sources["sns"];
        assert_eq!(source.tolerance_secs, 3600);
        let errors = crate::Config::load(&with(r#","secrets":[{"label":"k","env":"K"}]"#), &|_| Some("x".repeat(32))).unwrap_err();
        assert_eq!(errors[0].path(), "sources.sns.secrets");
        assert!(crate::Config::load(r#"{"sources":{"sns":{"scheme":{"type":"amazon_sns","signature_header":"x"},"destination":{"origin":"https://o.example/x"}}}}"#, &|_| None).is_err());
        // CoreCrypto holds no certificates: a well-formed message is a mismatch, never a pass.
        let body = r#"{"Type":"Notification","MessageId":"m","TopicArn":"a","Message":"hi","Timestamp":"2026-01-01T00:00:00Z","SignatureVersion":"2","Signature":"AAAA","SigningCertURL":"https://sns.us-east-1.amazonaws.com/c.pem"}"#;
        let req = Inbound { method: "POST", url: "https://h/hooks/sns", headers: &[], body: body.as_bytes(), client_ip: None };
        assert_eq!(crate::verify::verify(source, &req, 1_767_225_600, &crate::crypto::CoreCrypto), Err(Rejection::SignatureMismatch));
        // The first pass records exactly one RSA check, naming the validated URL.
        match crate::verify::verify_deferred(source, &req, 1_767_225_600, crate::crypto::Defer::SignaturesOnly) {
            crate::verify::Deferred::Needs(calls) => {
                assert!(matches!(&calls[..], [crate::crypto::Call::Rsa(c)] if matches!(&c.key, RsaKey::Fetch(u) if u.as_str() == "https://sns.us-east-1.amazonaws.com/c.pem") && c.hash == RsaHash::Sha256));
            }
            other => panic!("{other:?}"),
        }
    }

    /// Answers every RSA check "valid": for what the scheme does after the signature.
    struct Valid;

    impl Crypto for Valid {
        fn hmac(&self, _: crate::crypto::Algorithm, _: &[u8], _: &[&[u8]]) -> Vec<u8> {
            Vec::new()
        }
        fn ed25519_verify(&self, _: &[u8; 32], _: &[&[u8]], _: &[u8]) -> bool {
            false
        }
        fn ecdsa_p256_verify(&self, _: &crate::crypto::P256Key, _: &[&[u8]], _: &[u8; 64]) -> bool {
            false
        }
        fn rsa_verify(&self, _: &RsaKey, _: RsaHash, _: &[&[u8]], _: &[u8]) -> bool {
            true
        }
    }

    #[test]
    fn a_verified_subscription_confirmation_is_confirmed_at_the_edge_only_when_asked() {
        let doc: Value = crate::json::parse(include_bytes!("../../tests/vectors/amazon_sns.json")).unwrap();
        let case = doc["cases"].as_array().unwrap().iter().find(|c| c["name"].as_str().unwrap().contains("accepts a SubscriptionConfirmation")).unwrap();
        let body = case["body_utf8"].as_str().unwrap().as_bytes();
        let now = case["now_secs"].as_u64().unwrap();
        let req = Inbound { method: "POST", url: "https://h/hooks/sns", headers: &[], body, client_ip: None };
        let at_edge = Sns { subscription: Subscription::AtEdge, ..Sns::default() }.verify(&req, &[], 3600, now, &Valid).unwrap();
        assert!(at_edge.confirm_url.unwrap().as_str().starts_with("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&"));
        assert_eq!(Sns::default().verify(&req, &[], 3600, now, &Valid).unwrap().confirm_url, None, "forwarded by default");
        // A Notification is never confirmed, whatever the setting.
        let n = doc["cases"][0]["body_utf8"].as_str().unwrap().as_bytes();
        let req = Inbound { body: n, ..req };
        assert_eq!(Sns { subscription: Subscription::AtEdge, ..Sns::default() }.verify(&req, &[], 3600, now, &Valid).unwrap().confirm_url, None);
    }

    #[test]
    fn a_pinned_certificate_is_used_instead_of_fetching_and_checked_at_load() {
        let doc: Value = crate::json::parse(include_bytes!("../../tests/vectors/amazon_sns.json")).unwrap();
        let certs = doc["cases"][0]["certificates"].as_object().unwrap();
        let (url, pem) = certs.iter().next().unwrap();
        let scheme = |certificates: Value| -> Result<Box<dyn Scheme>, ConfigError> {
            let cfg: SchemeConfig = crate::json_read::read(&crate::json::json!({ "type": "amazon_sns", "certificates": certificates }).to_string()).unwrap();
            build(&cfg, "s")
        };
        let sns = scheme(crate::json::json!({ url: pem })).unwrap();
        let body = doc["cases"][0]["body_utf8"].as_str().unwrap().as_bytes();
        let req = Inbound { method: "POST", url: "https://h/hooks/sns", headers: &[], body, client_ip: None };
        let rec = crate::crypto::Recorder::new(body, crate::crypto::Defer::SignaturesOnly);
        let _ = sns.verify(&req, &[], 3600, doc["cases"][0]["now_secs"].as_u64().unwrap(), &rec);
        let calls = rec.into_calls();
        assert!(matches!(&calls[..], [crate::crypto::Call::Rsa(c)] if matches!(&c.key, RsaKey::Spki(k) if Some(k) == crate::cert::spki_of_pem(pem.as_str().unwrap().as_bytes()).as_ref())));
        let err = |v: Value| scheme(v).err().map(|e| e.path().to_string());
        assert_eq!(err(crate::json::json!({ "https://evil.example/c.pem": pem })).as_deref(), Some("s.certificates[\"https://evil.example/c.pem\"]"));
        assert_eq!(err(crate::json::json!({ url: "not a certificate" })), Some(format!("s.certificates[\"{url}\"]")));
        assert!(crate::schemes::build(&SchemeConfig { kind: "github".into(), certificates: Some(Default::default()), ..SchemeConfig::default() }, "s").is_err());
    }

    #[test]
    fn confirms_only_sns_confirm_subscription_urls() {
        let ok = "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37";
        assert_eq!(SubscribeUrl::parse(ok).map(|u| u.as_str().to_string()), Some(ok.to_string()));
        for bad in [
            "http://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=x",
            "https://sns.us-west-2.amazonaws.com/?Action=Publish&Token=x",
            "https://sns.us-west-2.amazonaws.com/x?Action=ConfirmSubscription&Token=x",
            "https://sns.us-west-2.amazonaws.com.evil.example/?Action=ConfirmSubscription&Token=x",
            "https://sns.us-west-2.amazonaws.com:444/?Action=ConfirmSubscription&Token=x",
            "https://u@sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=x",
            "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=x#f",
            "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=x y",
        ] {
            assert_eq!(SubscribeUrl::parse(bad), None, "{bad}");
        }
        assert!(crate::Config::load(r#"{"sources":{"s":{"scheme":{"type":"github","subscription_confirmation":"at_edge"},"secrets":[{"label":"k","env":"K"}],"destination":{"origin":"https://o.example/x"}}}}"#, &|_| Some("x".repeat(32))).is_err());
        assert!(crate::Config::load(r#"{"sources":{"s":{"scheme":{"type":"amazon_sns","subscription_confirmation":"at_edge"},"destination":{"origin":"https://o.example/x"}}}}"#, &|_| None).is_ok());
    }

    fn map(json: &str) -> crate::json::Map {
        match crate::json::parse(json.as_bytes()).unwrap() {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn builds_the_documented_string_to_sign_per_type() {
        let n = map(r#"{"Type":"Notification","MessageId":"m1","TopicArn":"arn:t","Subject":"S","Message":"hi","Timestamp":"2026-01-01T00:00:00.000Z","Extra":"x"}"#);
        assert_eq!(
            string_to_sign(&n).unwrap().1,
            "Message\nhi\nMessageId\nm1\nSubject\nS\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\narn:t\nType\nNotification\n"
        );
        let no_subject = map(r#"{"Type":"Notification","MessageId":"m1","TopicArn":"arn:t","Subject":null,"Message":"hi","Timestamp":"t"}"#);
        assert_eq!(string_to_sign(&no_subject).unwrap().1, "Message\nhi\nMessageId\nm1\nTimestamp\nt\nTopicArn\narn:t\nType\nNotification\n");
        let c = map(r#"{"Type":"SubscriptionConfirmation","MessageId":"m","Token":"tok","TopicArn":"a","Message":"m!","SubscribeURL":"https://sns.x/?A","Timestamp":"t"}"#);
        assert_eq!(
            string_to_sign(&c).unwrap().1,
            "Message\nm!\nMessageId\nm\nSubscribeURL\nhttps://sns.x/?A\nTimestamp\nt\nToken\ntok\nTopicArn\na\nType\nSubscriptionConfirmation\n"
        );
        // A confirmation without its Token, an unknown type, a number where text belongs.
        assert_eq!(string_to_sign(&map(r#"{"Type":"UnsubscribeConfirmation","MessageId":"m","TopicArn":"a","Message":"m","SubscribeURL":"u","Timestamp":"t"}"#)), None);
        assert_eq!(string_to_sign(&map(r#"{"Type":"Other","MessageId":"m","TopicArn":"a","Message":"m","Timestamp":"t"}"#)), None);
        assert_eq!(string_to_sign(&map(r#"{"Type":"Notification","MessageId":1,"TopicArn":"a","Message":"m","Timestamp":"t"}"#)), None);
    }
}
