//! Keyset pages chained inside one `batch`: page k is filtered past the
//! last key of page k-1 through a `$result` reference
//! (`$result[c03][49][ID]`), which the portal substitutes before it runs the
//! command, so one request carries up to 50 full pages whatever the keys.
//!
//! After a short page the references of the later commands no longer point
//! at a key (the portal stops at the deepest level that exists), so what
//! those commands answer, items or errors, is never read. Knows the batch of
//! one step of the walk; not how it is sent.

use serde_json::Value;

use super::keyset::KeysetWalk;
use super::list::List;
use super::{PAGE_SIZE, Page, last_key, no_progress};
use crate::client::batch::{Batch, BatchResults, command_key};
use crate::client::error::Error;

/// What one chained batch gave: its pages in order, then where the walk
/// goes on.
pub(super) struct Chained<I, E> {
    /// The pages up to the first short or failed one.
    pub(super) pages: Vec<Page<I>>,
    /// The key the next batch goes past (`None`: the list is over), or why
    /// the walk ends after `pages`.
    pub(super) end: Result<Option<u64>, Error<E>>,
}

/// The batch of up to 50 keyset pages past `last`, each after the one before.
pub(super) fn batch<L: List>(list: &L, walk: &KeysetWalk, last: u64) -> Batch {
    let mut batch = Batch::new();
    let mut after = Value::from(last);
    let mut index = 0;
    while list.push(&mut batch, &walk.page(Some(after))) {
        after = Value::String(last_key_of(index, list.items_field(), walk.field()));
        index += 1;
    }
    batch
}

/// The reference to the key of the last item of a full page, the result of
/// the command at `index`: `$result[c03][49][ID]`, or
/// `$result[c03][items][49][id]` where the list is a field of the result.
fn last_key_of(index: usize, items: Option<&str>, field: &str) -> String {
    let items = items.map(|items| format!("[{items}]")).unwrap_or_default();
    format!(
        "$result[{}]{items}[{}][{field}]",
        command_key(index),
        PAGE_SIZE - 1
    )
}

/// The pages of a chained batch's answer, read in order up to the first
/// short one (the end of the list) or the first failure; `last` is the key
/// the first page went past.
pub(super) fn read<L: List>(
    list: &L,
    walk: &KeysetWalk,
    batch: &Batch,
    results: &BatchResults,
    last: u64,
) -> Chained<L::Item, L::Error> {
    let mut pages = Vec::new();
    let mut last = last;
    for index in 0..batch.len() {
        let page = match list.read(batch, results, index) {
            Ok(page) => page,
            Err(error) => {
                return Chained {
                    pages,
                    end: Err(error),
                };
            }
        };
        // A page that does not start past the last key repeats items already
        // handed out: the portal did not apply the reference.
        let first = page.result.first().and_then(|item| list.key(item));
        if let Some(first) = first.filter(|first| !walk.way().passes(*first, last)) {
            let detail = format!(
                "the page past key {last} (command {}) starts at key {first}",
                command_key(index)
            );
            return Chained {
                pages,
                end: Err(no_progress(list.method(), detail)),
            };
        }
        if page.result.len() < PAGE_SIZE {
            pages.push(page);
            return Chained {
                pages,
                end: Ok(None),
            };
        }
        let key = match last_key(list, walk, &page, Some(last)) {
            Ok(key) => key,
            Err(error) => {
                return Chained {
                    pages,
                    end: Err(error),
                };
            }
        };
        last = key;
        pages.push(page);
    }
    Chained {
        pages,
        end: Ok(Some(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_point_at_the_last_item_of_a_full_page() {
        assert_eq!(last_key_of(0, None, "ID"), "$result[c00][49][ID]");
        assert_eq!(
            last_key_of(48, Some("items"), "id"),
            "$result[c48][items][49][id]"
        );
    }
}
