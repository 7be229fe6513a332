//! Link `clio` with packed relative relocations (`DT_RELR`) where the C library supports them
//! (glibc 2.36 and later, e.g. Debian 12, the image's base). A position-independent executable
//! otherwise carries a 1.7 MB table of relocations that the loader reads, and with it rewrites
//! its constant tables, at every start: about 4 MB of Clio's resident memory (issue #14). With
//! DT_RELR the table is 25 KB. The program is the same; only how it is loaded changes.
//!
//! Only for a native Linux build with glibc: a cross build, or another C library, links as usual.
//!
//! Where the linker is LLD (Rust's own, the default for x86_64 Linux since Rust 1.90), the
//! functions listed in `link/hot-code.order` (the code a connected bot runs, written by
//! `link/hot-code.sh`) are laid out together: the kernel maps code in 64 KB around each page
//! touched, so code in use spread over the program kept most of it resident (issue #14). A
//! function the list does not name (new since it was written) is laid out as usual.

const HOT_CODE: &str = "link/hot-code.order";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={HOT_CODE}");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if target == host && target.ends_with("-linux-gnu") && glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    let order = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join(HOT_CODE);
    if target == "x86_64-unknown-linux-gnu" && links_with_rust_lld() && order.is_file() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether rustc links with its own LLD by default: Rust 1.90 and later, on x86_64 Linux.
fn links_with_rust_lld() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("-V").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (version.next().unwrap_or(0), version.next().unwrap_or(0));
    (major, minor) >= (1, 90)
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
