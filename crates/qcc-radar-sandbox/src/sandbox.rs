//! The handle that starts, inspects and stops a sandbox.
//!
//! A sandbox runs on its own thread with its own two-worker tokio runtime. That is the one
//! design that works from every caller: synchronous Rust tests, `#[tokio::test]` (current-thread
//! or multi-thread — starting or dropping a runtime inside another one's context would panic,
//! and borrowing the caller's runtime would deadlock a current-thread test that then blocks on
//! the client), and the Python, Node, C and Java bindings, which have no Rust runtime at all.
//!
//! The listener is bound on the calling thread, so a port clash is an ordinary `io::Error`
//! from [`Sandbox::start_with`] and the base URL is known before it returns. Stopping sends a
//! signal, then shuts the runtime down, which drops every open connection (a client's idle
//! keep-alive connection must not keep a test process alive), and joins the thread.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::app::{router, AppState};
use crate::config::SandboxConfig;
use crate::record::{Endpoint, RecordedRequest};
use crate::scenario::Scenario;

/// A running emulator of the QCC API on `127.0.0.1`. Dropping it stops it.
pub struct Sandbox {
    state: Arc<AppState>,
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox for `scenario` with the default settings.
    pub fn start(scenario: Scenario) -> std::io::Result<Sandbox> {
        Sandbox::start_with(SandboxConfig::new(scenario))
    }

    /// Starts a sandbox with `config`: binds `127.0.0.1:config.port` (0 for any free port) and
    /// serves from a thread of its own. Safe to call from sync code and from inside any tokio
    /// runtime.
    pub fn start_with(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(4)
            .thread_name("qcc-radar-sandbox-worker")
            .enable_all()
            .build()?;
        let state = Arc::new(AppState::new(config, base_url.clone()));
        let app = router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
        let thread = std::thread::Builder::new()
            .name(format!("qcc-radar-sandbox-{port}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
                        let _ = tcp.set_nodelay(true);
                    });
                    let server = axum::serve(listener, app);
                    tokio::select! {
                        _ = server => {}
                        _ = stopped => {}
                    }
                });
                // Drops every connection task still running (idle keep-alives, downloads).
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(std::io::Error::other("the sandbox thread ended at start"));
            }
        }
        Ok(Sandbox {
            state,
            base_url,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The TCP port the sandbox listens on.
    pub fn port(&self) -> u16 {
        self.base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// The app key a client should use.
    pub fn app_key(&self) -> &str {
        &self.state.config.app_key
    }

    /// The secret key a client should use. In `bad_credentials` the server secretly expects a
    /// different one, so requests signed with this get 107.
    pub fn secret_key(&self) -> &str {
        &self.state.config.secret_key
    }

    /// The scenario it runs.
    pub fn scenario(&self) -> Scenario {
        self.state.config.scenario
    }

    /// The configuration it was started with (`port` as requested, possibly 0).
    pub fn config(&self) -> &SandboxConfig {
        &self.state.config
    }

    /// Every request so far, oldest first (the first
    /// [`MAX_RECORDED_REQUESTS`](crate::MAX_RECORDED_REQUESTS); [`Sandbox::count`] is exact
    /// beyond that).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.log.snapshot()
    }

    /// How many createReport calls answered status 200: orders placed (and, on the real
    /// service, paid for).
    pub fn orders_placed(&self) -> usize {
        self.state.log.orders_placed()
    }

    /// The numbers of every order placed, oldest first: the service's order list, as a user
    /// reads it in QCC's console (also the orders whose createReport answer was lost).
    pub fn order_numbers(&self) -> Vec<String> {
        self.state.orders.numbers()
    }

    /// How many requests reached `endpoint`, whatever the answer.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        self.state.log.count(endpoint)
    }

    /// Stops serving, drops open connections and joins the sandbox's thread. Dropping the
    /// sandbox does the same.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("scenario", &self.scenario())
            .finish_non_exhaustive()
    }
}
