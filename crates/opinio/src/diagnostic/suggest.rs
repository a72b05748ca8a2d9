//! "Did you mean" suggestions.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name || c.is_empty() {
            continue;
        }
        let dist = strsim::damerau_levenshtein(name, c);
        let longest = name.chars().count().max(c.chars().count()).max(1);
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
    }
}
