//! `DedupeObject`, strict mode's Durable Object: it owns one event key and applies
//! `crate::lease`'s rules to its single record. Requests to one object run one at a time
//! around storage calls (the input gate), so a claim is atomic across every isolate and
//! location. An alarm at the record's expiry deletes it, so storage stays bounded.

use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::lease::{self, Op, Record, Write};

const RECORD: &str = "r";

#[durable_object(alarm)]
pub struct DedupeObject {
    state: State,
}

impl DedupeObject {
    async fn stored(&self) -> Result<Option<Record>> {
        self.state.storage().get::<Record>(RECORD).await
    }

    async fn apply(&self, write: Write) -> Result<()> {
        let storage = self.state.storage();
        match write {
            Write::Put(record) => {
                storage.put(RECORD, record).await?;
                let until = i64::try_from(record.until_ms()).unwrap_or(i64::MAX);
                storage.set_alarm(until.saturating_sub(now_ms_i64())).await
            }
            Write::Delete => storage.delete_all().await,
            Write::Keep => Ok(()),
        }
    }
}

fn now_ms() -> u64 {
    Date::now().as_millis()
}

fn now_ms_i64() -> i64 {
    i64::try_from(now_ms()).unwrap_or(i64::MAX)
}

impl DurableObject for DedupeObject {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        // The URL as a string: `Request::url` would pull a URL parser into the wasm.
        let Some(op) = Op::parse(&req.inner().url()) else {
            return Response::error("unknown operation", 400);
        };
        let stored = self.stored().await?;
        match op {
            Op::Claim { token, lease_ms } => {
                let (answer, write) = lease::claim(stored, now_ms(), lease_ms, token);
                self.apply(write).await?;
                let (code, retry_after_ms) = answer.status();
                let mut resp = Response::empty()?.with_status(code);
                if let Some(ms) = retry_after_ms {
                    resp.headers_mut().set(lease::RETRY_AFTER_MS_HEADER, &ms.to_string())?;
                }
                Ok(resp)
            }
            Op::Commit { window_ms } => {
                self.apply(lease::commit(stored, now_ms(), window_ms)).await?;
                Ok(Response::empty()?.with_status(lease::status::STORED))
            }
            Op::Release { token } => {
                self.apply(lease::release(stored, token)).await?;
                Ok(Response::empty()?.with_status(lease::status::STORED))
            }
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let stored = self.stored().await?;
        self.apply(lease::alarm(stored, now_ms())).await?;
        Response::empty()
    }
}
