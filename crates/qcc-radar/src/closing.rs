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
    pub(crate) async fn guard<T>(
        &self,
        what: &str,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let mut closed = self.closed.subscribe();
        if *closed.borrow_and_update() {
            return Err(closed_error());
        }
        tokio::select! {
            result = work => result,
            _ = closed.wait_for(|c| *c) => Err(Error::new(
                ErrorKind::Cancelled,
                format!("the client was closed while {what}"),
            )),
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
            c.guard("waiting", async {
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
        let later = closing.guard("ordering", async { Ok(()) }).await;
        assert_eq!(later.unwrap_err().kind(), ErrorKind::Config);
        assert!(closing.is_closed());
    }
}
