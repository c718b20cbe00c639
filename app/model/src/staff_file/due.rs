//! What falls due in the staff file within [`WITHIN_DAYS`], at every site: a probation
//! ending, a newcomer's onboarding not finished, a course due, an appraisal due, each with
//! its day, the soonest first. Overdue ones stay until done.

use chrono::{Days, NaiveDate};

use super::StaffFiles;
use crate::{Directory, SiteId, StaffId};

/// How far ahead is shown.
pub const WITHIN_DAYS: u64 = 30;
/// Someone hired this many days ago or less is a newcomer, whose onboarding is followed.
pub const NEWCOMER_DAYS: u64 = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DueKind {
    ProbationEnds,
    Onboarding { done: usize, of: usize },
    Training { course: String },
    Appraisal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueItem {
    pub staff: StaffId,
    pub name: String,
    /// The site they mostly work at.
    pub site: SiteId,
    pub kind: DueKind,
    pub day: NaiveDate,
}

impl DueItem {
    /// "Probation ends", "Onboarding: 2 of 5 done", "Training: BLS refresher", "Appraisal".
    pub fn describe(&self) -> String {
        match &self.kind {
            DueKind::ProbationEnds => "Probation ends".into(),
            DueKind::Onboarding { done, of } => format!("Onboarding: {done} of {of} done"),
            DueKind::Training { course } => format!("Training: {course}"),
            DueKind::Appraisal => "Appraisal due".into(),
        }
    }

    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.day < today && self.kind != DueKind::ProbationEnds
    }
}

/// Everything due by `today` + [`WITHIN_DAYS`] for the people of `directory`.
pub fn due(files: &StaffFiles, directory: &Directory, today: NaiveDate) -> Vec<DueItem> {
    let horizon = today + Days::new(WITHIN_DAYS);
    let mut all = Vec::new();
    for person in &directory.staff {
        let item = |kind, day| DueItem {
            staff: person.id.clone(),
            name: person.name.clone(),
            site: person.home.clone(),
            kind,
            day,
        };
        let terms = files.terms_of(&person.id);
        if let Some(end) = terms
            .probation_end
            .filter(|end| (today..=horizon).contains(end))
        {
            all.push(item(DueKind::ProbationEnds, end));
        }
        if let Some(hired) = terms.hired {
            let newcomer = hired <= horizon && hired + Days::new(NEWCOMER_DAYS) >= today;
            let (done, of) = files.onboarded(&person.id);
            if newcomer && done < of {
                all.push(item(DueKind::Onboarding { done, of }, hired));
            }
        }
        for course in files
            .training
            .iter()
            .filter(|t| t.staff == person.id && t.done.is_none() && t.due <= horizon)
        {
            all.push(item(
                DueKind::Training {
                    course: course.course.clone(),
                },
                course.due,
            ));
        }
        if let Some(day) = files.next_appraisal(&person.id).filter(|d| *d <= horizon) {
            all.push(item(DueKind::Appraisal, day));
        }
    }
    all.sort_by(|a, b| (a.day, &a.name, a.describe()).cmp(&(b.day, &b.name, b.describe())));
    all
}
