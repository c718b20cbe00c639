use super::*;

fn doc_id(text: &str) -> DocId {
    DocId::new(text).expect("valid")
}

#[test]
fn every_kind_names_its_site_as_the_relay_reads_it() {
    let main = SiteId::main();
    let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid");
    let kinds = [
        DocKind::schedule_for(&main, day),
        DocKind::Waitlist { site: main.clone() },
        DocKind::Board {
            scope: BoardScope::Site(main.clone()),
        },
        DocKind::Inventory { site: main.clone() },
        DocKind::Stock {
            site: main.clone(),
            year: 2026,
            month: 3,
        },
        DocKind::Roster {
            site: main.clone(),
            year: 2026,
            month: 3,
        },
    ];
    for kind in kinds {
        assert_eq!(kind.doc_id().site(), Some("main"), "{kind:?}");
    }
    let org = DocKind::Board {
        scope: BoardScope::Org,
    };
    assert_eq!(org.doc_id().site(), None);
    assert_eq!(DocKind::Directory.doc_id().site(), None);
}

#[test]
fn doc_ids_round_trip() {
    let site = SiteId::new("main").expect("valid");
    let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid");
    let kind = DocKind::schedule_for(&site, day);
    assert_eq!(kind.doc_id().as_str(), "schedule/main/2026-03");
    assert_eq!(DocKind::parse(&kind.doc_id()), Some(kind));
    assert_eq!(
        DocKind::parse(&doc_id("directory")),
        Some(DocKind::Directory)
    );
    let waitlist = DocKind::Waitlist { site };
    assert_eq!(waitlist.doc_id().as_str(), "waitlist/main");
    assert_eq!(DocKind::parse(&waitlist.doc_id()), Some(waitlist));
    for scope in [BoardScope::Org, BoardScope::Site(SiteId::main())] {
        let board = DocKind::Board { scope };
        assert_eq!(DocKind::parse(&board.doc_id()), Some(board));
    }
    assert_eq!(
        DocKind::Board {
            scope: BoardScope::Org
        }
        .doc_id()
        .as_str(),
        "board/org"
    );
    let inventory = DocKind::Inventory {
        site: SiteId::main(),
    };
    assert_eq!(inventory.doc_id().as_str(), "inventory/main");
    assert_eq!(DocKind::parse(&inventory.doc_id()), Some(inventory));
    let stock = DocKind::stock_for(&SiteId::main(), day);
    assert_eq!(stock.doc_id().as_str(), "stock/main/2026-03");
    assert_eq!(DocKind::parse(&stock.doc_id()), Some(stock));
    let roster = DocKind::Roster {
        site: SiteId::main(),
        year: 2026,
        month: 3,
    };
    assert_eq!(roster.doc_id().as_str(), "roster/main/2026-03");
    assert_eq!(DocKind::parse(&roster.doc_id()), Some(roster));
    for bad in [
        "inventory/",
        "inventory/a_b",
        "stock/main/2026-00",
        "stock/main",
        "board/site/",
        "board/site/a_b",
        "board/other",
        "schedule/main/2026-13",
        "schedule/main",
        "roster/main/2026-13",
        "roster/main",
        "shifts/main/2026-01",
        "waitlist/a_b",
        "x",
    ] {
        assert_eq!(DocKind::parse(&doc_id(bad)), None, "{bad}");
    }
}

#[test]
fn genesis_is_identical_on_every_device() {
    let id = doc_id("schedule/main/2026-11");
    let mut a = Document::new(&id, &ActorId::random()).expect("known kind");
    let mut b = Document::new(&id, &ActorId::random()).expect("known kind");
    assert_eq!(a.doc.get_heads(), b.doc.get_heads());
    let map_a = Document::root_map(&a.doc, maps::APPOINTMENTS).expect("skeleton");
    let map_b = Document::root_map(&b.doc, maps::APPOINTMENTS).expect("skeleton");
    assert_eq!(map_a, map_b);
}

#[test]
fn a_copy_saved_before_a_later_step_gains_it_on_load() {
    // What the first version saved: only the first step of the directory.
    let mut old = AutoCommit::new().with_actor(ActorId::from(GENESIS_ACTORS[0]));
    let providers = old
        .put_object(ROOT, "providers", ObjType::Map)
        .expect("map");
    old.commit_with(CommitOptions::default().with_time(0));
    old.set_actor(ActorId::random());
    old.put(&providers, "p1", "kept").expect("put");
    old.commit();
    let saved = old.save();

    let id = doc_id("directory");
    let loaded = Document::load(&id, &ActorId::random(), Some(&saved), []).expect("loads");
    let fresh = Document::new(&id, &ActorId::random()).expect("known kind");
    assert!(Document::root_map(&loaded.doc, maps::SITES).is_ok());
    assert_eq!(
        Document::root_map(&loaded.doc, maps::SITES).ok(),
        Document::root_map(&fresh.doc, maps::SITES).ok(),
        "old and new copies share the later step's maps"
    );
    let providers = Document::root_map(&loaded.doc, maps::PROVIDERS).expect("kept");
    assert!(loaded.doc.get(&providers, "p1").expect("reads").is_some());
}

#[test]
fn change_returns_only_local_bundle_and_rolls_back_on_error() {
    let id = doc_id("schedule/main/2026-11");
    let mut a = Document::new(&id, &ActorId::random()).expect("known kind");
    let (_, bundle) = a
        .change(|d| {
            let map = Document::root_map(d, maps::APPOINTMENTS).map_err(|e| e.to_string())?;
            d.put(&map, "x", 1).map_err(|e| e.to_string())
        })
        .expect("edit works");
    let bundle = bundle.expect("an edit makes a bundle");
    let mut b = Document::new(&id, &ActorId::random()).expect("known kind");
    b.apply(&bundle).expect("bundle applies");
    assert_eq!(a.doc.get_heads(), b.doc.get_heads());

    let heads = a.doc.get_heads();
    let failed: Result<((), _), String> = a.change(|d| {
        let map = Document::root_map(d, maps::APPOINTMENTS).map_err(|e| e.to_string())?;
        d.put(&map, "y", 2).map_err(|e| e.to_string())?;
        Err("refused".into())
    });
    assert!(failed.is_err());
    assert_eq!(a.doc.get_heads(), heads);
    let (_, none) = a.change(|_| Ok::<_, String>(())).expect("no-op");
    assert!(none.is_none());
}

#[test]
fn a_change_across_documents_lands_in_all_or_none() {
    let ids = [doc_id("inventory/main"), doc_id("stock/main/2026-11")];
    let mut a = Document::new(&ids[0], &ActorId::random()).expect("known kind");
    let mut b = Document::new(&ids[1], &ActorId::random()).expect("known kind");
    let put = |d: &mut AutoCommit, map: &str| -> Result<(), DocumentError> {
        let map = Document::root_map(d, map)?;
        d.put(&map, "x", 1)
            .map_err(|e| DocumentError::Write(e.to_string()))
    };
    let heads = (a.heads(), b.heads());
    let failed = Document::change_many(&mut [&mut a, &mut b], |docs| {
        put(docs[0], "items")?;
        put(docs[1], "movements")?;
        Err::<(), _>(DocumentError::from(crate::refusal::Tasks::EmptyComment))
    });
    assert!(failed.is_err());
    assert_eq!((a.heads(), b.heads()), heads, "neither document changed");
    let ((), bundles) = Document::change_many(&mut [&mut a, &mut b], |docs| {
        put(docs[0], "items")?;
        put(docs[1], "movements")
    })
    .expect("both change");
    assert!(bundles.iter().all(Option::is_some));
    let ((), bundles) =
        Document::change_many(&mut [&mut a, &mut b], |docs| put(docs[1], "movements"))
            .expect("one changes");
    assert!(
        bundles[0].is_none() && bundles[1].is_none(),
        "the same value again is no change"
    );
}

#[test]
fn corrupt_bytes_are_an_error_not_a_panic() {
    let id = doc_id("directory");
    let mut a = Document::new(&id, &ActorId::random()).expect("known kind");
    assert!(matches!(
        a.apply(b"not automerge"),
        Err(DocumentError::Corrupt(_))
    ));
}
