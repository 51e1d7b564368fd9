//! Walking every page of a paged method, as a stream of pages or of items.
//!
//! Four strategies ([`Paging`]):
//! - **classic**: `start` = the previous page's `next`, one request a page;
//! - **batched**: the first page tells `total` and the page size, and the
//!   remaining offsets go 50 at a time as the commands of one `batch`;
//! - **keyset** (for methods whose schema declares it, [`Keyset`]): sorted by
//!   the key, each page filtered past the last key seen, with `start=-1` so
//!   the portal does not count; items added or removed during the walk
//!   neither shift nor repeat the others;
//! - **chained**: keyset pages, after the first, 50 to a `batch`, each
//!   filtered past the last key of the page before it through a `$result`
//!   reference (`chain.rs`): the keyset walk's guarantees in a fiftieth of
//!   its requests.
//!
//! Pages are fetched only when the stream is polled (a batched or chained
//! walk fetches up to 50 pages ahead), each request goes through the
//! client's limits and retries, and dropping the stream stops the walk. A
//! portal whose pages do not advance ends the walk with
//! [`PagingError::NoProgress`] instead of looping. The walk is written once
//! over [`List`] (`list.rs`): typed methods ([`Paged`]) and methods called by
//! wire name ([`RawList`]) go the same way.
//!
//! [`Keyset`]: crate::Keyset

mod chain;
mod keyset;
mod list;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde_json::Value;

use self::keyset::KeysetWalk;
use self::list::{List, PageOf, Typed};
use super::batch::{self, Batch};
use super::call::Call;
use super::error::{Error, PagingError};
use super::handle::Client;
use super::options::CallOptions;
use super::response::Response;
use crate::MethodError;
use crate::error::ApiError;
use crate::method::{Batchable, Paged};

pub use self::list::RawList;

/// The size of a page (`IRestService::LIST_LIMIT`): a keyset page with fewer
/// items is the last.
const PAGE_SIZE: usize = 50;

/// How the pages of a list are fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// Chained keyset pages where the method supports keyset paging and the
    /// request sorts by the key alone (or not at all), batched otherwise.
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
    /// By key like [`Keyset`](Self::Keyset), the first page alone and then
    /// up to 50 pages in each `batch`, page k filtered past the last key of
    /// page k-1 through a `$result` reference the portal resolves: while
    /// items are added or removed, no item comes twice and every item there
    /// throughout the walk comes, with neither counting nor offsets, in
    /// about one request per 2,500 items. Fails like `Keyset` where the
    /// method or the request's sort order does not allow it.
    Chained,
}

/// One page of a list: its items, with the page's envelope.
pub type Page<T> = Response<Vec<T>>;

type PageResult<M> = Result<Page<<M as Paged>::Item>, Error<<M as crate::Method>::Error>>;

/// The pages of a list, in order; see [`Call::pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<M: Paged> {
    inner: BoxStream<'static, PageResult<M>>,
}

/// The pages of a list called by wire name, its items as JSON, in order;
/// see [`Client::raw_pages`].
#[must_use = "streams do nothing unless polled"]
pub struct RawPages {
    method: &'static str,
    inner: BoxStream<'static, Result<Page<Value>, Error<ApiError>>>,
}

/// The items of a list, in order; see [`Call::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<M: Paged> {
    pages: Pages<M>,
    current: std::vec::IntoIter<M::Item>,
}

// Every paged method is a REST 2 method (REST 3.0 has no `start`), which a
// batched or chained walk puts in a `batch`.
impl<M> Call<M>
where
    M: Paged + Batchable + Send + 'static,
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
        let walker = Walker { client, options };
        Pages {
            inner: walk(walker, Typed::<M>::new(), request.to_json(), paging),
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

impl Client {
    /// Every page of a list method called by wire name, walked by
    /// `paging` like a typed method's (the schema's description of the
    /// method, through [`RawList::of`], says where its items are and
    /// whether it can be walked by key).
    ///
    /// ```no_run
    /// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use bitrix24::{Keyset, Paging, RawList};
    /// use futures_util::TryStreamExt;
    ///
    /// let groups = RawList::new("sonet_group.get", serde_json::json!({}))
    ///     .keyset(Keyset::new("ORDER", "FILTER", "ID"));
    /// let mut pages = client.raw_pages(groups, Paging::Auto);
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} groups", page.result.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn raw_pages(&self, list: RawList, paging: Paging) -> RawPages {
        let walker = Walker {
            client: self.clone(),
            options: CallOptions::default(),
        };
        let params = list.params().clone();
        RawPages {
            method: list.method(),
            inner: walk(walker, list, params, paging),
        }
    }
}

impl Stream for RawPages {
    type Item = Result<Page<Value>, Error<ApiError>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for RawPages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawPages")
            .field("method", &self.method)
            .finish_non_exhaustive()
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
pub(crate) struct Walker {
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
    /// Keyset: the page past this key (`None`: the first) is next, alone;
    /// `chained`: the pages after it go 50 to a batch.
    Key {
        walk: KeysetWalk,
        last: Option<u64>,
        chained: bool,
    },
    /// Chained keyset: up to 50 pages past this key, in one batch.
    Chain(KeysetWalk, u64),
    Done,
}

/// The first step of a walk of `list` with `params` by `paging`, or why
/// the walk cannot start.
fn first_step<L: List>(list: &L, params: &Value, paging: Paging) -> Result<Step, Error<L::Error>> {
    let keyset = match (paging, list.keyset()) {
        (Paging::Classic | Paging::Batched, _) => Err(""),
        (_, Some(keyset)) => KeysetWalk::new(keyset, params),
        (_, None) => Err("the method has no keyset paging"),
    };
    match (paging, keyset) {
        (Paging::Keyset | Paging::Chained, Err(reason)) => {
            Err(Error::Paging(PagingError::KeysetUnavailable {
                method: list.method(),
                reason,
            }))
        }
        (_, Ok(walk)) => Ok(Step::Key {
            walk,
            last: None,
            chained: paging != Paging::Keyset,
        }),
        _ => Ok(Step::Offset(
            params.get("start").and_then(Value::as_u64).unwrap_or(0),
        )),
    }
}

/// The walk over the pages of `list` with `params`, as a stream.
fn walk<L: List>(
    client: Walker,
    list: L,
    params: Value,
    paging: Paging,
) -> BoxStream<'static, PageOf<L>> {
    let first = match first_step(&list, &params, paging) {
        Ok(step) => step,
        Err(error) => return stream::once(async { Err(error) }).boxed(),
    };
    let batched = !matches!(paging, Paging::Classic);
    let state = (client, list, params, first, batched, VecDeque::new());
    stream::unfold(
        state,
        |(client, list, params, mut step, batched, mut queue)| async move {
            if queue.is_empty() {
                step = advance(&client, &list, &params, step, batched, &mut queue).await;
            }
            let outcome = queue.pop_front()?;
            Some((outcome, (client, list, params, step, batched, queue)))
        },
    )
    .boxed()
}

/// Fetches what `step` names into `queue` (pages, and the error that ends
/// the walk after them) and gives the step after it.
async fn advance<L: List>(
    client: &Walker,
    list: &L,
    params: &Value,
    step: Step,
    batched: bool,
    queue: &mut VecDeque<PageOf<L>>,
) -> Step {
    let next = match step {
        Step::Done => Ok(Step::Done),
        // A page that does not advance would repeat pages already handed
        // out: it is dropped, and its error ends the walk.
        Step::Offset(start) => match list.fetch(client, with_start(params, start)).await {
            Ok(page) => {
                after_offset(list, &page, start, batched).inspect(|_| queue.push_back(Ok(page)))
            }
            Err(error) => Err(error),
        },
        Step::Batches {
            offsets,
            step: size,
        } => fetch_batch(client, list, params, offsets, size)
            .await
            .map(|(pages, rest)| {
                queue.extend(pages.into_iter().map(Ok));
                match rest {
                    Some(offsets) if !offsets.is_empty() => Step::Batches {
                        offsets,
                        step: size,
                    },
                    _ => Step::Done,
                }
            }),
        Step::Key {
            walk,
            last,
            chained,
        } => match list.fetch(client, walk.page(last.map(Value::from))).await {
            Ok(page) => {
                after_key(list, &page, walk, last, chained).inspect(|_| queue.push_back(Ok(page)))
            }
            Err(error) => Err(error),
        },
        Step::Chain(walk, last) => {
            let batch = chain::batch(list, &walk, last);
            match batch::send(client.client.inner(), &batch, client.options.clone()).await {
                Ok(results) => {
                    let chained = chain::read(list, &walk, &batch, &results, last);
                    queue.extend(chained.pages.into_iter().map(Ok));
                    chained.end.map(|end| match end {
                        Some(last) => Step::Chain(walk, last),
                        None => Step::Done,
                    })
                }
                Err(error) => Err(error.map_method(L::Error::from_api)),
            }
        }
    };
    next.unwrap_or_else(|error| {
        queue.push_back(Err(error));
        Step::Done
    })
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

/// What follows the page fetched at `start`.
fn after_offset<L: List>(
    list: &L,
    page: &Page<L::Item>,
    start: u64,
    batched: bool,
) -> Result<Step, Error<L::Error>> {
    let Some(next) = page.next else {
        return Ok(Step::Done);
    };
    if next <= start {
        return Err(no_progress(
            list.method(),
            format!("the page at offset {start} gives next {next}"),
        ));
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
fn after_key<L: List>(
    list: &L,
    page: &Page<L::Item>,
    walk: KeysetWalk,
    last: Option<u64>,
    chained: bool,
) -> Result<Step, Error<L::Error>> {
    if page.result.len() < PAGE_SIZE {
        return Ok(Step::Done);
    }
    let key = last_key(list, &walk, page, last)?;
    Ok(if chained {
        Step::Chain(walk, key)
    } else {
        Step::Key {
            walk,
            last: Some(key),
            chained,
        }
    })
}

/// Up to 50 pages at the offsets of `offsets` (by `step`) in one batch, in
/// order; the offsets left, or `None` when a page was the last.
async fn fetch_batch<L: List>(
    client: &Walker,
    list: &L,
    params: &Value,
    offsets: std::ops::Range<u64>,
    step: u64,
) -> Result<(Vec<Page<L::Item>>, Option<std::ops::Range<u64>>), Error<L::Error>> {
    let mut batch = Batch::new();
    let mut offset = offsets.start;
    while offset < offsets.end && list.push(&mut batch, &with_start(params, offset)) {
        offset = offset.saturating_add(step);
    }
    let results = batch::send(client.client.inner(), &batch, client.options.clone())
        .await
        .map_err(|error| error.map_method(L::Error::from_api))?;
    let mut pages = Vec::with_capacity(batch.len());
    for index in 0..batch.len() {
        let page = list.read(&batch, &results, index)?;
        let last = page.next.is_none();
        pages.push(page);
        if last {
            return Ok((pages, None));
        }
    }
    Ok((pages, Some(offset..offsets.end)))
}

/// The key of the last item of a full page fetched past `last`, which must
/// lie past it: otherwise the next page would repeat items.
fn last_key<L: List>(
    list: &L,
    walk: &KeysetWalk,
    page: &Page<L::Item>,
    last: Option<u64>,
) -> Result<u64, Error<L::Error>> {
    let key = page.result.last().and_then(|item| list.key(item));
    match (key, last) {
        (None, _) => Err(no_progress(
            list.method(),
            "the last item of a page has no key".to_owned(),
        )),
        (Some(key), Some(last)) if !walk.way().passes(key, last) => Err(no_progress(
            list.method(),
            format!("the page past key {last} ends at key {key}"),
        )),
        (Some(key), _) => Ok(key),
    }
}

fn no_progress<E>(method: &'static str, detail: String) -> Error<E> {
    Error::Paging(PagingError::NoProgress { method, detail })
}
