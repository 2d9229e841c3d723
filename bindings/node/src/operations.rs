//! Cancellable operations: how an `AbortSignal` stops one call's Rust work.
//!
//! Every promise-returning call registers an abort handle under an id the JavaScript layer
//! chose, *synchronously*, before the call returns its promise; so an `abort` event that fires
//! right after the call (or before the task first runs on a worker thread) still finds it.
//! Aborting drops the client's future, which is how the client crate cancels: it stops
//! polling, closes the connection and removes its temporary files. The future is dropped
//! before the promise settles, so when a rejection reaches JavaScript nothing partial is left
//! on disk. Closing the whole client is not done here but by the client crate
//! (`Client::close`), the same way in every binding.
//!
//! The futures run on napi's tokio runtime (the `async` feature), not on
//! `qcc_radar::blocking::runtime()`: napi's promise bridge already spawns there and resolves
//! through a thread-safe function, so the JS thread never blocks and no thread parks per call,
//! whereas the blocking runtime exists for callers that must wait on a thread (C, Java,
//! Python's sync API). Node never forks, so that runtime's fork-awareness buys nothing here.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use futures_util::future::{AbortHandle, AbortRegistration, Abortable};

use crate::error;

/// The operations of one client: each running one's abort handle, by id.
#[derive(Clone, Default)]
pub struct Operations {
    running: Arc<Mutex<HashMap<u32, AbortHandle>>>,
}

impl Operations {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, AbortHandle>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers operation `id` and returns what makes its future abortable. Fails when the
    /// id is in use.
    pub fn register(&self, id: u32) -> napi::Result<AbortRegistration> {
        let mut running = self.lock();
        if running.contains_key(&id) {
            return Err(error::config(format!(
                "operation id {id} is already in use"
            )));
        }
        let (handle, registration) = AbortHandle::new_pair();
        running.insert(id, handle);
        Ok(registration)
    }

    /// Aborts operation `id`, if it is still running. Returns whether it was.
    pub fn cancel(&self, id: u32) -> bool {
        match self.lock().get(&id) {
            Some(handle) => {
                handle.abort();
                true
            }
            None => false,
        }
    }

    /// How many operations are registered and not yet finished.
    pub fn running(&self) -> usize {
        self.lock().len()
    }

    fn finish(&self, id: u32) {
        self.lock().remove(&id);
    }

    /// Runs `work` as operation `id` (registered with [`Operations::register`]). The work's
    /// future is dropped before this resolves, so its cleanup has run by then.
    pub async fn run<T>(
        self,
        id: u32,
        registration: AbortRegistration,
        what: &'static str,
        work: impl Future<Output = napi::Result<T>>,
    ) -> napi::Result<T> {
        let outcome = Abortable::new(work, registration).await;
        self.finish(id);
        match outcome {
            Ok(result) => result,
            Err(_aborted) => Err(error::cancelled(format!("{what} was aborted"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn cancel_before_start_rejects_as_cancelled_and_drops_the_work() {
        let ops = Operations::default();
        let reg = ops.register(1).unwrap();
        assert!(ops.cancel(1));
        let dropped = Arc::new(Mutex::new(false));
        struct Guard(Arc<Mutex<bool>>);
        impl Drop for Guard {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = true;
            }
        }
        let guard = Guard(dropped.clone());
        let r: napi::Result<()> = block_on(ops.clone().run(1, reg, "waiting", async move {
            let _g = guard;
            std::future::pending::<()>().await;
            Ok(())
        }));
        let e = r.unwrap_err();
        assert!(e.reason.contains("\"kind\":\"cancelled\""), "{}", e.reason);
        assert!(*dropped.lock().unwrap());
        assert_eq!(ops.running(), 0);
    }

    #[test]
    fn ids_are_unique_while_running() {
        let ops = Operations::default();
        let _r = ops.register(3).unwrap();
        assert!(ops.register(3).is_err());
        assert!(!ops.cancel(4));
    }
}
