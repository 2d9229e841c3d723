//! Serves a qcc-radar sandbox whose secret key is `QCC_LEAK_SECRET`, for the secret-leak scan.
//!
//! The scan needs the front end under test to sign with a recognisable secret, and it scans
//! everything the run prints, this sandbox's output included. `qcc-radar sandbox
//! --expected-secret-key-file` can expect a chosen secret but prints it on its first line (its
//! secret is not meant to be secret). So this prints
//! one JSON line, `{"base_url", "app_key", "scenario"}` (never the secret: the scan reads this
//! output too), and serves until its standard input closes.
//!
//! ```text
//! QCC_LEAK_SECRET=... qcc-radar-leak-sandbox [SCENARIO]
//! ```

use std::io::Read;

use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

fn main() {
    let Some(secret) = std::env::var("QCC_LEAK_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        eprintln!("set QCC_LEAK_SECRET to the secret the sandbox should expect");
        std::process::exit(2);
    };
    let scenario = match std::env::args().nth(1).map(|s| s.parse::<Scenario>()) {
        None => Scenario::Normal,
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut config = SandboxConfig::new(scenario);
    config.app_key = "leak-scan-app-key".to_string();
    config.secret_key = secret;
    config.polls_until_ready = 1;
    let sandbox = match Sandbox::start_with(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("the sandbox did not start: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{{\"base_url\":{:?},\"app_key\":{:?},\"scenario\":{:?}}}",
        sandbox.base_url(),
        sandbox.app_key(),
        scenario.as_str()
    );
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    sandbox.shutdown();
}
