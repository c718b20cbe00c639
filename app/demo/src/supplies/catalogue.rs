//! What a family practice keeps, one item a line: medical supplies, office supplies,
//! cleaning, medications and vaccines, with their packs, places, suppliers (invented),
//! levels, how fast they go and, for lot-tracked ones, the lots the demo receives.

use crate::names::Rng;
use model::inventory::{Category, MovementKind, ValidItem};

pub(super) const LOT: u8 = 1; // Tracked by lot and expiry.
pub(super) const MAIN: u8 = 2; // Kept at the main site only.
pub(super) const LOW_MAIN: u8 = 4; // Ends at or below its reorder point at the main site…
pub(super) const LOW_HILL: u8 = 8; // …at Hillside.
pub(super) const RESTOCK: u8 = 16; // Delivered again ten days ago.

/// A lot received with the opening stock (or ten days ago, `restock`).
pub(super) struct LotPlan {
    pub(super) restock: bool,
    /// Days from today: below zero, expired.
    pub(super) expires_in: i64,
    pub(super) quantity: i64,
    /// What the uses leave in it, so that it shows in the expiry lists.
    pub(super) keep: i64,
}

const fn lot(expires_in: i64, quantity: i64, keep: i64) -> LotPlan {
    let restock = false;
    LotPlan {
        restock,
        expires_in,
        quantity,
        keep,
    }
}

const fn later_lot(expires_in: i64, quantity: i64) -> LotPlan {
    let (restock, keep) = (true, 0);
    LotPlan {
        restock,
        expires_in,
        quantity,
        keep,
    }
}

pub(super) struct Entry {
    pub(super) name: &'static str,
    pub(super) category: Category,
    pub(super) unit: &'static str,
    pub(super) pack: i64,
    pub(super) sku: &'static str,
    pub(super) location: &'static str,
    pub(super) supplier: &'static str,
    pub(super) cost: i64,
    /// Par, reorder point, reorder quantity.
    pub(super) levels: [i64; 3],
    /// About how many the practice uses in a week.
    pub(super) weekly: i64,
    pub(super) flags: u8,
    pub(super) lots: &'static [LotPlan],
}

#[allow(clippy::too_many_arguments)]
const fn e(
    name: &'static str,
    category: Category,
    (unit, pack): (&'static str, i64),
    sku: &'static str,
    (location, supplier): (&'static str, &'static str),
    cost: i64,
    levels: [i64; 3],
    (weekly, flags): (i64, u8),
    lots: &'static [LotPlan],
) -> Entry {
    Entry {
        name,
        category,
        unit,
        pack,
        sku,
        location,
        supplier,
        cost,
        levels,
        weekly,
        flags,
        lots,
    }
}

const MED: Category = Category::Medical;
const OFF: Category = Category::Office;
const CLN: Category = Category::Cleaning;
const RX: Category = Category::Medication;
const ROOM: &str = "Supply room A";
const EXAM: &str = "Exam 1 cabinet";
const FRIDGE: &str = "Vaccine fridge";
const DESK: &str = "Front desk drawer";
const CLOSET: &str = "Janitor closet";
const MEDS: &str = "Medication cabinet";
pub(super) const NORTHWIND: &str = "Northwind Medical Supply";
pub(super) const CONTOSO: &str = "Contoso Office";
const TAILSPIN: &str = "Tailspin Cleaning Co.";
const LAKESIDE: &str = "Lakeside Pharma Distributors";

// One item a line, to read as a table: name, category, (unit, pack size), SKU, (location,
// supplier), unit cost in cents, [par, reorder point, reorder quantity], (weekly use,
// flags), lots.
#[rustfmt::skip]
pub(super) const CATALOGUE: [Entry; 40] = [
    e("Nitrile exam gloves, small", MED, ("box of 100", 10), "GLV-S-100", (ROOM, NORTHWIND), 850, [20, 6, 10], (3, 0), &[]),
    e("Nitrile exam gloves, medium", MED, ("box of 100", 10), "GLV-M-100", (ROOM, NORTHWIND), 850, [30, 10, 20], (7, LOW_MAIN), &[]),
    e("Nitrile exam gloves, large", MED, ("box of 100", 10), "GLV-L-100", (ROOM, NORTHWIND), 850, [20, 6, 10], (4, LOW_HILL), &[]),
    e("Exam-table paper, 21 in roll", MED, ("roll", 12), "ETP-21", (ROOM, NORTHWIND), 420, [24, 8, 12], (6, LOW_MAIN | LOW_HILL), &[]),
    e("Alcohol prep pads", MED, ("box of 200", 10), "APP-200", (EXAM, NORTHWIND), 390, [12, 4, 10], (2, RESTOCK), &[]),
    e("Gauze sponges 4 x 4 in, non-sterile", MED, ("pack of 200", 10), "GZE-44-200", (EXAM, NORTHWIND), 1150, [10, 3, 5], (2, 0), &[]),
    e("Sterile gauze pads 4 x 4 in", MED, ("box of 25", 12), "GZE-44S-25", (EXAM, NORTHWIND), 675, [12, 4, 12], (2, LOT), &[lot(700, 14, 0)]),
    e("Syringes 3 mL, luer-lock", MED, ("box of 100", 4), "SYR-3-100", (ROOM, NORTHWIND), 1890, [8, 3, 4], (1, LOT), &[lot(900, 8, 0)]),
    e("Safety needles 25G x 1 in", MED, ("box of 100", 4), "NDL-25-100", (ROOM, NORTHWIND), 2450, [6, 2, 4], (1, 0), &[]),
    e("Sharps container, 2 gal", MED, ("each", 4), "SHC-2G", (ROOM, NORTHWIND), 560, [6, 2, 4], (1, 0), &[]),
    e("Tongue depressors", MED, ("box of 500", 10), "TGD-500", (EXAM, NORTHWIND), 720, [4, 1, 2], (1, MAIN), &[]),
    e("Specimen cups 4 oz, sterile", MED, ("pack of 100", 5), "SPC-4-100", (ROOM, NORTHWIND), 2290, [6, 2, 3], (1, LOT), &[lot(800, 6, 0)]),
    e("BP cuff covers, disposable", MED, ("pack of 50", 10), "BPC-50", (EXAM, NORTHWIND), 1325, [6, 2, 3], (1, 0), &[]),
    e("Adhesive bandages, assorted", MED, ("box of 100", 12), "BND-100", (EXAM, NORTHWIND), 480, [10, 3, 6], (2, 0), &[]),
    e("Cotton-tipped applicators", MED, ("box of 1000", 10), "CTA-1000", (EXAM, NORTHWIND), 1240, [4, 1, 2], (1, MAIN), &[]),
    e("Otoscope specula, disposable", MED, ("box of 250", 10), "OTO-250", (EXAM, NORTHWIND), 1580, [4, 1, 2], (1, MAIN), &[]),
    e("Urine test strips", MED, ("bottle of 100", 6), "UTS-100", (EXAM, NORTHWIND), 2875, [6, 2, 3], (1, LOT), &[lot(-3, 2, 1), lot(330, 4, 0)]),
    e("Procedure face masks", MED, ("box of 50", 10), "MSK-50", (ROOM, NORTHWIND), 690, [12, 4, 6], (2, 0), &[]),
    e("Suture removal kits, sterile", MED, ("each", 10), "SRK-1", (ROOM, NORTHWIND), 325, [10, 3, 10], (1, LOT | MAIN), &[lot(540, 10, 0)]),
    e("Printer paper, letter", OFF, ("ream of 500", 10), "PPR-LTR-500", (ROOM, CONTOSO), 649, [20, 6, 10], (4, RESTOCK), &[]),
    e("Toner cartridge, desk printer", OFF, ("each", 1), "TNR-DESK-01", (DESK, CONTOSO), 8900, [3, 1, 2], (1, LOW_MAIN | LOW_HILL), &[]),
    e("Address labels 1 x 2-5/8 in", OFF, ("pack of 30 sheets", 1), "LBL-30", (DESK, CONTOSO), 1499, [6, 2, 3], (1, 0), &[]),
    e("Ballpoint pens, black", OFF, ("box of 12", 1), "PEN-BLK-12", (DESK, CONTOSO), 399, [10, 3, 5], (1, 0), &[]),
    e("Clipboards", OFF, ("each", 1), "CLP-1", (DESK, CONTOSO), 275, [10, 3, 5], (0, 0), &[]),
    e("Appointment cards", OFF, ("pack of 250", 1), "APC-250", (DESK, CONTOSO), 1850, [4, 1, 2], (1, 0), &[]),
    e("Sticky notes 3 x 3 in", OFF, ("pack of 12 pads", 1), "STN-12", (DESK, CONTOSO), 899, [4, 1, 2], (1, MAIN), &[]),
    e("File folders, letter", OFF, ("box of 100", 1), "FLD-100", (ROOM, CONTOSO), 1699, [3, 1, 1], (0, MAIN), &[]),
    e("Disinfectant wipes, 160 count", CLN, ("canister", 12), "DSW-160", (CLOSET, TAILSPIN), 725, [24, 8, 12], (6, LOW_HILL), &[]),
    e("Hand sanitiser, 500 mL pump", CLN, ("bottle", 12), "HSN-500", (CLOSET, TAILSPIN), 540, [12, 4, 12], (2, LOW_MAIN), &[]),
    e("Surface disinfectant spray, 1 L", CLN, ("bottle", 6), "SDS-1L", (CLOSET, TAILSPIN), 830, [8, 3, 6], (2, 0), &[]),
    e("Paper towels, multifold", CLN, ("pack of 250", 16), "PTW-250", (CLOSET, TAILSPIN), 310, [32, 10, 16], (8, RESTOCK), &[]),
    e("Trash bags, 33 gal", CLN, ("roll of 25", 1), "TRB-33-25", (CLOSET, TAILSPIN), 995, [6, 2, 3], (1, 0), &[]),
    e("Biohazard bags, red", CLN, ("roll of 50", 1), "BHB-50", (CLOSET, TAILSPIN), 1450, [4, 1, 2], (1, 0), &[]),
    e("Influenza vaccine, 0.5 mL prefilled syringe", RX, ("dose", 10), "VAC-FLU-05", (FRIDGE, LAKESIDE), 1875, [40, 10, 20], (10, LOT), &[lot(24, 30, 4), later_lot(190, 20)]),
    e("Tdap vaccine, prefilled syringe", RX, ("dose", 10), "VAC-TDAP", (FRIDGE, LAKESIDE), 4250, [10, 3, 10], (2, LOT), &[lot(52, 6, 2), lot(420, 6, 0)]),
    e("Tetanus-diphtheria (Td) vaccine", RX, ("dose", 10), "VAC-TD", (FRIDGE, LAKESIDE), 3150, [6, 2, 10], (1, LOT), &[lot(83, 6, 2)]),
    e("Lidocaine 1%, 20 mL vial", RX, ("vial", 25), "LID-1-20", (MEDS, LAKESIDE), 395, [20, 5, 25], (2, LOT), &[lot(-6, 8, 3), lot(310, 12, 0)]),
    e("Epinephrine auto-injector 0.3 mg", RX, ("each", 2), "EPI-03", (EXAM, LAKESIDE), 9800, [4, 2, 2], (0, LOT), &[lot(160, 4, 0)]),
    e("Ibuprofen 200 mg tablets", RX, ("bottle of 100", 12), "IBU-200-100", (MEDS, LAKESIDE), 450, [6, 2, 6], (1, LOT), &[lot(540, 8, 0)]),
    e("Acetaminophen 325 mg tablets", RX, ("bottle of 100", 12), "APAP-325-100", (MEDS, LAKESIDE), 425, [6, 2, 6], (1, LOT | MAIN), &[lot(610, 8, 0)]),
];

/// The one waste and the one adjustment of each site: (SKU, kind, quantity, reason).
#[rustfmt::skip]
pub(super) const MISHAPS: [(&str, MovementKind, i64, &str); 2] = [
    ("SDS-1L", MovementKind::Waste, 1, "Bottle cracked and leaked in the closet"),
    ("PEN-BLK-12", MovementKind::Adjust, -1, "Counted one box fewer than recorded"),
];

/// A lot number as printed on a box: "FLUK0421".
pub(super) fn lot_number(sku: &str, rng: &mut Rng) -> String {
    let code: String = (sku.trim_start_matches("VAC-").chars())
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect();
    let letter = char::from(b'A' + rng.below(26) as u8);
    format!("{code}{letter}{:04}", rng.below(10_000))
}

/// A made-up barcode with a valid check digit: 13 digits starting with 2 (EAN-13 kept for
/// in-store use), or for office supplies 12 starting with 4 (UPC-A, likewise).
fn barcode(index: usize, category: Category) -> String {
    let n = index as u64 * 7_919 + 1_301;
    let data = match category {
        Category::Office => format!("4{:010}", 6_020_000_000 + n),
        _ => format!("20{:010}", 4_815_000_000 + n),
    };
    let weigh = |(i, b): (usize, u8)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 };
    let sum: u32 = data.bytes().rev().enumerate().map(weigh).sum();
    format!("{data}{}", (10 - sum % 10) % 10)
}

pub(super) fn valid_item(index: usize) -> ValidItem {
    let e = &CATALOGUE[index];
    let [par, reorder_point, reorder_qty] = e.levels;
    ValidItem {
        name: e.name.into(),
        category: e.category,
        unit: e.unit.into(),
        pack_size: e.pack,
        sku: e.sku.into(),
        barcode: barcode(index, e.category),
        location: e.location.into(),
        supplier: e.supplier.into(),
        vendor: None,
        unit_cost_cents: e.cost,
        par,
        reorder_point,
        reorder_qty,
        lot_tracked: e.flags & LOT != 0,
    }
}
