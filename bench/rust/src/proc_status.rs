//! The process's own thread count and memory, from `/proc/self/status`.
//!
//! Read from the kernel rather than estimated, so "no thread per wait" and "peak RSS" are
//! facts about the process: `Threads` counts every OS thread, `VmHWM` is the peak resident
//! set since the process started.

/// One reading of `/proc/self/status`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Status {
    /// OS threads now.
    pub threads: u64,
    /// Resident set now, KiB.
    pub rss_kib: u64,
    /// Peak resident set so far, KiB.
    pub hwm_kib: u64,
}

/// Reads `/proc/self/status`; zeros where it cannot (not Linux).
pub fn read() -> Status {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mut s = Status::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let number = value
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        match key {
            "Threads" => s.threads = number,
            "VmRSS" => s.rss_kib = number,
            "VmHWM" => s.hwm_kib = number,
            _ => {}
        }
    }
    s
}
