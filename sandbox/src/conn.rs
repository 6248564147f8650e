//! Connections: the accept loop with its cap, and how long a connection may hold the server
//! (hyper's header read timeout, and an idle timeout watched here).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Semaphore};

use crate::http::State;

pub(crate) async fn serve(listener: TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    let open = Arc::new(Semaphore::new(state.limits().max_connections));
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => return,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a moment rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let Ok(slot) = open.clone().try_acquire_owned() else {
            refuse(&stream, &state);
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            serve_connection(stream, state).await;
            drop(slot);
        });
    }
}

/// Answers a connection over the cap without waiting on it: the answer is small enough
/// for the socket's send buffer, and the connection is closed when `stream` is dropped.
fn refuse(stream: &TcpStream, state: &State) {
    let _ = stream.try_write(&state.too_many_connections());
}

async fn serve_connection(stream: TcpStream, state: Arc<State>) {
    let limits = state.limits().clone();
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched { stream, activity: activity.clone() });
    let watched = activity.clone();
    let service = hyper::service::service_fn(move |request| {
        let (state, activity) = (state.clone(), activity.clone());
        async move {
            let _busy = activity.busy();
            Ok::<_, Infallible>(state.handle_logged(request).await)
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .serve_connection(io, service);
    // A client that disconnects mid-request, or times out, is its own business.
    tokio::select! {
        _ = connection => {}
        () = watched.idle(limits.idle_timeout) => {}
    }
}

/// When a connection last moved a byte, and how many of its calls are being handled (a
/// call that takes long is not idleness).
struct Activity {
    start: Instant,
    last_millis: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self { start: Instant::now(), last_millis: AtomicU64::new(0), busy: AtomicUsize::new(0) }
    }

    fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_millis.store(now, Ordering::Relaxed);
    }

    fn busy(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::Relaxed);
        Busy(self.clone())
    }

    /// Ends once nothing has moved for `timeout` while no call was being handled.
    async fn idle(&self, timeout: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last_millis.load(Ordering::Relaxed));
            let quiet = last.elapsed();
            let busy = self.busy.load(Ordering::Relaxed) > 0;
            if !busy && quiet >= timeout {
                return;
            }
            // A call being handled touches the clock when it ends: look again a timeout later.
            let wait = if busy { timeout } else { timeout.saturating_sub(quiet) };
            tokio::time::sleep(wait.max(Duration::from_millis(10))).await;
        }
    }
}

struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream that records when bytes move.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        poll
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
