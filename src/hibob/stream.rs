//! Handing a response body, chunk by chunk as it arrives, to a blocking reader ([`crate::hibob::survey`]
//! walks it with serde_json, which reads from `std::io::Read`).
//!
//! The async side sends chunks into a small bounded channel; the reader runs on tokio's blocking pool and
//! pulls them. At most [`CHUNKS_IN_FLIGHT`] chunks wait at any time, so memory is bounded by the channel,
//! not by the body. When the reader has seen enough it returns and drops its end: the next send fails,
//! and the caller stops downloading.

use std::io::Read;

use bytes::Bytes;
use tokio::sync::mpsc;

/// Chunks waiting between the network and the reader (each at most what hyper hands over, ~16 KiB).
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// The sending half: the async side pushes what arrives.
pub struct BodySender(mpsc::Sender<Bytes>);

impl BodySender {
    /// Hand one chunk over. `false` when the reader is done and wants no more.
    pub async fn send(&self, chunk: Bytes) -> bool {
        self.0.send(chunk).await.is_ok()
    }
}

/// The reading half: a blocking `Read` over the chunks, ending when the sender is dropped.
pub struct BodyReader {
    receiver: mpsc::Receiver<Bytes>,
    current: Bytes,
}

pub fn body_channel() -> (BodySender, BodyReader) {
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    (
        BodySender(sender),
        BodyReader {
            receiver,
            current: Bytes::new(),
        },
    )
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            // Blocking is fine here: this runs on the blocking pool, never on the runtime's threads.
            match self.receiver.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let take = buf.len().min(self.current.len());
        buf[..take].copy_from_slice(&self.current.split_to(take));
        Ok(take)
    }
}
