//! The company behind the fake HiBob: its employees, what a service user may see of them, and who is out.
//! People search and who's out answer from it the way HiBob documents:
//!
//! - People search returns every matching employee in one `employees` array, no paging (HiBob, "People read
//!   API contract", apidocs.hibob.com/docs/people-read-api-contract), and only the requested `fields`.
//!   A field requested as `"/work/title"` comes back flat as `{"/work/title": {"value": …}}`; as
//!   `"work.title"`, nested as `{"work": {"title": …}}`, root fields unprefixed (`"id"`) (the same contract's
//!   payload shapes; open-source HiBob clients read both, e.g. `emp["/work/title"]["value"]` and
//!   `emp["work"]["title"]`). `"filters": []` is a 400.
//! - Fields of a category the service user may not see are left out silently, and the answer is still 200
//!   (contract, "silent omissions"; "Employee data API field-level permissions"). A field the user may see
//!   but that has no value comes back as `null`.
//! - Employees outside the permission group's "Access data for" are left out: the list can be empty.
//! - Who's out (`GET /v1/timeoff/whosout?from=YYYY-MM-DD&to=YYYY-MM-DD`, both required) returns
//!   `{"outs": [...]}` with the absences overlapping the range, "only for the users the Service User can
//!   access" (reference/get_timeoff-whosout); entry fields as open-source clients read them
//!   (`employeeId`, `policyTypeDisplayName`, `startDate`, `endDate`, `startPortion`, `endPortion`).
//!
//! Answers are generated employee by employee as the client reads them, so a 20,000-employee company costs
//! the fake no more memory than a small one.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

/// Employees per generated piece of a people search answer.
const EMPLOYEES_PER_PIECE: usize = 64;

/// A field category, by HiBob's category id (the first segment of a field path; the employment table lives
/// under `payroll.employment` but is its own "Employment" category, as HiBob's field metadata shows).
pub fn category_of(path: &[&str]) -> String {
    match path {
        ["payroll", "employment", ..] => "employment".to_string(),
        [first, ..] => (*first).to_string(),
        [] => String::new(),
    }
}

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
}

impl Default for Company {
    fn default() -> Self {
        Company {
            employees: 3,
            visible: ALL_CATEGORIES.iter().map(|c| c.to_string()).collect(),
            accessible: usize::MAX,
            sees_time_off: true,
            absent: 1,
        }
    }
}

/// A requested field: its segments and the form it was asked in.
#[derive(Clone, Debug)]
struct Requested {
    segments: Vec<String>,
    slash: bool,
    original: String,
}

fn parse_field(field: &str) -> Requested {
    let slash = field.starts_with('/');
    let segments: Vec<String> = if slash {
        field
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        let mut segments: Vec<String> = field.split('.').map(str::to_string).collect();
        // `id`, `displayName`: root fields may be named without their category.
        if segments.len() == 1 {
            segments.insert(0, "root".to_string());
        }
        segments
    };
    Requested {
        segments,
        slash,
        original: field.to_string(),
    }
}

/// The value a field has for employee `index`: harmless made-up values; `null` for fields nobody filled in.
fn value_of(segments: &[String], index: usize) -> serde_json::Value {
    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["root", "id"] => {
            serde_json::json!(format!("{}", 3_000_000_000_000_000_000u64 + index as u64))
        }
        ["root", "displayName"] => serde_json::json!(format!("Employee {index}")),
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
            Some(serde_json::Value::Array(fields)) => fields
                .iter()
                .filter_map(|field| field.as_str())
                .map(parse_field)
                .collect(),
            Some(_) => return Err(BadSearch("fields must be a list".into())),
            // Without `fields` HiBob returns its default set; the root ID stands in for it here.
            None => vec![parse_field("root.id")],
        };
        Ok(Search { fields })
    }
}

impl Company {
    fn sees(&self, field: &Requested) -> bool {
        let path: Vec<&str> = field.segments.iter().map(String::as_str).collect();
        self.visible.contains(&category_of(&path))
    }

    fn visible_employees(&self) -> usize {
        self.employees.min(self.accessible)
    }

    /// One employee as people search returns it.
    fn employee(&self, search: &Search, index: usize) -> serde_json::Value {
        let mut employee = serde_json::Map::new();
        for field in search.fields.iter().filter(|field| self.sees(field)) {
            let value = value_of(&field.segments, index);
            if field.slash {
                employee.insert(
                    field.original.clone(),
                    serde_json::json!({ "value": value }),
                );
            } else {
                insert_nested(&mut employee, &field.segments, value);
            }
        }
        serde_json::Value::Object(employee)
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
