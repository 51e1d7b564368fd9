//! An offline Bitrix24 portal for tests and demos, speaking the REST wire protocol of the
//! `sonet_group.user.*` methods, `sonet_group.get`, `user.current` and `batch` as the real
//! server does: URL forms, encodings, envelope, errors, limits, OAuth refresh; and REST 3.0
//! (`/rest/api/`) with `tasks.task.*` and `Idempotency-Key`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), bitrix24_emulator::Error> {
//! let portal = bitrix24_emulator::Emulator::builder().start().await?;
//! let url = format!("{}sonet_group.user.groups", portal.webhook_url());
//! # let _ = url;
//! # Ok(()) }
//! ```

mod auth;
mod batch;
mod clock;
mod config;
mod emulator;
mod engine;
mod envelope;
mod error;
mod faults;
mod limits;
mod log;
mod methods;
mod oauth;
mod php;
mod secret;
mod server;
mod state;
mod v3;
mod wire;

pub use config::OperatingLimit;
pub use emulator::{Emulator, EmulatorBuilder, OAuthCredentials, RunningEmulator};
pub use error::Error;
pub use faults::{FaultConfig, FaultKind, FaultRule, FaultTiming};
pub use log::{AuthKind, Counters, LogEntry};
pub use secret::Secret;
pub use state::{
    Group, InitiatedBy, PortalSnapshot, Relation, Role, Seed, SeedError, SeedOAuth, SeedRelation,
    SeedWebhook, Task, TaskPriority, TaskStatus, User, UserType, WebhookInfo,
};
