//! Standard input and output as an LSP connection, reading each message only after checking
//! its announced size.
//!
//! `lsp_server`'s own stdio transport allocates whatever `Content-Length` a client announces
//! before reading a byte of it: one header line (`Content-Length: 99999999999999`) aborts the
//! process or takes gigabytes. Here the headers are read with a bound on each line, a message
//! larger than [`MAX_MESSAGE`] ends the session with an error naming the size, and only then is
//! the body read and handed to `lsp_server` to decode.

use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

/// The largest message accepted, in bytes (64 MiB): an editor sends a whole document in one
/// message, and no knowledge file comes near this.
pub const MAX_MESSAGE: usize = 64 << 20;

/// The longest header line accepted, in bytes.
const MAX_HEADER_LINE: u64 = 4096;

/// The threads moving messages between the connection and standard input and output.
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads; the first error either met (a malformed or oversized message,
    /// standard input or output failing).
    ///
    /// # Errors
    /// That error, described in words.
    pub fn join(self) -> Result<(), String> {
        let reader = self
            .reader
            .join()
            .map_err(|_| "reading the editor's messages failed".to_string())?;
        let writer = self
            .writer
            .join()
            .map_err(|_| "writing to the editor failed".to_string())?;
        reader.and(writer).map_err(|e| e.to_string())
    }
}

/// A connection over standard input and output, with its two threads. The reader stops at
/// the `exit` notification, at the end of input, or at the first message it cannot accept.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_editor, outgoing) = crossbeam_channel::bounded::<Message>(0);
    let (incoming, from_editor) = crossbeam_channel::bounded::<Message>(0);
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for message in outgoing {
            message.write(&mut out)?;
        }
        out.flush()
    });
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        while let Some(message) = read_message(&mut input)? {
            let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            if incoming.send(message).is_err() || exit {
                break;
            }
        }
        Ok(())
    });
    (
        Connection {
            sender: to_editor,
            receiver: from_editor,
        },
        IoThreads { reader, writer },
    )
}

/// Reads one message: its headers, then a body of the size announced, at most
/// [`MAX_MESSAGE`]. `None` at the end of input before a message starts.
///
/// # Errors
/// A header line too long or not ending in CRLF, no or a malformed `Content-Length`, a body
/// larger than [`MAX_MESSAGE`] or cut short, or a body that is not a JSON-RPC message.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut size = None;
    let mut started = false;
    loop {
        let mut line = Vec::new();
        input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return if started {
                Err(invalid("the input ended inside a message's headers"))
            } else {
                Ok(None)
            };
        }
        started = true;
        let Some(text) = line.strip_suffix(b"\r\n") else {
            return Err(invalid(
                "a header line is longer than 4096 bytes or does not end with CRLF",
            ));
        };
        if text.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(text);
        let Some((name, value)) = text.split_once(": ") else {
            return Err(invalid(format!("a malformed header line: {text:?}")));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let n: u64 = value
                .trim()
                .parse()
                .map_err(|_| invalid(format!("Content-Length is not a size: {value:?}")))?;
            if n > MAX_MESSAGE as u64 {
                return Err(invalid(format!(
                    "a message of {n} bytes is larger than the {MAX_MESSAGE} bytes accepted"
                )));
            }
            size = Some(n as usize);
        }
    }
    let size = size.ok_or_else(|| invalid("a message has no Content-Length header"))?;
    let mut framed = format!("Content-Length: {size}\r\n\r\n").into_bytes();
    let header = framed.len();
    framed.resize(header + size, 0);
    input.read_exact(framed.get_mut(header..).unwrap_or_default())?;
    Message::read(&mut io::Cursor::new(framed))
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> io::Result<Option<Message>> {
        read_message(&mut io::Cursor::new(bytes.to_vec()))
    }

    #[test]
    fn a_well_formed_message_is_read() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        match read(framed.as_bytes()) {
            Ok(Some(Message::Notification(n))) => assert_eq!(n.method, "exit"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read(b""), Ok(None)));
    }

    #[test]
    fn an_announced_size_past_the_bound_is_refused_before_allocating() {
        let e = read(b"Content-Length: 99999999999999\r\n\r\n{}").expect_err("refused");
        assert!(e.to_string().contains("larger than"), "{e}");
        let e = read(b"Content-Length: -1\r\n\r\n{}").expect_err("refused");
        assert!(e.to_string().contains("not a size"), "{e}");
        let long = format!("X-Pad: {}\r\n", "a".repeat(10_000));
        assert!(read(long.as_bytes()).is_err());
        assert!(read(b"Content-Length: 10\r\n\r\n{}").is_err());
        assert!(read(b"Content-Length: 2\r\n").is_err());
    }
}
