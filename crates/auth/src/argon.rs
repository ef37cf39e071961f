//! argon2id computed in working memory the caller keeps and reuses.
//!
//! Each hash needs `m` KiB (19 MiB with the OWASP settings). Letting argon2 allocate it for every
//! hash left it with glibc: the login flood in bench/login-flood.sh ended at 936 MiB of RSS even
//! with only two hashes at once, as each blocking thread's malloc arena kept two or three freed
//! 19 MiB chunks (2026-12-06, bench/RESULTS.md). One buffer per hashing turn, allocated once and
//! handed from hash to hash, keeps that memory at turns × m.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;

use crate::AuthError;

/// Working memory of one hashing turn.
pub type Memory = Vec<Block>;

/// A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) of `password` with a new random salt.
pub fn hash(params: &Params, password: &str, memory: &mut Memory) -> Result<String, AuthError> {
    let failed = |e: &dyn std::fmt::Display| AuthError::Hashing(e.to_string());
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    in_memory(memory, params.block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, blocks)
    })
    .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`, computed with the parameters stored in it
/// (old hashes keep verifying after the settings change). A malformed hash matches nothing.
pub fn verify(password: &str, hash: &str, memory: &mut Memory) -> bool {
    let Ok(phc) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&phc) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(phc.algorithm.as_str()) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = in_memory(memory, params.block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| &out == expected)
}

/// Runs `f` on `count` blocks of `memory`, grown to the size of the settings' hashes on first
/// use; a hash of older, costlier settings gets memory of its own for that once.
fn in_memory<T>(memory: &mut Memory, count: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    if memory.is_empty() {
        memory.resize(count, Block::default());
    }
    match memory.get_mut(..count) {
        Some(blocks) => f(blocks),
        None => f(&mut vec![Block::default(); count]),
    }
}

#[cfg(test)]
mod tests {
    use argon2::PasswordVerifier;

    use super::*;

    fn params() -> Params {
        Params::new(64, 1, 1, None).unwrap()
    }

    #[test]
    fn our_hashes_verify_with_argon2s_own_verifier_and_its_hashes_with_ours() {
        let mut memory = Memory::new();
        let ours = hash(&params(), "correct horse battery", &mut memory).unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{ours}");
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", ours.as_str())
                .is_ok()
        );

        let theirs = {
            use argon2::PasswordHasher;
            let argon2 = Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(128, 2, 1, None).unwrap(),
            );
            argon2
                .hash_password(b"correct horse battery")
                .unwrap()
                .to_string()
        };
        assert!(verify("correct horse battery", &theirs, &mut memory));
        assert!(verify("correct horse battery", &ours, &mut memory));
        assert!(!verify("wrong horse battery", &ours, &mut memory));
        assert!(!verify("correct horse battery", "not a hash", &mut memory));
        assert_eq!(
            memory.len(),
            64,
            "the turn's memory keeps the settings' size"
        );
    }
}
