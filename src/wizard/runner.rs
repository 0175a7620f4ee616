//! The one place the wizard's side effects happen: checks over HTTP, storing in the keyring, the browser.
//! Each runs as a tokio task and answers with a `Msg` on the channel; `update` stays the only writer of state.

use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::JoinHandle;

use crate::credential::Credential;
use crate::hibob::client::ClientSetupError;
use crate::hibob::{ApiUrl, HibobClient, Report, run_check};
use crate::lookup::{self, last_check, save_request};
use crate::settings::Settings;
use crate::store::{ProfileName, ProfileRecord, StoreChoice, Stores};
use crate::wizard::msg::{CheckId, Effect, LoadedStored, Msg, Saved};

pub struct Runner {
    tx: UnboundedSender<Msg>,
    client: HibobClient,
    settings: Settings,
    /// The stores a user can choose (in-memory ones in tests).
    stores: Stores,
    /// The running check, aborted when a new one starts or on cancel.
    check_task: Option<JoinHandle<()>>,
    /// The running save; `finish_save` waits for it before the wizard closes.
    save_task: Option<JoinHandle<()>>,
}

impl Runner {
    pub fn new(
        tx: UnboundedSender<Msg>,
        client: HibobClient,
        settings: Settings,
        stores: Stores,
    ) -> Self {
        Runner {
            tx,
            client,
            settings,
            stores,
            check_task: None,
            save_task: None,
        }
    }

    /// Start performing `effect`. `Quit` and the clipboard belong to the event loop and are ignored here.
    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::StartCheck {
                check,
                profile,
                credential,
                api_url,
            } => match self.client_for(api_url) {
                Ok(client) => self.start_check(check, credential, client),
                // The wizard's own client was made with the same proxy and CA settings, so this is
                // unlikely; it is said like any failure, with the profile it was for.
                Err(err) => {
                    let why = format!("profile \"{profile}\": {err}");
                    let _ = self.tx.send(Msg::CheckNotStarted { check, why });
                }
            },
            Effect::LoadStored { profile, store } => self.load_stored(profile, store),
            Effect::RecordCheck {
                profile,
                record,
                report,
            } => self.record_check(profile, record, report),
            Effect::Delete { profile, store } => self.delete(profile, store),
            Effect::CancelCheck => {
                if let Some(task) = self.check_task.take() {
                    task.abort();
                }
            }
            Effect::Save {
                profile,
                credential,
                report,
                store,
            } => self.start_save(profile, credential, report, store),
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
            Effect::CopyToClipboard(_) | Effect::CopySecretToClipboard(_) | Effect::Quit => {}
        }
    }

    /// The client for checks against `api_url`: the wizard's own when it is that API (its connections are
    /// reused), else a new one with the same settings.
    fn client_for(&self, api_url: ApiUrl) -> Result<HibobClient, ClientSetupError> {
        if *self.client.api_url() == api_url {
            Ok(self.client.clone())
        } else {
            HibobClient::new(api_url)
        }
    }

    fn start_check(&mut self, check: CheckId, credential: Credential, client: HibobClient) {
        if let Some(previous) = self.check_task.take() {
            previous.abort();
        }
        let tx = self.tx.clone();
        let options = self.settings.check.clone();
        self.check_task = Some(tokio::spawn(async move {
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

    /// Save `credential` as `profile` in the store `choice` (the one the user picked, or the one a rotated
    /// profile's record names).
    fn start_save(
        &mut self,
        profile: String,
        credential: Credential,
        report: Option<Report>,
        choice: StoreChoice,
    ) {
        let tx = self.tx.clone();
        let settings = self.settings.clone();
        // The record names the store the secret is really in, which may not be the one the settings
        // chose (the user picked another after a failure).
        let profiles = self.stores.profiles(choice);
        self.save_task = Some(tokio::spawn(async move {
            let result = async {
                let name = ProfileName::new(&profile)?;
                let request =
                    save_request(&settings, &*profiles, &name, credential, report.as_ref()).await?;
                let stored = profiles.save(&name, choice, request).await?;
                Ok(Saved {
                    profile: stored.name.to_string(),
                    location: stored.store,
                    store: choice,
                })
            }
            .await;
            let _ = tx.send(Msg::SaveFinished(result));
        }));
    }

    /// Read a stored profile's credential from `store`, and the API it remembers.
    fn load_stored(&mut self, profile: String, store: StoreChoice) {
        let tx = self.tx.clone();
        let profiles = self.stores.profiles(store);
        tokio::spawn(async move {
            let result = async {
                let name = ProfileName::new(&profile).map_err(|err| err.to_string())?;
                let loaded = profiles
                    .load(&name)
                    .await
                    .map_err(|err| lookup::load_error(&profile, err).to_string())?;
                let api_url =
                    ApiUrl::parse(&loaded.record.api_url).map_err(|err| err.to_string())?;
                Ok(LoadedStored {
                    profile: loaded.name.to_string(),
                    record: loaded.record,
                    credential: loaded.credential,
                    api_url,
                })
            }
            .await;
            let _ = tx.send(Msg::StoredLoaded { profile, result });
        });
    }

    /// Record a re-check in the store the profile was read from (its record names it).
    fn record_check(&mut self, profile: String, record: ProfileRecord, report: Report) {
        let tx = self.tx.clone();
        let profiles = self.stores.profiles(record.store);
        tokio::spawn(async move {
            let result = async {
                let name = ProfileName::new(&profile)?;
                profiles
                    .record_check(&name, &record, last_check(&report))
                    .await
            }
            .await
            .map_err(|err| err.to_string());
            let _ = tx.send(Msg::CheckRecorded { profile, result });
        });
    }

    fn delete(&mut self, profile: String, store: StoreChoice) {
        let tx = self.tx.clone();
        let profiles = self.stores.profiles(store);
        tokio::spawn(async move {
            let result = async {
                let name = ProfileName::new(&profile)?;
                profiles.delete(&name).await
            }
            .await
            .map(|_| ())
            .map_err(|err| err.to_string());
            let _ = tx.send(Msg::Deleted {
                profile,
                store,
                result,
            });
        });
    }

    /// Wait until a save in flight has ended and sent its answer (it is bounded by the keyring timeouts).
    pub async fn finish_save(&mut self) {
        if let Some(save) = self.save_task.take() {
            // A save that panicked sends nothing; the caller's summary covers that.
            let _ = save.await;
        }
    }

    /// Stop whatever is still running (the wizard is closing).
    pub fn shutdown(&mut self) {
        for task in [self.check_task.take(), self.save_task.take()]
            .into_iter()
            .flatten()
        {
            task.abort();
        }
    }
}
