//! The knowledge base being served, and its live reload.
//!
//! Handlers take an `Arc` of the current base at the start of an interaction and keep it to the end,
//! so a reload never changes the ground under an interaction in flight; the swap itself is one
//! pointer under a lock held for nanoseconds (never across an `.await`). A new base is swapped in
//! only when it loads without errors: a broken edit keeps the old base serving.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::load::{load_dir_on, walk, Cores, LoadLimits, Walk};
use super::{Kind, KnowledgeBase, Problem};

/// The base in service, replaceable at run time.
pub struct LiveKnowledge {
    dir: PathBuf,
    limits: LoadLimits,
    current: RwLock<Arc<KnowledgeBase>>,
    /// The base the last reload swapped out, until it is freed; and a lock its freeing holds.
    retired: Mutex<std::sync::Weak<KnowledgeBase>>,
    freeing: Arc<Mutex<()>>,
}

/// How long a reload waits for the interactions still holding the base swapped out before it
/// to let go of it (they hold it for microseconds; a quiz keeps the base it began with to its
/// end, and is not waited for).
const WAIT_FOR_RETIRED: Duration = Duration::from_secs(1);

/// What a reload did.
#[derive(Debug)]
pub enum ReloadOutcome {
    /// The new base is serving; its counts per kind and any warnings.
    Swapped {
        counts: Vec<(Kind, usize)>,
        warnings: Vec<Problem>,
    },
    /// The new base had errors; the old one keeps serving.
    Rejected { errors: Vec<Problem> },
}

impl LiveKnowledge {
    pub fn new(dir: impl Into<PathBuf>, base: KnowledgeBase) -> Self {
        Self {
            dir: dir.into(),
            limits: LoadLimits::default(),
            current: RwLock::new(Arc::new(base)),
            retired: Mutex::new(std::sync::Weak::new()),
            freeing: Arc::new(Mutex::new(())),
        }
    }

    /// The same, reloading with these limits (`knowledge.max_file_mb` and the like).
    pub fn with_limits(mut self, limits: LoadLimits) -> Self {
        self.limits = limits;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn limits(&self) -> &LoadLimits {
        &self.limits
    }

    /// The base to answer one interaction with.
    pub fn get(&self) -> Arc<KnowledgeBase> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Load the directory again and swap the new base in if it is valid.
    ///
    /// Every file is read and checked afresh; an entry read just as the base serving has it is
    /// taken from that base, so the two bases share what did not change (a 100,000-entry reload
    /// with one file edited peaked at 1.42-1.43× steady instead of 1.95×), and only the search
    /// index and the orders are built anew.
    ///
    /// The work is done on one core, on a thread of its own at the lowest scheduling priority
    /// (`SCHED_IDLE`), as is the thread that frees the old base (it inherits it): a
    /// 100,000-entry reload takes a second and a half, and the threads answering interactions
    /// would otherwise wait for time slices behind it (issue #14: no interaction may wait more
    /// than 5 ms longer during a reload).
    pub fn reload(&self) -> ReloadOutcome {
        std::thread::scope(|scope| {
            let background = std::thread::Builder::new()
                .name("clio-reload".into())
                .spawn_scoped(scope, || {
                    yield_to_everything_else();
                    self.reload_here()
                });
            match background {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to spare: on this one, at its priority.
                Err(_) => self.reload_here(),
            }
        })
    }

    fn reload_here(&self) -> ReloadOutcome {
        // A reload begins once a base swapped out before is freed: reloads one after another
        // (an editor saving file after file) otherwise held three bases at once for a while,
        // the one being freed, the one serving and the one being built (seen at 100,000
        // entries: 180 MB as a reload began, instead of 110). (A base still held, by a quiz
        // playing on it, is not waited for longer than [`WAIT_FOR_RETIRED`].)
        let retired = self
            .retired
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let waited = std::time::Instant::now();
        while retired.strong_count() > 0 && waited.elapsed() < WAIT_FOR_RETIRED {
            std::thread::sleep(Duration::from_millis(2));
        }
        drop(retired);
        drop(self.freeing.lock().unwrap_or_else(|e| e.into_inner()));
        // What this reload frees, the old base included, is given back by its own threads.
        let quiet = QuietPurge::begin();
        let mut report = load_dir_on(&self.dir, &self.limits, Cores::One, Some(self.get()));
        match report.base.take() {
            Some(base) => {
                let counts = Kind::ALL.iter().map(|k| (*k, base.count(*k))).collect();
                // The files' text and parsed tables, freed by the load on this thread.
                release_freed_memory();
                let new = Arc::new(base);
                // Only the pointer changes under the lock: freeing the old base (hundreds of
                // milliseconds at 100,000 entries) would make every interaction wait.
                let old = std::mem::replace(
                    &mut *self.current.write().unwrap_or_else(|e| e.into_inner()),
                    new,
                );
                *self.retired.lock().unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(&old);
                retire(old, quiet, self.freeing.clone());
                ReloadOutcome::Swapped {
                    counts,
                    warnings: report.problems,
                }
            }
            None => {
                let errors = std::mem::take(&mut report.problems);
                drop(report);
                drop(quiet);
                ReloadOutcome::Rejected { errors }
            }
        }
    }
}

/// Put the calling thread in the idle scheduling class: it runs when no other thread wants the
/// core (the kernel still gives it a sliver, so it never starves). Threads it starts inherit it.
fn yield_to_everything_else() {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_setscheduler reads the parameter we pass and keeps no pointer; pid 0 is the
    // calling thread. Moving to SCHED_IDLE lowers priority, which needs no privilege.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            tracing::debug!(
                error = %std::io::Error::last_os_error(),
                "could not lower the reload's priority; it runs at the usual one"
            );
        }
    }
}

/// Free a base that was swapped out, on a thread of its own, once the interactions still holding
/// it are done (they hold it for microseconds; whichever dropped the last `Arc` would otherwise pay
/// for the whole base, on a runtime worker); then give the memory back to the system (`quiet`
/// does, as it ends), so memory after many reloads stays what it was after one. `freeing` is
/// held from taking the base to having given its memory back (so that a reload that saw the
/// base taken waits for that).
fn retire(old: Arc<KnowledgeBase>, quiet: QuietPurge, freeing: Arc<Mutex<()>>) {
    let drop_when_unused = move || {
        let mut old = old;
        loop {
            let freeing = freeing.lock().unwrap_or_else(|e| e.into_inner());
            match Arc::try_unwrap(old) {
                Ok(base) => {
                    drop(base);
                    drop(quiet);
                    break drop(freeing);
                }
                Err(still_held) => {
                    drop(freeing);
                    old = still_held;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    };
    // With no thread to spare, the closure and the old base in it are dropped here, as before.
    let _ = std::thread::Builder::new()
        .name("clio-retire-base".into())
        .spawn(drop_when_unused);
}

/// Hand the memory a load freed (the files' text, the parsed tables) or a swapped-out base back to
/// the system at once, instead of keeping it for the next allocations of this thread: a reload is
/// rare, and what it freed is hundreds of megabytes at 100,000 entries.
pub(crate) fn release_freed_memory() {
    // SAFETY: mi_collect takes no arguments but a flag; it frees only memory no longer in use.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// mimalloc's `mi_option_purge_delay`: how long memory freed stays the program's before it is
/// given back to the system, in milliseconds (the bindings lack its name: it is number 15 of
/// mimalloc 3's `mi_option_e`).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// While a reload runs, memory is given back to the system at once, by the thread that frees it,
/// and nothing that was freed before is given back until the last reload running ends.
///
/// mimalloc gives freed memory back once it has been free for a while (1 s by default), and the
/// giving back is done by whichever thread allocates next: a thread answering an interaction
/// could spend milliseconds giving back what a 100,000-entry reload freed (the load and the
/// freeing of the old base each take longer than that second). Measured with
/// `MIMALLOC_PURGE_DELAY=10` to make that sure: the slowest lookup during ten reloads ran 6.3 ms
/// itself without this; with the default delay, 11-37 ms in some runs.
///
/// With no delay, mimalloc gives back nothing on a deadline: what the reload's threads free,
/// they give back themselves, and what a lookup frees (a page now and then) is its own. A long
/// delay instead kept a deadline set before the reload (mimalloc keeps one per arena) whenever
/// giving back what was pending as the reload began found another thread at it: lookups of
/// 22-24 ms in two runs of sixteen. Giving back a page makes every CPU of the process flush it
/// from its TLB: when the host has taken the other CPU away, the thread giving back waits for it
/// (5 ms once in seven runs at 100,000 entries, with this).
struct QuietPurge(());

/// How many reloads are running, and the delay to restore when the last one ends.
static QUIET: std::sync::Mutex<(usize, std::ffi::c_long)> = std::sync::Mutex::new((0, 0));

impl QuietPurge {
    /// Give memory back as it is freed, by the thread freeing it.
    const AT_ONCE: std::ffi::c_long = 0;

    fn begin() -> Self {
        let mut quiet = QUIET.lock().unwrap_or_else(|e| e.into_inner());
        if quiet.0 == 0 {
            // SAFETY: mi_option_get and mi_option_set read and set a tuning value; no pointer.
            unsafe {
                quiet.1 = libmimalloc_sys::mi_option_get(PURGE_DELAY);
                // 0 (give back at once already) and -1 (never) stay as set.
                if quiet.1 > 0 {
                    libmimalloc_sys::mi_option_set(PURGE_DELAY, Self::AT_ONCE);
                }
            }
        }
        quiet.0 += 1;
        QuietPurge(())
    }
}

impl Drop for QuietPurge {
    fn drop(&mut self) {
        {
            let mut quiet = QUIET.lock().unwrap_or_else(|e| e.into_inner());
            quiet.0 -= 1;
            if quiet.0 == 0 && quiet.1 > 0 {
                // SAFETY: as above.
                unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, quiet.1) };
            }
        }
        // What was freed before the reload and is still pending, given back here and now.
        release_freed_memory();
    }
}

/// A cheap fingerprint of a directory tree: every `.toml` file's path, size, modification time and
/// the identity of the file it leads to (so a swap behind a symbolic link is seen), and every entry
/// the walk refused. The same walk as the loader's. Polling it works everywhere, including bind
/// mounts where file-system events do not arrive.
pub fn fingerprint(dir: &Path) -> Walk {
    fingerprint_with(dir, &LoadLimits::default())
}

/// The fingerprint under these limits (they decide which links are followed).
pub fn fingerprint_with(dir: &Path, limits: &LoadLimits) -> Walk {
    walk(dir, limits).unwrap_or_default()
}

/// Watches a directory by polling; reports a change once the files have been still for one
/// interval (an editor or `cp -r` writes several files, and a half-written tree must not be loaded).
pub struct DirWatcher {
    dir: PathBuf,
    limits: LoadLimits,
    seen: Walk,
    pending: Option<Walk>,
}

impl DirWatcher {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self::with_limits(dir, LoadLimits::default())
    }

    /// A watcher that follows links as these limits say (the loader's own).
    pub fn with_limits(dir: impl Into<PathBuf>, limits: LoadLimits) -> Self {
        let dir = dir.into();
        let seen = fingerprint_with(&dir, &limits);
        Self {
            dir,
            limits,
            seen,
            pending: None,
        }
    }

    /// Call once per interval; true when a settled change should be loaded.
    pub fn poll(&mut self) -> bool {
        let now = fingerprint_with(&self.dir, &self.limits);
        if now == self.seen {
            self.pending = None;
            return false;
        }
        if self.pending.as_ref() == Some(&now) {
            self.seen = now;
            self.pending = None;
            return true;
        }
        self.pending = Some(now);
        false
    }

    pub const INTERVAL: Duration = Duration::from_secs(1);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The reload's thread gives way to every other; the thread that started it keeps its class.
    #[test]
    fn the_reload_thread_yields_to_every_other_thread() {
        // SAFETY (both): sched_getscheduler only reads the calling thread's policy.
        let policy = std::thread::spawn(|| {
            super::yield_to_everything_else();
            unsafe { libc::sched_getscheduler(0) }
        })
        .join()
        .expect("the thread");
        assert_eq!(policy, libc::SCHED_IDLE);
        assert_eq!(unsafe { libc::sched_getscheduler(0) }, libc::SCHED_OTHER);
    }

    /// A reload waits while a base swapped out before is being freed, and goes on after.
    #[test]
    fn a_reload_waits_while_an_earlier_base_is_freed() {
        use super::{LiveKnowledge, ReloadOutcome};
        use std::sync::{mpsc, Arc};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let Ok(base) = crate::knowledge::KnowledgeBase::load(&dir) else {
            panic!("the shipped pack does not load")
        };
        let live = Arc::new(LiveKnowledge::new(&dir, base));
        let freeing = live.freeing.lock().expect("not poisoned");
        let (done, finished) = mpsc::channel();
        let reloading = {
            let live = live.clone();
            std::thread::spawn(move || {
                let outcome = live.reload();
                let _ = done.send(());
                outcome
            })
        };
        assert!(
            finished
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the reload went on while a base was being freed"
        );
        drop(freeing);
        finished
            .recv()
            .expect("the reload ends once the base is freed");
        let outcome = reloading.join().expect("the reload thread");
        assert!(
            matches!(outcome, ReloadOutcome::Swapped { .. }),
            "{outcome:?}"
        );
    }

    /// While reloads run, freed memory is given back at once, by the thread freeing it; when the
    /// last one ends, the delay set before is back.
    #[test]
    fn reloads_give_memory_back_themselves_and_restore_the_delay() {
        use super::{QuietPurge, PURGE_DELAY, QUIET};
        // SAFETY (all): mi_option_get only reads a tuning value.
        let delay = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        let first = QuietPurge::begin();
        let second = QuietPurge::begin();
        assert_eq!(delay(), QuietPurge::AT_ONCE);
        drop(first);
        assert_eq!(delay(), QuietPurge::AT_ONCE, "the second is still running");
        drop(second);
        let quiet = QUIET.lock().unwrap_or_else(|e| e.into_inner());
        assert!(quiet.1 > QuietPurge::AT_ONCE, "{}", quiet.1);
        // Unless another test is reloading right now, the delay is the one set before.
        if quiet.0 == 0 {
            assert_eq!(delay(), quiet.1);
        }
    }
}
