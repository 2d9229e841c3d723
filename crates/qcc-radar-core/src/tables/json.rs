//! JSON into a table: an array of records, or an object whose `result` (or other array) is one.
//!
//! The older radar API's files are envelopes: `{"pushDate": …, "totalSize": N, "result":
//! [record, …]}`. Parsing them into `serde_json::Value` would sort every record's keys (the
//! map is a `BTreeMap` unless a workspace-wide feature changes it for every crate) and hold the
//! whole tree in memory, so records are streamed with serde visitors straight into columns, in
//! the order keys first appear. The envelope's other keys are kept as the table's metadata; an
//! object with no array at all is one record. A nested array or object in a record (`newsTagsList`)
//! is kept as its JSON text. A number stays a number and a string stays a string (a string may
//! still be read as a date): see [`super::column`].

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::column::{Cell, ColumnBuilder, ParsedTable, TableBuilder, TableError};

/// The column that holds the elements of an array that are not records.
pub const VALUE_COLUMN: &str = "value";

/// Keys that name an envelope's records when it has several arrays.
const RECORD_KEYS: [&str; 6] = ["result", "Result", "data", "Data", "records", "list"];

/// Why a JSON text is not a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotATable(pub String);

impl fmt::Display for NotATable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotATable {}

impl From<TableError> for NotATable {
    fn from(e: TableError) -> Self {
        NotATable(e.to_string())
    }
}

/// Reads `text` (a whole JSON document) into a table.
pub fn read_json(text: &str) -> Result<ParsedTable, NotATable> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |e: serde_json::Error| NotATable(format!("not valid JSON: {e}"));
    let mut t = TableBuilder::new();
    let mut metadata = Vec::new();
    match text.trim_start().as_bytes().first() {
        Some(b'[') => stream(text, &mut t).map_err(invalid)?,
        Some(b'{') => {
            let Entries(entries) = serde_json::from_str(text).map_err(invalid)?;
            let starts =
                |raw: &RawValue, c: u8| raw.get().trim_start().as_bytes().first() == Some(&c);
            let of_records = |raw: &RawValue| {
                starts(raw, b'[') && raw.get().trim_start()[1..].trim_start().starts_with('{')
            };
            let chosen = entries
                .iter()
                .position(|(k, v)| RECORD_KEYS.contains(&k.as_str()) && starts(v, b'['))
                .or_else(|| entries.iter().position(|(_, v)| of_records(v)))
                .or_else(|| entries.iter().position(|(_, v)| starts(v, b'[')))
                .or_else(|| {
                    // `{"result": null}`: an envelope with no records.
                    entries.iter().position(|(k, v)| {
                        RECORD_KEYS.contains(&k.as_str()) && v.get().trim() == "null"
                    })
                });
            match chosen {
                Some(i) => {
                    if entries[i].1.get().trim() != "null" {
                        stream(entries[i].1.get(), &mut t).map_err(invalid)?;
                    }
                    for (j, (k, v)) in entries.iter().enumerate() {
                        if j != i {
                            let text = serde_json::from_str::<String>(v.get())
                                .unwrap_or_else(|_| v.get().trim().to_string());
                            metadata.push((k.clone(), text));
                        }
                    }
                }
                None => {
                    for (k, v) in &entries {
                        let c = t.column_for(k);
                        let mut de = serde_json::Deserializer::from_str(v.get());
                        CellSeed(t.column_mut(c))
                            .deserialize(&mut de)
                            .map_err(invalid)?;
                    }
                    t.end_row();
                }
            }
        }
        Some(_) => {
            let v: serde_json::Value = serde_json::from_str(text).map_err(invalid)?;
            let what = match v {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::String(_) => "a string",
                _ => "a value",
            };
            return Err(NotATable(format!(
                "the JSON document is {what}, not records"
            )));
        }
        None => return Err(NotATable("the JSON document is empty".into())),
    }
    let mut parsed = t.finish()?;
    parsed.metadata = metadata;
    parsed.encoding = Some("UTF-8");
    Ok(parsed)
}

/// An object's entries in document order, values left unparsed.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Streams the array in `text` into `t`, one row per element.
fn stream(text: &str, t: &mut TableBuilder) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Records(t).deserialize(&mut de)?;
    de.end()
}

struct Records<'t>(&'t mut TableBuilder);

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Record(&mut *self.0))?.is_some() {
            self.0.end_row();
        }
        Ok(())
    }
}

/// One element of the records array.
struct Record<'t>(&'t mut TableBuilder);

impl<'de> DeserializeSeed<'de> for Record<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Record<'_> {
    fn scalar(self, cell: Cell<'_>) {
        let c = self.0.column_for(VALUE_COLUMN);
        self.0.column_mut(c).push(cell);
    }
}

impl<'de> Visitor<'de> for Record<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(c) = map.next_key_seed(Key(&mut *self.0))? {
            map.next_value_seed(CellSeed(self.0.column_mut(c)))?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
        self.scalar(Cell::Str(&v.to_string()));
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.scalar(Cell::Bool(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.scalar(Cell::Int(v));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        match i64::try_from(v) {
            Ok(i) => self.scalar(Cell::Int(i)),
            Err(_) => self.scalar(Cell::Str(&v.to_string())),
        }
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.scalar(Cell::Float(v));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.scalar(Cell::Str(v));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar(Cell::Empty);
        Ok(())
    }
}

/// A record's key: the index of its column.
struct Key<'t>(&'t mut TableBuilder);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<usize, E> {
        Ok(self.0.column_for(v))
    }
}

/// A record's value, pushed into its column.
struct CellSeed<'c>(&'c mut ColumnBuilder);

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push(Cell::Bool(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.push(Cell::Int(v));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        match i64::try_from(v) {
            Ok(i) => self.0.push(Cell::Int(i)),
            Err(_) => self.0.push(Cell::Str(&v.to_string())),
        }
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.push(Cell::Float(v));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push(Cell::Str(v));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push_null();
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.0.push_null();
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
        self.0.push(Cell::Str(&v.to_string()));
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
        self.0.push(Cell::Str(&v.to_string()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::column::{ColumnData, ColumnKind};
    use super::*;

    fn names(t: &ParsedTable) -> Vec<&str> {
        t.columns.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn an_envelope_keeps_key_order_and_metadata() {
        let doc = r#"{"pushDate":"2024-05-01","totalSize":2,"result":[
            {"id":"a1","corpName":"甲","type":11,"typeName":"裁判文书","changeDate":"2024-05-01","tags":["x"]},
            {"id":"b2","corpName":"乙","type":9,"typeName":"被执行人","changeDate":"2024-04-30","extra":null,"tags":{"k":1}}
        ]}"#;
        let t = read_json(doc).unwrap();
        assert_eq!(
            names(&t),
            [
                "id",
                "corpName",
                "type",
                "typeName",
                "changeDate",
                "tags",
                "extra"
            ]
        );
        assert_eq!(t.rows, 2);
        assert_eq!(t.columns[2].data, ColumnData::Int(vec![11, 9]));
        assert_eq!(t.columns[4].kind(), ColumnKind::Date);
        assert_eq!(t.columns[0].kind(), ColumnKind::Text);
        let ColumnData::Text { values, .. } = &t.columns[5].data else {
            panic!()
        };
        assert_eq!(values, r#"["x"]{"k":1}"#);
        assert_eq!(
            t.metadata,
            [
                ("pushDate".to_string(), "2024-05-01".to_string()),
                ("totalSize".to_string(), "2".to_string())
            ]
        );
    }

    #[test]
    fn other_shapes() {
        let t = read_json("[1, 2.5, null]").unwrap();
        assert_eq!(names(&t), [VALUE_COLUMN]);
        assert_eq!(t.rows, 3);
        let t = read_json(r#"{"result": null, "msg": "无"}"#).unwrap();
        assert_eq!((t.rows, t.columns.len()), (0, 0));
        let t = read_json(r#"{"a": 1, "b": "x"}"#).unwrap();
        assert_eq!((t.rows, names(&t)), (1, vec!["a", "b"]));
        let t = read_json(r#"[{"a":1,"a":2}]"#).unwrap();
        assert_eq!(names(&t), ["a", "a_2"]);
        assert!(read_json("42").unwrap_err().0.contains("a number"));
        assert!(read_json("[1,").unwrap_err().0.contains("not valid JSON"));
        assert!(read_json("  ").is_err());
    }
}
