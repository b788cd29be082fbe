//! Running the handlers' futures, and awaiting the runtime's promises, with less per await
//! than `wasm-bindgen-futures`.
//!
//! `JsFuture` makes two closures per promise (each a JS function, a `FinalizationRegistry`
//! entry and a boxed Rust callback), and its executor polls a woken task in a microtask of
//! its own, after the one that settled the promise. Here one closure lives for the isolate:
//! a promise is settled into a numbered slot, and the task that awaits it is polled at once,
//! in the reaction that settled it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = "export function settle(p, id, wake) { p.then((v) => wake(id, true, v), (e) => wake(id, false, e)); }
export function deferred() { let ok, fail; const p = new Promise((a, b) => { ok = a; fail = b; }); return [p, ok, fail]; }")]
extern "C" {
    fn settle(promise: &Promise, id: u32, wake: &Function);
    fn deferred() -> js_sys::Array;
}

/// A promise's outcome, waited for by one future.
#[derive(Default)]
struct Slot {
    outcome: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
    /// The future was dropped before the promise settled: free the slot when it does.
    abandoned: bool,
}

/// Numbered entries with their numbers reused: the promise slots, and the tasks.
struct Slab<T> {
    items: Vec<T>,
    free: Vec<u32>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self { items: Vec::new(), free: Vec::new() }
    }
}

impl<T: Default> Slab<T> {
    /// A free number, its entry at its default.
    fn take(&mut self) -> u32 {
        if let Some(id) = self.free.pop() {
            return id;
        }
        self.items.push(T::default());
        u32::try_from(self.items.len() - 1).unwrap_or(u32::MAX)
    }

    fn get(&mut self, id: u32) -> Option<&mut T> {
        self.items.get_mut(id as usize)
    }

    /// Resets the entry and frees its number.
    fn release(&mut self, id: u32) {
        if let Some(item) = self.get(id) {
            *item = T::default();
            self.free.push(id);
        }
    }
}

thread_local! {
    static SLOTS: RefCell<Slab<Slot>> = RefCell::default();
    /// The one callback every awaited promise settles through.
    static WAKE: Closure<dyn FnMut(u32, bool, JsValue)> = Closure::new(settled);
}

fn settled(id: u32, ok: bool, value: JsValue) {
    let waker = SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        let slot = s.get(id)?;
        if slot.abandoned {
            s.release(id);
            return None;
        }
        slot.outcome = Some(if ok { Ok(value) } else { Err(value) });
        slot.waker.take()
    });
    if let Some(w) = waker {
        w.wake();
    }
}

/// A promise, awaited: its value, or what it was rejected with.
pub struct Settled {
    id: u32,
    done: bool,
}

impl Settled {
    pub fn new(promise: &Promise) -> Self {
        let id = SLOTS.with(|s| s.borrow_mut().take());
        WAKE.with(|w| settle(promise, id, w.as_ref().unchecked_ref()));
        Self { id, done: false }
    }
}

impl From<Promise> for Settled {
    fn from(promise: Promise) -> Self {
        Self::new(&promise)
    }
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let id = self.id;
        let ready = SLOTS.with(|s| {
            let mut s = s.borrow_mut();
            let slot = s.get(id)?;
            match slot.outcome.take() {
                Some(outcome) => {
                    s.release(id);
                    Some(outcome)
                }
                None => {
                    slot.waker = Some(cx.waker().clone());
                    None
                }
            }
        });
        match ready {
            Some(outcome) => {
                self.done = true;
                Poll::Ready(outcome)
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for Settled {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let id = self.id;
        SLOTS.with(|s| {
            let mut s = s.borrow_mut();
            let settled_already = s.get(id).is_some_and(|slot| slot.outcome.is_some());
            if settled_already {
                s.release(id);
            } else if let Some(slot) = s.get(id) {
                slot.abandoned = true;
                slot.waker = None;
            }
        });
    }
}

type Boxed = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// A handler's future and the promise the runtime waits on.
struct Task {
    future: RefCell<Option<Boxed>>,
    resolve: Function,
    reject: Function,
    waker: Waker,
    polling: Cell<bool>,
    woken: Cell<bool>,
}

thread_local! {
    /// Tasks under way, by number (a waker holds the number: the isolate runs one thread,
    /// and a `Waker` must be `Send`).
    static TASKS: RefCell<Slab<Option<Rc<Task>>>> = RefCell::default();
}

/// Wakes task number `.0`. A number reused by a later task only costs that task a poll.
struct TaskWaker(u32);

impl std::task::Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        run(self.0);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        run(self.0);
    }
}

fn run(id: u32) {
    let task = TASKS.with(|t| t.borrow_mut().get(id).cloned().flatten());
    if let Some(task) = task {
        task.run(id);
    }
}

impl Task {
    /// Polls until the future waits on something not yet there. A wake during a poll (a
    /// joined future finishing) polls again once that poll returns.
    fn run(&self, id: u32) {
        if self.polling.replace(true) {
            self.woken.set(true);
            return;
        }
        let mut cx = Context::from_waker(&self.waker);
        loop {
            self.woken.set(false);
            let mut slot = self.future.borrow_mut();
            let Some(future) = slot.as_mut() else { break };
            if let Poll::Ready(outcome) = future.as_mut().poll(&mut cx) {
                *slot = None;
                drop(slot);
                TASKS.with(|t| t.borrow_mut().release(id));
                let _ = match outcome {
                    Ok(v) => self.resolve.call1(&JsValue::UNDEFINED, &v),
                    Err(e) => self.reject.call1(&JsValue::UNDEFINED, &e),
                };
                break;
            }
            drop(slot);
            if !self.woken.get() {
                break;
            }
        }
        self.polling.set(false);
    }
}

/// Runs `future` now, up to its first wait, and returns the promise of its outcome.
pub fn promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    let parts = deferred();
    let id = TASKS.with(|t| t.borrow_mut().take());
    let task = Rc::new(Task {
        future: RefCell::new(Some(Box::pin(future))),
        resolve: parts.get(1).unchecked_into(),
        reject: parts.get(2).unchecked_into(),
        waker: Waker::from(Arc::new(TaskWaker(id))),
        polling: Cell::new(false),
        woken: Cell::new(false),
    });
    TASKS.with(|t| {
        if let Some(entry) = t.borrow_mut().get(id) {
            *entry = Some(Rc::clone(&task));
        }
    });
    task.run(id);
    parts.get(0).unchecked_into()
}

/// A future of the consumer's, boxed so that every join shares one instance of [`join_all`].
pub type Job<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Runs `jobs` concurrently until every one is done, polling each unfinished one on every
/// wake: what `futures_util::future::join_all` does for a batch's few dozen futures, without
/// its `FuturesUnordered` machinery compiled once per future type.
pub async fn join_all(mut jobs: Vec<Job<'_>>) {
    std::future::poll_fn(move |cx| {
        jobs.retain_mut(|job| job.as_mut().poll(cx).is_pending());
        if jobs.is_empty() { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen(inline_js = "export function later(ms, v, fail) { return new Promise((ok, no) => setTimeout(() => (fail ? no(v) : ok(v)), ms)); }")]
    extern "C" {
        fn later(ms: u32, v: JsValue, fail: bool) -> Promise;
    }

    /// A task's promise, awaited from the test runner's own executor.
    async fn outcome(p: Promise) -> Result<JsValue, JsValue> {
        Settled::from(p).await
    }

    #[wasm_bindgen_test]
    async fn a_task_resolves_and_rejects_its_promise() {
        assert_eq!(outcome(promise(async { Ok(JsValue::from(42)) })).await.unwrap(), 42);
        assert_eq!(outcome(promise(async { Err(JsValue::from("no")) })).await.unwrap_err(), "no");
        let chained = promise(async {
            let a = Settled::new(&later(5, 1.into(), false)).await?;
            let b = Settled::from(Promise::resolve(&JsValue::from(2))).await?;
            let c = Settled::new(&later(1, "bad".into(), true)).await;
            assert_eq!(c.unwrap_err(), "bad");
            Ok(JsValue::from(a.as_f64().unwrap() + b.as_f64().unwrap()))
        });
        assert_eq!(outcome(chained).await.unwrap(), 3);
    }

    #[wasm_bindgen_test]
    async fn many_tasks_interleave_and_slots_are_reused() {
        let tasks: Vec<Promise> = (0..200u32)
            .map(|i| {
                promise(async move {
                    let mut sum = 0.0;
                    for step in 0..3u32 {
                        let v = Settled::new(&later((i * 7 + step * 13) % 11, (i + step).into(), false)).await?;
                        sum += v.as_f64().unwrap();
                    }
                    Ok(JsValue::from(sum))
                })
            })
            .collect();
        for (i, p) in tasks.into_iter().enumerate() {
            let i = f64::from(u32::try_from(i).unwrap());
            assert_eq!(outcome(p).await.unwrap().as_f64(), Some(3.0 * i + 3.0));
        }
        // Every slot came back: at most one per promise in flight at a time (the 200 tasks'
        // and this test's own wait), never one per await.
        let (free, slots) = SLOTS.with(|s| (s.borrow().free.len(), s.borrow().items.len()));
        assert_eq!(free, slots, "a slot was not released");
        assert!(slots <= 201, "slots grew past the promises in flight: {slots}");
        let stayed = TASKS.with(|t| t.borrow().items.iter().filter(|t| t.is_some()).count());
        assert_eq!(stayed, 0, "a finished task stayed");
    }

    #[wasm_bindgen_test]
    async fn a_dropped_wait_and_a_joined_pair() {
        let p = promise(async {
            // Dropped before its promise settles: the slot is freed when it does.
            drop(Settled::new(&later(3, 0.into(), false)));
            let (a, b) = futures_util::future::join(Settled::new(&later(2, 5.into(), false)), Settled::new(&later(1, 6.into(), false))).await;
            Ok(JsValue::from(a?.as_f64().unwrap() * b?.as_f64().unwrap()))
        });
        assert_eq!(outcome(p).await.unwrap(), 30);
        Settled::new(&later(10, JsValue::NULL, false)).await.unwrap();
        let (free, slots) = SLOTS.with(|s| (s.borrow().free.len(), s.borrow().items.len()));
        assert_eq!(free, slots, "the dropped wait's slot was not released");
    }
}
