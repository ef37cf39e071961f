//! Contacts and attendances (with their tags, interactions and timeline events) as COPY rows,
//! every column written the way the services write it: keys folded by
//! `crm_core::text::search_key`, `status_rank` from the status, money in centavos, UUID v7 ids
//! from each record's own time, `version` counting the writes the history implies.

use crm_core::Money;
use crm_core::text::{digits, search_key};
use serde_json::json;
use uuid::Uuid;

use super::copy::Rows;
use super::words::{
    CITIES, COMPANY_KINDS, COMPANY_SUFFIXES, DISTRICTS, FIRST_NAMES, MAIL_DOMAINS, MIDDLE_NAMES,
    NOTES, Rng, STREETS, SURNAMES, TITLE_ACTIONS, TITLE_OBJECTS, cpf, cpf_formatted,
};

pub const MICROS_PER_DAY: i64 = 86_400 * 1_000_000;

pub const CONTACT_COLUMNS: &str = "id, name, name_key, email, phone, document, document_kind, \
    company, street, number, complement, district, city, state, postal_code, notes, search_key, \
    version, created_by, created_at, updated_at";
pub const ATTENDANCE_COLUMNS: &str = "id, flow_id, reference, title, title_key, contact_id, \
    contact_name, contact_name_key, status, status_rank, value_cents, due_at, view, archived_at, \
    deleted_at, search_key, version, created_by, created_at, updated_at";
pub const ATTENDANCE_TAG_COLUMNS: &str = "attendance_id, tag_id, created_at";
pub const INTERACTION_COLUMNS: &str =
    "id, attendance_id, author_id, body, notify, notification_status, created_at";
pub const EVENT_COLUMNS: &str =
    "id, attendance_id, actor_id, kind, data, interaction_id, created_at";

/// A flow as the generator needs it: its tags and who may write in it.
pub struct FlowInfo {
    pub id: Uuid,
    pub tags: Vec<(Uuid, String)>,
    /// The administrator and the members authorized on the flow.
    pub users: Vec<Uuid>,
}

/// The contacts written so far, in creation order.
#[derive(Default)]
pub struct Contacts {
    pub ids: Vec<Uuid>,
    pub names: Vec<String>,
    pub keys: Vec<String>,
    pub created: Vec<i64>,
}

/// Writes contact `index`, created at `created` (microseconds), into `rows`.
pub fn contact(
    rng: &mut Rng,
    index: u64,
    created: i64,
    creator: Uuid,
    contacts: &mut Contacts,
    rows: &mut Rows,
) {
    let first = rng.pick(&FIRST_NAMES);
    let middle = rng.pick(&MIDDLE_NAMES);
    let surname = rng.pick(&SURNAMES);
    let mut name = first.to_owned();
    // "Conceição da Conceição" exists, but reads like a generator bug.
    let repeated = first == "Conceição" && middle == "da Conceição";
    if !middle.is_empty() && !repeated {
        name.push(' ');
        name.push_str(middle);
    }
    name.push(' ');
    name.push_str(surname);
    if rng.chance(40) {
        name.push(' ');
        name.push_str(rng.pick(&SURNAMES));
    }
    let (city, state, ddd) = CITIES[rng.index(CITIES.len())];
    let local = format!(
        "{}.{}{}",
        search_key(first).replace(' ', ""),
        search_key(surname).replace(' ', ""),
        index
    );
    let email = rng
        .chance(85)
        .then(|| format!("{local}@{}", rng.pick(&MAIL_DOMAINS)));
    let phone = rng
        .chance(90)
        .then(|| format!("+55{ddd}9{:08}", rng.below(100_000_000)));
    // Distinct 9-digit bases keep the unique index on `document` happy.
    let document = rng.chance(70).then(|| cpf(100_000_000 + index * 7));
    let company = rng.chance(40).then(|| {
        format!(
            "{} {} {}",
            rng.pick(&COMPANY_KINDS),
            rng.pick(&SURNAMES),
            rng.pick(&COMPANY_SUFFIXES)
        )
    });
    let with_address = rng.chance(70);

    // As `crm_contacts::validate::Valid::search_key` builds it.
    let mut parts: Vec<String> = vec![name.clone()];
    parts.extend(email.clone());
    if let Some(phone) = &phone {
        parts.push(phone.clone());
        parts.push(digits(phone));
    }
    if let Some(document) = &document {
        parts.push(document.clone());
        parts.push(cpf_formatted(document));
    }
    parts.extend(company.clone());
    parts.push(city.to_owned());
    let key = search_key(&name);
    let id = rng.uuid_at(created, 0);

    rows.uuid(id).text(&name).text(&key);
    rows.opt_text(email.as_deref()).opt_text(phone.as_deref());
    rows.opt_text(document.as_deref())
        .opt_text(document.as_ref().map(|_| "cpf"));
    rows.opt_text(company.as_deref());
    if with_address {
        rows.text(rng.pick(&STREETS))
            .text(&(1 + rng.below(3000)).to_string())
            .null()
            .text(rng.pick(&DISTRICTS));
    } else {
        rows.null().null().null().null();
    }
    rows.text(city).text(state);
    if with_address {
        rows.text(&format!("{:08}", 1_000_000 + rng.below(98_000_000)));
    } else {
        rows.null();
    }
    rows.null().text(&search_key(&parts.join(" ")));
    rows.int(1).uuid(creator).time(created).time(created);
    rows.end();

    contacts.ids.push(id);
    contacts.names.push(name);
    contacts.keys.push(key);
    contacts.created.push(created);
}

/// The four tables an attendance writes to.
#[derive(Default)]
pub struct AttendanceRows {
    pub attendances: Rows,
    pub tags: Rows,
    pub interactions: Rows,
    pub events: Rows,
}

/// What the generator needs to know about the world.
pub struct World<'a> {
    pub flows: &'a [FlowInfo],
    pub contacts: &'a Contacts,
    pub now: i64,
    pub interactions: u32,
}

const STATUSES: [(&str, i64); 5] = [
    ("open", 1),
    ("in_progress", 2),
    ("won", 3),
    ("lost", 4),
    ("closed", 5),
];

/// Old attendances are mostly finished; recent ones mostly still being worked.
fn status(rng: &mut Rng, age_days: i64) -> (&'static str, i64) {
    let weights: [u64; 5] = if age_days > 90 {
        [5, 10, 35, 30, 20]
    } else {
        [35, 35, 12, 10, 8]
    };
    let mut roll = rng.below(100);
    for (weight, status) in weights.iter().zip(STATUSES) {
        if roll < *weight {
            return status;
        }
        roll -= weight;
    }
    STATUSES[0]
}

/// Zero for a tenth, otherwise R$ 50 to R$ 80,000 on a log scale, mostly whole reais.
fn value_cents(rng: &mut Rng) -> i64 {
    if rng.chance(10) {
        return 0;
    }
    let cents = (5_000.0 * 1_600f64.powf(rng.unit())) as i64;
    if rng.chance(70) {
        cents / 100 * 100
    } else {
        cents
    }
}

/// An attendance as written, for the orders registered on it.
pub struct Made<'a> {
    pub id: Uuid,
    pub flow: &'a FlowInfo,
    pub created: i64,
    /// When it went to the trash, if it did: its orders are read-only from then on.
    pub deleted_at: Option<i64>,
}

/// Writes attendance number `reference` (1-based), created at `created`, with its tags, its
/// interactions (the first sent with the creation, the others later, each a new version) and its
/// timeline, and maybe archived or trashed afterwards.
pub fn attendance<'a>(
    rng: &mut Rng,
    world: &World<'a>,
    reference: i64,
    created: i64,
    contact: usize,
    out: &mut AttendanceRows,
) -> Made<'a> {
    let flow = &world.flows[rng.index(world.flows.len())];
    let creator = flow.users[rng.index(flow.users.len())];
    let (status, rank) = status(rng, (world.now - created) / MICROS_PER_DAY);
    let value = value_cents(rng);
    let due = rng
        .chance(60)
        .then(|| created + MICROS_PER_DAY * (3 + rng.span(58)));
    let title = format!("{} {}", rng.pick(&TITLE_ACTIONS), rng.pick(&TITLE_OBJECTS));
    let tag_count = match rng.below(100) {
        0..35 => 0,
        35..75 => 1,
        75..95 => 2,
        _ => 3,
    }
    .min(flow.tags.len());
    let first_tag = rng.index(flow.tags.len().max(1));
    let tags: Vec<&(Uuid, String)> = (0..tag_count)
        .filter_map(|k| flow.tags.get((first_tag + k) % flow.tags.len()))
        .collect();
    let id = rng.uuid_at(created, 0);
    let (contact_id, contact_name, contact_key) = (
        world.contacts.ids[contact],
        &world.contacts.names[contact],
        &world.contacts.keys[contact],
    );

    // The history: created (+ first interaction), later interactions, maybe archived/trashed.
    let mut seq: u16 = 0;
    let mut event = |rng: &mut Rng, out: &mut AttendanceRows, at, actor, kind, data: &str, of| {
        seq += 1;
        out.events
            .uuid(rng.uuid_at(at, seq))
            .uuid(id)
            .uuid(actor)
            .text(kind)
            .text(data)
            .opt_uuid(of)
            .time(at);
        out.events.end();
    };
    let tag_names: Vec<&str> = tags.iter().map(|(_, name)| name.as_str()).collect();
    let created_data = json!({
        "reference": reference, "title": title, "status": status,
        "value": Money::from_cents(value).to_decimal_string(), "tags": tag_names,
    });
    event(
        rng,
        out,
        created,
        creator,
        "created",
        &created_data.to_string(),
        None,
    );
    let mut version = 1;
    let mut at = created;
    for n in 0..world.interactions {
        let author = if n == 0 {
            creator
        } else {
            at += rng.span((world.now - at).min(30 * MICROS_PER_DAY));
            version += 1;
            flow.users[rng.index(flow.users.len())]
        };
        let interaction = rng.uuid_at(at, 0);
        let notify = rng.chance(5);
        let body = if rng.chance(30) {
            format!("{} {}", rng.pick(&NOTES), rng.pick(&NOTES))
        } else {
            rng.pick(&NOTES).to_owned()
        };
        out.interactions
            .uuid(interaction)
            .uuid(id)
            .uuid(author)
            .text(&body)
            .boolean(notify)
            .opt_text(notify.then_some("pending"))
            .time(at);
        out.interactions.end();
        event(rng, out, at, author, "interaction", "{}", Some(interaction));
    }
    let finished = rank >= 3;
    let roll = rng.below(100);
    let view = match (finished, roll) {
        (true, 0..25) | (false, 0..2) => "archived",
        (true, 25..33) | (false, 2..5) => "trash",
        _ => "active",
    };
    let (mut archived_at, mut deleted_at) = (None, None);
    if view != "active" {
        at += rng.span((world.now - at).min(60 * MICROS_PER_DAY));
        version += 1;
        let actor = flow.users[rng.index(flow.users.len())];
        let (kind, data) = if view == "archived" {
            archived_at = Some(at);
            ("archived", r#"{"view":"archived"}"#)
        } else {
            deleted_at = Some(at);
            ("trashed", r#"{"view":"trash"}"#)
        };
        event(rng, out, at, actor, kind, data, None);
    }

    let title_key = search_key(&title);
    let a = &mut out.attendances;
    a.uuid(id)
        .uuid(flow.id)
        .int(reference)
        .text(&title)
        .text(&title_key);
    a.uuid(contact_id).text(contact_name).text(contact_key);
    a.text(status).int(rank).int(value).opt_time(due).text(view);
    a.opt_time(archived_at).opt_time(deleted_at);
    // As `crm_attendances::model::search_key`: the title's key, a space, the name's key.
    a.text(&format!("{title_key} {}", search_key(contact_name)));
    a.int(version).uuid(creator).time(created).time(at);
    a.end();
    for (tag_id, _) in tags {
        out.tags.uuid(id).uuid(*tag_id).time(created);
        out.tags.end();
    }
    Made {
        id,
        flow,
        created,
        deleted_at,
    }
}
