//! An appointment moved to another month, with the device crashing at every point of the
//! move: before its storage took the change, after, and after the relay took only part of
//! it. Wherever the crash falls, once the device is back every device holds the appointment
//! in exactly one month; a device that saw only part of the move meanwhile held it twice
//! for a moment (one id), never not at all.

use chrono::NaiveDate;
use protocol::{ClientMessage, DocId, Wire};

use super::{month, Net};
use crate::Effect;
use model::appointment::parse_local_datetime;
use model::schedule::series::relocate;
use model::schedule::Schedule;
use model::{Appointment, AppointmentId, DocumentError};

fn december() -> DocId {
    DocId::new("schedule/main/2026-12").expect("valid")
}

fn first_of_december() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid")
}

/// Where the device stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Crash {
    /// The change is on screen, but the storage transaction never committed.
    BeforeStoring,
    /// Stored (both months in one transaction), nothing sent.
    AfterStoring,
    /// Stored, and the relay took the push of the month it goes to, not the other.
    AfterFirstPush,
    /// No crash.
    Never,
}

/// The months of `device`'s copy that hold `id`.
fn months_holding(net: &Net, device: usize, id: &AppointmentId) -> Vec<String> {
    [month(), december()]
        .into_iter()
        .filter(|doc| {
            net.peers[device].replica.doc(doc).is_some_and(|d| {
                Schedule::read(d.automerge())
                    .expect("readable")
                    .appointments
                    .iter()
                    .any(|a| &a.id == id)
            })
        })
        .map(|doc| {
            doc.as_str()
                .trim_start_matches("schedule/main/")
                .to_string()
        })
        .collect()
}

/// Moves the appointment booked on desk A to December, stopping at `crash`; desk A comes
/// back from its storage. Returns the months each device holds it in at the end.
fn move_with_crash(crash: Crash) -> (Vec<String>, Vec<String>) {
    let mut net = Net::new(&["desk_a", "desk_b"]);
    let (a, b) = (net.peer("desk_a"), net.peer("desk_b"));
    for i in [a, b] {
        let effects = net.peers[i]
            .replica
            .ensure_open(&december(), 0)
            .expect("known doc");
        net.carry_out(i, effects);
    }
    net.book("desk_a", "Sam Sample", "2026-11-30T09:00");
    net.settle();
    let id = net.schedule(b).appointments[0].id.clone();
    assert_eq!(months_holding(&net, b, &id), ["2026-11"]);

    let step = |mut a: Appointment| -> Result<Option<Appointment>, DocumentError> {
        a.start = parse_local_datetime("2026-12-07T09:00").expect("valid");
        Ok(Some(a))
    };
    let docs = [december(), month()];
    let peer = &mut net.peers[a];
    let (moved, bundles, effects) = peer
        .replica
        .edit_many(&docs, 0, |d| relocate(d, first_of_december(), &id, &step))
        .expect("moves");
    assert!(moved);
    assert_eq!(bundles.len(), 2, "one change in each month");
    net.carry_out(a, effects);
    assert_eq!(
        months_holding(&net, a, &id),
        ["2026-12"],
        "on screen at once"
    );

    if crash == Crash::BeforeStoring {
        net.restart("desk_a");
    } else {
        let peer = &mut net.peers[a];
        for (doc, bundle) in &bundles {
            peer.store_local(doc, bundle);
        }
        if crash == Crash::AfterStoring {
            net.restart("desk_a");
        } else {
            let mut effects = Vec::new();
            for (doc, bundle) in bundles {
                effects.extend(net.peers[a].replica.queue(&doc, bundle, 0));
            }
            if crash == Crash::AfterFirstPush {
                deliver_first_push_only(&mut net, a, effects);
                // Desk B hears what the relay took while desk A is gone.
                net.set_network("desk_a", false);
                net.settle();
                let seen = months_holding(&net, b, &id);
                assert!(!seen.is_empty(), "desk B lost the appointment: {seen:?}");
                net.restart("desk_a");
            } else {
                net.carry_out(a, effects);
            }
        }
    }
    net.settle();
    (months_holding(&net, a, &id), months_holding(&net, b, &id))
}

/// Carries out `effects` as the device would until its first push has reached the relay,
/// then drops the rest: the device stops there.
fn deliver_first_push_only(net: &mut Net, device: usize, effects: Vec<Effect>) {
    let Some((relay_conn, _)) = net.peers[device].link else {
        panic!("desk A is connected");
    };
    let mut pushed = 0;
    for effect in effects {
        if let Effect::Send(bytes) = effect {
            let is_push = matches!(
                ClientMessage::decode(&bytes),
                Ok(ClientMessage::Push { .. })
            );
            if is_push {
                if pushed == 1 {
                    return;
                }
                pushed += 1;
            }
            net.relay.receive(relay_conn, &bytes);
        }
    }
    assert_eq!(pushed, 1, "the move was pushed");
}

#[test]
fn a_move_across_months_ends_in_exactly_one_month_wherever_the_device_crashes() {
    for (crash, expected) in [
        (Crash::BeforeStoring, "2026-11"),
        (Crash::AfterStoring, "2026-12"),
        (Crash::AfterFirstPush, "2026-12"),
        (Crash::Never, "2026-12"),
    ] {
        let (desk_a, desk_b) = move_with_crash(crash);
        assert_eq!(desk_a, [expected], "desk A after {crash:?}");
        assert_eq!(desk_b, [expected], "desk B after {crash:?}");
    }
}
