//! The client handle's lifetime: which `struct qcc_radar_client *` are live, and how a call
//! keeps its client alive while another thread frees it.
//!
//! The hazard: C frees with `qcc_radar_client_free` while other threads are still inside
//! calls with the same pointer (a 30-minute wait, typically, which the free is meant to stop).
//! A plain `Box` would be freed under them. So the handle is an `Arc`: every call takes its own
//! reference on entry and drops it when it returns, and free drops only the handle's own
//! reference, so the memory goes when the last call returns. Taking a reference must not race
//! with the free itself (a call that read the pointer, then lost the CPU while the free ran,
//! would increment a count in freed memory), so the live handles are kept in one set under a
//! lock: a call takes its reference under that lock only if the pointer is still in the set,
//! and free removes it under the same lock before dropping its reference. A call with a freed
//! pointer then gets a `config` error instead of touching freed memory (unless a new client
//! was made at the same address, which is why the header still says not to use a pointer
//! after freeing it).
//!
//! The set keeps addresses with their bits flipped, so that valgrind and LeakSanitizer, which
//! look for anything that resembles a pointer, still report a client the program forgot to free.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use qcc_radar::{Error, Result};

/// The live handles, each stored as `!address`.
static LIVE: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

fn live() -> MutexGuard<'static, BTreeSet<usize>> {
    // Nothing panics while holding the lock; recover from poisoning anyway.
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

fn key<T>(p: *const T) -> usize {
    !(p as usize)
}

/// Hands `value` to C as a new live handle.
pub(crate) fn register<T>(value: T) -> *mut T {
    let p = Arc::into_raw(Arc::new(value));
    live().insert(key(p));
    p.cast_mut()
}

/// A reference to the live handle `p`, kept by the caller for the length of one call.
pub(crate) fn acquire<T>(p: *const T, what: &str) -> Result<Arc<T>> {
    if p.is_null() {
        return Err(Error::config(format!("{what} is NULL")));
    }
    let live = live();
    if !live.contains(&key(p)) {
        return Err(Error::config(format!(
            "{what} is not a live client: it was freed with qcc_radar_client_free() (or never \
             made by qcc_radar_client_new()); make a new one"
        )));
    }
    // SAFETY: `p` is in the set, so it came from `register` and the handle's own reference is
    // still held (`release` removes it from the set, under this lock, before dropping it).
    unsafe {
        Arc::increment_strong_count(p);
        Ok(Arc::from_raw(p))
    }
}

/// Takes the handle's own reference back, if `p` is live; `None` for NULL or a pointer that
/// is not (or no longer) a handle.
pub(crate) fn release<T>(p: *const T) -> Option<Arc<T>> {
    if p.is_null() || !live().remove(&key(p)) {
        return None;
    }
    // SAFETY: `p` was in the set, so it came from `register` and its reference was not taken
    // back before; it is now out of the set, so this happens once.
    Some(unsafe { Arc::from_raw(p) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_outlives_the_release_and_a_released_pointer_is_refused() {
        let p = register(String::from("client"));
        let held = acquire(p, "client").unwrap();
        let own = release(p).unwrap();
        assert_eq!(Arc::strong_count(&own), 2);
        drop(own);
        assert_eq!(*held, "client");
        let e = acquire(p, "client").unwrap_err();
        assert!(e.message().contains("not a live client"), "{e}");
        assert!(release(p).is_none(), "a second release is ignored");
        drop(held);
        assert!(acquire(std::ptr::null::<String>(), "client")
            .unwrap_err()
            .message()
            .contains("NULL"));
    }
}
