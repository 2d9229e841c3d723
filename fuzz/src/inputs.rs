//! Input layouts: how a fuzz input's bytes become the function's arguments.
//!
//! Kept byte-oriented and trivial so that seeds can be written by a script and a crash file read
//! by eye.

/// An API response: which endpoint answered, its Content-Type and its body.
///
/// Layout: byte 0 bit 0 selects the endpoint (0 createReport, 1 getReportInfo); byte 1 is the
/// content type's length in bytes, or 255 for none; then the content type (read as UTF-8,
/// lossily) and the rest is the body.
#[derive(Debug)]
pub struct Response<'a> {
    /// `true` for getReportInfo, `false` for createReport.
    pub report_info: bool,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// Splits `data`; `None` when it is too short to hold the header bytes.
    pub fn split(data: &'a [u8]) -> Option<Self> {
        let (&selector, rest) = data.split_first()?;
        let (&ct_len, rest) = rest.split_first()?;
        let (content_type, body) = if ct_len == 255 {
            (None, rest)
        } else {
            let n = usize::from(ct_len).min(rest.len());
            let (ct, body) = rest.split_at(n);
            (Some(String::from_utf8_lossy(ct).into_owned()), body)
        };
        Some(Response {
            report_info: selector & 1 == 1,
            content_type,
            body,
        })
    }

    /// The bytes that [`Response::split`] turns back into this response.
    pub fn encode(report_info: bool, content_type: Option<&str>, body: &[u8]) -> Vec<u8> {
        let mut out = vec![u8::from(report_info)];
        match content_type {
            Some(ct) if ct.len() < 255 => {
                out.push(ct.len() as u8);
                out.extend_from_slice(ct.as_bytes());
            }
            _ => out.push(255),
        }
        out.extend_from_slice(body);
        out
    }
}

/// A raw zip entry name and its UTF-8 flag.
///
/// Layout: byte 0 bit 0 is the zip UTF-8 flag (general-purpose bit 11); the rest is the name.
pub fn split_name(data: &[u8]) -> Option<(bool, &[u8])> {
    let (&flag, raw) = data.split_first()?;
    Some((flag & 1 == 1, raw))
}
