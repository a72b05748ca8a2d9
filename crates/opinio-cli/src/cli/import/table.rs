//! A dataset's sheet as rows of named cells, read from CSV (the `csv` crate) or from a workbook
//! (`calamine`): the header row names the columns, rows are numbered as a spreadsheet numbers
//! them (the header is row 1). A UTF-8 byte-order mark and CRLF line ends are accepted. A row
//! whose number of cells differs from the header's, or a cell that is not UTF-8 text, is a
//! problem of that row (and column), not of the file.

use super::{Fatal, RowProblem};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// One row.
pub struct Row {
    /// The row number (the header is row 1).
    pub number: usize,
    columns: Rc<HashMap<String, usize>>,
    cells: Vec<Option<String>>,
    width: usize,
}

impl Row {
    /// The text of a column, trimmed; a problem naming the row and column if the row has no
    /// such cell or the cell is not text.
    pub fn get(&self, column: &str) -> Result<&str, RowProblem> {
        let Some(&i) = self.columns.get(column) else {
            return Err(RowProblem::new(
                self.number,
                column,
                "the file has no such column",
            ));
        };
        match self.cells.get(i) {
            Some(Some(s)) => Ok(s.trim()),
            Some(None) => Err(RowProblem::new(
                self.number,
                column,
                "the cell is not readable text (not UTF-8, or a spreadsheet error value)",
            )
            .help("save the file as UTF-8, or correct the cell")),
            None => Err(RowProblem::new(
                self.number,
                column,
                format!(
                    "the row ends before this column: it has {} cells where the header has {}",
                    self.cells.len(),
                    self.width
                ),
            )
            .help("look for a missing separator or a quotation mark left open in the row")),
        }
    }

    /// A problem with the shape of the row: more cells than the header names.
    pub fn shape_problem(&self) -> Option<RowProblem> {
        (self.cells.len() > self.width).then(|| {
            RowProblem::new(
                self.number,
                &format!("column {}", self.width + 1),
                format!(
                    "the row has {} cells where the header has {}",
                    self.cells.len(),
                    self.width
                ),
            )
            .help("look for a separator too many, or a quotation mark left open in the row")
        })
    }
}

/// A sheet: its column names and rows.
pub struct Table {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    columns: Rc<HashMap<String, usize>>,
}

impl Table {
    /// Checks that every column in `required` is there; a fatal problem naming the missing ones.
    pub fn require(&self, required: &[&str], file: &Path, layout: &str) -> Result<(), Fatal> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !self.columns.contains_key(*c))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Fatal::new(format!(
            "`{}` is not in {layout}'s column layout: no column {}",
            file.display(),
            missing
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_help(format!(
            "give the file of {layout} itself, with its header row unchanged"
        )))
    }

    /// Whether the sheet has a column.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    fn new(headers: Vec<String>) -> Table {
        let mut map = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            map.entry(h.trim().trim_start_matches('\u{feff}').to_string())
                .or_insert(i);
        }
        Table {
            rows: Vec::new(),
            columns: Rc::new(map),
        }
    }

    fn push(&mut self, number: usize, cells: Vec<Option<String>>, width: usize) {
        self.rows.push(Row {
            number,
            columns: Rc::clone(&self.columns),
            cells,
            width,
        });
    }
}

/// Reads a CSV file (comma-separated, double quotes, header row).
pub fn read_csv(path: &Path, max_bytes: u64) -> Result<Table, Fatal> {
    let file = an_ordinary_file(path, max_bytes)?;
    if is_workbook(path) {
        return Err(Fatal::new(format!(
            "`{}` is a workbook (a spreadsheet file), not a CSV file",
            path.display()
        ))
        .with_help(
            "EuRepoC publishes its tables as CSV files: give the `.csv` file, or save the sheet as CSV (comma-separated) first; DCID's workbook goes to `opinio import dcid`",
        ));
    }
    // The limit again while reading: the file may grow after it was looked at.
    let mut input =
        std::io::BufReader::with_capacity(1 << 16, std::io::Read::take(file, max_bytes));
    let head = std::io::BufRead::fill_buf(&mut input).map_err(|e| {
        Fatal::new(format!(
            "cannot read `{}`: {}",
            path.display(),
            opinio::kb::io_words(&e)
        ))
    })?;
    if let Some(f) = not_comma_separated_utf8(path, head) {
        return Err(f);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(Fatal::new(format!(
                "cannot read `{}`: {}",
                path.display(),
                io_reason(&e)
            )))
        }
        None => {
            return Err(Fatal::new(format!("`{}` is empty", path.display()))
                .with_help("give a CSV file with a header row"))
        }
    };
    let headers: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let width = headers.len();
    let mut table = Table::new(headers);
    for (i, rec) in records.enumerate() {
        let number = i + 2;
        match rec {
            Ok(r) => {
                let cells = r
                    .iter()
                    .map(|f| std::str::from_utf8(f).ok().map(str::to_string))
                    .collect();
                table.push(number, cells, width);
            }
            Err(e) => {
                return Err(Fatal::new(format!(
                    "cannot read `{}` past row {number}: {}",
                    path.display(),
                    io_reason(&e)
                )))
            }
        }
    }
    Ok(table)
}

/// A file that a spreadsheet saved as CSV in another form than comma-separated UTF-8, told
/// from its first bytes: UTF-16 text (Excel's "Unicode text"), or a header separated by
/// semicolons (Excel in locales where the comma is the decimal sign).
fn not_comma_separated_utf8(path: &Path, head: &[u8]) -> Option<Fatal> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some(
            Fatal::new(format!(
                "`{}` is UTF-16 text, not UTF-8: its columns cannot be read",
                path.display()
            ))
            .with_help("save it as UTF-8 CSV (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\"), then import that file"),
        );
    }
    let header = head.split(|b| *b == b'\n').next().unwrap_or_default();
    if header.contains(&b';') && !header.contains(&b',') {
        return Some(
            Fatal::new(format!(
                "`{}` is separated by semicolons, not commas (as spreadsheets set to a language that writes decimals with a comma save CSV): its columns cannot be read",
                path.display()
            ))
            .with_help("save it as comma-separated CSV (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\"), then import that file"),
        );
    }
    None
}

/// Reads a sheet of a workbook (`.xlsx`, `.xls`, `.ods`): the first, or the one named.
pub fn read_workbook(path: &Path, sheet: Option<&str>, max_bytes: u64) -> Result<Table, Fatal> {
    use calamine::{open_workbook_auto, Data, Reader};
    an_ordinary_file(path, max_bytes)?;
    let mut wb = open_workbook_auto(path).map_err(|_| not_a_workbook(path))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(
                    Fatal::new(format!("`{}` has no sheet named `{s}`", path.display()))
                        .with_help(format!("its sheets are: {}", names.join(", "))),
                );
            }
            s.to_string()
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Fatal::new(format!("`{}` has no sheet", path.display())))?,
    };
    let range = wb.worksheet_range(&name).map_err(|_| {
        Fatal::new(format!(
            "cannot read sheet `{name}` of `{}`: the workbook is damaged",
            path.display()
        ))
        .with_help("open it in a spreadsheet program and save it again as .xlsx, or save the sheet as CSV (comma-separated) and give that file")
    })?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(Fatal::new(format!(
            "sheet `{name}` of `{}` is empty",
            path.display()
        )));
    };
    // Columns before the range's first one are empty: keep numbering from column A.
    let pad = |cells: &[Data]| -> Vec<Option<String>> {
        std::iter::repeat_n(Some(String::new()), first_col)
            .chain(cells.iter().map(cell_text))
            .collect()
    };
    let headers: Vec<String> = pad(header)
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    // Trailing empty header cells do not count as columns.
    let width = headers
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut table = Table::new(headers);
    for (i, r) in rows.enumerate() {
        let mut cells = pad(r);
        // A workbook's range is rectangular: cells past the header are empty unless written.
        while cells.len() > width && cells.last().is_some_and(|c| c.as_deref() == Some("")) {
            cells.pop();
        }
        if cells
            .iter()
            .all(|c| c.as_deref().is_some_and(|s| s.trim().is_empty()))
        {
            continue;
        }
        cells.resize(width.max(cells.len()), Some(String::new()));
        table.push(first_row + i + 2, cells, width);
    }
    Ok(table)
}

/// The workbook reader's refusal in plain words: the file is damaged, or not a workbook
/// despite its name (a CSV or text file renamed `.xlsx`, a web page saved under that name).
fn not_a_workbook(path: &Path) -> Fatal {
    use std::io::Read;
    let mut head = [0u8; 4];
    let zip_or_ole = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && (head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0]);
    if zip_or_ole {
        Fatal::new(format!(
            "`{}` is not a readable workbook: it looks like a spreadsheet file but is damaged",
            path.display()
        ))
        .with_help("open it in a spreadsheet program and save it again as .xlsx, or save the sheet as CSV (comma-separated) and give that file")
    } else {
        Fatal::new(format!(
            "`{}` is not a readable workbook: it is not an .xlsx, .xls or .ods file, whatever its name says",
            path.display()
        ))
        .with_help("give DCID's workbook as downloaded, or its incident sheet saved as CSV with a name ending in `.csv`")
    }
}

/// The text of a workbook cell: numbers without a needless `.0`, dates as their serial
/// number (the importer converts), `None` for an error value.
fn cell_text(d: &calamine::Data) -> Option<String> {
    use calamine::Data;
    Some(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => return None,
    })
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn io_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => opinio::kb::io_words(io),
        _ => e.to_string(),
    }
}

/// Opens a dataset's file, refusing in plain words a path that is missing or unreadable, a
/// folder, a named pipe, a device (`/dev/zero` never ends) or a socket, and a file larger
/// than `max_bytes` (`--max-file-size`): the whole table is held in memory.
fn an_ordinary_file(path: &Path, max_bytes: u64) -> Result<std::fs::File, Fatal> {
    match opinio::kb::files::open_regular_file(path, max_bytes) {
        Ok((file, _)) => Ok(file),
        Err(d) => {
            use opinio::diagnostic::Code;
            let help = match d.code {
                Code::NotAFile => Some(
                    "give the dataset's file as saved on disk (the CSV file, or DCID's workbook); to import what a program writes, save it to a file first"
                        .to_string(),
                ),
                Code::FileTooLarge => match &d.remedy {
                    Some(opinio::diagnostic::Remedy::RaiseFileSizeLimit { suggested }) => {
                        Some(format!(
                            "if the dataset is meant to be this large, run again with --max-file-size {suggested}"
                        ))
                    }
                    _ => d.help,
                },
                _ if path.is_dir() => Some("give the dataset's file itself".to_string()),
                _ => d.help,
            };
            let fatal = Fatal::new(d.message);
            Err(match help {
                Some(h) => fatal.with_help(h),
                None => fatal,
            })
        }
    }
}

/// Whether a file is a spreadsheet workbook: by its name (`.xlsx`, `.xls`, `.ods`) or by its
/// first bytes (a ZIP archive, as `.xlsx` and `.ods` are, or an old Excel file).
fn is_workbook(path: &Path) -> bool {
    use std::io::Read;
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str()));
    let mut head = [0u8; 4];
    let by_bytes = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && (head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0]);
    by_name || by_bytes
}
