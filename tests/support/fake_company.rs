//! The company behind the fake HiBob: its employees, its field metadata, what a service user may see of
//! them, and who is out. People search, the field metadata and who's out answer from it the way HiBob
//! documents:
//!
//! - People search takes field IDs in dot notation, as the metadata lists them ("use dot notation from
//!   Fields metadata (e.g. root.id, work.department)", apidocs.hibob.com/reference/post_people-search), and
//!   answers keys in slash notation: `{"/work/title": {"value": …}}` (the same page's example answer). An
//!   ID it does not know, a slash-form one included (no HiBob page says that form is accepted), is left out
//!   silently with a 200. HiBob's other examples show employees nested (`{"work": {"title": …}}`, root
//!   fields unprefixed at the top): [`Company::nested_answers`] answers that way.
//! - Every employee carries a top-level `id`, asked for or not (HiBob's example answers all have it), also
//!   for a service user that may not see Basic info.
//! - Returns every matching employee in one `employees` array, no paging ("People read API contract",
//!   apidocs.hibob.com/docs/people-read-api-contract). `"filters": []` is a 400.
//! - Fields of a category the service user may not see are left out silently, and the answer is still 200
//!   (contract, "silent omissions"; "Employee data API field-level permissions"). A field the user may see
//!   but that has no value comes back as `null`.
//! - A field's category is the one the metadata gives it (`categoryId`), not its ID's prefix: "If you move a
//!   field to another category the ID doesn't change" (apidocs.hibob.com/reference/get_company-people-fields).
//!   The metadata is a bare array of `{id, categoryId, categoryDisplayName, category, name, description,
//!   jsonPath, type, typeData, historical}` (same page; `categoryDisplayName`: changelog "fields metadata
//!   update"), and needs no permission.
//! - Employees outside the permission group's "Access data for" are left out: the list can be empty.
//! - Who's out (`GET /v1/timeoff/whosout?from=YYYY-MM-DD&to=YYYY-MM-DD`, both required) returns
//!   `{"outs": [...]}` with the absences overlapping the range, "only for the users the Service User can
//!   access" (reference/get_timeoff-whosout); entry fields as open-source clients read them
//!   (`employeeId`, `policyTypeDisplayName`, `startDate`, `endDate`, `startPortion`, `endPortion`).
//!
//! Answers are generated employee by employee as the client reads them, so a 20,000-employee company costs
//! the fake no more memory than a small one.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use bytes::Bytes;

/// Employees per generated piece of a people search answer.
const EMPLOYEES_PER_PIECE: usize = 64;

/// The company's fields as its metadata lists them: ID, category ID, category display name, name, type.
/// The built-in categories' IDs (`root` for Basic info, `about`, `employment`, `work`, `payroll`) and the
/// employment table's place under `payroll.employment` with its own "Employment" category follow a public
/// HiBob client's field fixture modelled on a demo company's metadata. A salary amount is listed, as at any
/// company: the check must never ask for it.
// One field a line, as the metadata lists them: a table reads better than rustfmt's one value a line.
#[rustfmt::skip]
const FIELDS: [(&str, &str, &str, &str, &str); 15] = [
    ("root.id", "root", "Basic info", "Employee ID", "text"),
    ("root.creationDateTime", "root", "Basic info", "Created", "date"),
    ("root.companyId", "root", "Basic info", "Company ID", "number"),
    ("root.displayName", "root", "Basic info", "Display name", "text"),
    ("root.email", "root", "Basic info", "Email", "text"),
    ("about.avatar", "about", "About", "Avatar", "text"),
    ("about.hobbies", "about", "About", "Hobbies", "multi-list"),
    ("payroll.employment.type", "employment", "Employment", "Employment type", "list"),
    ("payroll.employment.contract", "employment", "Employment", "Contract", "list"),
    ("work.title", "work", "Work", "Job title", "list"),
    ("work.department", "work", "Work", "Department", "list"),
    ("work.site", "work", "Work", "Site", "list"),
    ("work.manager", "work", "Work", "Reports to", "employee-reference"),
    ("payroll.salary.payFrequency", "payroll", "Payroll", "Pay frequency", "list"),
    ("payroll.salary.base", "payroll", "Payroll", "Base salary", "currency"),
];

/// Every category a default company shows.
pub const ALL_CATEGORIES: [&str; 5] = ["root", "about", "employment", "work", "payroll"];

#[derive(Clone, Debug)]
pub struct Company {
    /// Active employees.
    pub employees: usize,
    /// Categories (by id) the service user may see; the fields of the others are left out.
    pub visible: BTreeSet<String>,
    /// Employees the service user may see (the permission group's "Access data for"): the first this many.
    pub accessible: usize,
    /// Whether the service user may see who's out (People's data > Time off > See who's out).
    pub sees_time_off: bool,
    /// Employees with an absence a week from the fake's start (one each, a whole day).
    pub absent: usize,
    /// Fields moved to a category the company made: field ID → (category ID, display name). The ID stays.
    pub moved: BTreeMap<String, (String, String)>,
    /// Answer people search nested (`{"work": {"title": …}}`) instead of slash-keyed.
    pub nested_answers: bool,
}

impl Default for Company {
    fn default() -> Self {
        Company {
            employees: 3,
            visible: ALL_CATEGORIES.iter().map(|c| c.to_string()).collect(),
            accessible: usize::MAX,
            sees_time_off: true,
            absent: 1,
            moved: BTreeMap::new(),
            nested_answers: false,
        }
    }
}

/// A requested field that the company has: its ID's segments and the ID as asked.
#[derive(Clone, Debug)]
struct Requested {
    segments: Vec<String>,
    id: String,
}

/// The field `id` names, if the company has it (dot notation only: anything else is an invalid ID).
fn parse_field(id: &str) -> Option<Requested> {
    FIELDS.iter().find(|field| field.0 == id)?;
    Some(Requested {
        segments: id.split('.').map(str::to_string).collect(),
        id: id.to_string(),
    })
}

/// The value a field has for employee `index`: harmless made-up values; `null` for fields nobody filled in.
fn value_of(segments: &[String], index: usize) -> serde_json::Value {
    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["root", "id"] => {
            serde_json::json!(format!("{}", 3_000_000_000_000_000_000u64 + index as u64))
        }
        ["root", "displayName"] => serde_json::json!(format!("Employee {index}")),
        ["root", "creationDateTime"] => serde_json::json!("2021-03-01T09:00:00.000Z"),
        ["root", "companyId"] => serde_json::json!(640_000),
        ["about", "hobbies"] => serde_json::json!([]),
        ["payroll", "employment", "contract"] => serde_json::json!("Full time"),
        ["work", "site"] => serde_json::json!(format!("{}", 300 + index % 3)),
        ["about", "avatar"] => serde_json::Value::Null,
        ["work", "title"] => serde_json::json!(format!("{}", 100 + index % 7)),
        ["work", "department"] => serde_json::json!(format!("{}", 200 + index % 5)),
        ["payroll", "employment", "type"] => serde_json::json!("Permanent"),
        ["payroll", "salary", "payFrequency"] => serde_json::json!("Monthly"),
        _ => serde_json::Value::Null,
    }
}

/// Why a people search body was refused (HiBob answers 400).
#[derive(Debug)]
pub struct BadSearch(pub String);

/// A parsed people search.
pub struct Search {
    fields: Vec<Requested>,
}

impl Search {
    pub fn parse(body: &str) -> Result<Search, BadSearch> {
        let value: serde_json::Value =
            serde_json::from_str(body).map_err(|_| BadSearch("the body is not JSON".into()))?;
        if value
            .get("filters")
            .and_then(|filters| filters.as_array())
            .is_some_and(|filters| filters.is_empty())
        {
            // HiBob answers 400 to an empty filter list (shared/hibob-api.md, status codes).
            return Err(BadSearch("filters must not be empty".into()));
        }
        let fields = match value.get("fields") {
            // Invalid IDs (unknown, or not in dot notation) are dropped silently.
            Some(serde_json::Value::Array(fields)) => fields
                .iter()
                .filter_map(|field| field.as_str())
                .filter_map(parse_field)
                .collect(),
            Some(_) => return Err(BadSearch("fields must be a list".into())),
            // Without `fields` HiBob returns its default set; the root ID stands in for it here.
            None => parse_field("root.id").into_iter().collect(),
        };
        Ok(Search { fields })
    }
}

impl Company {
    /// The category ID the metadata gives field `id`: its own, or the one it was moved to.
    fn category_of(&self, id: &str) -> Option<String> {
        if let Some((category, _)) = self.moved.get(id) {
            return Some(category.clone());
        }
        FIELDS
            .iter()
            .find(|field| field.0 == id)
            .map(|field| field.1.to_string())
    }

    fn sees(&self, field: &Requested) -> bool {
        self.category_of(&field.id)
            .is_some_and(|category| self.visible.contains(&category))
    }

    fn visible_employees(&self) -> usize {
        self.employees.min(self.accessible)
    }

    /// One employee as people search returns it.
    fn employee(&self, search: &Search, index: usize) -> serde_json::Value {
        let mut employee = serde_json::Map::new();
        // Asked for or not, and whatever the permission group.
        employee.insert(
            "id".to_string(),
            value_of(&["root".into(), "id".into()], index),
        );
        for field in search.fields.iter().filter(|field| self.sees(field)) {
            let value = value_of(&field.segments, index);
            if self.nested_answers {
                insert_nested(&mut employee, &field.segments, value);
            } else {
                employee.insert(
                    format!("/{}", field.segments.join("/")),
                    serde_json::json!({ "value": value }),
                );
            }
        }
        serde_json::Value::Object(employee)
    }

    /// `GET /v1/company/people/fields`: every field with its category as the company has placed it.
    pub fn field_metadata(&self) -> String {
        let fields: Vec<serde_json::Value> = FIELDS
            .iter()
            .map(|(id, category, display, name, kind)| {
                let (category, display) = match self.moved.get(*id) {
                    Some((moved, moved_display)) => (moved.as_str(), moved_display.as_str()),
                    None => (*category, *display),
                };
                serde_json::json!({
                    "id": id,
                    "categoryId": category,
                    "categoryDisplayName": display,
                    "category": category,
                    "name": name,
                    "description": "",
                    "jsonPath": format!("$.{id}"),
                    "type": kind,
                    "typeData": {},
                    "historical": id.starts_with("payroll.") || id.starts_with("work."),
                })
            })
            .collect();
        serde_json::Value::Array(fields).to_string()
    }

    /// The people search answer, generated piece by piece.
    pub fn people_search(self, search: Search) -> impl Iterator<Item = Bytes> + Send {
        let total = self.visible_employees();
        let mut next = 0;
        let mut started = false;
        let mut finished = false;
        std::iter::from_fn(move || {
            if finished {
                return None;
            }
            let mut piece = String::new();
            if !started {
                piece.push_str(r#"{"employees":["#);
                started = true;
            }
            let end = (next + EMPLOYEES_PER_PIECE).min(total);
            for index in next..end {
                if index > 0 {
                    piece.push(',');
                }
                piece.push_str(&self.employee(&search, index).to_string());
            }
            next = end;
            if next == total {
                piece.push_str("]}");
                finished = true;
            }
            Some(Bytes::from(piece))
        })
    }

    /// The who's out answer for `from`..=`to` (ISO dates), or `None` when either is missing (a 400).
    pub fn whos_out(&self, query: Option<&str>, started: SystemTime) -> Option<String> {
        let param = |name: &str| {
            query?
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        let (from, to) = (param("from")?, param("to")?);
        let day = iso_date(started + Duration::from_secs(7 * 24 * 60 * 60));
        let in_range = from.as_str() <= day.as_str() && day.as_str() <= to.as_str();
        let count = if self.sees_time_off && in_range {
            self.absent.min(self.visible_employees())
        } else {
            0
        };
        let outs: Vec<serde_json::Value> = (0..count)
            .map(|index| {
                serde_json::json!({
                    "employeeId": format!("{}", 3_000_000_000_000_000_000u64 + index as u64),
                    "employeeDisplayName": format!("Employee {index}"),
                    "policyTypeDisplayName": "Holiday",
                    "type": "days",
                    "startDate": day,
                    "startPortion": "all_day",
                    "endDate": day,
                    "endPortion": "all_day",
                })
            })
            .collect();
        Some(serde_json::json!({ "outs": outs }).to_string())
    }
}

fn insert_nested(
    object: &mut serde_json::Map<String, serde_json::Value>,
    segments: &[String],
    value: serde_json::Value,
) {
    // Root fields sit at the top of an employee, unprefixed.
    let segments = if segments.first().map(String::as_str) == Some("root") {
        &segments[1..]
    } else {
        segments
    };
    insert_nested_plain(object, segments, value);
}

fn insert_nested_plain(
    object: &mut serde_json::Map<String, serde_json::Value>,
    segments: &[String],
    value: serde_json::Value,
) {
    match segments {
        [] => {}
        [last] => {
            object.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let inner = object
                .entry(first.clone())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let serde_json::Value::Object(inner) = inner {
                insert_nested_plain(inner, rest, value);
            }
        }
    }
}

/// `YYYY-MM-DD` in UTC.
pub fn iso_date(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()[..10].to_string()
}
