//! Outbound pacing for queue sources: the consumer delivers a source's events to its origin
//! at most `max_per_minute` a minute and at most `concurrency` at once (1: one after the
//! other), so that a burst the provider sent in a second does not reach the origin in one.
//!
//! The producer side is untouched (queue sources answer 202 at once); pacing happens in the
//! consumer. A batch's messages of a paced source are given start times one slot
//! (`60000 / max_per_minute` ms) apart, after the last start of the previous batch handled in
//! this isolate, and spread over `concurrency` lanes that each deliver one at a time. A
//! message whose start would be more than [`BUDGET_MS`] away is not held: it is retried with
//! a delay that brings it back at about its slot, so it waits in the queue, not in memory.
//! `npm run check` refuses settings under which that can happen in steady state (the batch
//! must fit in the budget), so a deferral is a safety net, logged, never a loss: a deferral
//! counts as one of Queues' attempts, and a message out of attempts is parked as a dead
//! letter, not dropped.
//!
//! Exact when the queue's consumer runs one batch at a time (`max_concurrency = 1`, which
//! `npm run check` requires for a paced source): then every delivery of the source passes
//! through one plan after the other. Several sources on one queue are paced each on its own.

use crate::config::ConfigError;

/// Longest a batch waits for its paced deliveries to start. Beyond, messages are retried
/// with a delay (Queues' consumer invocations may run for 15 minutes of wall time; a minute
/// keeps a batch's acknowledgements timely).
pub const BUDGET_MS: u64 = 60_000;
/// Fastest pace: 60,000 a minute (1,000 a second).
pub const MAX_PER_MINUTE: u64 = 60_000;
/// Most deliveries at once per source.
pub const MAX_CONCURRENCY: u32 = 100;

/// A destination's pacing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pacing {
    /// Most deliveries started per minute.
    pub max_per_minute: u64,
    /// Most deliveries under way at once (1: serial).
    pub concurrency: u32,
}

/// One delivery to start now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Index of the message in the list given to [`Pacer::plan`].
    pub index: usize,
    /// Which lane delivers it (lanes run concurrently, each one message at a time).
    pub lane: usize,
    /// Not before this time (ms since the epoch).
    pub start_ms: u64,
}

/// A message put back in the queue until its slot comes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deferred {
    /// Index of the message.
    pub index: usize,
    /// Retry delay, at most Queues' 12 hours.
    pub delay_secs: u64,
    /// Whether its slot was further than 12 hours away (the delay is then Queues' maximum:
    /// it comes back earlier than its slot and is planned again; logged).
    pub capped: bool,
}

/// A batch's deliveries of one source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// To deliver now, in start order.
    pub now: Vec<Slot>,
    /// To retry later.
    pub deferred: Vec<Deferred>,
}

impl Plan {
    /// The slots of one lane, in order.
    #[must_use]
    pub fn lane(&self, lane: usize) -> Vec<&Slot> {
        self.now.iter().filter(|s| s.lane == lane).collect()
    }
}

impl Pacing {
    /// Reads `destination.pacing` of a source.
    ///
    /// # Errors
    /// Every bad field by path.
    pub fn load(max_per_minute: u64, concurrency: Option<u32>, queued: bool, path: &str) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        if !queued {
            errors.push(ConfigError::invalid(path, "pacing applies to queue sources (`destination.queue`): a direct source hands on while the provider waits"));
        }
        if !(1..=MAX_PER_MINUTE).contains(&max_per_minute) {
            errors.push(ConfigError::invalid(&format!("{path}.max_per_minute"), &format!("between 1 and {MAX_PER_MINUTE}")));
        }
        let concurrency = concurrency.unwrap_or(1);
        if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
            errors.push(ConfigError::invalid(&format!("{path}.concurrency"), &format!("between 1 (serial) and {MAX_CONCURRENCY}")));
        }
        if errors.is_empty() {
            Ok(Self { max_per_minute, concurrency })
        } else {
            Err(errors)
        }
    }

    /// Milliseconds between two starts (rounded up, so the pace is never exceeded).
    #[must_use]
    pub fn slot_ms(&self) -> u64 {
        60_000u64.div_ceil(self.max_per_minute.max(1))
    }

    /// Whether a batch of `batch_size` messages always fits in [`BUDGET_MS`] (what
    /// `npm run check` requires, so that pacing never defers in steady state).
    #[must_use]
    pub fn fits_batch(&self, batch_size: u64) -> bool {
        batch_size.saturating_mul(self.slot_ms()) <= BUDGET_MS
    }
}

/// A source's pacing state in one isolate: when its next delivery may start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pacer {
    next_start_ms: u64,
}

impl Pacer {
    /// Plans `count` messages of one source at `now_ms`, and moves the pacer past them.
    pub fn plan(&mut self, pacing: &Pacing, count: usize, now_ms: u64) -> Plan {
        let slot = pacing.slot_ms();
        let lanes = usize::try_from(pacing.concurrency.max(1)).unwrap_or(1);
        let first = self.next_start_ms.max(now_ms);
        let mut plan = Plan::default();
        let mut planned = 0u64;
        for index in 0..count {
            let offset = u64::try_from(index).unwrap_or(u64::MAX);
            let start_ms = first.saturating_add(offset.saturating_mul(slot));
            let wait_ms = start_ms - now_ms;
            if wait_ms <= BUDGET_MS {
                plan.now.push(Slot { index, lane: index % lanes, start_ms });
                planned += 1;
            } else {
                let wanted = wait_ms.div_ceil(1000);
                let max = crate::config::QUEUE_MAX_DELAY_SECS;
                plan.deferred.push(Deferred { index, delay_secs: wanted.min(max), capped: wanted > max });
            }
        }
        if planned > 0 {
            self.next_start_ms = first.saturating_add(planned.saturating_mul(slot));
        }
        plan
    }

    /// A delivery started at `at_ms`: the next batch's plan starts a slot after it at the
    /// earliest, even when this batch's starts ran later than planned.
    pub fn started(&mut self, pacing: &Pacing, at_ms: u64) {
        self.next_start_ms = self.next_start_ms.max(at_ms.saturating_add(pacing.slot_ms()));
    }
}

/// When a planned start may go: at its slot, and never within a slot of the source's
/// previous start, whichever lane made it. A lane that fell behind (a slow delivery, a timer
/// that fired late) then goes on a slot at a time instead of catching up in a burst, so no
/// window of any length sees more starts than the pace allows (plus the one at its edge).
#[must_use]
pub fn due_ms(planned_ms: u64, last_start_ms: Option<u64>, pacing: &Pacing) -> u64 {
    last_start_ms.map_or(planned_ms, |last| planned_ms.max(last.saturating_add(pacing.slot_ms())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing(max_per_minute: u64, concurrency: u32) -> Pacing {
        Pacing::load(max_per_minute, Some(concurrency), true, "sources.s.destination.pacing").unwrap()
    }

    #[test]
    fn a_late_lane_waits_a_slot_after_the_last_start_and_the_next_batch_after_it() {
        let p = pacing(600, 2); // 100 ms slots
        assert_eq!(due_ms(1_200, None, &p), 1_200);
        assert_eq!(due_ms(1_200, Some(1_050), &p), 1_200, "on schedule");
        // Lane 0's delivery ran until 1_650: its slots at 1_200 and 1_400 are behind, and the
        // other lane started at 1_600, so lane 0 goes at 1_700 and then 1_800, not at once.
        assert_eq!(due_ms(1_200, Some(1_600), &p), 1_700);
        assert_eq!(due_ms(1_400, Some(1_700), &p), 1_800);
        let mut pacer = Pacer::default();
        let _ = pacer.plan(&p, 3, 1_000); // planned 1_000, 1_100, 1_200
        pacer.started(&p, 1_900);
        assert_eq!(pacer.plan(&p, 1, 1_000).now.first().map(|s| s.start_ms), Some(2_000));
    }

    #[test]
    fn starts_are_a_slot_apart_over_the_lanes() {
        let p = pacing(600, 2); // 10 a second: 100 ms apart
        let mut pacer = Pacer::default();
        let plan = pacer.plan(&p, 5, 1_000);
        let starts: Vec<(usize, u64)> = plan.now.iter().map(|s| (s.lane, s.start_ms)).collect();
        assert_eq!(starts, [(0, 1_000), (1, 1_100), (0, 1_200), (1, 1_300), (0, 1_400)]);
        assert!(plan.deferred.is_empty());
        assert_eq!(plan.lane(1).len(), 2);
    }

    #[test]
    fn the_next_batch_starts_after_the_last_one() {
        let p = pacing(60, 1); // one a second
        let mut pacer = Pacer::default();
        pacer.plan(&p, 3, 10_000); // 10 s, 11 s, 12 s
        let plan = pacer.plan(&p, 2, 10_500);
        assert_eq!(plan.now.iter().map(|s| s.start_ms).collect::<Vec<_>>(), [13_000, 14_000]);
        // After a quiet spell, it starts at once.
        let later = pacer.plan(&p, 1, 100_000);
        assert_eq!(later.now[0].start_ms, 100_000);
    }

    #[test]
    fn the_rate_over_any_window_never_exceeds_the_pace() {
        let p = pacing(120, 3); // every 500 ms
        let mut pacer = Pacer::default();
        let mut starts = Vec::new();
        for (batch, now) in [(10usize, 0u64), (10, 1_000), (7, 2_000), (10, 30_000)] {
            starts.extend(pacer.plan(&p, batch, now).now.into_iter().map(|s| s.start_ms));
        }
        starts.sort_unstable();
        for w in starts.windows(2) {
            assert!(w[1] - w[0] >= 500, "{w:?}");
        }
    }

    #[test]
    fn beyond_the_budget_messages_wait_in_the_queue_and_none_is_dropped() {
        let p = pacing(1, 1); // one a minute
        let mut pacer = Pacer::default();
        let plan = pacer.plan(&p, 4, 0);
        assert_eq!(plan.now.len() + plan.deferred.len(), 4, "every message is either delivered or deferred");
        assert_eq!(plan.now.iter().map(|s| s.start_ms).collect::<Vec<_>>(), [0, 60_000]);
        assert_eq!(plan.deferred, [Deferred { index: 2, delay_secs: 120, capped: false }, Deferred { index: 3, delay_secs: 180, capped: false }]);
        // Queues delays a message by at most 12 hours: a slot further away is capped and said so.
        let mut busy = Pacer { next_start_ms: 13 * 3_600_000 };
        let d = busy.plan(&p, 1, 0).deferred;
        assert_eq!(d, [Deferred { index: 0, delay_secs: crate::config::QUEUE_MAX_DELAY_SECS, capped: true }]);
    }

    #[test]
    fn a_batch_fits_the_budget_only_at_a_fast_enough_pace() {
        assert!(pacing(10, 1).fits_batch(10)); // 10 x 6 s = 60 s
        assert!(!pacing(9, 1).fits_batch(10));
        assert!(pacing(1, 1).fits_batch(1));
        assert_eq!(pacing(7, 1).slot_ms(), 8_572, "rounded up: never faster than asked");
    }

    #[test]
    fn bad_pacing_is_refused_by_path() {
        let errors = Pacing::load(0, Some(0), false, "sources.s.destination.pacing").unwrap_err();
        let paths: Vec<&str> = errors.iter().map(ConfigError::path).collect();
        assert_eq!(paths, ["sources.s.destination.pacing", "sources.s.destination.pacing.max_per_minute", "sources.s.destination.pacing.concurrency"]);
        assert_eq!(Pacing::load(60, None, true, "p").unwrap().concurrency, 1, "serial by default");
    }
}
