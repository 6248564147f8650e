//! Pages of an operation that pages (Marketo's `streamPosition`, say), as a `Stream`: the
//! machinery generated `<method>_pages` methods use.

use std::future::Future;

pub use futures_core::Stream;

use crate::error::Error;
use crate::xml::Nillable;

/// The responses of `fetch`, first for `first`, then for each request `next` makes of the
/// request and response before it, until `next` says there is none or `fetch` fails (the
/// error is the stream's last item).
pub fn pages<'c, Req, Resp, Fetch, Fut, Next>(
    first: Req,
    fetch: Fetch,
    next: Next,
) -> impl Stream<Item = Result<Resp, Error>> + 'c
where
    Req: Clone + 'c,
    Resp: 'c,
    Fetch: FnMut(Req) -> Fut + 'c,
    Fut: Future<Output = Result<Resp, Error>> + 'c,
    Next: Fn(&Req, &Resp) -> Option<Req> + 'c,
{
    futures_util::stream::unfold((Some(first), fetch, next), |(request, mut fetch, next)| async move {
        let request = request?;
        let page = fetch(request.clone()).await;
        let following = page.as_ref().ok().and_then(|page| next(&request, page));
        Some((page, (following, fetch, next)))
    })
}

/// Every item of every page: `extract` takes a page's list of items (a `Vec`, a generated
/// list type, or either in an `Option` or `Nillable`), and the stream yields its items one
/// by one, then the next page's; an error of the pages is the stream's last item.
pub fn items<'c, Page, List>(
    pages: impl Stream<Item = Result<Page, Error>> + 'c,
    extract: fn(Page) -> List,
) -> impl Stream<Item = Result<List::Item, Error>> + 'c
where
    Page: 'c,
    List: IntoItems + 'c,
    List::Item: 'c,
{
    use futures_util::StreamExt;
    pages.flat_map(move |page| {
        let (items, error) = match page {
            Ok(page) => (extract(page).into_items(), None),
            Err(error) => (Vec::new(), Some(error)),
        };
        futures_util::stream::iter(items.into_iter().map(Ok).chain(error.map(Err)))
    })
}

/// A page's items, whatever holds them: a `Vec`, a generated list type (`ArrayOfLeadRecord`,
/// through `list_type!`), or one of those in an `Option`, `Nillable` or `Box` (absent and
/// nil are no items).
pub trait IntoItems {
    type Item;
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T> IntoItems for Vec<T> {
    type Item = T;
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<L: IntoItems> IntoItems for Option<L> {
    type Item = L::Item;
    fn into_items(self) -> Vec<L::Item> {
        self.map(IntoItems::into_items).unwrap_or_default()
    }
}

impl<L: IntoItems> IntoItems for Nillable<L> {
    type Item = L::Item;
    fn into_items(self) -> Vec<L::Item> {
        self.into_option().into_items()
    }
}

impl<L: IntoItems> IntoItems for Box<L> {
    type Item = L::Item;
    fn into_items(self) -> Vec<L::Item> {
        (*self).into_items()
    }
}

/// What says more pages follow: a count of the records left, or a flag.
pub trait More {
    fn more(&self) -> bool;
}

impl More for bool {
    fn more(&self) -> bool {
        *self
    }
}

macro_rules! count_more {
    ($($count:ty),*) => {$(
        impl More for $count {
            fn more(&self) -> bool {
                *self > 0
            }
        }
    )*};
}

count_more!(i32, i64, u32, u64);

impl<T: More> More for Option<T> {
    fn more(&self) -> bool {
        self.as_ref().is_some_and(More::more)
    }
}

impl<T: More> More for Nillable<T> {
    fn more(&self) -> bool {
        self.value().is_some_and(More::more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[test]
    fn pages_follow_the_positions_until_none_is_left_or_a_call_fails() {
        // A service of 7 records in pages of 3: the position is the next record's index.
        let fetch = |from: u32| async move {
            match from {
                99 => Err(Error::new("op", crate::ErrorKind::Timeout)),
                _ => Ok((from..(from + 3).min(7)).collect::<Vec<u32>>()),
            }
        };
        let next = |from: &u32, page: &Vec<u32>| {
            let next = from + page.len() as u32;
            (next < 7).then_some(next)
        };
        let all: Vec<_> = futures_executor_lite(pages(0, fetch, next).collect::<Vec<_>>());
        let records: Vec<u32> = all.into_iter().flat_map(Result::unwrap).collect();
        assert_eq!(records, [0, 1, 2, 3, 4, 5, 6]);
        let failing = futures_executor_lite(pages(99, fetch, next).collect::<Vec<_>>());
        assert_eq!(failing.len(), 1);
        assert!(failing[0].is_err());
        let numbered = pages(0, fetch, next);
        let flat: Vec<_> = futures_executor_lite(items(numbered, |page: Vec<u32>| Some(page)).collect::<Vec<_>>());
        assert_eq!(flat.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5, 6]);
        let failing = futures_executor_lite(
            items(pages(6, fetch, |_: &u32, _: &Vec<u32>| Some(99)), Box::new).collect::<Vec<_>>(),
        );
        assert!(matches!(failing.as_slice(), [Ok(6), Err(_)]), "items of the first page, then the error");
        let nothing: Nillable<Vec<u8>> = Nillable::Nil;
        assert!(nothing.into_items().is_empty() && Nillable::Value(vec![1]).into_items() == [1]);
        assert!(Some(3).more() && !Nillable::Value(0).more() && !Option::<i32>::None.more() && true.more());
    }

    /// Runs a future that never waits on anything outside itself.
    fn futures_executor_lite<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime").block_on(future)
    }
}
