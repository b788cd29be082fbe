//! What one environment of a wrangler configuration declares that hookgate depends on.
//! Wrangler does not inherit `vars`, `kv_namespaces` and `queues` into `[env.<name>]`, so
//! an environment is read from its own table only.

use serde_json::Value;

/// A queue consumer declared in the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumer {
    /// Queue name.
    pub queue: String,
    /// Where messages go after `max_retries`.
    pub dead_letter_queue: Option<String>,
    /// `max_batch_size` (Queues' default is 10).
    pub max_batch_size: Option<u64>,
    /// `max_concurrency`: how many batches run at once (unset: as many as Queues scales to).
    pub max_concurrency: Option<u64>,
}

/// A Durable Object namespace binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectBinding {
    /// Binding name.
    pub name: String,
    /// Class it binds.
    pub class_name: String,
    /// Another Worker that defines the class, if not this one.
    pub script_name: Option<String>,
}

/// The parts of one wrangler environment hookgate uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deployment {
    /// `[env.<name>]`, or `None` for the top level.
    pub env: Option<String>,
    /// The `HOOKGATE` variable as JSON text (a table is serialised; a string is taken as is).
    pub hookgate: Option<String>,
    /// Names of all plain vars.
    pub vars: Vec<String>,
    /// KV namespace bindings.
    pub kv_namespaces: Vec<String>,
    /// KV bindings whose `id` is still the all-zero placeholder of the example file.
    pub kv_placeholders: Vec<String>,
    /// R2 bucket bindings.
    pub r2_buckets: Vec<String>,
    /// Queue producers: (binding, queue name).
    pub queue_producers: Vec<(String, String)>,
    /// Queue consumers.
    pub queue_consumers: Vec<Consumer>,
    /// Durable Object namespace bindings.
    pub durable_objects: Vec<ObjectBinding>,
    /// Classes that `[[migrations]]` create (`new_sqlite_classes`, `new_classes`).
    pub migrated_classes: Vec<String>,
    /// Rate Limiting bindings (`[[ratelimits]]`, or `[[unsafe.bindings]] type = "ratelimit"`).
    pub rate_limits: Vec<RateLimitBinding>,
}

/// A Rate Limiting binding and its `simple` limit, as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitBinding {
    /// The binding name.
    pub name: String,
    /// `simple.limit`.
    pub limit: Option<u64>,
    /// `simple.period`.
    pub period: Option<u64>,
}

/// The names of the environments defined under `[env]`.
#[must_use]
pub fn environments(config: &Value) -> Vec<String> {
    config.get("env").and_then(Value::as_object).map(|e| e.keys().cloned().collect()).unwrap_or_default()
}

/// Reads environment `env` (`None`: the top level).
///
/// # Errors
/// The named environment does not exist.
pub fn deployment(config: &Value, env: Option<&str>) -> Result<Deployment, String> {
    let table = match env {
        None => config,
        Some(name) => config
            .get("env")
            .and_then(|e| e.get(name))
            .ok_or_else(|| format!("no [env.{name}] in the wrangler configuration (it has: {})", environments(config).join(", ")))?,
    };
    let vars = table.get("vars").and_then(Value::as_object);
    let hookgate = vars.and_then(|v| v.get(crate::config::CONFIG_VAR)).map(|h| match h {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let strings = |v: Option<&Value>, field: &str| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|i| i.get(field).and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let queues = table.get("queues");
    let producers = queues.and_then(|q| q.get("producers")).and_then(Value::as_array);
    let consumers = queues.and_then(|q| q.get("consumers")).and_then(Value::as_array);
    let objects = table.get("durable_objects").and_then(|d| d.get("bindings")).and_then(Value::as_array);
    // Migrations are top-level-only in wrangler; an environment may repeat them.
    let migrations = table.get("migrations").or_else(|| config.get("migrations")).and_then(Value::as_array);
    let unsafe_bindings = table.get("unsafe").and_then(|u| u.get("bindings")).and_then(Value::as_array);
    let rate_limits = table
        .get("ratelimits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(unsafe_bindings.into_iter().flatten().filter(|b| b.get("type").and_then(Value::as_str) == Some("ratelimit")))
        .filter_map(|b| {
            let simple = b.get("simple");
            Some(RateLimitBinding {
                name: b.get("name")?.as_str()?.to_string(),
                limit: simple.and_then(|s| s.get("limit")).and_then(Value::as_u64),
                period: simple.and_then(|s| s.get("period")).and_then(Value::as_u64),
            })
        })
        .collect();
    Ok(Deployment {
        rate_limits,
        env: env.map(str::to_string),
        hookgate,
        vars: vars.map(|v| v.keys().cloned().collect()).unwrap_or_default(),
        kv_namespaces: strings(table.get("kv_namespaces"), "binding"),
        kv_placeholders: table
            .get("kv_namespaces")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|k| k.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b == b'0')))
                    .filter_map(|k| k.get("binding").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        r2_buckets: strings(table.get("r2_buckets"), "binding"),
        queue_producers: producers
            .map(|a| {
                a.iter()
                    .filter_map(|p| Some((p.get("binding")?.as_str()?.to_string(), p.get("queue")?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        queue_consumers: consumers
            .map(|a| {
                a.iter()
                    .filter_map(|c| {
                        Some(Consumer {
                            queue: c.get("queue")?.as_str()?.to_string(),
                            dead_letter_queue: c.get("dead_letter_queue").and_then(Value::as_str).map(str::to_string),
                            max_batch_size: c.get("max_batch_size").and_then(Value::as_u64),
                            max_concurrency: c.get("max_concurrency").and_then(Value::as_u64),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        durable_objects: objects
            .map(|a| {
                a.iter()
                    .filter_map(|o| {
                        Some(ObjectBinding {
                            name: o.get("name")?.as_str()?.to_string(),
                            class_name: o.get("class_name")?.as_str()?.to_string(),
                            script_name: o.get("script_name").and_then(Value::as_str).map(str::to_string),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        migrated_classes: migrations
            .map(|a| {
                a.iter()
                    .flat_map(|m| ["new_sqlite_classes", "new_classes"].map(|k| m.get(k).and_then(Value::as_array)))
                    .flatten()
                    .flatten()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_environment_without_inheriting_the_top_level() {
        let config = serde_json::json!({
            "vars": { "HOOKGATE": { "sources": {} }, "OTHER": "x" },
            "kv_namespaces": [{ "binding": "HOOKGATE_KV", "id": "1" }, { "binding": "NEW", "id": "0000" }],
            "r2_buckets": [{ "binding": "BODIES", "bucket_name": "b" }],
            "queues": { "producers": [{ "binding": "Q", "queue": "events" }],
                        "consumers": [{ "queue": "events", "dead_letter_queue": "dlq" }] },
            "env": { "production": { "vars": { "HOOKGATE": "{\"sources\":{}}" } } }
        });
        let top = deployment(&config, None).unwrap();
        assert_eq!(top.hookgate.as_deref(), Some("{\"sources\":{}}"));
        assert_eq!(top.vars, ["HOOKGATE", "OTHER"]);
        assert_eq!(top.kv_namespaces, ["HOOKGATE_KV", "NEW"]);
        assert_eq!(top.kv_placeholders, ["NEW"]);
        assert_eq!(top.r2_buckets, ["BODIES"]);
        assert_eq!(top.queue_producers, [("Q".to_string(), "events".to_string())]);
        assert_eq!(top.queue_consumers[0].dead_letter_queue.as_deref(), Some("dlq"));
        let prod = deployment(&config, Some("production")).unwrap();
        assert_eq!(prod.hookgate.as_deref(), Some("{\"sources\":{}}"));
        assert!(prod.kv_namespaces.is_empty() && prod.queue_consumers.is_empty());
        assert!(deployment(&config, Some("staging")).unwrap_err().contains("production"));
        assert_eq!(environments(&config), ["production"]);
        let objects = serde_json::json!({
            "durable_objects": { "bindings": [{ "name": "D", "class_name": "DedupeObject" }, { "name": "E", "class_name": "DedupeObject", "script_name": "other" }] },
            "migrations": [{ "tag": "v1", "new_sqlite_classes": ["DedupeObject"] }]
        });
        let dep = deployment(&objects, None).unwrap();
        assert_eq!(dep.durable_objects[1], ObjectBinding { name: "E".into(), class_name: "DedupeObject".into(), script_name: Some("other".into()) });
        assert_eq!(dep.migrated_classes, ["DedupeObject"]);
    }
}
