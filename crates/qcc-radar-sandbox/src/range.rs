//! `Range` headers for downloads.
//!
//! A client resuming a cut download sends `Range: bytes=N-`; one fetching a piece sends
//! `bytes=N-M`. Both get 206 with `Content-Range`; a start past the end gets 416 with
//! `Content-Range: bytes */LEN`. Anything the sandbox does not serve as a single range (several
//! ranges, another unit, a malformed value) is ignored and the whole archive sent with 200, as
//! RFC 9110 allows — the client then sees a 200 and must start over rather than append.

/// What to send for a request's `Range` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RangeAnswer {
    /// 200: the whole body.
    Full,
    /// 206: bytes `start..end` (end exclusive).
    Partial {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
    },
    /// 416: nothing of the body lies in the range.
    Unsatisfiable,
}

/// Decides what to send for `header` (the `Range` value, if any) over a body of `len` bytes.
pub(crate) fn answer(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(value) = header else {
        return RangeAnswer::Full;
    };
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeAnswer::Full;
    };
    let spec = spec.trim();
    if spec.contains(',') {
        return RangeAnswer::Full;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return RangeAnswer::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    if first.is_empty() {
        // Suffix range: the last N bytes.
        let Some(n) = number(last) else {
            return RangeAnswer::Full;
        };
        if n == 0 || len == 0 {
            return RangeAnswer::Unsatisfiable;
        }
        return RangeAnswer::Partial {
            start: len.saturating_sub(n),
            end: len,
        };
    }
    let Some(start) = number(first) else {
        return RangeAnswer::Full;
    };
    let end = if last.is_empty() {
        len
    } else {
        match number(last) {
            Some(l) if l >= start => l.saturating_add(1).min(len),
            _ => return RangeAnswer::Full,
        }
    };
    if start >= len {
        return RangeAnswer::Unsatisfiable;
    }
    RangeAnswer::Partial { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeAnswer::*;
        assert_eq!(answer(None, 10), Full);
        assert_eq!(answer(Some("bytes=0-"), 10), Partial { start: 0, end: 10 });
        assert_eq!(answer(Some("bytes=4-"), 10), Partial { start: 4, end: 10 });
        assert_eq!(answer(Some("bytes=2-5"), 10), Partial { start: 2, end: 6 });
        assert_eq!(
            answer(Some("bytes=2-500"), 10),
            Partial { start: 2, end: 10 }
        );
        assert_eq!(answer(Some("bytes=-3"), 10), Partial { start: 7, end: 10 });
        assert_eq!(answer(Some("bytes=-30"), 10), Partial { start: 0, end: 10 });
        assert_eq!(answer(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(answer(Some("bytes=99-100"), 10), Unsatisfiable);
        assert_eq!(answer(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(answer(Some("bytes=5-2"), 10), Full);
        assert_eq!(answer(Some("bytes=0-1,4-5"), 10), Full);
        assert_eq!(answer(Some("items=0-1"), 10), Full);
        assert_eq!(answer(Some("bytes=x-"), 10), Full);
        assert_eq!(answer(Some("bytes=+1-"), 10), Full);
    }
}
