//! 64-bit FNV-1a: a tiny hash that is the same on every platform, release and run
//! (unlike std's randomly seeded one), for ids that must stay put: [`crate::Model::id`].

/// The FNV-1a offset basis: the hash of no bytes.
pub const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

const PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continues the hash `state` over `bytes`; start from [`OFFSET`].
pub fn extend(state: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(state, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// The hash of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    extend(OFFSET, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(extend(fnv1a64(b"foo"), b"bar"), fnv1a64(b"foobar"));
    }
}
