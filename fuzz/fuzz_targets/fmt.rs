//! The formatter: whatever it accepts it lays out so that a second pass changes nothing,
//! and it never reports its own internal error (`opinio::fmt_internal`, a formatter bug).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opinio::fmt::format_source;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match format_source(&text) {
        Ok(once) => match format_source(&once) {
            Ok(twice) => assert_eq!(once, twice, "formatting is not idempotent"),
            Err(e) => panic!(
                "the formatter's output does not format again: {}",
                e.diagnostic.message
            ),
        },
        Err(e) => assert_ne!(
            e.diagnostic.code, "opinio::fmt_internal",
            "formatter bug: {}",
            e.diagnostic.message
        ),
    }
});
