//! Three weeks of one site's stock: the opening stock, a delivery ten days ago, the desk's
//! uses on the days the site opens, the waste and the adjustment, the order on its way and
//! the draft, laid out so that nothing ever goes below zero, on the item or on a lot.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::catalogue::{valid_item, Entry, CATALOGUE, CONTOSO, MISHAPS, NORTHWIND};
use super::catalogue::{LOW_HILL, LOW_MAIN, MAIN, RESTOCK};
use super::{DemoDelivery, DemoMovement, DemoOrder, DemoSupplies};
use crate::names::Rng;
use crate::practice::hillside;
use crate::DemoClinic;
use model::directory::time;
use model::inventory::{Category, MovementKind};
use model::{Site, StaffMember};

/// One site's supplies, with `numbers` the lot numbers of each catalogue entry's lots;
/// `None` when the site has not opened in the last three weeks.
pub(super) fn site_supplies(
    clinic: &DemoClinic,
    site: &Site,
    main: bool,
    numbers: &[Vec<String>],
    (today, now): (NaiveDate, NaiveDateTime),
    rng: &mut Rng,
) -> Option<DemoSupplies> {
    let cal = Calendar { site, today, now };
    let plan = cal.plan(clinic)?;
    Some(plan.supplies(main, numbers, rng))
}

/// The days a site is open around today.
struct Calendar<'a> {
    site: &'a Site,
    today: NaiveDate,
    now: NaiveDateTime,
}

impl Calendar<'_> {
    /// The first day the site opens, `days` days ago or later, up to yesterday.
    fn open_since(&self, days: i64) -> Option<NaiveDate> {
        let from = self.today - TimeDelta::days(days);
        let mut days = from.iter_days().take_while(|d| *d < self.today);
        days.find(|d| self.site.hours.on(*d).is_some())
    }

    /// The last day the site opened before today, after `after`.
    fn last_open_after(&self, after: NaiveDate) -> Option<NaiveDate> {
        let days = (after.iter_days().skip(1)).take_while(|d| *d < self.today);
        days.filter(|d| self.site.hours.on(*d).is_some()).last()
    }

    /// `minutes` after the site opens on `day`, never later than now.
    fn at(&self, day: NaiveDate, minutes: i64) -> NaiveDateTime {
        let open = self.site.hours.on(day).map_or(time(9, 0), |(open, _)| open);
        (day.and_time(open) + TimeDelta::minutes(minutes)).min(self.now)
    }

    /// When the desk may use stock: each open day after `first` up to now, from a quarter
    /// of an hour after opening, with how many minutes of it there are.
    fn slots(&self, first: NaiveDate) -> Vec<(NaiveDateTime, u32)> {
        let days = (first.iter_days().skip(1)).take_while(|d| *d <= self.today);
        let mut slots = Vec::new();
        for day in days {
            let Some((open, close)) = self.site.hours.on(day) else {
                continue;
            };
            let end = match day == self.today {
                true => close.min(self.now.time()),
                false => close,
            };
            let minutes = (end - open).num_minutes() - 30;
            if minutes > 0 {
                let start = day.and_time(open) + TimeDelta::minutes(15);
                slots.push((start, minutes as u32));
            }
        }
        slots
    }

    fn plan<'a>(&'a self, clinic: &'a DemoClinic) -> Option<Plan<'a>> {
        let (first, restock) = (self.open_since(21)?, self.open_since(10)?);
        let (mishap, ordered) = (self.open_since(6)?, self.open_since(5)?);
        let manager = clinic.staff.iter().find(|m| m.role.contains("manager"));
        let manager = manager.or(clinic.staff.last()).map(|m| m.name.clone());
        let manager = manager.unwrap_or_else(|| "Office manager".into());
        let at_hillside = |m: &&StaffMember| m.role.contains("Hillside");
        let mut desk: Vec<String> = (clinic.staff.iter())
            .filter(|m| m.role.starts_with("Receptionist"))
            .filter(|m| at_hillside(m) == (self.site.id == hillside()))
            .map(|m| m.name.clone())
            .collect();
        if desk.is_empty() {
            desk.push(manager.clone());
        }
        let rooms = (clinic.rooms.iter())
            .filter(|r| r.site == self.site.id)
            .map(|r| r.name.clone())
            .collect();
        Some(Plan {
            cal: self,
            desk,
            manager,
            rooms,
            first: self.at(first, 30),
            restock: self.at(restock, 90),
            mishap: self.at(mishap, 240),
            ordered,
            slots: self.slots(first),
        })
    }
}

/// One site's history, laid out around its opening days.
struct Plan<'a> {
    cal: &'a Calendar<'a>,
    desk: Vec<String>,
    manager: String,
    rooms: Vec<String>,
    /// When the opening stock came in.
    first: NaiveDateTime,
    /// When a few items came in again.
    restock: NaiveDateTime,
    /// When the waste and the adjustment happened.
    mishap: NaiveDateTime,
    /// The day the open order was made and sent.
    ordered: NaiveDate,
    slots: Vec<(NaiveDateTime, u32)>,
}

impl Plan<'_> {
    fn supplies(&self, main: bool, numbers: &[Vec<String>], rng: &mut Rng) -> DemoSupplies {
        let chosen: Vec<usize> = (0..CATALOGUE.len())
            .filter(|&i| main || CATALOGUE[i].flags & MAIN == 0)
            .collect();
        let orders = self.orders(main, &chosen);
        let mut movements = Vec::new();
        for (item, &index) in chosen.iter().enumerate() {
            let entry = &CATALOGUE[index];
            let low = entry.flags & if main { LOW_MAIN } else { LOW_HILL } != 0;
            let delivered: Vec<(NaiveDateTime, i64)> = (orders.iter())
                .flat_map(|o| o.deliveries.iter().map(|d| (o.lines[d.line], d)))
                .filter(|((line_item, _), _)| *line_item == item)
                .map(|(_, d)| (d.at, d.quantity))
                .collect();
            let moves = match entry.lots.is_empty() {
                true => self.counted(item, entry, low, &delivered, rng),
                false => self.in_lots(item, entry, &numbers[index], rng),
            };
            movements.extend(moves);
        }
        movements.sort_by_key(|m| (m.at, m.kind != MovementKind::Receive));
        let items = chosen.into_iter().map(valid_item).collect();
        DemoSupplies {
            items,
            movements,
            orders,
        }
    }

    /// The order on its way (sent five days ago, the first line half delivered since) and
    /// at the main site an office order still in draft.
    fn orders(&self, main: bool, chosen: &[usize]) -> Vec<DemoOrder> {
        let place = |sku: &str| chosen.iter().position(|&i| CATALOGUE[i].sku == sku);
        let lines = |wanted: &[(&str, i64)]| -> Vec<(usize, i64)> {
            let found = wanted.iter().map(|(sku, q)| place(sku).map(|i| (i, *q)));
            found.flatten().collect()
        };
        let mut orders = Vec::new();
        let on_its_way = lines(&[("GLV-S-100", 20), ("NDL-25-100", 4), ("SHC-2G", 4)]);
        let delivered = self.cal.last_open_after(self.ordered);
        let deliveries = (on_its_way.first().zip(delivered))
            .map(|(&(_, quantity), day)| DemoDelivery {
                line: 0,
                quantity: quantity / 2,
                lot: None,
                at: self.cal.at(day, 120),
                by: self.desk[0].clone(),
            })
            .into_iter()
            .collect();
        orders.push(DemoOrder {
            supplier: NORTHWIND.into(),
            created: self.cal.at(self.ordered, 60),
            created_by: self.manager.clone(),
            sent: Some(self.cal.at(self.ordered, 180)),
            lines: on_its_way,
            deliveries,
        });
        let yesterday = self.cal.last_open_after(self.first.date());
        if let Some(day) = yesterday.filter(|_| main) {
            orders.push(DemoOrder {
                supplier: CONTOSO.into(),
                created: self.cal.at(day, 420),
                created_by: self.desk[self.desk.len() - 1].clone(),
                sent: None,
                lines: lines(&[("PEN-BLK-12", 5), ("LBL-30", 2), ("STN-12", 2)]),
                deliveries: Vec::new(),
            });
        }
        orders
    }

    /// The opening stock, or with `restock` a delivery ten days ago.
    fn receipt(&self, item: usize, entry: &Entry, quantity: i64, restock: bool) -> DemoMovement {
        let (reason, by, at) = match restock {
            false => (
                "Opening stock".to_string(),
                self.manager.clone(),
                self.first,
            ),
            true => {
                let reason = format!("Delivery from {}", entry.supplier);
                (reason, self.desk[0].clone(), self.restock)
            }
        };
        let (kind, lot) = (MovementKind::Receive, None);
        DemoMovement {
            item,
            kind,
            quantity,
            lot,
            reason,
            at,
            by,
        }
    }

    fn used(
        &self,
        item: usize,
        entry: &Entry,
        quantity: i64,
        at: NaiveDateTime,
        rng: &mut Rng,
    ) -> DemoMovement {
        let by = rng.pick(&self.desk).clone();
        let restocked =
            entry.category == Category::Medical && !self.rooms.is_empty() && rng.chance(40);
        let reason = match restocked {
            true => format!("Restocked {}", rng.pick(&self.rooms)),
            false => String::new(),
        };
        let (kind, lot) = (MovementKind::Use, None);
        DemoMovement {
            item,
            kind,
            quantity,
            lot,
            reason,
            at,
            by,
        }
    }

    /// `total` used in a few takes at random moments of the open days, in order of time.
    fn spread(&self, total: i64, weekly: i64, rng: &mut Rng) -> Vec<(NaiveDateTime, i64)> {
        if total <= 0 || self.slots.is_empty() {
            return Vec::new();
        }
        let takes = total.min(1 + weekly.min(6) + i64::from(rng.below(3))) as usize;
        let mut parts = vec![1; takes];
        for _ in takes as i64..total {
            parts[rng.below(takes as u32) as usize] += 1;
        }
        let mut uses: Vec<(NaiveDateTime, i64)> = (parts.into_iter())
            .map(|quantity| {
                let (start, minutes) = *rng.pick(&self.slots);
                (
                    start + TimeDelta::minutes(rng.below(minutes).into()),
                    quantity,
                )
            })
            .collect();
        uses.sort_by_key(|(at, _)| *at);
        uses
    }

    /// An item counted as a whole: the opening stock at par, perhaps a delivery, then uses
    /// down to where it ends, at or below the reorder point when `low`. A use never takes
    /// what the mishaps still need, nor more than there is: what it could not take is
    /// taken at the item's last moment.
    fn counted(
        &self,
        item: usize,
        entry: &Entry,
        low: bool,
        delivered: &[(NaiveDateTime, i64)],
        rng: &mut Rng,
    ) -> Vec<DemoMovement> {
        let [par, point, again] = entry.levels;
        let mut out = vec![self.receipt(item, entry, par, false)];
        let mut inflows = delivered.to_vec();
        if entry.flags & RESTOCK != 0 {
            out.push(self.receipt(item, entry, again, true));
            inflows.push((self.restock, again));
        }
        let mishaps: Vec<_> = MISHAPS.iter().filter(|m| m.0 == entry.sku).collect();
        let mut reserved: i64 = mishaps.iter().map(|m| m.2.abs()).sum();
        // Where it ends: from half the reorder point (at least 1) up to it when low, above
        // it up to par otherwise; at par when nobody uses it.
        let least = (point / 2).max(1).min(point);
        let end = match (entry.weekly, low) {
            (0, _) => par,
            (_, true) => least + i64::from(rng.below((point - least + 1) as u32)),
            (_, false) => point + 1 + i64::from(rng.below((par - point).max(1) as u32)),
        };
        let total = par + inflows.iter().map(|(_, q)| q).sum::<i64>();
        let uses = self.spread(total - end - reserved, entry.weekly, rng);
        // (when, whether it takes stock, what): deliveries first at the same moment.
        let mut events: Vec<(NaiveDateTime, bool, Option<usize>, i64)> = Vec::new();
        events.extend(inflows.iter().map(|&(at, q)| (at, false, None, q)));
        events.extend((0..mishaps.len()).map(|m| (self.mishap, true, Some(m), 0)));
        events.extend(uses.iter().map(|&(at, q)| (at, true, None, q)));
        events.sort_by_key(|(at, takes, ..)| (*at, *takes));
        let (mut on_hand, mut owed, mut last) = (par, 0, self.first);
        for (at, takes, mishap, quantity) in events {
            last = last.max(at);
            match (takes, mishap) {
                (false, _) => on_hand += quantity,
                (true, Some(m)) => {
                    let (_, kind, quantity, reason) = *mishaps[m];
                    let by = self.manager.clone();
                    let (reason, lot) = (reason.to_string(), None);
                    out.push(DemoMovement {
                        item,
                        kind,
                        quantity,
                        lot,
                        reason,
                        at,
                        by,
                    });
                    on_hand -= quantity.abs();
                    reserved -= quantity.abs();
                }
                (true, None) => {
                    let take = (quantity + owed).min(on_hand - reserved).max(0);
                    owed += quantity - take;
                    on_hand -= take;
                    if take > 0 {
                        out.push(self.used(item, entry, take, at, rng));
                    }
                }
            }
        }
        if owed > 0 {
            out.push(self.used(item, entry, owed.min(on_hand), last, rng));
        }
        out
    }

    /// A lot-tracked item: its lots received, then uses first-expiring-first as the app
    /// takes them, each from one lot and leaving what the lot must keep; a use that would
    /// need more is smaller, or not made.
    fn in_lots(
        &self,
        item: usize,
        entry: &Entry,
        numbers: &[String],
        rng: &mut Rng,
    ) -> Vec<DemoMovement> {
        let mut out = Vec::new();
        // (expiry, received, on hand, to keep)
        let mut lots: Vec<(NaiveDate, NaiveDateTime, i64, i64)> = Vec::new();
        for (plan, number) in entry.lots.iter().zip(numbers) {
            let expiry = self.cal.today + TimeDelta::days(plan.expires_in);
            let mut receipt = self.receipt(item, entry, plan.quantity, plan.restock);
            receipt.lot = Some((number.clone(), expiry));
            lots.push((expiry, receipt.at, plan.quantity, plan.keep));
            out.push(receipt);
        }
        lots.sort_by_key(|(expiry, received, ..)| (*expiry, *received));
        let total = entry.weekly * 3 * i64::from(80 + rng.below(41)) / 100;
        for (at, wanted) in self.spread(total, entry.weekly, rng) {
            let usable = lots.iter_mut().find(|(expiry, received, on_hand, _)| {
                *received <= at && *expiry >= at.date() && *on_hand > 0
            });
            let Some((_, _, on_hand, keep)) = usable else {
                continue;
            };
            let take = wanted.min(*on_hand - *keep);
            if take > 0 {
                *on_hand -= take;
                out.push(self.used(item, entry, take, at, rng));
            }
        }
        out
    }
}
