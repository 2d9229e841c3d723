//! Generates include/qcc_radar.h with cbindgen and names the shared object for C linkers.
//!
//! The header is generated on every build of this crate (not by a separate tool) so that it can
//! never silently lag behind the code: a change to an `extern "C"` signature or a doc comment
//! rewrites the committed header, and CI fails when `git diff include/qcc_radar.h` is not empty.
//! It is written only when its content changes (atomically, through a temporary file), so
//! concurrent builds and file watchers see no churn.
//!
//! The Rust library is called `qcc_radar_c` (the client crate owns `qcc_radar`), so rustc makes
//! `libqcc_radar_c.so`; its SONAME is set to `libqcc_radar.so.0`, the name the Makefile stages
//! and installs it under, so programs linked with `-lqcc_radar` load the installed file.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libqcc_radar.so.0");
    }

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings/c/cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate include/qcc_radar.h: {e}"));
    let mut text = Vec::new();
    bindings.write(&mut text);

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("qcc_radar.h"), &text).expect("OUT_DIR is writable");

    let header = crate_dir.join("../../include/qcc_radar.h");
    if std::fs::read(&header).ok().as_deref() != Some(&text[..]) {
        let dir = header.parent().expect("has a parent");
        std::fs::create_dir_all(dir).expect("include/ can be created");
        let tmp = dir.join(format!(".qcc_radar.h.{}.tmp", std::process::id()));
        std::fs::write(&tmp, &text).expect("include/ is writable");
        std::fs::rename(&tmp, &header).expect("include/qcc_radar.h can be replaced");
    }
}
