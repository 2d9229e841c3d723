//! The soak: many whole fetches (order, ask, download, extract) against the sandbox, watching
//! the client's file descriptors and memory.
//!
//! A leak that costs one descriptor or a few kilobytes per fetch passes every functional test
//! and kills a long-running service after a week. So this runs a warm-up (some sequential
//! fetches and one concurrent wave, which sets the connection pool's and the allocator's
//! high-water marks), then N sequential and M concurrent fetches, and compares the figures
//! after the warm-up with those after each phase; finally it drops the client and compares
//! with the figures before the first request. Growth beyond the tolerances is a failure.
//!
//! The sandbox runs in a child process (this program started with `--serve`), so `/proc/self`
//! measures the client alone; the server's figures are printed for information.
//!
//! ```text
//! qcc-radar-soak [--quick] [--sequential N] [--concurrent N] [--waves N] [--fd-tolerance N]
//!                [--rss-tolerance-mib N] [--scratch DIR]
//! ```
//! Exit status: 0 within tolerance, 1 growth or failed fetches, 2 bad arguments.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use qcc_radar::{Client, PollSchedule, ReportType};
use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

/// What the process holds: open descriptors and resident memory.
#[derive(Clone, Copy, Debug)]
struct Figures {
    fds: i64,
    rss_kib: i64,
    threads: i64,
}

fn figures_of(proc_dir: &str) -> Figures {
    let fds = std::fs::read_dir(format!("{proc_dir}/fd"))
        .map(|d| d.count() as i64)
        .unwrap_or(-1);
    let status = std::fs::read_to_string(format!("{proc_dir}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    };
    Figures {
        fds,
        rss_kib: field("VmRSS:"),
        threads: field("Threads:"),
    }
}

fn show(label: &str, me: Figures, server: Figures) {
    println!(
        "{label:<22} client fds {:>5} rss {:>6.1} MiB threads {:>3} | sandbox fds {:>5} rss {:>6.1} MiB",
        me.fds,
        me.rss_kib as f64 / 1024.0,
        me.threads,
        server.fds,
        server.rss_kib as f64 / 1024.0
    );
}

struct Options {
    sequential: usize,
    concurrent: usize,
    waves: usize,
    warmup_sequential: usize,
    fd_tolerance: i64,
    rss_tolerance_kib: i64,
    scratch: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        sequential: 10_000,
        concurrent: 1_000,
        waves: 1,
        warmup_sequential: 100,
        fd_tolerance: 8,
        rss_tolerance_kib: 24 * 1024,
        scratch: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| {
            v.parse::<usize>()
                .map_err(|_| format!("{name}: {v:?} is not a whole number"))
        };
        match a.as_str() {
            "--quick" => {
                o.sequential = 500;
                o.concurrent = 100;
                o.warmup_sequential = 50;
                o.rss_tolerance_kib = 12 * 1024;
            }
            "--sequential" => o.sequential = number(&a, value(&a)?)?,
            "--concurrent" => o.concurrent = number(&a, value(&a)?)?,
            "--waves" => o.waves = number(&a, value(&a)?)?.max(1),
            "--fd-tolerance" => o.fd_tolerance = number(&a, value(&a)?)? as i64,
            "--rss-tolerance-mib" => o.rss_tolerance_kib = number(&a, value(&a)?)? as i64 * 1024,
            "--scratch" => o.scratch = Some(PathBuf::from(value(&a)?)),
            "-h" | "--help" => {
                println!("qcc-radar-soak [--quick] [--sequential N] [--concurrent N] [--waves N] [--fd-tolerance N] [--rss-tolerance-mib N] [--scratch DIR]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

/// `--serve`: the sandbox, until standard input closes; then its order count on stdout.
fn serve() -> ! {
    let mut config = SandboxConfig::new(Scenario::Normal);
    config.polls_until_ready = 0;
    let sandbox = Sandbox::start_with(config).expect("the sandbox starts");
    println!(
        "{} {} {}",
        sandbox.base_url(),
        sandbox.app_key(),
        sandbox.secret_key()
    );
    let _ = std::io::stdout().flush();
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    println!("{}", sandbox.orders_placed());
    sandbox.shutdown();
    std::process::exit(0);
}

/// The sandbox child and what it printed first.
struct Server {
    child: Child,
    base_url: String,
    app_key: String,
    secret_key: String,
}

fn start_server() -> Server {
    let mut child = Command::new(std::env::current_exe().expect("this program's path"))
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the sandbox process starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("the sandbox prints its address");
    let mut parts = line.split_whitespace().map(String::from);
    let (Some(base_url), Some(app_key), Some(secret_key)) =
        (parts.next(), parts.next(), parts.next())
    else {
        panic!("unexpected first line from the sandbox: {line:?}");
    };
    Server {
        child,
        base_url,
        app_key,
        secret_key,
    }
}

impl Server {
    fn figures(&self) -> Figures {
        figures_of(&format!("/proc/{}", self.child.id()))
    }

    /// Stops the sandbox; returns the orders it saw placed.
    fn stop(mut self) -> usize {
        drop(self.child.stdin.take());
        let mut rest = String::new();
        let _ = self
            .child
            .stdout
            .as_mut()
            .expect("piped")
            .read_to_string(&mut rest);
        let _ = self.child.wait();
        rest.trim().parse().unwrap_or(0)
    }
}

/// One whole fetch into its own folder under `scratch`, removed afterwards.
async fn fetch_one(client: &Client, scratch: &Path, n: usize) -> Result<(), String> {
    let dir = scratch.join(format!("f{n}"));
    let got = client.fetch_report(ReportType::Day, &dir).await;
    let outcome = match got {
        Ok(Some(report)) if !report.files.is_empty() => Ok(()),
        Ok(Some(_)) => Err("a report without files".to_string()),
        Ok(None) => Err("no report (no_change) from a normal sandbox".to_string()),
        Err(e) => Err(format!("{} error: {e}", e.kind())),
    };
    tokio::fs::remove_dir_all(&dir)
        .await
        .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    outcome
}

async fn sequential(client: &Client, scratch: &Path, from: usize, count: usize) -> usize {
    let mut failed = 0;
    for n in from..from + count {
        if let Err(e) = fetch_one(client, scratch, n).await {
            if failed < 5 {
                eprintln!("fetch {n} failed: {e}");
            }
            failed += 1;
        }
    }
    failed
}

async fn concurrent(client: &Client, scratch: &Path, from: usize, count: usize) -> usize {
    let mut set = tokio::task::JoinSet::new();
    for n in from..from + count {
        let (client, scratch) = (client.clone(), scratch.to_path_buf());
        set.spawn(async move { fetch_one(&client, &scratch, n).await });
    }
    let mut failed = 0;
    while let Some(done) = set.join_next().await {
        if let Err(e) = done.unwrap_or_else(|e| Err(format!("task: {e}"))) {
            if failed < 5 {
                eprintln!("a concurrent fetch failed: {e}");
            }
            failed += 1;
        }
    }
    failed
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--serve") {
        serve();
    }
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let scratch_base = o.scratch.clone().unwrap_or_else(|| {
        let shm = Path::new("/dev/shm");
        if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        }
    });
    let scratch = scratch_base.join(format!("qcc-radar-soak-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");

    let server = start_server();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = Client::builder()
        .app_key(&server.app_key)
        .secret_key(&server.secret_key)
        .base_url(&server.base_url)
        .poll_schedule(PollSchedule::fixed(Duration::from_millis(5)))
        .build()
        .expect("the client builds");

    println!(
        "soak: {} sequential and {} concurrent fetches against {} (scratch {})",
        o.sequential,
        o.concurrent,
        server.base_url,
        scratch.display()
    );
    let before = figures_of("/proc/self");
    show("start", before, server.figures());

    let started = Instant::now();
    let mut failed = 0;
    let mut next = 0;
    failed += rt.block_on(sequential(&client, &scratch, next, o.warmup_sequential));
    next += o.warmup_sequential;
    // Two waves: the first grows the pool, the blocking threads and the allocator's arenas.
    for _ in 0..2 {
        failed += rt.block_on(concurrent(&client, &scratch, next, o.concurrent));
        next += o.concurrent;
    }
    let warm = figures_of("/proc/self");
    show("after warm-up", warm, server.figures());

    // In tenths, so a steady climb (a leak) shows apart from a one-off step (a pool, an arena).
    let t = Instant::now();
    let tenth = o.sequential.div_ceil(10).max(1);
    let mut done = 0;
    while done < o.sequential {
        let n = tenth.min(o.sequential - done);
        failed += rt.block_on(sequential(&client, &scratch, next, n));
        next += n;
        done += n;
        if done < o.sequential {
            show(
                &format!("  {done} sequential"),
                figures_of("/proc/self"),
                server.figures(),
            );
        }
    }
    let seq_time = t.elapsed();
    let after_seq = figures_of("/proc/self");
    show(
        &format!("after {} sequential", o.sequential),
        after_seq,
        server.figures(),
    );

    let t = Instant::now();
    for wave in 1..=o.waves {
        failed += rt.block_on(concurrent(&client, &scratch, next, o.concurrent));
        next += o.concurrent;
        if wave < o.waves {
            show(
                &format!("  wave {wave}"),
                figures_of("/proc/self"),
                server.figures(),
            );
        }
    }
    let conc_time = t.elapsed() / o.waves as u32;
    let after_conc = figures_of("/proc/self");
    show(
        &format!("after {} concurrent", o.concurrent),
        after_conc,
        server.figures(),
    );

    drop(client);
    // Let the pool's connection tasks see their clients go and close.
    rt.block_on(async { tokio::time::sleep(Duration::from_millis(500)).await });
    let dropped = figures_of("/proc/self");
    show("client dropped", dropped, server.figures());
    let placed = server.stop();
    let leftovers = std::fs::read_dir(&scratch).map(|d| d.count()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&scratch);

    println!(
        "{next} fetches in {:.1} s ({:.0}/s sequential, {:.0}/s in the concurrent wave); {placed} orders placed; {failed} failed",
        started.elapsed().as_secs_f64(),
        o.sequential as f64 / seq_time.as_secs_f64().max(1e-9),
        o.concurrent as f64 / conc_time.as_secs_f64().max(1e-9),
    );

    let mut problems = Vec::new();
    if failed > 0 {
        problems.push(format!("{failed} fetches failed"));
    }
    if placed != next {
        problems.push(format!("{placed} orders placed for {next} fetches"));
    }
    if leftovers > 0 {
        problems.push(format!("{leftovers} entries left in the scratch folder"));
    }
    let fd_checks = [
        ("sequential phase", warm.fds, after_seq.fds),
        ("concurrent phase", warm.fds, after_conc.fds),
        ("after dropping the client", before.fds, dropped.fds),
    ];
    for (what, from, to) in fd_checks {
        if to - from > o.fd_tolerance {
            problems.push(format!(
                "file descriptors grew by {} in the {what} ({from} -> {to}; tolerance {})",
                to - from,
                o.fd_tolerance
            ));
        }
    }
    let rss_checks = [
        ("sequential phase", warm.rss_kib, after_seq.rss_kib),
        ("concurrent phase", warm.rss_kib, after_conc.rss_kib),
    ];
    for (what, from, to) in rss_checks {
        if to - from > o.rss_tolerance_kib {
            problems.push(format!(
                "resident memory grew by {:.1} MiB in the {what} ({:.1} -> {:.1} MiB; tolerance {} MiB)",
                (to - from) as f64 / 1024.0,
                from as f64 / 1024.0,
                to as f64 / 1024.0,
                o.rss_tolerance_kib / 1024
            ));
        }
    }
    if problems.is_empty() {
        println!(
            "soak passed: fds {} -> {} (warm) -> {} (end), rss {:.1} -> {:.1} (warm) -> {:.1} MiB (end)",
            before.fds,
            warm.fds,
            after_conc.fds,
            before.rss_kib as f64 / 1024.0,
            warm.rss_kib as f64 / 1024.0,
            after_conc.rss_kib as f64 / 1024.0
        );
    } else {
        for p in &problems {
            println!("FAIL: {p}");
        }
        std::process::exit(1);
    }
}
