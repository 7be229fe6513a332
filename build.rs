//! Link `clio` with packed relative relocations (`DT_RELR`) where the C library supports them
//! (glibc 2.36 and later, e.g. Debian 12, the image's base). A position-independent executable
//! otherwise carries a 1.7 MB table of relocations that the loader reads, and with it rewrites
//! its constant tables, at every start: about 4 MB of Clio's resident memory (issue #14). With
//! DT_RELR the table is 25 KB. The program is the same; only how it is loaded changes.
//!
//! Only for a native Linux build with glibc: a cross build, or another C library, links as usual.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if target == host && target.ends_with("-linux-gnu") && glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether this machine's glibc (the one the binary will be linked against) is 2.36 or later.
fn glibc_has_relr() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: gnu_get_libc_version returns a static NUL-terminated string.
        let version = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
        let mut parts = version
            .to_str()
            .unwrap_or("")
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        (major, minor) >= (2, 36)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}
