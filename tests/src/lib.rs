//! Synthetic, deterministic data for the schedule's benchmarks: a directory of one site
//! with four providers and six rooms, and a month far busier than any practice's
//! (10,000 appointments). The criterion benchmarks (`tests/benches/schedule.rs`) and the
//! browser benchmark's data (`tests/examples/month_10k.rs`) are built from the same
//! generator, so that their figures describe the same month.
//!
//! Everything comes from one seeded generator (`TestRng`), ids included, so that two runs measure the
//! same data. Names are synthetic ("Patient 0042", "Provider 1").

use std::path::Path;
use std::process::ExitCode;

use automerge::ActorId;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use model::appointment::ValidBooking;
use model::directory::{self, time, PALETTE};
use model::random::Seeded;
use model::schedule::{self, Who};
use model::{
    Appointment, AppointmentId, Directory, DocKind, Document, Provider, ProviderId, Room, RoomId,
    Site, SiteId, Status, WeekHours,
};
use protocol::DocId;

/// Appointments in the benchmarks' month.
pub const APPOINTMENTS: usize = 10_000;
pub const PROVIDERS: usize = 4;
pub const ROOMS: usize = 6;
/// Appointments a single change writes while a month document is built, as a desk
/// importing a diary would.
pub const BATCH: usize = 500;
/// The seed of every benchmark month.
pub const SEED: u64 = 0x5eed_0ff0_de5c;

/// The benchmarks' random source: the project's one seeded generator
/// (`model::random::Seeded`), with the draws the synthetic data needs.
pub struct TestRng(Seeded);

impl TestRng {
    pub fn new(seed: u64) -> Self {
        Self(Seeded::new(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n`; `n` must not be zero.
    pub fn below(&mut self, n: usize) -> usize {
        self.0.index(n)
    }

    /// A random-looking id shaped like the UUIDs devices make, so that sorting and hashing
    /// cost what they cost on real data.
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
}

pub fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(time(hour, minute))
}

/// The device name and actor that wrote the benchmark data.
pub fn bench_actor() -> ActorId {
    ActorId::from(*b"bench-desk-actor")
}

fn bench_desk() -> Who {
    Who {
        device: "Bench desk".into(),
        staff: None,
    }
}

/// The main site open `hours`, and four providers who work there in those hours, with six
/// rooms.
pub fn directory(rng: &mut TestRng, hours: WeekHours) -> Directory {
    let providers = (0..PROVIDERS)
        .map(|i| Provider {
            id: ProviderId::from(rng.uuid()),
            name: format!("Provider {}", i + 1),
            specialty: "General practice".into(),
            colour: PALETTE[i % PALETTE.len()].into(),
            sites: vec![SiteId::main()],
            hours,
        })
        .collect();
    let rooms = (0..ROOMS)
        .map(|i| Room {
            id: RoomId::from(rng.uuid()),
            name: format!("Room {}", i + 1),
            site: SiteId::main(),
        })
        .collect();
    Directory {
        sites: vec![Site {
            id: SiteId::main(),
            name: "Main site".into(),
            hours,
        }],
        providers,
        rooms,
        ..Directory::default()
    }
}

/// Monday to Friday of the month of `day`.
pub fn weekdays_of_month(day: NaiveDate) -> Vec<NaiveDate> {
    let first = day.with_day(1).expect("every month has a first day");
    first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// `count` appointments spread evenly at random over `days`, starting on the five-minute
/// marks from 07:00 to 18:55, so that some fall outside office hours and many overlap.
/// Most hold their slot; a few are cancelled, no-shows or on the waitlist, as in a real
/// month. All were booked at `made`.
pub fn appointments(
    rng: &mut TestRng,
    directory: &Directory,
    days: &[NaiveDate],
    count: usize,
    made: NaiveDateTime,
) -> Vec<Appointment> {
    let statuses = [
        Status::Booked,
        Status::Booked,
        Status::Booked,
        Status::Confirmed,
        Status::Confirmed,
        Status::Arrived,
        Status::Fulfilled,
        Status::Fulfilled,
        Status::Cancelled,
        Status::NoShow,
        Status::Waitlist,
    ];
    let who = bench_desk();
    (0..count)
        .map(|i| {
            let day = days[rng.below(days.len())];
            let start = at(day, 7, 0) + TimeDelta::minutes(5 * rng.below(144) as i64);
            let provider = directory.providers[rng.below(directory.providers.len())]
                .id
                .clone();
            let minutes = [10, 15, 20, 30, 45][rng.below(5)];
            let booking = ValidBooking::new(&format!("Patient {i:04}"), provider, start, minutes);
            let mut a = schedule::new_appointment(&booking, start, None, &who, made);
            a.id = AppointmentId::from(rng.uuid());
            a.status = statuses[rng.below(statuses.len())];
            // One in three has no room yet.
            a.room = (rng.below(3) != 0)
                .then(|| directory.rooms[rng.below(directory.rooms.len())].id.clone());
            a
        })
        .collect()
}

/// A benchmark month from [`SEED`]: the directory (site and providers open `hours`) and
/// `count` appointments over `days`, all booked at 09:00 on the first of the month of the
/// first day.
pub fn month(hours: WeekHours, days: &[NaiveDate], count: usize) -> (Directory, Vec<Appointment>) {
    let mut rng = TestRng::new(SEED);
    let directory = directory(&mut rng, hours);
    let first = days
        .first()
        .and_then(|d| d.with_day(1))
        .expect("a month has at least one day");
    let appointments = appointments(&mut rng, &directory, days, count, at(first, 9, 0));
    (directory, appointments)
}

/// The month document `id` holding `appointments`, written in batches of [`BATCH`].
pub fn month_document(id: &DocId, appointments: &[Appointment]) -> Document {
    let mut doc = Document::new(id, &bench_actor()).expect("a known kind of document");
    for batch in appointments.chunks(BATCH) {
        doc.change(|d| batch.iter().try_for_each(|a| schedule::put(d, a)))
            .expect("writes a batch");
    }
    doc
}

/// The organisation's directory document holding `directory`'s sites, rooms and providers.
pub fn directory_document(directory: &Directory) -> Document {
    let mut doc = Document::new(&DocKind::Directory.doc_id(), &bench_actor())
        .expect("the directory is a known kind of document");
    doc.change(|d| {
        directory
            .sites
            .iter()
            .try_for_each(|s| directory::put_site(d, s))?;
        directory
            .rooms
            .iter()
            .try_for_each(|r| directory::put_room(d, r))?;
        directory
            .providers
            .iter()
            .try_for_each(|p| directory::put_provider(d, p))
    })
    .expect("writes the directory");
    doc
}

/// The `main` of the browser benchmarks' data generators (`tests/examples/month_10k.rs`,
/// `tests/examples/stock_2k.rs`): reads `<out-dir> <YYYY-MM-DD>` from the command line and
/// calls `write` with them. Other arguments exit with 2 after the usage line (`usage: name
/// …`), and so does a date it cannot read; an error from `write` exits with 1 after
/// `name: error`.
pub fn example_main(
    name: &str,
    write: impl FnOnce(&Path, NaiveDate) -> std::io::Result<()>,
) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, day] = args.as_slice() else {
        eprintln!("usage: {name} <out-dir> <YYYY-MM-DD>");
        return ExitCode::from(2);
    };
    let Ok(day) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        eprintln!("not a date (YYYY-MM-DD): {day}");
        return ExitCode::from(2);
    };
    match write(Path::new(out), day) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use model::schedule::Schedule;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn weekdays_of_a_month() {
        let check = |of: NaiveDate, count: usize, first: NaiveDate, last: NaiveDate| {
            let days = weekdays_of_month(of);
            assert_eq!(days.len(), count, "{of}");
            assert_eq!(days.first(), Some(&first), "{of}");
            assert_eq!(days.last(), Some(&last), "{of}");
        };
        check(day(2026, 11, 22), 21, day(2026, 11, 2), day(2026, 11, 30));
        check(day(2027, 2, 1), 20, day(2027, 2, 1), day(2027, 2, 26));
        check(day(2026, 12, 31), 23, day(2026, 12, 1), day(2026, 12, 31));
    }

    #[test]
    fn the_same_seed_makes_the_same_month() {
        let days = weekdays_of_month(day(2026, 11, 1));
        let (d1, a1) = month(WeekHours::office(), &days, 50);
        let (d2, a2) = month(WeekHours::office(), &days, 50);
        assert_eq!(d1, d2);
        assert_eq!(a1, a2);
        assert_eq!(a1[42].patient_name, "Patient 0042");
    }

    #[test]
    fn appointments_fall_on_the_given_days_and_providers() {
        let days = [day(2026, 11, 20), day(2026, 11, 22)];
        let (directory, list) = month(WeekHours::office(), &days, 200);
        assert_eq!(list.len(), 200);
        for a in &list {
            assert!(days.contains(&a.start.date()), "{}", a.start);
            assert!(directory.provider(&a.provider).is_some());
            assert!(a.start.time() >= time(7, 0) && a.start.time() <= time(18, 55));
        }
        // Both days get a share.
        for d in days {
            assert!(list.iter().filter(|a| a.start.date() == d).count() > 50);
        }
    }

    #[test]
    fn documents_read_back_as_the_app_reads_them() {
        let days = weekdays_of_month(day(2026, 11, 1));
        let (directory, list) = month(WeekHours::office(), &days, 120);
        let id = DocKind::schedule_for(&SiteId::main(), days[0]).doc_id();
        let mut saved = month_document(&id, &list);
        let loaded = Document::load(&id, &bench_actor(), Some(&saved.save()), [])
            .expect("the snapshot loads");
        let read = Schedule::read(loaded.automerge()).expect("the month reads");
        assert_eq!(read.unreadable, 0);
        assert_eq!(read.appointments.len(), list.len());

        let mut saved = directory_document(&directory);
        let loaded = Document::load(
            &DocKind::Directory.doc_id(),
            &bench_actor(),
            Some(&saved.save()),
            [],
        )
        .expect("the snapshot loads");
        let read = Directory::read(loaded.automerge()).expect("the directory reads");
        assert_eq!(read.unreadable, 0);
        assert_eq!(read.sites, directory.sites);
        assert_eq!(read.providers.len(), PROVIDERS);
        assert_eq!(read.rooms.len(), ROOMS);
        assert!(read.providers_at(&SiteId::main()).count() == PROVIDERS);
    }
}

pub use supplies::{stock, StockMonth, StockSite, STOCK_ITEMS, STOCK_MOVEMENTS, STOCK_PER_CHANGE};

mod supplies;
