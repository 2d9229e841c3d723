//! A parsed table's buffers handed to Arrow.
//!
//! The core lays each column out as Arrow does (a text buffer and `i32` offsets, or a typed
//! vector, plus validity), so each becomes an array by wrapping its `Vec`s in Arrow buffers,
//! without copying the values: a large report costs its Arrow size once, not twice.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, RecordBatchOptions,
    StringArray, TimestampMillisecondArray,
};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use qcc_radar_core::tables::{Column, ColumnData, ParsedTable};

/// Schema metadata keys this crate writes (beside the source's own, e.g. `pushDate`).
pub(crate) const META_NAME: &str = "qcc_radar.name";
pub(crate) const META_ENCODING: &str = "qcc_radar.encoding";
pub(crate) const META_PREAMBLE: &str = "qcc_radar.preamble";

fn array(col: Column) -> Result<(Field, ArrayRef), ArrowError> {
    let nulls = col.valid.map(NullBuffer::from);
    let nullable = true;
    let (dt, arr): (DataType, ArrayRef) = match col.data {
        ColumnData::Text { values, offsets } => {
            let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
            let values = Buffer::from_vec(values.into_bytes());
            (
                DataType::Utf8,
                Arc::new(StringArray::try_new(offsets, values, nulls)?),
            )
        }
        ColumnData::Int(v) => (DataType::Int64, Arc::new(Int64Array::new(v.into(), nulls))),
        ColumnData::Float(v) => (
            DataType::Float64,
            Arc::new(Float64Array::new(v.into(), nulls)),
        ),
        ColumnData::Bool(v) => (
            DataType::Boolean,
            Arc::new(BooleanArray::new(BooleanBuffer::from(v), nulls)),
        ),
        ColumnData::Date(v) => (
            DataType::Date32,
            Arc::new(Date32Array::new(v.into(), nulls)),
        ),
        ColumnData::DateTime(v) => (
            DataType::Timestamp(TimeUnit::Millisecond, None),
            Arc::new(TimestampMillisecondArray::new(v.into(), nulls)),
        ),
    };
    Ok((Field::new(col.name, dt, nullable), arr))
}

/// The record batch for `parsed`, named `name` in its schema's metadata.
pub(crate) fn to_batch(name: &str, parsed: ParsedTable) -> Result<RecordBatch, ArrowError> {
    let mut meta: HashMap<String, String> = parsed.metadata.into_iter().collect();
    meta.insert(META_NAME.into(), name.into());
    if let Some(e) = parsed.encoding {
        meta.insert(META_ENCODING.into(), e.into());
    }
    if !parsed.preamble.is_empty() {
        meta.insert(
            META_PREAMBLE.into(),
            serde_json::to_string(&parsed.preamble).unwrap_or_default(),
        );
    }
    let mut fields = Vec::with_capacity(parsed.columns.len());
    let mut arrays = Vec::with_capacity(parsed.columns.len());
    for c in parsed.columns {
        let (f, a) = array(c)?;
        fields.push(f);
        arrays.push(a);
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, meta));
    let options = RecordBatchOptions::new().with_row_count(Some(parsed.rows));
    RecordBatch::try_new_with_options(schema, arrays, &options)
}
