//! Extraction of arbitrary bytes as a zip archive, through `qcc_radar::extract::extract_zip`.
//! The properties are in `qcc_radar_fuzz::extract_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qcc_radar_fuzz::extract_check::{check, fuzz_limits};

fuzz_target!(|data: &[u8]| {
    check(data, &fuzz_limits());
});
