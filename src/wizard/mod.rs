//! The guided setup: a full-screen wizard that walks a HiBob admin through the steps, checks the credential
//! live and stores it.
//!
//! The Elm Architecture: `state` holds everything, `update` is the only writer and returns effects, `view`
//! draws, `runner` performs effects and answers with messages, `event_loop` ties them together, and
//! `terminal` guarantees the terminal is given back on every way out.

pub mod event_loop;
pub mod field;
pub mod hints;
pub mod keys;
pub mod msg;
pub mod runner;
pub mod state;
pub mod terminal;
pub mod texts;
pub mod theme;
pub mod update;
pub mod view;

use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

use crossterm::event::EventStream;
use tokio::sync::mpsc;

use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::{ApiUrl, HibobClient, Verdict};
use crate::lookup::{self, api_url_for_profile, record_of};
use crate::settings::Settings;
use crate::steps::FlowId;
use crate::store::{ListedProfile, Profiles, StoreChoice, Stores};

pub use msg::{CheckId, Effect, Msg, Saved};
pub use runner::Runner;
pub use state::{Browser, Context, Errand, FrontDoor, Recheck, Screen, StoredRow, Wizard};
pub use theme::Theme;
pub use update::update;

/// Where the wizard starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `hibob-auth`: the front door when credentials are stored (and no `--flow` was given), else the setup.
    FrontDoor,
    /// `hibob-auth setup`: straight to the setup.
    Setup,
    /// `hibob-auth rotate`: straight to replacing the profile's token.
    Rotate,
}

/// What `hibob-auth` and `hibob-auth setup` run.
pub async fn run(
    settings: &Settings,
    stores: &Stores,
    flow: Option<FlowId>,
    start: Start,
) -> Result<Exit, AppError> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(AppError::NotATerminal);
    }
    // Found before the wizard starts: a machine with no place for profile records, or a profile whose
    // remembered API is broken, should say so now, not after the user has walked every step.
    let profiles = stores.profiles(settings.store);
    let api_url = api_url_for_profile(settings, &*profiles).await?;
    let client = HibobClient::new(api_url.clone())?;
    let context = context(settings, &api_url, stores, |name| {
        std::env::var_os(name).is_some_and(|v| !v.is_empty())
    });
    let (door, unlisted) = match start {
        Start::FrontDoor => front_door(stores, settings.store).await,
        // A rotation names its profile in `--store`'s store.
        Start::Rotate => (listed_rows(&*profiles).await, None),
        Start::Setup => (FrontDoor::empty(), None),
    };
    let mut wizard = Wizard::with_front_door(context, flow, door);
    if let Some(why) = unlisted {
        wizard.notice = Some(state::Notice::new(why, state::Tone::Warning));
    }
    if start == Start::Rotate {
        // Said before the terminal is taken over: there is nothing to rotate.
        if record_of(&*profiles, &settings.profile)
            .await
            .ok()
            .flatten()
            .is_none()
        {
            return Err(AppError::NoCredential {
                profile: settings.profile.clone(),
                hint: lookup::store_hint(),
            });
        }
        update::begin_rotation(&mut wizard, &settings.profile, settings.store)
            .map_err(AppError::CannotRotate)?;
    }
    let theme = Theme::from_env();
    let (tx, mut answers) = mpsc::unbounded_channel();
    let mut runner = Runner::new(tx, client, settings.clone(), stores.clone());
    let signals =
        event_loop::Signals::new().map_err(AppError::io("could not listen for signals"))?;

    let mut guard = terminal::enter().map_err(AppError::io("could not set up the terminal"))?;
    let outcome = event_loop::run(
        guard.terminal(),
        &mut wizard,
        &theme,
        &mut runner,
        &mut answers,
        EventStream::new(),
        signals,
    )
    .await;
    drop(guard);
    finish_save(&mut wizard, &mut runner, &mut answers).await;
    runner.shutdown();
    outcome.map_err(AppError::io("the terminal failed"))?;

    let (summary, exit) = summary(&wizard);
    println!("{summary}");
    Ok(exit)
}

/// How long the front door waits for the team's Vault to list its profiles: it is an extra, and a
/// server that does not answer must not hold up the keyring's profiles for a whole request timeout.
const TEAM_LIST_WAIT: Duration = Duration::from_secs(3);

/// The front door's profiles: `store`'s, then those in the team's Vault when its address is set, both
/// read side by side. The Vault's cannot always be listed (no token, no access, no answer): the second
/// value then says why, and the keyring's are listed all the same.
async fn front_door(stores: &Stores, store: StoreChoice) -> (FrontDoor, Option<String>) {
    let Some(team) = stores.team_store_besides(store) else {
        return (listed_rows(&*stores.profiles(store)).await, None);
    };
    let own = stores.profiles(store);
    let shared = stores.profiles(team);
    let (mut door, team_list) = tokio::join!(
        listed_rows(&*own),
        tokio::time::timeout(TEAM_LIST_WAIT, shared.list())
    );
    let said = &texts::texts().front_door;
    let why = match team_list {
        Ok(Ok(listed)) => {
            door.rows.extend(rows_of(listed));
            return (door, None);
        }
        // The first line says what happened; the fix follows when a command uses the store.
        Ok(Err(err)) => {
            let said = err.to_string();
            let first = said.lines().next().unwrap_or_default();
            first.trim_end_matches('.').to_string()
        }
        Err(_) => texts::fill(
            &said.team_no_answer,
            &[("seconds", &TEAM_LIST_WAIT.as_secs().to_string())],
        ),
    };
    let note = texts::fill(&said.team_not_listed, &[("why", &why)]);
    (door, Some(note))
}

/// The profiles `profiles` lists, read from their records (no keyring call, no secret). A record that
/// cannot be read is left out here; `hibob-auth profiles` lists it with the reason.
async fn listed_rows(profiles: &dyn Profiles) -> FrontDoor {
    let rows = rows_of(profiles.list().await.unwrap_or_default());
    FrontDoor::new(rows, SystemTime::now())
}

fn rows_of(listed: Vec<ListedProfile>) -> Vec<StoredRow> {
    listed
        .into_iter()
        .filter_map(|listed| {
            Some(StoredRow {
                name: listed.name,
                record: listed.record.ok()?,
            })
        })
        .collect()
}

/// A save still in flight when the wizard closes (SIGTERM, or a quit confirmed while storing) is waited for,
/// not abandoned: abandoning it could lose a verified credential that HiBob will not show again, or leave a
/// keyring entry without its profile record. The save is bounded by the keyring timeouts; Ctrl-C (or
/// another signal) stops the wait, and the summary then says the credential may not be stored.
async fn finish_save(
    wizard: &mut Wizard,
    runner: &mut Runner,
    answers: &mut mpsc::UnboundedReceiver<Msg>,
) {
    let state::SaveState::InFlight(store) = wizard.save else {
        return;
    };
    let said = &texts::texts().summary.finishing_save;
    eprintln!(
        "{}",
        texts::fill(said, &[("store", texts::store_label(store))])
    );
    match event_loop::Signals::new() {
        Ok(mut signals) => {
            tokio::select! {
                () = runner.finish_save() => {}
                _ = signals.recv() => return,
            }
        }
        Err(_) => runner.finish_save().await,
    }
    while let Ok(msg) = answers.try_recv() {
        update(wizard, msg);
    }
}

/// The facts the wizard needs from the environment, read once: `api_url` is the API its checks go to
/// (chosen as `login` chooses it), `stores` says which other stores it may offer, `is_set` tells whether
/// a variable is set (injected for tests).
pub fn context(
    settings: &Settings,
    api_url: &ApiUrl,
    stores: &Stores,
    is_set: impl Fn(&str) -> bool,
) -> Context {
    Context {
        profile: settings.profile.clone(),
        store: settings.store,
        api_url: api_url.clone(),
        browser: browser(is_set, cfg!(target_os = "linux")),
        alternative_store: stores.fallback_for(settings.store),
        team_store: stores.team_store_besides(settings.store),
        new_profile_api_url: settings.api_url_or_default(),
    }
}

/// Whether a browser can be opened: not over SSH, and on Linux not without a graphical display.
pub fn browser(is_set: impl Fn(&str) -> bool, needs_display: bool) -> Browser {
    let said = &texts::texts().login;
    if is_set("SSH_CONNECTION") || is_set("SSH_TTY") {
        return Browser::Unavailable(said.no_browser_ssh.clone());
    }
    if needs_display && !is_set("DISPLAY") && !is_set("WAYLAND_DISPLAY") {
        return Browser::Unavailable(said.no_browser_display.clone());
    }
    Browser::Available
}

/// What to print once the terminal is back, and the exit code: 0 when a credential was stored; otherwise
/// the code of what stood in the way (a failed store, the last check's verdict), or 0 when the user simply
/// left before checking anything.
pub fn summary(wizard: &Wizard) -> (String, Exit) {
    use state::SaveState;
    use texts::fill;
    let said = &texts::texts().summary;
    // The session re-checked a stored profile and has no new credential checked since.
    if let (SaveState::NotYet, Some((profile, store, verdict))) =
        (&wizard.save, &wizard.last_recheck)
        && (matches!(wizard.errand, state::Errand::Recheck(_)) || wizard.report.is_none())
    {
        // `profiles` lists the store it names: the team's Vault only with --store vault.
        let flags = lookup::command_flags(*store, "default");
        let checked = fill(
            &texts::texts().front_door.summary_checked,
            &[
                ("profile", profile),
                ("verdict", verdict.label()),
                ("flags", &flags),
            ],
        );
        return (checked, verdict.exit());
    }
    match &wizard.save {
        SaveState::Saved(saved) => {
            let stored = fill(
                &said.stored,
                &[
                    ("kind", wizard.kind().label()),
                    ("location", &saved.location),
                ],
            );
            let mut text = format!(
                "{stored}\n{}\n",
                fill(&said.profile_line, &[("profile", &saved.profile)])
            );
            if let Some(credential) = &wizard.credential {
                let identity = credential.identity();
                text.push_str(&fill(&said.credential_line, &[("identity", &identity)]));
                text.push('\n');
            }
            let flags = saved.command_flags();
            if matches!(wizard.errand, state::Errand::Rotate(_)) {
                text.push_str(&texts::texts().front_door.rotated);
                text.push('\n');
            }
            text.push_str(&fill(&said.next, &[("flags", &flags)]));
            (text, Exit::Ok)
        }
        SaveState::Failed { error, .. } => (
            fill(&said.save_failed, &[("error", &error.to_string())]),
            Exit::StoreUnavailable,
        ),
        SaveState::InFlight(_) => (said.quit_while_saving.clone(), Exit::StoreUnavailable),
        SaveState::NotYet => match wizard.report.as_ref().map(|report| report.verdict) {
            Some(verdict @ (Verdict::Rejected | Verdict::Unverifiable)) => (
                fill(&said.last_check_failed, &[("verdict", verdict.label())]),
                verdict.exit(),
            ),
            Some(verdict) => (said.quit_before_saving.clone(), verdict.exit()),
            None => (said.nothing_checked.clone(), Exit::Ok),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_browser_over_ssh_or_without_a_display() {
        let set = |names: &'static [&'static str]| move |name: &str| names.contains(&name);
        assert_eq!(browser(set(&["DISPLAY"]), true), Browser::Available);
        assert!(matches!(
            browser(set(&["DISPLAY", "SSH_TTY"]), true),
            Browser::Unavailable(_)
        ));
        assert!(matches!(
            browser(set(&["SSH_CONNECTION"]), false),
            Browser::Unavailable(_)
        ));
        assert!(matches!(browser(set(&[]), true), Browser::Unavailable(_)));
        assert_eq!(browser(set(&["WAYLAND_DISPLAY"]), true), Browser::Available);
        assert_eq!(browser(set(&[]), false), Browser::Available);
    }
}
