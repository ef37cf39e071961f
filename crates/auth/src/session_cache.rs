//! Recently checked sessions, so that a client's burst of requests costs one session lookup per
//! few seconds instead of one per request (the lookup was a third of the statements of a list
//! page; bench/RESULTS.md).
//!
//! A revocation through this instance (logout, a reused refresh token, a password change, a
//! deactivated, edited or deleted user) forgets the entries at once; other instances behind the
//! same load balancer notice it when their entry runs out, after at most the configured seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crm_core::Actor;
use uuid::Uuid;

/// Beyond this many entries, expired ones are dropped on insert (and all, if none had expired):
/// memory stays bounded however many sessions call.
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct SessionCache {
    ttl: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<Uuid, (Actor, Instant)>,
    /// Bumped by every forget: a lookup that started before it must not store what it read.
    generation: u64,
}

impl SessionCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            state: Mutex::new(State::default()),
        }
    }

    /// The caller of a live session checked less than the TTL ago, with the generation to hand
    /// to [`SessionCache::put`] when there is none.
    pub(crate) fn get(&self, session_id: Uuid, user_id: Uuid) -> Result<Actor, u64> {
        let Ok(state) = self.state.lock() else {
            return Err(u64::MAX);
        };
        match state.entries.get(&session_id) {
            Some((actor, checked)) if actor.user_id == user_id && checked.elapsed() < self.ttl => {
                Ok(actor.clone())
            }
            _ => Err(state.generation),
        }
    }

    /// Remembers a session just found live, unless something was revoked since `generation`.
    pub(crate) fn put(&self, actor: &Actor, generation: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.generation != generation {
            return;
        }
        if state.entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            state
                .entries
                .retain(|_, (_, checked)| checked.elapsed() < ttl);
            if state.entries.len() >= MAX_ENTRIES {
                state.entries.clear();
            }
        }
        state
            .entries
            .insert(actor.session_id, (actor.clone(), Instant::now()));
    }

    pub(crate) fn forget_session(&self, session_id: Uuid) {
        self.forget(|id, _| *id == session_id);
    }

    pub(crate) fn forget_user(&self, user_id: Uuid) {
        self.forget(|_, actor| actor.user_id == user_id);
    }

    fn forget(&self, matches: impl Fn(&Uuid, &Actor) -> bool) {
        if let Ok(mut state) = self.state.lock() {
            state.generation = state.generation.wrapping_add(1);
            state.entries.retain(|id, (actor, _)| !matches(id, actor));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::Role;

    fn actor(n: u128) -> Actor {
        Actor {
            user_id: Uuid::from_u128(n),
            role: Role::Member,
            session_id: Uuid::from_u128(100 + n),
        }
    }

    fn stored(cache: &SessionCache, actor: &Actor) -> bool {
        cache.get(actor.session_id, actor.user_id).is_ok()
    }

    #[test]
    fn a_checked_session_is_served_until_forgotten() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let (ana, bia) = (actor(1), actor(2));
        for someone in [&ana, &bia] {
            let generation = cache.get(someone.session_id, someone.user_id).unwrap_err();
            cache.put(someone, generation);
        }
        assert!(stored(&cache, &ana) && stored(&cache, &bia));
        assert!(
            cache.get(ana.session_id, bia.user_id).is_err(),
            "another user's session"
        );

        cache.forget_session(ana.session_id);
        cache.forget_user(bia.user_id);

        assert!(!stored(&cache, &ana) && !stored(&cache, &bia));
    }

    #[test]
    fn a_lookup_that_raced_a_revocation_is_not_stored() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let ana = actor(1);
        let generation = cache.get(ana.session_id, ana.user_id).unwrap_err();
        cache.forget_user(ana.user_id);
        cache.put(&ana, generation);
        assert!(!stored(&cache, &ana));
    }

    #[test]
    fn entries_run_out_and_a_zero_ttl_stores_nothing() {
        let short = SessionCache::new(Duration::from_millis(1));
        let ana = actor(1);
        short.put(&ana, 0);
        std::thread::sleep(Duration::from_millis(5));
        assert!(!stored(&short, &ana));
        let off = SessionCache::new(Duration::ZERO);
        off.put(&ana, 0);
        assert!(!stored(&off, &ana));
    }
}
