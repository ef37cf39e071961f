//! The flows' tags as list pages name them, kept between requests.
//!
//! A page's rows carry their tag ids; names and colours come from the flow's few tags. Reading
//! those was a statement of its own on every page, a third of a list request's cost
//! (bench/RESULTS.md). They change rarely: the database raises the flow's `tags_version` on every
//! change to its tags (migration 7, by trigger), the list statement reads that number with the
//! page, and what is kept here is used only for the same number. A change made through any
//! instance, or straight in the database, shows on the next page everywhere.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::repo;

/// A tag as a list row shows it: id, name, colour.
pub(crate) type TagRef = (Uuid, String, String);

/// Flows kept at most; past it the cache starts over (a flow's tags take a few hundred bytes).
const MAX_FLOWS: usize = 10_000;

#[derive(Default)]
pub(crate) struct FlowTags {
    kept: Mutex<HashMap<Uuid, Arc<Kept>>>,
}

/// A flow's tags in display order, as read when its tags had `version`.
pub(crate) struct Kept {
    version: i64,
    pub tags: Vec<TagRef>,
}

impl FlowTags {
    /// The flow's tags for a page read at tags `version`: kept ones if they carry it, else read
    /// now. Read now, they are at least as new as the page (a later statement sees every change
    /// the page's saw), so keeping them under `version` never serves tags older than it.
    pub async fn of(
        &self,
        db: &impl ConnectionTrait,
        flow_id: Uuid,
        version: i64,
    ) -> Result<Arc<Kept>, DbErr> {
        if let Some(kept) = self.kept(flow_id, version) {
            return Ok(kept);
        }
        let kept = Arc::new(Kept {
            version,
            tags: repo::flow_tag_refs(db, flow_id).await?,
        });
        self.keep(flow_id, Arc::clone(&kept));
        Ok(kept)
    }

    fn kept(&self, flow_id: Uuid, version: i64) -> Option<Arc<Kept>> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(&flow_id)
            .filter(|kept| kept.version == version)
            .cloned()
    }

    /// Keeps `kept` unless a newer version is kept already (pages read at different versions
    /// can finish in any order; the version only grows).
    fn keep(&self, flow_id: Uuid, kept: Arc<Kept>) {
        let mut all = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if all.len() >= MAX_FLOWS && !all.contains_key(&flow_id) {
            all.clear();
        }
        match all.get(&flow_id) {
            Some(newer) if newer.version > kept.version => {}
            _ => {
                all.insert(flow_id, kept);
            }
        }
    }
}
