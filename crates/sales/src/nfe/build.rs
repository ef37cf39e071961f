//! The document a user sees: the prefill (from the order's current version and the contact of its
//! attendance) with the user's saved completion laid over it, item by item by position.

use crm_contacts::model::Document;
use crm_core::{FieldError, Money, text};
use crm_entity::{contacts, sale_items, sale_versions};
use serde::{Deserialize, Serialize};

use super::dto::{NfeAddress, NfeDocument, NfeItem, NfePayment, NfeRecipient, NfeTotals};

/// Prefilled nature of the operation.
pub(crate) const DEFAULT_NAT_OP: &str = "Venda de mercadoria";

/// What `sale_nfe.document` holds: the user's completion as sent (read-only fields dropped;
/// a blank string is a value removed on purpose), and the order lines it was entered for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// The order version current when it was saved.
    pub sale_version: i32,
    pub completion: NfeDocument,
    /// The order's lines at that time, by position: a line that differs now needs review.
    pub lines: Vec<LineBasis>,
}

/// What identifies an order line for its tax data: the product, not the quantity or price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LineBasis {
    pub description: String,
    pub product_code: Option<String>,
    pub unit: String,
}

impl From<&sale_items::Model> for LineBasis {
    fn from(line: &sale_items::Model) -> Self {
        LineBasis {
            description: line.description.clone(),
            product_code: line.product_code.clone(),
            unit: line.unit.clone(),
        }
    }
}

/// The order as the NF-e sees it: its current version, lines and the attendance's contact.
pub(crate) struct Order {
    pub version: sale_versions::Model,
    pub lines: Vec<sale_items::Model>,
    pub contact: Option<contacts::Model>,
}

/// A sent value over a prefilled one: absent keeps the prefill, blank removes it.
fn pick(sent: &Option<String>, prefill: Option<&str>) -> Option<String> {
    match sent {
        Some(value) => Some(text::clean(value)),
        None => prefill.map(text::clean),
    }
    .filter(|value| !value.is_empty())
}

/// The document shown for `order` with `completion` over its prefill.
pub(crate) fn effective(order: &Order, completion: &NfeDocument) -> NfeDocument {
    let recipient = recipient(order.contact.as_ref(), &completion.recipient);
    let non_taxpayer = recipient.ind_ie_dest == Some(9);
    let freight = order.version.freight_cents;
    NfeDocument {
        nat_op: pick(&completion.nat_op, Some(DEFAULT_NAT_OP)),
        fin_nfe: completion.fin_nfe.or(Some(1)),
        ind_final: completion.ind_final.or(non_taxpayer.then_some(1)),
        ind_pres: completion.ind_pres,
        // Freight charged on the invoice is the sender's (CIF); 9 would be refused with it.
        mod_frete: completion.mod_frete.or((freight > 0).then_some(0)),
        recipient,
        items: items(order, &completion.items),
        payments: payments(order.version.total_cents, &completion.payments),
        totals: Some(totals(order)),
        additional_info: pick(&completion.additional_info, None),
    }
}

fn recipient(contact: Option<&contacts::Model>, sent: &NfeRecipient) -> NfeRecipient {
    let c = contact;
    let is_cnpj = c.and_then(|c| c.document_kind.as_deref()) == Some("cnpj");
    // A company is invoiced under its legal name when the contact has one.
    let name = c.map(|c| {
        let company = c.company.as_deref().filter(|_| is_cnpj);
        company.unwrap_or(c.name.as_str())
    });
    let document = pick(&sent.document, c.and_then(|c| c.document.as_deref()));
    let kind = document
        .as_deref()
        .and_then(|d| Document::parse("", d).ok())
        .map(|d| d.kind().as_str().to_owned());
    // A person (CPF) is normally not an ICMS taxpayer; a company has to say.
    let ind_ie_dest = sent
        .ind_ie_dest
        .or((kind.as_deref() == Some("cpf")).then_some(9));
    let phone = c
        .and_then(|c| c.phone.as_deref())
        .and_then(|p| p.strip_prefix("+55"));
    let field = |f: fn(&contacts::Model) -> &Option<String>| c.and_then(|c| f(c).as_deref());
    let sent_address = &sent.address;
    NfeRecipient {
        name: pick(&sent.name, name),
        document,
        document_kind: kind,
        ind_ie_dest,
        state_registration: pick(&sent.state_registration, None),
        email: pick(&sent.email, field(|c| &c.email)),
        phone: pick(&sent.phone, phone),
        address: NfeAddress {
            street: pick(&sent_address.street, field(|c| &c.street)),
            number: pick(&sent_address.number, field(|c| &c.number)),
            complement: pick(&sent_address.complement, field(|c| &c.complement)),
            district: pick(&sent_address.district, field(|c| &c.district)),
            municipality: pick(&sent_address.municipality, field(|c| &c.city)),
            municipality_code: pick(&sent_address.municipality_code, None),
            state: pick(&sent_address.state, field(|c| &c.state)),
            postal_code: pick(&sent_address.postal_code, field(|c| &c.postal_code)),
            country_code: Some("1058".to_owned()),
            country: Some("Brasil".to_owned()),
        },
    }
}

fn money(cents: i64) -> String {
    Money::from_cents(cents).to_decimal_string()
}

/// The current lines with their invoice amounts, and the tax data saved for each position.
fn items(order: &Order, sent: &[NfeItem]) -> Vec<NfeItem> {
    let v = &order.version;
    let nets: Vec<i64> = order.lines.iter().map(|l| l.total_cents).collect();
    let discounts = apportion(v.discount_cents, &nets);
    let freights = apportion(v.freight_cents, &nets);
    let none = NfeItem::default();
    order
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let s = sent.get(i).unwrap_or(&none);
            NfeItem {
                position: Some(line.position),
                description: pick(&s.description, Some(&line.description)),
                product_code: pick(&s.product_code, line.product_code.as_deref()),
                ncm: pick(&s.ncm, None),
                cfop: pick(&s.cfop, None),
                cest: pick(&s.cest, None),
                orig: s.orig,
                unit: Some(line.unit.clone()),
                quantity: Some(line.quantity.clone()),
                unit_value: Some(line.unit_price.clone()),
                total: Some(money(line.gross_cents)),
                discount: Some(money(line.discount_cents + discounts[i])),
                freight: Some(money(freights[i])),
            }
        })
        .collect()
}

fn payments(total_cents: i64, sent: &[NfePayment]) -> Vec<NfePayment> {
    if sent.is_empty() {
        return vec![NfePayment {
            t_pag: None,
            description: None,
            value: Some(money(total_cents)),
        }];
    }
    sent.iter()
        .map(|p| NfePayment {
            t_pag: pick(&p.t_pag, None),
            description: pick(&p.description, None),
            value: pick(&p.value, None),
        })
        .collect()
}

fn totals(order: &Order) -> NfeTotals {
    let v = &order.version;
    let products: i64 = order.lines.iter().map(|l| l.gross_cents).sum();
    let line_discounts: i64 = order.lines.iter().map(|l| l.discount_cents).sum();
    NfeTotals {
        products: money(products),
        discount: money(line_discounts + v.discount_cents),
        freight: money(v.freight_cents),
        total: money(v.total_cents),
    }
}

/// Splits `amount` centavos over lines in proportion to `bases`, exactly: each line gets the
/// floor of its share and the centavos left go to the largest remainders (ties: the earlier
/// line). No share is negative or above its exact value rounded up, so a discount never exceeds
/// its line. With no base to weigh by, everything goes to the first line.
pub(crate) fn apportion(amount: i64, bases: &[i64]) -> Vec<i64> {
    let mut shares = vec![0_i64; bases.len()];
    let sum: i128 = bases.iter().map(|b| i128::from(*b)).sum();
    if amount == 0 || bases.is_empty() {
        return shares;
    }
    if sum <= 0 {
        shares[0] = amount;
        return shares;
    }
    let mut remainders = Vec::with_capacity(bases.len());
    for (i, base) in bases.iter().enumerate() {
        let exact = i128::from(amount) * i128::from(*base);
        shares[i] = i64::try_from(exact / sum).unwrap_or(0);
        remainders.push((exact % sum, i));
    }
    let left = amount - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders
        .into_iter()
        .take(usize::try_from(left).unwrap_or(0))
    {
        shares[i] += 1;
    }
    shares
}

/// What a `PUT` body becomes when saved: the read-only fields dropped, and an item's description
/// or product code dropped when it only repeats the line's (so a later version's new text shows).
pub(crate) fn completion_of(mut body: NfeDocument, lines: &[sale_items::Model]) -> NfeDocument {
    body.totals = None;
    body.recipient.document_kind = None;
    body.recipient.address.country_code = None;
    body.recipient.address.country = None;
    for (item, line) in body.items.iter_mut().zip(lines) {
        let same = |sent: &Option<String>, own: Option<&str>| {
            sent.as_deref().map(text::clean).as_deref() == Some(own.unwrap_or_default())
        };
        if same(&item.description, Some(&line.description)) {
            item.description = None;
        }
        if same(&item.product_code, line.product_code.as_deref()) && line.product_code.is_some() {
            item.product_code = None;
        }
        item.position = None;
        item.unit = None;
        item.quantity = None;
        item.unit_value = None;
        item.total = None;
        item.discount = None;
        item.freight = None;
    }
    body
}

/// The lines whose saved tax data was entered for another line: after a new version of the order,
/// data is kept by position, and each changed, added or removed line is named for review.
pub(crate) fn review(stored: Option<&Stored>, lines: &[sale_items::Model]) -> Vec<FieldError> {
    let Some(stored) = stored.filter(|s| !s.completion.items.is_empty()) else {
        return Vec::new();
    };
    let version = stored.sale_version;
    let mut notes = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match stored.lines.get(i) {
            Some(basis) if *basis == LineBasis::from(line) => {}
            Some(_) => notes.push(FieldError::new(
                &format!("items[{i}]"),
                "line_changed",
                format!(
                    "line {} changed since the tax data was entered (order version {version}): \
                     check it and save the items again",
                    i + 1
                ),
            )),
            None => notes.push(FieldError::new(
                &format!("items[{i}]"),
                "line_added",
                format!(
                    "line {} is new since order version {version}: complete it",
                    i + 1
                ),
            )),
        }
    }
    if stored.lines.len() > lines.len() {
        let message = format!(
            "the order now has {} lines; the tax data of lines {} to {} (version {version}) was \
             dropped",
            lines.len(),
            lines.len() + 1,
            stored.lines.len()
        );
        notes.push(FieldError::new("items", "lines_removed", message));
    }
    notes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn apportioning_is_exact_and_never_negative() {
        assert_eq!(apportion(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(apportion(5, &[1; 7]), [1, 1, 1, 1, 1, 0, 0]);
        assert_eq!(apportion(1000, &[3000, 1000]), [750, 250]);
        assert_eq!(apportion(7, &[0, 0]), [7, 0]);
        assert_eq!(apportion(0, &[5]), [0]);
        // A discount (never above the lines' sum) never exceeds a line; freight may.
        for (amount, bases) in [
            (9, vec![1, 2, 3, 4]),
            (99, vec![1, 0, 98]),
            (10, vec![3, 3, 3, 1]),
        ] {
            let shares = apportion(amount, &bases);
            assert_eq!(shares.iter().sum::<i64>(), amount);
            assert!(shares.iter().zip(&bases).all(|(s, b)| *s >= 0 && *s <= *b));
        }
        assert_eq!(apportion(12345, &[1, 2, 3, 4]).iter().sum::<i64>(), 12345);
    }
}
