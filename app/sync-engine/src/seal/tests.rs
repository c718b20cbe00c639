use proptest::prelude::*;

use super::*;

fn doc(name: &str) -> DocId {
    DocId::new(name).expect("a valid id")
}

fn keyring(byte: u8) -> Keyring {
    Keyring::generate([byte; 48])
}

proptest! {
    #[test]
    fn a_sealed_bundle_opens_to_the_same_bytes(
        plain in proptest::collection::vec(any::<u8>(), 0..2000),
        nonce in any::<[u8; 24]>(),
    ) {
        let keys = keyring(7);
        let id = doc("schedule/main/2026-11");
        let sealed = keys.seal(&id, &plain, nonce);
        prop_assert_eq!(sealed.len(), plain.len() + OVERHEAD);
        prop_assert!(is_sealed(&sealed));
        prop_assert_eq!(keys.open(&id, &sealed), Ok(plain.clone()));
        prop_assert_eq!(open_any(Some(&keys), &id, &sealed), Ok(plain));
    }

    /// Another key, another organisation, another document, a byte changed, bytes cut off
    /// or added: none of them opens, and none panics.
    #[test]
    fn a_changed_replayed_or_cut_bundle_is_refused(
        plain in proptest::collection::vec(any::<u8>(), 1..500),
        nonce in any::<[u8; 24]>(),
        flip in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let keys = keyring(7);
        let id = doc("schedule/main/2026-11");
        let sealed = keys.seal(&id, &plain, nonce);

        let other_org = Keyring { org: [9; 16], ..keys.clone() };
        prop_assert_eq!(other_org.open(&id, &sealed), Err(OpenError::Damaged));
        let other_key = Keyring { keys: BTreeMap::from([(1, [8; 32])]), ..keys.clone() };
        prop_assert_eq!(other_key.open(&id, &sealed), Err(OpenError::Damaged));
        // Replayed into another document of the same organisation.
        prop_assert_eq!(keys.open(&doc("schedule/main/2026-12"), &sealed), Err(OpenError::Damaged));

        let mut changed = sealed.clone();
        let i = flip.index(changed.len());
        changed[i] ^= 1 << bit;
        // A changed epoch names a key this device lacks; any other change is damage.
        prop_assert!(keys.open(&id, &changed).is_err());

        let short = &sealed[..cut.index(sealed.len())];
        prop_assert!(keys.open(&id, short).is_err());
        let mut long = sealed.clone();
        long.push(0);
        prop_assert_eq!(keys.open(&id, &long), Err(OpenError::Damaged));
    }

    #[test]
    fn random_bytes_never_open_and_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let keys = keyring(7);
        let mut framed = b"FDe1".to_vec();
        framed.extend_from_slice(&bytes);
        prop_assert!(keys.open(&doc("directory"), &framed).is_err());
        prop_assert!(open_any(None, &doc("directory"), &framed).is_err());
    }
}

#[test]
fn plain_bytes_pass_through_and_sealed_ones_need_a_keyring() {
    let id = doc("directory");
    let plain = b"\x85\x6f\x4a\x83 an automerge change".to_vec();
    assert_eq!(open_any(None, &id, &plain), Ok(plain.clone()));
    let sealed = keyring(1).seal(&id, &plain, [3; 24]);
    assert_eq!(
        open_any(None, &id, &sealed),
        Err(OpenError::NoKey { epoch: 1 })
    );
}

/// After a rotation (a device revoked), the devices given the new key read both epochs;
/// the revoked one, holding only the old key, reads nothing new.
#[test]
fn after_a_rotation_only_the_devices_given_the_new_key_read_new_bundles() {
    let id = doc("schedule/main/2026-11");
    let revoked = keyring(4);
    let mut kept = revoked.clone();
    kept.rotate([5; 32]);
    assert_eq!(kept.epoch(), 2);
    let old = revoked.seal(&id, b"before", [1; 24]);
    let new = kept.seal(&id, b"after", [2; 24]);
    assert_eq!(kept.open(&id, &old), Ok(b"before".to_vec()));
    assert_eq!(kept.open(&id, &new), Ok(b"after".to_vec()));
    assert_eq!(revoked.open(&id, &new), Err(OpenError::NoKey { epoch: 2 }));
    assert!(kept.covers(&revoked) && !revoked.covers(&kept));
}

/// Every epoch up to the newest is held, so a bundle naming a missing older one is forged
/// (not a key still to come), and a keyring takes the epochs another set of the same
/// organisation adds, never another organisation's or a disagreeing one.
#[test]
fn a_missing_older_epoch_is_damage_and_keyrings_of_one_organisation_combine() {
    let id = doc("directory");
    let mut three = keyring(2);
    three.rotate([3; 32]);
    three.rotate([4; 32]);
    let mut forged = three.seal(&id, b"x", [0; 24]);
    forged[4..8].copy_from_slice(&7u32.to_be_bytes());
    assert_eq!(three.open(&id, &forged), Err(OpenError::NoKey { epoch: 7 }));
    let mut gap = three.clone();
    gap.keys.remove(&2);
    forged[4..8].copy_from_slice(&2u32.to_be_bytes());
    assert_eq!(gap.open(&id, &forged), Err(OpenError::Damaged));

    let mut first = keyring(2);
    assert!(first.absorb(&three));
    assert_eq!(first, three);
    assert!(!first.absorb(&keyring(9)));
    let mut other = keyring(2);
    other.keys.insert(2, [9; 32]);
    assert!(!first.absorb(&other), "disagrees on epoch 2");
    assert_eq!(first, three);
}

#[test]
fn a_keyring_reads_back_from_its_text_and_a_damaged_text_is_refused() {
    let mut keys = keyring(6);
    keys.rotate([7; 32]);
    let text = keys.to_text();
    assert!(text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
    assert_eq!(Keyring::parse(&text), Ok(keys.clone()));
    for bad in [
        "",
        "fdk1",
        "fdk2.00",
        &text[..text.len() - 1],
        &format!("{text}.1-{}", "00".repeat(32)),
        &text.replacen(".1-", ".0-", 1),
        &text.replacen(".1-", ".x-", 1),
    ] {
        assert!(Keyring::parse(bad).is_err(), "{bad:?} was taken");
    }
    // Neither the keys nor the text show in a log line.
    let shown = format!("{keys:?}");
    assert!(!shown.contains(&hex::encode([6u8; 32])) && !shown.contains(&hex::encode([7u8; 32])));
}

#[test]
fn a_sealer_never_repeats_a_nonce() {
    let id = doc("directory");
    let mut sealer = Sealer::new(keyring(1), [9; 32]);
    let a = sealer.seal(&id, b"same");
    let b = sealer.seal(&id, b"same");
    assert_ne!(a[8..32], b[8..32]);
    assert_eq!(
        sealer.keyring().open(&id, &a),
        sealer.keyring().open(&id, &b)
    );
}
