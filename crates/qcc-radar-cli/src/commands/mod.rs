//! The subcommands, one file each, and what they share.
//!
//! Every command validates its input and builds its client before it sends anything, so bad
//! input is a `config` failure (exit 2) with nothing sent. Every command but `sandbox` runs
//! under [`crate::interrupt`]: on Ctrl-C or SIGTERM its future is dropped, which stops the
//! client and removes its temporary files, and the failure names the order to resume.

pub mod create;
pub mod demo;
pub mod download;
pub mod fetch;
pub mod sandbox;
pub mod settings;
pub mod sign;
pub mod status;
pub mod tables;
pub mod wait;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use qcc_radar::{Error, OrderNo};

use crate::args::{Command, GlobalArgs};
use crate::interrupt::{Interrupts, Signal};
use crate::output::{Failure, Success};
use crate::progress::Mode;

/// What a running command shares with `main`.
pub struct Ctx {
    /// The global options.
    pub global: GlobalArgs,
    /// How progress is shown.
    pub mode: Mode,
    /// The order being worked on, so an interrupt can say which one to resume (shared with
    /// the progress callback that learns it).
    pub order: Arc<Mutex<Option<OrderNo>>>,
    /// The order ledger in use, if any.
    pub journal: Mutex<Option<PathBuf>>,
}

impl Ctx {
    /// A context for `global`.
    pub fn new(global: GlobalArgs, mode: Mode) -> Ctx {
        Ctx {
            global,
            mode,
            order: Arc::new(Mutex::new(None)),
            journal: Mutex::new(None),
        }
    }

    /// Notes the order being worked on.
    pub fn set_order(&self, order_no: &OrderNo) {
        *self.order.lock().unwrap_or_else(|p| p.into_inner()) = Some(order_no.clone());
    }

    /// The order being worked on.
    pub fn order(&self) -> Option<OrderNo> {
        self.order.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Notes the order ledger in use.
    pub fn set_journal(&self, path: &Path) {
        *self.journal.lock().unwrap_or_else(|p| p.into_inner()) = Some(path.to_path_buf());
    }

    fn journal(&self) -> Option<PathBuf> {
        self.journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Runs `command`; an interrupt stops it cleanly.
pub async fn run(command: Command, ctx: &Ctx) -> Result<Success, Failure> {
    let mut interrupts = Interrupts::install();
    if let Command::Sandbox(args) = command {
        // The sandbox's normal end is a signal: it waits for one itself.
        return sandbox::run(ctx, args, interrupts).await;
    }
    let work = async {
        match command {
            Command::Fetch(a) => fetch::run(ctx, a).await,
            Command::Create(a) => create::run(ctx, a).await,
            Command::Status(a) => status::run(ctx, a).await,
            Command::Wait(a) => wait::run(ctx, a).await,
            Command::Download(a) => download::run(ctx, a).await,
            Command::Sign(a) => sign::run(ctx, a),
            Command::Demo(a) => demo::run(ctx, a).await,
            Command::Tables(a) => tables::run(ctx, a).await,
            Command::Settings => Ok(settings::run()),
            Command::Sandbox(_) => unreachable!("handled above"),
        }
    };
    tokio::select! {
        result = work => result,
        signal = interrupts.recv() => Err(interrupted(ctx, signal)),
    }
}

/// The failure reported after an interrupt.
fn interrupted(ctx: &Ctx, signal: Signal) -> Failure {
    let order = ctx.order();
    let message = match (&order, ctx.journal()) {
        (Some(o), Some(j)) => format!(
            "interrupted by {}; order {o} is recorded in the ledger {}, so running the same fetch again resumes it without a new order",
            signal.name(),
            j.display()
        ),
        (None, Some(j)) => format!(
            "interrupted by {}; the ledger {} is kept (if createReport was on its way, the next fetch reports unconfirmed_order instead of ordering again)",
            signal.name(),
            j.display()
        ),
        (Some(o), None) => format!(
            "interrupted by {}; order {o} stays valid: `qcc-radar wait {o}` and `qcc-radar download {o} --out DIR` pick it up",
            signal.name()
        ),
        (None, None) => format!("interrupted by {}", signal.name()),
    };
    Failure {
        error: Error::new(qcc_radar::ErrorKind::Cancelled, message),
        order_no: order,
        exit_code: Some(signal.exit_code()),
    }
}

/// Creates `dir` if needed, checks it is writable (before anything is sent) and returns it
/// absolute, so printed paths work from any folder.
pub fn prepare_out(dir: &Path) -> Result<PathBuf, Error> {
    qcc_radar::prepare_out_dir(dir).map_err(|e| {
        Error::config(format!(
            "{}; pass --out a folder you can write to",
            e.message()
        ))
    })?;
    std::fs::canonicalize(dir).map_err(|e| {
        Error::config(format!(
            "cannot resolve the output folder {}: {e}; pass --out a folder you can write to",
            dir.display()
        ))
    })
}
