use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

use super::register::{Register, Why};
use super::*;
use crate::appointment::parse_local_datetime;
use crate::Document;

pub(super) fn now() -> NaiveDateTime {
    parse_local_datetime("2026-12-07T10:00").expect("valid test time")
}

pub(super) fn today() -> NaiveDate {
    now().date()
}

pub(super) fn form(name: &str, dob: &str, phone: &str) -> PatientForm {
    PatientForm {
        name: name.into(),
        dob: dob.into(),
        phone: phone.into(),
        ..PatientForm::default()
    }
}

pub(super) fn patient(name: &str, dob: &str, phone: &str) -> Patient {
    form(name, dob, phone)
        .validate(PatientId::random(), today())
        .expect("valid")
}

pub(super) fn shard(n: u8) -> Document {
    Document::new(&DocKind::Patients { shard: n }.doc_id(), &ActorId::random()).expect("kind")
}

/// A copy of the register on one device: every shard.
pub(super) struct Device {
    pub(super) docs: Vec<Document>,
}

impl Device {
    pub(super) fn new() -> Self {
        Self {
            docs: (0..SHARDS).map(shard).collect(),
        }
    }

    pub(super) fn doc(&mut self, id: &PatientId) -> &mut Document {
        &mut self.docs[usize::from(shard_of(id))]
    }

    pub(super) fn add(&mut self, p: &Patient) {
        self.doc(&p.id)
            .change(|d| register(d, p, "Desk A", now()))
            .expect("registers");
    }

    pub(super) fn register(&self) -> Register {
        let mut all = Vec::new();
        let mut unreadable = 0;
        for doc in &self.docs {
            let (list, bad) = read_all(doc.automerge()).expect("reads");
            all.extend(list);
            unreadable += bad;
        }
        Register::new(all, unreadable)
    }

    /// Runs an edit over the documents of `a` and `b` (one, or two).
    pub(super) fn pair<T>(
        &mut self,
        a: &PatientId,
        b: &PatientId,
        edit: impl FnOnce(&mut [&mut automerge::AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        let (x, y) = (usize::from(shard_of(a)), usize::from(shard_of(b)));
        if x == y {
            return self.docs[x]
                .change(|d| edit(&mut [d]))
                .map(|(value, _)| value);
        }
        let (low, high) = (x.min(y), x.max(y));
        let (left, right) = self.docs.split_at_mut(high);
        let (first, second) = (&mut left[low], &mut right[0]);
        let mut docs = if x < y {
            [first, second]
        } else {
            [second, first]
        };
        Document::change_many(&mut docs, edit).map(|(value, _)| value)
    }

    /// Takes in everything `other` has.
    pub(super) fn sync_from(&mut self, other: &mut Device) {
        for (mine, theirs) in self.docs.iter_mut().zip(other.docs.iter_mut()) {
            mine.apply(&theirs.save()).expect("applies");
        }
    }
}

#[test]
fn every_patient_has_one_document_of_sixteen_which_belongs_to_no_site() {
    let mut seen = [0_usize; SHARDS as usize];
    for _ in 0..2_000 {
        seen[usize::from(shard_of(&PatientId::random()))] += 1;
    }
    assert!(seen.iter().all(|&n| n > 60), "spread evenly: {seen:?}");
    for n in 0..SHARDS {
        let id = DocKind::Patients { shard: n }.doc_id();
        assert_eq!(DocKind::parse(&id), Some(DocKind::Patients { shard: n }));
        assert_eq!(id.site(), None, "{id} is the organisation's");
    }
    for odd in ["patients-A", "patients-10", "patients-", "patients-g"] {
        if let Ok(id) = protocol::DocId::new(odd) {
            assert_eq!(DocKind::parse(&id), None, "{odd}");
        }
    }
    assert_eq!(shard_of(&PatientId::from("c0ffee")), 12);
    assert_eq!(
        doc_of(&PatientId::from("0abc")).doc_id().as_str(),
        "patients-0"
    );
}

#[test]
fn a_form_with_a_wrong_field_is_refused_with_a_sentence_at_that_field() {
    let fields = |f: PatientForm| -> Vec<&'static str> {
        f.validate(PatientId::random(), today())
            .expect_err("refused")
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    };
    assert_eq!(fields(form("", "", "")), ["name"]);
    assert_eq!(fields(form("Jamie Rivera", "2027-01-01", "")), ["dob"]);
    assert_eq!(fields(form("Jamie Rivera", "1990-02-30", "")), ["dob"]);
    assert_eq!(fields(form("Jamie Rivera", "", "call me")), ["phone"]);
    assert_eq!(fields(form("Jamie Rivera", "", "12")), ["phone"]);
    let mut texts = form("Jamie Rivera", "", "555 0100");
    texts.contact = "text".into();
    assert_eq!(fields(texts.clone()), ["contact"], "no consent yet");
    texts.texts_ok = true;
    assert!(texts.validate(PatientId::random(), today()).is_ok());
    let mut mail = form("Jamie Rivera", "", "");
    mail.contact = "email".into();
    assert_eq!(fields(mail.clone()), ["email"]);
    mail.email = "jamie@".into();
    assert_eq!(fields(mail), ["email"]);
    let ok = form("  Jamie   Rivera ", "1984-03-02", " +1 (555) 010-0199 ")
        .validate(PatientId::from("a1"), today())
        .expect("valid");
    assert_eq!(ok.name, "Jamie Rivera");
    assert_eq!(ok.phone, "+1 (555) 010-0199");
    assert_eq!(ok.dob, NaiveDate::from_ymd_opt(1984, 3, 2));
}

#[test]
fn two_desks_editing_one_patient_offline_keep_both_fields_and_see_a_disagreement() {
    let mut a = Device::new();
    let p = patient("Jamie Rivera", "1984-03-02", "555 0100");
    a.add(&p);
    let mut b = Device::new();
    b.sync_from(&mut a);

    let mut moved = p.clone();
    moved.address = "12 Elm Row".into();
    moved.email = "jamie@example.org".into();
    a.doc(&p.id)
        .change(|d| update(d, &p, &moved))
        .expect("edits");
    let mut renumbered = p.clone();
    renumbered.phone = "555 0111".into();
    renumbered.email = "j.rivera@example.org".into();
    b.doc(&p.id)
        .change(|d| update(d, &p, &renumbered))
        .expect("edits");
    a.sync_from(&mut b);
    b.sync_from(&mut a);

    let (ra, rb) = (a.register(), b.register());
    let (pa, pb) = (
        ra.record(&p.id).expect("there"),
        rb.record(&p.id).expect("there"),
    );
    assert_eq!(pa, pb, "both devices read the same");
    assert_eq!(pa.address, "12 Elm Row");
    assert_eq!(pa.phone, "555 0111");
    let (field, values) = &pa.disputed[0];
    assert_eq!(*field, "email");
    assert_eq!(values.len(), 2, "both addresses are kept: {values:?}");

    // Writing the field again settles it.
    let mut settled = pa.clone();
    settled.email = "jamie@example.org".into();
    a.doc(&p.id)
        .change(|d| update(d, pa, &settled))
        .expect("edits");
    let after = a.register();
    let read = after.record(&p.id).expect("there");
    assert!(read.disputed.is_empty(), "{:?}", read.disputed);
    assert_eq!(read.email, "jamie@example.org");
}

#[test]
fn type_ahead_finds_by_name_date_of_birth_or_phone_and_every_word_counts() {
    let mut desk = Device::new();
    let jamie = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let jo = patient("Jo Riverton", "1990-07-15", "(555) 777-1234");
    let sam = patient("Sam Okafor", "1984-03-02", "555 0199");
    for p in [&jamie, &jo, &sam] {
        desk.add(p);
    }
    let register = desk.register();
    let names = |typed: &str| -> Vec<String> {
        register
            .search(typed, 8)
            .into_iter()
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(names("riv"), ["Jamie Rivera", "Jo Riverton"]);
    assert_eq!(names("jo riv"), ["Jo Riverton"], "each word narrows");
    assert_eq!(names("RIVERA"), ["Jamie Rivera"], "any case");
    assert_eq!(names("1984-03-02"), ["Jamie Rivera", "Sam Okafor"]);
    assert_eq!(names("777-12"), ["Jo Riverton"], "part of a number");
    assert_eq!(names("okafor 0199"), ["Sam Okafor"]);
    assert_eq!(names("ri"), ["Jamie Rivera", "Jo Riverton"]);
    assert_eq!(names("sam"), ["Sam Okafor"], "a first name first");
    assert!(
        names("55").is_empty(),
        "two digits are too few to mean a number"
    );
    assert!(names("   ").is_empty());
    assert!(names("rivers").is_empty());
}

#[test]
fn the_same_person_registered_at_two_desks_offline_is_found_after_the_merge() {
    let mut a = Device::new();
    let mut b = Device::new();
    let at_a = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let at_b = patient("jamie  rivera", "1984-03-02", "");
    let by_phone_a = patient("Sam Okafor", "1979-11-30", "+1 555 010 0777");
    let by_phone_b = patient("Samuel Okafor", "", "555-010-0777");
    let typo_a = patient("Kim Nakamura", "2001-05-05", "");
    let typo_b = patient("Kim Nakamurra", "2001-05-05", "");
    let other = patient("Kim Nakamura", "2001-06-05", "");
    for p in [&at_a, &by_phone_a, &typo_a, &other] {
        a.add(p);
    }
    for p in [&at_b, &by_phone_b, &typo_b] {
        b.add(p);
    }
    assert!(a.register().duplicates().is_empty(), "none before syncing");
    a.sync_from(&mut b);
    b.sync_from(&mut a);

    let pairs = a.register().duplicates();
    assert_eq!(pairs, b.register().duplicates(), "the same pairs on both");
    let why = |x: &Patient, y: &Patient| {
        pairs
            .iter()
            .find(|p| (p.a == x.id && p.b == y.id) || (p.a == y.id && p.b == x.id))
            .map(|p| p.why)
    };
    assert_eq!(why(&at_a, &at_b), Some(Why::SameNameAndBirth));
    assert_eq!(why(&by_phone_a, &by_phone_b), Some(Why::SamePhone));
    assert_eq!(why(&typo_a, &typo_b), Some(Why::SimilarName));
    assert_eq!(
        why(&typo_a, &other),
        None,
        "another birthday is another person"
    );
    assert_eq!(pairs.len(), 3, "{pairs:?}");

    // Two people after all: the pair is not offered again, on either device.
    a.pair(&typo_a.id, &typo_b.id, |docs| {
        keep_apart(docs, &typo_a.id, &typo_b.id)
    })
    .expect("kept apart");
    b.sync_from(&mut a);
    assert_eq!(b.register().duplicates().len(), 2);
}

#[test]
fn a_damaged_record_is_counted_and_the_rest_still_read() {
    use automerge::transaction::Transactable;
    let mut a = Device::new();
    let p = patient("Jamie Rivera", "1984-03-02", "555 0100");
    a.add(&p);
    let doc = a.doc(&p.id);
    doc.change(|d| -> Result<(), DocumentError> {
        let map = Document::root_map(d, maps::PATIENTS)?;
        let bad = d
            .put_object(&map, "bad", automerge::ObjType::Map)
            .map_err(crate::fields::write_error)?;
        d.put(&bad, "dob", "not a date")
            .map_err(crate::fields::write_error)?;
        d.put(&bad, "name", "Broken Record")
            .map_err(crate::fields::write_error)?;
        Ok(())
    })
    .expect("writes");
    let register = a.register();
    assert_eq!(register.unreadable, 1);
    assert_eq!(register.len(), 1);
}

#[test]
fn twenty_thousand_patients_stay_in_bounded_documents() {
    let mut desk = Device::new();
    let mut rng = crate::random::Seeded::new(7);
    let mut docs: Vec<Vec<Patient>> = vec![Vec::new(); usize::from(SHARDS)];
    for n in 0..20_000_u32 {
        let p = Patient {
            id: PatientId::random(),
            name: format!("Patient {n} Example"),
            dob: NaiveDate::from_ymd_opt(1940 + (rng.below(80) as i32), 1, 1),
            phone: format!("555 {:04}", n % 10_000),
            ..Patient::default()
        };
        docs[usize::from(shard_of(&p.id))].push(p);
    }
    for (n, list) in docs.iter().enumerate() {
        assert!(
            (1_000..1_500).contains(&list.len()),
            "shard {n}: {}",
            list.len()
        );
        desk.docs[n]
            .change(|d| {
                list.iter()
                    .try_for_each(|p| register(d, p, "Import", now()))
            })
            .expect("registers");
    }
    let register = desk.register();
    assert_eq!(register.len(), 20_000);
    let found = register.search("patient 12345", 8);
    assert_eq!(found[0].name, "Patient 12345 Example");
}

#[test]
fn names_with_an_apostrophe_or_a_hyphen_are_found_by_any_part() {
    let mut desk = Device::new();
    for p in [
        patient("Sean O'Brien", "", ""),
        patient("Mary-Jane Watson", "", ""),
    ] {
        desk.add(&p);
    }
    let register = desk.register();
    let names = |typed: &str| -> Vec<String> {
        register
            .search(typed, 8)
            .into_iter()
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(names("o'brien"), ["Sean O'Brien"]);
    assert_eq!(names("brien"), ["Sean O'Brien"]);
    assert_eq!(names("mary-jane"), ["Mary-Jane Watson"]);
    assert_eq!(names("jane wat"), ["Mary-Jane Watson"]);
}

#[test]
fn visits_noted_by_two_desks_and_on_a_merged_record_are_all_the_patients() {
    use crate::{AppointmentId, SiteId};
    let mut a = Device::new();
    let kept = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let dropped = patient("Jamie Rivera", "1984-03-02", "");
    a.add(&kept);
    a.add(&dropped);
    let mut b = Device::new();
    b.sync_from(&mut a);
    let visit = |id: &str, site: &str, month: &str| Visit {
        appointment: AppointmentId::from(id),
        site: SiteId::new(site).expect("a site"),
        month: NaiveDate::parse_from_str(month, "%Y-%m-%d").expect("a month"),
    };
    let march = visit("a1", "main", "2027-03-01");
    let hillside = visit("b1", "hillside", "2026-12-01");
    let later = visit("c1", "main", "2028-01-01");
    a.doc(&kept.id)
        .change(|d| note_visit(d, &kept.id, &march))
        .expect("notes");
    b.doc(&kept.id)
        .change(|d| note_visit(d, &kept.id, &hillside))
        .expect("notes");
    b.doc(&dropped.id)
        .change(|d| note_visit(d, &dropped.id, &later))
        .expect("notes");
    a.sync_from(&mut b);
    a.pair(&kept.id, &dropped.id, |docs| {
        merge::merge(docs, &kept.id, &dropped.id, "Desk A", now())
    })
    .expect("merges");
    let register = a.register();
    assert_eq!(
        register.visits_of(&kept.id),
        [&hillside, &march, &later],
        "every month and site, in order"
    );
    assert_eq!(march.doc().doc_id().as_str(), "schedule/main/2027-03");
}
