//! Shared pieces of the qcc-radar fuzz targets: how an input's bytes are split into the
//! arguments of the function under test, a tiny zip writer that lets the fuzzer choose raw entry
//! names, flags, modes and (lying) sizes, and the checks an extraction must pass.
//!
//! The input layouts live here rather than in each target so that `make_seeds.py` and a reader
//! of a crash file agree with the harness on what the bytes mean (see README.md).

pub mod extract_check;
pub mod inputs;
pub mod zip_builder;
