//! A deliberately naive zip writer, so the fuzzer can build archives that a real writer never
//! would: raw (GBK, invalid, hostile) names, any UTF-8 flag, Unix modes for links and devices,
//! the encryption bit, and declared sizes or CRCs that lie about the data.
//!
//! Only the classic (non-zip64) layout: local headers with their data, the central directory,
//! the end record. Random bytes alone rarely form an archive with several sound entries; built
//! archives let the fuzzer spend its time on the extraction rules instead.

use std::io::Write;

use arbitrary::Arbitrary;

/// What kind of file an entry's Unix mode says it is.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No Unix mode (made by MS-DOS).
    NoMode,
    /// A regular file, mode 0o100644.
    File,
    /// A folder, mode 0o040755.
    Dir,
    /// A symbolic link, mode 0o120777; the data is the link target.
    Symlink,
    /// A named pipe, mode 0o010644.
    Fifo,
    /// Any mode at all.
    Mode(u32),
}

impl Kind {
    /// The Unix mode stored in the external attributes, if any.
    pub fn mode(self) -> Option<u32> {
        match self {
            Kind::NoMode => None,
            Kind::File => Some(0o100644),
            Kind::Dir => Some(0o040755),
            Kind::Symlink => Some(0o120777),
            Kind::Fifo => Some(0o010644),
            Kind::Mode(m) => Some(m & 0xFFFF),
        }
    }
}

/// One entry, as the fuzzer chooses it.
#[derive(Arbitrary, Clone, Debug)]
pub struct Entry {
    /// The raw name bytes.
    pub name: Vec<u8>,
    /// General-purpose bit 11.
    pub utf8_flag: bool,
    /// General-purpose bit 0.
    pub encrypted: bool,
    /// The Unix mode in the external attributes.
    pub kind: Kind,
    /// The entry's content (uncompressed).
    pub data: Vec<u8>,
    /// Deflate rather than store.
    pub deflate: bool,
    /// Repeat `data` this many times more (a cheap way to reach high ratios), capped.
    pub repeat: u8,
    /// Declare this uncompressed size instead of the real one.
    pub size_lie: Option<u32>,
    /// Declare this CRC instead of the real one.
    pub crc_lie: Option<u32>,
}

/// A whole archive.
#[derive(Arbitrary, Clone, Debug)]
pub struct Archive {
    /// The entries, in order (capped at 24 when built).
    pub entries: Vec<Entry>,
    /// Bytes placed before the first entry (self-extractor stubs, junk).
    pub prefix: Vec<u8>,
    /// The archive comment.
    pub comment: Vec<u8>,
}

const MAX_ENTRIES: usize = 24;
const MAX_REPEAT: usize = 64;

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn clamp16(len: usize) -> u16 {
    u16::try_from(len).unwrap_or(u16::MAX)
}

impl Archive {
    /// The archive's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.prefix.clone();
        let mut central = Vec::new();
        let entries = &self.entries[..self.entries.len().min(MAX_ENTRIES)];
        for e in entries {
            let name = &e.name[..e.name.len().min(u16::MAX as usize)];
            let mut data = e.data.clone();
            for _ in 0..usize::from(e.repeat).min(MAX_REPEAT) {
                data.extend_from_slice(&e.data);
            }
            let crc = e.crc_lie.unwrap_or_else(|| crc32fast::hash(&data));
            let usize_ = e.size_lie.unwrap_or(data.len() as u32);
            let (method, body) = if e.deflate {
                let mut enc =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                enc.write_all(&data).expect("in memory");
                (8u16, enc.finish().expect("in memory"))
            } else {
                (0u16, data)
            };
            let mut flags = 0u16;
            if e.utf8_flag {
                flags |= 1 << 11;
            }
            if e.encrypted {
                flags |= 1;
            }
            let offset = out.len() as u32;
            // Local header.
            u32le(&mut out, 0x0403_4b50);
            u16le(&mut out, 20);
            u16le(&mut out, flags);
            u16le(&mut out, method);
            u16le(&mut out, 0);
            u16le(&mut out, 0x21);
            u32le(&mut out, crc);
            u32le(&mut out, body.len() as u32);
            u32le(&mut out, usize_);
            u16le(&mut out, clamp16(name.len()));
            u16le(&mut out, 0);
            out.extend_from_slice(name);
            out.extend_from_slice(&body);
            // Central directory header.
            let (made_by, external) = match e.kind.mode() {
                Some(mode) => ((3u16 << 8) | 20, mode << 16),
                None => (20u16, 0),
            };
            u32le(&mut central, 0x0201_4b50);
            u16le(&mut central, made_by);
            u16le(&mut central, 20);
            u16le(&mut central, flags);
            u16le(&mut central, method);
            u16le(&mut central, 0);
            u16le(&mut central, 0x21);
            u32le(&mut central, crc);
            u32le(&mut central, body.len() as u32);
            u32le(&mut central, usize_);
            u16le(&mut central, clamp16(name.len()));
            u16le(&mut central, 0);
            u16le(&mut central, 0);
            u16le(&mut central, 0);
            u16le(&mut central, 0);
            u32le(&mut central, external);
            u32le(&mut central, offset);
            central.extend_from_slice(name);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        let comment = &self.comment[..self.comment.len().min(u16::MAX as usize)];
        u32le(&mut out, 0x0605_4b50);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, entries.len() as u16);
        u16le(&mut out, entries.len() as u16);
        u32le(&mut out, central.len() as u32);
        u32le(&mut out, cd_offset);
        u16le(&mut out, clamp16(comment.len()));
        out.extend_from_slice(comment);
        out
    }
}
