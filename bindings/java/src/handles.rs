//! Clients by id, so that a handle from Java can never dangle.
//!
//! Java holds a `long` for its client. If it were a pointer, a call racing `close()` on another
//! thread (or a call after close) would read freed memory. Instead the handle is a key into a
//! registry: a call looks its client up and clones it (a cheap `Arc` clone), `close()` removes
//! it, and a missing key is an ordinary `config` error. Operations already running keep their
//! clone and finish normally.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use qcc_radar::{Client, Error};

static CLIENTS: OnceLock<Mutex<HashMap<i64, Client>>> = OnceLock::new();
static NEXT_ID: AtomicI64 = AtomicI64::new(1);

fn clients() -> MutexGuard<'static, HashMap<i64, Client>> {
    CLIENTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers `client` and returns its handle (never 0, which Java uses for "closed").
pub(crate) fn insert(client: Client) -> i64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    clients().insert(id, client);
    id
}

/// The client behind `handle`, or a `config` error when it is closed.
pub(crate) fn get(handle: i64) -> qcc_radar::Result<Client> {
    clients().get(&handle).cloned().ok_or_else(|| {
        Error::config("this RadarClient is closed; create a new one to make more calls")
    })
}

/// Forgets `handle`; true when it was open.
pub(crate) fn remove(handle: i64) -> bool {
    let removed = clients().remove(&handle);
    // Dropped here, after the lock is released: closing a connection pool can take a moment.
    removed.is_some()
}
