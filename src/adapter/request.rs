//! Reading the runtime's `Request` into the core's [`Inbound`], copying the body into wasm once
//! and keeping the JS buffer to forward unchanged.

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use super::task::Settled;
use web_sys::{ReadableStreamDefaultReader, Request};

use super::Result;

use crate::inbound::Inbound;

// Headers cross the boundary as one string (names and values never hold a newline): a
// request's dozen headers are then one call instead of an iterator step, an array and two
// strings each.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function header_block(h) { let s = ''; for (const [n, v] of h) s += n + '\\n' + v + '\\n'; return s; }")]
extern "C" {
    fn header_block(headers: &web_sys::Headers) -> String;
}

/// `pairs` as one string, each name and value on a line of its own (how they cross to JS).
///
/// # Errors
/// A name or value holding a newline.
pub fn header_lines(pairs: &[(String, String)]) -> std::result::Result<String, String> {
    let mut block = String::with_capacity(pairs.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    for (n, v) in pairs {
        if n.contains('\n') || v.contains('\n') {
            return Err(format!("header {n}: not a valid value"));
        }
        block.push_str(n);
        block.push('\n');
        block.push_str(v);
        block.push('\n');
    }
    Ok(block)
}

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
        let block = header_block(&req.headers());
        let mut lines = block.split('\n');
        let mut headers: Vec<(String, String)> = Vec::new();
        while let (Some(n), Some(v)) = (lines.next(), lines.next()) {
            headers.push((n.to_string(), v.to_string()));
        }
        let find = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        Ok(Self {
            method: req.method(),
            url: req.url(),
            client_ip: find("cf-connecting-ip"),
            content_length: find("content-length").and_then(|v| v.trim().parse().ok()),
            headers,
        })
    }

    /// The declared length, when nothing else frames the body (a `Transfer-Encoding`
    /// would take precedence over it).
    pub fn framed_length(&self) -> Option<u64> {
        let chunked = self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"));
        self.content_length.filter(|_| !chunked)
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
    /// Reads the body, giving up as soon as it exceeds `limit` (`None`). With a declared
    /// length within the limit, in one read; otherwise chunk by chunk, so a body without
    /// `Content-Length` cannot make the isolate hold more than the limit. The bytes stay in
    /// JS until the end and cross into wasm in one copy.
    pub async fn read(req: &Request, limit: u64, content_length: Option<u64>) -> Result<Option<Self>> {
        let Some(stream) = req.body() else {
            return Ok(Some(Self { bytes: Vec::new(), js: ArrayBuffer::new(0) }));
        };
        if content_length.is_some_and(|n| n <= limit) {
            // The declared length is within the limit (a larger one was refused already),
            // and the runtime holds the body to it: one native read, no chunk joining.
            let buffer: ArrayBuffer = Settled::from(req.array_buffer()?).await?.dyn_into()?;
            if u64::from(buffer.byte_length()) > limit {
                return Ok(None);
            }
            return Ok(Some(Self { bytes: Uint8Array::new(&buffer).to_vec(), js: buffer }));
        }
        let reader: ReadableStreamDefaultReader = wasm_bindgen::JsValue::from(stream.get_reader()).dyn_into()?;
        let mut chunks: Vec<Uint8Array> = Vec::new();
        let mut total: u64 = 0;
        loop {
            let step = Settled::from(reader.read()).await?;
            if Reflect::get(&step, &"done".into())?.as_bool().unwrap_or(true) {
                break;
            }
            let chunk: Uint8Array = Reflect::get(&step, &"value".into())?.dyn_into()?;
            total += u64::from(chunk.length());
            if total > limit {
                // Stop the upload; the answer (413) does not wait for the rest.
                let _ = reader.cancel();
                return Ok(None);
            }
            chunks.push(chunk);
        }
        let len = u32::try_from(total).map_err(|_| wasm_bindgen::JsValue::from_str("body over 4 GiB"))?;
        let whole = Uint8Array::new_with_length(len);
        let mut at = 0;
        for chunk in &chunks {
            whole.set(chunk, at);
            at += chunk.length();
        }
        Ok(Some(Self { bytes: whole.to_vec(), js: whole.buffer() }))
    }
}
