//! The AWS JSON protocol (DynamoDB, SQS, Secrets Manager): one signed `POST /`
//! per operation, `X-Amz-Target: {prefix}.{Operation}`, a JSON input and
//! output, errors as `{"__type": ..., "message": ...}` (see
//! [`super::signed`] for why not the SDK crates).

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::signed::{self, Answer, Call};
use crate::outbound;

/// One attempt, sending and reading the answer.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// A service spoken to in the JSON protocol.
#[derive(Debug, Clone, Copy)]
pub struct JsonService {
    /// The signing name and endpoint prefix (`sqs`).
    pub name: &'static str,
    /// The `X-Amz-Target` prefix (`AmazonSQS`).
    pub target: &'static str,
    /// `application/x-amz-json-1.0` or `-1.1`.
    pub content_type: &'static str,
    /// The largest answer read.
    pub max_answer: usize,
}

/// Its largest answer is a `BatchGetItem`'s, 16 MB, in JSON.
pub const DYNAMODB: JsonService = JsonService {
    name: "dynamodb",
    target: "DynamoDB_20120810",
    content_type: "application/x-amz-json-1.0",
    max_answer: 32 << 20,
};
/// Its largest answer, ten 256 KiB messages, fits.
pub const SQS: JsonService =
    JsonService { name: "sqs", target: "AmazonSQS", content_type: "application/x-amz-json-1.0", max_answer: 8 << 20 };
pub const SECRETS_MANAGER: JsonService = JsonService {
    name: "secretsmanager",
    target: "secretsmanager",
    content_type: "application/x-amz-json-1.1",
    max_answer: 8 << 20,
};

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    /// The service answered with an error (`code`: `ResourceNotFoundException`;
    /// `body`: the whole answer, for errors that say more).
    #[error("{service} {operation}: {code}: {message}")]
    Service { service: &'static str, operation: &'static str, code: String, message: String, body: Bytes },
    /// No usable answer (network, timeout, an unreadable answer).
    #[error("{0}")]
    Unavailable(String),
}

impl AwsError {
    /// The service's error code, if it answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AwsError::Service { code, .. } => Some(code),
            AwsError::Unavailable(_) => None,
        }
    }
}

/// An error answer's code and message. `__type` may be qualified
/// (`com.amazonaws.sqs#QueueDoesNotExist`): the part after `#`.
fn error_of(answer: &Answer) -> (String, String) {
    #[derive(serde::Deserialize, Default)]
    struct ErrorBody {
        #[serde(rename = "__type", default)]
        kind: String,
        #[serde(alias = "Message", default)]
        message: String,
    }
    let body: ErrorBody = serde_json::from_slice(&answer.body).unwrap_or_default();
    let code = body.kind.rsplit('#').next().unwrap_or_default();
    let code = if code.is_empty() { answer.status.as_str() } else { code };
    (code.to_owned(), body.message)
}

/// Throttling and the services' own "try again" codes, besides 5xx/429.
fn is_transient(answer: &Answer) -> bool {
    if answer.status.is_success() {
        return false;
    }
    let (code, _) = error_of(answer);
    outbound::is_transient(answer.status)
        || matches!(
            code.as_str(),
            "ThrottlingException"
                | "RequestThrottled"
                | "Throttling"
                | "ServiceUnavailable"
                | "InternalFailure"
                | "InternalServerError"
                | "ProvisionedThroughputExceededException"
                | "RequestLimitExceeded"
                | "TransactionInProgressException"
        )
}

impl JsonService {
    /// Calls `operation` with `input`; its output, read as `O`.
    pub async fn call<O: DeserializeOwned>(
        &self,
        operation: &'static str,
        input: &impl Serialize,
    ) -> Result<O, AwsError> {
        self.call_in(signed::account().await, operation, input).await
    }

    pub(crate) async fn call_in<O: DeserializeOwned>(
        &self,
        account: &signed::Account,
        operation: &'static str,
        input: &impl Serialize,
    ) -> Result<O, AwsError> {
        let body = serde_json::to_vec(input).map_err(|e| AwsError::Unavailable(e.to_string()))?;
        let sha256 = crate::digest::sha256_hex(&body);
        let url = format!("{}/", account.endpoint_of(self.name));
        let target = format!("{}.{operation}", self.target);
        let headers = [("content-type", self.content_type), ("x-amz-target", target.as_str())];
        let call = Call {
            service: self.name,
            method: Method::POST,
            url: &url,
            headers: &headers,
            body: Bytes::from(body),
            body_sha256: &sha256,
            timeout: ATTEMPT_TIMEOUT,
            max_answer: self.max_answer,
        };
        let answer = account.send(call, is_transient).await.map_err(AwsError::Unavailable)?;
        if !answer.status.is_success() {
            let (code, message) = error_of(&answer);
            return Err(AwsError::Service { service: self.name, operation, code, message, body: answer.body });
        }
        let body = if answer.body.is_empty() { &b"{}"[..] } else { &answer.body[..] };
        serde_json::from_slice(body)
            .map_err(|e| AwsError::Unavailable(format!("{} {operation}: an unreadable answer: {e}", self.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::signed::look_alike::serving;

    #[tokio::test]
    async fn an_operation_is_a_signed_post_naming_its_target_with_a_json_body() {
        let (account, log) = serving(vec![(200, r#"{"QueueUrl":"http://q"}"#)]).await;
        let out: serde_json::Value =
            SQS.call_in(account, "GetQueueUrl", &serde_json::json!({"QueueName": "jobs"})).await.unwrap();
        assert_eq!(out["QueueUrl"], "http://q");
        let log = log.lock().unwrap();
        let (headers, body) = (&log[0].headers, &log[0].body);
        assert_eq!(headers["x-amz-target"], "AmazonSQS.GetQueueUrl");
        assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
        assert_eq!(body, r#"{"QueueName":"jobs"}"#);
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(authorization.contains("/us-east-1/sqs/aws4_request"), "{authorization}");
        assert!(authorization.contains("x-amz-target"), "the target is signed: {authorization}");
    }

    #[tokio::test]
    async fn throttling_is_retried_and_a_service_error_names_its_code() {
        let throttled = (400, r#"{"__type":"ThrottlingException","message":"slow down"}"#);
        let (account, log) = serving(vec![throttled, (503, ""), (200, "{}")]).await;
        let out: serde_json::Value = SECRETS_MANAGER.call_in(account, "ListSecrets", &()).await.unwrap();
        assert_eq!((out, log.lock().unwrap().len()), (serde_json::json!({}), 3));

        let missing = (400, r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"}"#);
        let (account, log) = serving(vec![missing]).await;
        let error = SQS.call_in::<serde_json::Value>(account, "GetQueueUrl", &()).await.unwrap_err();
        assert_eq!(error.code(), Some("QueueDoesNotExist"));
        assert_eq!(error.to_string(), "sqs GetQueueUrl: QueueDoesNotExist: no queue");
        assert_eq!(log.lock().unwrap().len(), 1, "a refusal is not retried");

        let (account, log) = serving(vec![throttled]).await;
        let error = SQS.call_in::<serde_json::Value>(account, "SendMessage", &()).await.unwrap_err();
        assert_eq!((error.code(), log.lock().unwrap().len()), (Some("ThrottlingException"), signed::ATTEMPTS as usize));
    }
}
