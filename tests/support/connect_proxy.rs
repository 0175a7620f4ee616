//! A recording HTTP proxy on 127.0.0.1, for the proxy tests: real sockets, std threads.
//!
//! It answers `CONNECT host:port` (RFC 9110, section 9.3.6) by opening a tunnel to one fixed address (the
//! test's TLS stand-in, whatever host was asked for: the name never has to resolve) and records what it
//! saw: every request head and every byte the client sent through the tunnel. Any other request (a
//! plain-http forward, which a client sends for an http:// URL) is recorded and answered 502.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// One connection the proxy accepted.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Where the connection came from.
    pub peer: Option<SocketAddr>,
    /// The request line, e.g. `CONNECT api.hibob.test:443 HTTP/1.1`.
    pub request_line: String,
    /// The whole request head (request line and headers).
    pub head: String,
    /// Every byte the client sent after the head (through the tunnel).
    pub tunnelled: Vec<u8>,
}

#[derive(Default)]
struct Record {
    seen: Vec<Arc<Mutex<Seen>>>,
    /// The peer of the connection accepted last.
    last_accepted: Option<SocketAddr>,
    /// The marker connections of [`RecordingProxy::settle`], left out of [`RecordingProxy::seen`].
    markers: Vec<SocketAddr>,
}

pub struct RecordingProxy {
    addr: SocketAddr,
    record: Arc<(Mutex<Record>, Condvar)>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RecordingProxy {
    /// Start a proxy whose tunnels all lead to `upstream`.
    pub fn start(upstream: SocketAddr) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().unwrap();
        let record = Arc::new((Mutex::new(Record::default()), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (record, stop) = (Arc::clone(&record), Arc::clone(&stop));
            std::thread::spawn(move || accept_loop(listener, upstream, record, stop))
        };
        RecordingProxy {
            addr,
            record,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, for `HTTPS_PROXY` and friends.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Wait until every connection made before this call has been accepted and recorded. A listener
    /// hands out connections in order, so once a marker connection made now is accepted, every earlier
    /// one is too: "saw nothing" can then be asserted without waiting a fixed time.
    pub fn settle(&self) {
        let marker = TcpStream::connect(self.addr).expect("connect the marker");
        let marker_addr = marker.local_addr().unwrap();
        let (lock, changed) = &*self.record;
        let mut record = lock.lock().unwrap();
        record.markers.push(marker_addr);
        while record.last_accepted != Some(marker_addr) {
            record = changed.wait(record).unwrap();
        }
    }

    /// What the proxy saw, in the order the connections came (after [`RecordingProxy::settle`]).
    pub fn seen(&self) -> Vec<Seen> {
        self.settle();
        let record = self.record.0.lock().unwrap();
        record
            .seen
            .iter()
            .map(|seen| seen.lock().unwrap().clone())
            .filter(|seen| !seen.peer.is_some_and(|peer| record.markers.contains(&peer)))
            .collect()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    record: Arc<(Mutex<Record>, Condvar)>,
    stop: Arc<AtomicBool>,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let peer = stream.peer_addr().ok();
        let seen = Arc::new(Mutex::new(Seen {
            peer,
            ..Seen::default()
        }));
        {
            let (lock, changed) = &*record;
            let mut record = lock.lock().unwrap();
            record.seen.push(Arc::clone(&seen));
            record.last_accepted = peer;
            changed.notify_all();
        }
        std::thread::spawn(move || serve(stream, upstream, &seen));
    }
}

/// Serve one connection: read its head, then tunnel or refuse.
fn serve(stream: TcpStream, upstream: SocketAddr, seen: &Arc<Mutex<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut head = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                head.push_str(&line);
                if line == "\r\n" || line == "\n" {
                    break;
                }
            }
        }
    }
    if head.is_empty() {
        return;
    }
    let request_line = head.lines().next().unwrap_or_default().to_string();
    {
        let mut seen = seen.lock().unwrap();
        seen.request_line = request_line.clone();
        seen.head = head;
    }
    let mut client = stream;
    if !request_line.starts_with("CONNECT ") {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        return;
    }
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        .is_err()
    {
        return;
    }
    // Server to client on its own thread; client to server here, recording every byte.
    let (mut from_server, mut to_client) =
        (server.try_clone().unwrap(), client.try_clone().unwrap());
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Write);
    });
    // Bytes the reader already buffered past the head belong to the tunnel too.
    let buffered = reader.buffer().to_vec();
    let mut to_server = server;
    let _ = to_server.write_all(&buffered);
    seen.lock().unwrap().tunnelled.extend_from_slice(&buffered);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.get_mut().read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                seen.lock().unwrap().tunnelled.extend_from_slice(&buf[..n]);
                if to_server.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to_server.shutdown(Shutdown::Write);
    let _ = back.join();
}
