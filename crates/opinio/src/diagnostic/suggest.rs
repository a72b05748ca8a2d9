//! "Did you mean" suggestions.

/// Names longer than this many characters get no suggestion.
const MAX_NAME: usize = 200;

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    // The edit distance costs the product of the lengths: a name of a megabyte (pasted by
    // mistake) against every candidate would take minutes, and no one mistypes it anyway.
    let name_len = name.chars().count();
    if name_len > MAX_NAME {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name || c.is_empty() {
            continue;
        }
        // The distance is at least the difference in length; past the thresholds below
        // (2 edits, or 55% of the longer name with the prefix bonus) it cannot be close.
        let c_len = c.chars().count();
        let gap = name_len.abs_diff(c_len);
        let longest = name_len.max(c_len).max(1);
        if gap > 2 && gap * 100 > longest * 55 {
            continue;
        }
        let dist = strsim::damerau_levenshtein(name, c);
        let score = 1.0 - dist as f64 / longest as f64;
        let prefix_bonus = if c.starts_with(name) || name.starts_with(c) {
            0.15
        } else {
            0.0
        };
        let score = score + prefix_bonus;
        let close = dist <= 2 || score >= 0.6;
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// `did you mean `x`?` or a fallback text.
pub fn help_with<'a, I>(name: &str, candidates: I, fallback: impl Into<String>) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match did_you_mean(name, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => fallback.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["violates_sovereignty", "organ_of", "state"];
        assert_eq!(
            did_you_mean("violate_sovereignty", names).as_deref(),
            Some("violates_sovereignty")
        );
        assert_eq!(did_you_mean("organ", names).as_deref(), Some("organ_of"));
        assert_eq!(did_you_mean("completely_different", names), None);
        assert_eq!(did_you_mean(&"a".repeat(10_000), names), None);
        assert_eq!(
            did_you_mean("o", names),
            None,
            "too short to be `organ_of` mistyped"
        );
    }
}
