use super::*;

pub(super) struct Db {
    pub(super) storage: SqliteStorage,
    // Kept so that the directory outlives the database.
    _dir: tempfile::TempDir,
}

pub(super) fn db() -> Db {
    let dir = tempfile::tempdir().expect("temp dir");
    let storage = SqliteStorage::open(&dir.path().join("relay.sqlite3")).expect("open");
    Db { storage, _dir: dir }
}

fn org(name: &str) -> OrgName {
    OrgName::new(name).expect("valid test org")
}

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid test doc")
}

fn bundle(text: &str) -> Bundle {
    Bundle::new(text.as_bytes().to_vec())
}

async fn seqs(s: &SqliteStorage, o: &OrgName, d: &DocId, after: u64, max: usize) -> Vec<u64> {
    let entries = s.read_after(o, d, after, max).await.expect("read");
    entries.iter().map(|e| e.seq).collect()
}

#[tokio::test]
async fn append_is_idempotent_and_gapless() {
    let Db { storage: s, .. } = &db();
    let (acme, d) = (org("acme"), doc("schedule/main/2026-11"));
    s.create_org(&acme).await.expect("org");
    assert_eq!(s.last_seq(&acme, &d).await.expect("last"), 0);
    let check = |text: &'static str, seq: u64, new: bool| {
        let (acme, d) = (acme.clone(), d.clone());
        async move {
            let outcome = s.append(&acme, &d, &bundle(text)).await.expect("append");
            assert_eq!(outcome, AppendOutcome { seq, new }, "{text}");
        }
    };
    check("a", 1, true).await;
    check("b", 2, true).await;
    check("a", 1, false).await;
    check("c", 3, true).await;
    check("b", 2, false).await;
    assert_eq!(s.last_seq(&acme, &d).await.expect("last"), 3);
    assert_eq!(seqs(s, &acme, &d, 0, usize::MAX).await, [1, 2, 3]);
    let entries = s.read_after(&acme, &d, 0, usize::MAX).await.expect("read");
    assert_eq!(entries[1].data, b"b");
    assert_eq!(entries[1].hash, BundleHash::of(b"b"));
}

#[tokio::test]
async fn documents_and_orgs_have_their_own_logs() {
    let Db { storage: s, .. } = &db();
    let (a, b, d, e) = (org("a"), org("b"), doc("d"), doc("e"));
    s.create_org(&a).await.expect("org");
    s.create_org(&b).await.expect("org");
    let x = bundle("x");
    assert_eq!(s.append(&a, &d, &x).await.expect("append").seq, 1);
    // The same bytes in another document or organisation are another entry.
    assert!(s.append(&a, &e, &x).await.expect("append").new);
    assert!(s.append(&b, &d, &x).await.expect("append").new);
    assert_eq!(s.append(&b, &d, &bundle("y")).await.expect("append").seq, 2);
    assert_eq!(seqs(s, &a, &d, 0, usize::MAX).await, [1]);
    assert_eq!(seqs(s, &b, &d, 0, usize::MAX).await, [1, 2]);
}

#[tokio::test]
async fn read_after_pages_by_bytes() {
    let Db { storage: s, .. } = &db();
    let (o, d) = (org("acme"), doc("d"));
    s.create_org(&o).await.expect("org");
    for i in 0..5 {
        s.append(&o, &d, &Bundle::new(vec![i; 100]))
            .await
            .expect("append");
    }
    let one = entry_cost(100);
    assert_eq!(seqs(s, &o, &d, 0, 2 * one).await, [1, 2]);
    assert_eq!(seqs(s, &o, &d, 0, 2 * one + 1).await, [1, 2]);
    assert_eq!(seqs(s, &o, &d, 2, 3 * one).await, [3, 4, 5]);
    // A budget smaller than one entry still makes progress.
    assert_eq!(seqs(s, &o, &d, 3, 1).await, [4]);
    assert_eq!(seqs(s, &o, &d, 5, usize::MAX).await, Vec::<u64>::new());
    assert_eq!(
        seqs(s, &o, &d, u64::MAX, usize::MAX).await,
        Vec::<u64>::new()
    );
}

#[tokio::test]
async fn tokens_verify_until_revoked() {
    let Db { storage: s, .. } = &db();
    let clinic = org("clinic");
    assert!(!s.has_tokens().await.expect("has"));
    let token = s
        .create_token(&clinic, "Desk 1", &Sites::All)
        .await
        .expect("token");
    assert!(s.has_tokens().await.expect("has"));
    // The organisation was created with the token.
    assert!(!s.create_org(&clinic).await.expect("org"));
    let secret = token.secret.expose();
    assert_eq!(
        s.verify_token(secret).await.expect("verify"),
        Some(Access {
            token: token.id.clone(),
            manage: false,
            org: clinic.clone(),
            sites: Sites::All
        })
    );
    assert_eq!(s.verify_token("fd1_nope").await.expect("verify"), None);
    assert_eq!(s.verify_token("").await.expect("verify"), None);

    let listed = s.list_tokens(None).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.as_str(), listed[0].label.as_str()),
        (token.id.as_str(), "Desk 1")
    );
    assert_eq!(listed[0].revoked_at, None);

    assert!(s.revoke_token(&token.id).await.expect("revoke"));
    assert!(s.revoke_token(&token.id).await.expect("revoke again"));
    assert!(!s
        .revoke_token("000000000000")
        .await
        .expect("revoke unknown"));
    assert_eq!(s.verify_token(secret).await.expect("verify"), None);
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    assert!(listed[0].revoked_at.is_some());
    assert!(s
        .list_tokens(Some(&org("other")))
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    let (o, d) = (org("acme"), doc("d"));
    let secret = {
        let s = SqliteStorage::open(&path).expect("open");
        s.append_for_test(&o, &d).await;
        s.create_token(&o, "x", &Sites::All)
            .await
            .expect("token")
            .secret
    };
    let s = SqliteStorage::open(&path).expect("reopen");
    assert_eq!(s.last_seq(&o, &d).await.expect("last"), 1);
    assert_eq!(
        s.verify_token(secret.expose())
            .await
            .expect("verify")
            .map(|a| a.org),
        Some(o)
    );
}

/// Writes `schema` as version `version` of the relay did, with organisation "clinic" and
/// the token `old` (labelled "old").
fn old_database(conn: &Connection, schema: &str, version: i64, old: &TokenSecret) {
    conn.execute_batch(schema).expect("old schema");
    conn.pragma_update(None, "user_version", version)
        .expect("version");
    conn.execute(
        "INSERT INTO orgs (name, created_at) VALUES ('clinic', 0)",
        [],
    )
    .expect("org");
    conn.execute(
        "INSERT INTO tokens (id, hash, org, label, created_at) VALUES (?1, ?2, 'clinic', 'old', 0)",
        params![old.hash().id(), old.hash().0.as_slice()],
    )
    .expect("token");
}

#[tokio::test]
async fn a_token_keeps_its_sites_and_a_version_1_database_keeps_every_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    // A database as version 1 of the relay wrote it, with one token.
    let old = TokenSecret::generate().expect("random");
    {
        let conn = Connection::open(&path).expect("open");
        let v1 = SCHEMA.replace(
            "    revoked_at INTEGER,\n    -- The sites whose documents the token may sync, joined by commas; NULL for all.\n    sites TEXT,\n    -- 1 when the token may list and revoke its organisation's tokens (a manager's device).\n    manage INTEGER NOT NULL DEFAULT 0\n",
            "    revoked_at INTEGER\n",
        );
        assert!(
            !v1.contains("sites TEXT") && !v1.contains("manage"),
            "the version 1 schema"
        );
        old_database(&conn, &v1, 1, &old);
    }
    let s = SqliteStorage::open(&path).expect("migrates");
    let clinic = org("clinic");
    let all = Access {
        token: old.hash().id(),
        manage: false,
        org: clinic.clone(),
        sites: Sites::All,
    };
    assert_eq!(
        s.verify_token(old.expose()).await.expect("verify"),
        Some(all)
    );
    let main: Sites = "main".parse().expect("sites");
    let desk = s.create_token(&clinic, "desk", &main).await.expect("token");
    let access = s.verify_token(desk.secret.expose()).await.expect("verify");
    assert_eq!(access.map(|a| a.sites), Some(main.clone()));
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    let sites: Vec<_> = listed.iter().map(|t| t.sites.clone()).collect();
    assert_eq!(sites, [Sites::All, main]);
}

/// A version 2 database (sites, no managing tokens) opens as version 3: its tokens manage
/// nothing until `token create --manage` or `allow_managing` says so.
#[tokio::test]
async fn a_version_2_database_gets_tokens_that_manage_nothing_until_allowed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    let old = TokenSecret::generate().expect("random");
    {
        let conn = Connection::open(&path).expect("open");
        let v2 = SCHEMA.replace(
            ",\n    -- 1 when the token may list and revoke its organisation's tokens (a manager's device).\n    manage INTEGER NOT NULL DEFAULT 0\n",
            "\n",
        );
        assert!(
            v2.contains("sites TEXT") && !v2.contains("manage"),
            "the version 2 schema"
        );
        old_database(&conn, &v2, 2, &old);
    }
    let s = SqliteStorage::open(&path).expect("migrates");
    let manages = |s: &SqliteStorage| {
        let s = s.clone();
        let secret = old.expose().to_string();
        async move {
            s.verify_token(&secret)
                .await
                .expect("verify")
                .map(|a| a.manage)
        }
    };
    assert_eq!(manages(&s).await, Some(false));
    assert!(s.allow_managing(&old.hash().id()).await.expect("allows"));
    assert_eq!(manages(&s).await, Some(true));
    assert!(!s
        .allow_managing("000000000000")
        .await
        .expect("no such token"));
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    Connection::open(&path)
        .and_then(|c| c.pragma_update(None, "user_version", 99))
        .expect("set version");
    assert!(matches!(
        SqliteStorage::open(&path),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
}

impl SqliteStorage {
    async fn append_for_test(&self, o: &OrgName, d: &DocId) {
        self.create_org(o).await.expect("org");
        self.append(o, d, &bundle("x")).await.expect("append");
    }
}

fn key(token: &str, epoch: u32, byte: u8) -> WrappedKey {
    WrappedKey {
        token: token.into(),
        public: [1; 32],
        epoch,
        blob: vec![byte; 80],
    }
}

/// Each device of a token keeps its own key (a token opened on two tablets has two), a
/// device sending its key again replaces its proof, and a token keeps ten devices' keys.
#[tokio::test]
async fn each_device_of_a_token_keeps_its_own_key() {
    let Db { storage: s, .. } = &db();
    let clinic = org("clinic");
    let desk = s
        .create_token(&clinic, "desk", &Sites::All)
        .await
        .expect("token");
    s.enrol(&desk.id, "Front desk 1", [1; 32], 0, [2; 32])
        .await
        .expect("enrol");
    s.enrol(&desk.id, "Front desk 2", [9; 32], 0, [8; 32])
        .await
        .expect("second");
    s.enrol(&desk.id, "Front desk 1", [1; 32], 3, [4; 32])
        .await
        .expect("again");
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    let mut got: Vec<_> = listed[0]
        .enrolments
        .iter()
        .map(|e| {
            (
                e.public[0],
                e.epoch,
                e.proof[0],
                e.name.as_str(),
                e.key_epoch,
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (1, 3, 4, "Front desk 1", None),
            (9, 0, 8, "Front desk 2", None)
        ]
    );
    for n in 10..30 {
        s.enrol(&desk.id, "another", [n; 32], 0, [0; 32])
            .await
            .expect("more");
    }
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    assert_eq!(listed[0].enrolments.len(), 10);
}

/// Keys are stored for the organisation's live tokens only; a rotation only to a newer
/// epoch, other keys only at the newest, so two managers never both rotate and a device
/// with old keys never hands them out as current.
#[tokio::test]
async fn wrapped_keys_go_to_live_tokens_of_the_organisation_at_the_right_epoch() {
    let Db { storage: s, .. } = &db();
    let (clinic, other) = (org("clinic"), org("other"));
    let a = s.create_token(&clinic, "a", &Sites::All).await.expect("a");
    let b = s.create_token(&clinic, "b", &Sites::All).await.expect("b");
    let c = s.create_token(&clinic, "c", &Sites::All).await.expect("c");
    let stranger = s.create_token(&other, "x", &Sites::All).await.expect("x");
    assert!(s.revoke_token(&c.id).await.expect("revoke"));
    let first = [
        key(&a.id, 1, 1),
        key(&b.id, 1, 2),
        key(&c.id, 1, 3),
        key(&stranger.id, 1, 4),
    ];
    assert!(s
        .store_keys(&clinic, 1, false, &first)
        .await
        .expect("store"));
    assert_eq!(
        s.wrapped_keys(&a.id, [1; 32]).await.expect("a's"),
        [key(&a.id, 1, 1)]
    );
    assert!(
        s.wrapped_keys(&c.id, [1; 32])
            .await
            .expect("c's")
            .is_empty(),
        "revoked"
    );
    assert!(
        s.wrapped_keys(&stranger.id, [1; 32])
            .await
            .expect("x's")
            .is_empty(),
        "another organisation"
    );

    assert!(!s
        .store_keys(&clinic, 2, false, &[key(&a.id, 2, 5)])
        .await
        .expect("not newest"));
    assert!(!s
        .store_keys(&clinic, 1, true, &[key(&a.id, 1, 5)])
        .await
        .expect("not newer"));
    assert!(s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 6)])
        .await
        .expect("rotation"));
    assert!(!s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 7)])
        .await
        .expect("second rotation"));
    assert!(s
        .store_keys(&clinic, 2, false, &[key(&b.id, 2, 8)])
        .await
        .expect("newest"));
    let a_keys = s.wrapped_keys(&a.id, [1; 32]).await.expect("a's");
    assert_eq!(
        a_keys,
        [key(&a.id, 2, 6), key(&a.id, 1, 1)],
        "newest first, not replaced"
    );
    s.enrol(&a.id, "a", [1; 32], 2, [0; 32])
        .await
        .expect("enrol");
    s.enrol(&c.id, "c", [1; 32], 1, [0; 32])
        .await
        .expect("enrol");
    let mut epochs: Vec<_> = s
        .list_tokens(Some(&clinic))
        .await
        .expect("list")
        .iter()
        .map(|t| {
            (
                t.label.clone(),
                t.enrolments.first().and_then(|e| e.key_epoch),
            )
        })
        .collect();
    epochs.sort();
    assert_eq!(
        epochs,
        [
            ("a".into(), Some(2)),
            ("b".into(), None),
            ("c".into(), None)
        ],
        "b sent no key; nothing was stored for c, revoked"
    );
}

#[tokio::test]
async fn a_revocation_wants_a_rotation_until_one_is_stored() {
    let Db { storage: s, .. } = &db();
    let clinic = org("clinic");
    let a = s.create_token(&clinic, "a", &Sites::All).await.expect("a");
    let b = s.create_token(&clinic, "b", &Sites::All).await.expect("b");
    let c = s.create_token(&clinic, "c", &Sites::All).await.expect("c");
    assert!(!s.rotation_wanted(&clinic).await.expect("wanted"));
    // Revoked before any keys were stored: keys stored after, at the first epoch, are the
    // ones it may hold, so they do not count either.
    let early = s
        .create_token(&clinic, "early", &Sites::All)
        .await
        .expect("early");
    s.revoke_token(&early.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("wanted"));
    assert!(s
        .store_keys(&clinic, 1, false, &[key(&a.id, 1, 1), key(&b.id, 1, 1)])
        .await
        .expect("store"));
    assert!(s.rotation_wanted(&clinic).await.expect("still, for early"));
    s.revoke_token(&b.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("wanted"));
    // Keys at the same epoch, for a new device, do not count: b holds that epoch.
    assert!(s
        .store_keys(&clinic, 1, false, &[key(&c.id, 1, 1)])
        .await
        .expect("store"));
    assert!(s.rotation_wanted(&clinic).await.expect("still wanted"));
    assert!(s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 2)])
        .await
        .expect("rotate"));
    assert!(!s.rotation_wanted(&clinic).await.expect("done"));
    s.revoke_token(&c.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("again"));
}

/// A version 3 database opens as version 4: a token revoked before counts as revoked at
/// epoch 0, so the first manager's device to connect makes a new epoch.
#[tokio::test]
async fn a_version_3_database_wants_a_rotation_for_its_revoked_tokens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    let old = TokenSecret::generate().expect("random");
    {
        let conn = Connection::open(&path).expect("open");
        old_database(&conn, SCHEMA, 3, &old);
        conn.execute("UPDATE tokens SET revoked_at = 5", [])
            .expect("revoke");
    }
    let s = SqliteStorage::open(&path).expect("migrates");
    assert!(s.rotation_wanted(&org("clinic")).await.expect("wanted"));
    let listed = s.list_tokens(None).await.expect("list");
    assert!(listed[0].enrolments.is_empty());
}
