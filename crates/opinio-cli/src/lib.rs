//! The `opinio` command's code, as a library so that integration tests can drive a REPL
//! [`repl::Session`] without a terminal.
//!
//! Everything here is presentation: argument parsing, terminal I/O, colours and tables. The
//! reasoning lives in the `opinio` library crate, which this crate calls through its public API.
//!
//! - [`cli`]: the command line, one module per subcommand;
//! - [`repl`]: the interactive session, a backend driven by a terminal or a piped front end;
//! - [`options`]: the knowledge-base options both share;
//! - [`style`]: colours, diagnostics on stderr and tables, for both;
//! - [`files`]: writing a file in full or not at all;
//! - [`pager`]: long text wrapped to the terminal and shown through a pager.

#![forbid(unsafe_code)]

pub mod cli;
pub mod files;
pub mod graph;
pub mod memo;
pub mod options;
pub mod pager;
pub mod repl;
pub mod style;
