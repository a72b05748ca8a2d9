//! EuRepoC writes many cells as Python lists serialised as text: `['Armenia']`, one entry per
//! receiver or initiator, and `[['Media', 'Other'], ['Science']]`, one list per receiver. This
//! reads that notation (strings in single or double quotes with backslash escapes, nested
//! lists); a cell without brackets is one entry, an empty cell or `nan` none.

/// An entry: a string or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A quoted string.
    Text(String),
    /// A nested list.
    List(Vec<Entry>),
}

impl Entry {
    /// Every string in the entry, depth first.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Entry::Text(s) => vec![s.as_str()],
            Entry::List(l) => l.iter().flat_map(Entry::strings).collect(),
        }
    }
}

/// Reads a cell; the error says what was expected where (byte offset in the cell).
pub fn parse(cell: &str) -> Result<Vec<Entry>, String> {
    let t = cell.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("nan") {
        return Ok(Vec::new());
    }
    if !t.starts_with('[') {
        return Ok(vec![Entry::Text(t.to_string())]);
    }
    let chars: Vec<char> = t.chars().collect();
    let mut p = Parser { chars, at: 0 };
    let list = p.list()?;
    p.space();
    if p.at < p.chars.len() {
        return Err(format!(
            "text after the closing `]` at character {}",
            p.at + 1
        ));
    }
    Ok(list)
}

/// Reads a cell as one string per entry (a nested entry's strings joined).
pub fn flat(cell: &str) -> Result<Vec<String>, String> {
    Ok(parse(cell)?
        .iter()
        .map(|e| e.strings().join(", "))
        .collect())
}

/// Reads a cell as one list of strings per entry (`[['a', 'b'], ['c']]`).
pub fn nested(cell: &str) -> Result<Vec<Vec<String>>, String> {
    Ok(parse(cell)?
        .iter()
        .map(|e| e.strings().into_iter().map(str::to_string).collect())
        .collect())
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn list(&mut self) -> Result<Vec<Entry>, String> {
        // At `[`.
        self.at += 1;
        let mut out = Vec::new();
        loop {
            self.space();
            match self.chars.get(self.at) {
                Some(']') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some('[') => out.push(Entry::List(self.list()?)),
                Some(q @ ('\'' | '"')) => {
                    let q = *q;
                    out.push(Entry::Text(self.string(q)?));
                }
                Some(c) => {
                    return Err(format!(
                        "`{c}` at character {} where a quoted name or `]` was expected",
                        self.at + 1
                    ))
                }
                None => return Err("the list is not closed with `]`".to_string()),
            }
            self.space();
            match self.chars.get(self.at) {
                Some(',') => self.at += 1,
                Some(']') => {}
                Some(c) => {
                    return Err(format!(
                        "`{c}` at character {} where `,` or `]` was expected",
                        self.at + 1
                    ))
                }
                None => return Err("the list is not closed with `]`".to_string()),
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<String, String> {
        let start = self.at + 1;
        self.at += 1;
        let mut s = String::new();
        loop {
            match self.chars.get(self.at) {
                Some('\\') => {
                    match self.chars.get(self.at + 1) {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(c) => s.push(*c),
                        None => break,
                    }
                    self.at += 2;
                }
                Some(c) if *c == quote => {
                    self.at += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(*c);
                    self.at += 1;
                }
                None => break,
            }
        }
        Err(format!(
            "the quotation mark at character {start} is not closed"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_and_nested_lists() {
        assert_eq!(flat("['Armenia']").expect("ok"), vec!["Armenia"]);
        assert_eq!(
            flat(r#"["Korea, Democratic People's Republic of", 'China']"#).expect("ok"),
            vec!["Korea, Democratic People's Republic of", "China"]
        );
        assert_eq!(
            nested("[['Media', 'Other'], ['Science']]").expect("ok"),
            vec![vec!["Media", "Other"], vec!["Science"]]
        );
        assert_eq!(flat("['It\\'s']").expect("ok"), vec!["It's"]);
    }

    #[test]
    fn plain_and_empty_cells() {
        assert_eq!(flat("Armenia").expect("ok"), vec!["Armenia"]);
        assert!(flat("").expect("ok").is_empty());
        assert!(flat("nan").expect("ok").is_empty());
        assert!(flat("[]").expect("ok").is_empty());
    }

    #[test]
    fn malformed_lists_are_errors() {
        assert!(flat("['Armenia'").is_err());
        assert!(flat("['Armenia]").is_err());
        assert!(flat("[Armenia]").is_err());
        assert!(flat("['a' 'b']").is_err());
        assert!(flat("['a'] x").is_err());
    }
}
