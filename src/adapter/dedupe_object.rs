//! `DedupeObject`, strict mode's Durable Object: one shard of a source's event keys, each a
//! row that `crate::lease`'s rules decide. SQL storage calls are synchronous, so a request's
//! read and write run with nothing in between, and its answer is held until the write is
//! durable: a claim is atomic across every isolate and location. An hourly alarm deletes
//! expired rows (an index on `until_ms`), so storage stays bounded.
//!
//! The class is exported by wasm-bindgen itself (worker-build's shim wraps it for panic
//! recovery), on the runtime's own `ctx.storage`, `sql.exec` and `Response`: rows are read
//! field by field, with no serde of JS values.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use super::task::{self, Settled};

use crate::lease::{self, Op, Record, Write};

use super::answer::{self, Answer};
use super::now_ms;

/// How often expired rows are swept; until then the rules treat them as absent.
const SWEEP_MS: u64 = 3600 * 1000;

#[wasm_bindgen]
extern "C" {
    /// The `ctx` (`DurableObjectState`) the runtime constructs the object with.
    pub type State;
    #[wasm_bindgen(method, getter)]
    fn storage(this: &State) -> Storage;

    type Storage;
    #[wasm_bindgen(method, getter)]
    fn sql(this: &Storage) -> Sql;
    #[wasm_bindgen(method, catch, js_name = getAlarm)]
    fn get_alarm(this: &Storage) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAlarm)]
    fn set_alarm(this: &Storage, at: f64) -> Result<Promise, JsValue>;

    type Sql;
    #[wasm_bindgen(method, catch, variadic)]
    fn exec(this: &Sql, query: &str, bindings: Array) -> Result<Cursor, JsValue>;

    type Cursor;
    #[wasm_bindgen(method, js_name = toArray)]
    fn to_array(this: &Cursor) -> Array;
}

/// The class the runtime constructs: its handlers' futures share the shard's state.
#[wasm_bindgen]
pub struct DedupeObject {
    shard: Rc<Shard>,
}

struct Shard {
    storage: Storage,
    sql: Sql,
    /// Whether this instance knows an alarm is set (checked once per instance).
    alarm_set: Cell<bool>,
}

/// An integer as SQLite gets it from JS (a number; ours are below 2^53).
fn int(v: u64) -> JsValue {
    JsValue::from_f64(v.min(i64::MAX as u64) as f64)
}

/// A column of a row, as an integer (`None`: NULL or absent).
fn column(row: &JsValue, name: &str) -> Option<u64> {
    let v = Reflect::get(row, &name.into()).ok()?.as_f64()?;
    Some(if v > 0.0 { v as u64 } else { 0 })
}

/// An answer with no body.
fn empty(status: u16) -> Result<Answer, JsValue> {
    answer::bytes(status, &[], None)
}

impl Shard {
    fn run(&self, query: &str, bindings: &[JsValue]) -> Result<Array, JsValue> {
        let bindings: Array = bindings.iter().collect();
        Ok(self.sql.exec(query, bindings)?.to_array())
    }

    fn stored(&self, key: &str) -> Result<Option<Record>, JsValue> {
        let rows = self.run("SELECT token, until_ms FROM ids WHERE key = ?", &[key.into()])?;
        let Some(row) = rows.iter().next() else { return Ok(None) };
        let until_ms = column(&row, "until_ms").unwrap_or(0);
        Ok(Some(match column(&row, "token") {
            Some(token) => Record::Leased { token, until_ms },
            None => Record::Done { until_ms },
        }))
    }

    async fn apply(&self, key: &str, write: Write) -> Result<(), JsValue> {
        match write {
            Write::Put(record) => {
                let token = match record {
                    Record::Leased { token, .. } => int(token),
                    Record::Done { .. } => JsValue::NULL,
                };
                self.run("INSERT OR REPLACE INTO ids (key, token, until_ms) VALUES (?, ?, ?)", &[key.into(), token, int(record.until_ms())])?;
                self.ensure_sweep().await
            }
            Write::Delete => self.run("DELETE FROM ids WHERE key = ?", &[key.into()]).map(|_| ()),
            Write::Keep => Ok(()),
        }
    }

    /// Sets the alarm `SWEEP_MS` from now.
    async fn sweep_later(&self) -> Result<(), JsValue> {
        Settled::from(self.storage.set_alarm((now_ms() + SWEEP_MS) as f64)?).await.map(|_| ())
    }

    async fn ensure_sweep(&self) -> Result<(), JsValue> {
        if self.alarm_set.get() {
            return Ok(());
        }
        let alarm = Settled::from(self.storage.get_alarm()?).await?;
        if alarm.as_f64().is_none() {
            self.sweep_later().await?;
        }
        self.alarm_set.set(true);
        Ok(())
    }
}

#[wasm_bindgen]
impl DedupeObject {
    #[wasm_bindgen(constructor)]
    pub fn new(state: State, _env: JsValue) -> Self {
        let storage = state.storage();
        let sql = storage.sql();
        // Idempotent; a failure here surfaces on the first query as a 500 (the Worker answers 503).
        let _ = sql.exec(
            "CREATE TABLE IF NOT EXISTS ids (key TEXT PRIMARY KEY, token INTEGER, until_ms INTEGER NOT NULL); \
             CREATE INDEX IF NOT EXISTS ids_until ON ids (until_ms)",
            Array::new(),
        );
        Self { shard: Rc::new(Shard { storage, sql, alarm_set: Cell::new(false) }) }
    }

    /// One operation on one key, named by the URL (`crate::lease::Op`).
    pub fn fetch(&self, req: web_sys::Request) -> Promise {
        let shard = Rc::clone(&self.shard);
        task::promise(async move { shard.fetch(req).await })
    }

    /// The sweep (see [`Shard::alarm`]).
    pub fn alarm(&self) -> Promise {
        let shard = Rc::clone(&self.shard);
        task::promise(async move { shard.alarm().await })
    }
}

impl Shard {
    /// One operation on one key, named by the URL (`crate::lease::Op`).
    async fn fetch(&self, req: web_sys::Request) -> Result<JsValue, JsValue> {
        let Some((key, op)) = Op::parse(&req.url()) else {
            return answer::bytes(400, b"unknown operation", None).map(Into::into);
        };
        let stored = self.stored(&key)?;
        let now = now_ms();
        // The rules decide first, so that one write (one await) serves every operation.
        let (write, (code, retry_after_ms)) = match op {
            Op::Claim { token, lease_ms } => {
                let (answer, write) = lease::claim(stored, now, lease_ms, token);
                (write, answer.status())
            }
            Op::Commit { window_ms } => (lease::commit(stored, now, window_ms), (lease::status::STORED, None)),
            Op::Release { token } => (lease::release(stored, token), (lease::status::STORED, None)),
        };
        self.apply(&key, write).await?;
        let resp = empty(code)?;
        Ok(match retry_after_ms {
            Some(ms) => answer::with(resp, lease::RETRY_AFTER_MS_HEADER, &ms.to_string())?,
            None => resp,
        }
        .into())
    }

    /// The sweep: deletes expired rows, and sets the next alarm while rows are left.
    async fn alarm(&self) -> Result<JsValue, JsValue> {
        self.run("DELETE FROM ids WHERE until_ms <= ?", &[int(now_ms())])?;
        let left = self.run("SELECT COUNT(*) AS n FROM ids", &[])?;
        if left.iter().next().and_then(|row| column(&row, "n")).is_some_and(|n| n > 0) {
            self.sweep_later().await?;
        } else {
            self.alarm_set.set(false);
        }
        Ok(JsValue::UNDEFINED)
    }
}
