//! Token and service-user ID validation: any text, never a panic; accepted values are clean, and no
//! message or Debug output repeats the input.
#![no_main]

use hibob_auth::secret::ExposeSecret;
use hibob_auth::validate::{validate_service_user_id, validate_token};
use libfuzzer_sys::fuzz_target;

fn assert_clean(value: &str, raw: &str) {
    assert!(!value.is_empty());
    assert_eq!(value, raw.trim());
    assert!(!value.chars().any(|c| c.is_whitespace() || c.is_control()));
}

/// Error messages are built from fixed words; an input this long and free of spaces cannot occur in one
/// unless it was copied there.
fn is_distinctive(raw: &str) -> bool {
    let trimmed = raw.trim();
    trimmed.chars().count() >= 12 && !trimmed.contains(' ')
}

fuzz_target!(|raw: &str| {
    match validate_token(raw) {
        Ok(validated) => {
            assert_clean(validated.value.expose_secret(), raw);
            if is_distinctive(raw) {
                assert!(!format!("{validated:?}").contains(raw.trim()));
            }
        }
        Err(err) => {
            if is_distinctive(raw) {
                assert!(!err.to_string().contains(raw.trim()));
            }
        }
    }
    match validate_service_user_id(raw) {
        Ok(validated) => assert_clean(&validated.value, raw),
        Err(err) => {
            if is_distinctive(raw) {
                assert!(!err.to_string().contains(raw.trim()));
            }
        }
    }
});
