//! Inbound rate limits per source: at most `requests` authentic requests per `period_secs`,
//! counted by the Workers Rate Limiting binding (`[[ratelimits]]` in the wrangler file) under
//! the source's own key; beyond it, `429 {"error":"rate_limited"}` with `Retry-After`.
//!
//! **Counted after verification.** A forged request never counts against a source: were it
//! counted, anyone who knows the URL could spend the source's budget and have every genuine
//! delivery answered 429 (the provider retries, but an attacker can keep the budget spent
//! for as long as they like). The price is one MAC per forged request before it is refused,
//! which is bounded per request (see SECURITY.md, "Resource exhaustion"); floods of forged
//! requests are for Cloudflare's WAF or rate limiting rules in front of hookgate, by IP.
//! Handshakes and filtered events are answered before the limit (they reach no origin);
//! duplicates count (they still cost a dedupe read).
//!
//! The binding counts per Cloudflare location and is eventually consistent: a provider that
//! spreads deliveries over several locations can get up to `requests` per period at each.
//! It is a brake for the origin, not an exact quota (README, "Rate limits").

use crate::config::ConfigError;

/// The Rate Limiting binding's periods: ten seconds or a minute.
pub const PERIODS_SECS: [u64; 2] = [10, 60];
/// Most requests per period a source may allow (the binding takes larger numbers, but a
/// limit this high protects nothing).
pub const MAX_REQUESTS: u64 = 1_000_000;

/// A source's inbound rate limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The `[[ratelimits]]` binding that counts (its `simple` must say the same numbers).
    pub binding: String,
    /// Requests allowed per period.
    pub requests: u64,
    /// The period, 10 or 60 seconds.
    pub period_secs: u64,
}

/// What the binding answered for one authentic request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Within the limit.
    Within,
    /// Over it.
    Over,
    /// The binding failed or is missing at run time.
    Unavailable,
}

/// What to do with the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go on to dedupe and the hand-off.
    Pass,
    /// Answer `429 rate_limited` with this `Retry-After`.
    Limited {
        /// Seconds: the binding's period, after which its window has turned over.
        retry_after_secs: u64,
    },
    /// Go on, and log a warning: a broken limiter must not stop every source (it protects
    /// the origin, not correctness); `npm run check` catches a missing binding beforehand.
    PassUnchecked,
}

impl RateLimit {
    /// The key the binding counts under: one per source, so sources may share a binding.
    #[must_use]
    pub fn key(source: &str) -> String {
        format!("hookgate:{source}")
    }

    /// The verdict for what the binding answered.
    #[must_use]
    pub fn verdict(&self, count: Count) -> Verdict {
        match count {
            Count::Within => Verdict::Pass,
            Count::Over => Verdict::Limited { retry_after_secs: self.period_secs },
            Count::Unavailable => Verdict::PassUnchecked,
        }
    }

    /// Reads `rate_limit` of source `p`.
    ///
    /// # Errors
    /// Every bad field, by path, never echoing a value that is not a binding name.
    pub fn load(binding: &str, requests: u64, period_secs: u64, path: &str) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        if !crate::config::is_binding_name(binding) {
            errors.push(ConfigError::invalid(&format!("{path}.binding"), "the name of a [[ratelimits]] binding (letters, digits and _)"));
        }
        if !(1..=MAX_REQUESTS).contains(&requests) {
            errors.push(ConfigError::invalid(&format!("{path}.requests"), &format!("between 1 and {MAX_REQUESTS}")));
        }
        if !PERIODS_SECS.contains(&period_secs) {
            errors.push(ConfigError::invalid(&format!("{path}.period_secs"), "10 or 60 (the periods the Rate Limiting binding counts in)"));
        }
        if errors.is_empty() {
            Ok(Self { binding: binding.to_string(), requests, period_secs })
        } else {
            Err(errors)
        }
    }
}

/// A reference model of the binding's fixed windows, for tests and `npm run soak`-style
/// reasoning: `requests` per window of `period_secs`, windows aligned to the epoch.
#[derive(Clone, Debug, Default)]
pub struct FixedWindow {
    window: u64,
    used: u64,
}

impl FixedWindow {
    /// Counts one request at `now_secs`.
    pub fn count(&mut self, limit: &RateLimit, now_secs: u64) -> Count {
        let window = now_secs / limit.period_secs.max(1);
        if window != self.window {
            self.window = window;
            self.used = 0;
        }
        if self.used < limit.requests {
            self.used += 1;
            Count::Within
        } else {
            Count::Over
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(requests: u64, period_secs: u64) -> RateLimit {
        RateLimit::load("HOOKGATE_LIMIT", requests, period_secs, "sources.s.rate_limit").unwrap()
    }

    #[test]
    fn over_the_limit_answers_retry_after_one_period() {
        let l = limit(5, 10);
        assert_eq!(l.verdict(Count::Within), Verdict::Pass);
        assert_eq!(l.verdict(Count::Over), Verdict::Limited { retry_after_secs: 10 });
        assert_eq!(l.verdict(Count::Unavailable), Verdict::PassUnchecked);
    }

    #[test]
    fn a_provider_that_waits_retry_after_gets_through() {
        // 12 deliveries at once against 5 per 10 s: 5 pass, 7 get 429; each retried after
        // Retry-After (the next window), the retries pass in turn, and nothing is lost.
        let l = limit(5, 10);
        let mut w = FixedWindow::default();
        let mut pending: Vec<u64> = vec![1000; 12];
        let mut delivered = 0;
        for _ in 0..10 {
            let mut next = Vec::new();
            for at in pending {
                match l.verdict(w.count(&l, at)) {
                    Verdict::Pass | Verdict::PassUnchecked => delivered += 1,
                    Verdict::Limited { retry_after_secs } => next.push(at + retry_after_secs),
                }
            }
            pending = next;
            if pending.is_empty() {
                break;
            }
        }
        assert_eq!(delivered, 12);
        assert!(pending.is_empty());
    }

    #[test]
    fn bad_settings_are_refused_by_path() {
        let errors = RateLimit::load("not a binding", 0, 30, "sources.s.rate_limit").unwrap_err();
        let paths: Vec<&str> = errors.iter().map(ConfigError::path).collect();
        assert_eq!(paths, ["sources.s.rate_limit.binding", "sources.s.rate_limit.requests", "sources.s.rate_limit.period_secs"]);
        assert!(errors.iter().all(|e| !e.to_string().contains("not a binding")));
        assert_eq!(RateLimit::key("stripe"), "hookgate:stripe");
    }
}
