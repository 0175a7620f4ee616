//! Reading a successful answer as it arrives and keeping only what it proves: how many fields or employees,
//! which categories came back, whether anyone is out. Never the values themselves.
//!
//! People search has no paging: a company of 20,000 employees answers megabytes even for five fields each
//! (People read API contract, "no pagination"). So bodies are never held whole: serde_json walks them from
//! a reader with visitors that skip every value (`IgnoredAny`), keep a few counters, and stop as soon as
//! the answer has proven all it can (then the rest is never downloaded). Memory stays constant whatever
//! the company's size.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::hibob::category::{Category, is_asked_prefix, path_segments};
use crate::hibob::probe::{PeopleSeen, Probe, Seen};

/// Read a successful answer of `probe` from `body`, keeping only what it proves.
pub fn survey(probe: Probe, body: impl Read) -> Seen {
    let mut deserializer = serde_json::Deserializer::from_reader(body);
    match probe {
        Probe::Fields => {
            let mut fields = 0;
            match deserializer.deserialize_seq(CountElements(&mut fields)) {
                Ok(()) if deserializer.end().is_ok() => Seen::FieldList { fields },
                _ => Seen::NotDocumentedJson,
            }
        }
        Probe::People => {
            let mut seen = PeopleSeen::default();
            let mut found_list = false;
            let outcome = deserializer.deserialize_map(EmployeesObject {
                seen: &mut seen,
                found_list: &mut found_list,
            });
            // Stopping early is reported as an error by design (it is the only way out of a visitor
            // midway); what was seen says whether it was that.
            let complete = outcome.is_ok() && deserializer.end().is_ok();
            if seen.stopped_early || (complete && found_list) {
                Seen::People(seen)
            } else {
                Seen::NotDocumentedJson
            }
        }
        Probe::WhosOut => {
            let mut any = None;
            let _ = deserializer.deserialize_any(OutsAnswer(&mut any));
            match any {
                Some(any) => Seen::Absences { any },
                None => Seen::NotDocumentedJson,
            }
        }
    }
}

/// The error that ends a walk once enough is known. Never shown: the caller looks at what was seen.
fn enough<E: de::Error>() -> E {
    E::custom("enough seen")
}

/// Counts the elements of an array without keeping them.
struct CountElements<'a>(&'a mut usize);

impl<'de> Visitor<'de> for CountElements<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {
            *self.0 += 1;
        }
        Ok(())
    }
}

/// `{"employees": [...]}`: every other key is skipped.
struct EmployeesObject<'a> {
    seen: &'a mut PeopleSeen,
    found_list: &'a mut bool,
}

impl<'de> Visitor<'de> for EmployeesObject<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"an object with "employees""#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "employees" {
                map.next_value_seed(Array(EmployeeList(&mut *self.seen)))?;
                *self.found_list = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A value expected to be an array, read by the visitor it wraps.
struct Array<V>(V);

impl<'de, V: Visitor<'de, Value = ()>> DeserializeSeed<'de> for Array<V> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self.0)
    }
}

struct EmployeeList<'a>(&'a mut PeopleSeen);

impl<'de> Visitor<'de> for EmployeeList<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of employees")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let mut categories = BTreeSet::new();
            let employee = Fields {
                prefix: Vec::new(),
                categories: &mut categories,
            };
            if seq.next_element_seed(employee)?.is_none() {
                return Ok(());
            }
            self.0.employees += 1;
            self.0.categories.extend(categories);
            if self.0.saw_everything() {
                self.0.stopped_early = true;
                return Err(enough());
            }
        }
    }
}

/// One employee (or a nested object inside one, at `prefix`): notes the category of every asked-for field
/// whose key is present, in either of HiBob's answer forms:
/// - slash form, flat: `{"/work/title": {"value": "…"}}`;
/// - dotted form, nested: `{"id": "…", "work": {"title": "…"}}` (root fields sit at the top, unprefixed).
struct Fields<'a> {
    prefix: Vec<String>,
    categories: &'a mut BTreeSet<Category>,
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // `null` where an object was expected hides nothing and proves nothing.
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an employee object")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let mut path: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
            if self.prefix.is_empty() && key.starts_with('/') {
                path.extend(path_segments(&key));
            } else {
                path.push(&key);
            }
            if let Some(category) = Category::of_path(&path) {
                self.categories.insert(category);
                map.next_value::<IgnoredAny>()?;
            } else if self.prefix.is_empty() && Category::of_path(&["root", &key]).is_some() {
                // A root field in the dotted form's answer: `"id"`, not `"root": {"id": …}`.
                self.categories.insert(Category::BasicInfo);
                map.next_value::<IgnoredAny>()?;
            } else if !key.starts_with('/') && is_asked_prefix(&path) {
                let nested = Fields {
                    prefix: path.iter().map(|segment| segment.to_string()).collect(),
                    categories: &mut *self.categories,
                };
                map.next_value_seed(nested)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Who's out: `{"outs": [...]}` as HiBob documents it (a bare array is accepted too). Sets `Some(any)` once
/// the list is found, stopping at its first entry.
struct OutsAnswer<'a>(&'a mut Option<bool>);

impl<'de> Visitor<'de> for OutsAnswer<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"an object with "outs""#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "outs" {
                return map.next_value_seed(Array(FirstEntry(self.0)));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        FirstEntry(self.0).visit_seq(seq)
    }
}

struct FirstEntry<'a>(&'a mut Option<bool>);

impl<'de> Visitor<'de> for FirstEntry<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of absences")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let any = seq.next_element::<IgnoredAny>()?.is_some();
        *self.0 = Some(any);
        if any { Err(enough()) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(body: &str) -> Seen {
        survey(Probe::People, body.as_bytes())
    }

    fn categories(seen: &Seen) -> Vec<Category> {
        match seen {
            Seen::People(people) => people.categories.iter().copied().collect(),
            other => panic!("not people: {other:?}"),
        }
    }

    #[test]
    fn slash_form_fields_come_back_flat() {
        let seen = people(
            r#"{"employees":[{"/root/id":{"value":"1"},"/work/title":{"value":null}},{"/root/id":{"value":"2"}}]}"#,
        );
        assert_eq!(categories(&seen), vec![Category::BasicInfo, Category::Work]);
        let Seen::People(people) = seen else { unreachable!() };
        assert_eq!(people.employees, 2);
        assert!(!people.stopped_early);
    }

    #[test]
    fn dotted_form_fields_come_back_nested() {
        let seen = people(
            r#"{"employees":[{"id":"1","about":{"avatar":null},"payroll":{"employment":{"type":"Permanent"},"salary":{}}}]}"#,
        );
        assert_eq!(
            categories(&seen),
            vec![Category::BasicInfo, Category::About, Category::Employment]
        );
    }

    #[test]
    fn reading_stops_once_every_category_is_seen() {
        let first = r#"{"/root/id":{"value":"1"},"/about/avatar":{"value":null},"/payroll/employment/type":{"value":"x"},"/work/title":{"value":"1"},"/payroll/salary/payFrequency":{"value":"Monthly"}}"#;
        // Whatever follows the first complete employee is never read: here, not even valid JSON.
        let body = format!(r#"{{"employees":[{first},{{"broken"#);
        let Seen::People(people) = people(&body) else { panic!("not people") };
        assert!(people.stopped_early);
        assert_eq!(people.employees, 1);
        assert_eq!(people.categories.len(), Category::ALL.len());
    }

    #[test]
    fn an_empty_list_and_other_bodies() {
        assert_eq!(
            people(r#"{"employees":[]}"#),
            Seen::People(PeopleSeen::default())
        );
        assert_eq!(people(r#"{"people":[]}"#), Seen::NotDocumentedJson);
        assert_eq!(
            people(r#"{"employees":[{"id":"1"}"#),
            Seen::NotDocumentedJson
        );
        assert_eq!(people("<html>Forbidden</html>"), Seen::NotDocumentedJson);
        assert_eq!(people(r#"[]"#), Seen::NotDocumentedJson);
    }

    #[test]
    fn the_field_list_is_counted() {
        assert_eq!(
            survey(
                Probe::Fields,
                r#"[{"id":"root.id"},{"id":"work.title"}]"#.as_bytes()
            ),
            Seen::FieldList { fields: 2 }
        );
        assert_eq!(
            survey(Probe::Fields, r#"[{"id":"#.as_bytes()),
            Seen::NotDocumentedJson
        );
        assert_eq!(
            survey(Probe::Fields, r#"{}"#.as_bytes()),
            Seen::NotDocumentedJson
        );
    }

    #[test]
    fn whos_out_stops_at_the_first_entry() {
        assert_eq!(
            survey(Probe::WhosOut, r#"{"outs":[]}"#.as_bytes()),
            Seen::Absences { any: false }
        );
        assert_eq!(
            survey(
                Probe::WhosOut,
                r#"{"outs":[{"employeeId":"1"},{"broken"#.as_bytes()
            ),
            Seen::Absences { any: true }
        );
        assert_eq!(
            survey(Probe::WhosOut, r#"[{"employeeId":"1"}]"#.as_bytes()),
            Seen::Absences { any: true }
        );
        assert_eq!(
            survey(Probe::WhosOut, r#"{"error":"x"}"#.as_bytes()),
            Seen::NotDocumentedJson
        );
    }
}
