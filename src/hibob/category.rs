//! HiBob's field categories that a check proves, the one cheap field it asks for in each, and the people
//! search that asks for them.
//!
//! HiBob sorts employee fields into categories, and a service user's permission group grants them one by
//! one ("View selected employees' <Category> sections"). People search answers 200 either way and silently
//! leaves out every field of a category the caller may not see (HiBob, "People read API contract":
//! apidocs.hibob.com/docs/people-read-api-contract, "silent omissions"; "Employee data API field-level
//! permissions": apidocs.hibob.com/docs/employee-data-api-field-level-permissions). So the check asks for one
//! field per category and looks at which come back.
//!
//! The fields are chosen to be harmless: an ID, a job title, an avatar link, an employment type and a pay
//! frequency. Never a salary amount, a bank account, an address or a personal contact.

use serde::Serialize;

/// A category of employee fields, as HiBob's field metadata names it (`GET /v1/company/people/fields`
/// returns a `category` for every field; apidocs.hibob.com/docs/fields-metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// "Basic info": the `root` fields (ID, names, email).
    BasicInfo,
    /// "About": the profile's about section (avatar, about text, hobbies).
    About,
    /// "Employment": the employment table, which HiBob keeps under `payroll.employment` (contract, type,
    /// working pattern). A public HiBob client's field fixture, modelled on a demo company's real field
    /// metadata, lists `payroll.employment.type` with the category display name "Employment", not "Payroll".
    Employment,
    /// "Work": the work table (title, department, site, manager).
    Work,
    /// "Payroll": the salary table and other pay fields; the same fixture lists `payroll.salary.payFrequency`
    /// under "Payroll".
    Payroll,
}

impl Category {
    /// In the order a permission group lists them.
    pub const ALL: [Category; 5] = [
        Category::BasicInfo,
        Category::About,
        Category::Employment,
        Category::Work,
        Category::Payroll,
    ];

    /// The categories HiBob's help says Full employee read needs: Basic info, About, Employment and Work.
    pub const FULL_EMPLOYEE_READ: [Category; 4] = [
        Category::BasicInfo,
        Category::About,
        Category::Employment,
        Category::Work,
    ];

    /// The category's name in HiBob's permission groups ("View selected employees' <name> sections").
    pub fn name(self) -> &'static str {
        match self {
            Category::BasicInfo => "Basic info",
            Category::About => "About",
            Category::Employment => "Employment",
            Category::Work => "Work",
            Category::Payroll => "Payroll",
        }
    }

    /// The short id used in evidence ("categories root, about, work returned"): HiBob's own category ids.
    pub fn id(self) -> &'static str {
        match self {
            Category::BasicInfo => "root",
            Category::About => "about",
            Category::Employment => "employment",
            Category::Work => "work",
            Category::Payroll => "payroll",
        }
    }

    /// The one field the check asks for in this category, as a path in HiBob's slash form. People search
    /// accepts field paths as `"/work/title"` or `"work.title"` (People read API contract, "field IDs");
    /// the slash form comes back flat, one key per field (`{"/work/title": {"value": …}}`), which is what
    /// open-source HiBob clients read, so a visible category is one key away.
    pub fn probe_field(self) -> &'static str {
        match self {
            // The employee's ID: always harmless, and what every integration reads first.
            Category::BasicInfo => "/root/id",
            // The avatar link: shown to every colleague in HiBob's own directory.
            Category::About => "/about/avatar",
            // "Permanent", "Temporary", …: a list value, no pay in it.
            Category::Employment => "/payroll/employment/type",
            // A list value (job title id).
            Category::Work => "/work/title",
            // "Monthly", "Weekly", …: how often pay is made, not how much.
            Category::Payroll => "/payroll/salary/payFrequency",
        }
    }

    /// The category a field path belongs to, if it is one the check asks for. Both of HiBob's path forms
    /// are understood: `/work/title` and `work.title` (and `id` alone, a root field in the dotted form's
    /// answer).
    pub fn of_path(segments: &[&str]) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| path_segments(category.probe_field()).eq(segments.iter().copied()))
    }
}

/// `"/payroll/salary/payFrequency"` → `payroll`, `salary`, `payFrequency`.
pub fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

/// Whether `prefix` starts the path of some field the check asks for (so a nested object there is worth
/// looking into).
pub fn is_asked_prefix(prefix: &[&str]) -> bool {
    Category::ALL.into_iter().any(|category| {
        let mut path = path_segments(category.probe_field());
        prefix.iter().all(|segment| path.next() == Some(*segment))
    })
}

/// "About, Employment and Work".
pub fn names(categories: &[Category]) -> String {
    let names: Vec<&str> = categories.iter().map(|category| category.name()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The people search a check sends: one field per category, active employees only. `filters` is left out
/// on purpose: HiBob answers 400 to an empty filter list. `humanReadable` is left out too, so the answer
/// carries machine values only (HiBob adds a second, human-readable copy when it is set).
pub fn people_search_body() -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Search {
        fields: Vec<&'static str>,
        show_inactive: bool,
    }
    serde_json::to_string(&Search {
        fields: Category::ALL
            .into_iter()
            .map(Category::probe_field)
            .collect(),
        show_inactive: false,
    })
    .expect("a fixed body serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_asks_one_harmless_field_per_category_and_no_pay() {
        assert_eq!(
            people_search_body(),
            r#"{"fields":["/root/id","/about/avatar","/payroll/employment/type","/work/title","/payroll/salary/payFrequency"],"showInactive":false}"#
        );
        let body = people_search_body().to_lowercase();
        for sensitive in [
            "salary/payment",
            "yearly",
            "bank",
            "address",
            "home",
            "financial",
        ] {
            assert!(!body.contains(sensitive), "{sensitive}");
        }
    }

    #[test]
    fn paths_map_back_to_their_category() {
        assert_eq!(Category::of_path(&["work", "title"]), Some(Category::Work));
        assert_eq!(
            Category::of_path(&["payroll", "employment", "type"]),
            Some(Category::Employment)
        );
        assert_eq!(
            Category::of_path(&["payroll", "salary", "payFrequency"]),
            Some(Category::Payroll)
        );
        assert_eq!(Category::of_path(&["work", "department"]), None);
        assert!(is_asked_prefix(&["payroll"]));
        assert!(is_asked_prefix(&["payroll", "salary"]));
        assert!(!is_asked_prefix(&["home"]));
    }

    #[test]
    fn names_read_as_a_list() {
        assert_eq!(names(&[Category::Work]), "Work");
        assert_eq!(
            names(&[Category::About, Category::Employment, Category::Work]),
            "About, Employment and Work"
        );
    }
}
