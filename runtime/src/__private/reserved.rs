//! Every name the runtime claims in the places generated code writes into.
//!
//! The generator reads these lists (it includes this file) and rejects a
//! schema whose names would collide with them, naming the file and JSON
//! path; a test in this crate checks each list against what the runtime
//! really declares, so neither side can drift. The file holds data only and
//! depends on nothing, which is what lets the generator include it.

/// Public items at the root of the runtime, its exported macros included.
/// The `bitrix24` crate re-exports all of them at its own root, beside the
/// generated families and types.
pub const ROOT_ITEMS: &[&str] = &[
    "ApiError",
    "Batch",
    "BatchFull",
    "BatchKey",
    "BatchResults",
    "Batchable",
    "BindError",
    "Binding",
    "Bulk",
    "BulkAnswer",
    "BulkCommand",
    "BulkProgress",
    "BulkRequest",
    "Call",
    "Client",
    "ClientBuilder",
    "CommandError",
    "ConfigError",
    "CustomFields",
    "Decoding",
    "Direction",
    "Error",
    "ErrorKind",
    "Field",
    "File",
    "Fits",
    "Id",
    "Items",
    "Keyset",
    "Method",
    "MethodError",
    "Mismatch",
    "OAuthTokens",
    "OperatingLimit",
    "Page",
    "Paged",
    "Pages",
    "Paging",
    "PagingError",
    "Param",
    "RateLimit",
    "RawList",
    "RawPages",
    "RawRequest",
    "Ref",
    "Response",
    "RestVersion",
    "RetryPolicy",
    "SystemError",
    "SystemErrorCode",
    "Time",
    "TokenStore",
    "TokenStoreError",
    "TokenStoreFuture",
    "__error_impls",
    "__private",
    "blocking",
    "chrono",
    "client",
    "decode_answer",
    "error",
    "reqwest",
    "secrecy",
    "wire",
];

/// Methods of a pending call (`Call<M>`): a generated setter of the same
/// name would be shadowed on the call.
pub const CALL_METHODS: &[&str] = &[
    "call_timeout",
    "collect_all",
    "decoding",
    "idempotency_key",
    "into_request",
    "map",
    "pages",
    "paging",
    "request",
    "retry_policy",
    "send",
    "send_as",
    "stream",
    "wait",
    "wait_all",
];

/// Methods of the clients (`Client`, and `blocking::Client`): a generated
/// client function of the same name would be shadowed.
pub const CLIENT_METHODS: &[&str] = &[
    "as_async",
    "bulk",
    "bulk_stream",
    "call",
    "call_as",
    "call_batch",
    "call_raw",
    "call_raw_request",
    "method_address",
    "new",
    "portal",
    "prepare",
    "raw_pages",
    "tokens",
];
/// Items of the traits the runtime implements for every request and call
/// (`Method`, `HasRequest`): a setter of the same name would make calls
/// ambiguous.
pub const REQUEST_TRAIT_ITEMS: &[&str] = &[
    "Error",
    "NAME",
    "PAGED",
    "REST_VERSION",
    "RETRY_SAFE",
    "Request",
    "Response",
    "SCOPES",
    "WRITES",
    "decode_result",
    "request_mut",
    "to_json",
    "to_query",
];

/// Items of the client-handle trait every generated trait of client
/// functions extends.
pub const CLIENT_HANDLE_ITEMS: &[&str] = &["client"];

/// The codes of the errors any method can return (`SystemErrorCode`): a
/// method's error matched on one of these codes alone would take every such
/// answer from the system error.
pub const SYSTEM_ERROR_CODES: &[&str] = &[
    "INTERNAL_SERVER_ERROR",
    "ERROR_UNEXPECTED_ANSWER",
    "QUERY_LIMIT_EXCEEDED",
    "OVERLOAD_LIMIT",
    "OPERATION_TIME_LIMIT",
    "ERROR_BATCH_METHOD_NOT_ALLOWED",
    "ERROR_BATCH_LENGTH_EXCEEDED",
    "NO_AUTH_FOUND",
    "INVALID_REQUEST",
    "ACCESS_DENIED",
    "INVALID_CREDENTIALS",
    "ERROR_MANIFEST_IS_NOT_AVAILABLE",
    "ERROR_METHOD_NOT_FOUND",
    "insufficient_scope",
    "expired_token",
    "user_access_error",
    "PORTAL_DELETED",
    "authorization_error",
    "APPLICATION_NOT_FOUND",
    "CONNECTION_ERROR",
    "WRONG_ENCODING",
    "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION",
    "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION",
];
