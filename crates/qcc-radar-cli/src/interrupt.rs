//! Ctrl-C and SIGTERM as a future, so a command can be raced against them.
//!
//! The command's future is dropped when a signal wins, and dropping is how the client
//! cancels: an unfinished download's temporary file and a half-extracted folder are removed,
//! while the journal, written only between steps, stays as it was. SIGTERM is handled like
//! Ctrl-C because that is what systemd, `timeout` and container runtimes send. The handlers
//! are installed by [`Interrupts::install`], before the work starts (for `sandbox`, before
//! its first line is printed), so a signal sent the moment a harness sees that line is caught
//! rather than killing the process with the default action.

/// Which signal stopped the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Signal {
    /// The signal's name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "Ctrl-C (SIGINT)",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// The shell's convention: 128 + the signal number.
    pub fn exit_code(self) -> i32 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }
}

/// Installed handlers for SIGINT and SIGTERM. A handler that cannot be installed is simply
/// never awaited (that signal keeps its default action).
pub struct Interrupts {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
async fn next(s: &mut Option<tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            if s.recv().await.is_none() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}

impl Interrupts {
    /// Installs the handlers now. Must be called inside the runtime.
    pub fn install() -> Interrupts {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Interrupts {
                int: signal(SignalKind::interrupt()).ok(),
                term: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Interrupts {}
        }
    }

    /// Resolves when SIGINT or SIGTERM arrives.
    pub async fn recv(&mut self) -> Signal {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = next(&mut self.int) => Signal::Interrupt,
                _ = next(&mut self.term) => Signal::Terminate,
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
            Signal::Interrupt
        }
    }
}
