//! An R2 bucket binding, called directly (`put`, `get`, `list`) with the options objects
//! hookgate needs: the `worker` crate's builders convert every option, both ways, whether
//! set or not, and their code is the wasm's to carry.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;
use super::Env;

pub struct Bucket {
    binding: JsValue,
}

/// An object read by `get`: its custom metadata, and its body until read.
pub struct Stored {
    object: JsValue,
}

/// One page of `list`: each object's key and custom metadata, and the cursor to go on from.
pub struct Listing {
    pub objects: Vec<Listed>,
    pub truncated: bool,
    pub cursor: Option<String>,
}

pub struct Listed {
    pub key: String,
    metadata: JsValue,
}

/// Where a listing starts: after a key, or where an earlier page stopped.
pub enum From {
    StartAfter(String),
    Cursor(String),
}

fn reason(e: &JsValue) -> String {
    super::js_error_text(e)
}

/// The value of `name` in an object's `customMetadata`, if it is a string.
fn custom(metadata: &JsValue, name: &str) -> Option<String> {
    Reflect::get(metadata, &name.into()).ok()?.as_string()
}

fn metadata_of(object: &JsValue) -> JsValue {
    Reflect::get(object, &"customMetadata".into()).ok().filter(JsValue::is_object).unwrap_or(JsValue::UNDEFINED)
}

impl Bucket {
    /// The R2 binding `name`, if `env` has one.
    pub fn bind(env: &Env, name: &str) -> Option<Self> {
        let binding = Reflect::get(env, &name.into()).ok().filter(JsValue::is_object)?;
        Reflect::get(&binding, &"put".into()).ok().filter(JsValue::is_function)?;
        Some(Self { binding })
    }

    async fn call(&self, method: &str, args: &[&JsValue]) -> Result<JsValue, String> {
        let f: Function = Reflect::get(&self.binding, &method.into()).and_then(JsCast::dyn_into).map_err(|e| reason(&e))?;
        let args: Array = args.iter().copied().collect();
        let promise: Promise = f.apply(&self.binding, &args).and_then(JsCast::dyn_into).map_err(|e| reason(&e))?;
        Settled::from(promise).await.map_err(|e| reason(&e))
    }

    /// Stores `body` (copied out of wasm) under `key` with this custom metadata.
    pub async fn put(&self, key: &str, body: &[u8], metadata: &[(String, String)]) -> Result<(), String> {
        let custom = Object::new();
        for (name, value) in metadata {
            Reflect::set(&custom, &name.as_str().into(), &value.as_str().into()).map_err(|e| reason(&e))?;
        }
        let options = Object::new();
        Reflect::set(&options, &"customMetadata".into(), &custom).map_err(|e| reason(&e))?;
        self.call("put", &[&key.into(), &Uint8Array::from(body), &options]).await.map(|_| ())
    }

    /// The object under `key`; `None`: there is none.
    pub async fn get(&self, key: &str) -> Result<Option<Stored>, String> {
        let object = self.call("get", &[&key.into()]).await?;
        Ok((!object.is_null() && !object.is_undefined()).then_some(Stored { object }))
    }

    /// Up to `limit` objects under `prefix`, with their custom metadata.
    pub async fn list(&self, prefix: &str, limit: u32, from: From) -> Result<Listing, String> {
        let options = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&options, &k.into(), v).map(|_| ()).map_err(|e| reason(&e));
        set("prefix", &prefix.into())?;
        set("limit", &JsValue::from(limit))?;
        set("include", &Array::of1(&"customMetadata".into()))?;
        match from {
            From::StartAfter(key) => set("startAfter", &key.into())?,
            From::Cursor(cursor) => set("cursor", &cursor.into())?,
        }
        let page = self.call("list", &[&options]).await?;
        let field = |k: &str| Reflect::get(&page, &k.into()).map_err(|e| reason(&e));
        let objects = Array::from(&field("objects")?)
            .iter()
            .filter_map(|o| {
                let key = Reflect::get(&o, &"key".into()).ok()?.as_string()?;
                Some(Listed { key, metadata: metadata_of(&o) })
            })
            .collect();
        Ok(Listing { objects, truncated: field("truncated")?.as_bool().unwrap_or(false), cursor: field("cursor")?.as_string() })
    }
}

impl Listed {
    /// A value of its custom metadata.
    pub fn meta(&self, name: &str) -> Option<String> {
        custom(&self.metadata, name)
    }
}

impl Stored {
    /// A value of its custom metadata.
    pub fn meta(&self, name: &str) -> Option<String> {
        custom(&metadata_of(&self.object), name)
    }

    /// Reads its body into wasm.
    ///
    /// # Errors
    /// It has no body, or reading it failed.
    pub async fn bytes(&self) -> Result<Vec<u8>, String> {
        let read: Function = Reflect::get(&self.object, &"arrayBuffer".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| "R2 object without a body".to_string())?;
        let promise: Promise = read.call0(&self.object).and_then(JsCast::dyn_into).map_err(|e| format!("R2 read: {}", reason(&e)))?;
        let buffer = Settled::from(promise).await.map_err(|e| format!("R2 read: {}", reason(&e)))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}
