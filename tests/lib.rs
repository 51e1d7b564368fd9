//! Workspace-level tests: freshness of the generated crate, its public API used as a user would, and the wire examples of the reference.
