//! The API functions' Lambda entry: API Gateway HTTP API events (payload
//! 2.0) through a function's axum router.
//!
//! `lambda_http::run` does the same, and its request side is used here
//! as is (`LambdaRequest` into an `http::Request`, the Lambda context as
//! an extension). Its response side is not: it decodes every text body
//! through `encoding_rs` by the charset the content type names, which
//! links every legacy encoding's tables (147 KiB of each binary,
//! BENCHMARKS.md history) to decode what is always UTF-8 here. So the
//! response is built here, with the same rules: a body is text when it is
//! not content-encoded and its type is textual (`text/*`, JSON,
//! JavaScript, XML, YAML, `+json`/`+xml`/`+yaml`, or none) and valid
//! UTF-8, base64 otherwise; `Set-Cookie` headers move to `cookies`, as
//! API Gateway expects.

use std::convert::Infallible;

use axum::Router;
use axum::response::Response;
use http::HeaderValue;
use http::header::{CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpResponse;
use lambda_http::aws_lambda_events::encodings::Body;
use lambda_http::request::LambdaRequest;
use lambda_http::{LambdaEvent, RequestExt};
use tower::ServiceExt;

/// Serves `app` to the Lambda Runtime API until the process ends.
pub async fn run(app: Router) -> Result<(), lambda_http::Error> {
    lambda_http::lambda_runtime::run(lambda_http::service_fn(move |event| handle(app.clone(), event))).await
}

/// One event through the router, answered the way API Gateway reads it.
pub async fn handle(app: Router, event: LambdaEvent<LambdaRequest>) -> Result<ApiGatewayV2httpResponse, Infallible> {
    let LambdaEvent { payload, context } = event;
    let mut request: lambda_http::Request = payload.into();
    if let Some(trace) = context.xray_trace_id.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
        request.headers_mut().insert("x-amzn-trace-id", trace);
    }
    let response = app.oneshot(request.with_lambda_context(context)).await?;
    Ok(to_api_gateway(response).await)
}

/// Whether a body of these headers goes back as text (else base64).
fn is_textual(headers: &http::HeaderMap) -> bool {
    if headers.contains_key(CONTENT_ENCODING) {
        return false;
    }
    let Some(content_type) = headers.get(CONTENT_TYPE) else { return true };
    let mime = content_type.to_str().unwrap_or_default().split(';').next().unwrap_or_default().trim();
    mime.starts_with("text/")
        || ["application/json", "application/javascript", "application/xml", "application/yaml"].contains(&mime)
        || ["+json", "+xml", "+yaml"].iter().any(|suffix| mime.ends_with(suffix))
}

async fn to_api_gateway(response: Response) -> ApiGatewayV2httpResponse {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "the response body could not be read");
            let mut failed = ApiGatewayV2httpResponse::default();
            failed.status_code = 500;
            return failed;
        }
    };
    let body = match bytes.len() {
        0 => None,
        _ if is_textual(&parts.headers) => match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Some(Body::Text(text)),
            Err(not_utf8) => Some(Body::Binary(not_utf8.into_bytes())),
        },
        _ => Some(Body::Binary(bytes.to_vec())),
    };
    let cookies = parts.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned);
    let cookies = cookies.collect();
    parts.headers.remove(SET_COOKIE);
    let mut answer = ApiGatewayV2httpResponse::default();
    answer.status_code = i64::from(parts.status.as_u16());
    answer.is_base64_encoded = matches!(body, Some(Body::Binary(_)));
    answer.body = body;
    answer.headers = parts.headers;
    answer.cookies = cookies;
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    fn app() -> Router {
        Router::new()
            .route(
                "/v1/projects/{id}",
                get(|| async {
                    (axum::response::AppendHeaders([(SET_COOKIE, "a=1"), (SET_COOKIE, "b=2")]), "{\"ok\":true}")
                }),
            )
            .route("/v1/bytes", get(|| async { ([(CONTENT_TYPE, "application/octet-stream")], vec![0u8, 255, 1]) }))
            .route("/v1/gzip", get(|| async { ([(CONTENT_TYPE, "text/plain"), (CONTENT_ENCODING, "gzip")], "x") }))
            .route("/v1/latin1", get(|| async { ([(CONTENT_TYPE, "text/plain")], vec![0xe9u8]) }))
            .route("/v1/empty", get(|| async { http::StatusCode::NO_CONTENT }))
            .route(
                "/v1/trace",
                get(|headers: http::HeaderMap| async move { headers["x-amzn-trace-id"].to_str().unwrap().to_owned() }),
            )
    }

    /// `events/apigw-projects-get.json` with another path.
    fn event(path: &str) -> LambdaEvent<LambdaRequest> {
        let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/apigw-projects-get.json");
        let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        json["rawPath"] = path.into();
        json["requestContext"]["http"]["path"] = path.into();
        let mut context = lambda_http::Context::default();
        context.xray_trace_id = Some("Root=1-5759e988-bd862e3fe1be46a994272793".into());
        LambdaEvent::new(serde_json::from_value(json).unwrap(), context)
    }

    async fn answer(path: &str) -> serde_json::Value {
        serde_json::to_value(handle(app(), event(path)).await.unwrap()).unwrap()
    }

    #[tokio::test]
    async fn a_json_answer_is_text_and_its_cookies_move_out_of_the_headers() {
        let answer = answer("/v1/projects/prj_1").await;
        assert_eq!(answer["statusCode"], 200);
        assert_eq!(answer["body"], "{\"ok\":true}");
        assert_eq!(answer["isBase64Encoded"], false);
        assert_eq!(answer["cookies"], serde_json::json!(["a=1", "b=2"]));
        assert_eq!(answer["headers"]["content-type"], "text/plain; charset=utf-8");
        assert!(answer["headers"].get("set-cookie").is_none(), "{answer}");
    }

    #[tokio::test]
    async fn binary_encoded_or_non_utf8_bodies_go_back_as_base64() {
        for (path, base64) in [("/v1/bytes", "AP8B"), ("/v1/gzip", "eA=="), ("/v1/latin1", "6Q==")] {
            let answer = answer(path).await;
            assert_eq!(
                (answer["isBase64Encoded"].clone(), answer["body"].clone()),
                (true.into(), base64.into()),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn the_request_carries_the_invocations_trace_header() {
        assert_eq!(answer("/v1/trace").await["body"], "Root=1-5759e988-bd862e3fe1be46a994272793");
    }

    #[tokio::test]
    async fn an_empty_answer_has_no_body_and_an_unknown_route_is_the_routers_404() {
        let empty = answer("/v1/empty").await;
        assert_eq!((empty["statusCode"].clone(), empty.get("body").cloned()), (204.into(), None));
        assert_eq!(answer("/v1/nowhere").await["statusCode"], 404);
    }

    #[test]
    fn textual_types_are_the_ones_lambda_http_treats_as_text() {
        let with = |content_type: &str| {
            let mut headers = http::HeaderMap::new();
            headers.insert(CONTENT_TYPE, content_type.parse().unwrap());
            is_textual(&headers)
        };
        for text in ["application/problem+json", "application/json; charset=utf-8", "text/csv", "application/yaml"] {
            assert!(with(text), "{text}");
        }
        for binary in ["application/octet-stream", "image/png", "application/zip"] {
            assert!(!with(binary), "{binary}");
        }
        assert!(is_textual(&http::HeaderMap::new()));
    }
}
