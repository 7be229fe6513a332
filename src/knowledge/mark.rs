//! A record, kept in the data directory, that a knowledge directory with exactly these contents
//! was validated without errors by this very program. `clio run` uses it only to choose an order:
//! with the record, it connects to Discord while it loads (and still validates) the knowledge;
//! without it, it validates first, so a broken pack never opens a gateway session (Discord
//! allows 1,000 a day, and a container restarting on a broken pack would spend them).
//!
//! The key covers every byte the loader reads (each `.toml` file's path and contents, the
//! entries the walk refused), the load limits, and the program itself (its version, and the
//! size and modification time of its executable): any change means validating first again.
//! Nothing is served from the record; the knowledge is always loaded and validated afresh.

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use super::load::{read_text, walk, LoadLimits};

/// The record for one knowledge directory as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedMark {
    path: PathBuf,
    key: String,
}

impl ValidatedMark {
    /// The file in the data directory.
    pub const FILE_NAME: &'static str = "knowledge-validated";

    /// The record for `dir`'s current contents, kept in `data_dir`; `None` when the directory or
    /// one of its files cannot be read (the loader then says why).
    pub fn of(dir: &Path, limits: &LoadLimits, data_dir: &Path) -> Option<ValidatedMark> {
        let found = walk(dir, limits).ok()?;
        let root = std::fs::canonicalize(dir).ok()?;
        // Two hashers with different seeds: a 128-bit key.
        let seeds = [0x636c_696f_u64, 0x6b6e_6f77_6c65_6467];
        let mut hashers = seeds.map(|s| foldhash::fast::FixedState::with_seed(s).build_hasher());
        let mut feed = |bytes: &[u8]| {
            for h in &mut hashers {
                // The length first, so that no two different sequences of parts run together.
                h.write_u64(bytes.len() as u64);
                h.write(bytes);
            }
        };
        feed(env!("CARGO_PKG_VERSION").as_bytes());
        let exe = std::env::current_exe().and_then(std::fs::metadata).ok()?;
        let modified = exe
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        feed(&exe.len().to_le_bytes());
        feed(&modified.as_nanos().to_le_bytes());
        feed(&limits.max_file_bytes.to_le_bytes());
        feed(&limits.max_pack_bytes.to_le_bytes());
        feed(&[u8::from(limits.follow_outside_links)]);
        for (path, why) in &found.refused {
            feed(
                path.strip_prefix(&root)
                    .unwrap_or(path)
                    .as_os_str()
                    .as_encoded_bytes(),
            );
            feed(why.as_bytes());
        }
        for file in &found.files {
            let text = read_text(&file.path, limits.max_file_bytes).ok()?;
            let relative = file.path.strip_prefix(&root).unwrap_or(&file.path);
            feed(relative.as_os_str().as_encoded_bytes());
            feed(text.as_bytes());
        }
        let [a, b] = hashers.map(|h| h.finish());
        Some(ValidatedMark {
            path: data_dir.join(Self::FILE_NAME),
            key: format!("{a:016x}{b:016x}"),
        })
    }

    /// Whether the record says these contents were validated.
    pub fn holds(&self) -> bool {
        std::fs::read_to_string(&self.path).is_ok_and(|text| text.trim() == self.key)
    }

    /// Record that these contents validated. Best effort: without the record, the next start
    /// validates first, which is only slower.
    pub fn record(&self) {
        let temporary = self.path.with_extension("new");
        let written = std::fs::write(&temporary, format!("{}\n", self.key))
            .and_then(|()| std::fs::rename(&temporary, &self.path));
        if let Err(e) = written {
            tracing::debug!(path = %self.path.display(), error = %e, "could not record the validated knowledge");
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// Forget the record (the contents failed to load after all).
    pub fn forget(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir.join("more")).unwrap();
        std::fs::write(dir.join("a.toml"), text).unwrap();
        std::fs::write(dir.join("more/b.toml"), "[[person]]\n").unwrap();
    }

    #[test]
    fn the_record_holds_for_the_same_contents_only() {
        let root = std::env::temp_dir().join(format!("clio-mark-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (dir, data) = (root.join("knowledge"), root.join("data"));
        std::fs::create_dir_all(&data).unwrap();
        pack(&dir, "x = 1\n");
        let limits = LoadLimits::default();
        let mark = ValidatedMark::of(&dir, &limits, &data).unwrap();
        assert!(!mark.holds(), "nothing recorded yet");
        mark.record();
        assert!(mark.holds());
        assert_eq!(ValidatedMark::of(&dir, &limits, &data).unwrap(), mark);

        // One byte changed, in a file of a subfolder: another key, the record does not hold.
        std::fs::write(dir.join("more/b.toml"), "[[person]]\n\n").unwrap();
        let changed = ValidatedMark::of(&dir, &limits, &data).unwrap();
        assert_ne!(changed, mark);
        assert!(!changed.holds());
        // A file added, even an empty one: another key.
        std::fs::write(dir.join("more/b.toml"), "[[person]]\n").unwrap();
        std::fs::write(dir.join("c.toml"), "").unwrap();
        assert!(!ValidatedMark::of(&dir, &limits, &data).unwrap().holds());
        std::fs::remove_file(dir.join("c.toml")).unwrap();
        assert!(ValidatedMark::of(&dir, &limits, &data).unwrap().holds());
        // Other limits: another key.
        let smaller = LoadLimits {
            max_file_bytes: 100,
            ..limits
        };
        assert!(!ValidatedMark::of(&dir, &smaller, &data).unwrap().holds());

        mark.forget();
        assert!(!mark.holds());
        // A directory that cannot be read has no record at all.
        assert!(ValidatedMark::of(&root.join("nowhere"), &limits, &data).is_none());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
