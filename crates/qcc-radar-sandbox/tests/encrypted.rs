//! The encrypted scenarios: what getReportInfo says (the password or not) and what the archive
//! holds (every file encrypted, the right cipher; folders plain).

mod common;

use common::*;
use qcc_radar_core::ReportType;
use qcc_radar_sandbox::{Sandbox, Scenario, UNZIP_PASSWORD};

/// (`unzipPassword` of the S answer, the archive).
fn answer_and_archive(scenario: Scenario) -> (Option<String>, Vec<u8>) {
    let sb = Sandbox::start(scenario).unwrap();
    let o = order(&sb, ReportType::Day);
    let i = wait_ready(&sb, &o, 10);
    let r = http("GET", i.link.unwrap().expose(), &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    (i.unzip_password.map(|p| p.expose().to_string()), r.body)
}

#[test]
fn the_answer_carries_the_password_only_where_the_scenario_says() {
    for (scenario, carried) in [
        (Scenario::Encrypted, true),
        (Scenario::EncryptedAes, true),
        (Scenario::EncryptedNoPassword, false),
        (Scenario::Normal, false),
    ] {
        let (password, _) = answer_and_archive(scenario);
        let want = carried.then(|| UNZIP_PASSWORD.to_string());
        assert_eq!(password, want, "{scenario}");
    }
}

#[test]
fn every_file_is_encrypted_with_the_scenarios_cipher() {
    for (scenario, aes) in [
        (Scenario::Encrypted, false),
        (Scenario::EncryptedAes, true),
        (Scenario::EncryptedNoPassword, false),
    ] {
        let (_, zip) = answer_and_archive(scenario);
        let entries = central_directory(&zip);
        assert_eq!(entries.len(), 6, "{scenario}");
        for e in &entries {
            let is_dir = e.name().ends_with('/');
            assert_eq!(e.flags & 1 == 1, !is_dir, "{scenario} {}", e.name());
            if !is_dir {
                // AES entries declare method 99 and carry the real one in their extra field.
                assert_eq!(e.method == 99, aes, "{scenario} {}", e.name());
            }
        }
    }
}
