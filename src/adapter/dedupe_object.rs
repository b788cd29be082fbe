//! `DedupeObject`, strict mode's Durable Object: one shard of a source's event keys, each a
//! row that `crate::lease`'s rules decide. SQL storage calls are synchronous, so a request's
//! read and write run with nothing in between, and its answer is held until the write is
//! durable: a claim is atomic across every isolate and location. An hourly alarm deletes
//! expired rows (an index on `until_ms`), so storage stays bounded.

use std::cell::Cell;

use serde::Deserialize;
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, SqlStorage, SqlStorageValue, State};

use crate::lease::{self, Op, Record, Write};

/// How often expired rows are swept; until then the rules treat them as absent.
const SWEEP_MS: u64 = 3600 * 1000;

#[durable_object(alarm)]
pub struct DedupeObject {
    state: State,
    sql: SqlStorage,
    /// Whether this instance knows an alarm is set (checked once per instance).
    alarm_set: Cell<bool>,
}

#[derive(Deserialize)]
struct Row {
    token: Option<i64>,
    until_ms: i64,
}

fn now_ms() -> u64 {
    Date::now().as_millis()
}

fn int(v: u64) -> SqlStorageValue {
    SqlStorageValue::from(i64::try_from(v).unwrap_or(i64::MAX))
}

impl DedupeObject {
    fn stored(&self, key: &str) -> Result<Option<Record>> {
        let rows: Vec<Row> = self.sql.exec("SELECT token, until_ms FROM ids WHERE key = ?", vec![key.into()])?.to_array()?;
        Ok(rows.first().map(|r| {
            let until_ms = u64::try_from(r.until_ms).unwrap_or(0);
            match r.token {
                Some(t) => Record::Leased { token: u64::try_from(t).unwrap_or(0), until_ms },
                None => Record::Done { until_ms },
            }
        }))
    }

    async fn apply(&self, key: &str, write: Write) -> Result<()> {
        match write {
            Write::Put(record) => {
                let token = match record {
                    Record::Leased { token, .. } => int(token),
                    Record::Done { .. } => SqlStorageValue::Null,
                };
                self.sql.exec(
                    "INSERT OR REPLACE INTO ids (key, token, until_ms) VALUES (?, ?, ?)",
                    vec![key.into(), token, int(record.until_ms())],
                )?;
                self.ensure_sweep().await
            }
            Write::Delete => self.sql.exec("DELETE FROM ids WHERE key = ?", vec![key.into()]).map(|_| ()),
            Write::Keep => Ok(()),
        }
    }

    async fn ensure_sweep(&self) -> Result<()> {
        if self.alarm_set.get() {
            return Ok(());
        }
        let storage = self.state.storage();
        if storage.get_alarm().await?.is_none() {
            storage.set_alarm(i64::try_from(SWEEP_MS).unwrap_or(i64::MAX)).await?;
        }
        self.alarm_set.set(true);
        Ok(())
    }
}

impl DurableObject for DedupeObject {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        // Idempotent; a failure here surfaces on the first query as a 500 (the Worker answers 503).
        let _ = sql.exec(
            "CREATE TABLE IF NOT EXISTS ids (key TEXT PRIMARY KEY, token INTEGER, until_ms INTEGER NOT NULL); \
             CREATE INDEX IF NOT EXISTS ids_until ON ids (until_ms)",
            None,
        );
        Self { state, sql, alarm_set: Cell::new(false) }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        // The URL as a string: `Request::url` would pull a URL parser into the wasm.
        let Some((key, op)) = Op::parse(&req.inner().url()) else {
            return Response::error("unknown operation", 400);
        };
        let stored = self.stored(&key)?;
        let now = now_ms();
        match op {
            Op::Claim { token, lease_ms } => {
                let (answer, write) = lease::claim(stored, now, lease_ms, token);
                self.apply(&key, write).await?;
                let (code, retry_after_ms) = answer.status();
                let mut resp = Response::empty()?.with_status(code);
                if let Some(ms) = retry_after_ms {
                    resp.headers_mut().set(lease::RETRY_AFTER_MS_HEADER, &ms.to_string())?;
                }
                Ok(resp)
            }
            Op::Commit { window_ms } => {
                self.apply(&key, lease::commit(stored, now, window_ms)).await?;
                Response::empty().map(|r| r.with_status(lease::status::STORED))
            }
            Op::Release { token } => {
                self.apply(&key, lease::release(stored, token)).await?;
                Response::empty().map(|r| r.with_status(lease::status::STORED))
            }
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let now = now_ms();
        self.sql.exec("DELETE FROM ids WHERE until_ms <= ?", vec![int(now)])?;
        #[derive(Deserialize)]
        struct Left {
            n: i64,
        }
        let left: Vec<Left> = self.sql.exec("SELECT COUNT(*) AS n FROM ids", None)?.to_array()?;
        if left.first().is_some_and(|l| l.n > 0) {
            self.state.storage().set_alarm(i64::try_from(SWEEP_MS).unwrap_or(i64::MAX)).await?;
        } else {
            self.alarm_set.set(false);
        }
        Response::empty()
    }
}
