//! The portal's request pipeline, independent of HTTP: rate limit, authentication, method
//! lookup, scope, operating limit, execution, envelope. `batch` commands re-enter it per
//! command; REST 3.0 calls take their own path through the same steps (`api`). Fault
//! injection and the wire format live outside.

mod api;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use chrono::FixedOffset;

use crate::auth::{Principal, authenticate};
use crate::batch;
use crate::clock::Clock;
use crate::config::{OperatingLimit, ServerLimits};
use crate::envelope::{Timing, success};
use crate::error::RestError;
use crate::faults::{FaultKind, FaultState, FaultTiming};
use crate::limits::{LeakyBucket, OperatingLimiter};
use crate::log::{AuthKind, Counters, LogEntry, Presented, RequestLog, masked};
use crate::methods::{self, Call, Output, Site};
use crate::oauth::TokenStore;
use crate::php::{Array, Value};
use crate::state::Portal;
use crate::v3::idempotency::IdempotencyStore;
use crate::wire::RestRequest;

/// Everything that changes while the portal runs; guarded by one lock.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) portal: Portal,
    pub(crate) tokens: TokenStore,
    pub(crate) bucket: LeakyBucket,
    pub(crate) operating: OperatingLimiter,
    pub(crate) log: RequestLog,
    pub(crate) counters: Counters,
    pub(crate) faults: FaultState,
    pub(crate) idempotency: IdempotencyStore,
}

/// The running portal: fixed settings plus the locked state.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) clock: Clock,
    pub(crate) site: Site,
    pub(crate) offset: FixedOffset,
    pub(crate) operating: OperatingLimit,
    pub(crate) limits: ServerLimits,
    inner: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(
        clock: Clock,
        site: Site,
        offset: FixedOffset,
        operating: OperatingLimit,
        limits: ServerLimits,
        inner: Inner,
    ) -> Self {
        Self {
            clock,
            site,
            offset,
            operating,
            limits,
            inner: Mutex::new(inner),
        }
    }

    /// Locks the state. A panic while locked cannot leave it half-updated in a way that
    /// matters more than stopping the emulator would, so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Draws a fault decision for a call of `method` and counts it.
    pub(crate) fn decide_fault(&self, timing: FaultTiming, method: &str) -> Option<FaultKind> {
        let mut inner = self.lock();
        let kind = inner.faults.decide(timing, method);
        if kind.is_some() {
            inner.counters.faults += 1;
        }
        kind
    }
}

/// One executed or refused call: the result with its `time` object, or the error.
pub(crate) struct Invocation {
    pub(crate) outcome: Result<(Output, Value), RestError>,
    pub(crate) executed: bool,
}

/// The answer to a REST request before it is written to the wire.
#[derive(Debug)]
pub(crate) struct Processed {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// The log entry, completed by the server with the fault and the final status.
    pub(crate) entry: LogEntry,
}

/// The pipeline over a locked state.
pub(crate) struct Engine<'a> {
    shared: &'a Shared,
    inner: &'a mut Inner,
    /// The credential of the request being processed, masked wherever it shows in the log.
    presented: Presented,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(shared: &'a Shared, inner: &'a mut Inner) -> Self {
        Self {
            shared,
            inner,
            presented: Presented::default(),
        }
    }

    /// Handles one decoded REST request.
    pub(crate) fn process(&mut self, request: RestRequest) -> Processed {
        let RestRequest {
            method,
            credentials,
            params,
        } = request;
        self.presented = Presented::new(credentials.secret());
        let mut entry = LogEntry {
            seq: 0,
            method: method.clone(),
            auth: AuthKind::None,
            params: masked(&params, &self.presented),
            status: 200,
            error: None,
            executed: false,
            fault: None,
            in_batch: false,
            rest_v3: false,
            idempotency_key: None,
            replayed: false,
        };
        self.inner.counters.requests += 1;
        let now = self.shared.clock.now();
        if !self.inner.bucket.try_acquire(now) {
            self.inner.counters.rate_limited += 1;
            return refused(entry, RestError::QUERY_LIMIT_EXCEEDED);
        }
        let principal =
            match authenticate(&self.inner.portal, &self.inner.tokens, &credentials, now) {
                Ok(p) => p,
                Err(error) => return refused(entry, error),
            };
        entry.auth = principal.kind.clone();

        let invocation = if method == "batch" {
            self.batch(&principal, &params)
        } else {
            self.call(&principal, &method, params, false)
        };
        entry.executed = invocation.executed;
        match invocation.outcome {
            Ok((output, time)) => Processed {
                status: 200,
                body: success(output, time),
                entry,
            },
            Err(error) => refused(entry, error),
        }
    }

    fn batch(&mut self, principal: &Principal, params: &Array) -> Invocation {
        let start = self.shared.clock.unix_now();
        let outcome = batch::run(self, principal, params);
        self.count_execution("batch");
        let time = self.timing(
            principal,
            "batch",
            start,
            self.shared.clock.unix_now() - start,
        );
        Invocation {
            outcome: Ok((Output::new(outcome.result), time)),
            executed: outcome.executed,
        }
    }

    /// Runs one method for `principal`: lookup, scope, operating limit, handler. Batch
    /// commands are logged here; direct calls by the server.
    pub(crate) fn call(
        &mut self,
        principal: &Principal,
        method: &str,
        mut params: Array,
        in_batch: bool,
    ) -> Invocation {
        let logged_params = in_batch.then(|| masked(&params, &self.presented));
        let invocation = self.invoke(principal, method, &mut params, in_batch);
        if let Some(params) = logged_params {
            let error = invocation.outcome.as_ref().err();
            self.inner.log.push(LogEntry {
                seq: 0,
                method: self.presented.mask_method(method),
                auth: principal.kind.clone(),
                params,
                status: error.map_or(200, |e| e.status),
                error: error.map(|e| e.code.to_string()),
                executed: invocation.executed,
                fault: None,
                in_batch,
                rest_v3: false,
                idempotency_key: None,
                replayed: false,
            });
        }
        invocation
    }

    fn invoke(
        &mut self,
        principal: &Principal,
        name: &str,
        params: &mut Array,
        in_batch: bool,
    ) -> Invocation {
        let refused = |error| Invocation {
            outcome: Err(error),
            executed: false,
        };
        let Some(method) = methods::find(name) else {
            return refused(RestError::METHOD_NOT_FOUND);
        };
        if !principal.scopes.iter().any(|s| s == method.scope) {
            return refused(if in_batch {
                RestError::BATCH_SCOPE
            } else {
                principal.scope_error()
            });
        }
        let offset = params.remove("start").map_or(0, |v| v.intval());
        let shared = self.shared;
        let user = principal.user.clone();
        let metered = self.metered(principal, name, |portal| {
            (method.handler)(&mut Call {
                portal,
                user,
                params,
                start: offset,
                site: &shared.site,
            })
        });
        match metered {
            Ok((result, time)) => Invocation {
                outcome: result.map(|output| (output, time)),
                executed: true,
            },
            Err(error) => refused(error),
        }
    }

    /// Runs `run` under the operating limit of `method` for `principal`: refused once the
    /// budget is spent, else charged, counted and timed. Returns its result with the `time`
    /// object.
    fn metered<T>(
        &mut self,
        principal: &Principal,
        method: &str,
        run: impl FnOnce(&mut Portal) -> T,
    ) -> Result<(T, Value), RestError> {
        let now = self.shared.clock.now();
        if !self
            .inner
            .operating
            .allows(&principal.limiter_key, method, now)
        {
            self.inner.counters.operation_limited += 1;
            return Err(RestError::OPERATION_TIME_LIMIT);
        }
        let start = self.shared.clock.unix_now();
        let started = Instant::now();
        let out = run(&mut self.inner.portal);
        let processing = started.elapsed().as_secs_f64();
        let charged = self.shared.operating.charge_for(method, processing);
        self.inner
            .operating
            .record(&principal.limiter_key, method, now, charged);
        self.count_execution(method);
        let time = self.timing(principal, method, start, processing);
        Ok((out, time))
    }

    fn count_execution(&mut self, method: &str) {
        *self
            .inner
            .counters
            .executed
            .entry(method.to_owned())
            .or_default() += 1;
    }

    fn timing(
        &mut self,
        principal: &Principal,
        method: &str,
        start: f64,
        processing: f64,
    ) -> Value {
        let status =
            self.inner
                .operating
                .status(&principal.limiter_key, method, self.shared.clock.now());
        Timing {
            start,
            finish: self.shared.clock.unix_now(),
            processing,
            operating: status.operating,
            operating_reset_at: self.shared.clock.unix_at(status.reset_at),
        }
        .to_value(self.shared.offset)
    }
}

fn refused(mut entry: LogEntry, error: RestError) -> Processed {
    entry.status = error.status;
    entry.error = Some(error.code.to_string());
    Processed {
        status: error.status,
        body: error.to_value(),
        entry,
    }
}
