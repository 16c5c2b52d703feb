//! Small files the local process keeps beside its database: generated
//! secrets and keys.

use std::path::Path;

/// Creates `path` with `contents`, readable by its owner only (0600). An
/// existing file is left alone: another process created it first, and its
/// contents are the truth.
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => file.write_all(contents.as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// 32 random bytes as 64 lowercase hex characters.
pub fn random_hex_key() -> String {
    let bytes: [u8; 32] = rand::random();
    crate::base::digest::hex(&bytes)
}
