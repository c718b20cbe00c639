//! Who may work where, with which credentials, and fields two managers disputed.

use super::*;

#[test]
fn credentials() {
    let triage = || {
        [on(
            "triage",
            shift("a", "robin", "main", "24 08:00", "24 16:00"),
        )]
    };
    let missing = |kind, expired: Option<u32>| MissingCredential {
        kind,
        expired: expired.map(day),
    };
    check_case(
        "none held",
        &triage(),
        nothing,
        &[("a", missing(BlsCpr, None))],
    );
    check_case(
        "lapsed",
        &triage(),
        holding(vec![credential("robin", BlsCpr, Some(10))]),
        &[("a", missing(BlsCpr, Some(10)))],
    );
    check_case(
        "valid on its last day",
        &triage(),
        holding(vec![credential("robin", BlsCpr, Some(24))]),
        &[],
    );
    check_case(
        "not the kind required",
        &triage(),
        holding(vec![credential("robin", Licence, None)]),
        &[("a", missing(BlsCpr, None))],
    );
    let expired = || ExpiredLicence { expired: day(1) };
    let lapsed_licence = || holding(vec![credential("sam", Licence, Some(1))]);
    check_case(
        "an expired licence wherever they are",
        &[on(
            "desk",
            shift("a", "sam", "main", "23 08:00", "23 16:00"),
        )],
        lapsed_licence(),
        &[("a", expired())],
    );
    check_case(
        "an expired licence, not also a missing one",
        &[on(
            "nurse",
            shift("a", "sam", "main", "23 08:00", "23 16:00"),
        )],
        lapsed_licence(),
        &[("a", expired())],
    );
    check_case(
        "renewed",
        &[on(
            "nurse",
            shift("a", "sam", "main", "23 08:00", "23 16:00"),
        )],
        holding(vec![
            credential("sam", Licence, Some(1)),
            Credential {
                id: CredentialId::from("renewed"),
                ..credential("sam", Licence, Some(30))
            },
        ]),
        &[],
    );
    check_case(
        "never licensed",
        &[on(
            "nurse",
            shift("a", "sam", "main", "23 08:00", "23 16:00"),
        )],
        nothing,
        &[("a", missing(Licence, None))],
    );
    check_case(
        "a removed position requires nothing",
        &[on(
            "gone",
            shift("a", "sam", "main", "23 08:00", "23 16:00"),
        )],
        nothing,
        &[],
    );
}

#[test]
fn people_sites_and_disputes() {
    check_case(
        "not at the site",
        &[shift("a", "quinn", "hillside", "24 08:00", "24 16:00")],
        nothing,
        &[("a", NotAtSite)],
    );
    check_case(
        "at a second site",
        &[shift("a", "robin", "hillside", "24 08:00", "24 16:00")],
        nothing,
        &[],
    );
    check_case(
        "someone removed, and nothing else about them",
        &[
            shift("a", "gone", "hillside", "24 08:00", "24 16:00"),
            shift("b", "gone", "hillside", "24 10:00", "24 18:00"),
        ],
        nothing,
        &[("a", UnknownPerson), ("b", UnknownPerson)],
    );
    let disputed = |field| Disputed { field };
    let mut two = shift("a", "robin", "main", "24 08:00", "24 16:00");
    two.disputes = vec![
        Dispute {
            field: ShiftField::Staff,
            values: vec!["robin".into(), "quinn".into()],
        },
        Dispute {
            field: ShiftField::Start,
            values: vec!["2026-11-24T08:00".into(), "2026-11-24T09:00".into()],
        },
    ];
    let mut open = shift("b", "", "main", "25 08:00", "25 16:00");
    open.disputes = vec![Dispute {
        field: ShiftField::Break,
        values: vec!["30".into(), "45".into()],
    }];
    check_case(
        "disputed fields, also of an open shift",
        &[two, open],
        nothing,
        &[
            ("a", disputed(ShiftField::Staff)),
            ("a", disputed(ShiftField::Start)),
            ("b", disputed(ShiftField::Break)),
        ],
    );
}
