//! One JSON line per request, for `wrangler tail`. Never a secret, a signature or a body.
//!
//! Which lines are written is the user's choice ([`LogSettings`]): under `wrangler dev` and
//! in Workers Logs each line costs real time and money, and a flood of forged requests is
//! volume an attacker chooses. [`RejectionSampler`] keeps that volume bounded per isolate.

use crate::json::ObjectWriter;
use crate::sorted_map::SortedMap;

/// Which per-event lines are written (accepted, duplicate, in flight, handshakes, queue
/// deliveries). Failures on our side are always written: they need someone to act.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EventLines {
    /// One line per event.
    #[default]
    All,
    /// None: count events with metrics instead.
    None,
}

/// How rejected requests (4xx) are logged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RejectionLines {
    /// One line per rejection.
    All,
    /// The first `rejections_per_window` of each window in full (per isolate), the rest
    /// counted by source and reason into one summary line.
    #[default]
    Sampled,
    /// Only the summary lines, at most one a window per isolate.
    Summary,
    /// None.
    None,
}

impl crate::json_read::FromJson for EventLines {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        crate::json_read::variant(value, path, &[("all", Self::All), ("none", Self::None)])
    }
}

impl crate::json_read::FromJson for RejectionLines {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        crate::json_read::variant(value, path, &[("all", Self::All), ("sampled", Self::Sampled), ("summary", Self::Summary), ("none", Self::None)])
    }
}

/// Default number of rejections logged in full per window and isolate.
pub const DEFAULT_REJECTIONS_PER_WINDOW: u32 = 10;
/// Default length of a sampling window.
pub const DEFAULT_LOG_WINDOW_SECS: u64 = 60;

/// The `log` table of the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogSettings {
    /// Per-event lines.
    pub events: EventLines,
    /// Rejection lines.
    pub rejections: RejectionLines,
    /// With `rejections = "sampled"`, how many are logged in full each window.
    pub rejections_per_window: u32,
    /// Length of a sampling window: at most one summary line per window and isolate.
    pub window_secs: u64,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self { events: EventLines::All, rejections: RejectionLines::Sampled, rejections_per_window: DEFAULT_REJECTIONS_PER_WINDOW, window_secs: DEFAULT_LOG_WINDOW_SECS }
    }
}

impl LogSettings {
    /// Whether a per-event line is written.
    #[must_use]
    pub fn events(&self) -> bool {
        self.events == EventLines::All
    }
}

/// Rejections left out of the log in one window, by source (`-` before routing) and reason.
pub type Suppressed = SortedMap<String, SortedMap<&'static str, u64>>;

/// Per-isolate state of rejection sampling. Its keys are configured source names and
/// reason codes only, never request data, so it stays small whatever a flood sends.
#[derive(Debug, Default)]
pub struct RejectionSampler {
    window_start_ms: u64,
    logged: u32,
    suppressed: Suppressed,
}

/// A summary of the rejections left out of one window.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    /// Seconds the window lasted.
    pub window_secs: u64,
    /// The counts.
    pub suppressed: Suppressed,
}

impl RejectionSampler {
    /// Closes the window once it is over, returning what it left out, if anything. Called
    /// on every request, so a summary is written by the first request after its window.
    pub fn tick(&mut self, settings: &LogSettings, now_ms: u64) -> Option<Summary> {
        if now_ms < self.window_start_ms.saturating_add(settings.window_secs.saturating_mul(1000)) {
            return None;
        }
        let window_secs = now_ms.saturating_sub(self.window_start_ms) / 1000;
        self.window_start_ms = now_ms;
        self.logged = 0;
        if self.suppressed.is_empty() {
            return None;
        }
        Some(Summary { window_secs, suppressed: std::mem::take(&mut self.suppressed) })
    }

    /// Whether this rejection gets its own line; if not, it is counted for the summary.
    pub fn admit(&mut self, settings: &LogSettings, source: Option<&str>, reason: &'static str) -> bool {
        let budget = match settings.rejections {
            RejectionLines::All => return true,
            RejectionLines::None => return false,
            RejectionLines::Sampled => settings.rejections_per_window,
            RejectionLines::Summary => 0,
        };
        if self.logged < budget {
            self.logged += 1;
            return true;
        }
        let source = source.unwrap_or("-");
        // Looked up borrowed: under a flood, no allocation per rejection left out.
        let found = self.suppressed.search_by(|k| k.as_str().cmp(source));
        let count = self.suppressed.at_or_insert_with(found, || (source.to_string(), SortedMap::new())).entry_or_default(reason);
        *count = count.saturating_add(1);
        false
    }
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Handed on (origin 2xx or enqueued).
    Accepted,
    /// Seen before within the dedupe window; not handed on again.
    Duplicate,
    /// Refused: a 4xx with a reason code.
    Rejected,
    /// hookgate could not hand it on: a 5xx so the provider retries.
    Failed,
    /// A summary of rejections not logged one by one (`log.rejections`).
    RejectedSummary,
    /// A handshake answered at the edge (the provider checking the URL).
    Answered,
    /// Queue consumer: delivery failed; the message is retried after `retry_in_secs`.
    Retrying,
    /// Queue consumer: the message reached the dead-letter queue and is parked in KV.
    DeadLettered,
    /// Shadow mode: enforce mode would have refused it (`reason`); forwarded anyway, tagged.
    ShadowRejected,
    /// Authentic, but held back by the source's event filter: answered 200, not handed on,
    /// not remembered.
    Filtered,
}

/// How many requests and deliveries ended how, per source, stage and reason, since this
/// isolate started, whether or not their lines were written: the operator page's recent
/// outcomes. Per isolate (a deployment runs many); bounded, since sources and reasons are.
#[derive(Debug, Default)]
pub struct Tally {
    counts: SortedMap<(String, &'static str, Outcome, String), u64>,
    since_ms: u64,
}

/// Most distinct rows a [`Tally`] keeps; later ones are counted in `dropped`.
pub const MAX_TALLY_ROWS: usize = 2_048;

impl Tally {
    /// Counts one line's outcome (admin answers and summaries are not requests).
    pub fn add(&mut self, line: &Line<'_>, now_ms: u64) {
        let Some((outcome, stage)) = line.counted() else { return };
        if self.since_ms == 0 {
            self.since_ms = now_ms;
        }
        let (source, reason) = (line.source.unwrap_or_default(), line.reason.unwrap_or_default());
        // Looked up borrowed: a row's strings are copied only when the row is new.
        let found = self.counts.search_by(|(s, st, o, r)| (s.as_str(), *st, *o, r.as_str()).cmp(&(source, stage, outcome, reason)));
        if found.is_err() && self.counts.len() >= MAX_TALLY_ROWS {
            *self.counts.entry_or_default((String::new(), stage, outcome, "dropped".into())) += 1;
            return;
        }
        *self.counts.at_or_insert_with(found, || ((source.to_string(), stage, outcome, reason.to_string()), 0)) += 1;
    }

    /// `{"since_ms": …, "outcomes": [{source, stage, outcome, reason, count}]}`.
    #[must_use]
    pub fn view(&self) -> crate::json::Value {
        let rows: Vec<crate::json::Value> = self
            .counts
            .iter()
            .map(|((source, stage, outcome, reason), count)| {
                crate::json::json!({ "source": source, "stage": stage, "outcome": outcome.name(), "reason": reason, "count": *count })
            })
            .collect();
        crate::json::json!({ "since_ms": self.since_ms, "outcomes": rows })
    }
}

/// One Workers Analytics Engine data point per request or delivery outcome (README,
/// "Metrics"): `blob1` source, `blob2` outcome, `blob3` reason, `blob4` stage, `blob5` key
/// label; `double1` 1 (a count), `double2` latency in ms, `double3` HTTP status (0 for a
/// queue delivery); the index (sampling key) is the source.
#[derive(Clone, Debug, PartialEq)]
pub struct DataPoint<'a> {
    /// source, outcome, reason, stage, key label (empty when absent).
    pub blobs: [&'a str; 5],
    /// count, latency ms, status.
    pub doubles: [f64; 3],
    /// The sampling key: the source.
    pub index: &'a str,
}

impl<'a> DataPoint<'a> {
    /// The point for a line, if it is a request's or delivery's outcome (not an operator
    /// answer or a summary).
    #[must_use]
    pub fn of(line: &Line<'a>) -> Option<Self> {
        let (outcome, stage) = line.counted()?;
        let source = line.source.unwrap_or_default();
        #[allow(clippy::cast_precision_loss)] // latencies are far below 2^52 ms
        let latency = line.latency_ms as f64;
        Some(Self {
            blobs: [source, outcome.name(), line.reason.unwrap_or_default(), stage, line.key.unwrap_or_default()],
            doubles: [1.0, latency, f64::from(line.status.unwrap_or(0))],
            index: source,
        })
    }
}

impl Line<'_> {
    /// The outcome and stage (`edge`, `consumer`, `dead_letter`) counted for the operator's
    /// page and metrics; `None` for lines that are not a request's or delivery's outcome
    /// (operator and health answers, summaries).
    fn counted(&self) -> Option<(Outcome, &'static str)> {
        let outcome = self.outcome?;
        let stage = match self.stage {
            None => "edge",
            Some("consumer") => "consumer",
            Some("dead_letter") => "dead_letter",
            Some(_) => return None,
        };
        (outcome != Outcome::RejectedSummary).then_some((outcome, stage))
    }
}

impl Outcome {
    /// The name in log lines and metrics.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Duplicate => "duplicate",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
            Self::RejectedSummary => "rejected_summary",
            Self::Answered => "answered",
            Self::Retrying => "retrying",
            Self::DeadLettered => "dead_lettered",
            Self::ShadowRejected => "shadow_rejected",
            Self::Filtered => "filtered",
        }
    }
}

/// The `component` of every line: always `hookgate`, to filter `wrangler tail`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Component;

/// The fields of a log line.
#[derive(Clone, Debug, Default)]
pub struct Line<'a> {
    /// Always `hookgate`, to filter `wrangler tail`.
    pub component: Component,
    /// Source name, when routed.
    pub source: Option<&'a str>,
    /// Event id used for dedupe.
    pub event_id: Option<&'a str>,
    /// How it ended.
    pub outcome: Option<Outcome>,
    /// Reason code of a rejection or failure.
    pub reason: Option<&'a str>,
    /// HTTP status answered (absent for queue consumer lines).
    pub status: Option<u16>,
    /// `consumer` or `dead_letter` for queue lines; absent for requests.
    pub stage: Option<&'a str>,
    /// Label of the matched key.
    pub key: Option<&'a str>,
    /// `origin` or `queue`.
    pub target: Option<&'a str>,
    /// Status the origin answered, if called.
    pub origin_status: Option<u16>,
    /// Free-text detail of a failure on our side (never request data).
    pub detail: Option<&'a str>,
    /// Whether the id was written to the dedupe store.
    pub remembered: Option<bool>,
    /// Queue consumer: seconds since the event was enqueued.
    pub age_secs: Option<u64>,
    /// Queue consumer: delay before the next attempt.
    pub retry_in_secs: Option<u64>,
    /// Queue consumer: the R2 key of a body too large for a message.
    pub body_r2: Option<&'a str>,
    /// Dead letters: the KV key the event is parked under.
    pub parked_at: Option<&'a str>,
    /// Rejection summary: the length of the window it covers.
    pub window_secs: Option<u64>,
    /// Rejection summary: what was left out, by source and reason.
    pub suppressed: Option<&'a Suppressed>,
    /// The handshake answered at the edge (`twitter_crc`, ...).
    pub handshake: Option<&'a str>,
    /// The provider's event type of a filtered event (bounded, see `filter::loggable`).
    pub event_type: Option<&'a str>,
    /// Milliseconds from receipt to answer.
    pub latency_ms: u64,
}

impl Line<'_> {
    /// The JSON text of the line: the fields in the order above, those that are `None`
    /// left out.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::new();
        w.str("component", "hookgate");
        w.opt_str("source", self.source);
        w.opt_str("event_id", self.event_id);
        w.opt_str("outcome", self.outcome.map(Outcome::name));
        w.opt_str("reason", self.reason);
        w.opt_u64("status", self.status.map(u64::from));
        w.opt_str("stage", self.stage);
        w.opt_str("key", self.key);
        w.opt_str("target", self.target);
        w.opt_u64("origin_status", self.origin_status.map(u64::from));
        w.opt_str("detail", self.detail);
        if let Some(remembered) = self.remembered {
            w.bool("remembered", remembered);
        }
        w.opt_u64("age_secs", self.age_secs);
        w.opt_u64("retry_in_secs", self.retry_in_secs);
        w.opt_str("body_r2", self.body_r2);
        w.opt_str("parked_at", self.parked_at);
        w.opt_u64("window_secs", self.window_secs);
        if let Some(suppressed) = self.suppressed {
            w.raw("suppressed", &suppressed_text(suppressed));
        }
        w.opt_str("handshake", self.handshake);
        w.opt_str("event_type", self.event_type);
        w.u64("latency_ms", self.latency_ms);
        w.finish()
    }
}

/// `{"source":{"reason":count}}`, in key order.
fn suppressed_text(suppressed: &Suppressed) -> String {
    let mut outer = ObjectWriter::new();
    for (source, reasons) in suppressed {
        let mut inner = ObjectWriter::new();
        for (reason, count) in reasons {
            inner.u64(reason, *count);
        }
        outer.raw(source, &inner.finish());
    }
    outer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampled(per_minute: u32) -> LogSettings {
        LogSettings { rejections_per_window: per_minute, ..LogSettings::default() }
    }

    #[test]
    fn a_data_point_carries_the_outcome_of_each_request_and_delivery_only() {
        let line = Line { source: Some("stripe"), outcome: Some(Outcome::Rejected), reason: Some("signature_mismatch"), status: Some(401), latency_ms: 7, ..Line::default() };
        assert_eq!(
            DataPoint::of(&line),
            Some(DataPoint { blobs: ["stripe", "rejected", "signature_mismatch", "edge", ""], doubles: [1.0, 7.0, 401.0], index: "stripe" })
        );
        let delivered = Line { stage: Some("consumer"), source: Some("q"), key: Some("k1"), outcome: Some(Outcome::Accepted), ..Line::default() };
        assert_eq!(DataPoint::of(&delivered).map(|p| p.blobs), Some(["q", "accepted", "", "consumer", "k1"]));
        assert_eq!(DataPoint::of(&Line { stage: Some("admin"), outcome: Some(Outcome::Answered), ..Line::default() }), None);
        assert_eq!(DataPoint::of(&Line { outcome: Some(Outcome::RejectedSummary), ..Line::default() }), None);
        assert_eq!(DataPoint::of(&Line::default()), None);
        // The names are the log lines' own.
        for o in [
            Outcome::Accepted,
            Outcome::Duplicate,
            Outcome::Rejected,
            Outcome::Failed,
            Outcome::RejectedSummary,
            Outcome::Answered,
            Outcome::Retrying,
            Outcome::DeadLettered,
            Outcome::ShadowRejected,
            Outcome::Filtered,
        ] {
            assert_eq!(Line { outcome: Some(o), ..Line::default() }.to_json(), format!(r#"{{"component":"hookgate","outcome":"{}","latency_ms":0}}"#, o.name()));
        }
    }

    #[test]
    fn the_tally_counts_requests_per_source_stage_and_reason_and_stays_bounded() {
        let mut t = Tally::default();
        let line = |source, outcome, reason| Line { source, outcome: Some(outcome), reason, ..Line::default() };
        t.add(&line(Some("stripe"), Outcome::Accepted, None), 1_000);
        t.add(&line(Some("stripe"), Outcome::Accepted, None), 2_000);
        t.add(&line(Some("stripe"), Outcome::Rejected, Some("signature_mismatch")), 3_000);
        t.add(&Line { stage: Some("consumer"), ..line(Some("stripe"), Outcome::Retrying, Some("origin_error")) }, 4_000);
        t.add(&Line { stage: Some("admin"), ..line(None, Outcome::Answered, None) }, 5_000);
        t.add(&line(None, Outcome::RejectedSummary, None), 6_000);
        t.add(&Line::default(), 7_000);
        let view = t.view();
        assert_eq!(view["since_ms"], 1_000);
        assert_eq!(
            view["outcomes"],
            crate::json::json!([
                { "source": "stripe", "stage": "consumer", "outcome": "retrying", "reason": "origin_error", "count": 1 },
                { "source": "stripe", "stage": "edge", "outcome": "accepted", "reason": "", "count": 2 },
                { "source": "stripe", "stage": "edge", "outcome": "rejected", "reason": "signature_mismatch", "count": 1 },
            ])
        );
        let names: Vec<String> = (0..MAX_TALLY_ROWS + 50).map(|i| format!("s{i}")).collect();
        for n in &names {
            t.add(&line(Some(n), Outcome::Accepted, None), 8_000);
        }
        let rows = t.view()["outcomes"].as_array().map_or(0, Vec::len);
        assert!(rows <= MAX_TALLY_ROWS + 1, "{rows}");
        assert!(t.view()["outcomes"].as_array().is_some_and(|r| r.iter().any(|r| r["reason"] == "dropped" && r["count"].as_u64() > Some(0))));
    }

    #[test]
    fn a_flood_logs_the_first_rejections_then_one_summary_a_minute() {
        let settings = sampled(3);
        let mut s = RejectionSampler::default();
        assert_eq!(s.tick(&settings, 0), None);
        let admitted: Vec<bool> = (0..10).map(|_| s.admit(&settings, Some("stripe"), "signature_mismatch")).collect();
        assert_eq!(admitted, [true, true, true, false, false, false, false, false, false, false]);
        assert!(!s.admit(&settings, None, "unknown_source"));
        assert_eq!(s.tick(&settings, 59_999), None);
        let summary = s.tick(&settings, 61_000).unwrap();
        assert_eq!(summary.window_secs, 61);
        assert_eq!(summary.suppressed["stripe"]["signature_mismatch"], 7);
        assert_eq!(summary.suppressed["-"]["unknown_source"], 1);
        // A new window: full lines again, and nothing left to summarise.
        assert!(s.admit(&settings, Some("stripe"), "signature_mismatch"));
        assert_eq!(s.tick(&settings, 200_000), None);
    }

    #[test]
    fn summary_mode_logs_no_rejection_in_full_and_all_mode_counts_nothing() {
        let mut s = RejectionSampler::default();
        let summary = LogSettings { rejections: RejectionLines::Summary, ..LogSettings::default() };
        assert!(!s.admit(&summary, Some("a"), "timestamp_too_old"));
        let all = LogSettings { rejections: RejectionLines::All, ..LogSettings::default() };
        assert!((0..100).all(|_| s.admit(&all, Some("a"), "signature_mismatch")));
        let none = LogSettings { rejections: RejectionLines::None, ..LogSettings::default() };
        assert!(!s.admit(&none, Some("a"), "signature_mismatch"));
        let summary_line = s.tick(&summary, 60_000).unwrap();
        assert_eq!(summary_line.suppressed.len(), 1);
        assert_eq!(summary_line.suppressed["a"].len(), 1);
        assert_eq!(summary_line.suppressed["a"]["timestamp_too_old"], 1);
    }

    #[test]
    fn writes_every_field_in_order_and_leaves_out_the_absent_ones() {
        let mut suppressed = Suppressed::new();
        suppressed.entry_or_default("b\"s".into()).insert("r2", 2);
        suppressed.entry_or_default("a".into()).insert("r1", 1);
        let line = Line {
            component: Component,
            source: Some("s"),
            event_id: Some("e\n1"),
            outcome: Some(Outcome::DeadLettered),
            reason: Some("origin_error"),
            status: Some(503),
            stage: Some("dead_letter"),
            key: Some("k"),
            target: Some("queue"),
            origin_status: Some(500),
            detail: Some("d"),
            remembered: Some(false),
            age_secs: Some(3),
            retry_in_secs: Some(4),
            body_r2: Some("b"),
            parked_at: Some("p"),
            window_secs: Some(60),
            suppressed: Some(&suppressed),
            handshake: Some("h"),
            event_type: Some("t"),
            latency_ms: 9,
        };
        // The text the derived serde serializer wrote for this line.
        assert_eq!(
            line.to_json(),
            concat!(
                r#"{"component":"hookgate","source":"s","event_id":"e\n1","outcome":"dead_lettered","reason":"origin_error","status":503,"#,
                r#""stage":"dead_letter","key":"k","target":"queue","origin_status":500,"detail":"d","remembered":false,"age_secs":3,"#,
                r#""retry_in_secs":4,"body_r2":"b","parked_at":"p","window_secs":60,"suppressed":{"a":{"r1":1},"b\"s":{"r2":2}},"#,
                r#""handshake":"h","event_type":"t","latency_ms":9}"#
            )
        );
    }

    #[test]
    fn a_summary_line_names_sources_and_reasons_only() {
        let mut suppressed = Suppressed::new();
        suppressed.entry_or_default("stripe".into()).insert("signature_mismatch", 4);
        let line = Line {
            outcome: Some(Outcome::RejectedSummary),
            window_secs: Some(60),
            suppressed: Some(&suppressed),
            ..Line::default()
        };
        assert_eq!(
            line.to_json(),
            r#"{"component":"hookgate","outcome":"rejected_summary","window_secs":60,"suppressed":{"stripe":{"signature_mismatch":4}},"latency_ms":0}"#
        );
    }
}
