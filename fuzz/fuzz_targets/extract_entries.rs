//! Extraction of archives built from fuzzer-chosen entries (raw names, flags, Unix modes, lying
//! sizes and CRCs), so that the fuzzer explores the extraction rules rather than the zip
//! container's checksums. The properties are in `qcc_radar_fuzz::extract_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qcc_radar_fuzz::extract_check::{check, fuzz_limits};
use qcc_radar_fuzz::zip_builder::Archive;

fuzz_target!(|archive: Archive| {
    check(&archive.to_bytes(), &fuzz_limits());
});
