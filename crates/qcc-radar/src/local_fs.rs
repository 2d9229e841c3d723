//! The local file system: what a failed write means, and making what is written durable.
//!
//! The download, the extraction and the order ledger all write into the report folder, and all
//! need the same few things: a failure told as an `io` error that says what went wrong (a full
//! disk, a read-only file system) rather than an errno; a rename made durable by an fsync of
//! its folder; the write-back of a large file started while it is still being written; and
//! temporary files and folders created with the permissions a plain `create` would give. They
//! live here, knowing nothing of clients or reports, so each of those modules uses them
//! without using the others.

use std::fs::File;
use std::path::Path;

use qcc_radar_core::{Error, ErrorKind};

/// A local file-system failure of the download or the extraction, as an `io` error; the client
/// adds the folder, the order and the next step (`delivery::in_folder`).
pub(crate) fn io_error(e: std::io::Error) -> Error {
    let what = match e.raw_os_error() {
        Some(28) => "the disk is full",
        Some(122) => "the disk quota is exceeded",
        Some(27) => "the file would be larger than this process may write (`ulimit -f`)",
        Some(30) => "the file system is read-only",
        _ if e.kind() == std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "a disk write failed",
    };
    Error::new(ErrorKind::Io, format!("{what}: {e}"))
}

/// Makes a rename in `dir` durable; best effort (not every file system lets a folder be opened).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Starts (does not wait for) the write-back of `len` bytes at `offset`, so the disk works
/// while the network delivers; the final fsync is what makes them durable. Best effort.
#[cfg(target_os = "linux")]
pub(crate) fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (
        libc::off64_t::try_from(offset),
        libc::off64_t::try_from(len),
    ) else {
        return;
    };
    // SAFETY: a plain syscall on a descriptor `file` keeps open for the call's length.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

/// Elsewhere the final fsync writes everything.
#[cfg(not(target_os = "linux"))]
pub(crate) fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

/// Asks for `mode` less the umask (the kernel applies it), as a plain `File::create` (0666) or
/// `create_dir` (0777) would, instead of a temporary file's owner-only 0600/0700: the kept
/// archive and the extracted report get the permissions the user's other files get.
pub(crate) fn with_umask_mode(builder: &mut tempfile::Builder<'_, '_>, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (builder, mode);
}
