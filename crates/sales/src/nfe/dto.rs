//! The NF-e data of an order as the API shows and takes it. One shape, [`NfeDocument`], is both
//! the `document` of a `GET` and the body of a `PUT`, so a client can send back what it read:
//! fields marked read-only come from the order and are ignored on the way in.

use chrono::{DateTime, Utc};
use crm_core::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::model::SaleStatus;

/// The invoice data of an order (NF-e modelo 55), without the issuer and the numbering, which the
/// sending step adds. Every field is optional on `PUT`: a field sent overrides the value prefilled
/// from the contact and the order, an absent (or null) one keeps the prefill, and a blank string
/// removes it (so a required field becomes missing). Names in parentheses are the NF-e XML tags.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(example = json!({
    "nat_op": "Venda de mercadoria",
    "fin_nfe": 1,
    "ind_final": 1,
    "ind_pres": 9,
    "mod_frete": 0,
    "recipient": {
        "name": "João da Conceição",
        "document": "529.982.247-25",
        "ind_ie_dest": 9,
        "email": "joao@example.com",
        "address": {
            "street": "Avenida Paulista", "number": "1578", "complement": "Conjunto 12",
            "district": "Bela Vista", "municipality": "São Paulo", "municipality_code": "3550308",
            "state": "SP", "postal_code": "01310-200"
        }
    },
    "items": [
        {"product_code": "CAD-01", "ncm": "9401.30.10", "cfop": "5102", "orig": 0}
    ],
    "payments": [{"t_pag": "17", "value": "4345.00"}],
    "additional_info": "Pedido ORC-000042."
}))]
pub struct NfeDocument {
    /// Nature of the operation (`natOp`), up to 60 characters. Prefilled "Venda de mercadoria".
    #[schema(example = "Venda de mercadoria", max_length = 60)]
    pub nat_op: Option<String>,
    /// Purpose (`finNFe`): 1 normal, 2 complementary, 3 adjustment, 4 return. Prefilled 1.
    #[schema(example = 1, minimum = 1, maximum = 4)]
    pub fin_nfe: Option<i32>,
    /// Final consumer (`indFinal`): 0 no, 1 yes. Prefilled 1 for a recipient that is not a
    /// taxpayer (`ind_ie_dest` 9), which the authorizers require.
    #[schema(example = 1, minimum = 0, maximum = 1)]
    pub ind_final: Option<i32>,
    /// Buyer presence (`indPres`): 0 not applicable, 1 in person, 2 internet, 3 telephone,
    /// 4 NFC-e home delivery, 5 in person outside the establishment, 9 other, not in person.
    #[schema(example = 9)]
    pub ind_pres: Option<i32>,
    /// Freight mode (`modFrete`): 0 paid by the sender (CIF), 1 by the recipient (FOB), 2 third
    /// party, 3 own transport of the sender, 4 own transport of the recipient, 9 no transport.
    /// Prefilled 0 when the order charges freight.
    #[schema(example = 0)]
    pub mod_frete: Option<i32>,
    pub recipient: NfeRecipient,
    /// One entry per line of the order's current version, in order (`det`). On `PUT`, either
    /// empty (keep the prefill) or exactly as many entries as the order has lines.
    pub items: Vec<NfeItem>,
    /// Payment (`detPag`). Prefilled with one payment of the order total, its means missing.
    /// On `PUT`, empty keeps the prefill.
    pub payments: Vec<NfePayment>,
    /// The invoice totals (`ICMSTot`), from the order. Read-only.
    #[schema(read_only)]
    pub totals: Option<NfeTotals>,
    /// Additional information for the taxpayer (`infCpl`), up to 5000 characters.
    #[schema(max_length = 5000)]
    pub additional_info: Option<String>,
}

/// The recipient (`dest`): prefilled from the contact of the order's attendance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NfeRecipient {
    /// `xNome`, 2 to 60 characters.
    #[schema(example = "João da Conceição", max_length = 60)]
    pub name: Option<String>,
    /// CPF or CNPJ (`CPF`/`CNPJ`) with valid check digits; punctuation optional on the way in,
    /// bare in responses.
    #[schema(example = "52998224725")]
    pub document: Option<String>,
    /// `cpf` or `cnpj`, from `document`. Read-only.
    #[schema(read_only, example = "cpf")]
    pub document_kind: Option<String>,
    /// State registration indicator (`indIEDest`): 1 ICMS taxpayer, 2 exempt from registration,
    /// 9 not a taxpayer. Prefilled 9 for a CPF.
    #[schema(example = 9)]
    pub ind_ie_dest: Option<i32>,
    /// State registration (`IE`), 2 to 14 digits: required when `ind_ie_dest` is 1, absent when
    /// it is 2.
    #[schema(example = "110042490114")]
    pub state_registration: Option<String>,
    /// `email`, optional.
    #[schema(example = "joao@example.com")]
    pub email: Option<String>,
    /// `fone`, optional: 6 to 14 digits with area code. Prefilled from a Brazilian contact phone.
    #[schema(example = "11987654321")]
    pub phone: Option<String>,
    pub address: NfeAddress,
}

/// The recipient's address (`enderDest`). Only Brazilian addresses are supported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NfeAddress {
    /// `xLgr`, 2 to 60 characters.
    #[schema(example = "Avenida Paulista", max_length = 60)]
    pub street: Option<String>,
    /// `nro`, up to 60 characters (`S/N` when there is none).
    #[schema(example = "1578", max_length = 60)]
    pub number: Option<String>,
    /// `xCpl`, optional, up to 60 characters.
    #[schema(example = "Conjunto 12", max_length = 60)]
    pub complement: Option<String>,
    /// `xBairro`, 2 to 60 characters.
    #[schema(example = "Bela Vista", max_length = 60)]
    pub district: Option<String>,
    /// Municipality name (`xMun`), 2 to 60 characters. Prefilled from the contact's city.
    #[schema(example = "São Paulo", max_length = 60)]
    pub municipality: Option<String>,
    /// IBGE municipality code (`cMun`), 7 digits starting with the state's IBGE code (35 for
    /// SP). Contacts do not carry it, so it is never prefilled.
    #[schema(example = "3550308", pattern = r"^\d{7}$")]
    pub municipality_code: Option<String>,
    /// `UF`, a Brazilian state abbreviation.
    #[schema(example = "SP")]
    pub state: Option<String>,
    /// `CEP`, 8 digits (`01310-200` is accepted on the way in).
    #[schema(example = "01310200")]
    pub postal_code: Option<String>,
    /// `cPais`: always 1058. Read-only.
    #[schema(read_only, example = "1058")]
    pub country_code: Option<String>,
    /// `xPais`: always Brasil. Read-only.
    #[schema(read_only, example = "Brasil")]
    pub country: Option<String>,
}

/// One product line (`det/prod`). Quantity, unit and values come from the order's current version
/// (change them with `PUT /sales/{id}`); the tax classification is completed here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NfeItem {
    /// The line's position in the order, from 1. Read-only.
    #[schema(read_only, example = 1)]
    pub position: Option<i32>,
    /// `xProd`, up to 120 characters; prefilled with the line's description.
    #[schema(example = "Cadeira de escritório", max_length = 120)]
    pub description: Option<String>,
    /// `cProd`, up to 60 characters; prefilled with the line's product code.
    #[schema(example = "CAD-01", max_length = 60)]
    pub product_code: Option<String>,
    /// `NCM`, 8 digits (dots accepted on the way in).
    #[schema(example = "94013010")]
    pub ncm: Option<String>,
    /// `CFOP`, 4 digits, the first 1, 2, 3 (entries) or 5, 6, 7 (exits): 5102 is a sale inside
    /// the state, 6102 to another state.
    #[schema(example = "5102")]
    pub cfop: Option<String>,
    /// `CEST`, optional, 7 digits.
    #[schema(example = "2106400")]
    pub cest: Option<String>,
    /// Origin of the goods (`orig`), 0 to 8: 0 national, 1 imported directly, 2 imported
    /// bought in Brazil, 3-8 the other cases of the ICMS table A.
    #[schema(example = 0, minimum = 0, maximum = 8)]
    pub orig: Option<i32>,
    /// `uCom`. Read-only.
    #[schema(read_only, example = "UN")]
    pub unit: Option<String>,
    /// `qCom`, up to 4 decimals. Read-only.
    #[schema(read_only, example = "30")]
    pub quantity: Option<String>,
    /// `vUnCom`. Read-only.
    #[schema(read_only, example = "150.00")]
    pub unit_value: Option<String>,
    /// `vProd`: quantity × unit value, rounded to centavos. Read-only.
    #[schema(read_only, example = "4500.00")]
    pub total: Option<String>,
    /// `vDesc`: the line's discount plus its share of the order discount. Read-only.
    #[schema(read_only, example = "275.00")]
    pub discount: Option<String>,
    /// `vFrete`: the line's share of the order freight. Read-only.
    #[schema(read_only, example = "120.00")]
    pub freight: Option<String>,
}

/// One payment (`detPag`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NfePayment {
    /// Means of payment (`tPag`): 01 cash, 02 cheque, 03 credit card, 04 debit card, 05 store
    /// credit, 10-13 vouchers, 15 boleto, 16 bank deposit, 17 PIX, 18 transfer or digital wallet,
    /// 19 loyalty programme, 20 static PIX, 21 store credit balance, 22 electronic payment not
    /// informed, 90 no payment, 99 other.
    #[schema(example = "17", pattern = r"^\d{2}$")]
    pub t_pag: Option<String>,
    /// `xPag`, required when `t_pag` is 99.
    #[schema(example = "Permuta", max_length = 60)]
    pub description: Option<String>,
    /// `vPag`, up to two decimals.
    #[schema(example = "4345.00")]
    pub value: Option<String>,
}

/// The invoice totals, equal to the order's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NfeTotals {
    /// `vProd`: the sum of the lines' `total`.
    #[schema(example = "4500.00")]
    pub products: String,
    /// `vDesc`: line discounts plus the order discount.
    #[schema(example = "275.00")]
    pub discount: String,
    /// `vFrete`.
    #[schema(example = "120.00")]
    pub freight: String,
    /// `vNF`: products − discount + freight, the order total.
    #[schema(example = "4345.00")]
    pub total: String,
}

/// Whether the NF-e data can go on to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NfeStatus {
    /// Something is missing, wrong, or to be reviewed after a new version of the order.
    Incomplete,
    /// Every required field is present and valid, for the order's current version.
    Ready,
}

impl NfeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NfeStatus::Incomplete => "incomplete",
            NfeStatus::Ready => "ready",
        }
    }
}

/// The NF-e data of an order: what was prefilled and completed, and what is still needed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NfeResponse {
    pub sale_id: Uuid,
    #[schema(example = "VEN-000007")]
    pub sale_code: String,
    /// The order's status; an NF-e is only sent for an approved sale.
    pub order_status: SaleStatus,
    /// Whether the order is marked to issue an NF-e (saving NF-e data marks it).
    pub issue_nfe: bool,
    /// The order version the items come from: always the current one.
    #[schema(example = 2)]
    pub sale_version: i32,
    /// Version of the NF-e data, also the `ETag`; 0 until first saved.
    #[schema(example = 1)]
    pub version: i32,
    /// `ready` when `missing`, `invalid` and `review` are all empty.
    pub status: NfeStatus,
    /// JSON paths (in `document`) of the required fields still missing, e.g.
    /// `recipient.address.municipality_code`, `items[0].ncm`.
    #[schema(example = json!(["recipient.address.municipality_code", "items[0].ncm"]))]
    pub missing: Vec<String>,
    /// Prefilled values that an NF-e does not accept (e.g. a contact name over 60 characters):
    /// send a corrected value.
    pub invalid: Vec<FieldError>,
    /// Lines whose tax data was entered for a different line (the order got a new version since):
    /// check them and send the items again.
    pub review: Vec<FieldError>,
    /// When the NF-e data was last saved; null when it never was.
    pub updated_at: Option<DateTime<Utc>>,
    pub document: NfeDocument,
}
