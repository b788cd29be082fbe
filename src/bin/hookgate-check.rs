//! `npm run check`: validates hookgate's configuration in a wrangler file before a build or
//! deploy. Exit status 1 when anything would fail at run time.
//!
//! ```text
//! hookgate-check [--config wrangler.toml] [--env NAME | --all-envs]
//!                [--secrets dev | --secret-names FILE | --no-secrets] [--deploy]
//! ```
//! Secrets come from `.dev.vars` (or `.dev.vars.<env>`, or `.env`) beside the wrangler file
//! by default; `--secret-names` takes the JSON that `wrangler secret list --format json`
//! prints, for a deploy; `--no-secrets` checks everything but secrets (for builds).
//! `--deploy` adds what matters only on Cloudflare (placeholder ids, loopback origins).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::run(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::Read as _;
    use std::path::{Path, PathBuf};

    use hookgate::check::{self, dotenv, wrangler, Level, Secrets};

    enum SecretMode {
        Dev,
        Names(PathBuf),
        Skip,
    }

    struct Args {
        config: Option<PathBuf>,
        env: Option<String>,
        all_envs: bool,
        secrets: SecretMode,
        deploying: bool,
    }

    const USAGE: &str = "usage: hookgate-check [--config FILE] [--env NAME | --all-envs] [--secrets dev | --secret-names FILE | --no-secrets] [--deploy]";

    fn parse(args: Vec<String>) -> Result<Args, String> {
        let mut out = Args { config: None, env: None, all_envs: false, secrets: SecretMode::Dev, deploying: false };
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
            match arg.as_str() {
                "--config" | "-c" => out.config = Some(PathBuf::from(value("--config")?)),
                "--env" | "-e" => out.env = Some(value("--env")?),
                "--all-envs" => out.all_envs = true,
                "--deploy" => out.deploying = true,
                "--secrets" => match value("--secrets")?.as_str() {
                    "dev" => out.secrets = SecretMode::Dev,
                    "none" | "skip" => out.secrets = SecretMode::Skip,
                    other => return Err(format!("--secrets {other}: expected dev or none\n{USAGE}")),
                },
                "--secret-names" => out.secrets = SecretMode::Names(PathBuf::from(value("--secret-names")?)),
                "--no-secrets" => out.secrets = SecretMode::Skip,
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        Ok(out)
    }

    fn find_config(given: Option<PathBuf>) -> Result<PathBuf, String> {
        if let Some(path) = given {
            return Ok(path);
        }
        ["wrangler.toml", "wrangler.jsonc", "wrangler.json"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .ok_or_else(|| "no wrangler.toml, wrangler.jsonc or wrangler.json here (pass --config FILE)".to_string())
    }

    fn read_config(path: &Path) -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if is_toml {
            let value: toml::Value = toml::from_str(&text).map_err(|e| format!("{}: not valid TOML: {e}", path.display()))?;
            Ok(toml_to_json(value))
        } else {
            let mut plain = String::new();
            json_comments::StripComments::new(text.as_bytes())
                .read_to_string(&mut plain)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            serde_json::from_str(&plain).map_err(|e| format!("{}: not valid JSON: {e}", path.display()))
        }
    }

    /// TOML as wrangler hands it to the Worker: a datetime (`not_after = 2026-12-01T00:00:00Z`
    /// without quotes) becomes its RFC 3339 text.
    fn toml_to_json(value: toml::Value) -> serde_json::Value {
        match value {
            toml::Value::String(s) => s.into(),
            toml::Value::Integer(i) => i.into(),
            toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
            toml::Value::Boolean(b) => b.into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(a) => a.into_iter().map(toml_to_json).collect(),
            toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect::<serde_json::Map<_, _>>().into(),
        }
    }

    /// `.dev.vars.<env>`, `.dev.vars`, then `.env`, as wrangler looks for them.
    fn dev_vars(dir: &Path, env: Option<&str>) -> (Option<PathBuf>, BTreeMap<String, String>) {
        let mut names = Vec::new();
        if let Some(e) = env {
            names.push(format!(".dev.vars.{e}"));
        }
        names.extend([".dev.vars".to_string(), ".env".to_string()]);
        for name in names {
            let path = dir.join(&name);
            if let Ok(text) = std::fs::read_to_string(&path) {
                return (Some(path), dotenv::parse(&text));
            }
        }
        (None, BTreeMap::new())
    }

    fn secret_names(path: &Path) -> Result<BTreeSet<String>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let list: Vec<serde_json::Value> = serde_json::from_str(&text)
            .map_err(|e| format!("{}: expected the JSON of `wrangler secret list --format json`: {e}", path.display()))?;
        Ok(list.iter().filter_map(|s| s.get("name").and_then(|n| n.as_str()).map(str::to_string)).collect())
    }

    pub fn run(args: Vec<String>) -> i32 {
        match run_checked(args) {
            Ok(ok) => i32::from(!ok),
            Err(message) => {
                eprintln!("hookgate check: {message}");
                2
            }
        }
    }

    fn run_checked(args: Vec<String>) -> Result<bool, String> {
        let args = parse(args)?;
        let path = find_config(args.config)?;
        let config = read_config(&path)?;
        let dir = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let envs: Vec<Option<String>> = if args.all_envs {
            std::iter::once(None).chain(wrangler::environments(&config).into_iter().map(Some)).collect()
        } else {
            vec![args.env]
        };
        let names = match &args.secrets {
            SecretMode::Names(p) => Some(secret_names(p)?),
            _ => None,
        };
        let mut ok = true;
        for env in envs {
            let dep = wrangler::deployment(&config, env.as_deref())?;
            let (vars_file, values) = dev_vars(&dir, env.as_deref());
            let (secrets, from) = match (&args.secrets, &names) {
                (SecretMode::Names(p), Some(n)) => (Secrets::Names(n), format!("secret names from {}", p.display())),
                (SecretMode::Dev, _) => (
                    Secrets::Values(&values),
                    vars_file.map_or("no .dev.vars found".to_string(), |f| format!("secrets from {}", f.display())),
                ),
                _ => (Secrets::Unchecked, "secrets not checked".to_string()),
            };
            let where_ = env.as_deref().map_or("top level".to_string(), |e| format!("env {e}"));
            println!("hookgate check: {} ({where_}; {from})", path.display());
            let report = check::check(&dep, &secrets, args.deploying);
            for line in &report.sources {
                println!("  ok       {line}");
            }
            for f in &report.findings {
                let level = if f.level == Level::Error { "error  " } else { "warning" };
                println!("  {level}  {}: {}", f.path, f.message);
            }
            let errors = report.findings.iter().filter(|f| f.level == Level::Error).count();
            let warnings = report.findings.len() - errors;
            println!("  {} source(s) ready, {errors} error(s), {warnings} warning(s)", report.sources.len());
            ok &= !report.failed();
        }
        Ok(ok)
    }
}
