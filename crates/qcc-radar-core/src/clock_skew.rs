//! Clock-skew estimation from the server's `Date` header.
//!
//! The API rejects a stale Timespan with 115 and does not document how much skew it allows. A
//! server's HTTP `Date` is accurate to a second, so the difference between it and the local
//! clock is a good offset to add to the next Timespan. The caller reads its own clock and passes
//! it in; this module only does the arithmetic.

/// The server's clock minus the local clock, in seconds, from an HTTP `Date` header value and
/// the local time (Unix seconds) at which the response arrived. `None` if the header does not
/// parse.
pub fn server_offset(date_header: &str, local_now: u64) -> Option<i64> {
    let server = httpdate::parse_http_date(date_header.trim()).ok()?;
    let server = server.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(i64::try_from(server).ok()? - i64::try_from(local_now).ok()?)
}

/// `local_now` corrected by `offset` seconds, floored at zero.
pub fn corrected_timespan(local_now: u64, offset: i64) -> u64 {
    local_now.saturating_add_signed(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_from_date() {
        // Sun, 29 Nov 2026 00:00:00 GMT = 1795910400.
        let off = server_offset("Sun, 29 Nov 2026 00:00:00 GMT", 1_795_910_400 - 900).unwrap();
        assert_eq!(off, 900);
        assert_eq!(corrected_timespan(100, -200), 0);
        assert_eq!(corrected_timespan(100, 50), 150);
        assert_eq!(server_offset("yesterday", 0), None);
    }
}
