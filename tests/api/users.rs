//! (tests come next)
