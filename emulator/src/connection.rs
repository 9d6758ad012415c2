//! The connections the emulator serves, below HTTP. Each accepted TCP connection is plain HTTP, or, when
//! the emulator has a TLS identity ([`crate::tls`]), TLS if it opens with a handshake record (first byte
//! 0x16). The peek and the handshake run inside the connection's first read, not in the accept loop: a
//! client that stalls mid-handshake holds up nobody else, and a failed handshake closes only its own
//! connection.
//!
//! On the way out, a response head's `x-amzn-requestid` is written `x-amzn-RequestId`, as AWS writes it
//! ([`aws_header_case`]). Header names are case-insensitive (RFC 9110 §5.1), but some clients compare them
//! as written (LocalStack's recorded CloudWatch tests do), and hyper writes every name in lower case with no
//! public way to choose another. Hyper writes a head in one buffer of its own (the first slice of a vectored
//! write, or the start of a whole one); a head split by a short write keeps the lower-case name, which is
//! still valid HTTP.

use std::future::Future;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{server::TlsStream, Accept, TlsAcceptor};

/// The first byte of every TLS record that carries a handshake (RFC 8446, §5.1: ContentType 22).
const HANDSHAKE: u8 = 0x16;

/// A TCP listener whose connections speak plain HTTP, or TLS when they open with a handshake.
pub struct Listener {
    tcp: TcpListener,
    tls: Option<TlsAcceptor>,
}

impl Listener {
    pub fn new(tcp: TcpListener, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        Listener {
            tcp,
            tls: tls.map(TlsAcceptor::from),
        }
    }
}

impl axum::serve::Listener for Listener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Conn, SocketAddr) {
        let (tcp, addr) = axum::serve::Listener::accept(&mut self.tcp).await;
        let state = match &self.tls {
            Some(tls) => State::Sniff(Some(tcp), tls.clone()),
            None => State::Plain(tcp),
        };
        (Conn { state }, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// One accepted connection: plain, TLS, or undecided until its first byte arrives.
pub struct Conn {
    state: State,
}

enum State {
    Sniff(Option<TcpStream>, TlsAcceptor),
    Handshake(Box<Accept<TcpStream>>),
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Closed,
}

impl Conn {
    /// Moves the connection on until it is plain or TLS.
    fn poll_open(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            match &mut self.state {
                State::Sniff(tcp, acceptor) => {
                    let Some(stream) = tcp.as_mut() else {
                        self.state = State::Closed;
                        continue;
                    };
                    let mut first = [0u8; 1];
                    let mut buf = ReadBuf::new(&mut first);
                    ready!(stream.poll_peek(cx, &mut buf))?;
                    let tls = buf.filled().first() == Some(&HANDSHAKE);
                    let (Some(stream), acceptor) = (tcp.take(), acceptor.clone()) else {
                        continue;
                    };
                    self.state = if tls {
                        State::Handshake(Box::new(acceptor.accept(stream)))
                    } else {
                        State::Plain(stream)
                    };
                }
                State::Handshake(accept) => {
                    let result = ready!(Pin::new(accept.as_mut()).poll(cx));
                    match result {
                        Ok(stream) => self.state = State::Tls(Box::new(stream)),
                        Err(e) => {
                            self.state = State::Closed;
                            return Poll::Ready(Err(e));
                        }
                    }
                }
                State::Closed => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::NotConnected,
                        "connection closed",
                    )))
                }
                State::Plain(_) | State::Tls(_) => return Poll::Ready(Ok(())),
            }
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_open(cx))?;
        match &mut this.state {
            State::Plain(s) => Pin::new(s).poll_read(cx, buf),
            State::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            _ => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_open(cx))?;
        let cased = aws_header_case(data);
        let data = cased.as_deref().unwrap_or(data);
        match &mut this.state {
            State::Plain(s) => Pin::new(s).poll_write(cx, data),
            State::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, data),
            _ => Poll::Ready(Ok(0)),
        }
    }

    /// Hyper then writes each response head as a slice of its own, ahead of the body's: only the head is
    /// looked at, and only when it is rewritten is it (and nothing else) copied.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_open(cx))?;
        let cased = bufs.first().and_then(|head| aws_header_case(head));
        let mut slices;
        let bufs = match &cased {
            Some(head) => {
                slices = bufs.to_vec();
                slices[0] = IoSlice::new(head);
                &slices[..]
            }
            None => bufs,
        };
        match &mut this.state {
            State::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            State::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
            _ => Poll::Ready(Ok(0)),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match &self.state {
            State::Plain(s) => s.is_write_vectored(),
            State::Tls(s) => s.is_write_vectored(),
            // Undecided until the first byte: hyper asks once, before any read, so answer as TCP does.
            _ => true,
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().state {
            State::Plain(s) => Pin::new(s).poll_flush(cx),
            State::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            _ => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().state {
            State::Plain(s) => Pin::new(s).poll_shutdown(cx),
            State::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            _ => Poll::Ready(Ok(())),
        }
    }
}

/// The bytes a response head should go out as, when a header name in it is cased otherwise by AWS (same
/// length, so the count written is the caller's); `None` when nothing changes.
pub fn aws_header_case(data: &[u8]) -> Option<Vec<u8>> {
    const AS_HYPER_WRITES: &[u8] = b"\r\nx-amzn-requestid:";
    const AS_AWS_WRITES: &[u8] = b"\r\nx-amzn-RequestId:";
    if !data.starts_with(b"HTTP/1.1 ") {
        return None;
    }
    let head = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(data, |end| &data[..end + 2]);
    let at = head
        .windows(AS_HYPER_WRITES.len())
        .position(|w| w == AS_HYPER_WRITES)?;
    let mut out = data.to_vec();
    out[at..at + AS_AWS_WRITES.len()].copy_from_slice(AS_AWS_WRITES);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::aws_header_case;

    #[test]
    fn the_request_id_header_is_written_as_aws_writes_it_in_the_head_only() {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\nx-amzn-requestid: 1\r\n\r\nbody";
        let out = aws_header_case(head).expect("rewritten");
        assert_eq!(
            out,
            b"HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\nx-amzn-RequestId: 1\r\n\r\nbody"
                .to_vec()
        );
        // A body that happens to hold the same bytes is left alone; so is a write that is not a head.
        let in_body = b"HTTP/1.1 200 OK\r\ncontent-length: 22\r\n\r\n\r\nx-amzn-requestid: 1";
        assert_eq!(aws_header_case(in_body), None);
        assert_eq!(aws_header_case(b"\r\nx-amzn-requestid: 1\r\n"), None);
    }
}
