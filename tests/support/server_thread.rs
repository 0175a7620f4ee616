//! The thread a test server runs on, stopped and joined when its owner is dropped, so a server never
//! outlives its test (and its connections close when the test ends, failed or not).
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::thread::JoinHandle;

use tokio::sync::oneshot;

/// A running server thread. Dropping it tells the server to stop, then waits for the thread to end.
pub struct ServerThread {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ServerThread {
    /// Run `serve` on a thread named `name`. `serve` is given the receiver that completes when this
    /// [`ServerThread`] is dropped, and must return soon after.
    pub fn spawn(
        name: &str,
        serve: impl FnOnce(oneshot::Receiver<()>) + Send + 'static,
    ) -> std::io::Result<ServerThread> {
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || serve(stopped))?;
        Ok(ServerThread {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
