//! Configuration: the `HOOKGATE` variable (a table in `wrangler.toml`, or a JSON string)
//! plus secrets referenced by binding name. Parsed and validated once, at load; errors
//! name the field path (`sources.stripe.secrets[1].env`) and never a value.

use crate::sorted_map::SortedMap;
use std::net::IpAddr;
use crate::json::Value;

use crate::json_read::{self, FromJson, Obj};

use crate::keys::{Key, KeyMaterial, Secret};
use crate::log::{EventLines, LogSettings, RejectionLines};
use crate::schemes::{self, common::TimeFormat, SchemeConfig, SecretEncoding};

/// The Worker variable holding hookgate's configuration.
pub const CONFIG_VAR: &str = "HOOKGATE";
/// Cloudflare Queues refuse messages over 128 KB; the body plus hookgate's envelope must fit.
pub const QUEUE_MAX_BODY_BYTES: u64 = 120 * 1024;
/// Largest body a source can allow: the body is held about three times over (JS chunks,
/// their join, the wasm copy) in an isolate of 128 MB.
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// Default body limit for origin destinations.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1024 * 1024;
/// Workers KV refuses TTLs under 60 s.
pub const KV_MIN_TTL_SECS: u64 = 60;
/// Default dedupe window of a source whose signature covers a timestamp: 3 days, longer
/// than the retry span of the providers we know (past the tolerance, a replay is refused
/// as too old anyway).
pub const DEFAULT_DEDUPE_WINDOW_SECS: u64 = 3 * 24 * 3600;
/// Default dedupe window of a source without a signed timestamp: dedupe is then all that
/// stops a captured request, so it is remembered for 30 days.
pub const DEFAULT_REPLAY_WINDOW_SECS: u64 = 30 * 24 * 3600;
/// Added to twice the tolerance: a timestamp is accepted up to `tolerance` early or late,
/// so one captured delivery is usable for `2 × tolerance`, plus clock skew.
pub const REPLAY_MARGIN_SECS: u64 = 60;
/// Longest dedupe window: 10 years, far inside what KV TTLs and millisecond expiries hold.
pub const MAX_DEDUPE_WINDOW_SECS: u64 = 10 * 365 * 24 * 3600;
/// Shortest dedupe window (KV's minimum TTL; the same for strict mode, for one rule).
pub const MIN_DEDUPE_WINDOW_SECS: u64 = KV_MIN_TTL_SECS;
/// Default number of strict-mode objects per source (see `dedupe::shard`).
pub const DEFAULT_DEDUPE_SHARDS: u32 = 16;
/// Most strict-mode objects per source.
pub const MAX_DEDUPE_SHARDS: u32 = 1024;
// Two messages state these limits as literals (no formatting code for a constant).
const _: () = assert!(MAX_DEDUPE_WINDOW_SECS == 315_360_000 && MAX_DEDUPE_SHARDS == 1024);
/// Default Durable Object namespace binding for `dedupe.mode = "strict"`.
pub const DEFAULT_DEDUPE_OBJECT_BINDING: &str = "HOOKGATE_DEDUPE";
/// Default origin timeout, well inside every provider's own limit (BindPilot's is 30 s).
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Default KV namespace binding.
pub const DEFAULT_KV_BINDING: &str = "HOOKGATE_KV";
/// Default dead-letter queue: its messages are parked in KV, not delivered again.
pub const DEFAULT_DEAD_LETTER_QUEUE: &str = "hookgate-dlq";
/// Default first retry delay of the queue consumer; it doubles per attempt.
pub const DEFAULT_RETRY_BASE_SECS: u64 = 30;
/// Default longest retry delay of the queue consumer.
pub const DEFAULT_RETRY_MAX_SECS: u64 = 3600;
/// Cloudflare Queues delay a message by at most 12 hours.
pub const QUEUE_MAX_DELAY_SECS: u64 = 12 * 3600;

/// A configuration that cannot be used. Never contains a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The configuration text is not valid JSON / TOML of the expected shape.
    Syntax {
        /// Path of the offending field, as far as the parser knows it.
        path: String,
        /// What the parser expected.
        message: String,
    },
    /// A field has an unusable value.
    Invalid {
        /// Path of the offending field.
        path: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A secret binding named by the configuration is not set.
    MissingSecret {
        /// Path of the field naming it.
        path: String,
        /// The binding name (not its value).
        binding: String,
    },
}

impl ConfigError {
    /// An invalid field.
    #[must_use]
    pub fn invalid(path: &str, message: &str) -> Self {
        Self::Invalid { path: path.to_string(), message: message.to_string() }
    }

    /// An invalid field `name` of the table at `base`: `Invalid` at `base.name`, without
    /// a `format!` at each of the many checks that name one.
    #[must_use]
    #[inline(never)]
    pub fn invalid_at(base: &str, name: &str, message: &str) -> Self {
        Self::Invalid { path: sub(base, name), message: message.to_string() }
    }
}

/// `base.name[i]`, the path of a list's item, in one place for the same reason as [`sub`].
#[must_use]
#[inline(never)]
pub fn item(base: &str, name: &str, i: usize) -> String {
    format!("{base}.{name}[{i}]")
}

/// `base.name`, the path of a field of the table at `base`: one shared join instead of a
/// `format!` per field.
#[must_use]
#[inline(never)]
pub fn sub(base: &str, name: &str) -> String {
    let mut path = String::with_capacity(base.len() + 1 + name.len());
    path.push_str(base);
    path.push('.');
    path.push_str(name);
    path
}

impl ConfigError {
    /// The field the problem is about.
    #[must_use]
    pub fn path(&self) -> &str {
        match self {
            Self::Syntax { path, .. } | Self::Invalid { path, .. } | Self::MissingSecret { path, .. } => path,
        }
    }

    /// What is wrong and what to do, without the path.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::Syntax { message, .. } | Self::Invalid { message, .. } => message.clone(),
            Self::MissingSecret { binding, .. } => format!(
                "secret `{binding}` is not set (locally: add it to .dev.vars; deployed: `wrangler secret put {binding}`)"
            ),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path(), self.message())
    }
}

/// The `HOOKGATE` variable as written. Each `*File` type reads itself with
/// [`FromJson`] (see [`crate::json_read`]), field by field, as `deny_unknown_fields` did.
#[derive(Debug)]
struct ConfigFile {
    sources: SortedMap<String, SourceFile>,
    kv_binding: Option<String>,
    dedupe_object: Option<String>,
    queue: QueueFile,
    log: LogFile,
}

impl FromJson for ConfigFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct ConfigFile", &["sources", "kv_binding", "dedupe_object", "queue", "log"])?;
        let read = Self {
            sources: o.req("sources"),
            kv_binding: o.opt("kv_binding"),
            dedupe_object: o.opt("dedupe_object"),
            queue: o.or_default("queue"),
            log: o.or_default("log"),
        };
        o.done(read)
    }
}

#[derive(Debug, Default)]
struct LogFile {
    events: Option<EventLines>,
    rejections: Option<RejectionLines>,
    rejections_per_window: Option<u32>,
    window_secs: Option<u64>,
}

impl FromJson for LogFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct LogFile", &["events", "rejections", "rejections_per_window", "window_secs"])?;
        let read = Self {
            events: o.opt("events"),
            rejections: o.opt("rejections"),
            rejections_per_window: o.opt("rejections_per_window"),
            window_secs: o.opt("window_secs"),
        };
        o.done(read)
    }
}

/// Most rejections a window that `log.rejections_per_window` may log in full per isolate.
pub const MAX_REJECTIONS_PER_WINDOW: u32 = 10_000;
/// Longest log sampling window: an hour.
pub const MAX_LOG_WINDOW_SECS: u64 = 3600;

#[derive(Debug, Default)]
struct QueueFile {
    dead_letter_queue: Option<String>,
    retry_base_secs: Option<u64>,
    retry_max_secs: Option<u64>,
}

impl FromJson for QueueFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct QueueFile", &["dead_letter_queue", "retry_base_secs", "retry_max_secs"])?;
        let read = Self {
            dead_letter_queue: o.opt("dead_letter_queue"),
            retry_base_secs: o.opt("retry_base_secs"),
            retry_max_secs: o.opt("retry_max_secs"),
        };
        o.done(read)
    }
}

#[derive(Debug, Default)]
struct SourceFile {
    scheme: SchemeConfig,
    secrets: Vec<SecretRef>,
    tolerance_secs: Option<u64>,
    max_body_bytes: Option<u64>,
    allow_ips: Vec<String>,
    dedupe: DedupeFile,
    destination: DestinationFile,
    verify_token: Option<String>,
    mode: SourceMode,
    filter: Option<FilterFile>,
    rate_limit: Option<RateLimitFile>,
    archive: Option<ArchiveFile>,
}

impl FromJson for SourceFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        const FIELDS: &[&str] = &[
            "scheme", "secrets", "tolerance_secs", "max_body_bytes", "allow_ips", "dedupe", "destination", "verify_token", "mode", "filter", "rate_limit", "archive",
        ];
        let mut o = Obj::new(value, path, "struct SourceFile", FIELDS)?;
        let read = Self {
            scheme: o.req("scheme"),
            secrets: o.or_default("secrets"),
            tolerance_secs: o.opt("tolerance_secs"),
            max_body_bytes: o.opt("max_body_bytes"),
            allow_ips: o.or_default("allow_ips"),
            dedupe: o.or_default("dedupe"),
            destination: o.req("destination"),
            verify_token: o.opt("verify_token"),
            mode: o.or_default("mode"),
            filter: o.opt("filter"),
            rate_limit: o.opt("rate_limit"),
            archive: o.opt("archive"),
        };
        o.done(read)
    }
}

/// `archive`: an R2 copy of each event handed on, for replays.
#[derive(Debug, Default)]
struct ArchiveFile {
    r2: String,
    retention_days: u64,
}

impl FromJson for ArchiveFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct ArchiveFile", &["r2", "retention_days"])?;
        let read = Self { r2: o.req("r2"), retention_days: o.req("retention_days") };
        o.done(read)
    }
}

/// `rate_limit`: authentic requests per period, counted by a Rate Limiting binding.
#[derive(Debug, Default)]
struct RateLimitFile {
    binding: String,
    requests: u64,
    period_secs: u64,
}

impl FromJson for RateLimitFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct RateLimitFile", &["binding", "requests", "period_secs"])?;
        let read = Self { binding: o.req("binding"), requests: o.req("requests"), period_secs: o.req("period_secs") };
        o.done(read)
    }
}

/// `filter`: which authentic events are handed on, by the provider's event type.
#[derive(Debug, Default)]
struct FilterFile {
    events: Vec<String>,
    when_absent: crate::filter::WhenAbsent,
}

impl FromJson for FilterFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct FilterFile", &["events", "when_absent"])?;
        let read = Self { events: o.req("events"), when_absent: o.or_default("when_absent") };
        o.done(read)
    }
}

/// A secret by reference: its value lives in a Worker secret named `env`.
#[derive(Debug, Default)]
struct SecretRef {
    label: String,
    env: String,
    not_after: Option<NotAfter>,
}

impl FromJson for SecretRef {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct SecretRef", &["label", "env", "not_after"])?;
        let read = Self { label: o.req("label"), env: o.req("env"), not_after: o.opt("not_after") };
        o.done(read)
    }
}

/// End of a key's validity: RFC 3339 text or unix seconds.
#[derive(Debug)]
enum NotAfter {
    Unix(u64),
    Text(String),
}

impl FromJson for NotAfter {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match value {
            Value::String(s) => Ok(Self::Text(s.clone())),
            _ => match value.as_u64() {
                Some(n) => Ok(Self::Unix(n)),
                None => Err(json_read::shape_error(path, "data did not match any variant of untagged enum NotAfter".into())),
            },
        }
    }
}

#[derive(Debug, Default)]
struct DedupeFile {
    mode: Option<DedupeMode>,
    window_secs: Option<u64>,
    shards: Option<u32>,
}

impl FromJson for DedupeFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct DedupeFile", &["mode", "window_secs", "shards"])?;
        let read = Self { mode: o.opt("mode"), window_secs: o.opt("window_secs"), shards: o.opt("shards") };
        o.done(read)
    }
}

#[derive(Debug, Default)]
struct DestinationFile {
    origin: Option<String>,
    queue: Option<String>,
    timeout_ms: Option<u64>,
    pass_headers: Vec<String>,
    signing_secret: Option<String>,
    on_origin_4xx: Option<On4xx>,
    r2: Option<String>,
    pacing: Option<PacingFile>,
    reply: Option<Reply>,
}

impl FromJson for DestinationFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        const FIELDS: &[&str] = &["origin", "queue", "timeout_ms", "pass_headers", "signing_secret", "on_origin_4xx", "r2", "pacing", "reply"];
        let mut o = Obj::new(value, path, "struct DestinationFile", FIELDS)?;
        let read = Self {
            origin: o.opt("origin"),
            queue: o.opt("queue"),
            timeout_ms: o.opt("timeout_ms"),
            pass_headers: o.or_default("pass_headers"),
            signing_secret: o.opt("signing_secret"),
            on_origin_4xx: o.opt("on_origin_4xx"),
            r2: o.opt("r2"),
            pacing: o.opt("pacing"),
            reply: o.opt("reply"),
        };
        o.done(read)
    }
}

/// `destination.pacing`: how fast the queue consumer delivers to the origin.
#[derive(Debug, Default)]
struct PacingFile {
    max_per_minute: u64,
    concurrency: Option<u32>,
}

impl FromJson for PacingFile {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct PacingFile", &["max_per_minute", "concurrency"])?;
        let read = Self { max_per_minute: o.req("max_per_minute"), concurrency: o.opt("concurrency") };
        o.done(read)
    }
}

/// How duplicates are caught.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DedupeMode {
    /// Remember handed-on ids in Workers KV (eventually consistent).
    Kv,
    /// A Durable Object owns each id: claim, hand off, commit or release, atomically.
    Strict,
    /// No dedupe: every authentic delivery is handed on.
    Off,
}

/// Whether a source's verdicts are applied (`enforce`, the default) or only reported
/// (`shadow`: every forwardable request reaches the origin, with `X-Hookgate-Verdict`).
/// See [`crate::shadow`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceMode {
    /// Refused requests are answered 4xx and never forwarded.
    #[default]
    Enforce,
    /// Verify and log the verdict, but forward every request that can be forwarded.
    Shadow,
}

/// What an origin's 4xx means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum On4xx {
    /// Not handed on: answer 502 so the provider retries (nothing is lost).
    #[default]
    Retry,
    /// The origin has decided: answer 200 and remember the id.
    Accept,
}

/// What the provider is answered once the origin took an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Reply {
    /// hookgate's own `{"status":"accepted"}`.
    #[default]
    Hookgate,
    /// The origin's status, `Content-Type` and body (at most [`MAX_REPLY_BYTES`]): for
    /// providers that act on the answer (Discord interactions, Slack slash commands).
    Origin,
}

impl FromJson for DedupeMode {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("kv", Self::Kv), ("strict", Self::Strict), ("off", Self::Off)])
    }
}

impl FromJson for SourceMode {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("enforce", Self::Enforce), ("shadow", Self::Shadow)])
    }
}

impl FromJson for On4xx {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("retry", Self::Retry), ("accept", Self::Accept)])
    }
}

impl FromJson for Reply {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("hookgate", Self::Hookgate), ("origin", Self::Origin)])
    }
}

/// Largest origin body relayed as the answer (`reply = "origin"`).
pub const MAX_REPLY_BYTES: usize = 64 * 1024;

/// Dedupe settings of a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dedupe {
    /// How.
    pub mode: DedupeMode,
    /// How long an id is remembered (KV TTL, or the Durable Object's expiry).
    pub window_secs: u64,
    /// Strict mode: how many objects share the source's ids.
    pub shards: u32,
}

/// The shortest dedupe window that stops every replay inside the timestamp tolerance:
/// a timestamp passes from `tolerance` before now to `tolerance` after it.
#[must_use]
pub fn min_replay_window_secs(tolerance_secs: u64) -> u64 {
    tolerance_secs.saturating_mul(2).saturating_add(REPLAY_MARGIN_SECS).max(MIN_DEDUPE_WINDOW_SECS)
}

/// Where accepted events go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// POST target: directly, or from the queue consumer when `queue` is set.
    pub origin: Option<String>,
    /// Queue producer binding: enqueue instead of calling the origin inline.
    pub queue: Option<String>,
    /// Origin timeout.
    pub timeout_ms: u64,
    /// Provider headers copied to the origin (lower-case).
    pub pass_headers: Vec<String>,
    /// hookgate's Standard Webhooks signing key for the origin.
    pub signing_key: Option<Secret>,
    /// Origin 4xx handling.
    pub on_origin_4xx: On4xx,
    /// What the provider is answered once the origin took the event.
    pub reply: Reply,
    /// R2 bucket binding for queued bodies too large for a message.
    pub r2: Option<String>,
    /// Queue sources: the consumer's pace and concurrency towards the origin.
    pub pacing: Option<crate::pacing::Pacing>,
}

/// A fully resolved source.
#[derive(Debug)]
pub struct Source {
    /// Its name, the last path segment of `/hooks/<name>`.
    pub name: String,
    /// The preset (`type`) the scheme was built from.
    pub scheme_name: String,
    /// How requests are verified.
    pub scheme: Box<dyn schemes::Scheme>,
    /// Keys in configured order (rotation: any may match).
    pub keys: Vec<Key>,
    /// Timestamp window (0: off).
    pub tolerance_secs: u64,
    /// What the scheme's proof covers, and so what stops a replay.
    pub replay: schemes::Replay,
    /// Largest accepted body.
    pub max_body_bytes: u64,
    /// Client networks allowed; empty allows all.
    pub allow_ips: Vec<crate::cidr::Cidr>,
    /// Dedupe settings.
    pub dedupe: Dedupe,
    /// Hand-off target.
    pub destination: Destination,
    /// The second secret of a handshake that checks one (Meta's `hub.verify_token`).
    pub verify_token: Option<Secret>,
    /// Enforce verdicts, or only report them (shadow).
    pub mode: SourceMode,
    /// Which authentic events are handed on, by their type (see [`crate::filter`]).
    pub filter: Option<crate::filter::Filter>,
    /// Authentic requests allowed per period (see [`crate::limit`]).
    pub rate_limit: Option<crate::limit::RateLimit>,
    /// Where accepted events are archived (see [`crate::archive`]).
    pub archive: Option<crate::archive::Archive>,
}

/// How the queue consumer retries and where failed messages end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueSettings {
    /// Name (not binding) of the dead-letter queue this Worker consumes to park messages.
    pub dead_letter_queue: String,
    /// Shortest retry delay.
    pub retry_base_secs: u64,
    /// Longest retry delay.
    pub retry_max_secs: u64,
}

impl Default for QueueSettings {
    fn default() -> Self {
        Self {
            dead_letter_queue: DEFAULT_DEAD_LETTER_QUEUE.into(),
            retry_base_secs: DEFAULT_RETRY_BASE_SECS,
            retry_max_secs: DEFAULT_RETRY_MAX_SECS,
        }
    }
}

impl QueueSettings {
    /// Delay before retrying a message first sent `age_secs` ago: its age, at least the
    /// base and at most the maximum. Waiting as long as the message has already waited
    /// doubles the total each time, which is exponential backoff without counting attempts.
    #[must_use]
    pub fn retry_delay_secs(&self, age_secs: u64) -> u64 {
        age_secs.clamp(self.retry_base_secs, self.retry_max_secs)
    }
}

/// The whole resolved configuration.
#[derive(Debug)]
pub struct Config {
    /// Sources by name.
    pub sources: SortedMap<String, Source>,
    /// Sources that failed to load, by name, when loaded with [`Config::load_serving`]:
    /// their requests are answered 503 so providers retry, while the other sources serve.
    pub broken: SortedMap<String, Vec<ConfigError>>,
    /// KV namespace binding for dedupe.
    pub kv_binding: String,
    /// Durable Object namespace binding for strict dedupe.
    pub dedupe_object: String,
    /// Queue consumer settings.
    pub queue: QueueSettings,
    /// Which log lines are written.
    pub log: LogSettings,
}

/// Checks an origin or public URL: absolute http(s) with a host; plain http only for
/// loopback unless `allow_http`.
///
/// # Errors
/// `Invalid` naming `path`.
pub fn check_url(url: &str, path: &str, allow_http: bool) -> Result<String, ConfigError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| ConfigError::invalid(path, "not an absolute URL (expected https://host/path)"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') || url.chars().any(char::is_whitespace) {
        return Err(ConfigError::invalid(path, "not a valid URL (expected https://host/path, no credentials)"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((h, rest)) => (h, rest.strip_prefix(':')),
            None => ("", None),
        },
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    if host.is_empty() || port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err(ConfigError::invalid(path, "not a valid host[:port]"));
    }
    match scheme {
        "https" => Ok(url.to_string()),
        "http" if allow_http || is_loopback(host) => Ok(url.to_string()),
        "http" => Err(ConfigError::invalid(path, "plain http is allowed only for loopback origins (127.0.0.1, localhost, [::1]); use https")),
        _ => Err(ConfigError::invalid(path, "scheme must be https")),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Stands in for a secret whose value is not at hand (`npm run check` on a build or against
/// `wrangler secret list`): accepted by every encoding. A NUL byte: no real secret has one.
pub const PLACEHOLDER_SECRET: &str = "\u{0}hookgate-check: value not at hand";

/// Text secrets shorter than this are guessable: `npm run check` warns. The Worker refuses
/// only empty ones, since HMAC itself takes a key of any length and providers let users
/// pick their own (GitHub, Shopify).
pub const MIN_RAW_SECRET_BYTES: usize = 16;
/// Shortest decoded shared secret (base64, hex, `whsec_`); Standard Webhooks uses 24 to 64 bytes.
pub const MIN_DECODED_SECRET_BYTES: usize = 16;

fn decode_key(text: &str, path: &str) -> Result<Vec<u8>, ConfigError> {
    let bytes = crate::base64::BASE64
        .decode(text.trim())
        .map_err(|_| ConfigError::invalid(path, "secret is not valid base64 (value not shown)"))?;
    if bytes.len() < MIN_DECODED_SECRET_BYTES {
        let message = format!("secret decodes to {} bytes; at least {MIN_DECODED_SECRET_BYTES} are needed (value not shown)", bytes.len());
        return Err(ConfigError::invalid(path, &message));
    }
    Ok(bytes)
}

/// Reads a secret string into key material per the scheme's encoding. Refuses empty and
/// short keys, and a Standard Webhooks key without its prefix: a bare base64 value could be
/// an Ed25519 public key, and a public key used as a shared secret lets anyone sign.
fn key_material(value: &str, encoding: SecretEncoding, path: &str) -> Result<KeyMaterial, ConfigError> {
    if value == PLACEHOLDER_SECRET {
        return Ok(KeyMaterial::Secret(Secret::new(value.as_bytes().to_vec())));
    }
    let text = value.trim();
    match encoding {
        SecretEncoding::Raw if text.is_empty() => Err(ConfigError::invalid(path, "secret is empty")),
        SecretEncoding::Raw => Ok(KeyMaterial::Secret(Secret::new(value.as_bytes().to_vec()))),
        SecretEncoding::Base64 => Ok(KeyMaterial::Secret(Secret::new(decode_key(text, path)?))),
        SecretEncoding::Hex => {
            let bytes = crate::hex::decode(text).map_err(|_| ConfigError::invalid(path, "secret is not valid hex (value not shown)"))?;
            if bytes.len() < MIN_DECODED_SECRET_BYTES {
                let message = format!("secret decodes to {} bytes; at least {MIN_DECODED_SECRET_BYTES} are needed (value not shown)", bytes.len());
                return Err(ConfigError::invalid(path, &message));
            }
            Ok(KeyMaterial::Secret(Secret::new(bytes)))
        }
        SecretEncoding::Ed25519Hex => {
            let bytes: [u8; 32] = crate::hex::decode(text)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| ConfigError::invalid(path, "an Ed25519 public key is 64 hex digits (value not shown)"))?;
            Ok(KeyMaterial::Ed25519(bytes))
        }
        SecretEncoding::Ed25519Base64 => {
            let bytes: [u8; 32] = crate::base64::BASE64
                .decode(text)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| ConfigError::invalid(path, "an Ed25519 public key is 32 bytes of base64 (value not shown)"))?;
            Ok(KeyMaterial::Ed25519(bytes))
        }
        SecretEncoding::EcdsaP256Spki => {
            // SendGrid's dashboard shows bare base64; a PEM copy of it is accepted too.
            let b64: String = text
                .strip_prefix("-----BEGIN PUBLIC KEY-----")
                .and_then(|t| t.trim_end().strip_suffix("-----END PUBLIC KEY-----"))
                .unwrap_or(text)
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            crate::base64::BASE64
                .decode(b64)
                .ok()
                .and_then(|der| crate::crypto::P256Key::from_spki(&der))
                .map(KeyMaterial::EcdsaP256)
                .ok_or_else(|| {
                    ConfigError::invalid(
                        path,
                        "not an ECDSA P-256 public key: expected base64 of its DER SubjectPublicKeyInfo with an uncompressed point (91 bytes, starting MFkw), as SendGrid's dashboard shows it (value not shown)",
                    )
                })
        }
        SecretEncoding::RsaPublicKey => crate::cert::RsaSpki::from_text(text)
            .map(KeyMaterial::Rsa)
            .ok_or_else(|| ConfigError::invalid(path, "not an RSA public key: expected a PEM PUBLIC KEY or RSA PUBLIC KEY block, or base64 of its DER (value not shown)")),
        SecretEncoding::Whsec => {
            if let Some(pk) = text.strip_prefix("whpk_") {
                let bytes: [u8; 32] = crate::base64::BASE64
                    .decode(pk)
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| ConfigError::invalid(path, "a whpk_ key is 32 bytes of base64 (value not shown)"))?;
                Ok(KeyMaterial::Ed25519(bytes))
            } else if let Some(body) = text.strip_prefix("whsec_") {
                Ok(KeyMaterial::Secret(Secret::new(decode_key(body, path)?)))
            } else {
                Err(ConfigError::invalid(
                    path,
                    "start the key with whsec_ (a shared secret) or whpk_ (an Ed25519 public key): a bare value could be a public key, and a public key used as a shared secret lets anyone sign (value not shown)",
                ))
            }
        }
    }
}

/// The origin-signing key: `whsec_` + base64 of at least 16 bytes, the form every Standard
/// Webhooks library the origin may use expects.
fn signing_key(value: &str, path: &str) -> Result<Secret, ConfigError> {
    if value == PLACEHOLDER_SECRET {
        return Ok(Secret::new(value.as_bytes().to_vec()));
    }
    match value.trim().strip_prefix("whsec_") {
        Some(body) => Ok(Secret::new(decode_key(body, path)?)),
        None => Err(ConfigError::invalid(path, "expected whsec_ followed by base64 of 16 to 64 random bytes (value not shown)")),
    }
}

/// Whether `name` can be a Worker binding (a secret's name), so that it can be printed: a
/// value that is not one may be the secret itself, pasted in the wrong place.
pub(crate) fn is_binding_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// A missing or misnamed secret binding, never echoing a name that may be the secret.
fn missing_secret(path: String, binding: &str) -> ConfigError {
    if is_binding_name(binding) {
        ConfigError::MissingSecret { path, binding: binding.to_string() }
    } else {
        ConfigError::Invalid {
            path,
            message: "must name a secret binding (letters, digits and _), not hold the secret itself (value not shown)".into(),
        }
    }
}

/// Key labels travel in `X-Hookgate-Key` and log lines: visible ASCII only.
fn is_label(label: &str) -> bool {
    !label.is_empty() && label.len() <= 64 && label.bytes().all(|b| b.is_ascii_graphic() || b == b' ') && label.trim() == label
}

impl Config {
    /// Parses and validates the configuration, resolving secrets through `secret`; any
    /// problem fails the whole load (what `npm run check` wants).
    ///
    /// # Errors
    /// Every problem found, each naming its field; never a secret value.
    pub fn load(json: &str, secret: &dyn Fn(&str) -> Option<String>) -> Result<Config, Vec<ConfigError>> {
        let config = Self::load_serving(json, secret)?;
        if config.broken.is_empty() {
            return Ok(config);
        }
        Err(config.broken.into_iter().flat_map(|(_, errors)| errors).collect())
    }

    /// Like [`Config::load`], but a source with problems is set aside in
    /// [`Config::broken`] instead of failing the load, so one missing secret does not
    /// stop every other source. Problems outside any source still fail it.
    ///
    /// # Errors
    /// Syntax errors, an empty `sources`, invalid top-level settings.
    pub fn load_serving(json: &str, secret: &dyn Fn(&str) -> Option<String>) -> Result<Config, Vec<ConfigError>> {
        let file: ConfigFile = json_read::read(json).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        if file.sources.is_empty() {
            errors.push(ConfigError::invalid("sources", "no source configured"));
        }
        if file.kv_binding.as_deref() == Some("") {
            errors.push(ConfigError::invalid("kv_binding", "binding name is empty"));
        }
        if file.dedupe_object.as_deref() == Some("") {
            errors.push(ConfigError::invalid("dedupe_object", "binding name is empty"));
        }
        let queue = load_queue(&file.queue, &mut errors);
        let log = load_log(&file.log, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut sources = SortedMap::new();
        let mut broken = SortedMap::new();
        for (name, src) in file.sources {
            match load_source(&name, src, secret) {
                Ok(s) => {
                    sources.insert(name, s);
                }
                Err(e) => {
                    broken.insert(name, e);
                }
            }
        }
        Ok(Config {
            sources,
            broken,
            kv_binding: file.kv_binding.unwrap_or_else(|| DEFAULT_KV_BINDING.into()),
            dedupe_object: file.dedupe_object.unwrap_or_else(|| DEFAULT_DEDUPE_OBJECT_BINDING.into()),
            queue,
            log,
        })
    }
}

fn load_log(l: &LogFile, errors: &mut Vec<ConfigError>) -> LogSettings {
    let defaults = LogSettings::default();
    let settings = LogSettings {
        events: l.events.unwrap_or(defaults.events),
        rejections: l.rejections.unwrap_or(defaults.rejections),
        rejections_per_window: l.rejections_per_window.unwrap_or(defaults.rejections_per_window),
        window_secs: l.window_secs.unwrap_or(defaults.window_secs),
    };
    if !(1..=MAX_LOG_WINDOW_SECS).contains(&settings.window_secs) {
        errors.push(ConfigError::invalid("log.window_secs", "between 1 and 3600"));
    }
    if !(1..=MAX_REJECTIONS_PER_WINDOW).contains(&settings.rejections_per_window) {
        errors.push(ConfigError::invalid("log.rejections_per_window", "between 1 and 10000 (use rejections = \"summary\" for none in full)"));
    } else if l.rejections_per_window.is_some() && settings.rejections != RejectionLines::Sampled {
        errors.push(ConfigError::invalid("log.rejections_per_window", "applies only to rejections = \"sampled\""));
    }
    settings
}

fn load_queue(q: &QueueFile, errors: &mut Vec<ConfigError>) -> QueueSettings {
    let dead_letter_queue = q.dead_letter_queue.clone().unwrap_or_else(|| DEFAULT_DEAD_LETTER_QUEUE.into());
    if dead_letter_queue.is_empty() {
        errors.push(ConfigError::invalid("queue.dead_letter_queue", "queue name is empty"));
    }
    let retry_base_secs = q.retry_base_secs.unwrap_or(DEFAULT_RETRY_BASE_SECS);
    let retry_max_secs = q.retry_max_secs.unwrap_or(DEFAULT_RETRY_MAX_SECS.max(retry_base_secs));
    if !(1..=QUEUE_MAX_DELAY_SECS).contains(&retry_base_secs) {
        errors.push(ConfigError::invalid("queue.retry_base_secs", "between 1 and 43200 (Queues delay a message by at most 12 h)"));
    }
    if !(retry_base_secs..=QUEUE_MAX_DELAY_SECS).contains(&retry_max_secs) {
        errors.push(ConfigError::invalid("queue.retry_max_secs", "between retry_base_secs and 43200 (Queues delay a message by at most 12 h)"));
    }
    QueueSettings { dead_letter_queue, retry_base_secs, retry_max_secs }
}

fn is_source_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A value, or `None` with its problem added to `errors`: one copy of the pattern for the
/// checks of a source.
fn noted<T>(loaded: Result<T, ConfigError>, errors: &mut Vec<ConfigError>) -> Option<T> {
    loaded.map_err(|e| errors.push(e)).ok()
}

/// The value of the secret bound to `binding`: set, not blank, and named as a binding is
/// (else it may be the secret itself, pasted in the wrong place).
fn resolve(secret: &dyn Fn(&str) -> Option<String>, binding: &str) -> Option<String> {
    secret(binding).filter(|v| !v.trim().is_empty()).filter(|_| is_binding_name(binding))
}

/// A setting's value, or `None` with its problems added to `errors`.
fn settle<T>(loaded: Result<T, Vec<ConfigError>>, errors: &mut Vec<ConfigError>) -> Option<T> {
    match loaded {
        Ok(v) => Some(v),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    }
}

fn load_source(name: &str, src: SourceFile, secret: &dyn Fn(&str) -> Option<String>) -> Result<Source, Vec<ConfigError>> {
    let p = format!("sources.{name}");
    let mut errors = Vec::new();
    if !is_source_name(name) {
        errors.push(ConfigError::invalid(&p, "source names use letters, digits, - and _ (at most 64)"));
    }
    let scheme = noted(schemes::build(&src.scheme, &sub(&p, "scheme")), &mut errors);
    let mut keys = Vec::new();
    let needs_keys = scheme.as_ref().is_none_or(|s| s.needs_keys());
    if src.secrets.is_empty() && needs_keys {
        errors.push(ConfigError::invalid_at(&p, "secrets", "at least one secret is required"));
    }
    if !src.secrets.is_empty() && !needs_keys {
        errors.push(ConfigError::invalid_at(&p, "secrets", "this scheme takes no secrets (its key comes from the provider's certificate)"));
    }
    for (i, s) in src.secrets.iter().enumerate() {
        let sp = item(&p, "secrets", i);
        if !is_label(&s.label) || keys.iter().any(|k: &Key| k.label == s.label) {
            errors.push(ConfigError::invalid_at(
                &sp,
                "label",
                "labels are unique within a source, 1 to 64 visible ASCII characters (they travel in X-Hookgate-Key)",
            ));
        }
        let not_after_secs = match &s.not_after {
            None => None,
            Some(NotAfter::Unix(v)) => Some(*v),
            Some(NotAfter::Text(t)) => match TimeFormat::Rfc3339.parse(t).and_then(|v| u64::try_from(v).ok()) {
                Some(v) => Some(v),
                None => {
                    errors.push(ConfigError::invalid_at(&sp, "not_after", "expected RFC 3339 (2026-12-01T00:00:00Z) or unix seconds"));
                    None
                }
            },
        };
        let Some(value) = resolve(secret, &s.env) else {
            errors.push(missing_secret(sub(&sp, "env"), &s.env));
            continue;
        };
        let encoding = scheme.as_ref().map_or(SecretEncoding::Raw, |s| s.secret_encoding());
        match key_material(&value, encoding, &sub(&sp, "env")) {
            Ok(material) => keys.push(Key { label: s.label.clone(), material, not_after_secs }),
            Err(e) => errors.push(e),
        }
    }
    let tolerance_secs = src.tolerance_secs.unwrap_or_else(|| scheme.as_ref().map_or(0, |s| s.default_tolerance_secs()));
    let mut allow_ips = Vec::new();
    for (i, ip) in src.allow_ips.iter().enumerate() {
        match crate::cidr::Cidr::parse(ip) {
            Some(net) => allow_ips.push(net),
            None => errors.push(ConfigError::invalid(&item(&p, "allow_ips", i), "expected an IP address or CIDR such as 203.0.113.0/24")),
        }
    }

    let d = &src.destination;
    let dp = sub(&p, "destination");
    let origin = d.origin.as_ref().and_then(|u| noted(check_url(u, &sub(&dp, "origin"), false), &mut errors));
    if d.origin.is_none() && d.queue.is_none() {
        errors.push(ConfigError::invalid(&dp, "set `origin` (a URL), `queue` (a binding), or both"));
    }
    if d.queue.as_deref() == Some("") {
        errors.push(ConfigError::invalid_at(&dp, "queue", "queue binding name is empty"));
    }
    let timeout_ms = d.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    if !(100..=30_000).contains(&timeout_ms) {
        errors.push(ConfigError::invalid_at(&dp, "timeout_ms", "between 100 and 30000 (providers give up after about 30 s)"));
    }
    let signing_key = match &d.signing_secret {
        Some(b) => match resolve(secret, b) {
            Some(v) => noted(signing_key(&v, &sub(&dp, "signing_secret")), &mut errors),
            None => {
                errors.push(missing_secret(sub(&dp, "signing_secret"), b));
                None
            }
        },
        None => None,
    };

    for (i, h) in d.pass_headers.iter().enumerate() {
        if let Some(why) = crate::forward::refused_pass_header(&h.to_ascii_lowercase(), d.signing_secret.is_some()) {
            errors.push(ConfigError::invalid(&item(&dp, "pass_headers", i), why));
        }
    }
    match (&d.r2, &d.queue) {
        (Some(r2), Some(_)) if r2.is_empty() => errors.push(ConfigError::invalid_at(&dp, "r2", "bucket binding name is empty")),
        (Some(_), None) => errors.push(ConfigError::invalid_at(&dp, "r2", "`r2` holds queued bodies too large for a message: it needs `queue`")),
        _ => {}
    }
    // Without R2 a queued body must fit in a message; with it, any body Workers accept.
    let inline_only = d.queue.is_some() && d.r2.is_none();
    let limit = if inline_only { QUEUE_MAX_BODY_BYTES } else { MAX_BODY_BYTES };
    let max_body_bytes = src.max_body_bytes.unwrap_or(if inline_only { QUEUE_MAX_BODY_BYTES } else { DEFAULT_MAX_BODY_BYTES });
    if max_body_bytes == 0 || max_body_bytes > limit {
        let why = if inline_only {
            " (a Queue message holds at most 128 KB; set `destination.r2` to keep larger bodies in R2)"
        } else {
            " (a body is held in memory about three times over, in an isolate of 128 MB)"
        };
        errors.push(ConfigError::invalid_at(&p, "max_body_bytes", &format!("between 1 and {limit} for this destination{why}")));
    }

    let mode = src.dedupe.mode.unwrap_or(DedupeMode::Kv);
    let replay = scheme.as_ref().map(|s| s.replay());
    let timestamp_bounds_replays = replay.is_some_and(|r| r.signed_timestamp) && tolerance_secs > 0;
    // A tolerance only matters where a signed timestamp is checked against it.
    let min_window = min_replay_window_secs(if timestamp_bounds_replays { tolerance_secs } else { 0 });
    let window_secs = src.dedupe.window_secs.unwrap_or(if timestamp_bounds_replays {
        DEFAULT_DEDUPE_WINDOW_SECS.max(min_window)
    } else {
        DEFAULT_REPLAY_WINDOW_SECS.max(min_window)
    });
    if window_secs > MAX_DEDUPE_WINDOW_SECS {
        errors.push(ConfigError::invalid_at(
            &p,
            "dedupe.window_secs",
            "at most 315360000 (10 years): longer windows overflow the stores' expiry times",
        ));
    }
    if mode != DedupeMode::Off && window_secs < min_window {
        let why = if !timestamp_bounds_replays {
            "at least 60 (KV's minimum TTL)".to_string()
        } else {
            format!(
                "at least {min_window} (2 x tolerance_secs + {REPLAY_MARGIN_SECS}): a timestamp passes from tolerance_secs early to tolerance_secs late, and a replay inside that span would be handed on again"
            )
        };
        errors.push(ConfigError::invalid_at(&p, "dedupe.window_secs", &why));
    }
    let handshake = scheme.as_ref().and_then(|s| s.handshake());
    let needs_token = handshake.is_some_and(crate::handshake::Handshake::needs_verify_token);
    let vp = sub(&p, "verify_token");
    let verify_token = match (&src.verify_token, needs_token) {
        (Some(b), true) => match resolve(secret, b) {
            Some(v) => Some(Secret::new(v.into_bytes())),
            None => {
                errors.push(missing_secret(vp, b));
                None
            }
        },
        (None, true) => {
            errors.push(ConfigError::invalid(&vp, "required: the binding of the verify token you typed in the provider's dashboard"));
            None
        }
        (Some(_), false) if scheme.is_some() => {
            errors.push(ConfigError::invalid(&vp, &format!("not used by type `{}` (only by a meta_verify_token handshake)", src.scheme.kind)));
            None
        }
        _ => None,
    };
    let shards = src.dedupe.shards.unwrap_or(DEFAULT_DEDUPE_SHARDS);
    if src.dedupe.shards.is_some() && mode != DedupeMode::Strict {
        errors.push(ConfigError::invalid_at(&p, "dedupe.shards", "applies to mode = \"strict\" only"));
    } else if !(1..=MAX_DEDUPE_SHARDS).contains(&shards) {
        errors.push(ConfigError::invalid_at(&p, "dedupe.shards", "between 1 and 1024"));
    }

    if d.reply == Some(Reply::Origin) && d.queue.is_some() {
        errors.push(ConfigError::invalid_at(
            &dp,
            "reply",
            "a queued event is answered 202 before the origin sees it, so there is no origin answer to relay (remove destination.queue, or reply)",
        ));
    }
    if src.mode == SourceMode::Shadow && d.queue.is_some() {
        errors.push(ConfigError::invalid_at(
            &p,
            "mode",
            "shadow mode forwards inline to destination.origin, with X-Hookgate-Verdict; it does not go through a queue (remove destination.queue, or mode)",
        ));
    }
    let filter = match &src.filter {
        None => None,
        Some(f) => {
            let fp = sub(&p, "filter");
            if scheme.as_ref().is_some_and(|s| s.event_type().is_none()) {
                errors.push(ConfigError::invalid(
                    &fp,
                    &format!("type `{}` has no known event type: say where it is with scheme.event_type = {{ header = \"…\" }} (or pointer, query, form)", src.scheme.kind.chars().take(40).collect::<String>()),
                ));
            }
            settle(crate::filter::build(&f.events, f.when_absent, &fp), &mut errors)
        }
    };
    let pacing = d.pacing.as_ref().and_then(|pf| {
        settle(crate::pacing::Pacing::load(pf.max_per_minute, pf.concurrency, d.queue.is_some(), &sub(&dp, "pacing")), &mut errors)
    });
    let archive = src
        .archive
        .as_ref()
        .and_then(|a| settle(crate::archive::Archive::load(&a.r2, a.retention_days, window_secs, &sub(&p, "archive")), &mut errors));
    let rate_limit = src
        .rate_limit
        .as_ref()
        .and_then(|r| settle(crate::limit::RateLimit::load(&r.binding, r.requests, r.period_secs, &sub(&p, "rate_limit")), &mut errors));

    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(scheme) = scheme else {
        return Err(vec![ConfigError::invalid_at(&p, "scheme", "invalid")]);
    };
    let scheme_replay = scheme.replay();
    Ok(Source {
        name: name.to_string(),
        scheme_name: src.scheme.kind.clone(),
        scheme,
        keys,
        tolerance_secs,
        replay: scheme_replay,
        max_body_bytes,
        allow_ips,
        dedupe: Dedupe { mode, window_secs, shards },
        destination: Destination {
            origin,
            queue: d.queue.clone(),
            timeout_ms,
            pass_headers: d.pass_headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
            signing_key,
            on_origin_4xx: d.on_origin_4xx.unwrap_or_default(),
            reply: d.reply.unwrap_or_default(),
            r2: d.r2.clone(),
            pacing,
        },
        verify_token,
        mode: src.mode,
        filter,
        rate_limit,
        archive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "S1" => Some("s3cr3t-value".into()),
            "WH" => Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
            _ => None,
        }
    }

    /// `OK` with a signed timestamp, so its tolerance bounds replays.
    fn ok_ts() -> String {
        OK.replace("\"prefix\":\"sha256=\"", "\"prefix\":\"sha256=\",\"signed_content\":\"{timestamp}.{body}\",\"timestamp\":{\"header\":\"x-ts\"}")
    }

    fn load(json: &str) -> Result<Config, Vec<ConfigError>> {
        Config::load(json, &env)
    }

    const OK: &str = r#"{"sources":{"demo":{"scheme":{"type":"hmac","signature_header":"X-Signature","prefix":"sha256="},
        "secrets":[{"label":"demo","env":"S1"}],"destination":{"origin":"http://127.0.0.1:9000/in"}}}}"#;

    #[test]
    fn loads_a_minimal_source_with_defaults() {
        let cfg = load(OK).unwrap();
        let s = &cfg.sources["demo"];
        assert_eq!(s.keys.len(), 1);
        assert_eq!(s.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
        // No signed timestamp: dedupe is the only replay protection, kept for 30 days.
        assert_eq!(s.dedupe, Dedupe { mode: DedupeMode::Kv, window_secs: DEFAULT_REPLAY_WINDOW_SECS, shards: DEFAULT_DEDUPE_SHARDS });
        assert_eq!(s.destination.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(cfg.kv_binding, "HOOKGATE_KV");
        assert_eq!(cfg.queue.dead_letter_queue, DEFAULT_DEAD_LETTER_QUEUE);
    }

    #[test]
    fn sets_a_broken_source_aside_when_serving_but_fails_a_strict_load() {
        let two = OK.replace("}}}", "}},\"other\":{\"scheme\":{\"type\":\"stripe\"},\"secrets\":[{\"label\":\"x\",\"env\":\"UNSET\"}],\"destination\":{\"origin\":\"https://example.com/\"}}}");
        let serving = Config::load_serving(&two, &env).unwrap();
        assert!(serving.sources.contains_key("demo"));
        assert_eq!(serving.broken["other"], vec![ConfigError::MissingSecret { path: "sources.other.secrets[0].env".into(), binding: "UNSET".into() }]);
        assert_eq!(load(&two).unwrap_err().len(), 1);
    }

    #[test]
    fn queue_retry_waits_double_up_to_the_maximum() {
        let q = QueueSettings { dead_letter_queue: "d".into(), retry_base_secs: 30, retry_max_secs: 3600 };
        let mut age = 0;
        let mut delays = Vec::new();
        for _ in 0..9 {
            let d = q.retry_delay_secs(age);
            delays.push(d);
            age += d;
        }
        assert_eq!(delays, [30, 30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(q.retry_delay_secs(u64::MAX), 3600);
        let bad = OK.replace("{\"sources\"", "{\"queue\":{\"retry_base_secs\":60,\"retry_max_secs\":30},\"sources\"");
        let errs = load(&bad).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Invalid { path, .. } if path == "queue.retry_max_secs"), "{errs:?}");
    }

    #[test]
    fn log_settings_default_to_every_event_and_sampled_rejections() {
        assert_eq!(load(OK).unwrap().log, LogSettings::default());
        let quiet = OK.replace("{\"sources\"", "{\"log\":{\"events\":\"none\",\"rejections\":\"summary\"},\"sources\"");
        let log = load(&quiet).unwrap().log;
        assert_eq!((log.events, log.rejections), (EventLines::None, RejectionLines::Summary));
        for (bad, path) in [
            (r#"{"rejections_per_window":0}"#, "log.rejections_per_window"),
            (r#"{"rejections":"all","rejections_per_window":5}"#, "log.rejections_per_window"),
            (r#"{"window_secs":0}"#, "log.window_secs"),
        ] {
            let errs = load(&OK.replace("{\"sources\"", &format!("{{\"log\":{bad},\"sources\""))).unwrap_err();
            assert!(matches!(&errs[0], ConfigError::Invalid { path: p, .. } if p == path), "{errs:?}");
        }
        let typo = OK.replace("{\"sources\"", "{\"log\":{\"events\":\"some\"},\"sources\"");
        assert!(matches!(&load(&typo).unwrap_err()[0], ConfigError::Syntax { path, .. } if path == "HOOKGATE.log.events"));
    }

    #[test]
    fn names_the_missing_secret_but_never_a_value() {
        let errs = load(&OK.replace("\"S1\"", "\"NOPE\"")).unwrap_err();
        assert_eq!(errs, vec![ConfigError::MissingSecret { path: "sources.demo.secrets[0].env".into(), binding: "NOPE".into() }]);
        let bad = load(&OK.replace("hmac", "standard_webhooks")).unwrap_err();
        let text: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert!(text.iter().all(|t| !t.contains("s3cr3t")), "{text:?}");
    }

    #[test]
    fn rejects_unknown_fields_and_types_with_their_path() {
        let errs = load(&OK.replace("\"prefix\"", "\"prefx\"")).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Syntax { path, .. } if path.starts_with("HOOKGATE.sources.demo.scheme")), "{errs:?}");
        let errs = load(&OK.replace("\"hmac\"", "\"stripey\"")).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Invalid { path, .. } if path == "sources.demo.scheme.type"), "{errs:?}");
    }

    #[test]
    fn names_the_field_of_a_shape_error_and_refuses_a_field_written_twice() {
        let errs = load(&OK.replace("\"secrets\"", "\"tolerance_secs\":5,\"tolerance_secs\":6,\"secrets\"")).unwrap_err();
        let twice = ConfigError::Syntax { path: "HOOKGATE.sources.demo.tolerance_secs".into(), message: "duplicate field `tolerance_secs`".into() };
        assert_eq!(errs, vec![twice]);
        let errs = load(&OK.replace("\"env\":\"S1\"", "\"env\":[\"S1\"]")).unwrap_err();
        let wrong = ConfigError::Syntax { path: "HOOKGATE.sources.demo.secrets[0].env".into(), message: "invalid type: sequence, expected a string".into() };
        assert_eq!(errs, vec![wrong]);
        let errs = load(&OK.replace("\"label\":\"demo\",", "")).unwrap_err();
        let missing = ConfigError::Syntax { path: "HOOKGATE.sources.demo.secrets[0]".into(), message: "missing field `label`".into() };
        assert_eq!(errs, vec![missing]);
    }

    #[test]
    fn rejects_plain_http_origins_except_loopback() {
        for ok in ["http://127.0.0.1:9000/x", "http://localhost/x", "http://[::1]:80/", "https://api.example.com/hooks"] {
            assert!(check_url(ok, "p", false).is_ok(), "{ok}");
        }
        for bad in ["http://api.example.com/x", "ftp://x/", "https://", "api.example.com", "https://u:p@h/", "https://h:abc/"] {
            assert!(matches!(check_url(bad, "p", false), Err(ConfigError::Invalid { .. })), "{bad}");
        }
    }

    #[test]
    fn rejects_a_dedupe_window_shorter_than_the_tolerance_or_kv_minimum() {
        let short = ok_ts().replace("\"destination\"", "\"tolerance_secs\":600,\"dedupe\":{\"window_secs\":300},\"destination\"");
        let errs = load(&short).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Invalid { path, .. } if path == "sources.demo.dedupe.window_secs"));
        let tiny = ok_ts().replace("\"destination\"", "\"dedupe\":{\"window_secs\":30},\"destination\"");
        assert!(load(&tiny).is_err());
    }

    fn with_secret(scheme: &str, value: &'static str) -> Result<Config, Vec<ConfigError>> {
        let json = format!(r#"{{"sources":{{"s":{{"scheme":{scheme},"secrets":[{{"label":"k","env":"K"}}],"destination":{{"origin":"http://127.0.0.1:9/x"}}}}}}}}"#);
        Config::load(&json, &|_| Some(value.to_string()))
    }

    fn first_message(r: Result<Config, Vec<ConfigError>>) -> String {
        r.unwrap_err()[0].message()
    }

    #[test]
    fn a_verify_token_is_required_by_meta_and_refused_elsewhere() {
        let load = |scheme: &str, extra: &str| {
            let json = format!(r#"{{"sources":{{"s":{{"scheme":{scheme},"secrets":[{{"label":"k","env":"K"}}]{extra},"destination":{{"origin":"http://127.0.0.1:9/x"}}}}}}}}"#);
            Config::load(&json, &|b| (b == "K" || b == "V").then(|| "a-long-enough-value".to_string()))
        };
        let fb = r#"{"type":"facebook"}"#;
        assert_eq!(load(fb, "").unwrap_err()[0].path(), "sources.s.verify_token");
        assert!(load(fb, r#","verify_token":"V""#).unwrap().sources["s"].verify_token.is_some());
        assert_eq!(load(fb, r#","verify_token":"UNSET""#).unwrap_err(), vec![ConfigError::MissingSecret { path: "sources.s.verify_token".into(), binding: "UNSET".into() }]);
        let pasted = load(fb, r#","verify_token":"not a binding: the token itself""#).unwrap_err();
        assert!(!format!("{pasted:?}").contains("the token itself"), "{pasted:?}");
        assert_eq!(load(r#"{"type":"github"}"#, r#","verify_token":"V""#).unwrap_err()[0].path(), "sources.s.verify_token");
    }

    #[test]
    fn a_sendgrid_key_is_a_p256_spki_named_by_field_never_shown() {
        let good = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
        let ok = with_secret(r#"{"type":"sendgrid"}"#, good).unwrap();
        assert!(matches!(ok.sources["s"].keys[0].material, KeyMaterial::EcdsaP256(_)));
        // An Ed25519 SPKI, a truncated key, an HMAC secret, a point off the curve: refused by field.
        let off_curve = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+w==";
        for bad in ["MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=", &good[..60], "a-long-enough-hmac-secret-0123456789", off_curve] {
            let errors = with_secret(r#"{"type":"sendgrid"}"#, Box::leak(bad.to_string().into_boxed_str())).unwrap_err();
            assert_eq!(errors[0].path(), "sources.s.secrets[0].env", "{bad}");
            let shown = errors[0].to_string();
            assert!(shown.contains("P-256") && !shown.contains(&bad[..20]), "{shown}");
        }
        // Its keys are public keys: never a MAC secret, and an ECDSA recipe takes only them.
        let mac = r#"{"type":"hmac","signature_header":"x-sig","secret_encoding":"ecdsa_p256_spki"}"#;
        assert_eq!(with_secret(mac, good).unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
        let raw = r#"{"type":"hmac","signature_header":"x-sig","algorithm":"ecdsa-p256-sha256","encoding":"base64"}"#;
        assert_eq!(with_secret(raw, "a-long-enough-hmac-secret-0123456789").unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
        let sendgrid_as_mac = r#"{"type":"sendgrid","algorithm":"hmac-sha256"}"#;
        assert_eq!(with_secret(sendgrid_as_mac, good).unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
    }

    #[test]
    fn a_discord_key_is_64_hex_digits_and_only_verifies_ed25519() {
        let discord = r#"{"type":"discord"}"#;
        let ok = with_secret(discord, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a").unwrap();
        assert!(matches!(ok.sources["s"].keys[0].material, KeyMaterial::Ed25519(_)));
        assert!(first_message(with_secret(discord, "d75a9801")).contains("64 hex digits"));
        let mac = r#"{"type":"hmac","signature_header":"x-sig","secret_encoding":"ed25519_hex"}"#;
        assert_eq!(with_secret(mac, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a").unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
        let okta = r#"{"type":"hmac","signature_header":"x-sig","handshake":"okta_verification"}"#;
        assert_eq!(with_secret(okta, "a-long-enough-value").unwrap_err()[0].path(), "sources.s.scheme.handshake");
        assert_eq!(with_secret(r#"{"type":"cowbell","handshake":"dropbox_challenge"}"#, "a-long-enough-value").unwrap_err()[0].path(), "sources.s.scheme.handshake");
    }

    #[test]
    fn a_base64_ed25519_key_is_32_bytes_and_only_verifies_ed25519() {
        let telnyx = r#"{"type":"telnyx"}"#;
        let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
        let ok = with_secret(telnyx, key).unwrap();
        assert!(matches!(ok.sources["s"].keys[0].material, KeyMaterial::Ed25519(_)));
        let message = first_message(with_secret(telnyx, "11qYAYKxCrfVS/7T"));
        assert!(message.contains("32 bytes of base64") && !message.contains("11qYAYKx"), "{message}");
        assert!(first_message(with_secret(telnyx, "not base64 at all!")).contains("32 bytes of base64"));
        let mac = r#"{"type":"hmac","signature_header":"x-sig","secret_encoding":"ed25519_base64"}"#;
        assert_eq!(with_secret(mac, key).unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
        let telnyx_as_mac = r#"{"type":"telnyx","algorithm":"hmac-sha256"}"#;
        assert_eq!(with_secret(telnyx_as_mac, key).unwrap_err()[0].path(), "sources.s.scheme.secret_encoding");
    }

    #[test]
    fn refuses_empty_short_and_unprefixed_keys_without_showing_them() {
        let sw = r#"{"type":"standard_webhooks"}"#;
        let gh = r#"{"type":"github"}"#;
        for (scheme, value, says) in [
            (sw, "whsec_", "decodes to 0 bytes"),
            (sw, "whsec_   ", "decodes to 0 bytes"),
            (sw, "whsec_c2hvcnQ=", "decodes to 5 bytes"),
            (sw, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "start the key with whsec_"),
            (sw, "whpk_c2hvcnQ=", "32 bytes"),
            (gh, "   ", "is not set"),
        ] {
            let message = first_message(with_secret(scheme, value));
            assert!(message.contains(says), "{value:?}: {message}");
            assert!(!message.contains(value.trim()) || value.trim().is_empty(), "{message}");
        }
        assert!(with_secret(sw, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
        assert!(with_secret(gh, "long-enough").is_ok());
        assert!(with_secret(gh, "short").is_ok(), "a short text secret is the check's warning, not a refusal");
    }

    #[test]
    fn the_origin_signing_secret_is_a_whsec_key() {
        let json = |binding: &str| {
            format!(r#"{{"sources":{{"s":{{"scheme":{{"type":"github"}},"secrets":[{{"label":"k","env":"K"}}],"destination":{{"origin":"http://127.0.0.1:9/x","signing_secret":"{binding}"}}}}}}}}"#)
        };
        let env = |value: &'static str| move |name: &str| Some(if name == "K" { "long-enough".to_string() } else { value.to_string() });
        assert!(Config::load(&json("O"), &env("whsec_ZGVtby1vcmlnaW4tc2lnbmluZy1rZXk=")).is_ok());
        for bad in ["plain-text-signing-key", "whsec_", "whsec_!!"] {
            let errs = Config::load(&json("O"), &env(bad)).unwrap_err();
            assert_eq!(errs[0].path(), "sources.s.destination.signing_secret", "{bad}");
        }
        // A binding name that is really a pasted secret is not echoed back.
        let errs = Config::load(&json("whsec_c2VjcmV0LXZhbHVlLXBhc3RlZA=="), &|_| None).unwrap_err();
        assert!(!errs[0].to_string().contains("c2VjcmV0"), "{}", errs[0]);
    }

    #[test]
    fn labels_are_visible_ascii_and_windows_have_a_ceiling() {
        let label = |l: &str| ok_ts().replace("\"label\":\"demo\"", &format!("\"label\":{}", crate::json::json!(l)));
        assert!(load(&label("2026-11 rotation")).is_ok());
        for bad in ["", "tab\there", "new\nline", " padded", "é"] {
            assert_eq!(load(&label(bad)).unwrap_err()[0].path(), "sources.demo.secrets[0].label", "{bad:?}");
        }
        let huge = ok_ts().replace("\"destination\"", "\"dedupe\":{\"window_secs\":9007199254740993},\"destination\"");
        assert!(load(&huge).unwrap_err()[0].message().contains("at most 315360000"));
    }

    #[test]
    fn pass_headers_refuses_hop_credential_platform_and_own_headers() {
        let pass = |names: &str, signing: bool| {
            let signing = if signing { r#","signing_secret":"O""# } else { "" };
            let json = format!(r#"{{"sources":{{"s":{{"scheme":{{"type":"github"}},"secrets":[{{"label":"k","env":"K"}}],"destination":{{"origin":"http://127.0.0.1:9/x","pass_headers":[{names}]{signing}}}}}}}}}"#);
            Config::load(&json, &|n| Some(if n == "O" { "whsec_ZGVtby1vcmlnaW4tc2lnbmluZy1rZXk=".into() } else { "long-enough".into() }))
        };
        assert!(pass(r#""x-github-event","Content-Type","webhook-signature""#, false).is_ok());
        for bad in ["authorization", "Cookie", "forwarded", "x-real-ip", "cf-ray", "X-Forwarded-Proto", "x-hookgate-source", "bad header"] {
            let errs = pass(&format!("\"{bad}\""), false).unwrap_err();
            assert_eq!(errs[0].path(), "sources.s.destination.pass_headers[0]", "{bad}");
        }
        assert!(pass(r#""webhook-signature""#, true).is_err(), "collides with hookgate's own signature");
    }

    #[test]
    fn syntax_errors_never_quote_the_offending_value() {
        let pasted = ok_ts().replace("\"tolerance_secs\"", "\"x\"").replace("\"destination\"", "\"tolerance_secs\":\"whsec_topsecret\",\"destination\"");
        let errs = load(&pasted).unwrap_err();
        assert!(!errs[0].to_string().contains("topsecret"), "{}", errs[0]);
    }

    #[test]
    fn the_window_covers_twice_the_tolerance_plus_a_margin() {
        let with = |tolerance: u64, window: u64, mode: &str| {
            ok_ts().replace("\"destination\"", &format!("\"tolerance_secs\":{tolerance},\"dedupe\":{{\"mode\":\"{mode}\",\"window_secs\":{window}}},\"destination\""))
        };
        assert_eq!(min_replay_window_secs(300), 660);
        assert_eq!(min_replay_window_secs(0), 60);
        for mode in ["kv", "strict"] {
            let errs = load(&with(300, 659, mode)).unwrap_err();
            assert!(matches!(&errs[0], ConfigError::Invalid { path, message } if path == "sources.demo.dedupe.window_secs" && message.contains("660")), "{errs:?}");
            assert!(load(&with(300, 660, mode)).is_ok());
        }
        assert!(load(&with(300, 10, "off")).is_ok(), "no dedupe, no window");
        let shards = |mode: &str, n: u32| ok_ts().replace("\"destination\"", &format!("\"dedupe\":{{\"mode\":\"{mode}\",\"shards\":{n}}},\"destination\""));
        assert_eq!(load(&shards("strict", 64)).unwrap().sources["demo"].dedupe.shards, 64);
        for bad in [shards("strict", 0), shards("strict", 1025), shards("kv", 4)] {
            assert!(matches!(&load(&bad).unwrap_err()[0], ConfigError::Invalid { path, .. } if path == "sources.demo.dedupe.shards"));
        }
    }

    #[test]
    fn the_default_window_is_30_days_without_a_signed_timestamp_and_3_with_one() {
        let signed_ts = r#"{"sources":{"s":{"scheme":{"type":"stripe"},"secrets":[{"label":"k","env":"S1"}],"destination":{"origin":"http://127.0.0.1:9/x"}}}}"#;
        let c = load(signed_ts).unwrap();
        assert_eq!(c.sources["s"].dedupe.window_secs, DEFAULT_DEDUPE_WINDOW_SECS);
        // The same scheme with the tolerance off: the timestamp no longer bounds replays.
        let c = load(&signed_ts.replace("\"secrets\"", "\"tolerance_secs\":0,\"secrets\"")).unwrap();
        assert_eq!(c.sources["s"].dedupe.window_secs, DEFAULT_REPLAY_WINDOW_SECS);
        let github = signed_ts.replace("stripe", "github");
        assert_eq!(load(&github).unwrap().sources["s"].dedupe.window_secs, DEFAULT_REPLAY_WINDOW_SECS);
        // A long tolerance lifts the default to cover it.
        let long = signed_ts.replace("\"secrets\"", "\"tolerance_secs\":200000,\"secrets\"");
        assert_eq!(load(&long).unwrap().sources["s"].dedupe.window_secs, 400_060);
    }

    #[test]
    fn rejects_a_queue_body_limit_above_what_a_message_holds() {
        let q = OK.replace("\"origin\":\"http://127.0.0.1:9000/in\"", "\"queue\":\"Q\"").replace("\"destination\"", "\"max_body_bytes\":200000,\"destination\"");
        let errs = load(&q).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Invalid { path, .. } if path == "sources.demo.max_body_bytes"), "{errs:?}");
    }

    #[test]
    fn r2_lifts_the_queue_body_limit_and_needs_a_queue() {
        let q = OK.replace("\"origin\":", "\"queue\":\"Q\",\"r2\":\"B\",\"origin\":");
        let cfg = load(&q).unwrap();
        assert_eq!(cfg.sources["demo"].max_body_bytes, DEFAULT_MAX_BODY_BYTES);
        assert_eq!(cfg.sources["demo"].destination.r2.as_deref(), Some("B"));
        let errs = load(&OK.replace("\"origin\":", "\"r2\":\"B\",\"origin\":")).unwrap_err();
        assert!(matches!(&errs[0], ConfigError::Invalid { path, .. } if path == "sources.demo.destination.r2"), "{errs:?}");
    }

    #[test]
    fn decodes_whsec_secrets() {
        let cfg = load(&OK.replace("\"type\":\"hmac\",\"signature_header\":\"X-Signature\",\"prefix\":\"sha256=\"", "\"type\":\"svix\"").replace("S1", "WH")).unwrap();
        assert!(matches!(&cfg.sources["demo"].keys[0].material, KeyMaterial::Secret(s) if s.expose().len() == 24));
    }
}
