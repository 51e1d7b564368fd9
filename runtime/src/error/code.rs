//! The codes of the errors any method can return, each with its kind and
//! retry rule, declared once in one table.
//!
//! These are protocol facts, read by the client's retry logic: they belong
//! to the runtime, not to the schema of any method. The table below is the
//! only list; the enum and every lookup are derived from it by the macro.

use super::system::{SystemErrorCategory, SystemErrorRetry};

/// Declares [`SystemErrorCode`] and its lookups from one row per code:
/// `Variant = "wire code", category, retry rule, usual HTTP status, usual description;`.
macro_rules! system_error_codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $code:literal, $category:ident, $retry:ident, $status:literal, $description:literal;
    )*) => {
        /// The code of an error any method can return.
        ///
        /// Match on this rather than on the HTTP status, which differs between
        /// server versions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SystemErrorCode {
            $(
                $(#[doc = $doc])*
                #[doc = ""]
                #[doc = concat!("Code `", $code, "`: `", $description, "`, usually with HTTP status ", stringify!($status), ".")]
                $variant,
            )*
        }

        impl SystemErrorCode {
            /// Every known code.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The `error` code as the server sends it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// The code for an `error` string, if it is a known system error.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)*
                    _ => None,
                }
            }

            /// What kind of failure the code reports.
            pub const fn category(self) -> SystemErrorCategory {
                match self {
                    $(Self::$variant => SystemErrorCategory::$category,)*
                }
            }

            /// Whether a call that failed with the code may be sent again.
            pub const fn retry(self) -> SystemErrorRetry {
                match self {
                    $(Self::$variant => SystemErrorRetry::$retry,)*
                }
            }

            /// The HTTP status the server usually sends with the code
            /// (informative: decisions go by the code).
            pub const fn usual_status(self) -> u16 {
                match self {
                    $(Self::$variant => $status,)*
                }
            }

            /// The `error_description` the server usually sends with the code.
            pub const fn usual_description(self) -> &'static str {
                match self {
                    $(Self::$variant => $description,)*
                }
            }
        }
    };
}

system_error_codes! {
    /// An internal server error occurred; whether the call took effect is unknown.
    InternalServerError = "INTERNAL_SERVER_ERROR", Internal, IfRetrySafe, 500, "Internal server error";
    /// The server returned an unexpected response; whether the call took effect is unknown.
    ErrorUnexpectedAnswer = "ERROR_UNEXPECTED_ANSWER", Internal, IfRetrySafe, 500, "Server returned an unexpected response";
    /// The portal's request-rate limit (a leaky bucket) was exceeded. The call was refused before it ran.
    QueryLimitExceeded = "QUERY_LIMIT_EXCEEDED", RateLimit, Backoff, 503, "Too many requests";
    /// The REST API is blocked for this portal by hand; only Bitrix24 support can lift it.
    OverloadLimit = "OVERLOAD_LIMIT", RateLimit, Never, 503, "REST API is blocked due to overload.";
    /// The method ran too long in the last ten minutes for this application or webhook; it is blocked until `operating_reset_at`.
    OperationTimeLimit = "OPERATION_TIME_LIMIT", OperationTimeLimit, AfterOperatingReset, 429, "Method is blocked due to operation time limit.";
    /// The method cannot be called inside `batch`.
    ErrorBatchMethodNotAllowed = "ERROR_BATCH_METHOD_NOT_ALLOWED", BadRequest, Never, 405, "Method is not allowed for batch usage";
    /// A `batch` call held more than 50 commands.
    ErrorBatchLengthExceeded = "ERROR_BATCH_LENGTH_EXCEEDED", BadRequest, Never, 400, "Max batch length exceeded";
    /// The request carried no access token or webhook code the portal recognises.
    NoAuthFound = "NO_AUTH_FOUND", Authentication, Never, 401, "Wrong authorization data";
    /// The method must be called over HTTPS.
    InvalidRequest = "INVALID_REQUEST", BadRequest, Never, 401, "Https required.";
    /// Access is denied: the REST API needs a commercial plan, or the caller lacks a permission.
    AccessDenied = "ACCESS_DENIED", AccessDenied, Never, 401, "REST is available only on commercial plans.";
    /// No active webhook has this user ID and code.
    InvalidCredentials = "INVALID_CREDENTIALS", Authentication, Never, 401, "Invalid request credentials";
    /// The configuration manifest is not available.
    ErrorManifestIsNotAvailable = "ERROR_MANIFEST_IS_NOT_AVAILABLE", BadRequest, Never, 404, "Manifest is not available";
    /// The portal has no such method (it may be too old for it).
    MethodNotFound = "ERROR_METHOD_NOT_FOUND", MethodNotFound, Never, 404, "Method not found!";
    /// The webhook or application lacks the method's scope.
    InsufficientScope = "insufficient_scope", Scope, Never, 401, "The request requires higher privileges than provided by the webhook token";
    /// The OAuth access token has expired; refresh it and call again.
    ExpiredToken = "expired_token", ExpiredToken, AfterTokenRefresh, 401, "The access token provided has expired";
    /// The application is installed, but an administrator allowed it only for specific users.
    UserAccessError = "user_access_error", AccessDenied, Never, 401, "The user does not have access to the application.";
    /// The portal was deleted, or the public part of an on-premise site is closed.
    PortalDeleted = "PORTAL_DELETED", Portal, Never, 403, "Portal was deleted";
    /// The portal could not authorize the user.
    AuthorizationError = "authorization_error", Authentication, Never, 401, "Unable to authorize user";
    /// The OAuth application is not installed on the portal.
    ApplicationNotFound = "APPLICATION_NOT_FOUND", Authentication, Never, 401, "Application not found";
    /// The portal could not reach the authorization server; the call did not run.
    ConnectionError = "CONNECTION_ERROR", Internal, Backoff, 401, "Error connecting to authorization server";
    /// The server could not encode its answer as JSON.
    WrongEncoding = "WRONG_ENCODING", BadRequest, Never, 400, "Wrong request encoding";
    /// REST 3.0: a required parameter is missing or a value does not fit its type; [`SystemError::validation`](super::SystemError::validation) says which.
    RestV3Validation = "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION", BadRequest, Never, 400, "Error validating request object";
    /// REST 3.0: the request body is not valid JSON.
    RestV3InvalidJson = "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION", BadRequest, Never, 400, "Invalid JSON";
    /// REST 3.0: a `filter` or a related field of `select` names a field the object does not have; the message names it.
    RestV3UnknownDtoProperty = "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION", BadRequest, Never, 400, "Unknown field";
    /// REST 3.0: a filter condition uses an operator that does not exist.
    RestV3UnknownFilterOperator = "BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION", BadRequest, Never, 400, "Unknown filter operator";
    /// REST 3.0: no object has the identifier the request names. A method that lists this code among its own errors, with a description, takes it first.
    RestV3EntityNotFound = "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION", NotFound, Never, 400, "Entity not found";
    /// REST 3.0: the user has no permission for the object.
    RestV3AccessDenied = "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION", AccessDenied, Never, 403, "Access denied";
    /// REST 3.0: the webhook or application lacks the method's scope.
    RestV3InsufficientScope = "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION", Scope, Never, 403, "Insufficient scope";
    /// REST 3.0: the `Idempotency-Key` was already used with another request body; a new call needs a new key.
    RestV3IdempotencyKeyReused = "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION", BadRequest, Never, 422, "Idempotency key was already used with a different request";
    /// REST 3.0: the `Idempotency-Key` is not 1 to 255 printable ASCII characters.
    RestV3InvalidIdempotencyKey = "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION", BadRequest, Never, 400, "Invalid idempotency key";
    /// REST 3.0: the request is in REST 2's form where REST 3.0 expects its own, such as a `batch` with `cmd`.
    RestV3InvalidSelect = "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION", BadRequest, Never, 400, "Invalid select";
}

impl std::fmt::Display for SystemErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<&str> = SystemErrorCode::ALL
            .iter()
            .map(|code| code.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SystemErrorCode::ALL.len());
        assert_eq!(SystemErrorCode::from_code("NOT_A_CODE"), None);
        assert_eq!(SystemErrorCode::from_code(""), None);
    }

    #[test]
    fn rows_keep_their_meaning() {
        let limit = SystemErrorCode::QueryLimitExceeded;
        assert_eq!(limit.as_str(), "QUERY_LIMIT_EXCEEDED");
        assert_eq!(limit.category(), SystemErrorCategory::RateLimit);
        assert_eq!(limit.retry(), SystemErrorRetry::Backoff);
        assert_eq!(limit.usual_status(), 503);
        assert_eq!(
            SystemErrorCode::MethodNotFound.as_str(),
            "ERROR_METHOD_NOT_FOUND"
        );
    }

    #[test]
    fn rest_v3_codes_are_final_and_classified() {
        use SystemErrorCategory::{AccessDenied, BadRequest, NotFound, Scope};
        for (code, category, status) in [
            ("VALIDATION_REQUESTVALIDATIONEXCEPTION", BadRequest, 400),
            ("INVALIDJSONEXCEPTION", BadRequest, 400),
            ("UNKNOWNDTOPROPERTYEXCEPTION", BadRequest, 400),
            ("UNKNOWNFILTEROPERATOREXCEPTION", BadRequest, 400),
            ("ENTITYNOTFOUNDEXCEPTION", NotFound, 400),
            ("ACCESSDENIEDEXCEPTION", AccessDenied, 403),
            ("INSUFFICIENTSCOPEEXCEPTION", Scope, 403),
            ("IDEMPOTENCYKEYREUSEDEXCEPTION", BadRequest, 422),
            ("INVALIDIDEMPOTENCYKEYEXCEPTION", BadRequest, 400),
            ("INVALIDSELECTEXCEPTION", BadRequest, 400),
        ] {
            let wire = format!("BITRIX_REST_V3_EXCEPTION_{code}");
            let known = SystemErrorCode::from_code(&wire).unwrap_or_else(|| panic!("{wire}"));
            assert_eq!(known.as_str(), wire);
            assert_eq!(known.category(), category, "{wire}");
            assert_eq!(known.retry(), SystemErrorRetry::Never, "{wire}");
            assert_eq!(known.usual_status(), status, "{wire}");
        }
    }
}
