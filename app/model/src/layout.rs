//! How a day is laid out on the schedule grid: the hours it spans, a column per provider,
//! and lanes for appointments that overlap. Pure, so that it is tested natively.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::directory::time;
use crate::{Appointment, Directory, Provider, ProviderId, SiteId, Status};

/// One provider's column: the appointments of the day that hold a slot, with the lane
/// each one takes when two overlap.
#[derive(Clone, PartialEq, Debug)]
pub struct Column {
    pub provider: ProviderId,
    pub name: String,
    pub colour: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Block {
    pub appointment: Appointment,
    pub lane: usize,
    pub lanes: usize,
    /// The colour of its type, or the provider's.
    pub colour: String,
    pub type_name: String,
}

/// The hours the grid spans: the site's hours of that day, widened to every appointment.
pub fn span(
    directory: &Directory,
    site: &SiteId,
    day: NaiveDate,
    appointments: &[Appointment],
) -> (NaiveTime, NaiveTime) {
    let (mut open, mut close) = directory
        .site(site)
        .and_then(|s| s.hours.on(day))
        .unwrap_or((time(8, 0), time(18, 0)));
    for a in appointments {
        open = open.min(a.start.time());
        close = close.max(if a.end().date() > day {
            time(23, 59)
        } else {
            a.end().time()
        });
    }
    // Whole hours, so that the axis labels sit on lines.
    let close = match close.minute() {
        0 => close,
        _ if close.hour() >= 23 => time(23, 59),
        _ => time(close.hour() + 1, 0),
    };
    (time(open.hour(), 0), close)
}

/// The columns of a day: every provider working at the site that day or with
/// appointments on it, in name order, and one for appointments of removed providers.
pub fn columns(
    directory: &Directory,
    site: &SiteId,
    day: NaiveDate,
    appointments: &[Appointment],
) -> Vec<Column> {
    columns_drawn(directory, site, day, appointments, 0)
}

/// [`columns`], as a grid draws them: every block at least `min_minutes` tall (a touch
/// target), so a booking shorter than that takes a lane of its own beside the next rather
/// than being drawn over it.
pub fn columns_drawn(
    directory: &Directory,
    site: &SiteId,
    day: NaiveDate,
    appointments: &[Appointment],
    min_minutes: i64,
) -> Vec<Column> {
    let mut columns: Vec<Column> = directory
        .providers_at(site)
        .filter(|p| p.hours.on(day).is_some() || appointments.iter().any(|a| a.provider == p.id))
        .map(|p: &Provider| Column {
            provider: p.id.clone(),
            name: p.name.clone(),
            colour: p.colour.clone(),
            blocks: Vec::new(),
        })
        .collect();
    for a in appointments
        .iter()
        .filter(|a| a.status.holds_slot() || a.status == Status::NoShow)
    {
        let index = match columns.iter().position(|c| c.provider == a.provider) {
            Some(i) => i,
            None => {
                columns.push(Column {
                    provider: a.provider.clone(),
                    name: directory.provider_name(&a.provider),
                    colour: "#e4e7eb".into(),
                    blocks: Vec::new(),
                });
                columns.len() - 1
            }
        };
        let kind = a
            .type_id
            .as_ref()
            .and_then(|t| directory.appointment_type(t));
        let colour = kind.map_or_else(|| columns[index].colour.clone(), |t| t.colour.clone());
        columns[index].blocks.push(Block {
            appointment: a.clone(),
            lane: 0,
            lanes: 1,
            colour,
            type_name: kind.map(|t| t.name.clone()).unwrap_or_default(),
        });
    }
    for column in &mut columns {
        assign_lanes(&mut column.blocks, min_minutes);
    }
    columns
}

/// Overlapping blocks share the column's width side by side: each takes the first free
/// lane, and every block of an overlapping group learns how many lanes the group needs.
fn assign_lanes(blocks: &mut [Block], min_minutes: i64) {
    blocks.sort_by_key(|b| (b.appointment.start, b.appointment.id.clone()));
    let mut group_start = 0;
    let mut lane_ends: Vec<NaiveDateTime> = Vec::new();
    let mut group_end = NaiveDateTime::MIN;
    for i in 0..blocks.len() {
        let start = blocks[i].appointment.start;
        let end = blocks[i]
            .appointment
            .end()
            .max(start + chrono::TimeDelta::minutes(min_minutes));
        if start >= group_end {
            let lanes = lane_ends.len().max(1);
            blocks[group_start..i]
                .iter_mut()
                .for_each(|b| b.lanes = lanes);
            group_start = i;
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|e| *e <= start) {
            Some(l) => l,
            None => {
                lane_ends.push(end);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = end;
        blocks[i].lane = lane;
        group_end = if start >= group_end {
            end
        } else {
            group_end.max(end)
        };
    }
    let lanes = lane_ends.len().max(1);
    blocks[group_start..]
        .iter_mut()
        .for_each(|b| b.lanes = lanes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointment::{parse_local_datetime, ValidBooking};
    use crate::directory::PALETTE;
    use crate::schedule::{new_appointment, Who};
    use crate::WeekHours;

    fn at(text: &str) -> NaiveDateTime {
        parse_local_datetime(text).expect("valid")
    }

    fn appointment(provider: &str, start: &str, minutes: u32) -> Appointment {
        let who = Who {
            device: "Desk".into(),
            staff: None,
        };
        let booking = ValidBooking::new(
            "Alex Sample",
            ProviderId::from(provider),
            at(start),
            minutes,
        );
        new_appointment(&booking, booking.start, None, &who, at("2026-11-22T08:00"))
    }

    fn directory() -> Directory {
        let provider = |id: &str, name: &str, hours| Provider {
            id: ProviderId::from(id),
            name: name.into(),
            specialty: String::new(),
            colour: PALETTE[1].into(),
            sites: vec![SiteId::main()],
            hours,
        };
        Directory {
            providers: vec![
                provider("dr-a", "Dr. A", WeekHours::office()),
                provider(
                    "dr-b",
                    "Dr. B",
                    WeekHours::weekdays(time(8, 0), time(12, 0)),
                ),
                provider("dr-c", "Dr. C", WeekHours::default()),
            ],
            ..Directory::default()
        }
    }

    #[test]
    fn overlapping_appointments_take_lanes() {
        let list = vec![
            appointment("dr-a", "2026-11-23T10:00", 30),
            appointment("dr-a", "2026-11-23T10:15", 30),
            appointment("dr-a", "2026-11-23T10:30", 15),
            appointment("dr-a", "2026-11-23T11:00", 15),
        ];
        let day = at("2026-11-23T00:00").date();
        let columns = columns(&directory(), &SiteId::main(), day, &list);
        let a = &columns[0];
        let lanes: Vec<_> = a.blocks.iter().map(|b| (b.lane, b.lanes)).collect();
        assert_eq!(lanes, [(0, 2), (1, 2), (0, 2), (0, 1)]);
    }

    #[test]
    fn bookings_drawn_taller_than_they_last_take_lanes_side_by_side() {
        let list = vec![
            appointment("dr-a", "2026-11-23T10:00", 5),
            appointment("dr-a", "2026-11-23T10:05", 5),
            appointment("dr-a", "2026-11-23T10:30", 15),
        ];
        let day = at("2026-11-23T00:00").date();
        let lanes = |min_minutes| {
            columns_drawn(&directory(), &SiteId::main(), day, &list, min_minutes)[0]
                .blocks
                .iter()
                .map(|b| (b.lane, b.lanes))
                .collect::<Vec<_>>()
        };
        assert_eq!(lanes(0), [(0, 1), (0, 1), (0, 1)]);
        // Drawn at least 9 minutes tall, the two 5-minute bookings would overlap.
        assert_eq!(lanes(9), [(0, 2), (1, 2), (0, 1)]);
    }

    #[test]
    fn columns_are_the_working_providers_and_the_unknown() {
        let mut list = vec![appointment("dr-gone", "2026-11-23T09:00", 30)];
        let mut cancelled = appointment("dr-a", "2026-11-23T09:00", 30);
        cancelled.status = Status::Cancelled;
        list.push(cancelled);
        let day = at("2026-11-23T00:00").date();
        let names: Vec<_> = columns(&directory(), &SiteId::main(), day, &list)
            .into_iter()
            .map(|c| (c.name, c.blocks.len()))
            .collect();
        // Dr. C works no day and has nothing booked; the cancelled one is not on the grid.
        assert_eq!(
            names,
            [
                ("Dr. A".to_string(), 0),
                ("Dr. B".to_string(), 0),
                ("Unknown provider".to_string(), 1)
            ]
        );
    }

    #[test]
    fn the_span_widens_to_every_appointment() {
        let day = at("2026-11-23T00:00").date();
        let directory = directory();
        assert_eq!(
            span(&directory, &SiteId::main(), day, &[]),
            (time(8, 0), time(18, 0))
        );
        let list = [
            appointment("dr-a", "2026-11-23T07:30", 30),
            appointment("dr-a", "2026-11-23T18:10", 20),
        ];
        assert_eq!(
            span(&directory, &SiteId::main(), day, &list),
            (time(7, 0), time(19, 0))
        );
    }
}
