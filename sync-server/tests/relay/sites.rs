//! A token made for some sites: the relay refuses it the documents of the others.

use super::*;

#[tokio::test]
async fn a_device_for_one_site_is_refused_another_sites_documents_and_keeps_its_connection() {
    let r = relay().await;
    let every_site = r.token("clinic").await;
    let main_only = r.token_for("clinic", "main".parse().expect("sites")).await;
    let mut hillside = r.device("hillside_desk", &every_site).await;
    hillside
        .push("schedule/hillside/2026-12", b"a hillside booking")
        .await;
    assert_eq!(hillside.ack().await, 1);

    let mut desk = r.device("main_desk", &main_only).await;
    let refused = |id: &str| ServerMessage::Refused {
        doc: doc(id),
        code: ErrorCode::Forbidden,
    };
    desk.subscribe("schedule/hillside/2026-12", 0).await;
    assert_eq!(desk.message().await, refused("schedule/hillside/2026-12"));
    desk.push("board/site/hillside", b"a card for hillside")
        .await;
    assert_eq!(desk.message().await, refused("board/site/hillside"));

    let org = OrgName::new("clinic").expect("valid");
    let stored = r
        .running
        .storage
        .last_seq(&org, &doc("board/site/hillside"))
        .await
        .expect("read");
    assert_eq!(stored, 0, "nothing of a refused push is stored");

    // The same connection goes on for its own site and the organisation's documents.
    desk.push("schedule/main/2026-12", b"a main booking").await;
    assert_eq!(desk.ack().await, 1);
    desk.push("directory", b"a new colleague").await;
    assert_eq!(desk.ack().await, 1);
    hillside.subscribe("directory", 0).await;
    let directory = hillside.entries_until_caught_up().await;
    assert_eq!(seqs(&directory), [1]);

    // Hillside's next entry reaches hillside's subscribers, and main's desk is not one.
    desk.subscribe("schedule/main/2026-12", 0).await;
    assert_eq!(seqs(&desk.entries_until_caught_up().await), [1]);
    hillside.push("schedule/hillside/2026-12", b"another").await;
    assert_eq!(hillside.ack().await, 2);
    hillside
        .push("schedule/main/2026-12", b"booked from hillside")
        .await;
    assert_eq!(hillside.ack().await, 2);
    let live = desk.entries_until_caught_up().await;
    assert_eq!(
        (seqs(&live), live[0].data.as_slice()),
        (vec![2], b"booked from hillside".as_slice()),
        "the next thing main's desk hears is main's own schedule"
    );
}
