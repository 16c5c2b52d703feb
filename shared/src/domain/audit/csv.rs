//! Audit events as CSV (RFC 4180: comma separated, CRLF line ends, fields
//! quoted when they hold a comma, quote or line break), a header row first.
//!
//! Spreadsheets run a cell starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula, so such a cell is written with a `'` in
//! front. A cell that itself starts with `'` gets one too, so the rule to
//! read a cell back is exact: drop one leading `'` if there is one.

use super::{AuditEvent, COLUMNS};

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8; header=present";

/// Writes a header row, then one row per event.
pub struct CsvWriter {
    inner: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> Self {
        let mut inner = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = inner.write_record(COLUMNS);
        Self { inner }
    }

    pub fn event(&mut self, event: &AuditEvent) {
        let cells: Vec<String> = event.row().iter().map(|cell| defused(cell).into_owned()).collect();
        let _ = self.inner.write_record(&cells);
    }

    pub fn finish(self) -> Vec<u8> {
        self.inner.into_inner().unwrap_or_default()
    }
}

/// The cell as written: formula triggers (and `'`) get a leading `'`.
pub fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The cell as stored, from the cell as written.
pub fn restored(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::tenant::OrgId;
    use crate::domain::audit::Target;

    #[test]
    fn formula_cells_are_defused_and_restored_exactly() {
        for cell in ["=1+1", "+x", "-2", "@SUM(A1)", "\tx", "'quoted", "''", "plain", "", "a=b"] {
            assert_eq!(restored(&defused(cell)), cell);
        }
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("a=b"), "a=b");
    }

    #[test]
    fn rows_with_commas_quotes_and_line_breaks_parse_back() {
        let org = OrgId::generate();
        let target = Target { kind: "project".into(), id: "=cmd|' /C calc'!A0".into() };
        let metadata = serde_json::json!({ "name": "a, \"b\"\r\nc" });
        let event = AuditEvent::by_system(&org, "test", "trace", "project.created", target, metadata);
        let mut writer = CsvWriter::new();
        writer.event(&event);
        let bytes = writer.finish();
        assert!(bytes.ends_with(b"\r\n"));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        let cells: Vec<&str> = rows[0].iter().map(restored).collect();
        assert_eq!(cells, event.row().iter().map(String::as_str).collect::<Vec<_>>());
        assert!(rows[0].get(11).unwrap().starts_with("'="));
    }
}
