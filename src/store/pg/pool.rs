//! A small pool of blocking PostgreSQL connections that reconnects by itself.
//!
//! At most [`MAX_CONNECTIONS`] connections are open; a call waits (bounded) for a free one. A
//! connection that the server closed (a restart, a failover, an idle timeout) is dropped, and the
//! next call opens a new one; so when PostgreSQL comes back, the first call after it works. A call
//! made on a stale connection whose transaction never reached COMMIT is run again once on a fresh
//! connection: nothing of it was stored, so running it again cannot store anything twice.
//!
//! `postgres::Client` runs its own small runtime and blocks; dropping it closes the connection
//! with a blocking call too. Every call here runs on tokio's blocking pool (through `Store`,
//! `Settings`, `Reports`), and [`Pool`]'s `Drop` closes idle connections on a plain thread when it
//! happens to run inside the async runtime.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use postgres::{Client, Config, NoTls};

use super::PgError;
use crate::store::StoreError;

/// Enough for a quiz night's bursts (a press is one short transaction) and far below
/// PostgreSQL's default `max_connections` of 100, which several processes share.
pub const MAX_CONNECTIONS: usize = 8;

/// How long a call waits for a free connection before it gives up (and the press is retried).
const CHECKOUT_WAIT: Duration = Duration::from_secs(10);

/// How long opening a connection may take: a server that is down answers a press in seconds,
/// not after the operating system's TCP timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

struct Slots {
    idle: Vec<Client>,
    /// Connections open (idle or checked out).
    open: usize,
}

pub struct Pool {
    config: Config,
    /// Where the pool connects, without the password: for messages.
    pub target: String,
    slots: Mutex<Slots>,
    freed: Condvar,
}

impl Pool {
    pub fn new(mut config: Config) -> Pool {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let target = target_of(&config);
        Pool {
            config,
            target,
            slots: Mutex::new(Slots {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Open a new connection now, outside the pool (start-up checks, migrations).
    pub fn connect(&self) -> Result<Client, postgres::Error> {
        self.config.connect(NoTls)
    }

    /// Take an idle connection, or a new slot to open one in (`None`), waiting for a free slot.
    fn checkout(&self) -> Result<Option<Client>, StoreError> {
        let mut slots = self.slots();
        loop {
            if let Some(client) = slots.idle.pop() {
                return Ok(Some(client));
            }
            if slots.open < MAX_CONNECTIONS {
                slots.open += 1;
                return Ok(None);
            }
            let (next, waited) = self
                .freed
                .wait_timeout(slots, CHECKOUT_WAIT)
                .unwrap_or_else(|e| e.into_inner());
            slots = next;
            if waited.timed_out() && slots.idle.is_empty() && slots.open >= MAX_CONNECTIONS {
                return Err(StoreError::Database(format!(
                    "all {MAX_CONNECTIONS} connections to PostgreSQL at {} stayed busy for {} s",
                    self.target,
                    CHECKOUT_WAIT.as_secs()
                )));
            }
        }
    }

    /// Give a connection back; a closed one frees its slot, and so do the idle ones, which
    /// were most likely closed by the same restart.
    fn checkin(&self, client: Option<Client>) {
        let mut slots = self.slots();
        let stale = match client {
            Some(c) if !c.is_closed() => {
                slots.idle.push(c);
                Vec::new()
            }
            Some(c) => {
                slots.open -= 1;
                let mut stale = std::mem::take(&mut slots.idle);
                slots.open -= stale.len();
                stale.push(c);
                stale
            }
            None => {
                slots.open -= 1;
                Vec::new()
            }
        };
        drop(slots);
        self.freed.notify_all();
        close_off_runtime(stale);
    }

    /// Run `f` on a connection. When it fails because the connection was closed under it (a
    /// restart of the server) and nothing was stored, it runs once more on a new connection.
    pub fn run<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, Failed>,
    ) -> Result<T, StoreError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let reused = self.checkout()?;
            let was_idle = reused.is_some();
            let mut client = match reused {
                Some(c) => c,
                None => match self.connect() {
                    Ok(c) => c,
                    Err(e) => {
                        self.checkin(None);
                        return Err(unreachable(&self.target, &e));
                    }
                },
            };
            let outcome = f(&mut client);
            let closed = client.is_closed();
            self.checkin(Some(client));
            match outcome {
                Ok(v) => return Ok(v),
                Err(failed) => {
                    let lost = closed || failed.error.connection_closed();
                    if lost && !failed.maybe_stored && was_idle && tries < 2 {
                        tracing::info!(target = %self.target, "a database connection was closed; retrying on a new one");
                        continue;
                    }
                    return Err(failed.error.into_store(&self.target, lost));
                }
            }
        }
    }
}

/// How a call on a connection failed.
pub struct Failed {
    pub error: PgError,
    /// It failed at COMMIT (or outside a transaction): it may have been stored.
    pub maybe_stored: bool,
}

impl From<PgError> for Failed {
    fn from(error: PgError) -> Failed {
        Failed {
            error,
            maybe_stored: false,
        }
    }
}

/// The message for a server that cannot be reached: where, and what to check.
pub fn unreachable(target: &str, e: &postgres::Error) -> StoreError {
    StoreError::Database(format!(
        "cannot reach PostgreSQL at {target} ({e}): check that the server is running and          accepts connections from this host, and the URL in `data.database_url`"
    ))
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.slots().idle);
        close_off_runtime(idle);
    }
}

/// Close connections; from inside the async runtime, on a plain thread, since closing blocks.
fn close_off_runtime(clients: Vec<Client>) {
    if clients.is_empty() {
        return;
    }
    if tokio::runtime::Handle::try_current().is_ok() {
        let _ = std::thread::Builder::new()
            .name("clio-pg-close".into())
            .spawn(move || drop(clients));
    } else {
        drop(clients);
    }
}

/// `host:port/dbname as user`, never the password.
fn target_of(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{} as {}",
        config.get_dbname().unwrap_or("(the user's database)"),
        config.get_user().unwrap_or("(the system user)")
    )
}
