//! The interactive session (`opinio` with no command, or `opinio repl`).
//!
//! A [`Session`] is the backend: the state of one session and the dispatch of its commands
//! ([`ReplCommand`]); every line goes through [`Session::handle_line`], whoever reads it. Two
//! front ends read lines: [`terminal`] (line editing with history, completion, hints,
//! highlighting and multi-line statements) and [`piped`] (a script or a test).
//!
//! Environment:
//! - `NO_COLOR`: no colours.
//! - `OPINIO_HISTORY`: `0` (or `off`) keeps no history; a path keeps it there instead of
//!   `<data dir>/opinio/history.txt`. Each line is added to the file as it is entered.
//! - `OPINIO_ECHO=1`: with piped input, show each line read after a prompt, so that the
//!   output reads like a terminal session (used by the transcript tests).
//!
//! On a terminal, Ctrl-C while a line is being typed cancels the line (rustyline's own
//! handling); while a question is being evaluated, it stops the evaluation (a SIGINT handler
//! sets the session's [`Cancel`](opinio::Cancel) token) and the session goes on with its facts.
//! A second Ctrl-C when the first has gone unheeded for two seconds (something that does not
//! look at the token) leaves, with exit code 130. Piped input keeps the default: Ctrl-C ends
//! the process.

// The backend: state and dispatch, then the commands by idea.
pub mod dispatch;
mod facts;
mod interview;
mod knowledge;
mod load_save;
mod questions;
mod render;
mod report;
pub mod session;

// What the line editor and both front ends share.
pub mod catalog;
pub mod commands;
pub mod helper;
pub mod highlight;
pub mod input;

// The front ends.
pub mod piped;
pub mod terminal;

pub use dispatch::ReplCommand;
pub use session::{Session, Status};
