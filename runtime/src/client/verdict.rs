//! What to do after a failed attempt: retry, wait, refresh, or give up.
//!
//! The rules, decided by the `error` code of the answer and never by the HTTP
//! status alone:
//! - a refusal before execution (`QUERY_LIMIT_EXCEEDED`, a connect failure)
//!   is retried with backoff for every method;
//! - `OPERATION_TIME_LIMIT` is retried for every method once the budget resets;
//! - `expired_token` is retried once after a refresh;
//! - an ambiguous failure (the connection broke after sending, a timeout, a
//!   `5xx` without a known code, `INTERNAL_SERVER_ERROR`, a success whose body
//!   was cut off) is retried only for
//!   methods that are safe to send twice; others report an unknown outcome;
//! - everything else, the method's own errors above all, is final.
//!
//! Knows nothing about HTTP or how long to wait.

use crate::error::{ApiError, SystemError, SystemErrorRetry};

/// The next step after an error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Final: hand the error to the caller.
    Fail,
    /// Refused before it ran: retry after a backoff.
    Backoff,
    /// Refused before it ran: retry when the operating-time budget resets.
    AwaitOperatingReset,
    /// Refresh the access token, then retry.
    RefreshToken,
    /// It may have run: retry only if the method is safe to send twice.
    Ambiguous,
}

/// Decides about an error answer with HTTP status `status`.
pub(crate) fn for_api_error(error: &ApiError, status: u16) -> Verdict {
    match SystemError::try_from(error.clone()) {
        Ok(system) => match system.retry() {
            SystemErrorRetry::Backoff => Verdict::Backoff,
            SystemErrorRetry::AfterOperatingReset => Verdict::AwaitOperatingReset,
            SystemErrorRetry::AfterTokenRefresh => Verdict::RefreshToken,
            SystemErrorRetry::IfRetrySafe => Verdict::Ambiguous,
            _ => Verdict::Fail,
        },
        // A server failure with a code nobody knows (such as ERROR_CORE with
        // "SQL query error!") may have happened halfway through the method.
        Err(_) if status >= 500 => Verdict::Ambiguous,
        Err(_) => Verdict::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(code: &str, status: u16) -> Verdict {
        for_api_error(&ApiError::new(code, "text"), status)
    }

    #[test]
    fn decided_by_code_not_status() {
        assert_eq!(verdict("QUERY_LIMIT_EXCEEDED", 503), Verdict::Backoff);
        assert_eq!(verdict("QUERY_LIMIT_EXCEEDED", 200), Verdict::Backoff);
        assert_eq!(
            verdict("OPERATION_TIME_LIMIT", 429),
            Verdict::AwaitOperatingReset
        );
        assert_eq!(verdict("expired_token", 401), Verdict::RefreshToken);
        assert_eq!(verdict("INTERNAL_SERVER_ERROR", 500), Verdict::Ambiguous);
        assert_eq!(verdict("ERROR_UNEXPECTED_ANSWER", 500), Verdict::Ambiguous);
        assert_eq!(verdict("CONNECTION_ERROR", 401), Verdict::Backoff);
        assert_eq!(verdict("PORTAL_DELETED", 500), Verdict::Fail);
        assert_eq!(verdict("OVERLOAD_LIMIT", 503), Verdict::Fail);
        assert_eq!(verdict("insufficient_scope", 401), Verdict::Fail);
    }

    #[test]
    fn method_errors_are_final_and_unknown_server_failures_ambiguous() {
        assert_eq!(verdict("", 400), Verdict::Fail);
        assert_eq!(verdict("ERROR_CORE", 400), Verdict::Fail);
        assert_eq!(verdict("ERROR_CORE", 500), Verdict::Ambiguous);
        assert_eq!(verdict("SOMETHING_NEW", 502), Verdict::Ambiguous);
    }
}
