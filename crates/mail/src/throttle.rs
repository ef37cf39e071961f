//! A per-user limit on `POST /me/mailbox/test`, so the endpoint cannot drive connections at
//! the rate of a scanner. Kept in memory on each instance: with N instances behind a load
//! balancer a user gets up to N times the limit, which still bounds the rate; a shared table
//! would cost a database write per test for little more.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Throttle {
    limit: usize,
    window: Duration,
    seen: Arc<Mutex<HashMap<Uuid, VecDeque<Instant>>>>,
}

impl Throttle {
    pub fn new(limit: usize, window: Duration) -> Throttle {
        Throttle {
            limit: limit.max(1),
            window,
            seen: Arc::default(),
        }
    }

    /// Counts one use by `user` at `now`; `Err(seconds)` to wait when the limit is reached.
    pub fn take(&self, user: Uuid, now: Instant) -> Result<(), u64> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = self.window;
        let recent = |t: &Instant| now.saturating_duration_since(*t) < window;
        // Forget users whose uses are all old, so the map stays as small as the active users.
        if seen.len() > 1024 {
            seen.retain(|_, uses| uses.back().is_some_and(recent));
        }
        let uses = seen.entry(user).or_default();
        while uses.front().is_some_and(|t| !recent(t)) {
            uses.pop_front();
        }
        if uses.len() >= self.limit {
            let oldest = uses.front().copied().unwrap_or(now);
            let wait = window.saturating_sub(now.saturating_duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        uses.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_per_user_and_per_window() {
        let throttle = Throttle::new(2, Duration::from_secs(60));
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let start = Instant::now();
        assert_eq!(throttle.take(a, start), Ok(()));
        assert_eq!(throttle.take(a, start + Duration::from_secs(10)), Ok(()));
        assert_eq!(throttle.take(a, start + Duration::from_secs(20)), Err(40));
        assert_eq!(throttle.take(b, start + Duration::from_secs(20)), Ok(()));
        assert_eq!(throttle.take(a, start + Duration::from_secs(60)), Ok(()));
    }
}
