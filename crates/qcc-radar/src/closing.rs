//! Closing a client: one rule for every binding.
//!
//! `close()` ends every call in flight on the client and its clones with a `cancelled` error
//! (the call's future is dropped, which is how the client cancels: connections closed,
//! temporary files removed, the folder's lock released), and every later call with a `config`
//! error; closing twice does nothing more. Before this lived here, Node aborted calls on
//! close, Java let them finish and C freed memory under them. A binding's `close()`, context
//! manager, `Symbol.asyncDispose`, `AutoCloseable` or `qcc_radar_client_close` all call
//! [`Closing::close`].

use std::future::Future;

use qcc_radar_core::{Error, ErrorKind, Result};
use tokio::sync::watch;

/// The closed flag of one client, shared by its clones.
#[derive(Debug)]
pub(crate) struct Closing {
    closed: watch::Sender<bool>,
}

impl Default for Closing {
    fn default() -> Self {
        Closing {
            closed: watch::Sender::new(false),
        }
    }
}

impl Closing {
    /// Closes: calls in flight end `cancelled`, later ones `config`. Idempotent.
    pub(crate) fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Whether [`Closing::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }

    /// Runs `work` unless the client is closed, and stops it (dropping it) when the client is
    /// closed meanwhile. `what` completes "the client was closed while …".
    ///
    /// A call finds the client closed when it first runs: `admitted` says whether the caller
    /// made it before (a binding's call handed to a task that had not run yet when `close()`
    /// came, see [`crate::Client::admit`]), which makes it `cancelled` like any call in
    /// flight; otherwise it is a later call, `config`. The closed branch is polled first, and
    /// a failure of `work` once the client is closed is reported as the close (an inner call
    /// of a fetch that started in the instant of `close()` fails `config`; the fetch was in
    /// flight, so it ends `cancelled`), keeping the order it names.
    pub(crate) async fn guard<T>(
        &self,
        what: &str,
        admitted: bool,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let cancelled = |order: Option<&qcc_radar_core::OrderNo>| {
            let e = Error::new(
                ErrorKind::Cancelled,
                format!("the client was closed while {what}"),
            );
            match order {
                Some(o) => e.with_order_no(o),
                None => e,
            }
        };
        let mut closed = self.closed.subscribe();
        if *closed.borrow_and_update() {
            return Err(if admitted {
                cancelled(None)
            } else {
                closed_error()
            });
        }
        tokio::select! {
            biased;
            _ = closed.wait_for(|c| *c) => Err(cancelled(None)),
            result = work => match result {
                Err(e) if self.is_closed() => Err(cancelled(e.order_no())),
                other => other,
            },
        }
    }
}

/// The error of a call on a closed client.
pub(crate) fn closed_error() -> Error {
    Error::config("the client is closed; make a new one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn close_cancels_what_runs_and_refuses_what_comes() {
        let closing = std::sync::Arc::new(Closing::default());
        let c = closing.clone();
        let running = tokio::spawn(async move {
            c.guard("waiting", false, async {
                tokio::time::sleep(Duration::from_secs(600)).await;
                Ok(())
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        closing.close();
        closing.close();
        let e = running.await.unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled);
        assert_eq!(e.message(), "the client was closed while waiting");
        let later = closing.guard("ordering", false, async { Ok(()) }).await;
        assert_eq!(later.unwrap_err().kind(), ErrorKind::Config);
        let admitted = closing.guard("ordering", true, async { Ok(()) }).await;
        assert_eq!(admitted.unwrap_err().kind(), ErrorKind::Cancelled);
        assert!(closing.is_closed());
    }

    #[tokio::test]
    async fn work_that_fails_because_of_the_close_ends_cancelled() {
        let closing = Closing::default();
        let e = closing
            .guard("fetching", false, async {
                closing.close();
                Err::<(), _>(Error::config("the client is closed; make a new one"))
            })
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled);
    }
}
