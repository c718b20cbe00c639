//! The demo's back office: a vendor for each supplier its supplies name and a contractor
//! who services equipment, each site's equipment (the autoclave's service coming due, so a
//! maintenance card shows), this month's budget per category and site, and a staff file
//! with an onboarding checklist, a newcomer part way through it and an appraisal coming
//! due.

use automerge::AutoCommit;
use chrono::{Days, Months, NaiveDate};

use super::names::Rng;
use super::DemoClinic;
use model::budget;
use model::equipment::{put_equipment, Equipment, EquipmentId, Interval, Unit};
use model::inventory::Category;
use model::staff_file::{
    add_onboarding_item, put_appraisal, put_terms, tick, Appraisal, AppraisalId, Rating, Terms,
};
use model::vendor::{put_vendor, Vendor, VendorId};
use model::{DocumentError, SiteId};

/// The contractor who services the demo's equipment.
const SERVICE: &str = "Harbour Biomedical Services";
/// The onboarding checklist.
const CHECKLIST: [&str; 5] = [
    "HIPAA training",
    "Badge and keys",
    "Accounts and PIN",
    "Fire safety walk-through",
    "BLS/CPR check",
];
/// Each category's monthly budget at each site, in cents.
const BUDGETS: [(Category, i64); 4] = [
    (Category::Medical, 150_000),
    (Category::Office, 30_000),
    (Category::Cleaning, 25_000),
    (Category::Medication, 200_000),
];

/// The vendors: one per supplier the supplies name (in the order first named), then the
/// service contractor. Items name theirs ([`link_items`]).
pub(super) fn vendors(clinic: &DemoClinic, today: NaiveDate, rng: &mut Rng) -> Vec<Vendor> {
    let mut names: Vec<String> = Vec::new();
    for (_, supplies) in &clinic.supplies {
        for item in &supplies.items {
            if !item.supplier.is_empty() && !names.contains(&item.supplier) {
                names.push(item.supplier.clone());
            }
        }
    }
    names.push(SERVICE.to_string());
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let service = name == SERVICE;
            Vendor {
                id: VendorId::random(),
                account: format!("AC-{:05}", 10_000 + rng.below(89_999)),
                contact: format!("555-01{:02}", 50 + i),
                supplies: if service {
                    "Autoclave and defibrillator servicing".into()
                } else {
                    "Medical and office supplies".into()
                },
                // One contract comes up for renewal within the month.
                renewal: Some(today + Days::new(if i == 0 { 24 } else { 120 + 60 * i as u64 })),
                archived: false,
                name,
            }
        })
        .collect()
}

/// Names each supply item's vendor by its supplier.
pub(super) fn link_items(clinic: &mut DemoClinic) {
    let vendors = clinic.vendors.clone();
    for (_, supplies) in &mut clinic.supplies {
        for item in &mut supplies.items {
            item.vendor = vendors
                .iter()
                .find(|v| v.name == item.supplier)
                .map(|v| v.id.clone());
        }
    }
}

/// Each site's equipment: the autoclave's six-monthly service due in ten days.
pub(super) fn equipment(clinic: &DemoClinic, today: NaiveDate) -> Vec<(SiteId, Equipment)> {
    let service = clinic
        .vendors
        .iter()
        .find(|v| v.name == SERVICE)
        .map(|v| v.id.clone());
    let piece = |name: &str, serial: String, location: &str, every, unit, last| Equipment {
        id: EquipmentId::random(),
        name: name.into(),
        serial,
        location: location.into(),
        vendor: service.clone(),
        interval: Interval { every, unit },
        last_service: last,
        archived: false,
    };
    let mut all = Vec::new();
    for (n, site) in clinic.sites.iter().enumerate() {
        let back = |months: u32, days: u64| today - Months::new(months) + Days::new(days);
        all.push((
            site.id.clone(),
            piece(
                "Autoclave",
                format!("AC-{}01", n + 3),
                "Treatment room",
                6,
                Unit::Months,
                back(6, 8 + n as u64 * 3),
            ),
        ));
        all.push((
            site.id.clone(),
            piece(
                "Defibrillator (AED)",
                format!("AED-{}7", n + 2),
                "Reception",
                12,
                Unit::Months,
                back(5, 0),
            ),
        ));
        all.push((
            site.id.clone(),
            piece(
                "Vaccine fridge",
                format!("VF-{}2", n + 5),
                "Store room",
                12,
                Unit::Months,
                back(8, 3),
            ),
        ));
    }
    all
}

/// Writes the vendors into the directory.
pub fn write_vendors(doc: &mut AutoCommit, clinic: &DemoClinic) -> Result<(), DocumentError> {
    clinic.vendors.iter().try_for_each(|v| put_vendor(doc, v))
}

/// Writes one site's equipment and this month's budget into its inventory document.
pub fn write_site_office(
    inventory: &mut AutoCommit,
    clinic: &DemoClinic,
    site: &SiteId,
    today: NaiveDate,
) -> Result<(), DocumentError> {
    for (_, piece) in clinic.equipment.iter().filter(|(s, _)| s == site) {
        put_equipment(inventory, piece)?;
    }
    for (category, cents) in BUDGETS {
        budget::set(inventory, today, category, Some(cents))?;
    }
    Ok(())
}

/// Writes the staff file: the checklist, everyone's hire date (a newcomer's ten days ago,
/// part way through onboarding), and last year's appraisals, one of them coming due.
pub fn write_staff_file(
    doc: &mut AutoCommit,
    clinic: &DemoClinic,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
) -> Result<(), DocumentError> {
    let steps: Vec<_> = CHECKLIST
        .iter()
        .map(|step| add_onboarding_item(doc, step, now))
        .collect::<Result<_, _>>()?;
    let manager = clinic
        .staff
        .iter()
        .find(|s| s.role == "Office manager")
        .map_or_else(String::new, |s| s.name.clone());
    for (i, person) in clinic.staff.iter().enumerate() {
        let newcomer = i == 1;
        let hired = if newcomer {
            today - Days::new(10)
        } else {
            today - Months::new(14 + 7 * i as u32)
        };
        let terms = Terms {
            hired: Some(hired),
            probation_end: Some(hired + Months::new(3)),
            appraisal_months: None,
        };
        put_terms(doc, &person.id, &Terms::default(), &terms)?;
        let done = if newcomer { 2 } else { steps.len() };
        for step in steps.iter().take(done) {
            tick(doc, &person.id, step, Some((hired, manager.as_str())))?;
        }
        if !newcomer {
            // Appraised a year ago, give or take: the first person's falls due in a fortnight.
            let held =
                today - Months::new(12) + Days::new(if i == 0 { 14 } else { 40 + i as u64 * 9 });
            put_appraisal(
                doc,
                &Appraisal {
                    id: AppraisalId::random(),
                    staff: person.id.clone(),
                    held,
                    reviewer: manager.clone(),
                    rating: if i % 4 == 0 { Rating::Exceeds } else { Rating::Meets },
                    summary: "Reliable with patients and colleagues; agreed to take the next BLS refresher.".into(),
                },
            )?;
        }
    }
    Ok(())
}
