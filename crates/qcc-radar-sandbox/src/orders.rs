//! The order book: every order placed, and how far along each one is.
//!
//! Scenario faults are per order ("the first getReportInfo of each order is a 502", "the first
//! S answer carries an expired link"), so each order keeps counters of what it has been
//! answered. Order numbers copy the vendor's shape — `JKDAY-` and 18 digits, the first 13 being
//! the millisecond clock, as in the document's `JKDAY-167660123348194027` — and are strictly
//! increasing within a sandbox, with random low digits so that two sandboxes started in the same
//! millisecond do not hand out the same numbers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use qcc_radar_core::{OrderNo, ReportType};

/// One placed order.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// What was ordered.
    pub(crate) report_type: ReportType,
    /// When (monotonic), for the `slow` scenario.
    pub(crate) placed_at: Instant,
    /// getReportInfo calls that reached this order (including a `flaky` 502).
    pub(crate) info_calls: u32,
    /// `P` answers given.
    pub(crate) pending_answers: u32,
    /// `S` answers given.
    pub(crate) ready_answers: u32,
    /// Downloads with a valid link that were started.
    pub(crate) downloads: u32,
}

#[derive(Debug, Default)]
struct Inner {
    orders: HashMap<String, Order>,
    last_number: u64,
}

/// All orders of one sandbox.
#[derive(Debug, Default)]
pub(crate) struct OrderBook {
    inner: Mutex<Inner>,
}

/// Order numbers have 18 digits: 13 of milliseconds and 5 more.
const LOW_DIGITS: u64 = 100_000;

impl OrderBook {
    /// How many orders were placed.
    pub(crate) fn count(&self) -> usize {
        self.lock().orders.len()
    }

    /// Every order number placed, in order (numbers only grow).
    pub(crate) fn numbers(&self) -> Vec<String> {
        let mut numbers: Vec<(u64, String)> = self
            .lock()
            .orders
            .keys()
            .map(|k| {
                let n = k.rsplit('-').next().and_then(|d| d.parse().ok());
                (n.unwrap_or(0), k.clone())
            })
            .collect();
        numbers.sort();
        numbers.into_iter().map(|(_, k)| k).collect()
    }

    /// Places an order and returns its fresh number. `now_millis` is the server clock.
    pub(crate) fn place(&self, report_type: ReportType, now_millis: u64) -> String {
        let mut inner = self.lock();
        let candidate = now_millis
            .saturating_mul(LOW_DIGITS)
            .saturating_add(rand::random_range(0..LOW_DIGITS / 2));
        let number = candidate.max(inner.last_number + 1);
        inner.last_number = number;
        let order_no = format!("{}-{number:018}", OrderNo::prefix_for(report_type));
        inner.orders.insert(
            order_no.clone(),
            Order {
                report_type,
                placed_at: Instant::now(),
                info_calls: 0,
                pending_answers: 0,
                ready_answers: 0,
                downloads: 0,
            },
        );
        order_no
    }

    /// Runs `f` on the order `order_no` under the book's lock; `None` if there is no such order.
    pub(crate) fn with_order<R>(
        &self,
        order_no: &str,
        f: impl FnOnce(&mut Order) -> R,
    ) -> Option<R> {
        self.lock().orders.get_mut(order_no).map(f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_unique_and_shaped() {
        let book = OrderBook::default();
        let a = book.place(ReportType::Day, 1_676_601_233_481);
        let b = book.place(ReportType::Day, 1_676_601_233_481);
        let c = book.place(ReportType::Month, 1_676_601_233_481);
        assert_ne!(a, b);
        assert!(a.starts_with("JKDAY-1676601233481"), "{a}");
        assert_eq!(a.len(), "JKDAY-".len() + 18);
        assert!(c.starts_with("JKMONTH-"), "{c}");
        for o in [&a, &b, &c] {
            let parsed = OrderNo::new(o.as_str()).unwrap();
            assert!(parsed.report_type().is_some());
        }
        assert_eq!(
            book.with_order(&b, |o| o.report_type),
            Some(ReportType::Day)
        );
        assert!(book.with_order("JKDAY-1", |_| ()).is_none());
    }
}
