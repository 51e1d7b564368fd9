//! The memory a large `batch` answer costs: 50 commands, each a long member
//! list, tens of megabytes in all, received from a loopback server, then
//! every command decoded. The peak of the bytes allocated during the call and
//! the decoding must stay within twice the body.
//!
//! The answer comes with a `Content-Length`, so the client reads it into one
//! buffer of that size; a reallocation is counted as if the old and the new
//! block were both held while the bytes move. The answer is built, and
//! shared with the server, before the baseline is taken.
//!
//! Its own test binary, because the counting allocator counts every
//! allocation of the process: nothing else may run beside it.

mod client_support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bitrix24::{Batch, SonetGroupUserGet, UserId};
use client_support::{Reply, Server, TIME};

/// Counts the bytes held, and the most ever held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn hold(bytes: usize) {
    let now = HELD.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only the counters
// are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` hold for `System` too.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            hold(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            hold(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System` with `layout`.
        unsafe { System.dealloc(pointer, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `pointer` came from `System` with `layout`.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            // Counted as if the old and the new block were both held while
            // the bytes move, which is the most a reallocation can cost.
            let old = layout.size();
            let held = HELD.load(Ordering::Relaxed);
            PEAK.fetch_max(held + new_size, Ordering::Relaxed);
            if new_size >= old {
                HELD.fetch_add(new_size - old, Ordering::Relaxed);
            } else {
                HELD.fetch_sub(old - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const COMMANDS: usize = 50;
const MEMBERS: usize = 20_000;

/// The user ID of member `member` of command `command`.
fn user(command: usize, member: usize) -> u64 {
    u64::try_from(1_000_000 + command * MEMBERS + member).unwrap()
}

/// A batch answer in PHP's shape: every command's member list, its total and
/// its own time.
fn answer() -> String {
    let roles = ["A", "E", "K"];
    let mut body = String::with_capacity(COMMANDS * MEMBERS * 34 + 64 * 1024);
    body.push_str(r#"{"result":{"result":{"#);
    for command in 0..COMMANDS {
        if command > 0 {
            body.push(',');
        }
        write!(body, r#""c{command:02}":["#).unwrap();
        for member in 0..MEMBERS {
            if member > 0 {
                body.push(',');
            }
            write!(
                body,
                r#"{{"USER_ID":"{}","ROLE":"{}"}}"#,
                user(command, member),
                roles[member % 3]
            )
            .unwrap();
        }
        body.push(']');
    }
    body.push_str(r#"},"result_error":[],"result_total":{"#);
    let totals: Vec<String> = (0..COMMANDS)
        .map(|command| format!(r#""c{command:02}":{MEMBERS}"#))
        .collect();
    body.push_str(&totals.join(","));
    body.push_str(r#"},"result_next":[],"result_time":{"#);
    let times: Vec<String> = (0..COMMANDS)
        .map(|command| format!(r#""c{command:02}":{TIME}"#))
        .collect();
    body.push_str(&times.join(","));
    write!(body, r#"}}}},"time":{TIME}}}"#).unwrap();
    body
}

#[tokio::test(flavor = "current_thread")]
async fn a_large_batch_answer_costs_at_most_twice_its_body() {
    let body = answer();
    let body_len = body.len();
    let Reply::Raw(raw) = Reply::body(200, "application/json", body.as_bytes()) else {
        unreachable!("a body is a raw reply")
    };
    drop(body);
    let raw: Arc<[u8]> = raw.into();
    let server = Server::start(move |_| Reply::Shared(raw.clone())).await;
    let client = server.client();
    let mut batch = Batch::new();
    let keys: Vec<_> = (0..COMMANDS)
        .map(|group| batch.add(SonetGroupUserGet::new(group as u64 + 1)).unwrap())
        .collect();

    let baseline = HELD.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let results = client.call_batch(&batch).await.expect("the batch runs");
    let after_call = PEAK.load(Ordering::Relaxed) - baseline;
    let mut decoded = 0;
    for (command, key) in keys.into_iter().enumerate() {
        let response = results.get(key).expect("every command decodes");
        assert_eq!(response.total, Some(MEMBERS as u64));
        let members = response.result;
        assert_eq!(members.len(), MEMBERS);
        assert_eq!(members[0].user_id, UserId::new(user(command, 0)));
        assert_eq!(
            members[MEMBERS - 1].user_id,
            UserId::new(user(command, MEMBERS - 1))
        );
        decoded += members.len();
    }
    let peak = PEAK.load(Ordering::Relaxed) - baseline;
    drop(results);

    assert_eq!(decoded, COMMANDS * MEMBERS);
    eprintln!(
        "body {body_len} bytes; peak above the baseline: {after_call} bytes after the call ({:.2}x), \
         {peak} bytes with the decoding ({:.2}x)",
        after_call as f64 / body_len as f64,
        peak as f64 / body_len as f64,
    );
    assert!(
        peak <= 2 * body_len,
        "the peak of {peak} bytes is more than twice the body of {body_len} bytes"
    );
}
