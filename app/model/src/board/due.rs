//! Lists across boards: a person's open tasks, and what is overdue or due today at every
//! site, for the manager's phone.

use chrono::NaiveDateTime;

use super::{Board, BoardScope, Card};
use crate::StaffId;

/// A card with the board it is on.
#[derive(Clone, Copy, Debug)]
pub struct OnBoard<'a> {
    pub scope: &'a BoardScope,
    pub board: &'a Board,
    pub card: &'a Card,
}

/// Open cards: on the board, not archived, not in a column of finished work.
fn open<'a>(boards: &'a [(BoardScope, Board)]) -> impl Iterator<Item = OnBoard<'a>> + 'a {
    boards.iter().flat_map(|(scope, board)| {
        board
            .cards
            .iter()
            .filter(move |c| !c.archived && !board.is_done(c))
            .map(move |card| OnBoard { scope, board, card })
    })
}

/// Soonest due first, cards without a due date last, then by title.
fn sort(list: &mut [OnBoard<'_>]) {
    list.sort_by(|a, b| {
        let key = |t: &OnBoard<'_>| {
            (
                t.card.due.is_none(),
                t.card.due,
                t.card.title.to_lowercase(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// The open cards assigned to `staff`, on every board given.
pub fn assigned_to<'a>(boards: &'a [(BoardScope, Board)], staff: &StaffId) -> Vec<OnBoard<'a>> {
    let mut list: Vec<_> = open(boards)
        .filter(|t| t.card.assignees.contains(staff))
        .collect();
    sort(&mut list);
    list
}

/// What is overdue, and what is due later today, on every board given.
#[derive(Debug, Default)]
pub struct DueNow<'a> {
    pub overdue: Vec<OnBoard<'a>>,
    pub today: Vec<OnBoard<'a>>,
}

pub fn due_now(boards: &[(BoardScope, Board)], now: NaiveDateTime) -> DueNow<'_> {
    let mut lists = DueNow::default();
    for task in open(boards) {
        match task.card.due {
            Some(due) if due.deadline() < now => lists.overdue.push(task),
            Some(due) if due.date == now.date() => lists.today.push(task),
            _ => {}
        }
    }
    sort(&mut lists.overdue);
    sort(&mut lists.today);
    lists
}
