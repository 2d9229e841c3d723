//! Serves a sandbox until killed, for trying a client (or curl) by hand.
//!
//! ```text
//! cargo run -p qcc-radar-sandbox --example serve -- [SCENARIO] [PORT]
//! ```
//!
//! The first line on stdout is JSON (`base_url`, `app_key`, `secret_key`, `scenario`), the
//! same shape `qcc-radar sandbox` prints, so scripts can read it; the rest goes to stderr.

use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

fn main() {
    let mut args = std::env::args().skip(1);
    let scenario = match args.next().as_deref().map(str::parse::<Scenario>) {
        None => Scenario::Normal,
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let port = match args.next().map(|p| p.parse::<u16>()) {
        None => 0,
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            eprintln!("invalid port: {e}");
            std::process::exit(2);
        }
    };
    let config = SandboxConfig {
        port,
        ..SandboxConfig::new(scenario)
    };
    let sandbox = match Sandbox::start_with(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("could not start the sandbox: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{{\"base_url\":{:?},\"app_key\":{:?},\"secret_key\":{:?},\"scenario\":{:?}}}",
        sandbox.base_url(),
        sandbox.app_key(),
        sandbox.secret_key(),
        sandbox.scenario().as_str()
    );
    eprintln!(
        "sandbox ({}: {}) at {}\n  QCC_BASE_URL={} QCC_APP_KEY={} QCC_SECRET_KEY={}\nPress Ctrl-C to stop.",
        sandbox.scenario(),
        sandbox.scenario().description(),
        sandbox.base_url(),
        sandbox.base_url(),
        sandbox.app_key(),
        sandbox.secret_key()
    );
    loop {
        std::thread::park();
    }
}
