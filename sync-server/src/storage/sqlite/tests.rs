use super::*;

fn org(name: &str) -> OrgName {
    OrgName::new(name).expect("valid test org")
}

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid test doc")
}

fn bundle(text: &str) -> Bundle {
    Bundle::new(text.as_bytes().to_vec())
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

#[tokio::test]
async fn a_version_5_database_counts_what_each_organisation_stores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("relay.sqlite3");
    let old = TokenSecret::generate().expect("random");
    {
        let conn = Connection::open(&path).expect("open");
        old_database(&conn, SCHEMA, 5, &old);
        conn.execute_batch(schema::DEVICE_KEYS).expect("version 4");
        conn.execute_batch(schema::SNAPSHOTS).expect("version 5");
        conn.execute_batch(
            "INSERT INTO entries (org, doc, seq, hash, data)
                 VALUES ('clinic', 'd', 1, x'01', zeroblob(100)),
                        ('clinic', 'd', 2, x'02', zeroblob(50));
             INSERT INTO snapshots (org, doc, upto, hash, data, stored_at)
                 VALUES ('clinic', 'd', 1, x'03', zeroblob(30), 0);",
        )
        .expect("a log and a snapshot");
    }
    let s = SqliteStorage::open(&path).expect("migrates");
    assert_eq!(s.stored_bytes(&org("clinic")).await.expect("bytes"), 180);
    assert_eq!(s.stored_bytes(&org("nobody")).await.expect("bytes"), 0);
}
