//! A small zip writer that can write what a careful library would refuse to.
//!
//! The sandbox must produce archives the way the vendor's (Windows, Chinese-locale) tooling does
//! — GBK names with the UTF-8 flag clear — and hostile ones on purpose: `../` and absolute
//! names, symlink entries, a bomb with an honest but absurd expansion ratio. General-purpose zip
//! libraries normalise or reject exactly those, so this module writes the three record types
//! itself (local file header, central directory header, end of central directory) from raw name
//! bytes and caller-chosen attributes. It never writes zip64: the `large` scenario stays below
//! 4 GiB (see [`crate::MAX_LARGE_BYTES`]).
//!
//! The header builders are separate from [`ZipWriter`] so the `large` archive, which is never in
//! memory, can lay out the same headers around data it generates on the fly.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// Version made by: MS-DOS (host 0), spec 2.0 — what Windows tools write.
pub(crate) const MADE_BY_DOS: u16 = 20;
/// Version made by: UNIX (host 3), spec 2.0 — needed for the mode bits in the external
/// attributes (and so for symlink entries) to mean anything.
pub(crate) const MADE_BY_UNIX: u16 = (3 << 8) | 20;

/// The MS-DOS directory attribute bit.
pub(crate) const DOS_DIRECTORY: u32 = 0x10;
/// The MS-DOS archive attribute bit (set on ordinary files by Windows tools).
pub(crate) const DOS_ARCHIVE: u32 = 0x20;

/// Compression method of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// 0: stored.
    Stored,
    /// 8: deflated.
    Deflated,
}

impl Method {
    fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
        }
    }
}

/// An MS-DOS date and time, as zip headers store them (2-second resolution, local time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DosDateTime {
    /// `hour << 11 | minute << 5 | second / 2`.
    pub(crate) time: u16,
    /// `(year - 1980) << 9 | month << 5 | day`.
    pub(crate) date: u16,
}

impl DosDateTime {
    /// The DOS date and time of `unix_secs` in a zone `utc_offset_secs` east of UTC. Dates
    /// before 1980 clamp to 1980-01-01 00:00:00.
    pub(crate) fn from_unix(unix_secs: u64, utc_offset_secs: i64) -> Self {
        let local = i64::try_from(unix_secs)
            .unwrap_or(i64::MAX / 2)
            .saturating_add(utc_offset_secs);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if year < 1980 {
            return DosDateTime {
                time: 0,
                date: (1 << 5) | 1,
            };
        }
        let year = u16::try_from((year - 1980).min(127)).unwrap_or(127);
        let hour = u16::try_from(secs / 3600).unwrap_or(0);
        let minute = u16::try_from(secs % 3600 / 60).unwrap_or(0);
        let second = u16::try_from(secs % 60).unwrap_or(0);
        DosDateTime {
            time: (hour << 11) | (minute << 5) | (second / 2),
            date: (year << 9)
                | (u16::try_from(month).unwrap_or(1) << 5)
                | u16::try_from(day).unwrap_or(1),
        }
    }
}

pub(crate) use qcc_radar_core::period::civil_from_days;

/// Everything the two per-entry headers say about an entry.
#[derive(Clone, Debug)]
pub(crate) struct EntryHeader {
    /// The raw name bytes (GBK, UTF-8 or anything else: written as given).
    pub(crate) name: Vec<u8>,
    /// Compression method.
    pub(crate) method: Method,
    /// General-purpose flags; bit 11 says the name is UTF-8.
    pub(crate) flags: u16,
    /// CRC-32 of the uncompressed data.
    pub(crate) crc32: u32,
    /// Size of the data as stored.
    pub(crate) compressed_size: u32,
    /// Size of the data once extracted.
    pub(crate) uncompressed_size: u32,
    /// Version made by (host in the high byte).
    pub(crate) version_made_by: u16,
    /// External attributes: DOS bits low, UNIX mode in the high 16 bits.
    pub(crate) external_attributes: u32,
    /// Modification time.
    pub(crate) modified: DosDateTime,
}

const VERSION_NEEDED: u16 = 20;

impl EntryHeader {
    /// The local file header (30 bytes plus the name).
    pub(crate) fn local_header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(30 + self.name.len());
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        h.extend_from_slice(&self.flags.to_le_bytes());
        h.extend_from_slice(&self.method.code().to_le_bytes());
        h.extend_from_slice(&self.modified.time.to_le_bytes());
        h.extend_from_slice(&self.modified.date.to_le_bytes());
        h.extend_from_slice(&self.crc32.to_le_bytes());
        h.extend_from_slice(&self.compressed_size.to_le_bytes());
        h.extend_from_slice(&self.uncompressed_size.to_le_bytes());
        h.extend_from_slice(&name_len(&self.name).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&self.name);
        h
    }

    /// The central directory header (46 bytes plus the name) for an entry whose local header
    /// starts at `local_offset`.
    pub(crate) fn central_header(&self, local_offset: u32) -> Vec<u8> {
        let mut h = Vec::with_capacity(46 + self.name.len());
        h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        h.extend_from_slice(&self.version_made_by.to_le_bytes());
        h.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        h.extend_from_slice(&self.flags.to_le_bytes());
        h.extend_from_slice(&self.method.code().to_le_bytes());
        h.extend_from_slice(&self.modified.time.to_le_bytes());
        h.extend_from_slice(&self.modified.date.to_le_bytes());
        h.extend_from_slice(&self.crc32.to_le_bytes());
        h.extend_from_slice(&self.compressed_size.to_le_bytes());
        h.extend_from_slice(&self.uncompressed_size.to_le_bytes());
        h.extend_from_slice(&name_len(&self.name).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        h.extend_from_slice(&0u16.to_le_bytes()); // comment length
        h.extend_from_slice(&0u16.to_le_bytes()); // disk number start
        h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        h.extend_from_slice(&self.external_attributes.to_le_bytes());
        h.extend_from_slice(&local_offset.to_le_bytes());
        h.extend_from_slice(&self.name);
        h
    }
}

fn name_len(name: &[u8]) -> u16 {
    u16::try_from(name.len()).expect("zip entry names are shorter than 64 KiB")
}

/// The end-of-central-directory record (22 bytes, no comment).
pub(crate) fn end_record(entries: u16, central_size: u32, central_offset: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(22);
    h.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // this disk
    h.extend_from_slice(&0u16.to_le_bytes()); // disk with the central directory
    h.extend_from_slice(&entries.to_le_bytes());
    h.extend_from_slice(&entries.to_le_bytes());
    h.extend_from_slice(&central_size.to_le_bytes());
    h.extend_from_slice(&central_offset.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // comment length
    h
}

/// Deflates `data` (raw deflate, as zip stores it).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

/// Builds a small archive in memory.
#[derive(Debug)]
pub(crate) struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    modified: DosDateTime,
}

impl ZipWriter {
    /// An empty archive whose entries are dated `modified`.
    pub(crate) fn new(modified: DosDateTime) -> Self {
        ZipWriter {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
            modified,
        }
    }

    /// A plain header for `name`, as a Windows tool writes it: made by MS-DOS, UTF-8 flag clear.
    pub(crate) fn header(&self, name: Vec<u8>, method: Method) -> EntryHeader {
        EntryHeader {
            name,
            method,
            flags: 0,
            crc32: 0,
            compressed_size: 0,
            uncompressed_size: 0,
            version_made_by: MADE_BY_DOS,
            external_attributes: DOS_ARCHIVE,
            modified: self.modified,
        }
    }

    /// Adds a directory entry (`name` should end with `/`).
    pub(crate) fn add_dir(&mut self, name: Vec<u8>) {
        let mut h = self.header(name, Method::Stored);
        h.external_attributes = DOS_DIRECTORY;
        self.add_raw(h, &[]);
    }

    /// Adds a file, compressing it with `method`.
    pub(crate) fn add_file(&mut self, name: Vec<u8>, data: &[u8], method: Method) {
        let h = self.header(name, method);
        self.add_with_header(h, data);
    }

    /// Adds `data` under `header`, filling in its CRC, sizes and compressed bytes.
    pub(crate) fn add_with_header(&mut self, mut header: EntryHeader, data: &[u8]) {
        header.crc32 = crc32fast::hash(data);
        header.uncompressed_size = u32::try_from(data.len()).expect("small entries only");
        match header.method {
            Method::Stored => self.add_raw(header, data),
            Method::Deflated => {
                let packed = deflate(data);
                self.add_raw(header, &packed);
            }
        }
    }

    /// Adds an entry whose header is complete and whose `stored` bytes are already in the form
    /// the method says (for precompressed data). The compressed size is set from `stored`.
    pub(crate) fn add_raw(&mut self, mut header: EntryHeader, stored: &[u8]) {
        header.compressed_size = u32::try_from(stored.len()).expect("small entries only");
        let offset = u32::try_from(self.out.len()).expect("archives under 4 GiB");
        self.out.extend_from_slice(&header.local_header());
        self.out.extend_from_slice(stored);
        self.central
            .extend_from_slice(&header.central_header(offset));
        self.entries += 1;
    }

    /// The finished archive.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let central_offset = u32::try_from(self.out.len()).expect("archives under 4 GiB");
        let central_size = u32::try_from(self.central.len()).expect("archives under 4 GiB");
        self.out.extend_from_slice(&self.central);
        self.out
            .extend_from_slice(&end_record(self.entries, central_size, central_offset));
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_time() {
        // 2023-02-17 10:33:53 UTC = 1676630033; in UTC+8 that is 18:33:53.
        let t = DosDateTime::from_unix(1_676_630_033, 8 * 3600);
        assert_eq!(t.date, ((2023 - 1980) << 9) | (2 << 5) | 17);
        assert_eq!(t.time, (18 << 11) | (33 << 5) | (53 / 2));
        let epoch = DosDateTime::from_unix(0, 0);
        assert_eq!(epoch.date, (1 << 5) | 1);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_416), (2023, 2, 28));
        assert_eq!(civil_from_days(19_417), (2023, 3, 1));
    }

    #[test]
    fn writes_a_readable_archive() {
        let mut w = ZipWriter::new(DosDateTime::from_unix(1_700_000_000, 0));
        w.add_dir(b"d/".to_vec());
        w.add_file(b"d/a.txt".to_vec(), b"hello hello hello", Method::Deflated);
        w.add_file(b"b.txt".to_vec(), b"plain", Method::Stored);
        let zip = w.finish();
        // End record: 3 entries, central directory right before it.
        let eocd = &zip[zip.len() - 22..];
        assert_eq!(&eocd[..4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([eocd[10], eocd[11]]), 3);
        let cd_size = u32::from_le_bytes(eocd[12..16].try_into().unwrap()) as usize;
        let cd_off = u32::from_le_bytes(eocd[16..20].try_into().unwrap()) as usize;
        assert_eq!(cd_off + cd_size, zip.len() - 22);
        assert_eq!(&zip[cd_off..cd_off + 4], &[0x50, 0x4b, 0x01, 0x02]);
    }
}
