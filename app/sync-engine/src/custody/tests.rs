//! Enrolment, approval, catching up and rotation, played out between devices.

use protocol::{ClientMessage, DeviceToken, DocId, Enrolment, WrappedKey};

use super::*;
use crate::seal::OpenError;

/// A device: its key pair, its token's id, its name, and the keys it holds.
struct Device {
    key: DeviceKey,
    token: String,
    name: String,
    ring: Option<Keyring>,
    /// The secret of the link it opened, until it has the keys.
    link: Option<[u8; 16]>,
    revoked: bool,
    enrolled: Option<Enrolment>,
}

impl Device {
    fn new(n: u8, ring: Option<Keyring>) -> Self {
        Self {
            key: DeviceKey::from_random([n; 32]),
            token: format!("tok{n}"),
            name: format!("Front desk {n}"),
            ring,
            link: None,
            revoked: false,
            enrolled: None,
        }
    }

    /// Sends its public key as the relay would store it.
    fn enrol(&mut self, link: Option<&[u8; 16]>) {
        if self.ring.is_none() {
            self.link = link.copied();
        }
        let message = enrol(&self.key, &self.token, &self.name, self.ring.as_ref(), link);
        if let Some(ClientMessage::Enrol {
            public,
            epoch,
            proof,
        }) = message
        {
            self.enrolled = Some(Enrolment {
                public,
                epoch,
                proof,
                name: self.name.clone(),
                enrolled_secs: 0,
                key_epoch: self.enrolled.as_ref().and_then(|e| e.key_epoch),
            });
        }
    }

    /// What a manager's device sees of it.
    fn listed(&self) -> DeviceToken {
        DeviceToken {
            id: self.token.clone(),
            label: self.name.clone(),
            sites: None,
            created_secs: 0,
            revoked_secs: self.revoked.then_some(1),
            manage: false,
            this_device: false,
            enrolments: self.enrolled.iter().cloned().collect(),
        }
    }

    /// Takes what the relay holds for its token out of a post.
    fn receive(&mut self, post: &ClientMessage) {
        let ClientMessage::PostKeys { keys, .. } = post else {
            panic!("not a post: {post:?}");
        };
        let mine: Vec<WrappedKey> = keys
            .iter()
            .filter(|k| k.token == self.token)
            .cloned()
            .collect();
        let (ring, errors) = receive(&self.key, self.ring.as_ref(), self.link.as_ref(), &mine);
        assert!(errors.is_empty(), "{errors:?}");
        if let Some(ring) = ring {
            if let Some(e) = &mut self.enrolled {
                e.key_epoch = Some(ring.epoch());
            }
            self.ring = Some(ring);
        }
    }
}

fn randoms() -> impl FnMut() -> [u8; 56] {
    let mut n = 0u8;
    move || {
        n = n.wrapping_add(1);
        [n; 56]
    }
}

fn org_keys() -> Keyring {
    Keyring::generate([9; 48])
}

fn listed(devices: &[&Device]) -> Vec<DeviceToken> {
    devices.iter().map(|d| d.listed()).collect()
}

#[test]
fn a_new_device_gets_the_keys_once_approved_with_its_links_secret() {
    let mut manager = Device::new(1, Some(org_keys()));
    let secret = [7; 16];
    let mut tablet = Device::new(2, None);
    tablet.enrol(Some(&secret));
    assert_eq!(tablet.enrolled.as_ref().map(|e| e.epoch), Some(0));
    let ring = manager.ring.clone().expect("keys");
    // Not a holder: nothing goes to it without approval (the manager's own device, a
    // holder without wrapped keys yet, gets its own).
    manager.enrol(None);
    let post = plan(&ring, &listed(&[&manager, &tablet]), false, randoms()).post;
    let Some(ClientMessage::PostKeys { keys, .. }) = post else {
        panic!("the manager's own keys");
    };
    assert!(keys.iter().all(|k| k.token == manager.token));
    // Another link's secret does not approve it.
    assert_eq!(
        approve(&ring, &tablet.listed(), &[8; 16], [1; 56]),
        Err(Refusal::NotThisLink)
    );
    let post = approve(&ring, &tablet.listed(), &secret, [1; 56]).expect("approved");
    tablet.receive(&post);
    assert_eq!(tablet.ring.as_ref(), Some(&ring));
    // Holding the keys, it vouches for itself and is a holder from now on.
    tablet.enrol(None);
    let listed = tablet.listed();
    assert!(is_holder(&ring, &listed, &listed.enrolments[0]));
}

#[test]
fn a_link_proof_for_another_key_or_name_does_not_check() {
    let secret = [7; 16];
    let mut tablet = Device::new(2, None);
    tablet.enrol(Some(&secret));
    let mut swapped = tablet.listed();
    if let Some(e) = &mut swapped.enrolments.first_mut() {
        e.public = DeviceKey::from_random([66; 32]).public();
    }
    assert!(
        !opened_link(&secret, &swapped, &swapped.enrolments[0]),
        "the relay swapped the public key"
    );
    let mut renamed = tablet.listed();
    if let Some(e) = &mut renamed.enrolments.first_mut() {
        e.name = "Somebody else".into();
    }
    assert!(!opened_link(&secret, &renamed, &renamed.enrolments[0]));
    let mut moved = tablet.listed();
    moved.id = "tok9".into();
    assert!(
        !opened_link(&secret, &moved, &moved.enrolments[0]),
        "moved to another token"
    );
}

#[test]
fn holders_behind_the_current_epoch_are_caught_up_and_forged_vouches_are_not() {
    let ring = org_keys();
    let mut a = Device::new(1, Some(ring.clone()));
    let mut b = Device::new(2, Some(ring.clone()));
    let mut forged = Device::new(3, None);
    a.enrol(None);
    b.enrol(None);
    forged.enrol(Some(&[1; 16]));
    if let Some(e) = &mut forged.enrolled {
        e.epoch = 1;
    }
    if let Some(e) = &mut a.enrolled {
        e.key_epoch = Some(1);
    }
    let plan = plan(&ring, &listed(&[&a, &b, &forged]), false, randoms());
    let Some(ClientMessage::PostKeys { keys, rotation, .. }) = &plan.post else {
        panic!("a post: {plan:?}");
    };
    assert!(!rotation);
    let to: Vec<_> = keys.iter().map(|k| k.token.as_str()).collect();
    assert_eq!(to, ["tok2"], "only b lacks them");
}

/// After revoking device C, devices A and B read what is sealed with the new key; C, with
/// everything it held, cannot.
#[test]
fn rotation_after_a_revocation_leaves_the_revoked_device_behind() {
    let ring = org_keys();
    let (mut a, mut b, mut c) = (
        Device::new(1, Some(ring.clone())),
        Device::new(2, Some(ring.clone())),
        Device::new(3, Some(ring.clone())),
    );
    for d in [&mut a, &mut b, &mut c] {
        d.enrol(None);
    }
    c.revoked = true;
    let plan = plan(&ring, &listed(&[&a, &b, &c]), true, randoms());
    let post = plan.post.expect("a rotation");
    let ClientMessage::PostKeys {
        epoch,
        rotation,
        keys,
    } = &post
    else {
        panic!("a post");
    };
    assert_eq!((*epoch, *rotation), (2, true));
    assert!(!keys.iter().any(|k| k.token == c.token), "nothing for C");
    let next = plan.rotated.expect("the new keyring");
    assert_eq!(next.epoch(), 2);
    b.receive(&post);
    c.receive(&post);
    assert_eq!(b.ring.as_ref(), Some(&next));
    let doc = DocId::new("schedule/main/2026-12").expect("id");
    let sealed = next.seal(&doc, b"a booking", [5; 24]);
    let b_ring = b.ring.as_ref().expect("b's keys");
    assert_eq!(b_ring.open(&doc, &sealed).as_deref(), Ok(&b"a booking"[..]));
    let c_ring = c.ring.as_ref().expect("c's old keys");
    assert_eq!(
        c_ring.open(&doc, &sealed),
        Err(OpenError::NoKey { epoch: 2 })
    );
    // C's own key pair opens none of the wrapped keys either.
    for key in keys {
        assert!(c.key.unwrap(key.epoch, &key.blob).is_err());
    }
}

#[test]
fn keys_that_do_not_open_or_belong_elsewhere_change_nothing() {
    let ring = org_keys();
    let device = DeviceKey::from_random([4; 32]);
    let wrapped = |ring: &Keyring, blob: Vec<u8>| WrappedKey {
        token: "tok4".into(),
        public: device.public(),
        epoch: ring.epoch(),
        blob,
    };
    let mut next = ring.clone();
    next.rotate([6; 32]);
    let mut blob = next.wrap_for(&device.public(), [3; 56]);
    let last = blob.len() - 1;
    blob[last] ^= 1;
    let (got, errors) = receive(&device, Some(&ring), None, &[wrapped(&next, blob)]);
    assert!(got.is_none());
    assert_eq!(errors, [ReceiveError::Wrap(WrapError::Damaged)]);
    let link = [6; 16];
    let (got, errors) = receive(&device, None, Some(&link), &[wrapped(&ring, vec![0; 100])]);
    assert!(got.is_none(), "a device without keys gets none from damage");
    assert_eq!(errors, [ReceiveError::Wrap(WrapError::Damaged)]);
    // Without keys, only keys wrapped with its link's secret open: the relay, which never
    // saw the secret, cannot give it keys of its own; and without a link it takes none.
    let relays = wrapped(&ring, ring.wrap_for(&device.public(), [7; 56]));
    let (got, errors) = receive(&device, None, Some(&link), std::slice::from_ref(&relays));
    assert_eq!(
        (got, errors),
        (None, vec![ReceiveError::Wrap(WrapError::Damaged)])
    );
    assert_eq!(receive(&device, None, None, &[relays]), (None, Vec::new()));
    let linked = wrapped(&ring, ring.wrap_for_link(&device.public(), &link, [7; 56]));
    assert_eq!(
        receive(&device, None, Some(&link), &[linked]).0,
        Some(ring.clone())
    );
    // A keyring that skips an epoch was not made by rotating.
    let mut gap = ring.clone();
    gap.rotate([1; 32]);
    gap.rotate([2; 32]);
    let skipped = Keyring::parse(
        &gap.to_text()
            .replace(&format!(".2-{}", hex::encode([1u8; 32])), ""),
    )
    .expect("parses");
    assert!(!skipped.is_whole());
    let sneaky = wrapped(&skipped, skipped.wrap_for(&device.public(), [8; 56]));
    let (got, errors) = receive(&device, Some(&ring), None, &[sneaky]);
    assert_eq!((got, errors), (None, vec![ReceiveError::Foreign]));
    let mut stranger = Keyring::generate([1; 48]);
    stranger.rotate([2; 32]);
    let foreign = wrapped(&stranger, stranger.wrap_for(&device.public(), [2; 56]));
    let (got, errors) = receive(&device, Some(&ring), None, &[foreign]);
    assert!(got.is_none());
    assert_eq!(errors, [ReceiveError::Foreign]);
    // Already held: nothing new, and an old wrapping that no longer opens (for this
    // device's earlier key) is not an error either.
    let same = wrapped(&ring, ring.wrap_for(&device.public(), [2; 56]));
    let stale = wrapped(&ring, vec![1; 100]);
    assert_eq!(
        receive(&device, Some(&ring), None, &[same, stale]),
        (None, Vec::new())
    );
    let newer = wrapped(&next, next.wrap_for(&device.public(), [5; 56]));
    assert_eq!(receive(&device, Some(&ring), None, &[newer]).0, Some(next));
}

/// A link opened on two devices (one of them an intruder's) approves neither: which one is
/// the manager's tablet cannot be told apart.
#[test]
fn a_link_opened_twice_approves_no_one() {
    let ring = org_keys();
    let secret = [7; 16];
    let mut tablet = Device::new(2, None);
    let mut intruder = Device::new(3, None);
    intruder.token = tablet.token.clone();
    intruder.name = tablet.name.clone();
    tablet.enrol(Some(&secret));
    intruder.enrol(Some(&secret));
    let mut listed = tablet.listed();
    listed.enrolments.extend(intruder.enrolled.clone());
    assert_eq!(
        approve(&ring, &listed, &secret, [1; 56]),
        Err(Refusal::OpenedTwice)
    );
}
