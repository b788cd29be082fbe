//! The fuzz loop shared by every target: run the seed corpus as is, then mutated and
//! generated inputs until the budget is spent. Each input runs under `catch_unwind` (a
//! panic is a crash); a watchdog thread notices an input that never finishes (a hang), and
//! an input slower than the time limit on three tries is a hang too. Crashing and hanging
//! inputs are written to `target/fuzz/{crashes,hangs}/<target>/` with the panic message
//! and its backtrace.
//!
//! Without coverage instrumentation (that needs nightly and libFuzzer), the loop keeps a
//! cheaper signal: each run returns an outcome (a rejection code, "accepted", ...) with a
//! few feature bits, and an input that produced a combination not seen before joins the
//! pool that later mutations start from.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

pub use fastrand::Rng;

/// What one run of an input ended in: a label counted in the report, and feature bits
/// that, with the label, decide whether the input was new.
pub struct Outcome {
    pub label: String,
    pub features: u64,
}

impl Outcome {
    pub fn new(label: impl Into<String>, features: u64) -> Self {
        Self { label: label.into(), features }
    }
}

/// A fuzz target: how its inputs are stored, made, changed and run.
/// How an input is kept as a corpus or crash file.
pub trait Codec: Sized {
    fn decode(bytes: &[u8]) -> Option<Self>;
    fn encode(&self) -> Vec<u8>;
}

/// Text inputs: any bytes read as (lossy) UTF-8.
impl Codec for String {
    fn decode(bytes: &[u8]) -> Option<Self> {
        Some(String::from_utf8_lossy(bytes).into_owned())
    }
    fn encode(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}

pub trait Target: Sync + 'static {
    type Input: Clone + Send + Codec + 'static;
    /// Per-worker state kept between runs (caches); reset after a crash.
    type State: Default;

    fn name(&self) -> &'static str;
    /// File extension of corpus and crash files.
    fn ext(&self) -> &'static str;
    /// A fresh input; `pool` holds the corpus and the inputs found so far.
    fn generate(&self, rng: &mut Rng, pool: &[Self::Input]) -> Self::Input;
    /// Changes `input` in place (one or more steps).
    fn mutate(&self, input: &mut Self::Input, rng: &mut Rng, pool: &[Self::Input]);
    /// Runs the code under test. Panics are crashes; so are failed invariants (asserts).
    fn run(&self, input: &Self::Input, state: &mut Self::State) -> Outcome;
}

/// How long a target runs.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    /// This many generated or mutated inputs after the corpus.
    Execs(u64),
    /// This long, corpus included.
    Time(Duration),
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub seed: u64,
    pub budget: Budget,
    /// An input that takes longer than this (on three tries) is a hang.
    pub time_limit: Duration,
    /// An input still running after this is a hang that never ends: the target stops.
    pub stuck_limit: Duration,
    pub corpus_dir: PathBuf,
    pub out_dir: PathBuf,
}

impl Settings {
    pub fn new(seed: u64, budget: Budget) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out_dir = std::env::var_os("HOOKGATE_FUZZ_OUT").map_or_else(|| root.join("target/fuzz"), PathBuf::from);
        let ms = std::env::var("HOOKGATE_FUZZ_TIMEOUT_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        Self {
            seed,
            budget,
            time_limit: Duration::from_millis(ms),
            stuck_limit: Duration::from_millis(ms.saturating_mul(20).max(10_000)),
            corpus_dir: root.join("fuzz/corpus"),
            out_dir,
        }
    }
}

/// What a target's run found.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub target: &'static str,
    pub execs: u64,
    pub elapsed: Duration,
    pub corpus: usize,
    pub crashes: u64,
    pub hangs: u64,
    /// Distinct (outcome, features) combinations seen.
    pub novel: usize,
    pub outcomes: BTreeMap<String, u64>,
    /// Files written for crashes and hangs.
    pub saved: Vec<PathBuf>,
    /// First line of each distinct crash (message at location).
    pub crash_lines: Vec<String>,
    /// The watchdog stopped the target: an input never finished.
    pub stuck: bool,
}

impl Stats {
    pub fn execs_per_sec(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn failed(&self) -> bool {
        self.crashes > 0 || self.hangs > 0
    }
}

struct PanicReport {
    message: String,
    location: String,
    backtrace: Backtrace,
}

thread_local! {
    static IN_FUZZ: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<PanicReport>> = const { RefCell::new(None) };
}

/// Panics on fuzz workers are recorded instead of printed; others print as usual.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_FUZZ.with(Cell::get) {
                default(info);
                return;
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".into());
            let location = info.location().map_or_else(|| "?".into(), |l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(PanicReport { message, location, backtrace: Backtrace::force_capture() }));
        }));
    });
}

/// FNV-1a, for file names and feature hashes (stable across runs and platforms).
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Reads `<corpus_dir>/<target>/*` in name order.
pub fn corpus_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files.into_iter().filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b))).collect()
}

/// What the watchdog can see of the worker.
struct Shared<I> {
    /// The input being run and when it started.
    current: Mutex<Option<(Instant, I)>>,
    /// The worker's figures as of its last crash or hang, or every 1024 runs.
    snapshot: Mutex<Stats>,
    execs: AtomicU64,
    stop: AtomicBool,
}

/// Runs one target under `settings`.
pub fn fuzz<T: Target>(target: &'static T, settings: &Settings) -> Stats {
    install_panic_hook();
    let shared = Arc::new(Shared::<T::Input> {
        current: Mutex::new(None),
        snapshot: Mutex::new(Stats::default()),
        execs: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });
    let worker_shared = Arc::clone(&shared);
    let worker_settings = settings.clone();
    let started = Instant::now();
    let handle = std::thread::Builder::new()
        .name(format!("fuzz-{}", target.name()))
        .stack_size(8 << 20)
        .spawn(move || worker(target, &worker_settings, &worker_shared))
        .unwrap();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        if handle.is_finished() {
            return handle.join().unwrap_or_else(|_| panic!("the fuzz worker of {} itself panicked", target.name()));
        }
        let stuck = {
            let current = shared.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            current.as_ref().filter(|(t, _)| t.elapsed() > settings.stuck_limit).map(|(_, input)| input.clone())
        };
        if let Some(input) = stuck {
            // The worker never comes back; leave it and report what it was running.
            shared.stop.store(true, Ordering::Relaxed);
            let note = format!("still running after {:?} (a hang that does not end)", settings.stuck_limit);
            let path = save(target, settings, "hangs", &input, &note);
            let mut stats = shared.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            stats.target = target.name();
            stats.execs = shared.execs.load(Ordering::Relaxed);
            stats.elapsed = started.elapsed();
            stats.hangs += 1;
            stats.saved.push(path);
            stats.stuck = true;
            return stats;
        }
    }
}

fn save<T: Target>(target: &T, settings: &Settings, kind: &str, input: &T::Input, note: &str) -> PathBuf {
    let bytes = input.encode();
    let dir = settings.out_dir.join(kind).join(target.name());
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{:016x}.{}", fnv(&bytes), target.ext()));
    let _ = std::fs::write(&path, &bytes);
    let replay = format!(
        "target: {}\nseed: {}\nreplay: bash scripts/fuzz.sh --replay {}\n\n{note}\n",
        target.name(),
        settings.seed,
        path.display()
    );
    let _ = std::fs::write(path.with_extension("txt"), replay);
    path
}

/// Runs `input` once under `catch_unwind`, timing it.
fn run_once<T: Target>(target: &T, input: &T::Input, state: &mut T::State) -> (Result<Outcome, PanicReport>, Duration) {
    IN_FUZZ.with(|f| f.set(true));
    let t0 = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| target.run(input, state)));
    let elapsed = t0.elapsed();
    IN_FUZZ.with(|f| f.set(false));
    let result = result.map_err(|_| {
        LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| PanicReport {
            message: "(panic without report)".into(),
            location: "?".into(),
            backtrace: Backtrace::disabled(),
        })
    });
    (result, elapsed)
}

fn worker<T: Target>(target: &'static T, settings: &Settings, shared: &Shared<T::Input>) -> Stats {
    let name = target.name();
    let mut stats = Stats { target: name, ..Stats::default() };
    let mut rng = Rng::with_seed(settings.seed ^ fnv(name.as_bytes()));
    let mut state = T::State::default();
    let mut pool: Vec<T::Input> = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut crash_sites: HashSet<String> = HashSet::new();
    let started = Instant::now();
    const POOL_MAX: usize = 4096;
    let slow_ms: Option<u128> = std::env::var("HOOKGATE_FUZZ_SLOW_MS").ok().and_then(|v| v.parse().ok());

    let corpus: Vec<T::Input> = corpus_files(&settings.corpus_dir.join(name))
        .into_iter()
        .map(|(path, bytes)| T::Input::decode(&bytes).unwrap_or_else(|| panic!("{}: not a valid {name} input", path.display())))
        .collect();
    stats.corpus = corpus.len();
    pool.extend(corpus.iter().cloned());

    let mut exec = |input: T::Input, stats: &mut Stats, state: &mut T::State, pool: &mut Vec<T::Input>, rng: &mut Rng| {
        *shared.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((Instant::now(), input.clone()));
        let (mut result, mut elapsed) = run_once(target, &input, state);
        if result.is_ok() && elapsed > settings.time_limit {
            // Slow once may be the machine; slow three times is the input.
            for _ in 0..2 {
                let (r, e) = run_once(target, &input, state);
                result = r;
                elapsed = elapsed.min(e);
            }
        }
        *shared.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        stats.execs += 1;
        shared.execs.fetch_add(1, Ordering::Relaxed);
        let failures = stats.crashes + stats.hangs;
        if slow_ms.is_some_and(|ms| elapsed.as_millis() >= ms) {
            let size = input.encode().len();
            eprintln!("slow: {name} {elapsed:?} ({size} bytes encoded): {}", result.as_ref().map_or("crash", |o| o.label.as_str()));
        }
        match result {
            Ok(outcome) => {
                if elapsed > settings.time_limit {
                    stats.hangs += 1;
                    if stats.saved.len() < 50 {
                        let note = format!("took {elapsed:?} on each of three tries (limit {:?}); outcome {}", settings.time_limit, outcome.label);
                        stats.saved.push(save(target, settings, "hangs", &input, &note));
                    }
                }
                let mut h = std::collections::hash_map::DefaultHasher::new();
                outcome.label.hash(&mut h);
                outcome.features.hash(&mut h);
                if seen.insert(h.finish()) {
                    if pool.len() < POOL_MAX {
                        pool.push(input);
                    } else {
                        let i = rng.usize(stats.corpus.min(pool.len() - 1)..pool.len());
                        pool[i] = input;
                    }
                }
                *stats.outcomes.entry(outcome.label).or_default() += 1;
            }
            Err(report) => {
                stats.crashes += 1;
                *state = T::State::default();
                let line = format!("{} at {}", report.message.lines().next().unwrap_or(""), report.location);
                if crash_sites.insert(report.location.clone()) {
                    let note = format!("panicked at {}:\n{}\n\nbacktrace:\n{}", report.location, report.message, report.backtrace);
                    stats.saved.push(save(target, settings, "crashes", &input, &note));
                    stats.crash_lines.push(line);
                }
            }
        }
        if stats.crashes + stats.hangs != failures || stats.execs.is_multiple_of(1024) {
            stats.novel = seen.len();
            *shared.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = stats.clone();
        }
    };

    for input in corpus {
        exec(input, &mut stats, &mut state, &mut pool, &mut rng);
    }
    let mut n = 0u64;
    let mut gen_time = Duration::ZERO;
    loop {
        let done = match settings.budget {
            Budget::Execs(max) => n >= max,
            Budget::Time(d) => started.elapsed() >= d,
        };
        if done || shared.stop.load(Ordering::Relaxed) {
            break;
        }
        n += 1;
        let t_gen = Instant::now();
        let input = if pool.is_empty() || rng.u8(..) < 16 {
            target.generate(&mut rng, &pool)
        } else {
            let mut input = pool[rng.usize(..pool.len())].clone();
            target.mutate(&mut input, &mut rng, &pool);
            input
        };
        gen_time += t_gen.elapsed();
        exec(input, &mut stats, &mut state, &mut pool, &mut rng);
    }
    if slow_ms.is_some() {
        eprintln!("{name}: {gen_time:?} of {:?} making inputs", started.elapsed());
    }
    stats.novel = seen.len();
    stats.elapsed = started.elapsed();
    stats
}

/// Runs one saved input through its target, with panics as usual (for a replay).
pub fn replay<T: Target>(target: &'static T, bytes: &[u8]) -> String {
    let input = T::Input::decode(bytes).unwrap_or_else(|| panic!("not a valid {} input", target.name()));
    let mut state = T::State::default();
    let t0 = Instant::now();
    let outcome = target.run(&input, &mut state);
    format!("{}: {} in {:?}", target.name(), outcome.label, t0.elapsed())
}
