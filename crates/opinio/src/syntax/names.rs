//! Names that look alike to a reader but not to Opinio: a quoted name holding an invisible
//! character (`"rus\u{200B}sia"`), and two names that differ only by invisible characters,
//! capital letters, spacing or Unicode normalisation (`"Fancy Bear"`, `"fancy  bear"`; `"á"`
//! written as one character or as `a` and a combining accent). Opinio tells names apart
//! character by character, so each of these is a different thing: a fact about one says
//! nothing about the other. Both are warnings, except a control character in a name,
//! which is an error.

use super::is_plain_name;
use crate::diagnostic::{escaped_char, is_invisible, Diagnostic};
use crate::source::Span;
use rustc_hash::FxHashMap;

/// What a name looks like to a reader: in Unicode's compatibility composition (NFKC: `a`
/// and a combining accent are `á`, the ligature `ﬁ` is `fi`, a full-width `Ａ` is `A`),
/// invisible characters left out, every run of spaces (of any kind: no-break, thin,
/// ideographic…) one space, no space at either end, lower case.
pub fn looks(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkc() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// A name as a diagnostic shows it: plain names as they are; others quoted, with invisible
/// characters, every space other than U+0020 and combining marks escaped, and every character
/// beyond ASCII in a name that Unicode normalisation would change (`"fancy\u{00A0}bear"`,
/// `"a\u{0301}rpad"`, `"\u{FB01}nland"`), so that two look-alike names are seen to differ.
pub fn shown(name: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    if is_plain_name(name) {
        return format!("`{name}`");
    }
    // A name that normalisation would change (an accent as a combining mark, Hangul as
    // separate letters, a ligature) shows every character beyond ASCII as its code, so that
    // it is seen to differ from its composed look-alike.
    let unnormal = !name.nfkc().eq(name.chars());
    let mut out = String::from("`\"");
    for c in name.chars() {
        if is_invisible(c)
            || (c.is_whitespace() && c != ' ')
            || is_combining_mark(c)
            || (unnormal && !c.is_ascii())
        {
            out.push_str(&escaped_char(c));
        } else {
            out.push(c);
        }
    }
    out.push_str("\"`");
    out
}

/// Warnings about the names of a scenario or knowledge base: each of `new` that holds an
/// invisible character, and each of `new` that looks like (see [`looks`]) another name of
/// `old` or `new` without being it. `old` are the names already known (already warned
/// about); they are not compared with one another.
pub fn look_alike_names<'a>(
    old: impl Iterator<Item = (&'a str, Span)>,
    new: impl Iterator<Item = (&'a str, Span)>,
) -> Vec<Diagnostic> {
    let mut new: Vec<(&str, Span)> = new.collect();
    new.sort_by_key(|(_, span)| *span);
    let mut out = Vec::new();
    for &(name, span) in &new {
        if let Some(d) = invisible_in_name(name, span) {
            out.push(d);
        }
    }
    // Two plain names (`a-z`, digits, `_`) never look alike: at least one of a pair is
    // quoted. Unless a new name is, only the quoted old names need looking at.
    let any_quoted = new.iter().any(|(n, _)| !is_plain_name(n));
    let mut seen: FxHashMap<String, (&str, Span)> = FxHashMap::default();
    for (name, span) in old {
        if any_quoted || !is_plain_name(name) {
            seen.entry(looks(name)).or_insert((name, span));
        }
    }
    for (name, span) in new {
        match seen.get(&looks(name)) {
            Some(&(other, other_span)) if other != name => {
                out.push(look_alike(name, span, other, other_span));
            }
            Some(_) => {}
            None => {
                seen.insert(looks(name), (name, span));
            }
        }
    }
    out
}

fn invisible_in_name(name: &str, span: Span) -> Option<Diagnostic> {
    // A tab and a line break are control characters too: shown in a message they are not
    // invisible, but in a name they are as much out of place as a carriage return (docs/
    // language.md: "a control character in a name is an error").
    let mut found: Vec<char> = name
        .chars()
        .filter(|c| is_invisible(*c) || c.is_control())
        .collect();
    found.dedup();
    let first = *found.first()?;
    let what = match found.len() {
        1 => format!("an invisible character, {}", char_name(first)),
        n => format!(
            "{n} invisible characters: {}",
            found
                .iter()
                .map(|c| char_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // A control character (escape, carriage return, bell…) is no part of any name, and a
    // terminal obeys it rather than printing it: every answer naming the thing would carry
    // it. It is refused; other invisible characters are warned about.
    if let Some(control) = found.iter().find(|c| c.is_control()) {
        return Some(
            Diagnostic::error(
                crate::diagnostic::Code::InvisibleCharacter,
                format!("the name {} holds a control character, {}", shown(name), char_name(*control)),
            )
            .with_label(span, format!("{} is inside this name", escaped_char(*control)))
            .with_help(format!(
                "a control character is never part of a name: a terminal acts on it instead of showing it; retype the name without it: `{}`",
                without_controls(name)
            )),
        );
    }
    Some(
        Diagnostic::warning(
            crate::diagnostic::Code::InvisibleCharacter,
            format!("the name {} holds {what}", shown(name)),
        )
        .with_label(span, format!("{} is inside this name", escaped_char(first)))
        .with_help(format!(
            "an invisible character makes a name that looks like another but is not it: `{}` written without it is a different thing, and a fact about one says nothing about the other; retype the name (text copied from a document or a web page often carries such characters)",
            looks_plainly(name)
        )),
    )
}

fn look_alike(name: &str, span: Span, other: &str, other_span: Span) -> Diagnostic {
    Diagnostic::warning(
        crate::diagnostic::Code::LookAlikeNames,
        format!(
            "{} and {} look alike but are two different names",
            shown(name),
            shown(other)
        ),
    )
    .with_label(span, "this name")
    .with_label(other_span, "looks like this one")
    .with_help(
        "Opinio tells names apart character by character: these differ only in invisible characters, capital letters, spacing or the way an accented letter is encoded, so they name two different things; write them the same way if they are meant to be one",
    )
}

/// The name with its invisible characters left out.
fn looks_plainly(name: &str) -> String {
    name.chars().filter(|c| !is_invisible(*c)).collect()
}

/// The name as it would be written without its control characters: a tab or a line break
/// (which separate words) becomes a space, any other one is left out, along with the other
/// invisible characters; quoted unless plain.
fn without_controls(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_control() && c.is_whitespace() {
            // `\r\n` (a line break from Windows) is one break: one space.
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !is_invisible(c) && !c.is_control() {
            out.push(c);
        }
    }
    let mut written = String::with_capacity(out.len() + 2);
    super::push_slot_value(&mut written, &out, false);
    written
}

/// `U+200B (zero width space)`, or just `U+XXXX` for the less common ones.
fn char_name(c: char) -> String {
    let name = match c {
        '\t' => "tab",
        '\n' => "line break",
        '\r' => "carriage return",
        '\u{1B}' => "escape",
        '\u{AD}' => "soft hyphen",
        '\u{200B}' => "zero width space",
        '\u{200C}' => "zero width non-joiner",
        '\u{200D}' => "zero width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{FEFF}' => "zero width no-break space, or byte order mark",
        _ => return format!("U+{:04X}", u32::from(c)),
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(i: usize) -> Span {
        Span::new(FileId(0), i, i + 1)
    }

    #[test]
    fn looks_ignores_invisibles_case_and_spacing() {
        assert_eq!(looks("rus\u{200B}sia"), "russia");
        assert_eq!(looks(" Fancy\u{A0}\u{2009} Bear\u{FEFF}"), "fancy bear");
        assert_eq!(looks("fancy_bear"), "fancy_bear");
        assert_eq!(looks("a\u{301}rpad"), looks("\u{E1}rpad"));
        assert_eq!(looks("\u{FB01}nland"), "finland");
        assert_eq!(shown("a\u{301}rpad"), "`\"a\\u{0301}rpad\"`");
        assert_eq!(shown("\u{E1}rpad"), "`\"\u{E1}rpad\"`");
    }

    #[test]
    fn plain_names_are_not_compared_with_one_another() {
        let d = look_alike_names(
            [("russia", at(0))].into_iter(),
            [("ukraine", at(1))].into_iter(),
        );
        assert!(d.is_empty());
    }

    #[test]
    fn a_new_plain_name_is_compared_with_old_quoted_ones() {
        let d = look_alike_names(
            [("Russia", at(0)), ("ukraine", at(2))].into_iter(),
            [("russia", at(1))].into_iter(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, crate::diagnostic::Code::LookAlikeNames);
        assert_eq!(
            d[0].message,
            "`russia` and `\"Russia\"` look alike but are two different names"
        );
    }

    #[test]
    fn an_invisible_character_is_named() {
        let d = look_alike_names(std::iter::empty(), [("rus\u{200B}sia", at(0))].into_iter());
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "the name `\"rus\\u{200B}sia\"` holds an invisible character, U+200B (zero width space)"
        );
    }
}
