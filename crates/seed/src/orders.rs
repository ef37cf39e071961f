//! Quotes and sales (`sales`, `sale_versions`, `sale_items`) as COPY rows, each written the way
//! `crm_sales::service` writes it: lines and totals priced by `crm_core::pricing` (so the same
//! rounding), the order's total copied from its current version, `ORC-`/`VEN-` codes handed out
//! in order like the `quote_code`/`sale_code` counters, and the timeline events the service
//! records (`sale_registered`, `sale_revised`, `sale_approved`, `sale_rejected`).

use crm_core::Money;
use crm_core::pricing::{self, DiscountInput, DiscountKind, PricedLine, Totals};
use serde_json::json;
use uuid::Uuid;

use super::SeedError;
use super::copy::Rows;
use super::generate::{MICROS_PER_DAY, Made};
use super::words::{PAYMENT_TERMS, PRODUCTS, QUOTE_NOTES, Rng};

pub const SALE_COLUMNS: &str = "id, attendance_id, flow_id, code, status, current_version, \
    total_cents, issue_nfe, decided_by, decided_at, created_by, created_at, updated_at";
pub const VERSION_COLUMNS: &str = "id, sale_id, number, subtotal_cents, discount_cents, \
    freight_cents, total_cents, discount, payment_terms, valid_until, notes, created_by, \
    created_at";
pub const ITEM_COLUMNS: &str = "id, version_id, position, description, product_code, quantity, \
    unit, unit_price, discount, gross_cents, discount_cents, total_cents";

/// The three tables an order writes to (its events go with the attendance's).
#[derive(Default)]
pub struct OrderRows {
    pub sales: Rows,
    pub versions: Rows,
    pub items: Rows,
}

/// The numbers handed out so far by the `quote_code` and `sale_code` counters.
#[derive(Default)]
pub struct Codes {
    quote: u64,
    sale: u64,
}

/// How an order ends up. Most stay quotes awaiting approval: they are what the flow summary's
/// receivable sums.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Awaiting,
    /// A quote approved later (it keeps its `ORC-` code).
    Approved,
    Rejected,
    /// Registered directly as a sale (`VEN-`), approved on creation.
    DirectSale,
}

impl Outcome {
    fn pick(rng: &mut Rng) -> Outcome {
        match rng.below(100) {
            0..70 => Outcome::Awaiting,
            70..80 => Outcome::Approved,
            80..90 => Outcome::Rejected,
            _ => Outcome::DirectSale,
        }
    }

    fn status(self) -> &'static str {
        match self {
            Outcome::Awaiting => "awaiting_approval",
            Outcome::Approved | Outcome::DirectSale => "approved",
            Outcome::Rejected => "rejected",
        }
    }
}

/// One version's content, priced.
struct Content {
    lines: Vec<Line>,
    totals: Totals,
    discount: Option<DiscountInput>,
    payment_terms: Option<&'static str>,
    valid_days: Option<i64>,
    notes: Option<&'static str>,
}

struct Line {
    product: (&'static str, &'static str, &'static str, i64),
    with_code: bool,
    discount: Option<DiscountInput>,
    priced: PricedLine,
}

/// Orders are written within two weeks of their attendance and decided within ten days, but
/// never after the attendance went to the trash (the service refuses that).
const REGISTER_WITHIN: i64 = 14 * MICROS_PER_DAY;
const DECIDE_WITHIN: i64 = 10 * MICROS_PER_DAY;

/// How many of `quotes` orders still to write go to the next of `attendances` attendances still
/// to write: the even share, plus one for a random `quotes % attendances` of them, so the total
/// is exact and the orders spread over the whole data set.
pub fn share(rng: &mut Rng, quotes: u64, attendances: u64) -> u64 {
    if attendances == 0 {
        return quotes;
    }
    quotes / attendances + u64::from(rng.below(attendances) < quotes % attendances)
}

/// Writes one order on `attendance`: the `sales` row, its versions with their lines, and its
/// timeline events into `events`.
pub fn order(
    rng: &mut Rng,
    attendance: &Made<'_>,
    now: i64,
    codes: &mut Codes,
    out: &mut OrderRows,
    events: &mut Rows,
) -> Result<(), SeedError> {
    let users = &attendance.flow.users;
    let actor = |rng: &mut Rng| users[rng.index(users.len())];
    let end = attendance.deleted_at.unwrap_or(now);
    let later = |rng: &mut Rng, from: i64, within: i64| from + rng.span((end - from).min(within));
    let outcome = Outcome::pick(rng);
    let creator = actor(rng);
    let created = later(rng, attendance.created, REGISTER_WITHIN);
    let id = rng.uuid_at(created, 0);
    let code = codes.next(outcome);
    let first = content(rng)?;
    let total = pricing::to_cents(first.totals.total);
    // A direct sale is registered approved; everything else starts as a quote.
    let status = if outcome == Outcome::DirectSale {
        "approved"
    } else {
        "awaiting_approval"
    };
    let registered = json!({
        "sale_id": id, "code": code, "status": status,
        "total": pricing::from_cents(total).to_string(),
    });
    event(
        rng,
        events,
        attendance.id,
        creator,
        created,
        "sale_registered",
        &registered,
    );
    write_version(rng, out, id, 1, &first, creator, created);

    let (mut number, mut total, mut updated) = (1, total, created);
    // Only a quote awaiting approval can be revised; about one in seven is.
    if outcome != Outcome::DirectSale && rng.chance(15) {
        let (author, at, next) = (
            actor(rng),
            later(rng, created, DECIDE_WITHIN),
            content(rng)?,
        );
        (number, total, updated) = (2, pricing::to_cents(next.totals.total), at);
        let revised = json!({
            "sale_id": id, "code": code, "version": number,
            "total": pricing::from_cents(total).to_string(),
        });
        event(
            rng,
            events,
            attendance.id,
            author,
            at,
            "sale_revised",
            &revised,
        );
        write_version(rng, out, id, number, &next, author, at);
    }
    let decided = match outcome {
        Outcome::Awaiting => None,
        Outcome::DirectSale => Some((creator, created)),
        Outcome::Approved | Outcome::Rejected => {
            let (by, at) = (actor(rng), later(rng, updated, DECIDE_WITHIN));
            let (kind, to) = if outcome == Outcome::Approved {
                ("sale_approved", "approved")
            } else {
                ("sale_rejected", "rejected")
            };
            let data = json!({
                "sale_id": id, "code": code, "from": "awaiting_approval", "to": to,
                "version": number,
            });
            event(rng, events, attendance.id, by, at, kind, &data);
            updated = at;
            Some((by, at))
        }
    };
    let s = &mut out.sales;
    s.uuid(id)
        .uuid(attendance.id)
        .uuid(attendance.flow.id)
        .text(&code);
    s.text(outcome.status())
        .int(number)
        .int(total)
        .boolean(rng.chance(40));
    s.opt_uuid(decided.map(|d| d.0))
        .opt_time(decided.map(|d| d.1));
    s.uuid(creator).time(created).time(updated);
    s.end();
    Ok(())
}

impl Codes {
    /// `ORC-000001` for what was registered as a quote, `VEN-000001` for a direct sale.
    fn next(&mut self, outcome: Outcome) -> String {
        if outcome == Outcome::DirectSale {
            self.sale += 1;
            format!("VEN-{:06}", self.sale)
        } else {
            self.quote += 1;
            format!("ORC-{:06}", self.quote)
        }
    }
}

fn event(
    rng: &mut Rng,
    events: &mut Rows,
    attendance: Uuid,
    actor: Uuid,
    at: i64,
    kind: &str,
    data: &serde_json::Value,
) {
    events.uuid(rng.uuid_at(at, 0)).uuid(attendance).uuid(actor);
    events.text(kind).text(&data.to_string()).null().time(at);
    events.end();
}

/// One to three lines, maybe a freight and an order discount, priced exactly as a request
/// with these fields would be.
fn content(rng: &mut Rng) -> Result<Content, SeedError> {
    let count = match rng.below(100) {
        0..50 => 1,
        50..85 => 2,
        _ => 3,
    };
    let lines = (0..count)
        .map(|_| line(rng))
        .collect::<Result<Vec<Line>, SeedError>>()?;
    let priced: Vec<PricedLine> = lines.iter().map(|l| l.priced.clone()).collect();
    let subtotal = lines
        .iter()
        .map(|l| pricing::to_cents(l.priced.total))
        .sum();
    let freight = rng
        .chance(30)
        .then(|| Money::from_cents(8_000 + 1_000 * rng.span(38)).to_decimal_string());
    let discount = rng.chance(12).then(|| order_discount(rng, subtotal));
    let totals = pricing::totals(&priced, freight.as_deref(), discount.as_ref())
        .map_err(|_| SeedError::Invalid("a generated order did not price"))?;
    Ok(Content {
        lines,
        totals,
        discount,
        payment_terms: rng.chance(80).then(|| rng.pick(&PAYMENT_TERMS)),
        valid_days: rng.chance(60).then(|| if rng.chance(50) { 15 } else { 30 }),
        notes: rng.chance(25).then(|| rng.pick(&QUOTE_NOTES)),
    })
}

/// A product at its price give or take 20%, in whole or fractional quantities by its unit, with
/// a line discount on one line in five.
fn line(rng: &mut Rng) -> Result<Line, SeedError> {
    let product = PRODUCTS[rng.index(PRODUCTS.len())];
    let (_, _, unit, price) = product;
    let price = price * (80 + rng.span(41)) / 100;
    let quantity = if unit == "UN" {
        // Mostly a few pieces, sometimes a batch.
        let most = if rng.chance(80) { 4 } else { 40 };
        (1 + rng.below(most)).to_string()
    } else {
        let tenths = 10 + rng.below(1_990);
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    let discount = rng.chance(20).then(|| DiscountInput {
        kind: DiscountKind::Percent,
        value: ["5", "10", "12.5"][rng.index(3)].to_owned(),
    });
    let unit_price = Money::from_cents(price).to_decimal_string();
    let priced = pricing::price_line("item", &quantity, &unit_price, discount.as_ref())
        .map_err(|_| SeedError::Invalid("a generated order line did not price"))?;
    Ok(Line {
        product,
        with_code: rng.chance(85),
        discount,
        priced,
    })
}

/// A percentage, or on bigger orders a round amount (never more than the subtotal).
fn order_discount(rng: &mut Rng, subtotal_cents: i64) -> DiscountInput {
    if subtotal_cents >= 200_000 && rng.chance(50) {
        let value = if subtotal_cents >= 1_000_000 {
            "500.00"
        } else {
            "100.00"
        };
        return DiscountInput {
            kind: DiscountKind::Amount,
            value: value.to_owned(),
        };
    }
    DiscountInput {
        kind: DiscountKind::Percent,
        value: ["2", "3", "5"][rng.index(3)].to_owned(),
    }
}

/// The version row and its lines, with the columns `insert_version` of `crm_sales` (service::register) fills.
fn write_version(
    rng: &mut Rng,
    out: &mut OrderRows,
    sale: Uuid,
    number: i64,
    content: &Content,
    author: Uuid,
    at: i64,
) {
    let id = rng.uuid_at(at, 1);
    let totals = &content.totals;
    let v = &mut out.versions;
    v.uuid(id).uuid(sale).int(number);
    v.int(pricing::to_cents(totals.subtotal))
        .int(pricing::to_cents(totals.discount));
    v.int(pricing::to_cents(totals.freight))
        .int(pricing::to_cents(totals.total));
    v.opt_text(content.discount.as_ref().map(discount_json).as_deref());
    v.opt_text(content.payment_terms);
    v.opt_date(content.valid_days.map(|days| at + days * MICROS_PER_DAY));
    v.opt_text(content.notes).uuid(author).time(at);
    v.end();
    for (index, line) in content.lines.iter().enumerate() {
        let (description, code, unit, _) = line.product;
        let priced = &line.priced;
        let position = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let items = &mut out.items;
        items.uuid(rng.uuid_at(at, 2)).uuid(id).int(position);
        items
            .text(description)
            .opt_text(line.with_code.then_some(code));
        items
            .text(&priced.quantity.normalize().to_string())
            .text(unit)
            .text(&priced.unit_price.to_string());
        items.opt_text(line.discount.as_ref().map(discount_json).as_deref());
        items.int(pricing::to_cents(priced.gross));
        items
            .int(pricing::to_cents(priced.discount))
            .int(pricing::to_cents(priced.total));
        items.end();
    }
}

/// As the service stores a discount: its request JSON.
fn discount_json(discount: &DiscountInput) -> String {
    serde_json::to_string(discount).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_total() {
        let mut rng = Rng::new(3);
        for (quotes, attendances) in [(0, 10), (7, 10), (100, 1_000), (25, 10), (10, 10)] {
            let mut left = quotes;
            let mut given = 0;
            for remaining in (1..=attendances).rev() {
                let n = share(&mut rng, left, remaining);
                assert!(n <= quotes / attendances + 1);
                left -= n;
                given += n;
            }
            assert_eq!((given, left), (quotes, 0));
        }
    }

    #[test]
    fn every_generated_order_prices_and_totals_add_up() {
        let mut rng = Rng::new(11);
        for _ in 0..2_000 {
            let content = content(&mut rng).unwrap();
            let lines: i64 = content
                .lines
                .iter()
                .map(|l| pricing::to_cents(l.priced.total))
                .sum();
            let t = &content.totals;
            assert_eq!(pricing::to_cents(t.subtotal), lines);
            assert_eq!(
                pricing::to_cents(t.total),
                lines - pricing::to_cents(t.discount) + pricing::to_cents(t.freight)
            );
            assert!((1..=3).contains(&content.lines.len()));
        }
    }

    #[test]
    fn codes_are_numbered_apart() {
        let mut codes = Codes::default();
        assert_eq!(codes.next(Outcome::Awaiting), "ORC-000001");
        assert_eq!(codes.next(Outcome::DirectSale), "VEN-000001");
        assert_eq!(codes.next(Outcome::Rejected), "ORC-000002");
    }
}
