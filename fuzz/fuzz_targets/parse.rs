//! The parser: any bytes, as a file and as a question. It must return a tree or a
//! diagnostic, never panic, overflow its stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opinio::syntax::{self, span::FileId};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match syntax::parse_file(FileId(0), &text) {
        Ok(file) => {
            let _ = syntax::dump(&file);
        }
        Err(e) => {
            let _ = e.diagnostic.message.len();
        }
    }
    let _ = syntax::parse_query(FileId(0), &text);
});
