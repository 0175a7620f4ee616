//! Secrets are wiped from memory when they are dropped.
//!
//! How this is tested, honestly: this test binary installs a global allocator that, while a test has
//! armed it, looks into every heap block at the moment it is freed (and forces every reallocation to move,
//! so the old block is freed, and looked into, too). If a freed block still holds the canary token, or
//! the base64 that carries it in a Basic header, something dropped a copy of the secret without wiping
//! it: freed memory is where a later crash dump, a swap page or a reused buffer would find it.
//!
//! A negative control proves the detector works: an ordinary `String` holding the token is caught.
//! The positive tests go through the project's own secret holders and the code paths that create them:
//! `SecretString`, `Credential` (both kinds, clones), the Basic `Authorization` value, the keyring blob
//! (encode and decode, with and without JSON escapes), token validation and the stdin reader. Each also
//! asserts the types implement `ZeroizeOnDrop` where the type system can say so.
//!
//! What this cannot see, and does not claim: copies on the stack, copies that live on (rather than being
//! freed) inside third-party code, and the HTTP stack's own buffers (reqwest/hyper copy the header into
//! their write buffers, which are not wiped); those are outside the types this project controls.
//!
//! The tests run one at a time (a lock), because the allocator looks at every thread while armed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use hibob_auth::credential::Credential;
use hibob_auth::secret::{ExposeSecret, SecretString};
use hibob_auth::store::{decode_entry, encode_entry};
use hibob_auth::validate::validate_token;
use zeroize::{ZeroizeOnDrop, Zeroizing};

const TOKEN: &str = "wipecanaryR4nD0mZq8Xv2Lp6Wk9Tb3Hs5Jy7Mc";
const ID: &str = "SERVICE-WIPE-1";

/// The byte strings whose presence in a freed block is a failure. Set once, before any test arms.
static NEEDLES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Inspecting;

impl Inspecting {
    fn inspect(ptr: *const u8, size: usize) {
        if !ARMED.load(Ordering::SeqCst) {
            return;
        }
        let Some(needles) = NEEDLES.get() else {
            return;
        };
        // SAFETY: `ptr` is a live block of `size` bytes handed to dealloc/realloc by its owner.
        let block = unsafe { std::slice::from_raw_parts(ptr, size) };
        if needles
            .iter()
            .any(|needle| block.windows(needle.len()).any(|window| window == needle))
        {
            FOUND.fetch_add(1, Ordering::SeqCst);
        }
    }
}

// SAFETY: every call is forwarded to the system allocator with the same layouts; realloc while armed is
// alloc + copy + dealloc, which GlobalAlloc permits.
unsafe impl GlobalAlloc for Inspecting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Inspecting::inspect(ptr, layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !ARMED.load(Ordering::SeqCst) {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // Always move: whether a growing buffer is moved is the allocator's choice, so code must be safe
        // when it is; the old block is then freed and looked into.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { System.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Inspecting = Inspecting;

/// The token, the Basic value's base64, and the base64 of the token at each alignment.
fn needles() -> Vec<Vec<u8>> {
    let mut needles = vec![TOKEN.as_bytes().to_vec()];
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{TOKEN}"));
    needles.push(basic.into_bytes());
    for shift in 0..3 {
        let mut shifted = vec![0u8; shift];
        shifted.extend_from_slice(TOKEN.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD.encode(&shifted);
        let start = if shift == 0 { 0 } else { 4 };
        needles.push(encoded.as_bytes()[start..shifted.len() / 3 * 4].to_vec());
    }
    needles
}

/// Every test holds this for its whole run, set-up included: while one test is armed, no other test may
/// be freeing its own copies of the token.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How many freed blocks held the secret while `work` ran (with the allocator armed).
fn unwiped_blocks_freed_during(work: impl FnOnce()) -> usize {
    NEEDLES.get_or_init(needles);
    FOUND.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    work();
    ARMED.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

fn assert_zeroize_on_drop<T: ZeroizeOnDrop + ?Sized>() {}

fn service_user() -> Credential {
    Credential::ServiceUser {
        id: ID.to_string(),
        token: SecretString::from(TOKEN),
    }
}

#[test]
fn control_an_ordinary_string_leaves_the_token_in_freed_memory() {
    let _one = one_at_a_time();
    let found = unwiped_blocks_freed_during(|| {
        let plain = String::from(TOKEN);
        drop(std::hint::black_box(plain));
    });
    assert_eq!(found, 1, "the detector must see an unwiped copy");
}

#[test]
fn control_a_growing_string_leaves_a_copy_behind_when_it_moves() {
    let _one = one_at_a_time();
    let found = unwiped_blocks_freed_during(|| {
        let mut growing = Zeroizing::new(String::with_capacity(8));
        growing.push_str(TOKEN);
        growing.push_str(&"x".repeat(64));
        drop(std::hint::black_box(growing));
    });
    // The final buffer is wiped, but the one it outgrew was freed holding the token.
    assert!(found >= 1, "a reallocation copy must be seen");
}

#[test]
fn secret_string_is_wiped_on_drop() {
    let _one = one_at_a_time();
    assert_zeroize_on_drop::<SecretString>();
    let found = unwiped_blocks_freed_during(|| {
        let secret = SecretString::from(TOKEN);
        let copy = secret.clone();
        drop(std::hint::black_box(secret));
        drop(std::hint::black_box(copy));
    });
    assert_eq!(found, 0);
}

#[test]
fn credentials_of_both_kinds_and_their_clones_are_wiped_on_drop() {
    let _one = one_at_a_time();
    let found = unwiped_blocks_freed_during(|| {
        let service = service_user();
        let api = Credential::ApiToken {
            token: SecretString::from(TOKEN),
        };
        let clones = vec![service.clone(), api.clone()];
        drop(std::hint::black_box((service, api, clones)));
    });
    assert_eq!(found, 0);
}

#[test]
fn the_basic_authorization_value_is_built_and_dropped_without_copies() {
    let _one = one_at_a_time();
    let found = unwiped_blocks_freed_during(|| {
        let header = service_user().authorization();
        assert!(header.expose_secret().starts_with("Basic "));
        drop(std::hint::black_box(header));
        let bare = Credential::ApiToken {
            token: SecretString::from(TOKEN),
        }
        .authorization();
        drop(std::hint::black_box(bare));
    });
    assert_eq!(found, 0);
}

#[test]
fn the_keyring_blob_is_wiped_after_encoding_and_decoding() {
    let _one = one_at_a_time();
    let escaped = format!(r#"{{"v":1,"kind":"api-token","token":"{TOKEN}\u0041"}}"#);
    let found = unwiped_blocks_freed_during(|| {
        let bytes = encode_entry(&service_user());
        let back = decode_entry(&bytes).unwrap();
        assert_eq!(back.token().expose_secret(), TOKEN);
        drop(std::hint::black_box((bytes, back)));
        // A token that needs unescaping is decoded through an owned, wiped buffer.
        let input = Zeroizing::new(escaped.clone().into_bytes());
        let unescaped = decode_entry(&input).unwrap();
        assert!(unescaped.token().expose_secret().ends_with('A'));
        drop(std::hint::black_box((input, unescaped)));
    });
    drop(escaped);
    assert_eq!(found, 0);
}

#[test]
fn validated_tokens_and_the_stdin_reader_leave_no_copies() {
    let _one = one_at_a_time();
    use hibob_auth::intake::stdin::read_first_line;

    let padded: &'static str = Box::leak(format!("  {TOKEN}\n").into_boxed_str());
    let piped: &'static [u8] = Box::leak(format!("{TOKEN}\nmore").into_bytes().into_boxed_slice());
    let found = unwiped_blocks_freed_during(|| {
        let validated = validate_token(padded).unwrap();
        assert_eq!(validated.value.expose_secret(), TOKEN);
        drop(std::hint::black_box(validated));
        let line = read_first_line(
            std::io::Cursor::new(piped),
            std::time::Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(line.as_str(), TOKEN);
        drop(std::hint::black_box(line));
    });
    assert_eq!(found, 0);
}
