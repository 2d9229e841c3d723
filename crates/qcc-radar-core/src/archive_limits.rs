//! Limits that stop a hostile archive from exhausting the disk.
//!
//! A zip declares its sizes, but a declaration can lie; the client counts real bytes as it
//! inflates and holds them to these limits. The defaults never reject a legitimate report
//! (several GiB of PDFs and spreadsheets, which compress by single-digit factors) while a
//! zip bomb, whose entries expand by hundreds to a thousand times, is refused before it is
//! written.

use crate::error::{Error, Result};

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

/// Size limits for extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The most entries (files and folders).
    pub max_entries: u64,
    /// The largest single entry, uncompressed.
    pub max_entry_bytes: u64,
    /// The largest total, uncompressed.
    pub max_total_bytes: u64,
    /// The largest expansion ratio (uncompressed / compressed) of an entry, and of the whole
    /// archive, once it is larger than `ratio_floor_bytes`.
    pub max_ratio: u64,
    /// Entries (and archives) up to this size are not held to `max_ratio`: small, highly
    /// compressible files are normal.
    pub ratio_floor_bytes: u64,
}

impl Default for ArchiveLimits {
    /// 100,000 entries, 16 GiB an entry, 64 GiB in all, ratio 250 above 16 MiB.
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 100_000,
            max_entry_bytes: 16 * GIB,
            max_total_bytes: 64 * GIB,
            max_ratio: 250,
            ratio_floor_bytes: 16 * MIB,
        }
    }
}

impl ArchiveLimits {
    /// Checks the number of entries.
    pub fn check_entry_count(&self, entries: u64) -> Result<()> {
        if entries > self.max_entries {
            return Err(Error::archive(format!(
                "the archive has {entries} entries, more than the limit of {}; refused as unsafe",
                self.max_entries
            )));
        }
        Ok(())
    }

    /// Checks one entry: `uncompressed` bytes (declared, or counted so far) from `compressed`.
    pub fn check_entry(&self, name: &str, uncompressed: u64, compressed: u64) -> Result<()> {
        if uncompressed > self.max_entry_bytes {
            return Err(Error::archive(format!(
                "entry {name:?} expands to {uncompressed} bytes, more than the limit of {}; refused as unsafe",
                self.max_entry_bytes
            )));
        }
        if uncompressed > self.ratio_floor_bytes
            && uncompressed / compressed.max(1) > self.max_ratio
        {
            return Err(Error::archive(format!(
                "entry {name:?} expands {}-fold ({compressed} to {uncompressed} bytes), more than the limit of {}: a zip bomb; refused",
                uncompressed / compressed.max(1),
                self.max_ratio
            )));
        }
        Ok(())
    }

    /// Checks the running total of uncompressed bytes against the limit and the archive's size.
    pub fn check_total(&self, total_uncompressed: u64, archive_bytes: u64) -> Result<()> {
        if total_uncompressed > self.max_total_bytes {
            return Err(Error::archive(format!(
                "the archive expands to more than {} bytes in all; refused as unsafe",
                self.max_total_bytes
            )));
        }
        if total_uncompressed > self.ratio_floor_bytes
            && total_uncompressed / archive_bytes.max(1) > self.max_ratio
        {
            return Err(Error::archive(format!(
                "the archive expands {}-fold ({archive_bytes} to {total_uncompressed} bytes), more than the limit of {}: a zip bomb; refused",
                total_uncompressed / archive_bytes.max(1),
                self.max_ratio
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legit_large_report_passes() {
        let l = ArchiveLimits::default();
        l.check_entry("a.pdf", 3 * GIB, 2 * GIB).unwrap();
        l.check_total(5 * GIB, 4 * GIB).unwrap();
        l.check_entry("small.csv", MIB, 1).unwrap();
    }

    #[test]
    fn bomb_is_refused() {
        let l = ArchiveLimits::default();
        let e = l.check_entry("z", GIB, MIB).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Archive);
        assert!(l.check_total(GIB, MIB).is_err());
        assert!(l.check_entry_count(100_001).is_err());
        assert!(l.check_entry("big", 17 * GIB, 17 * GIB).is_err());
    }
}
