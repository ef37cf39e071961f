//! Each table has exactly one owning crate (ARCHITECTURE.md): only the owner's code names it,
//! through `crm_entity::<table>` or in SQL text (`FROM`, `JOIN`, `UPDATE`, `INTO`). A domain that
//! needs another's data calls the owner's public function.
//!
//! The check reads the source tree. `STILL_TO_MOVE` lists the crossings found when the rule was
//! written down (issue 13); the test fails on any crossing not in it, and also on a listed one
//! that is gone, so the list only ever shrinks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

/// Which crate owns which tables.
const OWNERS: &[(&str, &[&str])] = &[
    (
        "auth",
        &["users", "sessions", "refresh_tokens", "login_throttle"],
    ),
    ("flows", &["flows", "flow_users"]),
    ("contacts", &["contacts", "contact_changes"]),
    ("mail", &["mailboxes", "mail_templates", "outbox"]),
    ("tags", &["tags"]),
    (
        "attendances",
        &[
            "attendances",
            "attendance_tags",
            "attendance_events",
            "interactions",
            "counters",
            "flow_preferences",
            "flow_status_counts",
            "tag_counts",
            "flow_receivables",
        ],
    ),
    (
        "sales",
        &["sales", "sale_versions", "sale_items", "sale_nfe"],
    ),
    ("purchases", &["purchases", "purchase_items"]),
];

/// Crates that may name any table: the entities themselves and the bench loader, which fills
/// every table in bulk.
const EXEMPT: &[&str] = &["entity", "seed", "core"];

/// `(crate, table it does not own)` as found on 2026-12-06, to be moved behind the owners'
/// functions (issue 13).
const STILL_TO_MOVE: &[(&str, &str)] = &[
    // The list's denormalized contact name, the flow checks, the counts of orders on a move,
    // the tags of a row, the names of authors.
    ("attendances", "contacts"),
    ("attendances", "flows"),
    ("attendances", "purchases"),
    ("attendances", "sales"),
    ("attendances", "tags"),
    ("attendances", "users"),
    // The names of who changed a contact.
    ("contacts", "users"),
    // The authorized users' names.
    ("flows", "users"),
    // The sender's name and address.
    ("mail", "users"),
    ("purchases", "attendances"),
    ("purchases", "contacts"),
    ("reports", "attendances"),
    ("reports", "contacts"),
    ("reports", "interactions"),
    ("reports", "users"),
    ("sales", "attendances"),
    ("sales", "contacts"),
    // The tags of attendances, read through their links.
    ("tags", "attendance_tags"),
];

fn owner_of(table: &str) -> Option<&'static str> {
    OWNERS
        .iter()
        .find(|(_, tables)| tables.contains(&table))
        .map(|(owner, _)| *owner)
}

/// The tables a source text names: `crm_entity::x`, `crm_entity::{x, y::Z}` and SQL keywords
/// followed by a table name.
fn tables_named(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (index, _) in text.match_indices("crm_entity::") {
        let rest = &text[index + "crm_entity::".len()..];
        let items = match rest.strip_prefix('{') {
            Some(list) => list[..list.find('}').unwrap_or(list.len())].to_owned(),
            None => rest.to_owned(),
        };
        for item in items.split(',') {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if owner_of(&name).is_some() {
                named.insert(name);
            }
            if !rest.starts_with('{') {
                break;
            }
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        if ["FROM", "JOIN", "UPDATE", "INTO"].contains(&pair[0]) && owner_of(pair[1]).is_some() {
            named.insert(pair[1].to_owned());
        }
    }
    named
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_crate_names_only_the_tables_it_owns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let krate = dir.file_name().unwrap().to_str().unwrap().to_owned();
        if EXEMPT.contains(&krate.as_str()) {
            continue;
        }
        // A crate's own tests may set up other crates' rows; its code may not touch them.
        let mut files = Vec::new();
        sources(&dir.join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for table in tables_named(&text) {
                if owner_of(&table) != Some(krate.as_str()) {
                    found.insert((krate.clone(), table));
                }
            }
        }
    }
    let listed: BTreeSet<(String, String)> = STILL_TO_MOVE
        .iter()
        .map(|(k, t)| ((*k).to_owned(), (*t).to_owned()))
        .collect();
    let new: Vec<_> = found.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&found).collect();
    assert!(
        new.is_empty(),
        "crates naming tables they do not own (call the owner's function instead): {new:?}"
    );
    assert!(
        gone.is_empty(),
        "moved behind their owners: remove from STILL_TO_MOVE: {gone:?}"
    );
}

#[test]
fn the_scan_finds_entity_paths_lists_and_sql() {
    let text = "use crm_entity::{attendances, keyset,\n    sales::Column};\n\
                let x = crm_entity::users::Entity;\n\
                \"SELECT 1 FROM purchases p JOIN flows f\"";
    let named: Vec<String> = tables_named(text).into_iter().collect();
    assert_eq!(
        named,
        ["attendances", "flows", "purchases", "sales", "users"]
    );
}
