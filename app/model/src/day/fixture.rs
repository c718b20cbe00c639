//! A small clinic and appointments for the tests of the day's figures and of the exports.
//! Every name is made up. Appointments are built the way the schedule books them, so that
//! they carry the history a real one has.

use chrono::NaiveDateTime;

use crate::appointment::{format_local_datetime, parse_local_datetime, StatusChange, ValidBooking};
use crate::directory::PALETTE;
use crate::schedule::{new_appointment, Who};
use crate::{
    Appointment, AppointmentType, Directory, Provider, ProviderId, Room, RoomId, Site, SiteId,
    Status, TypeId, WeekHours,
};

/// When every test appointment was booked: before any of their starts.
const BOOKED_AT: &str = "2026-11-20T09:00";
pub(crate) const PROVIDER: &str = "dr-ada";
pub(crate) const ROOM: &str = "room-2";
pub(crate) const TYPE: &str = "follow-up";

pub(crate) fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

pub(crate) fn site() -> Site {
    Site {
        id: SiteId::main(),
        name: "Main Street".into(),
        hours: WeekHours::office(),
    }
}

/// One site with one room, one provider and one appointment type.
pub(crate) fn directory() -> Directory {
    Directory {
        sites: vec![site()],
        rooms: vec![Room {
            id: RoomId::from(ROOM),
            name: "Room 2".into(),
            site: SiteId::main(),
        }],
        types: vec![AppointmentType {
            id: TypeId::from(TYPE),
            name: "Follow-up".into(),
            duration_minutes: 20,
            colour: PALETTE[1].into(),
            copay_cents: None,
        }],
        providers: vec![Provider {
            id: ProviderId::from(PROVIDER),
            name: "Dr. Ada Example".into(),
            specialty: String::new(),
            colour: PALETTE[0].into(),
            sites: vec![SiteId::main()],
            hours: WeekHours::office(),
        }],
        ..Directory::default()
    }
}

fn who() -> Who {
    Who {
        device: "desk_a".into(),
        staff: Some("Robin Receptionist".into()),
    }
}

/// A device with nobody's name written into its records (the change's stamp says who).
pub(crate) fn who_at(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: None,
    }
}

/// `staff` signed in at `device`, changing at `at_ms`.
pub(crate) fn signed(staff: &str, device: &str, at_ms: i64) -> crate::access::stamp::Stamp {
    crate::access::stamp::Stamp {
        staff: Some(crate::StaffId::from(staff)),
        device: device.into(),
        at_ms,
    }
}

/// A booked 20-minute appointment with the test provider, starting at `start`.
pub(crate) fn appointment(name: &str, start: &str) -> Appointment {
    let start = at(start);
    let booking = ValidBooking::new(name, ProviderId::from(PROVIDER), start, 20);
    new_appointment(&booking, start, None, &who(), at(BOOKED_AT))
}

/// The appointment moved along its flow: each step appends to the history at its time and
/// sets the status, as the schedule's `set_status` does.
pub(crate) fn through(mut a: Appointment, steps: &[(Status, &str)]) -> Appointment {
    for &(status, when) in steps {
        a.status = status;
        a.history.push(StatusChange {
            status,
            at: format_local_datetime(at(when)),
            device: who().device,
            staff: who().staff,
            room: None,
            note: None,
        });
    }
    a
}

/// The appointment with its status set, as far as the exports care: no history needed.
pub(crate) fn with_status(mut a: Appointment, status: Status) -> Appointment {
    a.status = status;
    a
}
