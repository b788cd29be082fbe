//! hookgate: a webhook verifier and gateway for Cloudflare Workers.
//!
//! The core (every module but `adapter`) is plain Rust: no JS types, no clock, no I/O. It
//! takes bytes, headers, configuration and `now_secs` and returns decisions. The Workers
//! adapter (`adapter`, wasm32 only) turns the runtime's `Request` and `Env` into those inputs
//! and runs the KV, fetch, Queue, R2 and Durable Object calls the core decides on, calling
//! the runtime directly through wasm-bindgen (the Worker does not use the `worker` crate).
//!
//! Flow: request → [`verify`] → [`dedupe`] → hand-off ([`forward`] or Queue) → answer.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod admin;
pub mod archive;
pub mod base64;
pub mod cert;
pub mod cidr;
#[cfg(not(target_arch = "wasm32"))]
pub mod check;
pub mod config;
pub mod crypto;
pub mod datetime;
pub mod dedupe;
pub mod envelope;
pub mod filter;
pub mod form;
pub mod forward;
pub mod handshake;
pub mod health;
pub mod hex;
pub mod inbound;
pub mod json;
pub mod json_path;
pub mod json_read;
pub mod keys;
pub mod lease;
pub mod limit;
pub mod log;
pub mod pacing;
pub mod reason;
pub mod schemes;
pub mod shadow;
pub mod sorted_map;
pub mod verify;
#[cfg(test)]
mod test_rng;

#[cfg(target_arch = "wasm32")]
mod adapter;

pub use config::{Config, ConfigError};
pub use inbound::Inbound;
pub use reason::Rejection;
pub use schemes::Verified;
