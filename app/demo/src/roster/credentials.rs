//! Everyone's credentials and training: HIPAA and OSHA training for all, BLS/CPR for the
//! clinical team (medical assistants, nurses, providers), a licence for nurses and
//! providers, a certification for medical assistants. Most run for a year or more; a few
//! are set to show each band of the expiry list, and one provider's licence has lapsed.

use chrono::{Duration, NaiveDate};

use super::super::names::Rng;
use super::super::practice::{
    DOUBLE_BOOKED_PROVIDER, HILLSIDE_PROVIDER, LEE, PROVIDER_STAFF, ROWAN, TAYLOR,
};
use super::super::DemoClinic;
use model::staff::credential::{Credential, CredentialId, CredentialKind};
use model::StaffMember;

/// (person, kind, days from today to its expiry): the credentials that show the expiry
/// list at work. The lapsed licence is a provider's, so the schedule flags it too; the
/// lapsed BLS/CPR is a medical assistant's at the main site, where no position they work
/// needs it, so it shows on the expiry list and not as a rostering problem.
const DELIBERATE: [(usize, CredentialKind, i64); 5] = [
    (
        PROVIDER_STAFF + HILLSIDE_PROVIDER,
        CredentialKind::Licence,
        -6,
    ),
    (ROWAN, CredentialKind::BlsCpr, -12),
    (LEE, CredentialKind::Licence, 21),
    (
        PROVIDER_STAFF + DOUBLE_BOOKED_PROVIDER,
        CredentialKind::BlsCpr,
        45,
    ),
    (TAYLOR, CredentialKind::Certification, 80),
];

/// What a person holds, by their role.
fn kinds(member: &StaffMember) -> Vec<CredentialKind> {
    let role = member.role.as_str();
    let licensed = matches!(role, "Nurse" | "Provider");
    let clinical = licensed || role == "Medical assistant";
    let mut kinds = Vec::new();
    if licensed {
        kinds.push(CredentialKind::Licence);
    }
    if role == "Medical assistant" {
        kinds.push(CredentialKind::Certification);
    }
    if clinical {
        kinds.push(CredentialKind::BlsCpr);
    }
    kinds.extend([CredentialKind::Hipaa, CredentialKind::Osha]);
    kinds
}

/// Title, number prefix (none for training), issuer and how many years it runs.
fn details(
    member: &StaffMember,
    kind: CredentialKind,
) -> (&'static str, &'static str, &'static str, i64) {
    let nurse_practitioner = member.name.ends_with(", NP");
    match kind {
        CredentialKind::Licence if member.role == "Nurse" => {
            ("RN licence", "RN", "Example State Board of Nursing", 2)
        }
        CredentialKind::Licence if nurse_practitioner => {
            ("NP licence", "NP", "Example State Board of Nursing", 2)
        }
        CredentialKind::Licence => ("Medical licence", "MD", "Example State Medical Board", 2),
        CredentialKind::Certification => (
            "CMA certification",
            "CMA",
            "Example Association of Medical Assistants",
            5,
        ),
        CredentialKind::BlsCpr => ("BLS provider card", "BLS", "Example Heart Association", 2),
        CredentialKind::Hipaa => ("HIPAA privacy training", "", "Harbour Street Practice", 2),
        CredentialKind::Osha => (
            "OSHA bloodborne pathogens training",
            "",
            "Harbour Street Practice",
            2,
        ),
    }
}

/// Every person's credentials, in the order of the staff. The valid ones expire between
/// about 13 and 23 months from today, so none comes due while the demo is looked at.
pub(super) fn credentials(clinic: &DemoClinic, today: NaiveDate, rng: &mut Rng) -> Vec<Credential> {
    let mut all = Vec::new();
    for (n, member) in clinic.staff.iter().enumerate() {
        for kind in kinds(member) {
            let (title, prefix, issuer, years) = details(member, kind);
            let deliberate = DELIBERATE.iter().find(|(p, k, _)| *p == n && *k == kind);
            let days = match deliberate {
                Some(&(.., days)) => days,
                None => 400 + i64::from(rng.below(300)),
            };
            let expires = today + Duration::days(days);
            let number = match prefix {
                "" => String::new(),
                _ => format!("{prefix}-{:06}", rng.below(1_000_000)),
            };
            all.push(Credential {
                id: CredentialId::random(),
                staff: member.id.clone(),
                kind,
                title: title.into(),
                number,
                issuer: issuer.into(),
                issued: Some(expires - Duration::days(365 * years)),
                expires: Some(expires),
            });
        }
    }
    all
}
