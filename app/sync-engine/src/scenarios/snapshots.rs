//! A snapshot and the tail after it give the same document as the whole log: random
//! histories of two desks (bookings, check-ins, cancellations), sealed as they leave the
//! device, cut at a random point; the snapshot is sealed like a bundle and opened the way a
//! device opens what the relay sends.

use automerge::ActorId;
use chrono::NaiveDate;
use proptest::prelude::*;

use super::month;
use crate::seal::{open_any, Keyring, Sealer};
use model::appointment::{Status, ValidBooking};
use model::schedule::{self, Schedule, Who};
use model::{Document, ProviderId};

#[derive(Clone, Debug)]
enum Op {
    /// Desk `0` or `1` books at minute `30 * slot` past 8:00.
    Book(usize, u8),
    /// Desk checks in, or cancels, the appointment at this index of what it sees.
    CheckIn(usize, usize),
    Cancel(usize, usize),
    /// The desks exchange what they wrote.
    Merge,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 0..16u8).prop_map(|(d, s)| Op::Book(d, s)),
        2 => (0..2usize, 0..8usize).prop_map(|(d, i)| Op::CheckIn(d, i)),
        1 => (0..2usize, 0..8usize).prop_map(|(d, i)| Op::Cancel(d, i)),
        2 => Just(Op::Merge),
    ]
}

/// What a person sees of a month: each appointment with its status, in order.
fn shown(doc: &Document) -> Vec<(String, Status)> {
    let mut seen: Vec<_> = Schedule::read(doc.automerge())
        .expect("readable")
        .appointments
        .into_iter()
        .map(|a| (format!("{} {}", a.id, a.patient_name), a.status))
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    seen
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn snapshot_and_tail_equal_the_whole_log(
        ops in proptest::collection::vec(op(), 1..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let id = month();
        let keys = Keyring::generate([3; 48]);
        let mut sealer = Sealer::new(keys.clone(), [4; 32]);
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a day");
        let now = day.and_hms_opt(7, 0, 0).expect("a time");
        let mut desks = [0u8, 1].map(|n| {
            Document::new(&id, &ActorId::from([n + 1; 16])).expect("a month")
        });
        // The relay's log: every bundle, sealed, in the order the desks pushed them.
        let mut log: Vec<Vec<u8>> = Vec::new();
        for (n, op) in ops.iter().enumerate() {
            let bundle = match op {
                Op::Merge => {
                    for entry in &log {
                        let plain = open_any(Some(&keys), &id, entry).expect("opens");
                        for desk in desks.iter_mut() {
                            desk.apply(&plain).expect("merges");
                        }
                    }
                    continue;
                }
                Op::Book(d, slot) => {
                    let start = now + chrono::TimeDelta::minutes(60 + 30 * i64::from(*slot));
                    let booking = ValidBooking::new(&format!("Patient {n}"), ProviderId::from("dr-a"), start, 20);
                    let who = Who { device: format!("desk {d}"), staff: None };
                    desks[*d].change(|am| schedule::book(am, &booking, &who, now).map(|_| ()))
                }
                Op::CheckIn(d, i) | Op::Cancel(d, i) => {
                    let seen = Schedule::read(desks[*d].automerge()).expect("readable").appointments;
                    let Some(a) = seen.get(*i) else { continue };
                    let who = Who { device: format!("desk {d}"), staff: None };
                    let id = a.id.clone();
                    desks[*d].change(|am| match op {
                        Op::CheckIn(..) => schedule::set_status(am, &id, Status::Arrived, None, &who, now),
                        _ => schedule::cancel(am, &id, "", &who, now),
                    })
                }
            };
            // A refused change (a check-in of a cancelled one) writes nothing.
            if let Ok((_, Some(plain))) = bundle {
                log.push(sealer.seal(&id, &plain));
            }
        }
        let cut = if log.is_empty() { 0 } else { cut.index(log.len() + 1) };

        let replay = |entries: &[Vec<u8>]| {
            let mut doc = Document::new(&id, &ActorId::from([9; 16])).expect("a month");
            for entry in entries {
                let plain = open_any(Some(&keys), &id, entry).expect("opens");
                doc.apply(&plain).expect("merges");
            }
            doc
        };
        let mut whole = replay(&log);
        // The device that makes the snapshot holds the log up to the cut.
        let mut upto = replay(&log[..cut]);
        let snapshot = sealer.seal(&id, &upto.save());
        let mut caught_up = Document::new(&id, &ActorId::from([8; 16])).expect("a month");
        let plain = open_any(Some(&keys), &id, &snapshot).expect("the snapshot opens");
        caught_up.apply(&plain).expect("the snapshot merges");
        for entry in &log[cut..] {
            let plain = open_any(Some(&keys), &id, entry).expect("opens");
            caught_up.apply(&plain).expect("merges");
        }
        prop_assert_eq!(shown(&caught_up), shown(&whole));
        let (mut a, mut b) = (caught_up.heads(), whole.heads());
        a.sort();
        b.sort();
        prop_assert_eq!(a, b, "the same changes");
    }
}
