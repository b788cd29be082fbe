//! Reading a `worker::Request` into the core's [`Inbound`], copying the body into wasm once
//! and keeping the JS buffer to forward unchanged.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use worker::{Request, Result};

use crate::inbound::Inbound;

/// Method, URL and headers, readable before the body.
pub struct Head {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub client_ip: Option<String>,
    pub content_length: Option<u64>,
}

impl Head {
    pub fn read(req: &Request) -> Result<Self> {
        let headers: Vec<(String, String)> = req.headers().entries().collect();
        let find = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        Ok(Self {
            method: req.method().to_string(),
            url: req.inner().url(),
            client_ip: find("cf-connecting-ip"),
            content_length: find("content-length").and_then(|v| v.trim().parse().ok()),
            headers,
        })
    }

    pub fn inbound<'a>(&'a self, body: &'a [u8]) -> Inbound<'a> {
        Inbound {
            method: &self.method,
            url: &self.url,
            headers: &self.headers,
            body,
            client_ip: self.client_ip.as_deref(),
        }
    }
}

/// The body: bytes in wasm for verification, the original JS buffer for the hand-off.
pub struct Body {
    pub bytes: Vec<u8>,
    pub js: ArrayBuffer,
}

impl Body {
    pub async fn read(req: &mut Request) -> Result<Self> {
        let promise = req.inner().array_buffer()?;
        let js: ArrayBuffer = JsFuture::from(promise).await?.dyn_into()?;
        let bytes = Uint8Array::new(&js).to_vec();
        Ok(Self { bytes, js })
    }
}
