//! Runnable examples of the `bitrix24` crate: `cargo run -p bitrix24-examples --example webhook`.
