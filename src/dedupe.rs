//! Dedupe: the event's key, how long it is remembered, and the order of operations that
//! makes "never lost" hold. KV mode: look up → hand on → remember; the id is written only
//! after a successful hand-off, so a failed one leaves the provider free to retry. Strict
//! mode: claim → hand on → commit, or release on failure, against a store that decides
//! atomically (a Durable Object, see [`crate::lease`]). Stores only store; the sequences
//! live here.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;

use crate::crypto::sha256_hex;

/// Longest event id used as is; longer or unusual ids are hashed (KV keys are at most
/// 512 bytes, and the id also travels in headers).
pub const MAX_PLAIN_ID_BYTES: usize = 200;

/// The id used for dedupe and for the origin: the scheme's id when it is plain printable
/// ASCII of reasonable length, its SHA-256 otherwise, and a digest of the body when the
/// scheme has no id.
#[must_use]
pub fn event_id(scheme_id: Option<&str>, body: &[u8]) -> String {
    match scheme_id {
        Some(id) if !id.is_empty() && id.len() <= MAX_PLAIN_ID_BYTES && id.bytes().all(|b| (0x21..=0x7e).contains(&b)) => {
            id.to_string()
        }
        Some(id) => format!("sha256:{}", sha256_hex(id.as_bytes())),
        None => format!("body-sha256:{}", sha256_hex(body)),
    }
}

/// The store key of an event, namespaced by source: its id when the provider signed the id,
/// else the digest of what the provider signed (`signed_digest`), so that a captured request
/// re-sent with a fresh unsigned id is still the same event.
#[must_use]
pub fn key(source: &str, event_id: &str, signed_digest: Option<&str>) -> String {
    match signed_digest {
        Some(digest) => format!("hookgate:v1:{source}:signed-sha256:{digest}"),
        None => format!("hookgate:v1:{source}:{event_id}"),
    }
}

/// The strict-mode object that owns `key`: one of `shards` per source, picked by a hash of
/// the key (FNV-1a; not a secret, and only verified events get this far). One object serves
/// on the order of 1,000 requests a second, two per event (claim, commit), so each shard
/// carries some 500 events a second; shards share the load without sharing any state.
#[must_use]
pub fn shard(source: &str, key: &str, shards: u32) -> String {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("hookgate:v1:{source}:shard:{}", hash % u64::from(shards.max(1)))
}

/// A store that could not answer. Never a rejection: the provider must retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

/// Where handed-on ids are remembered.
#[allow(async_fn_in_trait)]
pub trait DedupeStore {
    /// Whether the key was remembered.
    ///
    /// # Errors
    /// The store is unavailable.
    async fn seen(&self, key: &str) -> Result<bool, StoreError>;
    /// Remembers the key for `ttl_secs`.
    ///
    /// # Errors
    /// The store is unavailable.
    async fn remember(&self, key: &str, ttl_secs: u64) -> Result<(), StoreError>;
}

/// How one delivery ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T, E> {
    /// Handed on now; `remembered` is false when the store write failed after the hand-off
    /// (a retry of the same event may then be handed on again).
    HandedOn {
        /// What the hand-off returned.
        value: T,
        /// Whether the id was written.
        remembered: bool,
    },
    /// Already handed on within the window: not handed on again.
    Duplicate,
    /// Another copy of this event is being handed on right now: not handed on; the
    /// provider should retry later and will then see `Duplicate` (or, if that hand-off
    /// failed, go through). `retry_after_ms`: how long the other claim may still hold,
    /// when the store knows.
    InFlight {
        /// Time left on the other copy's lease, if known.
        retry_after_ms: Option<u64>,
    },
    /// The hand-off failed: nothing remembered, the provider should retry.
    Failed(E),
    /// The store could not be read: nothing handed on, the provider should retry.
    StoreUnavailable(StoreError),
}

/// Ids being handed on right now in this isolate. A hand-off is remembered in the store
/// only once it has finished, so a second copy arriving meanwhile (a provider retrying a
/// slow answer, or delivering twice at once) would pass the store lookup; within one
/// isolate this set catches it. Copies in other isolates or locations are what a strict
/// store (a Durable Object) is for.
///
/// Each claim carries a deadline: a request the runtime cancels may never run its drop,
/// and a stuck claim must not turn every later copy away.
#[derive(Clone, Debug, Default)]
pub struct InFlight(Rc<RefCell<Claims>>);

/// Claims by key (deadline, generation), and the last generation handed out: it only grows,
/// so a stuck claim's late drop can never match a newer claim, even after the map emptied.
#[derive(Debug, Default)]
struct Claims {
    by_key: crate::sorted_map::SortedMap<String, (u64, u64)>,
    last_generation: u64,
}

/// A held claim on a key; dropping it (the hand-off ended, or the request was cancelled)
/// lets the next copy through.
#[derive(Debug)]
pub struct Claim {
    set: InFlight,
    key: String,
    generation: u64,
}

impl InFlight {
    /// Claims `key` for the window's hold.
    #[must_use]
    pub fn claim_within(&self, key: &str, window: ClaimWindow) -> Option<Claim> {
        self.claim(key, window.now_ms, window.now_ms.saturating_add(window.hold_ms))
    }

    /// How many claims are held (expired ones included until taken over or dropped).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.borrow().by_key.len()
    }

    /// Whether no claim is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Claims `key` until `until_ms`, or `None` while another copy holds an unexpired claim.
    #[must_use]
    pub fn claim(&self, key: &str, now_ms: u64, until_ms: u64) -> Option<Claim> {
        let mut claims = self.0.borrow_mut();
        if claims.by_key.get(key).is_some_and(|(deadline, _)| *deadline > now_ms) {
            return None;
        }
        claims.last_generation += 1;
        let generation = claims.last_generation;
        claims.by_key.insert(key.to_string(), (until_ms, generation));
        Some(Claim { set: self.clone(), key: key.to_string(), generation })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut claims = self.set.0.borrow_mut();
        // Only our own claim: an expired one may have been taken over since.
        if claims.by_key.get(&self.key).is_some_and(|(_, g)| *g == self.generation) {
            claims.by_key.remove(&self.key);
        }
    }
}

/// How long a claim may be held: the hand-off's own time limit plus a margin for the
/// store calls around it.
#[derive(Clone, Copy, Debug)]
pub struct ClaimWindow {
    /// Now, in unix milliseconds.
    pub now_ms: u64,
    /// How long the claim holds.
    pub hold_ms: u64,
}

/// Looks the key up, hands the event on if it is new, and remembers it only on success.
/// `store = None` turns dedupe off (and with it the in-flight guard).
pub async fn hand_on_once<S, T, E, F, Fut>(
    store: Option<&S>,
    in_flight: &InFlight,
    window: ClaimWindow,
    key: &str,
    ttl_secs: u64,
    hand_off: F,
) -> Outcome<T, E>
where
    S: DedupeStore,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let _claim = match store {
        Some(_) => match in_flight.claim_within(key, window) {
            Some(claim) => Some(claim),
            None => return Outcome::InFlight { retry_after_ms: None },
        },
        None => None,
    };
    if let Some(store) = store {
        match store.seen(key).await {
            Ok(true) => return Outcome::Duplicate,
            Ok(false) => {}
            Err(e) => return Outcome::StoreUnavailable(e),
        }
    }
    match hand_off().await {
        Err(e) => Outcome::Failed(e),
        Ok(value) => {
            let remembered = match store {
                Some(store) => store.remember(key, ttl_secs).await.is_ok(),
                None => false,
            };
            Outcome::HandedOn { value, remembered }
        }
    }
}

/// A store that owns ids atomically: strict mode's Durable Object.
#[allow(async_fn_in_trait)]
pub trait LeaseStore {
    /// Claims `key` for `lease_ms`; `Granted` carries the token that commits or releases it.
    ///
    /// # Errors
    /// The store cannot be reached or did not answer.
    async fn claim(&self, key: &str, lease_ms: u64) -> Result<(crate::lease::Claim, u64), StoreError>;
    /// Marks `key` handed on for `window_secs`.
    ///
    /// # Errors
    /// The store cannot be reached.
    async fn commit(&self, key: &str, window_secs: u64) -> Result<(), StoreError>;
    /// Frees `key` if `token` still holds it.
    ///
    /// # Errors
    /// The store cannot be reached.
    async fn release(&self, key: &str, token: u64) -> Result<(), StoreError>;
}

/// Strict mode: claims the key, hands the event on only if the claim is granted, then
/// commits (retried once: a lost commit would let a later copy through once the lease
/// lapses) or releases so the provider's retry can claim it. An origin that times out is a
/// failure too: hookgate cannot know whether the origin processed the event, so the lease is
/// released and the origin must dedupe on `X-Hookgate-Event-Id` for that one case.
pub async fn hand_on_exactly_once<L, T, E, F, Fut>(
    store: &L,
    in_flight: &InFlight,
    window: ClaimWindow,
    key: &str,
    window_secs: u64,
    hand_off: F,
) -> Outcome<T, E>
where
    L: LeaseStore,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // Copies in this isolate wait here without a round trip to the object.
    let Some(_local) = in_flight.claim_within(key, window) else {
        return Outcome::InFlight { retry_after_ms: None };
    };
    let token = match store.claim(key, window.hold_ms).await {
        Err(e) => return Outcome::StoreUnavailable(e),
        Ok((crate::lease::Claim::Done, _)) => return Outcome::Duplicate,
        Ok((crate::lease::Claim::Held { retry_after_ms }, _)) => {
            return Outcome::InFlight { retry_after_ms: Some(retry_after_ms) };
        }
        Ok((crate::lease::Claim::Granted, token)) => token,
    };
    match hand_off().await {
        Err(e) => {
            // If the release is lost too, the lease lapses after `hold_ms` by itself.
            let _ = store.release(key, token).await;
            Outcome::Failed(e)
        }
        Ok(value) => {
            let remembered = match store.commit(key, window_secs).await {
                Ok(()) => true,
                Err(_) => store.commit(key, window_secs).await.is_ok(),
            };
            Outcome::HandedOn { value, remembered }
        }
    }
}

/// An in-memory strict store for tests: the rules of [`crate::lease`] over a map, with a
/// clock the test moves.
#[derive(Debug, Default)]
pub struct MemoryLeases {
    records: RefCell<BTreeMap<String, crate::lease::Record>>,
    /// Current time in ms.
    pub now_ms: std::cell::Cell<u64>,
    next_token: std::cell::Cell<u64>,
    /// Makes every call fail, to test the failure paths.
    pub unavailable: bool,
}

impl MemoryLeases {
    fn apply(&self, key: &str, write: crate::lease::Write) {
        match write {
            crate::lease::Write::Put(r) => {
                self.records.borrow_mut().insert(key.to_string(), r);
            }
            crate::lease::Write::Delete => {
                self.records.borrow_mut().remove(key);
            }
            crate::lease::Write::Keep => {}
        }
    }

    fn check(&self) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError("memory leases set unavailable".into()));
        }
        Ok(())
    }
}

impl LeaseStore for MemoryLeases {
    async fn claim(&self, key: &str, lease_ms: u64) -> Result<(crate::lease::Claim, u64), StoreError> {
        self.check()?;
        let token = self.next_token.get() + 1;
        self.next_token.set(token);
        let stored = self.records.borrow().get(key).copied();
        let (answer, write) = crate::lease::claim(stored, self.now_ms.get(), lease_ms, token);
        self.apply(key, write);
        Ok((answer, token))
    }

    async fn commit(&self, key: &str, window_secs: u64) -> Result<(), StoreError> {
        self.check()?;
        let stored = self.records.borrow().get(key).copied();
        self.apply(key, crate::lease::commit(stored, self.now_ms.get(), window_secs.saturating_mul(1000)));
        Ok(())
    }

    async fn release(&self, key: &str, token: u64) -> Result<(), StoreError> {
        self.check()?;
        let stored = self.records.borrow().get(key).copied();
        self.apply(key, crate::lease::release(stored, token));
        Ok(())
    }
}

/// An in-memory store for tests and local tools.
#[derive(Debug, Default)]
pub struct MemoryStore {
    keys: std::cell::RefCell<std::collections::BTreeMap<String, u64>>,
    /// Makes every call fail, to test the failure paths.
    pub unavailable: bool,
}

impl DedupeStore for MemoryStore {
    async fn seen(&self, key: &str) -> Result<bool, StoreError> {
        if self.unavailable {
            return Err(StoreError("memory store set unavailable".into()));
        }
        Ok(self.keys.borrow().contains_key(key))
    }

    async fn remember(&self, key: &str, ttl_secs: u64) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError("memory store set unavailable".into()));
        }
        self.keys.borrow_mut().insert(key.to_string(), ttl_secs);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pollster::block_on;

    const W: ClaimWindow = ClaimWindow { now_ms: 1_000, hold_ms: 10_000 };

    #[test]
    fn keeps_plain_ids_and_hashes_odd_ones() {
        assert_eq!(event_id(Some("evt_1"), b"x"), "evt_1");
        assert!(event_id(Some("a b\n"), b"x").starts_with("sha256:"));
        assert!(event_id(Some(&"x".repeat(201)), b"x").starts_with("sha256:"));
        assert_eq!(event_id(None, b"x"), format!("body-sha256:{}", sha256_hex(b"x")));
        assert_eq!(key("stripe", "evt_1", None), "hookgate:v1:stripe:evt_1");
        assert_eq!(key("github", "d-1", Some("ab12")), "hookgate:v1:github:signed-sha256:ab12");
    }

    #[test]
    fn a_key_always_lands_on_the_same_shard_and_keys_spread() {
        assert_eq!(shard("s", "hookgate:v1:s:evt_1", 16), shard("s", "hookgate:v1:s:evt_1", 16));
        let used: std::collections::BTreeSet<String> = (0..200).map(|i| shard("s", &format!("hookgate:v1:s:evt_{i}"), 16)).collect();
        assert_eq!(used.len(), 16);
        assert_eq!(shard("s", "k", 1), "hookgate:v1:s:shard:0");
        assert_eq!(shard("s", "k", 0), "hookgate:v1:s:shard:0", "0 is read as 1, never a division by zero");
    }

    #[test]
    fn hands_on_once_and_remembers_only_after_success() {
        let store = MemoryStore::default();
        let first: Outcome<u16, ()> = block_on(hand_on_once(Some(&store), &InFlight::default(), W, "k", 60, || async { Ok(200) }));
        assert_eq!(first, Outcome::HandedOn { value: 200, remembered: true });
        let again: Outcome<u16, ()> = block_on(hand_on_once(Some(&store), &InFlight::default(), W, "k", 60, || async { Ok(200) }));
        assert_eq!(again, Outcome::Duplicate);
    }

    #[test]
    fn a_failed_hand_off_is_not_remembered_so_the_retry_goes_through() {
        let store = MemoryStore::default();
        let failed: Outcome<u16, &str> = block_on(hand_on_once(Some(&store), &InFlight::default(), W, "k", 60, || async { Err("origin 500") }));
        assert_eq!(failed, Outcome::Failed("origin 500"));
        let retry: Outcome<u16, &str> = block_on(hand_on_once(Some(&store), &InFlight::default(), W, "k", 60, || async { Ok(200) }));
        assert_eq!(retry, Outcome::HandedOn { value: 200, remembered: true });
    }

    #[test]
    fn a_copy_arriving_during_the_hand_off_is_not_handed_on() {
        let store = MemoryStore::default();
        let in_flight = InFlight::default();
        let outer: Outcome<Outcome<u16, ()>, ()> = block_on(hand_on_once(Some(&store), &in_flight, W, "k", 60, || async {
            let inner: Outcome<u16, ()> = hand_on_once(Some(&store), &in_flight, W, "k", 60, || async { Ok(200) }).await;
            Ok(inner)
        }));
        assert_eq!(outer, Outcome::HandedOn { value: Outcome::InFlight { retry_after_ms: None }, remembered: true });
        // The claim ended with the hand-off: the next copy is a plain duplicate.
        let later: Outcome<u16, ()> = block_on(hand_on_once(Some(&store), &in_flight, W, "k", 60, || async { Ok(200) }));
        assert_eq!(later, Outcome::Duplicate);
        // A failed hand-off releases the claim too.
        let failed: Outcome<u16, ()> = block_on(hand_on_once(Some(&store), &in_flight, W, "f", 60, || async { Err(()) }));
        assert_eq!(failed, Outcome::Failed(()));
        assert!(in_flight.claim("f", 0, 1).is_some());
    }

    #[test]
    fn a_stuck_claim_expires_and_its_late_drop_does_not_free_the_new_one() {
        let in_flight = InFlight::default();
        let stuck = in_flight.claim("k", 1_000, 2_000).unwrap();
        assert!(in_flight.claim("k", 1_999, 3_000).is_none());
        let fresh = in_flight.claim("k", 2_000, 5_000).unwrap();
        drop(stuck);
        assert!(in_flight.claim("k", 2_500, 6_000).is_none(), "the fresh claim still holds");
        drop(fresh);
        assert!(in_flight.claim("k", 2_500, 6_000).is_some());
    }

    fn strict(store: &MemoryLeases, in_flight: &InFlight, key: &str, result: Result<u16, &'static str>) -> Outcome<u16, &'static str> {
        let window = ClaimWindow { now_ms: store.now_ms.get(), hold_ms: 15_000 };
        block_on(hand_on_exactly_once(store, in_flight, window, key, 60, || async { result }))
    }

    #[test]
    fn strict_claims_hands_on_once_and_commits() {
        let store = MemoryLeases::default();
        let local = InFlight::default();
        assert_eq!(strict(&store, &local, "k", Ok(200)), Outcome::HandedOn { value: 200, remembered: true });
        assert_eq!(strict(&store, &local, "k", Ok(200)), Outcome::Duplicate);
        store.now_ms.set(60_000);
        assert_eq!(strict(&store, &local, "k", Ok(201)), Outcome::HandedOn { value: 201, remembered: true }, "the window ended");
    }

    #[test]
    fn strict_releases_a_failed_hand_off_so_the_retry_goes_through_once() {
        let store = MemoryLeases::default();
        let local = InFlight::default();
        assert_eq!(strict(&store, &local, "k", Err("origin 500")), Outcome::Failed("origin 500"));
        assert_eq!(strict(&store, &local, "k", Ok(200)), Outcome::HandedOn { value: 200, remembered: true });
        assert_eq!(strict(&store, &local, "k", Ok(200)), Outcome::Duplicate);
    }

    #[test]
    fn strict_turns_away_a_copy_from_another_isolate_while_the_lease_holds() {
        let store = MemoryLeases::default();
        // The first copy's holder claimed and then died: no commit, no release.
        let (granted, _) = block_on(store.claim("k", 15_000)).unwrap();
        assert_eq!(granted, crate::lease::Claim::Granted);
        store.now_ms.set(5_000);
        let other_isolate = InFlight::default();
        assert_eq!(strict(&store, &other_isolate, "k", Ok(200)), Outcome::InFlight { retry_after_ms: Some(10_000) });
        store.now_ms.set(15_000);
        assert_eq!(strict(&store, &other_isolate, "k", Ok(200)), Outcome::HandedOn { value: 200, remembered: true }, "the lease lapsed");
    }

    #[test]
    fn strict_hands_nothing_on_when_the_object_cannot_be_reached() {
        let store = MemoryLeases { unavailable: true, ..MemoryLeases::default() };
        let mut called = false;
        let window = ClaimWindow { now_ms: 0, hold_ms: 15_000 };
        let out: Outcome<u16, ()> = block_on(hand_on_exactly_once(&store, &InFlight::default(), window, "k", 60, || {
            called = true;
            async { Ok(200) }
        }));
        assert!(matches!(out, Outcome::StoreUnavailable(_)));
        assert!(!called);
    }

    #[test]
    fn a_stuck_claim_cannot_free_a_newer_one_after_the_map_emptied() {
        let in_flight = InFlight::default();
        let stuck = in_flight.claim("k", 1_000, 2_000).unwrap();
        // The stuck claim expires; another copy claims, finishes, and empties the map...
        drop(in_flight.claim("k", 2_000, 5_000).unwrap());
        // ...so the next claim must not reuse a generation the stuck one could match.
        let fresh = in_flight.claim("k", 2_100, 6_000).unwrap();
        drop(stuck);
        assert!(in_flight.claim("k", 2_200, 7_000).is_none(), "the fresh claim still holds");
        drop(fresh);
    }

    #[test]
    fn an_unreadable_store_hands_nothing_on() {
        let store = MemoryStore { unavailable: true, ..MemoryStore::default() };
        let mut called = false;
        let out: Outcome<u16, ()> = block_on(hand_on_once(Some(&store), &InFlight::default(), W, "k", 60, || {
            called = true;
            async { Ok(200) }
        }));
        assert!(matches!(out, Outcome::StoreUnavailable(_)));
        assert!(!called);
    }
}
