//! HiBob's field categories that a check proves (which fields it asks for: `fields`).
//!
//! HiBob sorts employee fields into categories, and a service user's permission group grants them one by
//! one ("View selected employees' <Category> sections"). People search answers 200 either way and silently
//! leaves out every field of a category the caller may not see (HiBob, "People read API contract":
//! apidocs.hibob.com/docs/people-read-api-contract, "silent omissions"; "Employee data API field-level
//! permissions": apidocs.hibob.com/docs/employee-data-api-field-level-permissions). So the check asks for a
//! few fields per category and looks at which come back.

use serde::Serialize;

/// A category of employee fields, as HiBob's field metadata names it (`GET /v1/company/people/fields`
/// gives every field a `categoryId`; reference/get_company-people-fields).
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

    /// The category a field metadata `categoryId` (or the deprecated `category`) names, for the built-in
    /// categories: `root` (Basic info), `about`, `employment`, `work`, `payroll`. Any other ID is a category
    /// the company made, which no check asks about.
    pub fn from_metadata_id(id: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.id() == id)
    }

    /// The category whose name is `display_name` (the metadata's `categoryDisplayName`, added in 2024:
    /// changelog "fields metadata update: categoryDisplayName property"), for an entry that carries no
    /// category ID at all (a name alone can belong to a category the company made).
    pub fn from_display_name(display_name: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.name().eq_ignore_ascii_case(display_name.trim()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_ids_and_names_map_to_categories() {
        assert_eq!(
            Category::from_metadata_id("root"),
            Some(Category::BasicInfo)
        );
        assert_eq!(
            Category::from_metadata_id("employment"),
            Some(Category::Employment)
        );
        assert_eq!(Category::from_metadata_id("category_1690000000000"), None);
        assert_eq!(
            Category::from_display_name("Basic info"),
            Some(Category::BasicInfo)
        );
        assert_eq!(Category::from_display_name("Job details"), None);
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
