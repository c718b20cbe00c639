//! Who may sign in, and what each may do: a role per person ([`Role`]), the table of what
//! each role may do ([`Role::may`]), and each person's sign-in record ([`SignIn`]: the
//! PIN's hash, a pending set-up code, wrong PINs in a row), kept in the directory's
//! `access` map by staff id, so that any device of the organisation can sign anyone in
//! while offline. The sites a person works at are their staff record's.
//!
//! [`pin`] has the PIN rules and the hashing, [`lockout`] the waits after wrong PINs, and
//! [`stamp`] the attribution every change carries.

pub mod lockout;
pub mod pin;
pub mod stamp;

use automerge::transaction::Transactable;
use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ReadDoc};

use crate::document::maps;
use crate::fields::{int, new_record, put_changed, record, text, write_error};
use crate::refusal::{Access as Refused, Missing, Thing};
use crate::staff::put_staff;
use crate::{Document, DocumentError, StaffId, StaffMember};

/// How long a set-up code may be used after it is issued: three days.
pub const SETUP_VALID_MS: i64 = 72 * 3600 * 1000;

/// What a person may do in the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Works the schedule, check-in, stock use and tasks of their sites.
    FrontDesk,
    /// Also runs rosters, people, settings, exports and the audit.
    Manager,
    /// A manager who may also make and unmake managers and owners.
    Owner,
}

/// Something a role may or may not do. The views offer only what the signed-in person's
/// role may; the model's edits do not check it (a modified client could do anything its
/// device token allows, see ARCHITECTURE.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Book, move and cancel appointments; the waitlist.
    WorkSchedule,
    /// Check patients in, room them, check them out.
    CheckIn,
    /// Record the use and receipt of stock.
    UseStock,
    /// Work the task boards.
    WorkTasks,
    /// Items, orders, counts and stock imports.
    ManageStock,
    /// Shifts, swaps, time off and the roster's setup.
    RunRoster,
    /// Staff records, their credentials and sign-ins (set-up codes, unlocking).
    ManagePeople,
    /// The organisation's and the device's settings.
    ChangeSettings,
    /// Exports and prints of patient data, and spreadsheet exports.
    Export,
    /// The audit trail.
    Audit,
    /// The summary of every site.
    Oversee,
    /// Appraisal-level information about other people.
    SeeAppraisals,
    /// Make someone a manager or an owner, or take it away.
    GrantRoles,
}

impl Action {
    pub const ALL: [Self; 13] = [
        Self::WorkSchedule,
        Self::CheckIn,
        Self::UseStock,
        Self::WorkTasks,
        Self::ManageStock,
        Self::RunRoster,
        Self::ManagePeople,
        Self::ChangeSettings,
        Self::Export,
        Self::Audit,
        Self::Oversee,
        Self::SeeAppraisals,
        Self::GrantRoles,
    ];
}

impl Role {
    pub const ALL: [Self; 3] = [Self::FrontDesk, Self::Manager, Self::Owner];

    /// Whether this role may do `action`: the whole permission table.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Self::Owner => true,
            Self::Manager => action != GrantRoles,
            Self::FrontDesk => matches!(action, WorkSchedule | CheckIn | UseStock | WorkTasks),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::FrontDesk => "front-desk",
            Self::Manager => "manager",
            Self::Owner => "owner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::FrontDesk => "Front desk",
            Self::Manager => "Manager",
            Self::Owner => "Owner",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A pending set-up code: its hash and when it stops working.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    pub hash: String,
    pub expires_ms: i64,
}

/// A wrong PIN, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: String,
    pub at_ms: i64,
    pub device: String,
}

/// One person's sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignIn {
    pub staff: StaffId,
    pub role: Role,
    /// The PIN's Argon2id hash; `None` until the person has chosen one.
    pub pin: Option<String>,
    /// The hash of the PIN a set-up code replaced: the new PIN must differ from it.
    pub previous_pin: Option<String>,
    pub setup: Option<Setup>,
    /// Wrong PINs since the last right one or the last unlock, oldest first.
    pub failures: Vec<Failure>,
}

impl SignIn {
    /// Whether [`lockout`] lets the person try now.
    pub fn gate(&self, now_ms: i64) -> lockout::Gate {
        let times: Vec<i64> = self.failures.iter().map(|f| f.at_ms).collect();
        lockout::gate(&times, now_ms)
    }

    /// Whether the set-up code is still usable at `now_ms`.
    pub fn setup_open(&self, now_ms: i64) -> bool {
        self.setup.as_ref().is_some_and(|s| now_ms < s.expires_ms)
    }
}

/// Every sign-in of the organisation, by staff id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignIns {
    pub all: Vec<SignIn>,
    /// Records that do not read (a damaged or newer record): that person cannot sign in
    /// until a manager issues a new code.
    pub unreadable: Vec<StaffId>,
}

impl SignIns {
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let map = Document::root_map(doc, maps::ACCESS)?;
        let mut failures = read_failures(doc)?;
        let mut signins = Self::default();
        for id in doc.keys(&map) {
            match read_one(doc, &map, &id, &mut failures) {
                Some(signin) => signins.all.push(signin),
                None => signins.unreadable.push(StaffId::from(id)),
            }
        }
        Ok(signins)
    }

    pub fn of(&self, staff: &StaffId) -> Option<&SignIn> {
        self.all.iter().find(|s| &s.staff == staff)
    }

    /// Whether nobody has been set up to sign in yet: a new organisation.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.unreadable.is_empty()
    }

    /// The role of `staff`, if they may sign in.
    pub fn role(&self, staff: &StaffId) -> Option<Role> {
        self.of(staff).map(|s| s.role)
    }
}

fn read_one(
    doc: &AutoCommit,
    map: &ObjId,
    id: &str,
    failures: &mut BTreeMap<String, Vec<Failure>>,
) -> Option<SignIn> {
    let obj = record(doc, map, id)?;
    let role = Role::parse(&text(doc, &obj, "role")?)?;
    let pin = text(doc, &obj, "pin").filter(|p| !p.is_empty());
    let previous_pin = text(doc, &obj, "previous_pin").filter(|p| !p.is_empty());
    let setup = text(doc, &obj, "setup")
        .filter(|h| !h.is_empty())
        .map(|hash| Setup {
            hash,
            expires_ms: int(doc, &obj, "setup_expires").unwrap_or(0),
        });
    let mut failures = failures.remove(id).unwrap_or_default();
    failures.sort_by_key(|f| (f.at_ms, f.id.clone()));
    Some(SignIn {
        staff: StaffId::from(id),
        role,
        pin,
        previous_pin,
        setup,
        failures,
    })
}

/// Every recorded wrong PIN, by staff id. A record that does not read is left out: a
/// damaged failure must not lock anyone out.
fn read_failures(doc: &AutoCommit) -> Result<BTreeMap<String, Vec<Failure>>, DocumentError> {
    let map = Document::root_map(doc, maps::SIGN_IN_FAILURES)?;
    let mut all: BTreeMap<String, Vec<Failure>> = BTreeMap::new();
    for key in doc.keys(&map) {
        let Some(entry) = record(doc, &map, &key) else {
            continue;
        };
        let (Some(staff), Some(at_ms)) = (text(doc, &entry, "staff"), int(doc, &entry, "at"))
        else {
            continue;
        };
        all.entry(staff).or_default().push(Failure {
            at_ms,
            device: text(doc, &entry, "device").unwrap_or_default(),
            id: key,
        });
    }
    Ok(all)
}

/// The record of `staff` in the access map, made when missing.
fn record_of(doc: &mut AutoCommit, staff: &StaffId) -> Result<ObjId, DocumentError> {
    let map = Document::root_map(doc, maps::ACCESS)?;
    match record(doc, &map, staff.as_str()) {
        Some(obj) => Ok(obj),
        None => new_record(doc, &map, staff.as_str()),
    }
}

fn existing(doc: &AutoCommit, staff: &StaffId) -> Result<ObjId, DocumentError> {
    let map = Document::root_map(doc, maps::ACCESS)?;
    record(doc, &map, staff.as_str()).ok_or_else(|| Refused::NoSignIn.into())
}

/// Sets up a new organisation: `owner` joins the staff as its first owner, with the PIN
/// whose hash is given. Refused once anyone may sign in.
pub fn start_organisation(
    doc: &mut AutoCommit,
    owner: &StaffMember,
    pin_hash: &str,
) -> Result<(), DocumentError> {
    if !SignIns::read(doc)?.is_empty() {
        return Err(Refused::AlreadyStarted.into());
    }
    put_staff(doc, owner)?;
    let obj = record_of(doc, &owner.id)?;
    put_changed(doc, &obj, "role", Role::Owner.code())?;
    put_changed(doc, &obj, "pin", pin_hash)
}

/// Gives `staff` a new set-up code (its hash, valid until `expires_ms`) and `role`: their
/// old PIN stops working and their wrong PINs are forgotten. What a manager does for a new
/// person, a forgotten PIN and a lock-out alike.
pub fn issue_setup(
    doc: &mut AutoCommit,
    staff: &StaffId,
    role: Role,
    code_hash: &str,
    expires_ms: i64,
) -> Result<(), DocumentError> {
    let directory = crate::Directory::read(doc)?;
    if directory.staff_member(staff).is_none() {
        return Err(Missing::Gone(Thing::Person).into());
    }
    refuse_losing_last_owner(doc, staff, role)?;
    let obj = record_of(doc, staff)?;
    put_changed(doc, &obj, "role", role.code())?;
    if let Some(old) = text(doc, &obj, "pin").filter(|p| !p.is_empty()) {
        put_changed(doc, &obj, "previous_pin", old.as_str())?;
    }
    put_changed(doc, &obj, "pin", "")?;
    put_changed(doc, &obj, "setup", code_hash)?;
    put_changed(doc, &obj, "setup_expires", expires_ms)?;
    clear(doc, staff)
}

/// Changes the role of someone who may sign in.
pub fn set_role(doc: &mut AutoCommit, staff: &StaffId, role: Role) -> Result<(), DocumentError> {
    let obj = existing(doc, staff)?;
    refuse_losing_last_owner(doc, staff, role)?;
    put_changed(doc, &obj, "role", role.code())
}

/// Takes away someone's sign-in altogether.
pub fn revoke(doc: &mut AutoCommit, staff: &StaffId) -> Result<(), DocumentError> {
    existing(doc, staff)?;
    refuse_losing_last_owner(doc, staff, Role::FrontDesk)?;
    let map = Document::root_map(doc, maps::ACCESS)?;
    doc.delete(&map, staff.as_str()).map_err(write_error)
}

fn refuse_losing_last_owner(
    doc: &AutoCommit,
    staff: &StaffId,
    role: Role,
) -> Result<(), DocumentError> {
    let signins = SignIns::read(doc)?;
    let owners = signins
        .all
        .iter()
        .filter(|s| s.role == Role::Owner && s.pin.is_some());
    let others = owners.filter(|s| &s.staff != staff).count();
    let is_owner = signins.role(staff) == Some(Role::Owner);
    if is_owner && role != Role::Owner && others == 0 {
        return Err(Refused::LastOwner.into());
    }
    Ok(())
}

/// The person's chosen PIN (its hash), replacing their set-up code, whose hash must still
/// be `code_hash` (the code that was checked) and which must not have expired at `now_ms`.
pub fn choose_pin(
    doc: &mut AutoCommit,
    staff: &StaffId,
    code_hash: &str,
    pin_hash: &str,
    now_ms: i64,
) -> Result<(), DocumentError> {
    let obj = existing(doc, staff)?;
    if text(doc, &obj, "setup").as_deref() != Some(code_hash) {
        return Err(Refused::CodeGone.into());
    }
    if int(doc, &obj, "setup_expires").is_none_or(|expires| now_ms >= expires) {
        return Err(Refused::CodeExpired.into());
    }
    put_changed(doc, &obj, "pin", pin_hash)?;
    put_changed(doc, &obj, "setup", "")?;
    clear(doc, staff)
}

/// Records a wrong PIN (or set-up code) for `staff`.
pub fn record_failure(
    doc: &mut AutoCommit,
    staff: &StaffId,
    failure: &Failure,
) -> Result<(), DocumentError> {
    existing(doc, staff)?;
    let map = Document::root_map(doc, maps::SIGN_IN_FAILURES)?;
    let entry = new_record(doc, &map, &failure.id)?;
    doc.put(&entry, "staff", staff.as_str())
        .map_err(write_error)?;
    doc.put(&entry, "at", failure.at_ms).map_err(write_error)?;
    doc.put(&entry, "device", failure.device.as_str())
        .map_err(write_error)
}

/// Forgets the wrong PINs of `staff`: after a right one, or a manager's unlock. Writes
/// nothing when there are none, so an ordinary sign-in changes no document.
pub fn clear_failures(doc: &mut AutoCommit, staff: &StaffId) -> Result<(), DocumentError> {
    existing(doc, staff)?;
    clear(doc, staff)
}

/// Deletes the failures of `staff` this device has seen: one recorded meanwhile elsewhere
/// stays, and counts.
fn clear(doc: &mut AutoCommit, staff: &StaffId) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::SIGN_IN_FAILURES)?;
    let theirs: Vec<String> = doc
        .keys(&map)
        .filter(|key| {
            record(doc, &map, key)
                .is_some_and(|entry| text(doc, &entry, "staff").as_deref() == Some(staff.as_str()))
        })
        .collect();
    for key in theirs {
        doc.delete(&map, key.as_str()).map_err(write_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
