//! Reading a successful answer as it arrives and keeping only what it proves: how many fields or employees,
//! which asked fields came back, whether anyone is out. Never the values themselves.
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

use crate::hibob::fields::{AskedField, FieldPlaces, MetadataCategory};
use crate::hibob::probe::{PeopleSeen, Probe, Seen};

/// Read a successful answer of `probe` from `body`, keeping only what it proves.
pub fn survey(probe: Probe, body: impl Read) -> Seen {
    let mut deserializer = serde_json::Deserializer::from_reader(body);
    match probe {
        Probe::Fields => {
            let mut fields = 0;
            let mut places = FieldPlaces::default();
            let list = FieldList {
                fields: &mut fields,
                places: &mut places,
            };
            match deserializer.deserialize_seq(list) {
                Ok(()) if deserializer.end().is_ok() => Seen::FieldList { fields, places },
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

/// The field metadata, a bare array of field descriptions (reference/get_company-people-fields): counts
/// them, and keeps the category of each field the check asks for. Nothing else is kept, so a company with
/// thousands of custom fields costs no memory.
struct FieldList<'a> {
    fields: &'a mut usize,
    places: &'a mut FieldPlaces,
}

/// The part of one field description the check reads. Unknown keys (`name`, `type`, `typeData`, …) are
/// skipped; a value of an unexpected type is treated as absent rather than failing the whole list.
#[derive(serde::Deserialize)]
struct FieldDescription {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default, rename = "categoryId")]
    category_id: serde_json::Value,
    /// "To be deprecated, use categoryId" (HiBob): read only when `categoryId` is missing.
    #[serde(default)]
    category: serde_json::Value,
    #[serde(default, rename = "categoryDisplayName")]
    category_display_name: serde_json::Value,
}

impl<'de> Visitor<'de> for FieldList<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON array of field descriptions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(description) = seq.next_element::<FieldDescription>()? {
            *self.fields += 1;
            let Some(field) = description.id.as_str().and_then(AskedField::by_id) else {
                continue;
            };
            // A category's ID "can be either text-based (for out-of-the-box categories) or numeric"
            // (changelog "fields metadata update: categoryDisplayName property"): a number is an ID too.
            let text = |value: &serde_json::Value| match value {
                serde_json::Value::String(text) => Some(text.clone()),
                serde_json::Value::Number(number) => Some(number.to_string()),
                _ => None,
            };
            self.places.insert(
                field,
                MetadataCategory {
                    id: text(&description.category_id).or_else(|| text(&description.category)),
                    display_name: text(&description.category_display_name),
                },
            );
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
            let mut returned = BTreeSet::new();
            let employee = Fields {
                prefix: Vec::new(),
                returned: &mut returned,
            };
            if seq.next_element_seed(employee)?.is_none() {
                return Ok(());
            }
            self.0.employees += 1;
            self.0.returned.extend(returned);
            if self.0.saw_every_field() {
                self.0.stopped_early = true;
                return Err(enough());
            }
        }
    }
}

/// One employee (or a nested object inside one, at `prefix`): notes every asked field whose key is present,
/// in either of HiBob's answer forms:
/// - slash form, flat, as people search documents its answer: `{"/work/title": {"value": "…"}}`;
/// - nested, as other HiBob examples show it: `{"work": {"title": "…"}}`, root fields at the top, unprefixed.
///
/// The top-level `id` is never counted: HiBob adds it to every employee whether it was asked for or not,
/// so it proves nothing about Basic info (a requested `root.id` in the nested form is the same key, which
/// is why Basic info is asked through other fields too).
struct Fields<'a> {
    prefix: Vec<String>,
    returned: &'a mut BTreeSet<AskedField>,
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
        let top = self.prefix.is_empty();
        while let Some(key) = map.next_key::<String>()? {
            let asked = if top && key.starts_with('/') {
                let segments: Vec<&str> = key.split('/').filter(|s| !s.is_empty()).collect();
                AskedField::at_path(&segments)
            } else if top && key == "id" {
                None
            } else if top {
                // Root fields sit at the top of a nested answer, unprefixed.
                AskedField::at_path(&["root", key.as_str()])
            } else {
                let mut path: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
                path.push(&key);
                AskedField::at_path(&path)
            };
            if let Some(field) = asked {
                self.returned.insert(field);
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let mut path: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
            path.push(&key);
            if !key.starts_with('/') && AskedField::is_prefix(&path) {
                let nested = Fields {
                    prefix: path.iter().map(|segment| segment.to_string()).collect(),
                    returned: &mut *self.returned,
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

    fn returned(seen: &Seen) -> Vec<&'static str> {
        match seen {
            Seen::People(people) => people.returned.iter().map(|field| field.id).collect(),
            other => panic!("not people: {other:?}"),
        }
    }

    #[test]
    fn slash_form_fields_come_back_flat() {
        let seen = people(
            r#"{"employees":[{"id":"1","/root/id":{"value":"1"},"/work/title":{"value":null}},{"id":"2","/root/id":{"value":"2"}}]}"#,
        );
        assert_eq!(returned(&seen), vec!["root.id", "work.title"]);
        let Seen::People(people) = seen else { unreachable!() };
        assert_eq!(people.employees, 2);
        assert!(!people.stopped_early);
    }

    #[test]
    fn nested_fields_come_back_with_root_fields_at_the_top() {
        let seen = people(
            r#"{"employees":[{"id":"1","creationDateTime":"2020-01-01","about":{"avatar":null},"payroll":{"employment":{"type":"Permanent"},"salary":{}}}]}"#,
        );
        assert_eq!(
            returned(&seen),
            vec![
                "about.avatar",
                "payroll.employment.type",
                "root.creationDateTime"
            ]
        );
    }

    #[test]
    fn the_top_level_id_that_hibob_always_adds_proves_nothing() {
        assert_eq!(
            returned(&people(r#"{"employees":[{"id":"1"},{"id":"2"}]}"#)),
            Vec::<&str>::new()
        );
        // Nor does an unasked field, in either form.
        assert_eq!(
            returned(&people(
                r#"{"employees":[{"id":"1","/work/manager":{"value":"2"},"work":{"reportsTo":{}}}]}"#
            )),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn reading_stops_once_every_asked_field_is_seen() {
        let keys: Vec<String> = crate::hibob::fields::ASKED
            .iter()
            .map(|field| format!(r#""/{}":{{"value":null}}"#, field.id.replace('.', "/")))
            .collect();
        let first = format!("{{{}}}", keys.join(","));
        // Whatever follows the first complete employee is never read: here, not even valid JSON.
        let body = format!(r#"{{"employees":[{first},{{"broken"#);
        let Seen::People(people) = people(&body) else { panic!("not people") };
        assert!(people.stopped_early);
        assert_eq!(people.employees, 1);
        assert!(people.saw_every_field());
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
    fn the_field_list_is_counted_and_places_the_asked_fields() {
        let Seen::FieldList { fields, places } = survey(
            Probe::Fields,
            r#"[{"id":"root.id","categoryId":"root","categoryDisplayName":"Basic info","category":"root","name":"Employee ID","typeData":{"listId":null}},
                {"id":"work.title","categoryId":"category_1690000000000","categoryDisplayName":"Job details","category":"work"},
                {"id":"work.department","category":"work"},
                {"id":"work.custom.x","categoryId":7}]"#
                .as_bytes(),
        ) else {
            panic!("not a field list")
        };
        assert_eq!(fields, 4);
        let placement = crate::hibob::Placement::Metadata(&places);
        let by_id = |id| placement.category_of(AskedField::by_id(id).unwrap());
        assert_eq!(by_id("root.id"), Some(crate::hibob::Category::BasicInfo));
        // `categoryId` wins over the deprecated `category` and over the prefix.
        assert_eq!(by_id("work.title"), None);
        // Without `categoryId`, the deprecated `category`.
        assert_eq!(by_id("work.department"), Some(crate::hibob::Category::Work));
        assert_eq!(by_id("work.site"), None);
        // A numeric category ID is a category of the company's own, whatever its display name.
        let Seen::FieldList { places, .. } = survey(
            Probe::Fields,
            r#"[{"id":"work.site","categoryId":1720508362305,"categoryDisplayName":"Work"}]"#
                .as_bytes(),
        ) else {
            panic!("not a field list")
        };
        let site = AskedField::by_id("work.site").unwrap();
        assert_eq!(
            crate::hibob::Placement::Metadata(&places).category_of(site),
            None
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
