//! TLS on the emulator's one port. With a certificate (`--tls-cert` and `--tls-key`), a connection that
//! opens with a TLS handshake record (first byte 0x16) is served over TLS, any other as plain HTTP, so
//! `http://` and `https://` endpoints reach the same emulator (some clients build `https://` URLs
//! themselves, whatever endpoint they were given). The peek and the handshake run inside the
//! connection's first read, not in the accept loop: a client that stalls mid-handshake holds up nobody
//! else, and a failed handshake closes only its own connection.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{server::TlsStream, Accept, TlsAcceptor};

/// The first byte of every TLS record that carries a handshake (RFC 8446, §5.1: ContentType 22).
const HANDSHAKE: u8 = 0x16;

/// Where the certificate chain and its private key are (PEM).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Reads the certificate chain and key into a server configuration (HTTP/1.1 over ALPN).
pub fn server_config(files: &TlsFiles) -> Result<Arc<rustls::ServerConfig>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let shown = |p: &Path| p.display().to_string();
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", shown(&files.cert)))?;
    if certs.is_empty() {
        return Err(format!("{}: no PEM certificate", shown(&files.cert)));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| format!("{}: {e}", shown(&files.key)))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("{} and {}: {e}", shown(&files.cert), shown(&files.key)))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A TCP listener whose connections speak TLS or plain HTTP, as each one opens.
pub struct Listener {
    tcp: TcpListener,
    tls: TlsAcceptor,
}

impl Listener {
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> Self {
        Listener {
            tcp,
            tls: TlsAcceptor::from(config),
        }
    }
}

impl axum::serve::Listener for Listener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Conn, SocketAddr) {
        let (tcp, addr) = axum::serve::Listener::accept(&mut self.tcp).await;
        let conn = Conn {
            state: State::Sniff(Some(tcp), self.tls.clone()),
        };
        (conn, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// One accepted connection: undecided until its first byte arrives, then plain or TLS.
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
        match &mut this.state {
            State::Plain(s) => Pin::new(s).poll_write(cx, data),
            State::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, data),
            _ => Poll::Ready(Ok(0)),
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
