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

/// Who made a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeActor {
    pub id: Uuid,
    #[schema(example = "Maria Souza")]
    pub name: String,
}

/// One creation or edit of a contact.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938a6e-7c1a-7d3e-9b2f-5a4c3d2e1f00",
    "kind": "updated",
    "actor": {"id": "01938a6e-0000-7000-8000-000000000001", "name": "Maria Souza"},
    "changes": {"email": {"from": "joao@cliente.com.br", "to": "joao.silva@cliente.com.br"}},
    "created_at": "2026-12-06T13:05:00Z"
}))]
pub struct ContactChange {
    pub id: Uuid,
    /// `created` or `updated`.
    #[schema(example = "updated")]
    pub kind: String,
    pub actor: ChangeActor,
    /// Each changed field by its API name (the address by its parts, `address.city`) with its
    /// value before and after (`null` when empty).
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub created_at: DateTime<Utc>,
}
