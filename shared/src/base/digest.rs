//! Lowercase hex and SHA-256 digests (token hashes, blob checksums, keys).

use sha2::{Digest, Sha256};

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256_bytes(bytes))
}

/// The SHA-256 of `bytes`.
pub fn sha256_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The shard of `shards` that `key` falls in: the first byte of its
/// SHA-256, so keys spread evenly and always land in the same shard.
pub fn shard(key: &str, shards: u32) -> u32 {
    u32::from(sha256_bytes(key.as_bytes())[0]) % shards
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_hex_matches_the_known_digest_of_abc() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
