//! Attendances of a flow.
