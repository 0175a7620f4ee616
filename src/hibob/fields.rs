//! The employee fields a check asks people search for, and which permission category each belongs to at
//! this company.
//!
//! People search takes field IDs in dot notation as the field metadata lists them ("use dot notation from
//! Fields metadata (e.g. root.id, work.department)", apidocs.hibob.com/reference/post_people-search) and
//! silently drops the IDs it does not know. The ID looks like it names the category, but HiBob says not
//! to rely on that: "If you move a field to another category the ID doesn't change"
//! (apidocs.hibob.com/reference/get_company-people-fields). Permissions follow the metadata's `categoryId`.
//! So the check asks a few fields per category and learns each one's category from the metadata, which it
//! reads in the same wave of requests.
//!
//! The fields are a fixed allow-list of harmless ones: IDs, dates, list values (titles, departments,
//! employment and pay *types*). Never a salary amount, a bank account, an address or a personal contact,
//! whatever else the metadata offers.

use std::collections::BTreeMap;

use crate::hibob::category::Category;

/// One field the check may ask for: its ID in dot notation, and the category HiBob puts it in by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AskedField {
    pub id: &'static str,
    /// HiBob's default placement: what counts when the field metadata could not be read. A company may have
    /// moved the field elsewhere; the metadata says so.
    pub home: Category,
}

/// The allow-list, a few per category, so that a company that moved one field to a category of its own
/// still shows the category through another.
pub const ASKED: [AskedField; 11] = [
    // Basic info. `root.id` comes back as the same key as the top-level `id` HiBob adds to every employee,
    // asked or not, in the nested answer form: the other two prove the category there.
    field("root.id", Category::BasicInfo),
    field("root.creationDateTime", Category::BasicInfo),
    field("root.companyId", Category::BasicInfo),
    // About: the avatar link (shown to every colleague in HiBob's directory) and the hobbies list.
    field("about.avatar", Category::About),
    field("about.hobbies", Category::About),
    // Employment: "Permanent", "Full time", …: list values, no pay in them.
    field("payroll.employment.type", Category::Employment),
    field("payroll.employment.contract", Category::Employment),
    // Work: list values (title, department and site IDs).
    field("work.title", Category::Work),
    field("work.department", Category::Work),
    field("work.site", Category::Work),
    // Payroll: how often pay is made, not how much.
    field("payroll.salary.payFrequency", Category::Payroll),
];

const fn field(id: &'static str, home: Category) -> AskedField {
    AskedField { id, home }
}

impl AskedField {
    /// The asked field whose dot-notation ID is `id`.
    pub fn by_id(id: &str) -> Option<AskedField> {
        ASKED.into_iter().find(|field| field.id == id)
    }

    /// The asked field at `path` (its ID's segments, e.g. `work`, `title`).
    pub fn at_path(path: &[&str]) -> Option<AskedField> {
        ASKED
            .into_iter()
            .find(|field| field.id.split('.').eq(path.iter().copied()))
    }

    /// Whether `prefix` starts some asked field's path, so a nested object there is worth looking into.
    pub fn is_prefix(prefix: &[&str]) -> bool {
        ASKED.into_iter().any(|field| {
            let mut path = field.id.split('.');
            prefix.iter().all(|segment| path.next() == Some(*segment))
        })
    }
}

/// Where the metadata puts each asked field: a category the check knows, another (a custom category), or
/// nowhere (the field does not exist at this company, so people search drops it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPlaces {
    /// Keyed by the asked field; the value is the metadata's category ID (`categoryId`, else the deprecated
    /// `category`) and its display name, as given.
    found: BTreeMap<AskedField, MetadataCategory>,
}

/// A field's category as the metadata states it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetadataCategory {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

impl FieldPlaces {
    /// Every asked field in its default category, as a company that moved nothing lists them.
    pub fn defaults() -> FieldPlaces {
        let mut places = FieldPlaces::default();
        for field in ASKED {
            places.insert(
                field,
                MetadataCategory {
                    id: Some(field.home.id().to_string()),
                    display_name: Some(field.home.name().to_string()),
                },
            );
        }
        places
    }

    /// Note the metadata's entry for `field`.
    pub fn insert(&mut self, field: AskedField, category: MetadataCategory) {
        self.found.insert(field, category);
    }

    /// Which category `field` proves at this company. `None` when the metadata does not list it (an ID
    /// people search drops), or lists it in a category the check does not ask about (a custom one).
    ///
    /// The ID decides whenever there is one. The display name is how the category "appears in Bob's UI"
    /// and "does not represent" the backend ID (changelog "fields metadata update: categoryDisplayName
    /// property"): a company may rename a built-in category, and may then give a category of its own
    /// (`category_1720508362305`, docs/categories-and-permissions) the freed name. So the name stands in
    /// only for an entry that carries no ID at all.
    pub fn category_of(&self, field: AskedField) -> Option<Category> {
        let category = self.found.get(&field)?;
        match category.id.as_deref() {
            Some(id) => Category::from_metadata_id(id),
            None => category
                .display_name
                .as_deref()
                .and_then(Category::from_display_name),
        }
    }
}

/// How the check decides a field's category: from the metadata when it was read, else from HiBob's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement<'a> {
    /// The field metadata answered: its `categoryId` decides.
    Metadata(&'a FieldPlaces),
    /// No usable metadata: every field in its default category.
    Defaults,
}

impl Placement<'_> {
    pub fn category_of(self, field: AskedField) -> Option<Category> {
        match self {
            Placement::Metadata(places) => places.category_of(field),
            Placement::Defaults => Some(field.home),
        }
    }

    /// The asked fields this placement puts in `category`.
    pub fn fields_in(self, category: Category) -> impl Iterator<Item = AskedField> {
        ASKED
            .into_iter()
            .filter(move |field| self.category_of(*field) == Some(category))
    }
}

/// The people search a check sends: the allow-listed fields in dot notation, active employees only.
/// `filters` is left out on purpose: HiBob answers 400 to an empty filter list. `humanReadable` is left
/// out too, so the answer carries machine values only.
pub fn people_search_body() -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Search {
        fields: Vec<&'static str>,
        show_inactive: bool,
    }
    serde_json::to_string(&Search {
        fields: ASKED.into_iter().map(|field| field.id).collect(),
        show_inactive: false,
    })
    .expect("a fixed body serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_asks_dot_notation_ids_of_harmless_fields_only() {
        let body = people_search_body();
        assert!(body.starts_with(r#"{"fields":["root.id","root.creationDateTime","#));
        assert!(body.ends_with(r#""payroll.salary.payFrequency"],"showInactive":false}"#));
        assert!(!body.contains('/'), "slash-form IDs are not documented");
        let lower = body.to_lowercase();
        for sensitive in [
            "salary.base",
            "payment",
            "yearly",
            "bank",
            "address",
            "home",
            "financial",
            "email",
            "phone",
        ] {
            assert!(!lower.contains(sensitive), "{sensitive}");
        }
    }

    #[test]
    fn every_category_has_at_least_one_asked_field_by_default() {
        for category in Category::ALL {
            assert!(Placement::Defaults.fields_in(category).next().is_some());
        }
        // Two or more where a company is likely to move one.
        for category in Category::FULL_EMPLOYEE_READ {
            assert!(
                Placement::Defaults.fields_in(category).count() >= 2,
                "{category:?}"
            );
        }
    }

    #[test]
    fn paths_and_prefixes() {
        let title = AskedField::by_id("work.title").unwrap();
        assert_eq!(AskedField::at_path(&["work", "title"]), Some(title));
        assert_eq!(AskedField::at_path(&["work", "manager"]), None);
        assert!(AskedField::is_prefix(&["payroll"]));
        assert!(AskedField::is_prefix(&["payroll", "salary"]));
        assert!(!AskedField::is_prefix(&["home"]));
    }

    #[test]
    fn the_metadata_decides_not_the_prefix() {
        let title = AskedField::by_id("work.title").unwrap();
        let department = AskedField::by_id("work.department").unwrap();
        let mut places = FieldPlaces::default();
        places.insert(
            title,
            MetadataCategory {
                id: Some("category_1690000000000".into()),
                display_name: Some("Job details".into()),
            },
        );
        places.insert(
            department,
            MetadataCategory {
                id: Some("work".into()),
                display_name: Some("Work".into()),
            },
        );
        let placement = Placement::Metadata(&places);
        assert_eq!(placement.category_of(title), None);
        assert_eq!(placement.category_of(department), Some(Category::Work));
        // Not listed at all: people search drops it, so it proves nothing.
        assert_eq!(
            placement.category_of(AskedField::by_id("work.site").unwrap()),
            None
        );
        assert_eq!(Placement::Defaults.category_of(title), Some(Category::Work));
    }

    #[test]
    fn a_category_of_the_companys_own_is_not_a_built_in_one_by_its_name() {
        let title = AskedField::by_id("work.title").unwrap();
        let department = AskedField::by_id("work.department").unwrap();
        let mut places = FieldPlaces::default();
        // The built-in Work renamed, and the freed name given to a category the company made.
        places.insert(
            title,
            MetadataCategory {
                id: Some("category_1720508362305".into()),
                display_name: Some("Work".into()),
            },
        );
        places.insert(
            department,
            MetadataCategory {
                id: Some("work".into()),
                display_name: Some("Job".into()),
            },
        );
        let placement = Placement::Metadata(&places);
        assert_eq!(placement.category_of(title), None);
        assert_eq!(placement.category_of(department), Some(Category::Work));
        // An entry with a name and no ID at all: the name is all there is.
        places.insert(
            title,
            MetadataCategory {
                id: None,
                display_name: Some("Work".into()),
            },
        );
        assert_eq!(
            Placement::Metadata(&places).category_of(title),
            Some(Category::Work)
        );
    }
}
