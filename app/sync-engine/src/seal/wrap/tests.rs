use proptest::prelude::*;

use super::*;

fn keyring(byte: u8) -> Keyring {
    Keyring::generate([byte; 48])
}

fn device(byte: u8) -> DeviceKey {
    DeviceKey::from_random([byte; 32])
}

fn random(byte: u8) -> [u8; 56] {
    [byte; 56]
}

#[test]
fn a_wrapped_keyring_unwraps_to_the_same_keys_at_every_epoch() {
    let mut keys = keyring(1);
    let phone = device(2);
    for next in 3..8u8 {
        let blob = keys.wrap_for(&phone.public(), random(next));
        assert_eq!(blob.len(), HEADER + keys.to_text().len() + 16);
        let opened = phone.unwrap(keys.epoch(), &blob).expect("it opens");
        assert_eq!(opened, keys);
        keys.rotate([next; 32]);
    }
    assert_eq!(keys.epoch(), 6);
}

#[test]
fn another_device_cannot_unwrap() {
    let keys = keyring(1);
    let blob = keys.wrap_for(&device(2).public(), random(3));
    assert_eq!(device(4).unwrap(1, &blob), Err(WrapError::Damaged));
}

#[test]
fn a_wrong_epoch_is_refused() {
    let mut keys = keyring(1);
    keys.rotate([9; 32]);
    let phone = device(2);
    let blob = keys.wrap_for(&phone.public(), random(3));
    assert_eq!(phone.unwrap(1, &blob), Err(WrapError::Damaged));
    assert_eq!(phone.unwrap(3, &blob), Err(WrapError::Damaged));
    assert!(phone.unwrap(2, &blob).is_ok());
}

#[test]
fn what_opens_but_is_not_a_keyring_of_the_epoch_is_not_keys() {
    let phone = device(2);
    let own = phone.public();
    let ephemeral = device(5);
    let shared = ephemeral.secret.diffie_hellman(&PublicKey::from(own));
    let key = wrap_key(shared.as_bytes(), &ephemeral.public(), &own, None);
    let seal = |epoch: u32, plain: &[u8]| {
        seal_blob(
            &key,
            &ephemeral.public(),
            &[6; 24],
            &associated(epoch, &own),
            plain,
        )
    };
    assert_eq!(
        phone.unwrap(1, &seal(1, b"not keys")),
        Err(WrapError::NotKeys)
    );
    assert_eq!(
        phone.unwrap(1, &seal(1, &[0xff, 0xfe])),
        Err(WrapError::NotKeys)
    );
    // A keyring whose newest epoch is 1, handed over as epoch 2.
    let text = keyring(1).to_text();
    assert_eq!(
        phone.unwrap(2, &seal(2, text.as_bytes())),
        Err(WrapError::NotKeys)
    );
    assert_eq!(phone.unwrap(1, &seal(1, text.as_bytes())), Ok(keyring(1)));
}

/// Someone who puts the all-zero (low-order) point in as the ephemeral key knows the
/// shared secret (zero): such a blob is refused even though it is otherwise well made.
#[test]
fn a_low_order_ephemeral_key_is_refused() {
    let keys = keyring(1);
    let phone = device(2);
    let own = phone.public();
    let key = wrap_key(&[0; 32], &[0; 32], &own, None);
    let forged = seal_blob(
        &key,
        &[0; 32],
        &[6; 24],
        &associated(1, &own),
        keys.to_text().as_bytes(),
    );
    assert_eq!(phone.unwrap(1, &forged), Err(WrapError::Damaged));

    let mut zeroed = keys.wrap_for(&own, random(3));
    zeroed[4..36].fill(0);
    assert_eq!(phone.unwrap(1, &zeroed), Err(WrapError::Damaged));
}

/// Wrapping for a low-order recipient key leaks nothing to whoever can compute the secret.
#[test]
fn a_low_order_recipient_gets_no_keys() {
    let keys = keyring(1);
    let blob = keys.wrap_for(&[0; 32], random(3));
    let ephemeral: [u8; 32] = blob[4..36].try_into().expect("32 bytes");
    let key = wrap_key(&[0; 32], &ephemeral, &[0; 32], None);
    let opened = XChaCha20Poly1305::new((&key).into())
        .decrypt(
            XNonce::from_slice(&blob[36..HEADER]),
            Payload {
                msg: &blob[HEADER..],
                aad: &associated(1, &[0; 32]),
            },
        )
        .expect("the known key opens it");
    assert!(opened.is_empty());
}

#[test]
fn short_or_unmarked_blobs_are_damaged() {
    let phone = device(2);
    assert_eq!(phone.unwrap(1, &[]), Err(WrapError::Damaged));
    assert_eq!(phone.unwrap(1, b"FDw1"), Err(WrapError::Damaged));
    let mut blob = keyring(1).wrap_for(&phone.public(), random(3));
    blob[..4].copy_from_slice(b"FDe1");
    assert_eq!(phone.unwrap(1, &blob), Err(WrapError::Damaged));
}

#[test]
fn a_device_key_text_round_trips() {
    let key = device(7);
    let text = key.to_text();
    assert!(text.starts_with("fdd1."));
    assert_eq!(text.len(), 5 + 64);
    let back = DeviceKey::parse(&text).expect("it parses");
    assert_eq!(back.public(), key.public());
    assert_eq!(back.to_text(), text);
}

#[test]
fn bad_device_key_texts_are_refused() {
    let hex64 = "ab".repeat(32);
    for bad in [
        String::new(),
        "fdd1".into(),
        "fdd1.".into(),
        hex64.clone(),
        format!("fdk1.{hex64}"),
        format!("fdd2.{hex64}"),
        format!("fdd1{hex64}"),
        format!("fdd1.{}", &hex64[..62]),
        format!("fdd1.{hex64}00"),
        format!("fdd1.{}zz", &hex64[..62]),
        format!("fdd1.{}é", &hex64[..62]),
    ] {
        assert_eq!(
            DeviceKey::parse(&bad).map(|_| ()),
            Err(WrapError::BadText),
            "{bad:?}"
        );
    }
}

#[test]
fn a_device_key_debug_shows_no_secret() {
    let key = device(0x5c);
    let shown = format!("{key:?}");
    let secret = hex::encode([0x5c; 32]);
    assert!(!shown.contains(&secret[..8]), "{shown}");
    assert_eq!(
        shown,
        format!("DeviceKey(public {}…)", &hex::encode(key.public())[..8])
    );
}

#[test]
fn vouches_need_the_same_keyring_and_epoch() {
    let mut keys = keyring(1);
    keys.rotate([2; 32]);
    let public = device(3).public();
    let (epoch, proof) = keys.vouch("tok-1", &public, "Front desk 2");
    assert_eq!(epoch, 2);
    assert!(keys.vouches(2, "tok-1", &public, "Front desk 2", &proof));
    assert!(!keys.vouches(1, "tok-1", &public, "Front desk 2", &proof));
    assert!(!keys.vouches(3, "tok-1", &public, "Front desk 2", &proof));
    // Another organisation with the very same content keys does not vouch alike.
    let mut other = Keyring::generate([9; 48]);
    other.keys = keys.keys.clone();
    assert!(!other.vouches(2, "tok-1", &public, "Front desk 2", &proof));
    // An older epoch's key vouches on its own.
    let mut older = keyring(1);
    let (one, proof_one) = older.vouch("tok-1", &public, "Front desk 2");
    assert!(keys.vouches(one, "tok-1", &public, "Front desk 2", &proof_one));
    older.rotate([5; 32]);
    assert!(!older.vouches(2, "tok-1", &public, "Front desk 2", &proof));
}

proptest! {
    #[test]
    fn any_cut_or_changed_blob_is_refused(
        seed in any::<u8>(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        bits in 1u8..=255,
    ) {
        let keys = keyring(seed);
        let phone = device(seed.wrapping_add(1));
        let blob = keys.wrap_for(&phone.public(), random(seed.wrapping_add(2)));
        prop_assert!(phone.unwrap(1, &blob).is_ok());
        let short = &blob[..cut.index(blob.len())];
        prop_assert_eq!(phone.unwrap(1, short), Err(WrapError::Damaged));
        let mut changed = blob.clone();
        changed[flip.index(blob.len())] ^= bits;
        prop_assert_eq!(phone.unwrap(1, &changed), Err(WrapError::Damaged));
        let mut longer = blob;
        longer.push(bits);
        prop_assert_eq!(phone.unwrap(1, &longer), Err(WrapError::Damaged));
    }

    #[test]
    fn an_enrolment_proof_checks_only_for_its_inputs(
        secret in any::<[u8; 16]>(),
        other_secret in any::<[u8; 16]>(),
        token in "[a-z0-9-]{0,24}",
        other_token in "[a-z0-9-]{0,24}",
        name in "\\PC{0,30}",
        other_name in "\\PC{0,30}",
        public in any::<[u8; 32]>(),
        flip in 0usize..32,
    ) {
        let proof = enrolment_proof(&secret, &token, &public, &name);
        prop_assert!(check_enrolment(&secret, &token, &public, &name, &proof));
        prop_assert_eq!(secret != other_secret, !check_enrolment(&other_secret, &token, &public, &name, &proof));
        prop_assert_eq!(token != other_token, !check_enrolment(&secret, &other_token, &public, &name, &proof));
        prop_assert_eq!(name != other_name, !check_enrolment(&secret, &token, &public, &other_name, &proof));
        let mut other_public = public;
        other_public[flip] ^= 1;
        prop_assert!(!check_enrolment(&secret, &token, &other_public, &name, &proof));
        let mut bad = proof;
        bad[flip] ^= 1;
        prop_assert!(!check_enrolment(&secret, &token, &public, &name, &bad));
        // A keyholder's proof over the same inputs is not an enrolment proof.
        let (_, vouch) = keyring(1).vouch(&token, &public, &name);
        prop_assert!(!check_enrolment(&secret, &token, &public, &name, &vouch));
    }

    #[test]
    fn a_vouch_checks_only_for_its_inputs(
        seed in any::<u8>(),
        token in "[a-z0-9-]{0,24}",
        other_token in "[a-z0-9-]{0,24}",
        name in "\\PC{0,30}",
        other_name in "\\PC{0,30}",
        public in any::<[u8; 32]>(),
        flip in 0usize..32,
    ) {
        let keys = keyring(seed);
        let (epoch, proof) = keys.vouch(&token, &public, &name);
        prop_assert!(keys.vouches(epoch, &token, &public, &name, &proof));
        prop_assert_eq!(token != other_token, !keys.vouches(epoch, &other_token, &public, &name, &proof));
        prop_assert_eq!(name != other_name, !keys.vouches(epoch, &token, &public, &other_name, &proof));
        let mut other_public = public;
        other_public[flip] ^= 1;
        prop_assert!(!keys.vouches(epoch, &token, &other_public, &name, &proof));
        prop_assert!(!keyring(seed.wrapping_add(1)).vouches(epoch, &token, &public, &name, &proof));
        // An enrolment proof over the same inputs is not a vouch.
        let enrol = enrolment_proof(&[seed; 16], &token, &public, &name);
        prop_assert!(!keys.vouches(epoch, &token, &public, &name, &enrol));
    }
}
