//! Walking every page of a paged method, as a stream of pages or of items.
//!
//! Three strategies ([`Paging`]):
//! - **classic**: `start` = the previous page's `next`, one request a page;
//! - **batched**: the first page tells `total` and the page size, and the
//!   remaining offsets go 50 at a time as the commands of one `batch`;
//! - **keyset** (for methods whose schema declares it, [`Keyset`]): sorted by
//!   the key, each page filtered past the last key seen, with `start=-1` so
//!   the portal does not count; items added or removed during the walk
//!   neither shift nor repeat the others.
//!
//! Pages are fetched only when the stream is polled (a batched walk fetches
//! up to 50 pages ahead), each request goes through the client's limits and
//! retries, and dropping the stream stops the walk. A portal whose pages do
//! not advance ends the walk with [`PagingError::NoProgress`] instead of
//! looping. Knows nothing about the methods beyond [`Paged`].

mod keyset;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde_json::Value;

use self::keyset::KeysetWalk;
use super::batch::{self, Batch};
use super::call::Call;
use super::envelope::ResultOf;
use super::error::{Error, PagingError};
use super::execute::execute;
use super::handle::Client;
use super::options::CallOptions;
use super::response::Response;
use crate::MethodError;
use crate::method::Paged;

/// The size of a page (`IRestService::LIST_LIMIT`): a keyset page with fewer
/// items is the last.
const PAGE_SIZE: usize = 50;

/// How the pages of a list are fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// Keyset where the method supports it and the request sorts by the key
    /// alone (or not at all), batched otherwise.
    #[default]
    Auto,
    /// One request per page, each at the previous page's `next`.
    Classic,
    /// The first page alone, then the remaining pages 50 at a time in one
    /// `batch` each, in order.
    Batched,
    /// By key, one request per page, without counting. Fails with
    /// [`PagingError::KeysetUnavailable`] where the method or the request's
    /// sort order does not allow it. Without a sort order the walk goes by
    /// ascending key.
    Keyset,
}

/// One page of a list: its items, with the page's envelope.
pub type Page<T> = Response<Vec<T>>;

type PageResult<M> = Result<Page<<M as Paged>::Item>, Error<<M as crate::Method>::Error>>;

/// The pages of a list, in order; see [`Call::pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<M: Paged> {
    inner: BoxStream<'static, PageResult<M>>,
}

/// The items of a list, in order; see [`Call::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<M: Paged> {
    pages: Pages<M>,
    current: std::vec::IntoIter<M::Item>,
}

impl<M> Call<M>
where
    M: Paged + Send + 'static,
    M::Response: Send,
    M::Item: Send,
{
    /// Every page of the list, fetched as the stream is polled.
    ///
    /// ```no_run
    /// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use bitrix24::prelude::*;
    /// use futures_util::TryStreamExt;
    ///
    /// let mut pages = client.sonet_group_get().pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} groups of {:?}", page.result.len(), page.total);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Pages<M> {
        let (client, request, paging, options) = self.into_parts();
        Pages {
            inner: walk::<M>(Walker { client, options }, request.to_json(), paging),
        }
    }

    /// Every item of the list, page after page.
    ///
    /// ```no_run
    /// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use bitrix24::prelude::*;
    /// use bitrix24::sonet_group::GroupFilter;
    /// use futures_util::TryStreamExt;
    ///
    /// let mut groups = client.sonet_group_get().filter(GroupFilter::new().name_like("Pro")).stream();
    /// while let Some(group) = groups.try_next().await? {
    ///     println!("{}: {}", group.id, group.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> Items<M> {
        Items {
            pages: self.pages(),
            current: Vec::new().into_iter(),
        }
    }

    /// Every item of the list, collected.
    ///
    /// # Errors
    ///
    /// The first page that failed; the items before it are dropped.
    pub async fn collect_all(self) -> Result<Vec<M::Item>, Error<M::Error>> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            items.extend(page?.result);
        }
        Ok(items)
    }
}

impl<M: Paged> Stream for Pages<M> {
    type Item = PageResult<M>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl<M: Paged> Stream for Items<M> {
    type Item = Result<M::Item, Error<M::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(page))) => self.current = page.result.into_iter(),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

// The boxed stream owns `Send` parts only; neither type borrows anything.
impl<M: Paged> Unpin for Items<M> {}

impl<M: Paged> fmt::Debug for Pages<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("method", &M::NAME)
            .finish_non_exhaustive()
    }
}

impl<M: Paged> fmt::Debug for Items<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("method", &M::NAME)
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}

/// Who sends the pages: the client, with the call's own settings.
struct Walker {
    client: Client,
    options: CallOptions,
}

/// Where a walk stands.
enum Step {
    /// The page at this offset is next.
    Offset(u64),
    /// Batched: the pages at these offsets, by `step`, are next.
    Batches {
        offsets: std::ops::Range<u64>,
        step: u64,
    },
    /// Keyset: the page past this key (`None`: the first) is next.
    Key(KeysetWalk, Option<u64>),
    Done,
}

/// The walk over the pages of `M` with `params`, as a stream.
fn walk<M>(client: Walker, params: Value, paging: Paging) -> BoxStream<'static, PageResult<M>>
where
    M: Paged + Send + 'static,
    M::Response: Send,
    M::Item: Send,
{
    let keyset = match (paging, M::KEYSET) {
        (Paging::Auto | Paging::Keyset, Some(keyset)) => KeysetWalk::new(keyset, &params),
        (Paging::Keyset, None) => Err("the method has no keyset paging"),
        _ => Err(""),
    };
    let first = match (paging, keyset) {
        (Paging::Keyset, Err(reason)) => {
            let error = Error::Paging(PagingError::KeysetUnavailable {
                method: M::NAME,
                reason,
            });
            return stream::once(async { Err(error) }).boxed();
        }
        (_, Ok(walk)) => Step::Key(walk, None),
        _ => Step::Offset(params.get("start").and_then(Value::as_u64).unwrap_or(0)),
    };
    let batched = !matches!(paging, Paging::Classic);
    let state = (
        client,
        params,
        first,
        batched,
        VecDeque::<Page<M::Item>>::new(),
    );
    stream::unfold(
        state,
        |(client, params, step, batched, mut queue)| async move {
            if let Some(page) = queue.pop_front() {
                return Some((Ok(page), (client, params, step, batched, queue)));
            }
            let (result, next) = match step {
                Step::Done => return None,
                Step::Offset(start) => {
                    let result = fetch::<M>(&client, with_start(&params, start)).await;
                    let next = match &result {
                        Ok(page) => after_offset::<M>(page, start, batched),
                        Err(_) => Ok(Step::Done),
                    };
                    (result, next)
                }
                Step::Batches {
                    offsets,
                    step: size,
                } => match fetch_batch::<M>(&client, &params, offsets.clone(), size).await {
                    Ok((pages, rest)) => {
                        queue.extend(pages);
                        let next = match rest {
                            Some(offsets) if !offsets.is_empty() => Step::Batches {
                                offsets,
                                step: size,
                            },
                            _ => Step::Done,
                        };
                        match queue.pop_front() {
                            Some(page) => (Ok(page), Ok(next)),
                            None => return None,
                        }
                    }
                    Err(error) => (Err(error), Ok(Step::Done)),
                },
                Step::Key(walk, last) => {
                    let result = fetch::<M>(&client, walk.page(last)).await;
                    let next = match &result {
                        Ok(page) => after_key::<M>(page, walk, last),
                        Err(_) => Ok(Step::Done),
                    };
                    (result, next)
                }
            };
            match next {
                Ok(step) => Some((result, (client, params, step, batched, queue))),
                // A page that does not advance repeats pages already handed
                // out: it is dropped, and its error ends the walk.
                Err(error) => Some((Err(error), (client, params, Step::Done, batched, queue))),
            }
        },
    )
    .boxed()
}

/// The parameters with `start` set, sent last.
fn with_start(params: &Value, start: u64) -> Value {
    let mut params = params.clone();
    if let Value::Object(map) = &mut params {
        map.remove("start");
        map.insert("start".to_owned(), start.into());
    }
    params
}

/// One page, sent through the client's execute path.
async fn fetch<M: Paged>(client: &Walker, params: Value) -> PageResult<M> {
    let body = serde_json::to_vec(&params).unwrap_or_default();
    let inner = client.client.inner();
    let response =
        execute::<ResultOf<M>, M::Error>(inner, M::NAME, M::RETRY_SAFE, body, client.options)
            .await?;
    Ok(response.map(|result| M::into_items(result.0)))
}

/// What follows the page fetched at `start`.
fn after_offset<M: Paged>(
    page: &Page<M::Item>,
    start: u64,
    batched: bool,
) -> Result<Step, Error<M::Error>> {
    let Some(next) = page.next else {
        return Ok(Step::Done);
    };
    if next <= start {
        return Err(no_progress::<M>(format!(
            "the page at offset {start} gives next {next}"
        )));
    }
    match (batched, page.total) {
        (true, Some(total)) if total > next => Ok(Step::Batches {
            offsets: next..total,
            step: next - start,
        }),
        _ => Ok(Step::Offset(next)),
    }
}

/// What follows a keyset page fetched past `last`.
fn after_key<M: Paged>(
    page: &Page<M::Item>,
    walk: KeysetWalk,
    last: Option<u64>,
) -> Result<Step, Error<M::Error>> {
    if page.result.len() < PAGE_SIZE {
        return Ok(Step::Done);
    }
    let Some(key) = page.result.last().and_then(M::keyset_value) else {
        return Err(no_progress::<M>(
            "the last item of a page has no key".to_owned(),
        ));
    };
    if let Some(last) = last.filter(|last| !walk.way().passes(key, *last)) {
        return Err(no_progress::<M>(format!(
            "the page past key {last} ends at key {key}"
        )));
    }
    Ok(Step::Key(walk, Some(key)))
}

/// Up to 50 pages at the offsets of `offsets` (by `step`) in one batch, in
/// order; the offsets left, or `None` when a page was the last.
async fn fetch_batch<M: Paged>(
    client: &Walker,
    params: &Value,
    offsets: std::ops::Range<u64>,
    step: u64,
) -> Result<(Vec<Page<M::Item>>, Option<std::ops::Range<u64>>), Error<M::Error>> {
    let mut batch = Batch::new();
    let mut keys = Vec::new();
    let mut offset = offsets.start;
    while offset < offsets.end {
        let Some(key) = batch.add_params::<M>(&with_start(params, offset)) else {
            break;
        };
        keys.push(key);
        offset = offset.saturating_add(step);
    }
    let results = batch::send(client.client.inner(), &batch, client.options)
        .await
        .map_err(|error| error.map_method(M::Error::from_api))?;
    let mut pages = Vec::with_capacity(keys.len());
    for key in keys {
        let page = results
            .get(key)
            .map_err(|error| error.into_call_error(M::NAME))?;
        let last = page.next.is_none();
        pages.push(page.map(M::into_items));
        if last {
            return Ok((pages, None));
        }
    }
    Ok((pages, Some(offset..offsets.end)))
}

fn no_progress<M: Paged>(detail: String) -> Error<M::Error> {
    Error::Paging(PagingError::NoProgress {
        method: M::NAME,
        detail,
    })
}
