//! The one place the wizard's side effects happen: checks over HTTP, storing in the keyring, the browser.
//! Each runs as a tokio task and answers with a `Msg` on the channel; `update` stays the only writer of state.

use std::sync::Arc;

use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::JoinHandle;

use crate::cli::StoreChoice;
use crate::credential::Credential;
use crate::hibob::{HibobClient, Report, run_check};
use crate::settings::Settings;
use crate::store::profile::ProfileDir;
use crate::store::{self, READ_TIMEOUT, SecretStore, StoreError};
use crate::wizard::msg::{CheckId, Effect, Msg, Saved};

/// Opens the store a user chose. Injected, so tests can hand in an in-memory store.
pub type OpenStore =
    Arc<dyn Fn(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> + Send + Sync>;

pub struct Runner {
    tx: UnboundedSender<Msg>,
    client: HibobClient,
    settings: Settings,
    open_store: OpenStore,
    /// Where profile records are written.
    profiles: ProfileDir,
    check: Option<JoinHandle<()>>,
    save: Option<JoinHandle<()>>,
}

impl Runner {
    pub fn new(
        tx: UnboundedSender<Msg>,
        client: HibobClient,
        settings: Settings,
        open_store: OpenStore,
        profiles: ProfileDir,
    ) -> Self {
        Runner {
            tx,
            client,
            settings,
            open_store,
            profiles,
            check: None,
            save: None,
        }
    }

    /// Start performing `effect`. `Quit` and `CopyToClipboard` belong to the event loop and are ignored here.
    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::StartCheck { check, credential } => self.start_check(check, credential),
            Effect::CancelCheck => {
                if let Some(task) = self.check.take() {
                    task.abort();
                }
            }
            Effect::Save {
                credential,
                report,
                store,
            } => self.start_save(credential, report, store),
            Effect::OpenBrowser(url) => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    // `that_detached` starts the browser with its output sent to /dev/null, so it cannot
                    // write over the wizard's screen.
                    let opened = tokio::task::spawn_blocking(move || open::that_detached(url))
                        .await
                        .map_err(|err| err.to_string())
                        .and_then(|result| result.map_err(|err| err.to_string()));
                    let _ = tx.send(Msg::BrowserOpened(opened));
                });
            }
            Effect::CopyToClipboard(_) | Effect::Quit => {}
        }
    }

    fn start_check(&mut self, check: CheckId, credential: Credential) {
        if let Some(previous) = self.check.take() {
            previous.abort();
        }
        let tx = self.tx.clone();
        let client = self.client.clone();
        let options = self.settings.check.clone();
        self.check = Some(tokio::spawn(async move {
            let (progress, mut answers) = mpsc::unbounded_channel();
            let forward = async {
                while let Some(result) = answers.recv().await {
                    let _ = tx.send(Msg::ProbeFinished { check, result });
                }
            };
            // `run_check` drops its sender when it returns, which ends `forward` after the last answer.
            let (report, ()) = tokio::join!(
                run_check(&client, &credential, &options, Some(progress)),
                forward
            );
            let _ = tx.send(Msg::CheckFinished { check, report });
        }));
    }

    fn start_save(&mut self, credential: Credential, report: Option<Report>, choice: StoreChoice) {
        let tx = self.tx.clone();
        let open_store = self.open_store.clone();
        let settings = self.settings.clone();
        let profiles = self.profiles.clone();
        self.save = Some(tokio::spawn(async move {
            // The profile record names the store the secret is really in, which may not be the one the
            // settings chose (the user picked another after a failure).
            let settings = Settings {
                store: choice,
                ..settings
            };
            let result = async {
                let store = open_bounded(open_store, choice).await?;
                save_credential(&profiles, &settings, store, credential, report.as_ref()).await
            }
            .await;
            let _ = tx.send(Msg::SaveFinished(result));
        }));
    }

    /// Wait until a save in flight has ended and sent its answer (it is bounded by the keyring timeouts).
    pub async fn finish_save(&mut self) {
        if let Some(save) = self.save.take() {
            // A save that panicked sends nothing; the caller's summary covers that.
            let _ = save.await;
        }
    }

    /// Stop whatever is still running (the wizard is closing).
    pub fn shutdown(&mut self) {
        for task in [self.check.take(), self.save.take()].into_iter().flatten() {
            task.abort();
        }
    }
}

/// Open a store off the async runtime: connecting to a keyring daemon can block.
async fn open_bounded(
    open_store: OpenStore,
    choice: StoreChoice,
) -> Result<Arc<dyn SecretStore>, StoreError> {
    let opening = tokio::task::spawn_blocking(move || open_store(choice));
    match tokio::time::timeout(READ_TIMEOUT, opening).await {
        Ok(Ok(result)) => result,
        Ok(Err(join_error)) => Err(StoreError::Other(format!(
            "opening the keyring stopped unexpectedly ({join_error})"
        ))),
        Err(_) => Err(StoreError::Timeout {
            seconds: READ_TIMEOUT.as_secs(),
        }),
    }
}

/// Store a credential for the profile the settings name, with the check that verified it: the path
/// `login` uses too (keyring entry, then the profile record).
pub async fn save_credential(
    profiles: &ProfileDir,
    settings: &Settings,
    store: Arc<dyn SecretStore>,
    credential: Credential,
    report: Option<&Report>,
) -> Result<Saved, StoreError> {
    let stored =
        store::persist::store_credential_in(profiles, settings, store, credential, report).await?;
    Ok(Saved {
        profile: stored.name,
        location: stored.store,
    })
}
