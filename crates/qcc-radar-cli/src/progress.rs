//! Showing progress: a bar for a person at a terminal, plain log lines for a log file.
//!
//! A bar full of carriage returns is noise in a cron mail or a CI log, so the bar is drawn
//! only when stderr is a terminal; otherwise the same events become occasional log lines
//! (every poll, each quarter of a download). `--quiet` shows neither. Stdout is never touched:
//! it belongs to the result. While a bar is on screen, every other stderr line (log lines,
//! error messages) is written through the bar's `suspend`, so lines do not tear through it.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qcc_radar::{Progress, ProgressFn};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A bar on stderr (stderr is a terminal).
    Bar,
    /// Log lines on stderr.
    Lines,
    /// Nothing (`--quiet`).
    Silent,
}

impl Mode {
    /// The mode for this process: silent when quiet, a bar when stderr is a terminal.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Silent
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// The bar on screen, if any, so other stderr writers can step around it.
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn current_bar() -> Option<ProgressBar> {
    BAR.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Writes `bytes` to stderr, around the bar if one is drawn.
pub fn write_stderr(bytes: &[u8]) {
    let write = || {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(bytes);
        let _ = err.flush();
    };
    match current_bar() {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Prints one line on stderr, around the bar if one is drawn.
pub fn eprint_line(line: &str) {
    let mut text = line.to_string();
    text.push('\n');
    write_stderr(text.as_bytes());
}

/// Removes the bar from the screen (before the result is printed, or on exit).
pub fn clear() {
    let bar = BAR.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// What the bar is showing, so its style changes only when the phase does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Downloading,
    Extracting,
}

fn style(phase: Phase) -> ProgressStyle {
    let template = match phase {
        Phase::Waiting => "{spinner} {msg} [{elapsed}]",
        Phase::Downloading => {
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} [{elapsed}]"
        }
        Phase::Extracting => "{spinner} {msg} [{bar:30}] {pos}/{len} entries",
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

/// Throttling state for log lines.
struct LineState {
    last_download_log: Option<Instant>,
    last_quarter: u64,
}

struct BarState {
    phase: Option<Phase>,
}

/// The bar, styled for `phase`, with its length and position set before it is redrawn.
fn bar_for(state: &mut BarState, phase: Phase, msg: String, len: Option<u64>, pos: u64) {
    let mut slot = BAR.lock().unwrap_or_else(|p| p.into_inner());
    if state.phase == Some(phase) {
        if let Some(bar) = slot.clone() {
            drop(slot);
            apply(&bar, len, pos);
            if bar.message() != msg {
                bar.set_message(msg);
            }
            return;
        }
    }
    // A new phase gets a new bar, fully set up before its first draw (no flash of the old
    // style with the new numbers), with its own rate and elapsed time.
    if let Some(old) = slot.take() {
        old.finish_and_clear();
    }
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr())
        .with_style(style(phase))
        .with_message(msg)
        .with_position(pos);
    bar.enable_steady_tick(Duration::from_millis(120));
    *slot = Some(bar);
    state.phase = Some(phase);
}

fn apply(bar: &ProgressBar, len: Option<u64>, pos: u64) {
    match len {
        Some(l) => bar.set_length(l),
        None => bar.unset_length(),
    }
    bar.set_position(pos);
}

fn on_bar(state: &Mutex<BarState>, event: &Progress) {
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    match event {
        Progress::Polled {
            order_no,
            status,
            polls,
            ..
        } => {
            let msg = format!(
                "waiting for {order_no}: {status} after {polls} poll{}",
                if *polls == 1 { "" } else { "s" }
            );
            bar_for(&mut state, Phase::Waiting, msg, None, 0);
        }
        Progress::Downloading {
            order_no,
            received,
            total,
        } => {
            let msg = format!("downloading {order_no}");
            bar_for(&mut state, Phase::Downloading, msg, *total, *received);
        }
        Progress::Extracting {
            order_no,
            done,
            total,
        } => {
            let msg = format!("extracting {order_no}");
            bar_for(&mut state, Phase::Extracting, msg, Some(*total), *done);
        }
        _ => {}
    }
}

fn on_lines(state: &Mutex<LineState>, event: &Progress) {
    match event {
        Progress::Polled {
            order_no,
            status,
            polls,
            elapsed,
        } => tracing::info!(
            "waiting for {order_no}: {status} after {polls} poll(s), {:.0} s",
            elapsed.as_secs_f64()
        ),
        Progress::Downloading {
            order_no,
            received,
            total,
        } => {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let quarter = total
                .filter(|t| *t > 0)
                .map(|t| received.saturating_mul(4) / t)
                .unwrap_or(0);
            let due = s
                .last_download_log
                .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(10));
            if quarter > s.last_quarter || due {
                s.last_quarter = quarter;
                s.last_download_log = Some(now);
                match total {
                    Some(t) => tracing::info!("downloading {order_no}: {received} of {t} bytes"),
                    None => tracing::info!("downloading {order_no}: {received} bytes"),
                }
            }
        }
        Progress::Extracting {
            order_no,
            done,
            total,
        } if done == total => tracing::info!("extracted {total} entries of {order_no}"),
        _ => {}
    }
}

/// The client's progress callback for `mode` (none when silent).
pub fn callback(mode: Mode) -> Option<ProgressFn> {
    match mode {
        Mode::Silent => None,
        Mode::Bar => {
            let state = Mutex::new(BarState { phase: None });
            Some(Arc::new(move |e: &Progress| on_bar(&state, e)))
        }
        Mode::Lines => {
            let state = Mutex::new(LineState {
                last_download_log: None,
                last_quarter: 0,
            });
            Some(Arc::new(move |e: &Progress| on_lines(&state, e)))
        }
    }
}

/// A `tracing` writer to stderr that steps around the bar.
pub struct StderrAroundBar;

impl Write for StderrAroundBar {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        write_stderr(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for StderrAroundBar {
    type Writer = StderrAroundBar;

    fn make_writer(&'a self) -> Self::Writer {
        StderrAroundBar
    }
}
