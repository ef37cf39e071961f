//! Request and response bodies of the contact routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A postal address in Brazil.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[schema(example = "Avenida Paulista", max_length = 200)]
    pub street: Option<String>,
    #[schema(example = "1578", max_length = 20)]
    pub number: Option<String>,
    #[schema(example = "Conjunto 12", max_length = 100)]
    pub complement: Option<String>,
    /// Bairro.
    #[schema(example = "Bela Vista", max_length = 100)]
    pub district: Option<String>,
    #[schema(example = "São Paulo", max_length = 100)]
    pub city: Option<String>,
    /// UF, two letters.
    #[schema(example = "SP", min_length = 2, max_length = 2)]
    pub state: Option<String>,
    /// CEP, eight digits (input may be typed as `01310-100`).
    #[schema(example = "01310200")]
    pub postal_code: Option<String>,
}

/// Whether `document` is a CPF (person) or a CNPJ (company).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKindDto {
    Cpf,
    Cnpj,
}

/// A client.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactResponse {
    pub id: Uuid,
    #[schema(example = "João da Conceição")]
    pub name: String,
    #[schema(example = "joao@example.com")]
    pub email: Option<String>,
    /// E.164, e.g. `+5511987654321`.
    #[schema(example = "+5511987654321")]
    pub phone: Option<String>,
    /// CPF (11 digits) or CNPJ (14 characters, alphanumeric since 2026), without punctuation.
    #[schema(example = "52998224725")]
    pub document: Option<String>,
    pub document_kind: Option<DocumentKindDto>,
    /// The document with its usual punctuation, for display.
    #[schema(example = "529.982.247-25")]
    pub document_formatted: Option<String>,
    #[schema(example = "Padaria Pão de Açúcar Ltda.")]
    pub company: Option<String>,
    pub address: Address,
    pub notes: Option<String>,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new client. Only the name is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "João da Conceição",
    "email": "joao@example.com",
    "phone": "(11) 98765-4321",
    "document": "529.982.247-25",
    "company": "Padaria Pão de Açúcar",
    "address": {"street": "Avenida Paulista", "number": "1578", "district": "Bela Vista",
                "city": "São Paulo", "state": "SP", "postal_code": "01310-200"}
}))]
pub struct CreateContactRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Brazilian numbers as typed (`(11) 98765-4321`) or international with `+`.
    pub phone: Option<String>,
    /// CPF or CNPJ, with or without punctuation; check digits are validated.
    pub document: Option<String>,
    #[schema(max_length = 200)]
    pub company: Option<String>,
    pub address: Option<Address>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// Changes to a contact: absent fields stay, `null` clears. `address`, when present, replaces the
/// whole address.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+55 21 3456-7890", "company": null}))]
pub struct UpdateContactRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>, max_length = 254)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub document: Option<Option<String>>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<Address>)]
    pub address: Option<Option<Address>>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub notes: Option<Option<String>>,
}
