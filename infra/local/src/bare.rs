//! The local listener's connections, for the answers hyper gives itself.
//!
//! hyper answers a request it cannot read — not valid HTTP (400), a URI
//! longer than 64 KiB (414), more than 100 headers or a head larger than
//! its buffer (431) — before any service sees it, with an empty body and
//! none of our headers. [`Guarded`] replaces such an answer on its way out
//! with the problem document and headers every other answer carries. It
//! recognises one by what only it lacks: every answer the router gives
//! passes the edge middleware, which sets `X-Request-Id`. (On Lambda, API
//! Gateway reads the request and answers these itself.)

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::http::StatusCode;
use controlplane::edge::error::{PROBLEM_JSON, Problem};
use controlplane::edge::http::{API_VERSION, SECURITY_HEADERS};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The listener whose connections are [`Guarded`].
pub struct GuardedListener(pub TcpListener);

/// The peer of a guarded connection (`ConnectInfo<Peer>`).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl axum::serve::Listener for GuardedListener {
    type Io = Guarded;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Guarded, SocketAddr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (Guarded { inner: stream, replacing: None }, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, GuardedListener>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, GuardedListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

/// A connection whose bare error answers are replaced (see the module docs).
pub struct Guarded {
    inner: TcpStream,
    /// The replacement being written, and how much of it is out.
    replacing: Option<(Vec<u8>, usize)>,
}

/// The statuses hyper answers by itself.
const BARE: [StatusCode; 3] =
    [StatusCode::BAD_REQUEST, StatusCode::URI_TOO_LONG, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE];

/// The answer to send instead of `written`, when `written` is one of
/// hyper's own (a status of [`BARE`], no `X-Request-Id`).
fn replacement(written: &[u8]) -> Option<Vec<u8>> {
    let head_end = written.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&written[..head_end]).ok()?;
    let status_line = head.lines().next()?;
    let status = status_line.strip_prefix("HTTP/1.1 ").or_else(|| status_line.strip_prefix("HTTP/1.0 "))?;
    let status = StatusCode::from_bytes(status.get(..3)?.as_bytes()).ok()?;
    if !BARE.contains(&status) || head.to_ascii_lowercase().contains("\r\nx-request-id:") {
        return None;
    }
    let request_id = format!("req_{}", ulid::Ulid::new().to_string().to_lowercase());
    let mut problem = Problem::for_status(status);
    problem.request_id = Some(request_id.clone());
    let body = serde_json::to_vec(&problem).ok()?;
    let mut answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {}\r\nconnection: close\r\n\
         x-request-id: {request_id}\r\nx-api-version: {API_VERSION}\r\n",
        body.len()
    );
    for (name, value) in SECURITY_HEADERS {
        answer.push_str(&format!("{name}: {value}\r\n"));
    }
    answer.push_str("\r\n");
    let mut answer = answer.into_bytes();
    answer.extend(body);
    Some(answer)
}

impl Guarded {
    /// Writes out the replacement, if one is under way.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, sent)) = &mut self.replacing {
            if *sent == bytes.len() {
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for Guarded {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.replacing.is_none() {
            match replacement(buf) {
                Some(answer) => this.replacing = Some((answer, 0)),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        // The bare answer counts as written; the replacement goes instead.
        ready!(this.poll_replacement(cx))?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_replacement(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_replacement(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }

    /// One buffer per answer, so a bare answer's head arrives whole.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypers_own_answers_are_replaced_and_the_routers_are_not() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let answer = String::from_utf8(replacement(bare).expect("replaced")).unwrap();
        assert!(answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{answer}");
        assert!(answer.contains("content-type: application/problem+json\r\n") && answer.contains("x-request-id: req_"));
        assert!(answer.ends_with("}") && answer.contains("\"code\":\"headers_too_large\""), "{answer}");
        let ours = b"HTTP/1.1 400 Bad Request\r\nx-request-id: req_1\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(replacement(ours), None);
        assert_eq!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), None);
    }
}
