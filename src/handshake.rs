//! Handshakes: requests a provider sends to check the URL before (and while) it delivers
//! events, answered at the edge and never handed on or remembered.
//!
//! A scheme declares at most one [`Handshake`] (a preset's `handshake` field); the code for
//! each kind is here. GET is routed only to sources whose handshake answers GET; every other
//! source answers GET with 405 as before.
//!
//! | kind | request | answer |
//! |---|---|---|
//! | `slack_url_verification` | signed POST `{"type":"url_verification","challenge":C}` | `{"challenge":C}` |
//! | `zoom_url_validation` | signed POST `{"event":"endpoint.url_validation","payload":{"plainToken":P}}` | `{"plainToken":P,"encryptedToken":hex(HMAC-SHA256(key, P))}` |
//! | `twitter_crc` | `GET ?crc_token=T` | `{"response_token":"sha256="+base64(HMAC-SHA256(key, T))}` |
//! | `meta_verify_token` | `GET ?hub.mode=subscribe&hub.verify_token=V&hub.challenge=C` | `C` (text/plain), only if V is the source's `verify_token` |
//! | `discord_ping` | signed POST `{"type":1}` | `{"type":1}` |
//! | `dropbox_challenge` | `GET ?challenge=C` | `C` (text/plain) |
//! | `okta_verification` | `GET` with `x-okta-verification-challenge: C` and the shared `Authorization` | `{"verification":C}` |
//! | `xero_intent_to_receive` | signed POST `{"events":[],...}` | 200, empty body |
//! | `worldline_endpoint_verification` | `GET` with `x-gcs-webhooks-endpoint-verification: V` | `V` (text/plain) |
//! | `mailchimp_url_validation` | `GET` with the source's shared token (in the URL's query) | 200, empty body |
//! | `adobe_sign_client_id` | `GET` (and every POST) with `x-adobesign-clientid: C` | `{"xAdobeSignClientId":C}` and the header `X-AdobeSign-ClientId: C`, only if C is a configured key; on a POST, the header on hookgate's answer |
//!
//! **Never a signing oracle.** X's CRC answer is the HMAC of the token under the key that
//! signs X's event bodies, and Zoom's `encryptedToken` the HMAC of the plain token under
//! Zoom's event key. So a token is answered only if it has the documented shape
//! ([`token_shape_ok`]: 1 to [`MAX_TOKEN_BYTES`] characters of `A-Z a-z 0-9 - _ . ~ + / =`),
//! and a POST to a source whose handshake answers with a MAC is refused (`body_not_json`)
//! unless its body starts with `{`, which no answerable token does. So no MAC handed out by
//! a handshake is ever a valid signature of a body that would be forwarded. The echo
//! handshakes (Slack, Meta, Dropbox, Okta, Worldline, Adobe Sign) compute no MAC; their echo is
//! bounded by the same shape and served as `text/plain` (or inside JSON) with
//! `X-Content-Type-Options: nosniff`. Adobe Sign's echo is the shared token itself, so it is
//! answered only when the request carried a configured key, to the one who sent it.

use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::{Key, KeyMaterial, Secret};
use crate::reason::Rejection;
use crate::schemes::common::Body;

/// Longest token or challenge a handshake echoes or MACs.
pub const MAX_TOKEN_BYTES: usize = 256;

/// X's CRC query parameter.
pub const TWITTER_CRC_QUERY: &str = "crc_token";
/// Meta's query parameters.
pub const META_MODE_QUERY: &str = "hub.mode";
/// Meta's verify token parameter.
pub const META_VERIFY_TOKEN_QUERY: &str = "hub.verify_token";
/// Meta's challenge parameter.
pub const META_CHALLENGE_QUERY: &str = "hub.challenge";
/// Dropbox's challenge parameter.
pub const DROPBOX_CHALLENGE_QUERY: &str = "challenge";
/// Okta's one-time verification header.
pub const OKTA_CHALLENGE_HEADER: &str = "x-okta-verification-challenge";
/// Worldline's endpoint verification header.
pub const WORLDLINE_VERIFICATION_HEADER: &str = "x-gcs-webhooks-endpoint-verification";
/// Adobe Sign's client id header, on its requests and echoed on hookgate's answers.
pub const ADOBE_SIGN_CLIENT_ID_HEADER: &str = "x-adobesign-clientid";

/// How a provider checks the URL. Set by a preset, or by `handshake = "..."` on a source's
/// scheme table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// Slack Events API `url_verification`.
    SlackUrlVerification,
    /// Zoom `endpoint.url_validation`.
    ZoomUrlValidation,
    /// X (Twitter) Account Activity challenge-response check.
    TwitterCrc,
    /// Meta (Facebook, Instagram, WhatsApp) Graph API webhook verification.
    MetaVerifyToken,
    /// Discord interactions `PING`.
    DiscordPing,
    /// Dropbox's verification request.
    DropboxChallenge,
    /// Okta event hooks' one-time verification.
    OktaVerification,
    /// Xero's intent to receive.
    XeroIntentToReceive,
    /// Worldline's endpoint verification.
    WorldlineEndpointVerification,
    /// Mailchimp's check that the URL answers.
    MailchimpUrlValidation,
    /// Adobe Sign's verification of intent (and its echo on every notification).
    AdobeSignClientId,
}

impl crate::json_read::FromJson for Handshake {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        // Read by the names they log under.
        crate::json_read::variant(value, path, &Self::ALL.map(|h| (h.name(), h)))
    }
}

impl Handshake {
    /// Every handshake.
    pub const ALL: [Self; 11] = [
        Self::SlackUrlVerification,
        Self::ZoomUrlValidation,
        Self::TwitterCrc,
        Self::MetaVerifyToken,
        Self::DiscordPing,
        Self::DropboxChallenge,
        Self::OktaVerification,
        Self::XeroIntentToReceive,
        Self::WorldlineEndpointVerification,
        Self::MailchimpUrlValidation,
        Self::AdobeSignClientId,
    ];

    /// The name used in configuration and log lines.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::SlackUrlVerification => "slack_url_verification",
            Self::ZoomUrlValidation => "zoom_url_validation",
            Self::TwitterCrc => "twitter_crc",
            Self::MetaVerifyToken => "meta_verify_token",
            Self::DiscordPing => "discord_ping",
            Self::DropboxChallenge => "dropbox_challenge",
            Self::OktaVerification => "okta_verification",
            Self::XeroIntentToReceive => "xero_intent_to_receive",
            Self::WorldlineEndpointVerification => "worldline_endpoint_verification",
            Self::MailchimpUrlValidation => "mailchimp_url_validation",
            Self::AdobeSignClientId => "adobe_sign_client_id",
        }
    }

    /// Whether the handshake arrives as a GET (the source then answers GET).
    #[must_use]
    pub fn answers_get(self) -> bool {
        matches!(
            self,
            Self::TwitterCrc
                | Self::MetaVerifyToken
                | Self::DropboxChallenge
                | Self::OktaVerification
                | Self::WorldlineEndpointVerification
                | Self::MailchimpUrlValidation
                | Self::AdobeSignClientId
        )
    }

    /// Whether the answer is a MAC under the source's event key: then a POST body must be a
    /// JSON object, which no answerable token is (see the module docs).
    #[must_use]
    pub fn answers_with_mac(self) -> bool {
        matches!(self, Self::TwitterCrc | Self::ZoomUrlValidation)
    }

    /// Whether the GET must first pass the source's own scheme (a shared credential: Okta's,
    /// Mailchimp's, Adobe Sign's).
    #[must_use]
    pub fn authenticates_get(self) -> bool {
        matches!(self, Self::OktaVerification | Self::MailchimpUrlValidation | Self::AdobeSignClientId)
    }

    /// Whether the kind needs a shared-credential scheme (its preset): a signed scheme's keys
    /// are MAC secrets, never to be compared with or echoed as a token.
    #[must_use]
    pub fn needs_token_scheme(self) -> bool {
        self.authenticates_get()
    }

    /// The header hookgate's answer to an authentic request carries, if the kind asks for one:
    /// Adobe Sign's client id, only when it equals a usable key (compared in constant time
    /// whatever the scheme's credential is) and has the token shape.
    #[must_use]
    pub fn echo_header(self, req: &Inbound<'_>, keys: &[&Key]) -> Option<(&'static str, String)> {
        if self != Self::AdobeSignClientId {
            return None;
        }
        let presented = req.header(ADOBE_SIGN_CLIENT_ID_HEADER)?.trim();
        let mut matched = false;
        for key in keys {
            if let KeyMaterial::Secret(secret) = &key.material {
                matched |= crate::crypto::ct_eq_hashed(secret.expose(), presented.as_bytes());
            }
        }
        (matched && token_shape_ok(presented)).then(|| (ADOBE_SIGN_CLIENT_ID_HEADER, presented.to_string()))
    }

    /// Whether the source needs a `verify_token` (Meta).
    #[must_use]
    pub fn needs_verify_token(self) -> bool {
        self == Self::MetaVerifyToken
    }

    /// Answers a GET handshake. The source's scheme has already passed it when
    /// [`Self::authenticates_get`].
    ///
    /// # Errors
    /// `challenge_missing`, `challenge_malformed`, `credentials_missing`,
    /// `credentials_mismatch` (Meta's verify token), `method_not_allowed` for a kind that
    /// does not answer GET.
    pub fn answer_get(self, req: &Inbound<'_>, keys: &[&Key], verify_token: Option<&Secret>, crypto: &dyn Crypto) -> Result<Reply, Rejection> {
        let reply = self.answer_get_body(req, keys, verify_token, crypto)?;
        Ok(Reply { header: self.echo_header(req, keys), ..reply })
    }

    fn answer_get_body(self, req: &Inbound<'_>, keys: &[&Key], verify_token: Option<&Secret>, crypto: &dyn Crypto) -> Result<Reply, Rejection> {
        match self {
            Self::TwitterCrc => {
                let token = shaped(req.query_param(TWITTER_CRC_QUERY))?;
                let key = first_secret(keys).ok_or(Rejection::SignatureMismatch)?;
                let mac = crypto.hmac(Algorithm::HmacSha256, key.expose(), &[token.as_bytes()]);
                let b64 = crate::schemes::common::Encoding::Base64.encode(&mac);
                Ok(Reply::json(&crate::json::json!({ "response_token": format!("sha256={b64}") })))
            }
            Self::MetaVerifyToken => {
                match req.query_param(META_MODE_QUERY).as_deref() {
                    None => return Err(Rejection::ChallengeMissing),
                    Some("subscribe") => {}
                    Some(_) => return Err(Rejection::ChallengeMalformed),
                }
                let presented = req.query_param(META_VERIFY_TOKEN_QUERY).filter(|t| !t.is_empty()).ok_or(Rejection::CredentialsMissing)?;
                let expected = verify_token.ok_or(Rejection::CredentialsMismatch)?;
                if !crate::crypto::ct_eq_hashed(expected.expose(), presented.as_bytes()) {
                    return Err(Rejection::CredentialsMismatch);
                }
                Ok(Reply::text(shaped(req.query_param(META_CHALLENGE_QUERY))?))
            }
            Self::DropboxChallenge => Ok(Reply::text(shaped(req.query_param(DROPBOX_CHALLENGE_QUERY))?)),
            Self::OktaVerification => {
                let challenge = shaped(req.header(OKTA_CHALLENGE_HEADER).map(str::to_string))?;
                Ok(Reply::json(&crate::json::json!({ "verification": challenge })))
            }
            Self::WorldlineEndpointVerification => Ok(Reply::text(shaped(req.header(WORLDLINE_VERIFICATION_HEADER).map(str::to_string))?)),
            Self::MailchimpUrlValidation => Ok(Reply::empty()),
            Self::AdobeSignClientId => {
                let (_, id) = self.echo_header(req, keys).ok_or(Rejection::CredentialsMismatch)?;
                Ok(Reply::json(&crate::json::json!({ "xAdobeSignClientId": id })))
            }
            Self::SlackUrlVerification | Self::ZoomUrlValidation | Self::DiscordPing | Self::XeroIntentToReceive => {
                Err(Rejection::MethodNotAllowed)
            }
        }
    }

    /// Looks at an authentic POST (its signature and timestamp verified with `key`):
    /// `Ok(Some(reply))` when it is this kind's handshake, `Ok(None)` for an event.
    ///
    /// # Errors
    /// `body_not_json` for a body that is not a JSON object on a source whose handshake
    /// answers with a MAC; `challenge_missing` / `challenge_malformed` for a Zoom validation
    /// without a usable plain token.
    pub(crate) fn answer_post(self, body: &mut Body<'_>, key: &Key) -> Result<Option<Reply>, Rejection> {
        if self.answers_with_mac() && body.raw().iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Rejection::BodyNotJson);
        }
        match self {
            Self::SlackUrlVerification => Ok(match body.pointer("/type") {
                Ok(Some(t)) if t == "url_verification" => {
                    body.pointer("/challenge").ok().flatten().map(|c| Reply::json(&crate::json::json!({ "challenge": c })))
                }
                _ => None,
            }),
            Self::ZoomUrlValidation => match body.pointer("/event") {
                Ok(Some(e)) if e == "endpoint.url_validation" => {
                    let plain = shaped(body.pointer("/payload/plainToken").ok().flatten())?;
                    let KeyMaterial::Secret(secret) = &key.material else { return Err(Rejection::SignatureMismatch) };
                    // Computed here rather than through the request's `Crypto`: a few bytes,
                    // and the same answer on both passes of the large-body path.
                    let mac = crate::crypto::CoreCrypto.hmac(Algorithm::HmacSha256, secret.expose(), &[plain.as_bytes()]);
                    Ok(Some(Reply::json(&crate::json::json!({ "plainToken": plain, "encryptedToken": crate::hex::encode(mac) }))))
                }
                _ => Ok(None),
            },
            Self::DiscordPing => Ok(match body.pointer("/type") {
                Ok(Some(t)) if t == "1" => Some(Reply::json(&crate::json::json!({ "type": 1 }))),
                _ => None,
            }),
            Self::XeroIntentToReceive => Ok(match body.value("/events") {
                Ok(Some(crate::json::Value::Array(events))) if events.is_empty() => Some(Reply::empty()),
                _ => None,
            }),
            Self::TwitterCrc
            | Self::MetaVerifyToken
            | Self::DropboxChallenge
            | Self::OktaVerification
            | Self::WorldlineEndpointVerification
            | Self::MailchimpUrlValidation
            | Self::AdobeSignClientId => Ok(None),
        }
    }
}

/// What a handshake is answered with: always status 200 and `X-Content-Type-Options: nosniff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// `application/json`, `text/plain`, or none for an empty body.
    pub content_type: Option<&'static str>,
    /// The body, exactly.
    pub body: String,
    /// A header the answer carries (Adobe Sign's client id).
    pub header: Option<(&'static str, String)>,
}

impl Reply {
    fn json(value: &crate::json::Value) -> Self {
        Self { content_type: Some("application/json"), body: value.text(), header: None }
    }

    fn text(text: String) -> Self {
        Self { content_type: Some("text/plain"), body: text, header: None }
    }

    fn empty() -> Self {
        Self { content_type: None, body: String::new(), header: None }
    }
}

/// Whether a token or challenge has the shape handshakes answer: 1 to [`MAX_TOKEN_BYTES`]
/// characters of `A-Z a-z 0-9 - _ . ~ + / =`. No such token starts with `{` or holds `:`,
/// `<`, `>`, quotes or spaces, so it is neither a JSON body nor markup.
#[must_use]
pub fn token_shape_ok(token: &str) -> bool {
    (1..=MAX_TOKEN_BYTES).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~+/=".contains(&b))
}

fn shaped(token: Option<String>) -> Result<String, Rejection> {
    let token = token.filter(|t| !t.is_empty()).ok_or(Rejection::ChallengeMissing)?;
    if token_shape_ok(&token) {
        Ok(token)
    } else {
        Err(Rejection::ChallengeMalformed)
    }
}

/// The first usable shared secret, the one a MAC answer is computed with.
fn first_secret<'k>(keys: &[&'k Key]) -> Option<&'k Secret> {
    keys.iter().find_map(|k| match &k.material {
        KeyMaterial::Secret(s) => Some(s),
        KeyMaterial::Ed25519(_) | KeyMaterial::EcdsaP256(_) | KeyMaterial::Rsa(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_handshake_is_configured_by_the_name_it_logs_under() {
        use crate::json_read::FromJson;
        for h in Handshake::ALL {
            assert_eq!(Handshake::from_json(&crate::json::Value::from(h.name()), "handshake"), Ok(h));
        }
        let names: std::collections::BTreeSet<&str> = Handshake::ALL.iter().map(|h| h.name()).collect();
        assert_eq!(names.len(), Handshake::ALL.len());
    }

    fn get(url: &str, headers: &[(String, String)]) -> Result<Reply, Rejection> {
        let req = Inbound { method: "GET", url, headers, body: b"", client_ip: None };
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(b"consumer-secret".to_vec())), not_after_secs: None };
        let token = Secret::new(b"verify-me".to_vec());
        let kind = match url.split('/').nth(4).and_then(|s| s.split('?').next()) {
            Some("x") => Handshake::TwitterCrc,
            Some("meta") => Handshake::MetaVerifyToken,
            Some("dropbox") => Handshake::DropboxChallenge,
            _ => Handshake::OktaVerification,
        };
        kind.answer_get(&req, &[&key], Some(&token), &crate::crypto::CoreCrypto)
    }

    #[test]
    fn answers_the_twitter_crc_with_the_documented_hmac() {
        let reply = get("https://h/hooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553", &[]).unwrap();
        let mac = crate::crypto::CoreCrypto.hmac(Algorithm::HmacSha256, b"consumer-secret", &[b"9b4507b3-9040-4669-9ca3-6b94edb50553"]);
        let expected = format!("{{\"response_token\":\"sha256={}\"}}", crate::schemes::common::Encoding::Base64.encode(&mac));
        assert_eq!(reply, Reply { content_type: Some("application/json"), body: expected, header: None });
    }

    #[test]
    fn refuses_a_crc_token_that_could_be_a_body() {
        for bad in ["%7B%22id%22%3A1%7D", "a%20b", "a:b", "%3Cscript%3E"] {
            assert_eq!(get(&format!("https://h/hooks/x?crc_token={bad}"), &[]), Err(Rejection::ChallengeMalformed), "{bad}");
        }
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(get(&format!("https://h/hooks/x?crc_token={long}"), &[]), Err(Rejection::ChallengeMalformed));
        assert!(get(&format!("https://h/hooks/x?crc_token={}", "a".repeat(MAX_TOKEN_BYTES)), &[]).is_ok());
        assert_eq!(get("https://h/hooks/x", &[]), Err(Rejection::ChallengeMissing));
        assert_eq!(get("https://h/hooks/x?crc_token=", &[]), Err(Rejection::ChallengeMissing));
    }

    #[test]
    fn meta_echoes_the_challenge_only_with_the_verify_token() {
        let ok = get("https://h/hooks/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", &[]);
        assert_eq!(ok, Ok(Reply { content_type: Some("text/plain"), body: "1158201444".into(), header: None }));
        assert_eq!(get("https://h/hooks/meta?hub.mode=subscribe&hub.verify_token=verify-mf&hub.challenge=1", &[]), Err(Rejection::CredentialsMismatch));
        assert_eq!(get("https://h/hooks/meta?hub.mode=subscribe&hub.challenge=1", &[]), Err(Rejection::CredentialsMissing));
        assert_eq!(get("https://h/hooks/meta?hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1", &[]), Err(Rejection::ChallengeMalformed));
        assert_eq!(get("https://h/hooks/meta?hub.verify_token=verify-me&hub.challenge=1", &[]), Err(Rejection::ChallengeMissing));
        assert_eq!(get("https://h/hooks/meta?hub.mode=subscribe&hub.verify_token=verify-me", &[]), Err(Rejection::ChallengeMissing));
        assert_eq!(get("https://h/hooks/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=%3Cb%3E", &[]), Err(Rejection::ChallengeMalformed));
    }

    #[test]
    fn dropbox_and_okta_echo_a_bounded_challenge() {
        assert_eq!(get("https://h/hooks/dropbox?challenge=abc123", &[]), Ok(Reply { content_type: Some("text/plain"), body: "abc123".into(), header: None }));
        assert_eq!(get("https://h/hooks/dropbox?challenge=%3Cscript%3E", &[]), Err(Rejection::ChallengeMalformed));
        assert_eq!(get("https://h/hooks/dropbox", &[]), Err(Rejection::ChallengeMissing));
        let h = vec![(OKTA_CHALLENGE_HEADER.to_string(), "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg".to_string())];
        assert_eq!(
            get("https://h/hooks/okta", &h),
            Ok(Reply { content_type: Some("application/json"), body: r#"{"verification":"Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"}"#.into(), header: None })
        );
        assert_eq!(get("https://h/hooks/okta", &[]), Err(Rejection::ChallengeMissing));
    }

    #[test]
    fn worldline_mailchimp_and_adobe_sign_answer_only_their_documented_shapes() {
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(b"CBJCHBCAABAA".to_vec())), not_after_secs: None };
        let ask = |kind: Handshake, headers: &[(&str, &str)]| {
            let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
            let req = Inbound { method: "GET", url: "https://h/hooks/s", headers: &headers, body: b"", client_ip: None };
            kind.answer_get(&req, &[&key], None, &crate::crypto::CoreCrypto)
        };
        let wl = Handshake::WorldlineEndpointVerification;
        assert_eq!(ask(wl, &[(WORLDLINE_VERIFICATION_HEADER, "c2RmZ2hqa2w=")]), Ok(Reply { content_type: Some("text/plain"), body: "c2RmZ2hqa2w=".into(), header: None }));
        assert_eq!(ask(wl, &[]), Err(Rejection::ChallengeMissing));
        assert_eq!(ask(wl, &[(WORLDLINE_VERIFICATION_HEADER, "<b>x</b>")]), Err(Rejection::ChallengeMalformed));
        assert_eq!(ask(wl, &[(WORLDLINE_VERIFICATION_HEADER, "{\"id\":1}")]), Err(Rejection::ChallengeMalformed));
        assert_eq!(ask(Handshake::MailchimpUrlValidation, &[]), Ok(Reply { content_type: None, body: String::new(), header: None }));
        // Adobe Sign: the client id, echoed only when it is a configured key.
        let adobe = Handshake::AdobeSignClientId;
        let echoed = Some((ADOBE_SIGN_CLIENT_ID_HEADER, "CBJCHBCAABAA".to_string()));
        assert_eq!(ask(adobe, &[(ADOBE_SIGN_CLIENT_ID_HEADER, "CBJCHBCAABAA")]), Ok(Reply { content_type: Some("application/json"), body: r#"{"xAdobeSignClientId":"CBJCHBCAABAA"}"#.into(), header: echoed.clone() }));
        assert_eq!(ask(adobe, &[(ADOBE_SIGN_CLIENT_ID_HEADER, "CBJCHBCAABAB")]), Err(Rejection::CredentialsMismatch));
        assert_eq!(ask(adobe, &[]), Err(Rejection::CredentialsMismatch));
        let post = |headers: &[(String, String)]| {
            let req = Inbound { method: "POST", url: "https://h/hooks/s", headers, body: b"{}", client_ip: None };
            adobe.echo_header(&req, &[&key])
        };
        assert_eq!(post(&[(ADOBE_SIGN_CLIENT_ID_HEADER.into(), "CBJCHBCAABAA".into())]), echoed);
        assert_eq!(post(&[(ADOBE_SIGN_CLIENT_ID_HEADER.into(), "other".into())]), None);
        assert_eq!(post(&[]), None);
        // No other kind echoes a header, whatever the request carries.
        let req = Inbound { method: "POST", url: "https://h/hooks/s", headers: &[(ADOBE_SIGN_CLIENT_ID_HEADER.into(), "CBJCHBCAABAA".into())], body: b"{}", client_ip: None };
        assert_eq!(Handshake::MailchimpUrlValidation.echo_header(&req, &[&key]), None);
        assert!(Handshake::MailchimpUrlValidation.needs_token_scheme() && Handshake::AdobeSignClientId.needs_token_scheme() && !wl.needs_token_scheme());
    }

    fn post(kind: Handshake, body: &str) -> Result<Option<Reply>, Rejection> {
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(b"zoom-secret".to_vec())), not_after_secs: None };
        kind.answer_post(&mut Body::new(body.as_bytes()), &key)
    }

    #[test]
    fn answers_zoom_slack_discord_and_xero_posts_and_passes_events_on() {
        let zoom = post(Handshake::ZoomUrlValidation, r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1,"event":"endpoint.url_validation"}"#).unwrap().unwrap();
        let mac = crate::hex::encode(crate::crypto::CoreCrypto.hmac(Algorithm::HmacSha256, b"zoom-secret", &[b"qgg8vlvZRS6UYooatFL8Aw"]));
        assert_eq!(zoom.body, format!(r#"{{"encryptedToken":"{mac}","plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}"#));
        assert_eq!(post(Handshake::ZoomUrlValidation, r#"{"event":"meeting.started","payload":{}}"#), Ok(None));
        assert_eq!(post(Handshake::ZoomUrlValidation, r#"{"event":"endpoint.url_validation","payload":{}}"#), Err(Rejection::ChallengeMissing));
        assert_eq!(post(Handshake::ZoomUrlValidation, r#"{"event":"endpoint.url_validation","payload":{"plainToken":"v0:1:{}"}}"#), Err(Rejection::ChallengeMalformed));
        assert_eq!(post(Handshake::SlackUrlVerification, r#"{"type":"url_verification","challenge":"abc"}"#).unwrap().unwrap().body, r#"{"challenge":"abc"}"#);
        assert_eq!(post(Handshake::SlackUrlVerification, "command=/x&text=1"), Ok(None));
        assert_eq!(post(Handshake::DiscordPing, r#"{"type":1,"id":"1"}"#).unwrap().unwrap().body, r#"{"type":1}"#);
        assert_eq!(post(Handshake::DiscordPing, r#"{"type":2,"id":"1"}"#), Ok(None));
        assert_eq!(post(Handshake::XeroIntentToReceive, r#"{"events":[],"lastEventSequence":0,"firstEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#), Ok(Some(Reply { content_type: None, body: String::new(), header: None })));
        assert_eq!(post(Handshake::XeroIntentToReceive, r#"{"events":[{"resourceId":"r"}]}"#), Ok(None));
    }

    #[test]
    fn a_mac_answering_source_takes_only_json_object_bodies() {
        // A body an attacker could have had signed through a CRC answer is never forwarded.
        assert_eq!(post(Handshake::TwitterCrc, "9b4507b3-9040-4669-9ca3-6b94edb50553"), Err(Rejection::BodyNotJson));
        assert_eq!(post(Handshake::TwitterCrc, "[1]"), Err(Rejection::BodyNotJson));
        assert_eq!(post(Handshake::TwitterCrc, " \n{\"for_user_id\":\"1\"}"), Ok(None));
        assert_eq!(post(Handshake::ZoomUrlValidation, "qgg8vlvZRS6UYooatFL8Aw"), Err(Rejection::BodyNotJson));
        assert_eq!(post(Handshake::DropboxChallenge, "abc"), Ok(None));
        for c in (0u8..=127).map(char::from) {
            if token_shape_ok(&c.to_string()) {
                assert!(c != '{' && !c.is_ascii_whitespace() && c != ':' && c != '"', "{c:?}");
            }
        }
    }
}
