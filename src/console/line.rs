//! Where the console's lines come from: a line editor with history on a terminal, the plain
//! reader on a pipe (so scripts and tests drive the console through standard input), and how
//! wide the terminal is.

use std::io::{self, BufRead, IsTerminal, Write};

/// One line typed, the end of input, or a Ctrl-C (the line is dropped, the session goes on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Line(String),
    Interrupted,
    End,
}

/// A source of typed lines, each after a prompt.
pub trait Lines {
    fn read(&mut self, prompt: &str) -> io::Result<Typed>;
}

/// Lines from any reader, the prompt written to `out`: standard input when it is not a terminal.
pub struct Plain<R, W> {
    input: R,
    out: W,
}

impl<R: BufRead, W: Write> Plain<R, W> {
    pub fn new(input: R, out: W) -> Self {
        Plain { input, out }
    }
}

impl<R: BufRead, W: Write> Lines for Plain<R, W> {
    fn read(&mut self, prompt: &str) -> io::Result<Typed> {
        write!(self.out, "{prompt}")?;
        self.out.flush()?;
        let mut raw = Vec::new();
        if self.input.read_until(b'\n', &mut raw)? == 0 {
            return Ok(Typed::End);
        }
        // Bytes that are not UTF-8 are shown as such rather than ending the session.
        let text = String::from_utf8_lossy(&raw);
        Ok(Typed::Line(text.trim_end_matches(['\n', '\r']).to_string()))
    }
}

/// Line editing (arrows, Home/End, Ctrl-W, …) and the session's history (up and down), by
/// rustyline, for a person at a terminal.
pub struct Edited {
    editor: rustyline::DefaultEditor,
}

impl Edited {
    pub fn new() -> io::Result<Self> {
        let editor = rustyline::DefaultEditor::new().map_err(io::Error::other)?;
        Ok(Edited { editor })
    }
}

impl Lines for Edited {
    fn read(&mut self, prompt: &str) -> io::Result<Typed> {
        use rustyline::error::ReadlineError;
        match self.editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    // Only a failure to dedupe could go wrong here; history is a convenience.
                    let _ = self.editor.add_history_entry(line.as_str());
                }
                Ok(Typed::Line(line))
            }
            Err(ReadlineError::Interrupted) => Ok(Typed::Interrupted),
            Err(ReadlineError::Eof) => Ok(Typed::End),
            Err(ReadlineError::Io(e)) => Err(e),
            Err(e) => Err(io::Error::other(e)),
        }
    }
}

/// Whether a person is typing: both standard input and output are a terminal.
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// The width to wrap at: the one asked for (`--width`, `COLUMNS`), else the terminal's, else 80.
pub fn width(asked: Option<usize>) -> usize {
    asked
        .filter(|w| *w > 0)
        .or_else(terminal_width)
        .unwrap_or(80)
}

/// Standard output's terminal width, when it is a terminal that says.
pub fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the struct we own; the descriptor is stdout.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}
