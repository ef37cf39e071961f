//! The small tables of the data set: flows (with the members authorized on them) and their tags.

use crm_core::text::search_key;
use sea_orm::sqlx::PgConnection;
use uuid::Uuid;

use super::copy::Rows;
use super::generate::{FlowInfo, MICROS_PER_DAY};
use super::words::{FLOW_AREAS, FLOW_REGIONS, Rng, TAG_COLORS, TAG_NAMES};
use super::{SeedError, SeedOptions, YEAR};

/// Flows (each member authorized on `member_flows` consecutive ones) and a few tags per flow.
pub async fn flows(
    conn: &mut PgConnection,
    rng: &mut Rng,
    options: &SeedOptions,
    admin: Uuid,
    members: &[(String, Uuid)],
    now: i64,
) -> Result<Vec<FlowInfo>, SeedError> {
    let at = now - 3 * YEAR + MICROS_PER_DAY;
    let (mut flow_rows, mut user_rows, mut tag_rows) =
        (Rows::default(), Rows::default(), Rows::default());
    let mut flows = Vec::new();
    let count = usize::try_from(options.flows).unwrap_or(0);
    let per_member = usize::try_from(options.member_flows).unwrap_or(0);
    for i in 0..count {
        let area = FLOW_AREAS[i % FLOW_AREAS.len()];
        let (region, uf) = FLOW_REGIONS[i / FLOW_AREAS.len() % FLOW_REGIONS.len()];
        let round = i / (FLOW_AREAS.len() * FLOW_REGIONS.len());
        let mut name = format!("{area} {region}");
        if round > 0 {
            name.push_str(&format!(" {}", round + 1));
        }
        let id = rng.uuid_at(at, 0);
        flow_rows.uuid(id).text(&name).text(&search_key(&name));
        flow_rows.text(&format!("{area} {uf}"));
        flow_rows.text(&format!("Atendimentos de {area} da regional {region}."));
        flow_rows.boolean(true).int(1).uuid(admin).time(at).time(at);
        flow_rows.end();

        let mut users = vec![admin];
        for (m, (_, member)) in members.iter().enumerate() {
            // Member m sees flows m*k .. m*k+k-1 (wrapping), so members overlap only when the
            // flows run out.
            let first = m * per_member % count;
            if (0..per_member).any(|k| (first + k) % count == i) {
                users.push(*member);
                user_rows.uuid(id).uuid(*member).time(at);
                user_rows.end();
            }
        }
        let tag_count = 4 + rng.index(3);
        let offset = rng.index(TAG_NAMES.len());
        let mut tags = Vec::new();
        for position in 1..=tag_count {
            let name = TAG_NAMES[(offset + position) % TAG_NAMES.len()];
            let tag_id = rng.uuid_at(at, 0);
            tag_rows
                .uuid(tag_id)
                .uuid(id)
                .text(name)
                .text(&search_key(name));
            tag_rows.text(TAG_COLORS[(position - 1) % TAG_COLORS.len()]);
            tag_rows.int(i64::try_from(position).unwrap_or(1)).int(1);
            tag_rows.time(at).time(at);
            tag_rows.end();
            tags.push((tag_id, name.to_owned()));
        }
        flows.push(FlowInfo { id, tags, users });
    }
    copy_all(
        conn,
        "flows (id, name, name_key, alias, description, active, version, created_by, \
         created_at, updated_at)",
        flow_rows.take(),
    )
    .await?;
    copy_all(
        conn,
        "flow_users (flow_id, user_id, created_at)",
        user_rows.take(),
    )
    .await?;
    copy_all(
        conn,
        "tags (id, flow_id, name, name_key, color, position, version, created_at, updated_at)",
        tag_rows.take(),
    )
    .await?;
    println!(
        "{} flows with their tags and authorized members",
        flows.len()
    );
    Ok(flows)
}

pub async fn copy_all(
    conn: &mut PgConnection,
    target: &str,
    data: String,
) -> Result<u64, SeedError> {
    let mut copy = conn
        .copy_in_raw(&format!("COPY {target} FROM STDIN"))
        .await?;
    copy.send(data.into_bytes()).await?;
    Ok(copy.finish().await?)
}
