//! Finding items on the Stock list: words typed (or a code scanned) against each item's
//! name, SKU, barcode, location and supplier, with a filter for what is low, what shows a
//! discrepancy or what is archived, and a category.
//!
//! A site may keep thousands of items: each item's searchable text is lowercased once per
//! reading of the inventory ([`Haystacks`]), not once per keystroke.

use std::collections::HashSet;

use super::{reorder, Category, Inventory, ItemId};

/// Which items the list shows, besides what is typed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Filter {
    /// Every item in use.
    All,
    /// Items at or below their reorder point.
    Low,
    /// Items whose stock cannot be right (below zero after a merge, lots that disagree).
    Discrepancy,
    /// Items no longer in use.
    Archived,
}

/// How many items each filter shows, for its button and the summary line.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Counts {
    pub items: usize,
    pub low: usize,
    pub discrepancies: usize,
    pub archived: usize,
}

impl Counts {
    pub fn of(inventory: &Inventory, low: &HashSet<ItemId>) -> Self {
        let items = inventory.active().count();
        Self {
            items,
            low: low.len(),
            discrepancies: inventory.discrepancies().count(),
            archived: inventory.items.len() - items,
        }
    }

    /// The number of items `filter` shows when nothing is typed.
    pub fn shown_by(&self, filter: Filter) -> usize {
        match filter {
            Filter::All => self.items,
            Filter::Low => self.low,
            Filter::Discrepancy => self.discrepancies,
            Filter::Archived => self.archived,
        }
    }
}

/// The ids of the items at or below their reorder point.
pub fn low(inventory: &Inventory) -> HashSet<ItemId> {
    reorder::low(inventory).map(|i| i.id.clone()).collect()
}

/// Each item's searchable text, lowercased, in the order of `Inventory::items`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Haystacks(Vec<String>);

impl Haystacks {
    pub fn new(inventory: &Inventory) -> Self {
        Self(
            inventory
                .items
                .iter()
                .map(|i| {
                    [&i.name, &i.sku, &i.barcode, &i.location, &i.supplier]
                        .map(|s| s.as_str())
                        .join("\n")
                        .to_lowercase()
                })
                .collect(),
        )
    }
}

/// What the list shows: the positions in `inventory.items` of every item that `filter` and
/// `category` let through and that holds every word of `query`, in any case and any order.
pub fn matching(
    inventory: &Inventory,
    haystacks: &Haystacks,
    low: &HashSet<ItemId>,
    query: &str,
    filter: Filter,
    category: Option<Category>,
) -> Vec<usize> {
    let words: Vec<String> = query
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    inventory
        .items
        .iter()
        .zip(&haystacks.0)
        .enumerate()
        .filter(|(_, (item, text))| {
            item.archived == (filter == Filter::Archived)
                && match filter {
                    Filter::Low => low.contains(&item.id),
                    Filter::Discrepancy => item.is_discrepant(),
                    Filter::All | Filter::Archived => true,
                }
                && category.is_none_or(|c| item.category == c)
                && words.iter().all(|w| text.contains(w.as_str()))
        })
        .map(|(at, _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Item;

    fn item(name: &str, category: Category, on_hand: i64, code: &str) -> Item {
        Item {
            id: ItemId::from(name.to_lowercase().replace(' ', "-")),
            name: name.into(),
            category,
            unit: "box".into(),
            pack_size: 1,
            sku: code.into(),
            barcode: String::new(),
            location: "Store room".into(),
            supplier: "Medline".into(),
            vendor: None,
            unit_cost_cents: 100,
            par: 10,
            reorder_point: 3,
            reorder_qty: 5,
            lot_tracked: false,
            on_hand,
            lots: Vec::new(),
            archived: false,
        }
    }

    fn inventory() -> Inventory {
        let mut archived = item("Paper gowns", Category::Medical, 4, "PG-1");
        archived.archived = true;
        Inventory {
            items: vec![
                item("Exam gloves M", Category::Medical, 2, "GL-M"),
                item("Exam gloves L", Category::Medical, 12, "GL-L"),
                item("Printer paper", Category::Office, -1, "PP-A4"),
                archived,
            ],
            ..Inventory::default()
        }
    }

    fn check(query: &str, filter: Filter, category: Option<Category>, expected: &[&str]) {
        let inventory = inventory();
        let found: Vec<&str> = matching(
            &inventory,
            &Haystacks::new(&inventory),
            &low(&inventory),
            query,
            filter,
            category,
        )
        .into_iter()
        .map(|at| inventory.items[at].name.as_str())
        .collect();
        assert_eq!(found, expected, "{query:?} {filter:?} {category:?}");
    }

    #[test]
    fn words_filters_and_categories_narrow_the_list() {
        let all = ["Exam gloves M", "Exam gloves L", "Printer paper"];
        check("", Filter::All, None, &all);
        check("   ", Filter::All, None, &all);
        // Every word, in any case and order, anywhere in name, code, place or supplier.
        check(
            "GLOVES exam",
            Filter::All,
            None,
            &["Exam gloves M", "Exam gloves L"],
        );
        check("gl-l", Filter::All, None, &["Exam gloves L"]);
        check("store medline paper", Filter::All, None, &["Printer paper"]);
        check("gloves xl", Filter::All, None, &[]);
        check("", Filter::Low, None, &["Exam gloves M", "Printer paper"]);
        check("", Filter::Discrepancy, None, &["Printer paper"]);
        check("", Filter::Archived, None, &["Paper gowns"]);
        check("paper", Filter::All, None, &["Printer paper"]);
        check("", Filter::All, Some(Category::Office), &["Printer paper"]);
        check("", Filter::Low, Some(Category::Medical), &["Exam gloves M"]);
    }

    #[test]
    fn the_counts_agree_with_what_each_filter_shows() {
        let inventory = inventory();
        let low = low(&inventory);
        let counts = Counts::of(&inventory, &low);
        assert_eq!(
            counts,
            Counts {
                items: 3,
                low: 2,
                discrepancies: 1,
                archived: 1
            }
        );
        let hay = Haystacks::new(&inventory);
        for filter in [
            Filter::All,
            Filter::Low,
            Filter::Discrepancy,
            Filter::Archived,
        ] {
            let shown = matching(&inventory, &hay, &low, "", filter, None).len();
            assert_eq!(shown, counts.shown_by(filter), "{filter:?}");
        }
    }
}
