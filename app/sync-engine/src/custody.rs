//! Who holds the organisation's keys, and how they reach a device: the decisions, without
//! IO, that the browser driver and the native test devices share.
//!
//! - Every device sends its public key (`Enrol`): with a proof keyed by the content key
//!   once it holds the keys (a *holder*), or by the one-time secret of its enrolment link
//!   before.
//! - Keys are wrapped for one device (a token and a public key: several devices may share
//!   a token). A manager's device wraps them for a device whose link secret it made, when a
//!   person approves it ([`approve`]); for every holder whose wrapped keys are older than
//!   the current epoch, by itself ([`plan`]); and, when the relay says a token was revoked
//!   since the newest keys, it makes a new epoch and wraps it for the holders still
//!   enrolled, adopting it only once the relay stored it, so that two managers rotating at
//!   once never seal with two keys of one epoch.
//! - A device opens what was wrapped for it ([`receive`]).

use protocol::{ClientMessage, DeviceToken, Enrolment, WrappedKey};

use crate::seal::wrap::{check_enrolment, enrolment_proof, DeviceKey, WrapError};
use crate::seal::Keyring;

/// The message that sends this device's public key: vouched for with the keys it holds,
/// or proved with its link's secret; `None` when it has neither (nothing to prove).
pub fn enrol(
    device: &DeviceKey,
    token_id: &str,
    name: &str,
    keyring: Option<&Keyring>,
    link_secret: Option<&[u8; 16]>,
) -> Option<ClientMessage> {
    let public = device.public();
    let (epoch, proof) = match (keyring, link_secret) {
        (Some(keyring), _) => keyring.vouch(token_id, &public, name),
        (None, Some(secret)) => (0, enrolment_proof(secret, token_id, &public, name)),
        (None, None) => return None,
    };
    Some(ClientMessage::Enrol {
        public,
        epoch,
        proof,
    })
}

/// Whether the device that sent `device` with `token` is live and vouched for by a holder
/// of `keyring`: keys go to it without a person's approval.
pub fn is_holder(keyring: &Keyring, token: &DeviceToken, device: &Enrolment) -> bool {
    token.revoked_secs.is_none()
        && device.epoch > 0
        && keyring.vouches(
            device.epoch,
            &token.id,
            &device.public,
            &device.name,
            &device.proof,
        )
}

/// Whether `secret` (kept by the manager's device that made a link) proves the key of
/// `device` of `token`: the device that opened that link asks for the keys.
pub fn opened_link(secret: &[u8; 16], token: &DeviceToken, device: &Enrolment) -> bool {
    token.revoked_secs.is_none()
        && device.epoch == 0
        && check_enrolment(
            secret,
            &token.id,
            &device.public,
            &device.name,
            &device.proof,
        )
}

/// What a manager's device does after the relay listed the organisation's devices.
#[derive(Debug, Default)]
pub struct Plan {
    /// The message to send, if any.
    pub post: Option<ClientMessage>,
    /// A rotation's new keyring, to adopt once the relay answers that it stored it.
    pub rotated: Option<Keyring>,
}

/// Rotates when `rotate` (a token was revoked since the newest keys), else wraps the
/// current keys for every holder that lacks them. `random` gives 32 bytes for a new key
/// and 56 per wrapped key.
pub fn plan(
    keyring: &Keyring,
    devices: &[DeviceToken],
    rotate: bool,
    mut random: impl FnMut() -> [u8; 56],
) -> Plan {
    let holders = devices.iter().flat_map(|t| {
        t.enrolments
            .iter()
            .filter(move |e| is_holder(keyring, t, e))
            .map(move |e| (t, e))
    });
    if rotate {
        let mut next = keyring.clone();
        let mut key = [0; 32];
        key.copy_from_slice(&random()[..32]);
        next.rotate(key);
        let keys = holders.map(|(t, e)| wrap(&next, t, e, random())).collect();
        return Plan {
            post: Some(ClientMessage::PostKeys {
                epoch: next.epoch(),
                rotation: true,
                keys,
            }),
            rotated: Some(next),
        };
    }
    let keys: Vec<_> = holders
        .filter(|(_, e)| e.key_epoch.is_none_or(|k| k < keyring.epoch()))
        .map(|(t, e)| wrap(keyring, t, e, random()))
        .collect();
    Plan {
        post: (!keys.is_empty()).then(|| ClientMessage::PostKeys {
            epoch: keyring.epoch(),
            rotation: false,
            keys,
        }),
        rotated: None,
    }
}

/// Why a device was not approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No device of the token proves its key with this link's secret.
    NotThisLink,
    /// Several do: the link was opened on more than one device, and which is the right one
    /// cannot be told apart.
    OpenedTwice,
}

/// The keys wrapped for the one device of `token` that opened the link of `secret`, when a
/// person approved it, salted with the secret so that only that device opens them.
pub fn approve(
    keyring: &Keyring,
    token: &DeviceToken,
    secret: &[u8; 16],
    random: [u8; 56],
) -> Result<ClientMessage, Refusal> {
    let mut asking = token
        .enrolments
        .iter()
        .filter(|e| opened_link(secret, token, e));
    let device = asking.next().ok_or(Refusal::NotThisLink)?;
    if asking.next().is_some() {
        return Err(Refusal::OpenedTwice);
    }
    Ok(ClientMessage::PostKeys {
        epoch: keyring.epoch(),
        rotation: false,
        keys: vec![WrappedKey {
            token: token.id.clone(),
            public: device.public,
            epoch: keyring.epoch(),
            blob: keyring.wrap_for_link(&device.public, secret, random),
        }],
    })
}

fn wrap(
    keyring: &Keyring,
    token: &DeviceToken,
    device: &Enrolment,
    random: [u8; 56],
) -> WrappedKey {
    WrappedKey {
        token: token.id.clone(),
        public: device.public,
        epoch: keyring.epoch(),
        blob: keyring.wrap_for(&device.public, random),
    }
}

/// Why keys wrapped for this device were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    #[error("{0}")]
    Wrap(#[from] WrapError),
    /// They belong to another organisation, disagree with keys the device holds, or skip
    /// an epoch.
    #[error("the keys sent are another organisation's, disagree with the keys this device holds, or skip a key")]
    Foreign,
}

/// The keyring this device holds after the keys the relay sent: `None` when they add
/// nothing. A wrapped key that does not open is an error and changes nothing; the others
/// still count. A device without keys takes only keys wrapped with its link's secret
/// (`link`; without one it takes none), so that the relay cannot give it keys of its own;
/// and every keyring taken must hold each epoch from the first, without a gap.
pub fn receive(
    device: &DeviceKey,
    held: Option<&Keyring>,
    link: Option<&[u8; 16]>,
    keys: &[WrappedKey],
) -> (Option<Keyring>, Vec<ReceiveError>) {
    if held.is_none() && link.is_none() {
        return (None, Vec::new());
    }
    let mut ring = held.cloned();
    let mut errors = Vec::new();
    // Keys of epochs the device holds add nothing (and need not open: after a move to
    // another device key, older wrappings are for the old one).
    let newer = keys
        .iter()
        .filter(|k| held.is_none_or(|h| k.epoch > h.epoch()));
    for key in newer {
        let opened = match (held, link) {
            (None, Some(secret)) => device.unwrap_for_link(key.epoch, &key.blob, secret),
            _ => device.unwrap(key.epoch, &key.blob),
        };
        match opened {
            Ok(opened) if !opened.is_whole() => errors.push(ReceiveError::Foreign),
            Ok(opened) => match &mut ring {
                None => ring = Some(opened),
                Some(ring) => {
                    if !ring.absorb(&opened) {
                        errors.push(ReceiveError::Foreign);
                    }
                }
            },
            Err(e) => errors.push(e.into()),
        }
    }
    let grew = match (&ring, held) {
        (Some(ring), Some(held)) => !held.covers(ring),
        (Some(_), None) => true,
        (None, _) => false,
    };
    (ring.filter(|_| grew), errors)
}

#[cfg(test)]
mod tests;
