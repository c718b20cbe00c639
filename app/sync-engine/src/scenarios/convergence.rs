//! Convergence under random partitions: three desks book, lose and regain the network and
//! see the relay drop everyone, in any order proptest draws; once the network settles every
//! desk shows every booking.

use proptest::prelude::*;

use super::{month, Faults, Net};

#[derive(Clone, Debug)]
enum Op {
    Book(usize),
    Network(usize, bool),
    DropAll,
    Settle,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize).prop_map(Op::Book),
        2 => (0..3usize, any::<bool>()).prop_map(|(p, up)| Op::Network(p, up)),
        1 => Just(Op::DropAll),
        2 => Just(Op::Settle),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random partitions, duplicates and reordering: once the network heals, every device
    /// holds every booking exactly once and all devices agree.
    #[test]
    fn convergence_under_random_partitions(
        ops in proptest::collection::vec(op(), 1..40),
        duplicate in any::<bool>(),
        reorder in any::<bool>(),
    ) {
        let names = ["desk_a", "desk_b", "manager_phone"];
        let mut net = Net::new(&names);
        net.faults = Faults { duplicate, reorder };
        let mut booked = Vec::new();
        for op in ops {
            match op {
                Op::Book(p) => {
                    let patient = format!("Patient {}", booked.len());
                    net.book(names[p], &patient, "2026-11-23T15:00");
                    booked.push(patient);
                }
                Op::Network(p, up) => net.set_network(names[p], up),
                Op::DropAll => net.drop_all_connections(),
                Op::Settle => net.settle(),
            }
            net.step();
        }
        for name in names {
            net.set_network(name, true);
        }
        net.faults = Faults::default();
        net.settle();
        let expected: Vec<&str> = booked.iter().map(String::as_str).collect();
        net.assert_converged(&expected);
        prop_assert_eq!(net.relay.log_len(&month()), booked.len());
    }
}
