use super::*;
use crate::appointment::{format_local_datetime, StatusChange, ValidBooking};
use crate::schedule::{self, Who};
use crate::ProviderId;

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

/// An appointment at `start` whose history is `steps` (status, time), the last its status.
fn visit(start: &str, steps: &[(Status, &str)]) -> Appointment {
    let booking = ValidBooking::new("Lee Sample", ProviderId::from("dr-a"), at(start), 20);
    let who = Who {
        device: "Desk".into(),
        staff: None,
    };
    let mut a =
        schedule::new_appointment(&booking, booking.start, None, &who, at("2026-11-01T09:00"));
    for &(status, when) in steps {
        a.history.push(StatusChange {
            status,
            at: format_local_datetime(at(when)),
            device: "Desk".into(),
            staff: None,
            room: None,
            note: None,
        });
        a.status = status;
    }
    a
}

/// Two weeks worked out by hand; the week before them is empty.
fn fixture() -> Vec<Appointment> {
    use Status::*;
    let mut late = visit("2026-12-03T11:00", &[(Cancelled, "2026-12-03T08:00")]);
    late.late_cancel = true;
    vec![
        // Week of 30 November: 5 booked, 3 came due, 1 no-show, 1 late cancel, 1
        // confirmed, waits of 10 and 30 minutes.
        visit(
            "2026-12-01T09:00",
            &[
                (Confirmed, "2026-11-30T15:00"),
                (Arrived, "2026-12-01T08:55"),
                (InRoom, "2026-12-01T09:05"),
                (Fulfilled, "2026-12-01T09:25"),
            ],
        ),
        visit(
            "2026-12-02T10:00",
            &[
                (Arrived, "2026-12-02T10:00"),
                (InRoom, "2026-12-02T10:30"),
                (Fulfilled, "2026-12-02T10:50"),
            ],
        ),
        visit("2026-12-02T11:00", &[(NoShow, "2026-12-02T11:20")]),
        late,
        visit("2026-12-04T11:00", &[(Cancelled, "2026-11-20T08:00")]),
        visit("2026-12-04T12:00", &[(EnteredInError, "2026-12-01T08:00")]),
        // Week of 7 December, at noon on the 8th: 3 booked, 2 came due, 1 confirmed, a
        // wait of 5 minutes; one still to come.
        visit(
            "2026-12-07T09:00",
            &[
                (Arrived, "2026-12-07T09:00"),
                (InRoom, "2026-12-07T09:05"),
                (Fulfilled, "2026-12-07T09:30"),
            ],
        ),
        visit("2026-12-09T09:00", &[]),
        visit("2026-12-08T10:00", &[(Confirmed, "2026-12-07T16:00")]),
        // Outside the weeks asked for.
        visit("2026-11-20T09:00", &[(NoShow, "2026-11-20T09:30")]),
    ]
}

#[test]
fn weeks_run_monday_to_sunday_oldest_first() {
    let weeks = Week::last(day("2026-12-08"), 3);
    let mondays: Vec<_> = weeks.iter().map(|w| w.monday).collect();
    assert_eq!(
        mondays,
        [day("2026-11-23"), day("2026-11-30"), day("2026-12-07")]
    );
    assert_eq!(Week::of(day("2026-12-13")).monday, day("2026-12-07"));
    assert_eq!(weeks[2].label(), "7 Dec");
}

#[test]
fn each_weeks_figures_are_what_was_worked_out_by_hand() {
    let weeks = Week::last(day("2026-12-08"), 3);
    let figures = weekly(&fixture(), &weeks, at("2026-12-08T12:00"));
    // (booked, came due, no-shows, late cancels, confirmed, waits)
    let counts: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                f.booked,
                f.came_due,
                f.no_shows,
                f.late_cancels,
                f.confirmed,
                f.waits.clone(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (0, 0, 0, 0, 0, vec![]),
            (5, 3, 1, 1, 1, vec![10, 30]),
            (3, 2, 0, 0, 1, vec![5]),
        ]
    );
    let rates: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                f.no_show_rate(),
                f.late_cancel_rate(),
                f.confirmation_rate(),
                f.median_wait(),
                f.p90_wait(),
            )
        })
        .collect();
    assert_eq!(
        rates,
        [
            (None, None, None, None, None),
            (Some(33), Some(20), Some(33), Some(10), Some(30)),
            (Some(0), Some(0), Some(50), Some(5), Some(5)),
        ]
    );
    assert_eq!(
        csv(&figures[1..2]),
        "week_from,booked,came_due,no_shows,no_show_percent,late_cancels,late_cancel_percent,confirmed_percent,wait_median_minutes,wait_p90_minutes\r\n2026-11-30,5,3,1,33,1,20,33,10,30\r\n"
    );
}

#[test]
fn percentiles_take_the_nearest_rank() {
    let waits: Vec<i64> = (1..=10).collect();
    assert_eq!(rank(&waits, 50), Some(5));
    assert_eq!(rank(&waits, 90), Some(9));
    assert_eq!(rank(&[7], 90), Some(7));
    assert_eq!(rank(&[], 50), None);
}
