/**
 * Java binding of qcc-radar: order QCC Pro risk-monitoring reports, wait for them, download
 * and safely extract them.
 *
 * <p>{@link com.qccradar.RadarClient} is the entry point. Everything it does runs in the Rust
 * client that every qcc-radar binding shares (retries that never pay for a second order,
 * clock-skew correction, atomic downloads, extraction that treats the archive as hostile); this
 * package only converts arguments and results. Failures are {@link com.qccradar.QccException}s
 * with an {@link com.qccradar.ErrorKind} and, where the API answered, its status code.
 */
package com.qccradar;
