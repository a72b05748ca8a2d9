//! The `opinio` command's code, as a library so that integration tests can drive a REPL
//! [`repl::Session`] without a terminal.
//!
//! Everything here is presentation: argument parsing, terminal I/O, colours and tables. The
//! reasoning lives in the `opinio` library crate, which this crate calls through its public API.

#![forbid(unsafe_code)]

pub mod cli;
pub mod repl;
