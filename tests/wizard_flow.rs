//! Flow tests of the wizard's pure `update`: feed keys, pastes and injected results, assert the effects it
//! asks for and the state it reaches. No terminal, no network, no keyring.

mod wizard_common;

use crossterm::event::KeyCode;
use hibob_auth::credential::{Credential, CredentialKind};
use hibob_auth::hibob::{Probe, Verdict};
use hibob_auth::secret::ExposeSecret;
use hibob_auth::steps::{FlowId, StepId};
use hibob_auth::store::StoreChoice;
use hibob_auth::store::StoreError;
use hibob_auth::wizard::state::{Dialog, Focus, MenuItem, SaveState};
use hibob_auth::wizard::{Browser, Effect, Msg, Saved, Screen, Wizard, update};
use wizard_common::*;

/// Move the menu's highlight to `item` (which must be on offer) and press Enter, as a user would.
fn choose(wizard: &mut Wizard, item: MenuItem) -> Option<Effect> {
    let position = wizard.menu().iter().position(|offered| *offered == item);
    let position = position.unwrap_or_else(|| panic!("{item:?} is not in {:?}", wizard.menu()));
    while wizard.menu_cursor < position {
        press(wizard, KeyCode::Down);
    }
    press(wizard, KeyCode::Enter)
}

fn saved() -> Saved {
    Saved {
        profile: "default".to_string(),
        location: "Secret Service (login keyring)".to_string(),
        store: StoreChoice::Native,
    }
}

#[test]
fn enter_walks_every_step_and_esc_walks_back() {
    let mut wizard = wizard();
    let expected = [
        Screen::Step(StepId::Login),
        Screen::Step(StepId::Generate),
        Screen::Step(StepId::Scopes),
    ];
    for screen in expected {
        assert!(press(&mut wizard, KeyCode::Enter).is_none());
        assert_eq!(wizard.screen, screen);
    }
    for screen in [
        Screen::Step(StepId::Generate),
        Screen::Step(StepId::Login),
        Screen::Welcome,
    ] {
        press(&mut wizard, KeyCode::Esc);
        assert_eq!(wizard.screen, screen);
    }
}

#[test]
fn service_user_is_preselected_and_the_choice_moves() {
    let mut wizard = wizard();
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.flow, FlowId::ApiToken);

    let mut wizard = wizard_common::wizard();
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.flow, FlowId::ServiceUser);
}

#[test]
fn flow_flag_skips_the_choice() {
    let mut wizard = Wizard::new(context(Browser::Available), Some(FlowId::ApiToken));
    press(&mut wizard, KeyCode::Up);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.flow, FlowId::ApiToken);
    assert_eq!(wizard.screen, Screen::Step(StepId::Login));
}

#[test]
fn start_check_carries_a_service_user_credential() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    let effect = connect(&mut wizard);
    let Some(Effect::StartCheck { credential, .. }) = effect else {
        panic!("expected StartCheck, got {effect:?}");
    };
    let Credential::ServiceUser { id, token } = credential else {
        panic!("expected a service user");
    };
    assert_eq!(id, SERVICE_ID);
    assert_eq!(token.expose_secret(), TOKEN);
    assert_eq!(wizard.screen, Screen::Checking);
    assert!(wizard.is_busy());
}

#[test]
fn start_check_carries_an_api_token_in_the_api_token_flow() {
    let mut wizard = Wizard::new(context(Browser::Available), Some(FlowId::ApiToken));
    walk_to_connect(&mut wizard);
    // No ID field in this flow: typing goes straight into the token.
    assert_eq!(wizard.draft.focus, Focus::Token);
    let effect = connect(&mut wizard);
    let Some(Effect::StartCheck {
        credential: Credential::ApiToken { token },
        ..
    }) = effect
    else {
        panic!("expected an API token check, got {effect:?}");
    };
    assert_eq!(token.expose_secret(), TOKEN);
}

#[test]
fn invalid_input_starts_no_check_and_says_why() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    press(&mut wizard, KeyCode::Tab);
    type_text(&mut wizard, "two words");
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    // The empty ID is the first problem: the focus goes there.
    assert_eq!(wizard.draft.focus, Focus::Id);
    assert!(
        wizard
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("service-user ID")
    );

    type_text(&mut wizard, SERVICE_ID);
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.draft.focus, Focus::Token);
    assert!(wizard.notice.as_ref().unwrap().text.contains("token"));
}

#[test]
fn enter_on_the_id_field_moves_to_the_empty_token_field() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    type_text(&mut wizard, SERVICE_ID);
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.draft.focus, Focus::Token);
}

#[test]
fn probe_rows_fill_in_as_answers_arrive() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    let check = check_id(&connect(&mut wizard));
    let live = wizard.check.as_ref().unwrap();
    assert!(live.rows.iter().all(|row| row.answer.is_none()));

    let result = probe_result(Outcome::Ok, Probe::WhosOut);
    update(&mut wizard, Msg::ProbeFinished { check, result });
    let live = wizard.check.as_ref().unwrap();
    let answered: Vec<Probe> = live
        .rows
        .iter()
        .filter(|row| row.answer.is_some())
        .map(|row| row.probe)
        .collect();
    assert_eq!(answered, vec![Probe::WhosOut]);
    assert_eq!(wizard.screen, Screen::Checking);
}

#[test]
fn esc_on_checking_cancels_and_late_answers_are_ignored() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    let check = check_id(&connect(&mut wizard));
    assert!(matches!(
        press(&mut wizard, KeyCode::Esc),
        Some(Effect::CancelCheck)
    ));
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    assert!(wizard.notice.as_ref().unwrap().text.contains("cancelled"));

    // The cancelled check's answers arrive anyway: nothing changes.
    finish_check(&mut wizard, check, Outcome::Ok);
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    assert!(wizard.report.is_none());
}

#[test]
fn answers_of_an_older_check_do_not_land_in_the_new_one() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    let first = check_id(&connect(&mut wizard));
    press(&mut wizard, KeyCode::Esc);
    let second = check_id(&press(&mut wizard, KeyCode::Enter));
    assert_ne!(first, second);
    finish_check(&mut wizard, first, Outcome::Rejected);
    assert_eq!(wizard.screen, Screen::Checking);
    finish_check(&mut wizard, second, Outcome::Ok);
    assert_eq!(wizard.report.as_ref().unwrap().verdict, Verdict::Ok);
}

#[test]
fn ok_result_saves_to_the_chosen_store_with_the_report() {
    let mut wizard = result_of(None, Outcome::Ok);
    assert_eq!(wizard.screen, Screen::Result);
    assert_eq!(
        wizard.menu(),
        vec![MenuItem::Save, MenuItem::CopyForStackOne]
    );

    let effect = press(&mut wizard, KeyCode::Enter);
    let Some(Effect::Save {
        profile,
        credential,
        report,
        store,
    }) = effect
    else {
        panic!("expected Save, got {effect:?}");
    };
    assert_eq!(profile, "default", "--profile's");
    assert_eq!(store, StoreChoice::Native);
    assert_eq!(credential.service_user_id(), Some(SERVICE_ID));
    assert_eq!(report.unwrap().verdict, Verdict::Ok);
    assert_eq!(wizard.screen, Screen::Saving);

    update(&mut wizard, Msg::SaveFinished(Ok(saved())));
    assert_eq!(wizard.screen, Screen::Done);
    // Saved: quitting needs no question.
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('q')),
        Some(Effect::Quit)
    ));
}

#[test]
fn q_on_an_unsaved_verified_result_asks_first() {
    let mut wizard = result_of(None, Outcome::Ok);

    assert!(press(&mut wizard, KeyCode::Char('q')).is_none());
    assert_eq!(wizard.dialog, Some(Dialog::ConfirmQuit));
    assert!(press(&mut wizard, KeyCode::Esc).is_none());
    assert_eq!(wizard.dialog, None);
    assert!(!wizard.quit);

    assert!(press(&mut wizard, KeyCode::Char('q')).is_none());
    assert!(matches!(
        press(&mut wizard, KeyCode::Enter),
        Some(Effect::Quit)
    ));
    assert!(wizard.quit);
}

#[test]
fn ctrl_c_quits_anywhere_and_twice_confirms() {
    // Without unsaved work: at once, even inside a text field.
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    assert!(matches!(update(&mut wizard, ctrl('c')), Some(Effect::Quit)));

    // With unsaved verified work: asks, and a second Ctrl-C confirms.
    let mut wizard = result_of(None, Outcome::Limited);
    assert!(update(&mut wizard, ctrl('c')).is_none());
    assert_eq!(wizard.dialog, Some(Dialog::ConfirmQuit));
    assert!(matches!(update(&mut wizard, ctrl('c')), Some(Effect::Quit)));
}

#[test]
fn sigterm_quits_without_asking() {
    let mut wizard = result_of(None, Outcome::Ok);
    assert!(matches!(
        update(&mut wizard, Msg::Terminate),
        Some(Effect::Quit)
    ));
}

#[test]
fn q_is_typed_in_text_fields_and_quits_elsewhere() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    assert!(press(&mut wizard, KeyCode::Char('q')).is_none());
    assert_eq!(wizard.draft.id.value(), "q");
    assert!(press(&mut wizard, KeyCode::Char('?')).is_none());
    assert!(!wizard.help, "? is typed too; F1 opens the help");
    press(&mut wizard, KeyCode::F(1));
    assert!(wizard.help);

    let mut wizard = wizard_common::wizard();
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('q')),
        Some(Effect::Quit)
    ));
}

#[test]
fn help_opens_with_question_mark_and_closes_with_esc() {
    let mut wizard = wizard();
    press(&mut wizard, KeyCode::Char('?'));
    assert!(wizard.help);
    // Keys do not reach the screen under the help.
    press(&mut wizard, KeyCode::Enter);
    assert!(!wizard.help);
    assert_eq!(wizard.screen, Screen::Welcome);
    press(&mut wizard, KeyCode::Char('?'));
    press(&mut wizard, KeyCode::Esc);
    assert!(!wizard.help);
}

#[test]
fn rejected_api_token_offers_the_switch_to_service_user_in_one_key() {
    let mut wizard = result_of(Some(FlowId::ApiToken), Outcome::Rejected);
    assert_eq!(wizard.report.as_ref().unwrap().verdict, Verdict::Rejected);
    assert_eq!(wizard.menu()[0], MenuItem::SwitchToServiceUser);
    // A rejected credential is not verified work: nothing to lose.
    assert!(!wizard.has_unsaved_verified_work());

    assert!(press(&mut wizard, KeyCode::Char('s')).is_none());
    assert_eq!(wizard.flow, FlowId::ServiceUser);
    assert_eq!(wizard.screen, Screen::Step(StepId::Login));
    // The retired token is gone with the old flow.
    assert!(wizard.draft.token.is_empty());
    assert!(wizard.credential.is_none());
    assert_eq!(wizard.draft.focus, Focus::Id);
}

#[test]
fn rejected_service_user_goes_back_to_connect_or_scopes() {
    let mut wizard = result_of(None, Outcome::Rejected);
    assert_eq!(
        wizard.menu(),
        vec![MenuItem::BackToConnect, MenuItem::BackToScopes]
    );
    assert!(press(&mut wizard, KeyCode::Char('s')).is_none());
    assert_eq!(wizard.flow, FlowId::ServiceUser, "no switch offered here");
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.screen, Screen::Step(StepId::Scopes));
    // The entered credential is kept for the next try.
    assert_eq!(wizard.draft.id.value(), SERVICE_ID);
}

/// One row of [`every_result_tells_the_truth_and_offers_its_menu`].
struct Case {
    outcome: Outcome,
    verdict: Verdict,
    /// The heading of the Result screen.
    title: &'static str,
    /// Sentences the screen must show (the rows' and notes' advice).
    says: &'static [&'static str],
    menu: Vec<MenuItem>,
}

/// Every verdict, and every reason a credential is limited: what the Result screen says (congratulations
/// only when the verdict is ok), what each row tells the user to do in HiBob, and the menu it offers.
#[test]
fn every_result_tells_the_truth_and_offers_its_menu() {
    use MenuItem::*;
    let limited = vec![SaveAnyway, CopyForStackOne, RetryCheck, BackToScopes];
    let cases = [
        Case {
            outcome: Outcome::Ok,
            verdict: Verdict::Ok,
            title: "Congratulations, you're all set!",
            says: &["every category returned"],
            menu: vec![Save, CopyForStackOne],
        },
        Case {
            outcome: Outcome::Partial,
            verdict: Verdict::Limited,
            title: "The credential works, but it is limited",
            says: &[
                "◐ Full employee read HiBob left out the About, Employment and Work fields",
                "open Settings > Account > Permission groups, open the group that holds this service user, enable People's data > View selected employees' About, Employment and Work sections and save",
                "press r to check again",
            ],
            menu: limited.clone(),
        },
        Case {
            outcome: Outcome::Unproven,
            verdict: Verdict::Limited,
            title: "The credential works, but it is limited",
            says: &[
                "! Timeoff submit request & read who's out who's out is empty",
                "enable People's data > Time off > See who's out today > See who's out",
            ],
            menu: limited.clone(),
        },
        Case {
            outcome: Outcome::Unavailable,
            verdict: Verdict::Limited,
            title: "The credential works, but it is limited",
            says: &[
                "∅ Timeoff submit request & read who's out HiBob answered 404",
                "ask a HiBob admin whether the company has it",
            ],
            menu: limited.clone(),
        },
        Case {
            outcome: Outcome::Limited,
            verdict: Verdict::Limited,
            title: "The credential works, but it is limited",
            says: &["set Access data for to the employees this integration needs"],
            menu: limited,
        },
        Case {
            outcome: Outcome::Blocked,
            verdict: Verdict::Blocked,
            title: "HiBob blocked the check: this is not about permissions",
            says: &[
                "wait five minutes and check again",
                "ask a HiBob admin whether your company restricts API access by IP address",
                "Press r (Check again)",
            ],
            menu: vec![RetryCheck, BackToConnect],
        },
        Case {
            outcome: Outcome::Unverifiable,
            verdict: Verdict::Unverifiable,
            title: "The credential could not be verified",
            says: &["Check again once the network or HiBob is back"],
            menu: vec![RetryCheck, SaveUnverified, BackToConnect],
        },
        Case {
            outcome: Outcome::Rejected,
            verdict: Verdict::Rejected,
            title: "Could not connect account",
            says: &["Paste the correct API key"],
            menu: vec![BackToConnect, BackToScopes],
        },
    ];
    for Case {
        outcome,
        verdict,
        title,
        says,
        menu,
    } in cases
    {
        let mut wizard = result_of(None, outcome);
        assert_eq!(
            wizard.report.as_ref().unwrap().verdict,
            verdict,
            "{outcome:?}"
        );
        assert_eq!(wizard.menu(), menu, "{outcome:?}");
        let screen = screen_words(&mut wizard);
        assert!(screen.contains(title), "{outcome:?}: {screen}");
        assert_eq!(
            screen.contains("Congratulations"),
            verdict == Verdict::Ok,
            "{outcome:?}: {screen}"
        );
        for sentence in says {
            assert!(
                screen.contains(sentence),
                "{outcome:?}: {sentence}\n{screen}"
            );
        }
        if verdict == Verdict::Blocked {
            assert!(!screen.contains("✗ Full employee read"), "{screen}");
            assert!(
                !screen.contains("missing"),
                "nothing is called missing: {screen}"
            );
        }
    }
}

/// After a fix in HiBob the user checks again with one key: the same credential, from memory, nothing
/// typed; the new answers replace the old result. Offered wherever a new check can say something new.
#[test]
fn r_checks_again_with_the_credential_in_memory() {
    for outcome in [
        Outcome::Partial,
        Outcome::Unproven,
        Outcome::Unavailable,
        Outcome::Limited,
        Outcome::Blocked,
        Outcome::Unverifiable,
    ] {
        let mut wizard = result_of(None, outcome);
        let effect = press(&mut wizard, KeyCode::Char('r'));
        let Some(Effect::StartCheck {
            check, credential, ..
        }) = effect
        else {
            panic!("{outcome:?}: expected StartCheck, got {effect:?}");
        };
        assert_eq!(
            credential.service_user_id(),
            Some(SERVICE_ID),
            "{outcome:?}"
        );
        assert_eq!(credential.token().expose_secret(), TOKEN, "{outcome:?}");
        assert_eq!(wizard.screen, Screen::Checking, "{outcome:?}");
        assert!(
            wizard.report.is_none(),
            "{outcome:?}: the old result is gone"
        );
        finish_check(&mut wizard, check, Outcome::Ok);
        assert_eq!(wizard.screen, Screen::Result);
        assert_eq!(wizard.menu()[0], MenuItem::Save, "{outcome:?}");
        assert!(screen_words(&mut wizard).contains("Congratulations"));
    }
    // Where a new check cannot change the answer, r is not offered and does nothing.
    for outcome in [Outcome::Ok, Outcome::Rejected] {
        let mut wizard = result_of(None, outcome);
        assert!(
            press(&mut wizard, KeyCode::Char('r')).is_none(),
            "{outcome:?}"
        );
        assert_eq!(wizard.screen, Screen::Result, "{outcome:?}");
    }
}

#[test]
fn the_re_check_key_is_hinted_and_in_the_help() {
    let mut wizard = result_of(None, Outcome::Partial);
    let footer = render(&mut wizard, 100, 30);
    assert!(footer.contains("r check again"), "{footer}");
    assert!(footer.contains("Check again (r)"), "{footer}");
    press(&mut wizard, KeyCode::Char('?'));
    assert!(screen_words(&mut wizard).contains("r / c check again / copy for StackOne"));
}

#[test]
fn limited_result_can_save_anyway_or_go_back_to_scopes() {
    let mut wizard = result_of(None, Outcome::Limited);
    assert!(wizard.has_unsaved_verified_work());
    assert!(choose(&mut wizard, MenuItem::BackToScopes).is_none());
    assert_eq!(wizard.screen, Screen::Step(StepId::Scopes));
    // Scopes, Copy, Connect, and the check runs again with the same input.
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    assert!(matches!(
        press(&mut wizard, KeyCode::Enter),
        Some(Effect::StartCheck { .. })
    ));
}

#[test]
fn unverifiable_retries_or_saves_only_after_confirmation() {
    let mut wizard = result_of(None, Outcome::Unverifiable);
    assert_eq!(
        wizard.menu(),
        vec![
            MenuItem::RetryCheck,
            MenuItem::SaveUnverified,
            MenuItem::BackToConnect
        ]
    );
    // Retry: a new check of the same credential.
    let (check, credential) = match press(&mut wizard, KeyCode::Enter) {
        Some(Effect::StartCheck {
            check, credential, ..
        }) => (check, credential),
        other => panic!("expected StartCheck, got {other:?}"),
    };
    assert_eq!(credential.token().expose_secret(), TOKEN);
    finish_check(&mut wizard, check, Outcome::Unverifiable);

    press(&mut wizard, KeyCode::Down);
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.dialog, Some(Dialog::SaveUnverified));
    assert!(press(&mut wizard, KeyCode::Esc).is_none());
    assert_eq!(wizard.screen, Screen::Result);

    press(&mut wizard, KeyCode::Enter);
    assert!(matches!(
        press(&mut wizard, KeyCode::Enter),
        Some(Effect::Save { .. })
    ));
    assert_eq!(wizard.screen, Screen::Saving);
}

#[test]
fn a_failed_save_keeps_the_credential_and_offers_another_store() {
    let mut wizard = result_of(None, Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    update(&mut wizard, Msg::SaveFinished(Err(StoreError::Locked)));
    assert_eq!(wizard.screen, Screen::SaveFailed);
    assert_eq!(
        wizard.menu(),
        vec![
            MenuItem::RetrySave,
            MenuItem::UseStore(StoreChoice::Keyutils),
            MenuItem::RevealToCopy,
            MenuItem::QuitWithoutSaving
        ]
    );
    assert!(wizard.credential.is_some());

    // Another store: the same credential goes to the kernel keyring.
    press(&mut wizard, KeyCode::Down);
    let effect = press(&mut wizard, KeyCode::Enter);
    let Some(Effect::Save {
        store, credential, ..
    }) = effect
    else {
        panic!("expected Save, got {effect:?}");
    };
    assert_eq!(store, StoreChoice::Keyutils);
    assert_eq!(credential.token().expose_secret(), TOKEN);

    // That fails too: now the OS keyring is the other store on offer.
    update(
        &mut wizard,
        Msg::SaveFinished(Err(StoreError::Other("no session keyring".into()))),
    );
    assert!(
        wizard
            .menu()
            .contains(&MenuItem::UseStore(StoreChoice::Native))
    );
    assert!(matches!(
        wizard.save,
        SaveState::Failed {
            store: StoreChoice::Keyutils,
            ..
        }
    ));

    // Quitting asks first, and says nothing was saved.
    assert!(press(&mut wizard, KeyCode::Char('q')).is_none());
    assert_eq!(wizard.dialog, Some(Dialog::ConfirmQuit));
}

#[test]
fn quitting_during_a_save_asks_and_the_finished_save_closes_the_question() {
    let mut wizard = result_of(None, Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    assert!(press(&mut wizard, KeyCode::Char('q')).is_none());
    assert_eq!(wizard.dialog, Some(Dialog::ConfirmQuit));
    update(&mut wizard, Msg::SaveFinished(Ok(saved())));
    assert_eq!(wizard.dialog, None);
    assert_eq!(wizard.screen, Screen::Done);
}

#[test]
fn paste_trims_surrounding_whitespace_with_a_notice() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    paste(&mut wizard, &format!("  {SERVICE_ID}\n"));
    assert_eq!(wizard.draft.id.value(), SERVICE_ID);
    let notice = wizard.notice.clone().unwrap();
    assert!(notice.text.contains("Removed whitespace"), "{notice:?}");
    assert!(notice.text.contains("service-user ID"));

    press(&mut wizard, KeyCode::Tab);
    paste(&mut wizard, TOKEN);
    assert_eq!(wizard.draft.token.value(), TOKEN);
    assert!(wizard.notice.is_none(), "a clean paste needs no notice");

    // Outside text fields a paste does nothing.
    let mut wizard = wizard_common::wizard();
    paste(&mut wizard, TOKEN);
    assert_eq!(wizard.screen, Screen::Welcome);
}

#[test]
fn token_is_never_shown_unless_revealed() {
    let mut wizard = filled_connect();
    let screen = render(&mut wizard, 80, 24);
    assert!(!screen.contains(TOKEN), "{screen}");
    assert!(!screen.contains("aaaabbbb"));
    assert!(screen.contains(SERVICE_ID));

    update(&mut wizard, ctrl('r'));
    assert!(render(&mut wizard, 80, 24).contains(TOKEN));

    // Leaving the step hides it again.
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Enter);
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));

    // Nor on the check, the result or the saving screens.
    let check = check_id(&press(&mut wizard, KeyCode::Enter));
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));
    finish_check(&mut wizard, check, Outcome::Ok);
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));
    press(&mut wizard, KeyCode::Enter);
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));
}

#[test]
fn failed_save_reveals_the_credential_only_when_asked() {
    let mut wizard = result_of(None, Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    update(&mut wizard, Msg::SaveFinished(Err(StoreError::Locked)));
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Enter);
    assert!(wizard.revealed_for_copy);
    assert!(render(&mut wizard, 80, 24).contains(TOKEN));
    press(&mut wizard, KeyCode::Enter);
    assert!(!render(&mut wizard, 80, 24).contains(TOKEN));
}

#[test]
fn messages_and_effects_never_debug_print_the_token() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    let effect = connect(&mut wizard);
    assert!(!format!("{effect:?}").contains(TOKEN));
    let msg = Msg::Paste(zeroize::Zeroizing::new(TOKEN.to_string()));
    assert!(!format!("{msg:?}").contains(TOKEN));
    assert!(!format!("{wizard:?}").contains(TOKEN));
}

#[test]
fn scopes_checklist_ticks_and_warns_about_unticked_items() {
    let mut wizard = wizard();
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.screen, Screen::Step(StepId::Scopes));
    press(&mut wizard, KeyCode::Char(' '));
    assert!(wizard.checklist_done[0]);
    press(&mut wizard, KeyCode::Char(' '));
    assert!(!wizard.checklist_done[0]);

    // Nothing ticked: a question listing what breaks; Esc stays, Enter continues.
    press(&mut wizard, KeyCode::Enter);
    let Some(Dialog::Unticked(items)) = wizard.dialog.clone() else {
        panic!("expected the unticked question");
    };
    // The field-list item needs no permission, so it is not listed as breaking anything.
    assert!(!items.contains(&1));
    assert!(items.contains(&0));
    press(&mut wizard, KeyCode::Esc);
    assert_eq!(wizard.screen, Screen::Step(StepId::Scopes));
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.screen, Screen::Step(StepId::Copy));

    // Everything that matters ticked: no question.
    let mut wizard = wizard_common::wizard();
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    for index in 0..wizard.checklist_done.len() {
        if index != 1 {
            wizard.checklist_done[index] = true;
        }
    }
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.dialog, None);
    assert_eq!(wizard.screen, Screen::Step(StepId::Copy));
}

#[test]
fn login_opens_the_browser_or_offers_to_copy_the_address() {
    let mut wizard = wizard();
    press(&mut wizard, KeyCode::Enter);
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('o')),
        Some(Effect::OpenBrowser(url)) if url == "https://app.hibob.com"
    ));
    update(&mut wizard, Msg::BrowserOpened(Err("no browser".into())));
    assert!(wizard.notice.as_ref().unwrap().text.contains("no browser"));

    let mut wizard = Wizard::new(
        context(Browser::Unavailable("this is an SSH session".into())),
        None,
    );
    press(&mut wizard, KeyCode::Enter);
    assert!(press(&mut wizard, KeyCode::Char('o')).is_none());
    assert!(wizard.notice.as_ref().unwrap().text.contains("SSH"));
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('c')),
        Some(Effect::CopyToClipboard(url)) if url == "https://app.hibob.com"
    ));
}

#[test]
fn spinner_ticks_only_while_busy() {
    let mut wizard = wizard();
    assert!(!wizard.is_busy());
    update(&mut wizard, Msg::Tick);
    assert_eq!(wizard.spinner, 0);
    walk_to_connect(&mut wizard);
    connect(&mut wizard);
    assert!(wizard.is_busy());
    update(&mut wizard, Msg::Tick);
    assert_eq!(wizard.spinner, 1);
}

#[test]
fn page_keys_scroll_only_as_far_as_there_is_text() {
    let mut wizard = result_of(None, Outcome::Limited);
    update(
        &mut wizard,
        Msg::Resize {
            width: 60,
            height: 20,
        },
    );
    for _ in 0..20 {
        press(&mut wizard, KeyCode::PageDown);
    }
    let bottom = wizard.scroll;
    assert!(bottom > 0);
    press(&mut wizard, KeyCode::PageDown);
    assert_eq!(wizard.scroll, bottom);
    // One PgUp moves at once, with no hidden over-scroll to work off.
    press(&mut wizard, KeyCode::PageUp);
    assert!(wizard.scroll < bottom);
}

#[test]
fn kind_follows_the_flow() {
    let wizard = Wizard::new(context(Browser::Available), Some(FlowId::ApiToken));
    assert_eq!(wizard.kind(), CredentialKind::ApiToken);
}

#[test]
fn a_too_small_window_ignores_keys_but_q_quits() {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    update(
        &mut wizard,
        Msg::Resize {
            width: 40,
            height: 10,
        },
    );
    // Typing blind into a field nobody can see does nothing.
    assert!(press(&mut wizard, KeyCode::Char('x')).is_none());
    assert!(wizard.draft.id.is_empty());
    assert!(press(&mut wizard, KeyCode::Esc).is_none());
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('q')),
        Some(Effect::Quit)
    ));
}

/// The hand-over to StackOne's Link Account, for a verified credential only: the service-user ID on the
/// first key, the token only on a second one, both through OSC 52 (the event loop writes it), each with a
/// notice that some terminals refuse OSC 52; from then on the reveal is offered as the fallback.
#[test]
fn the_hand_over_sends_the_id_then_the_token_on_a_second_key() {
    for outcome in [Outcome::Ok, Outcome::Partial] {
        let mut wizard = result_of(None, outcome);
        assert!(
            !wizard.menu().contains(&MenuItem::RevealToCopy),
            "{outcome:?}"
        );
        let first = press(&mut wizard, KeyCode::Char('c'));
        assert!(
            matches!(&first, Some(Effect::CopyToClipboard(id)) if id == SERVICE_ID),
            "{outcome:?}: {first:?}"
        );
        let notice = wizard.notice.clone().unwrap().text;
        assert!(notice.contains("some terminals refuse it"), "{notice}");
        assert!(notice.contains("Press c again for the token"), "{notice}");
        // Whole on a narrow terminal too (a notice shows two lines at most).
        let narrow = render(&mut wizard, 60, 20);
        assert!(narrow.contains("Press c again for the token."), "{narrow}");
        assert!(
            wizard.menu().contains(&MenuItem::RevealToCopy),
            "{outcome:?}"
        );
        assert!(!render(&mut wizard, 100, 60).contains(TOKEN));

        let second = press(&mut wizard, KeyCode::Char('c'));
        let Some(Effect::CopySecretToClipboard(token)) = &second else {
            panic!("{outcome:?}: expected the token, got {second:?}");
        };
        assert_eq!(token.expose_secret(), TOKEN);
        assert!(!format!("{second:?}").contains(TOKEN), "redacted in Debug");
        let narrow = render(&mut wizard, 60, 20);
        assert!(narrow.contains("Paste both into StackOne."), "{narrow}");
        assert!(
            wizard
                .notice
                .clone()
                .unwrap()
                .text
                .contains("some terminals refuse it")
        );
        // A third press starts over with the ID; the token never goes twice in a row.
        assert!(matches!(
            press(&mut wizard, KeyCode::Char('c')),
            Some(Effect::CopyToClipboard(id)) if id == SERVICE_ID
        ));

        // The fallback: the credential in clear, only once chosen.
        assert!(choose(&mut wizard, MenuItem::RevealToCopy).is_none());
        assert!(render(&mut wizard, 100, 60).contains(TOKEN), "{outcome:?}");
    }

    // An API access token has no ID: its one key press sends the token.
    let mut wizard = result_of(Some(FlowId::ApiToken), Outcome::Ok);
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('c')),
        Some(Effect::CopySecretToClipboard(token)) if token.expose_secret() == TOKEN
    ));

    // Nothing verified, nothing to hand over: not offered, and c does nothing.
    for outcome in [Outcome::Rejected, Outcome::Blocked, Outcome::Unverifiable] {
        let mut wizard = result_of(None, outcome);
        assert!(
            !wizard.menu().contains(&MenuItem::CopyForStackOne),
            "{outcome:?}"
        );
        assert!(
            press(&mut wizard, KeyCode::Char('c')).is_none(),
            "{outcome:?}"
        );
    }
}

#[test]
fn a_new_check_starts_the_hand_over_again_with_nothing_shown() {
    let mut wizard = result_of(None, Outcome::Partial);
    press(&mut wizard, KeyCode::Char('c'));
    wizard.revealed_for_copy = true;
    let check = check_id(&press(&mut wizard, KeyCode::Char('r')));
    finish_check(&mut wizard, check, Outcome::Ok);
    assert!(!wizard.revealed_for_copy);
    assert!(!wizard.menu().contains(&MenuItem::RevealToCopy));
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('c')),
        Some(Effect::CopyToClipboard(id)) if id == SERVICE_ID
    ));
}

#[test]
fn a_vault_address_puts_the_teams_vault_beside_the_first_store() {
    use hibob_auth::cli::GlobalArgs;
    use hibob_auth::hibob::ApiUrl;
    use hibob_auth::settings::Settings;
    use hibob_auth::store::{Stores, VaultSettings};
    use hibob_auth::wizard::context;
    use std::time::Duration;

    // The context offers Vault when its address is set, unless Vault is already the first store.
    let settings = |store| {
        let args = GlobalArgs {
            api_url: None,
            sandbox: false,
            timeout: 15,
            verbose: 0,
            profile: "default".to_string(),
            store: Some(store),
            vault_path: "secret/hibob-auth".to_string(),
        };
        Settings::from_args(&args).unwrap()
    };
    let api = ApiUrl::production();
    let offered = |store, set: &'static [&'static str]| {
        let lookup = |name: &str| {
            set.contains(&name)
                .then(|| "https://vault.example".to_string())
        };
        let vault = VaultSettings::from_lookup(lookup, None, Duration::from_secs(5));
        let stores = Stores::os_keyring().with_vault(vault);
        context(&settings(store), &api, &stores, |_| false).team_store
    };
    assert_eq!(offered(StoreChoice::Native, &[]), None);
    assert_eq!(
        offered(StoreChoice::Native, &["VAULT_ADDR"]),
        Some(StoreChoice::Vault)
    );
    assert_eq!(
        offered(StoreChoice::Native, &["BAO_ADDR"]),
        Some(StoreChoice::Vault)
    );
    assert_eq!(offered(StoreChoice::Vault, &["BAO_ADDR"]), None);

    // A verified credential's menu then offers it right after the first store, and choosing it saves there.
    let mut wizard = result_of(None, Outcome::Ok);
    wizard.context.team_store = Some(StoreChoice::Vault);
    assert_eq!(
        wizard.menu(),
        vec![
            MenuItem::Save,
            MenuItem::UseStore(StoreChoice::Vault),
            MenuItem::CopyForStackOne
        ]
    );
    assert!(screen_words(&mut wizard).contains("Store it in your team's Vault instead"));
    press(&mut wizard, KeyCode::Down);
    let effect = press(&mut wizard, KeyCode::Enter);
    let Some(Effect::Save { store, .. }) = effect else {
        panic!("expected Save, got {effect:?}");
    };
    assert_eq!(store, StoreChoice::Vault);

    // Stored there, the next commands it shows name the store, or they would look in the keyring.
    let saved = Saved {
        profile: "default".to_string(),
        location: "Vault at https://vault.example.com (secret/hibob-auth)".to_string(),
        store: StoreChoice::Vault,
    };
    update(&mut wizard, Msg::SaveFinished(Ok(saved)));
    let words = screen_words(&mut wizard);
    assert!(words.contains("hibob-auth check --store vault"), "{words}");
    assert!(
        words.contains("hibob-auth token --header --store vault"),
        "{words}"
    );
}
