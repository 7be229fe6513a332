//! Letting go of the code that ran once.
//!
//! Starting `clio run` runs code it will not run again: reading the configuration, parsing and
//! validating the knowledge, opening and migrating the store, registering the commands. The
//! kernel keeps every page of the program it touched in the process's resident set, and 16 pages
//! around each (its fault-around), until memory runs short; once connected, about half of the
//! program's resident pages were start-up code.
//!
//! Those pages are clean copies of the program's file: [`let_go_of_code_pages`] takes them out
//! of the process (`madvise(MADV_DONTNEED)`), as the kernel would under memory pressure, and the
//! pages the bot does run come back on their next use (from the page cache, without reading the
//! disk). Only mappings that can hold nothing but the file's own bytes are touched: mappings of
//! the program's own file (which stay mapped for its whole life, unlike a library that could be
//! unloaded and its addresses reused), private, not writable, and with no page of their own
//! (`Anonymous: 0 kB`: a page written before the mapping was made read-only, as relocations are,
//! is never dropped).

/// What [`let_go_of_code_pages`] did: the mappings it dropped, and their resident KiB before.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LetGo {
    pub mappings: usize,
    pub kib: u64,
}

/// One mapping of `/proc/self/smaps`, as far as deciding goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapping {
    start: usize,
    end: usize,
    /// Of the program's file, private, readable and not writable.
    file_constant: bool,
    rss_kib: u64,
    /// Its pages of its own (`None` until read: a mapping whose count is missing is kept).
    anonymous_kib: Option<u64>,
}

impl Mapping {
    fn droppable(&self) -> bool {
        self.file_constant
            && self.anonymous_kib == Some(0)
            && self.rss_kib > 0
            && self.end > self.start
    }
}

/// The mappings described by the text of `/proc/PID/smaps`, for the program at path `exe`.
fn mappings(smaps: &str, exe: &str) -> Vec<Mapping> {
    let mut found: Vec<Mapping> = Vec::new();
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let Some(first) = fields.next() else { continue };
        if let Some((start, end)) = first.split_once('-') {
            let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) else {
                continue;
            };
            let perms = fields.next().unwrap_or("").as_bytes();
            // Then the offset, device and inode (no '/' in any), and the path, which may hold
            // spaces.
            let path = line.find('/').map_or("", |at| &line[at..]);
            let file_constant = path == exe
                && perms.len() == 4
                && perms[0] == b'r'
                && perms[1] == b'-'
                && perms[3] == b'p';
            found.push(Mapping {
                start,
                end,
                file_constant,
                rss_kib: 0,
                anonymous_kib: None,
            });
        } else if let Some(mapping) = found.last_mut() {
            let kib = fields.next().and_then(|n| n.parse::<u64>().ok());
            match first {
                "Rss:" => mapping.rss_kib = kib.unwrap_or(0),
                // A count we cannot read keeps the mapping as it is.
                "Anonymous:" => mapping.anonymous_kib = kib,
                _ => {}
            }
        }
    }
    found
}

/// Take the resident pages of the program's code and constants out of the process; the ones
/// still in use come back as they are next used. Does nothing off Linux, or when
/// `/proc/self/smaps` or the program's path cannot be read.
///
/// Never inlined: `link/hot-code.sh` counts the functions that run from its call on.
#[inline(never)]
pub fn let_go_of_code_pages() -> LetGo {
    let mut done = LetGo::default();
    #[cfg(target_os = "linux")]
    {
        let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
            return done;
        };
        let Some(exe) = exe.to_str() else {
            return done;
        };
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
            return done;
        };
        for m in mappings(&smaps, exe).iter().filter(|m| m.droppable()) {
            // SAFETY: the range is a whole mapping of this process, of the program's own file
            // (mapped for the process's whole life), private, not writable and holding no page
            // of its own (its pages are the file's bytes), so
            // dropping its pages changes no byte the program can read: the next read maps the
            // file's page again. No reference into it is invalidated.
            let dropped = unsafe {
                libc::madvise(
                    m.start as *mut libc::c_void,
                    m.end - m.start,
                    libc::MADV_DONTNEED,
                )
            } == 0;
            if dropped {
                done.mappings += 1;
                done.kib += m.rss_kib;
            }
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234 /usr/local/bin/clio
Size:               1024 kB
Rss:                 400 kB
Anonymous:             0 kB
55d0c0b00000-55d0c0f00000 r-xp 00100000 08:01 1234 /usr/local/bin/clio
Size:               4096 kB
Rss:                3000 kB
Anonymous:             0 kB
55d0c0f00000-55d0c0f80000 r--p 00500000 08:01 1234 /usr/local/bin/clio
Size:                512 kB
Rss:                 512 kB
Anonymous:           508 kB
55d0c0f80000-55d0c0f90000 rw-p 00580000 08:01 1234 /usr/local/bin/clio
Size:                 64 kB
Rss:                  64 kB
Anonymous:            64 kB
7f0000000000-7f0000100000 rw-p 00000000 00:00 0 
Size:               1024 kB
Rss:                1024 kB
Anonymous:          1024 kB
7f0000200000-7f0000300000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Size:               1024 kB
Rss:                 800 kB
Anonymous:             0 kB
7f0000280000-7f0000290000 r-xp 00000000 08:01 98 /usr/local/bin/clio-old
Size:                 64 kB
Rss:                  64 kB
Anonymous:             0 kB
7f0000300000-7f0000301000 r--s 00000000 08:01 77 /data/clio.sqlite3-shm
Size:                  4 kB
Rss:                   4 kB
Anonymous:             0 kB
7f0000400000-7f0000401000 r-xp 00000000 08:01 55 /usr/local/bin/clio (deleted)
Size:                  4 kB
Rss:                   4 kB
Anonymous:             0 kB
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]
Size:                  8 kB
Rss:                   4 kB
Anonymous:             0 kB
";

    #[test]
    fn only_the_programs_own_unwritten_pages_are_let_go() {
        let found = mappings(SMAPS, "/usr/local/bin/clio");
        assert_eq!(found.len(), 10);
        let dropped: Vec<(usize, u64)> = found
            .iter()
            .filter(|m| m.droppable())
            .map(|m| (m.start, m.rss_kib))
            .collect();
        assert_eq!(
            dropped,
            vec![
                (0x55d0_c0a0_0000, 400),  // constants
                (0x55d0_c0b0_0000, 3000), // code
            ],
            "relocated constants (pages of their own), writable data, anonymous memory, a \
             library, another program's file, shared mappings, a deleted file and the kernel's \
             pages stay"
        );
    }

    #[test]
    fn a_missing_or_unreadable_count_of_own_pages_keeps_the_mapping() {
        let head =
            "7f0000200000-7f0000300000 r-xp 00000000 08:01 99 /opt/my bots/clio\nRss: 8 kB\n";
        for text in [
            format!("{head}Anonymous: ? kB\n"),
            head.to_string(),
            format!("{head}Anonymous: 0 kB\n"),
        ] {
            let found = mappings(&text, "/opt/my bots/clio");
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].rss_kib, 8);
            assert_eq!(
                found[0].droppable(),
                text.ends_with("Anonymous: 0 kB\n"),
                "{text}"
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_code_still_runs_after_its_pages_are_let_go() {
        let before = format!("{:?}", (1..50).map(|n| n * n).sum::<u64>());
        let done = let_go_of_code_pages();
        assert!(done.mappings >= 1, "the test program's own code: {done:?}");
        assert!(done.kib > 0);
        // Code, constants (this string's bytes) and formatting read back the same.
        let after = format!("{:?}", (1..50).map(|n| n * n).sum::<u64>());
        assert_eq!(before, after);
        assert_eq!(after, "40425");
    }
}
