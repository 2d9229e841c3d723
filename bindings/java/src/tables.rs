//! A report's contents as tables, handed to Java column by column.
//!
//! `com.qccradar.Tables` wants each table as a `List<Map<String, Object>>`. Building those maps
//! here would cost a JNI call (and a local reference) per cell; a 200,000-row workbook would
//! spend seconds crossing the boundary. Instead each Arrow column crosses as one or two Java
//! arrays copied in bulk, and Java boxes a value only when a row is read:
//!
//! | kind (byte) | values | extra |
//! |---|---|---|
//! | 0 text | `byte[]` UTF-8, the column's strings end to end | `int[]` offsets, rows + 1 |
//! | 1 integer | `long[]` | |
//! | 2 float | `double[]` | |
//! | 3 boolean | `boolean[]` | |
//! | 4 date | `int[]` days from 1970-01-01 | |
//! | 5 date-time | `long[]` milliseconds from 1970-01-01 00:00, no zone | |
//!
//! plus a `boolean[]` of which rows hold a value, or `null` when all do. Text travels as UTF-8
//! bytes rather than `String`s because JNI's strings are modified UTF-8 (a conversion per
//! value); Java decodes the bytes once. The payload:
//!
//! ```text
//! Object[] { Object[] tables, Object[] skipped }
//!   table:   Object[] { String name, String[] columns, byte[] kinds, int[] {rows}, Object[] columns' data }
//!   column:  Object[] { values, extra or null, validity or null }
//!   skipped: String[] { name, path, reason code, reason text }
//! ```
//!
//! Every table, and every column within it, is built in a local frame of its own, so a wide
//! report never piles up local references (`-Xcheck:jni` counts them).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jni::objects::{JClass, JObject, JObjectArray, JString};
use jni::sys::jsize;
use jni::{jni_mangle, Env, EnvUnowned};
use qcc_radar::tables::arrow_array::cast::AsArray;
use qcc_radar::tables::arrow_array::types::{
    Date32Type, Float64Type, Int64Type, TimestampMillisecondType,
};
use qcc_radar::tables::arrow_schema::{DataType, TimeUnit};
use qcc_radar::tables::{Skipped, Table, Tables};
use qcc_radar::Error;

use crate::args;
use crate::errors::{BridgeError, BridgeResult, ToSink};
use crate::results;

const TEXT: u8 = 0;
const INT: u8 = 1;
const FLOAT: u8 = 2;
const BOOL: u8 = 3;
const DATE: u8 = 4;
const DATE_TIME: u8 = 5;

/// `Tables.read(folder)`: every table of a report folder, and the files that are not tables,
/// as the payload the module documentation describes. Reads files on the calling thread; sends
/// nothing.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn read_tables<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    folder: JString<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let folder = PathBuf::from(args::string(env, &folder, "the report folder")?);
            let tables = read(&folder)?;
            let payload = to_java(env, &tables)?;
            results::succeed_object(env, &sink, &payload)?;
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// Reads the report folder `folder` into tables (kind `io` when it cannot be listed).
fn read(folder: &Path) -> BridgeResult<Tables> {
    Ok(qcc_radar::read_tables(folder)?)
}

/// The Java payload for `tables` (see the module documentation).
fn to_java<'local>(env: &mut Env<'local>, tables: &Tables) -> BridgeResult<JObject<'local>> {
    let list = JObjectArray::<JObject>::new(env, tables.tables.len(), JObject::null())?;
    for (i, table) in tables.tables.iter().enumerate() {
        env.with_local_frame(16, |env| -> BridgeResult<()> {
            let t = table_to_java(env, table)?;
            list.set_element(env, i, &t)?;
            Ok(())
        })?;
    }
    let skipped = JObjectArray::<JObject>::new(env, tables.skipped.len(), JObject::null())?;
    for (i, s) in tables.skipped.iter().enumerate() {
        env.with_local_frame(8, |env| -> BridgeResult<()> {
            let s = skipped_to_java(env, s)?;
            skipped.set_element(env, i, &s)?;
            Ok(())
        })?;
    }
    let payload = JObjectArray::<JObject>::new(env, 2, JObject::null())?;
    payload.set_element(env, 0, &list)?;
    payload.set_element(env, 1, &skipped)?;
    env.delete_local_ref(list);
    env.delete_local_ref(skipped);
    Ok(payload.into())
}

fn strings<'local>(env: &mut Env<'local>, items: &[&str]) -> BridgeResult<JObject<'local>> {
    let array = JObjectArray::<JString>::new(env, items.len(), JString::null())?;
    for (i, item) in items.iter().enumerate() {
        let s = JString::from_str(env, item)?;
        array.set_element(env, i, &s)?;
        env.delete_local_ref(s);
    }
    Ok(array.into())
}

fn skipped_to_java<'local>(env: &mut Env<'local>, s: &Skipped) -> BridgeResult<JObject<'local>> {
    let path = s.path.to_string_lossy();
    let reason = s.reason.to_string();
    strings(env, &[&s.name, &path, s.reason.kind(), &reason])
}

fn len(n: usize) -> BridgeResult<jsize> {
    jsize::try_from(n).map_err(|_| {
        Error::config(format!(
            "a table of {n} rows or bytes is too large for a Java array; read it in Rust, Python or C"
        ))
        .into()
    })
}

fn table_to_java<'local>(env: &mut Env<'local>, table: &Table) -> BridgeResult<JObject<'local>> {
    let rows = len(table.num_rows())?;
    let name = JString::from_str(env, table.name())?;
    let columns = strings(env, &table.columns())?;
    let mut kinds = Vec::with_capacity(table.num_columns());
    let data = JObjectArray::<JObject>::new(env, table.num_columns(), JObject::null())?;
    for c in 0..table.num_columns() {
        let array = table.batch().column(c).as_ref();
        let kind = kind_of(array.data_type());
        let column = env.with_local_frame_returning_local::<_, JObject, BridgeError>(8, |env| {
            column_to_java(env, table, c, kind)
        })?;
        kinds.push(kind);
        data.set_element(env, c, &column)?;
        env.delete_local_ref(column);
    }
    let kinds = env.byte_array_from_slice(&kinds)?;
    let shape = env.new_int_array(1)?;
    shape.set_region(env, 0, &[rows])?;
    let out = JObjectArray::<JObject>::new(env, 5, JObject::null())?;
    out.set_element(env, 0, &name)?;
    out.set_element(env, 1, &columns)?;
    out.set_element(env, 2, &kinds)?;
    out.set_element(env, 3, &shape)?;
    out.set_element(env, 4, &data)?;
    Ok(out.into())
}

/// The kind a column crosses as; any type this crate does not write crosses as text.
fn kind_of(dt: &DataType) -> u8 {
    match dt {
        DataType::Int64 => INT,
        DataType::Float64 => FLOAT,
        DataType::Boolean => BOOL,
        DataType::Date32 => DATE,
        DataType::Timestamp(TimeUnit::Millisecond, _) => DATE_TIME,
        _ => TEXT,
    }
}

/// `Object[] { values, extra or null, validity or null }` for column `c` of `table`.
fn column_to_java<'local>(
    env: &mut Env<'local>,
    table: &Table,
    c: usize,
    kind: u8,
) -> BridgeResult<JObject<'local>> {
    let array = table.batch().column(c).as_ref();
    let rows = array.len();
    let mut extra = JObject::null();
    let values: JObject = match kind {
        INT => {
            let v = array.as_primitive::<Int64Type>().values();
            let a = env.new_long_array(rows)?;
            a.set_region(env, 0, v)?;
            a.into()
        }
        FLOAT => {
            let v = array.as_primitive::<Float64Type>().values();
            let a = env.new_double_array(rows)?;
            a.set_region(env, 0, v)?;
            a.into()
        }
        BOOL => {
            let v: Vec<bool> = array.as_boolean().values().iter().collect();
            let a = env.new_boolean_array(rows)?;
            a.set_region(env, 0, &v)?;
            a.into()
        }
        DATE => {
            let v = array.as_primitive::<Date32Type>().values();
            let a = env.new_int_array(rows)?;
            a.set_region(env, 0, v)?;
            a.into()
        }
        DATE_TIME => {
            let v = array.as_primitive::<TimestampMillisecondType>().values();
            let a = env.new_long_array(rows)?;
            a.set_region(env, 0, v)?;
            a.into()
        }
        _ => {
            let (bytes, offsets) = match array.data_type() {
                DataType::Utf8 => {
                    let s = array.as_string::<i32>();
                    let o = s.value_offsets();
                    let (first, last) = (o[0], o[rows]);
                    let bytes = &s.value_data()[first as usize..last as usize];
                    (Cow::Borrowed(bytes), o.iter().map(|x| x - first).collect())
                }
                // Not a type this crate writes: its values as the table shows them.
                _ => {
                    let mut bytes = Vec::new();
                    let mut offsets = vec![0];
                    for r in 0..rows {
                        bytes.extend_from_slice(table.value(r, c).to_string().as_bytes());
                        offsets.push(len(bytes.len())?);
                    }
                    (Cow::Owned(bytes), offsets)
                }
            };
            let o = env.new_int_array(offsets.len())?;
            o.set_region(env, 0, &offsets)?;
            extra = o.into();
            env.byte_array_from_slice(&bytes)?.into()
        }
    };
    let validity: JObject = if array.null_count() == 0 {
        JObject::null()
    } else {
        let v: Vec<bool> = (0..rows).map(|r| array.is_valid(r)).collect();
        let a = env.new_boolean_array(rows)?;
        a.set_region(env, 0, &v)?;
        a.into()
    };
    let out = JObjectArray::<JObject>::new(env, 3, JObject::null())?;
    out.set_element(env, 0, &values)?;
    out.set_element(env, 1, &extra)?;
    out.set_element(env, 2, &validity)?;
    Ok(out.into())
}
