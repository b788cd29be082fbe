//! Strict dedupe's rules: what the Durable Object that owns an event key answers to claim,
//! commit and release, given what it has stored and the time, and what it stores next. The
//! object applies these one request at a time (a synchronous SQL read and write, with output
//! held until the write is durable), which is what makes the claim atomic across isolates
//! and locations; it keeps no rule of its own.
//!
//! The lifecycle of an id: nothing → `Leased` (one holder hands the event on) → `Done`
//! (a duplicate for the window) → expired and deleted. A failed hand-off releases the lease;
//! a holder that dies leaves it to expire.

/// What the object stores about its id. (The object stores it as SQL columns; serde is for
/// the fuzz harness, natively only.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(not(target_arch = "wasm32"), serde(tag = "state", rename_all = "snake_case"))]
pub enum Record {
    /// Being handed on by the holder of `token`, until `until_ms` at the latest.
    Leased {
        /// The holder's token, so only it can release the lease.
        token: u64,
        /// When the lease lapses (unix ms).
        until_ms: u64,
    },
    /// Handed on: copies are duplicates until `until_ms`.
    Done {
        /// End of the dedupe window (unix ms).
        until_ms: u64,
    },
}

impl Record {
    /// When the record stops counting.
    #[must_use]
    pub fn until_ms(self) -> u64 {
        match self {
            Self::Leased { until_ms, .. } | Self::Done { until_ms } => until_ms,
        }
    }

    fn live_at(self, now_ms: u64) -> bool {
        self.until_ms() > now_ms
    }
}

/// The answer to a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The caller holds the lease: hand the event on, then commit or release.
    Granted,
    /// Another holder is handing it on; ask again after this long.
    Held {
        /// Time left on that lease.
        retry_after_ms: u64,
    },
    /// Already handed on within the window.
    Done,
}

/// What to do with the stored record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Store this record (and wake up at its `until_ms` to delete it).
    Put(Record),
    /// Delete the record.
    Delete,
    /// Leave storage as it is.
    Keep,
}

/// A claim by the holder of `token` for `lease_ms`.
#[must_use]
pub fn claim(stored: Option<Record>, now_ms: u64, lease_ms: u64, token: u64) -> (Claim, Write) {
    match stored.filter(|r| r.live_at(now_ms)) {
        None => (Claim::Granted, Write::Put(Record::Leased { token, until_ms: now_ms.saturating_add(lease_ms) })),
        Some(Record::Leased { until_ms, .. }) => (Claim::Held { retry_after_ms: until_ms - now_ms }, Write::Keep),
        Some(Record::Done { .. }) => (Claim::Done, Write::Keep),
    }
}

/// The hand-off succeeded. Recorded whatever the lease's state: even a holder whose lease
/// lapsed did hand the event on, and every later copy must be a duplicate.
#[must_use]
pub fn commit(stored: Option<Record>, now_ms: u64, window_ms: u64) -> Write {
    let until_ms = now_ms.saturating_add(window_ms);
    match stored {
        Some(Record::Done { until_ms: kept }) if kept >= until_ms => Write::Keep,
        _ => Write::Put(Record::Done { until_ms }),
    }
}

/// The hand-off failed: free the id for the provider's retry, if the lease is still ours.
#[must_use]
pub fn release(stored: Option<Record>, token: u64) -> Write {
    match stored {
        Some(Record::Leased { token: held, .. }) if held == token => Write::Delete,
        _ => Write::Keep,
    }
}

/// The object's alarm: delete what has expired, so storage stays bounded; otherwise wake
/// up again when the record expires.
#[must_use]
pub fn alarm(stored: Option<Record>, now_ms: u64) -> Write {
    match stored {
        Some(r) if r.live_at(now_ms) => Write::Put(r),
        Some(_) => Write::Delete,
        None => Write::Keep,
    }
}

/// One request to the object, as its URL path and query carry it (with `key=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `/claim?token=T&lease_ms=L`
    Claim {
        /// The caller's token.
        token: u64,
        /// How long the lease holds.
        lease_ms: u64,
    },
    /// `/commit?window_ms=W`
    Commit {
        /// How long the id stays a duplicate.
        window_ms: u64,
    },
    /// `/release?token=T`
    Release {
        /// The caller's token.
        token: u64,
    },
}

/// Longest lease a caller may ask for: the hand-off's own limit is at most 30 s.
pub const MAX_LEASE_MS: u64 = 5 * 60 * 1000;

impl Op {
    /// The name of the operation, for error messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Claim { .. } => "claim",
            Self::Commit { .. } => "commit",
            Self::Release { .. } => "release",
        }
    }

    /// The request path and query for this operation on `key`.
    #[must_use]
    pub fn path(self, key: &str) -> String {
        let mut query = String::new();
        crate::form::append_pair(&mut query, "key", key);
        match self {
            Self::Claim { token, lease_ms } => {
                crate::form::append_pair(&mut query, "token", &token.to_string());
                crate::form::append_pair(&mut query, "lease_ms", &lease_ms.to_string());
            }
            Self::Commit { window_ms } => crate::form::append_pair(&mut query, "window_ms", &window_ms.to_string()),
            Self::Release { token } => crate::form::append_pair(&mut query, "token", &token.to_string()),
        }
        format!("/{}?{query}", self.name())
    }

    /// Reads an operation and its key from a request URL; `None` for anything else.
    #[must_use]
    pub fn parse(url: &str) -> Option<(String, Self)> {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path_and_query = after_scheme.find('/').map_or("", |i| after_scheme.get(i..).unwrap_or(""));
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let text = |name: &str| crate::form::first(query.as_bytes(), name);
        let param = |name: &str| text(name).and_then(|v| v.parse::<u64>().ok());
        let key = text("key").filter(|k| !k.is_empty())?;
        let op = match path {
            "/claim" => Self::Claim { token: param("token")?, lease_ms: param("lease_ms")?.min(MAX_LEASE_MS) },
            "/commit" => Self::Commit { window_ms: param("window_ms")? },
            "/release" => Self::Release { token: param("token")? },
            _ => return None,
        };
        Some((key, op))
    }
}

/// HTTP status of each claim answer between the Worker and the object.
pub mod status {
    /// The lease is the caller's.
    pub const GRANTED: u16 = 200;
    /// Committed or released.
    pub const STORED: u16 = 204;
    /// Already handed on (208 Already Reported).
    pub const DONE: u16 = 208;
    /// Another holder has it; the `retry-after-ms` header says for how long.
    pub const HELD: u16 = 409;
}

/// Header carrying [`Claim::Held`]'s `retry_after_ms`.
pub const RETRY_AFTER_MS_HEADER: &str = "retry-after-ms";

impl Claim {
    /// The status (and `retry-after-ms`) the object answers.
    #[must_use]
    pub fn status(self) -> (u16, Option<u64>) {
        match self {
            Self::Granted => (status::GRANTED, None),
            Self::Held { retry_after_ms } => (status::HELD, Some(retry_after_ms)),
            Self::Done => (status::DONE, None),
        }
    }

    /// Reads the object's answer; `None` for any other status (the object failed).
    #[must_use]
    pub fn from_status(code: u16, retry_after_ms: Option<u64>) -> Option<Self> {
        match code {
            status::GRANTED => Some(Self::Granted),
            status::HELD => Some(Self::Held { retry_after_ms: retry_after_ms.unwrap_or(1000) }),
            status::DONE => Some(Self::Done),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEASE: u64 = 15_000;
    const WINDOW: u64 = 60_000;

    #[test]
    fn the_first_claim_wins_and_a_second_waits_for_the_lease() {
        let (first, write) = claim(None, 1_000, LEASE, 7);
        assert_eq!(first, Claim::Granted);
        let Write::Put(stored) = write else { panic!("{write:?}") };
        assert_eq!(stored, Record::Leased { token: 7, until_ms: 16_000 });
        assert_eq!(claim(Some(stored), 6_000, LEASE, 8), (Claim::Held { retry_after_ms: 10_000 }, Write::Keep));
    }

    #[test]
    fn after_commit_copies_are_duplicates_until_the_window_ends() {
        let leased = Record::Leased { token: 7, until_ms: 16_000 };
        let Write::Put(done) = commit(Some(leased), 2_000, WINDOW) else { panic!() };
        assert_eq!(done, Record::Done { until_ms: 62_000 });
        assert_eq!(claim(Some(done), 61_999, LEASE, 9), (Claim::Done, Write::Keep));
        assert_eq!(claim(Some(done), 62_000, LEASE, 9).0, Claim::Granted, "expired: handed on again");
    }

    #[test]
    fn a_release_frees_the_id_for_the_retry_but_only_the_holders() {
        let leased = Record::Leased { token: 7, until_ms: 16_000 };
        assert_eq!(release(Some(leased), 8), Write::Keep);
        assert_eq!(release(Some(leased), 7), Write::Delete);
        assert_eq!(release(Some(Record::Done { until_ms: 9 }), 7), Write::Keep);
        assert_eq!(claim(None, 2_000, LEASE, 8).0, Claim::Granted);
    }

    #[test]
    fn a_lease_whose_holder_died_lapses_and_can_be_claimed_again() {
        let leased = Record::Leased { token: 7, until_ms: 16_000 };
        assert_eq!(claim(Some(leased), 15_999, LEASE, 8).0, Claim::Held { retry_after_ms: 1 });
        let (again, write) = claim(Some(leased), 16_000, LEASE, 8);
        assert_eq!(again, Claim::Granted);
        assert_eq!(write, Write::Put(Record::Leased { token: 8, until_ms: 31_000 }));
        // The dead holder's late release cannot free the new lease.
        assert_eq!(release(Some(Record::Leased { token: 8, until_ms: 31_000 }), 7), Write::Keep);
    }

    #[test]
    fn a_late_commit_still_records_the_hand_off() {
        let taken_over = Record::Leased { token: 8, until_ms: 31_000 };
        assert_eq!(commit(Some(taken_over), 20_000, WINDOW), Write::Put(Record::Done { until_ms: 80_000 }));
        assert_eq!(commit(Some(Record::Done { until_ms: 90_000 }), 20_000, WINDOW), Write::Keep);
    }

    #[test]
    fn the_alarm_deletes_expired_records_and_keeps_live_ones() {
        let done = Record::Done { until_ms: 5_000 };
        assert_eq!(alarm(Some(done), 4_000), Write::Put(done));
        assert_eq!(alarm(Some(done), 5_000), Write::Delete);
        assert_eq!(alarm(None, 5_000), Write::Keep);
    }

    #[test]
    fn operations_round_trip_through_their_urls_and_bad_ones_are_refused() {
        let key = "hookgate:v1:src:signed-sha256:ab&c=d e";
        for op in [Op::Claim { token: u64::MAX, lease_ms: 15_000 }, Op::Commit { window_ms: 60_000 }, Op::Release { token: 3 }] {
            assert_eq!(Op::parse(&format!("https://dedupe{}", op.path(key))), Some((key.to_string(), op)));
        }
        assert_eq!(Op::parse("https://dedupe/claim?key=k&token=1&lease_ms=999999999"), Some(("k".into(), Op::Claim { token: 1, lease_ms: MAX_LEASE_MS })));
        assert_eq!(Op::parse("https://dedupe/claim?key=k&token=x&lease_ms=1"), None);
        assert_eq!(Op::parse("https://dedupe/commit?window_ms=1"), None, "no key");
        assert_eq!(Op::parse("https://dedupe/other?key=k"), None);
        assert_eq!(Op::parse("garbage"), None);
        for c in [Claim::Granted, Claim::Held { retry_after_ms: 42 }, Claim::Done] {
            let (code, after) = c.status();
            assert_eq!(Claim::from_status(code, after), Some(c));
        }
        assert_eq!(Claim::from_status(500, None), None);
    }
}
