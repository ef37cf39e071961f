//! Order states and their transitions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an order stands. A quote is `awaiting_approval` ("EM APROVAÇÃO"); a sale is `approved`
/// ("APROVADO").
///
/// ```text
/// awaiting_approval ──approve──▶ approved ──cancel──▶ cancelled
///        └──────────reject────▶ rejected
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaleStatus {
    AwaitingApproval,
    Approved,
    Rejected,
    Cancelled,
}

/// What can be done to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Cancel,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Cancel => "cancel",
        }
    }
}

impl SaleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SaleStatus::AwaitingApproval => "awaiting_approval",
            SaleStatus::Approved => "approved",
            SaleStatus::Rejected => "rejected",
            SaleStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<SaleStatus> {
        [
            SaleStatus::AwaitingApproval,
            SaleStatus::Approved,
            SaleStatus::Rejected,
            SaleStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }

    /// The transition table; `None` for a transition that does not exist.
    pub fn after(self, action: Action) -> Option<SaleStatus> {
        match (self, action) {
            (SaleStatus::AwaitingApproval, Action::Approve) => Some(SaleStatus::Approved),
            (SaleStatus::AwaitingApproval, Action::Reject) => Some(SaleStatus::Rejected),
            (SaleStatus::Approved, Action::Cancel) => Some(SaleStatus::Cancelled),
            _ => None,
        }
    }

    /// Quotes and sales are numbered apart: `ORC-000042`, `VEN-000007`.
    pub fn code_prefix(self) -> (&'static str, &'static str) {
        match self {
            SaleStatus::Approved => ("sale_code", "VEN"),
            _ => ("quote_code", "ORC"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transition_table_is_exactly_three_moves() {
        use Action::*;
        use SaleStatus::*;
        let mut allowed = Vec::new();
        for from in [AwaitingApproval, Approved, Rejected, Cancelled] {
            for action in [Approve, Reject, Cancel] {
                if let Some(to) = from.after(action) {
                    allowed.push((from, action, to));
                }
            }
        }
        assert_eq!(
            allowed,
            [
                (AwaitingApproval, Approve, Approved),
                (AwaitingApproval, Reject, Rejected),
                (Approved, Cancel, Cancelled),
            ]
        );
    }
}
