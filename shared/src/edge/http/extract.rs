//! Request extractors that turn every rejection into a problem naming the
//! field, and small response wrappers.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::MAX_BODY_BYTES;
use crate::edge::error::{ApiError, FieldError};

/// Default and maximum page sizes of every list.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;

/// A JSON body: 415 without a JSON content type, 413 past the size limit,
/// 400 when it is not JSON, 422 naming the field when it does not fit `T`
/// (unknown fields included, where `T` denies them).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&body_bytes(request, state).await?).map(ApiJson)
    }
}

/// Whether a request's content type is JSON (`application/json` or
/// `application/*+json`).
fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

async fn body_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }
        } else {
            ApiError::bad_request("unreadable_body", "the request body could not be read")
        }
    })
}

/// For routes that take no body: none (or whitespace), or an empty JSON
/// object `{}` (what many clients send by default). Anything else is
/// refused as a body would be elsewhere: 415 when it is not JSON, 400 when
/// it does not parse, 422 on `body` when it is JSON with something in it.
pub struct NoBody;

impl<S: Send + Sync> FromRequest<S> for NoBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(&request);
        let bytes = body_bytes(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(NoBody);
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let value: serde_json::Value = parse_json(&bytes)?;
        match value.as_object() {
            Some(object) if object.is_empty() => Ok(NoBody),
            _ => Err(ApiError::field("body", "this route takes no body; send none or `{}`")),
        }
    }
}

/// An optional JSON body: `None` when there is none (or only whitespace),
/// else parsed exactly as [`ApiJson`] parses (content type, size, fields).
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(&request);
        let bytes = body_bytes(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&bytes).map(|value| OptionalJson(Some(value)))
    }
}

/// For `Option<Option<T>>` fields with `#[serde(default, deserialize_with =
/// "present")]`: a field given, even as `null` (`Some(None)`), as opposed to
/// absent (`None`).
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let Strict(mut value) = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().clone();
        let inner = e.into_inner();
        if inner.is_data() {
            ApiError::Validation(vec![FieldError::at("", &path, strip_position(&inner.to_string()))])
        } else {
            ApiError::bad_request("malformed_json", format!("the request body is not valid JSON: {inner}"))
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::bad_request("malformed_json", format!("the request body is not valid JSON: {e}")))?;
    integral_floats_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().clone();
        ApiError::Validation(vec![FieldError::at("", &path, strip_position(&e.into_inner().to_string()))])
    })
}

/// A JSON value whose objects name each key once: a body that says a
/// field twice is refused (422 naming it) rather than read by whichever
/// copy a parser keeps, as a proxy in front may keep the other.
struct Strict(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Strict;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
                Ok(Strict(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
                Ok(Strict(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
                Ok(Strict(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
                Ok(Strict(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
                Ok(Strict(v.into()))
            }
            fn visit_string<E>(self, v: String) -> Result<Strict, E> {
                Ok(Strict(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Strict, E> {
                Ok(Strict(serde_json::Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
                let mut items = Vec::new();
                while let Some(Strict(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Strict(items.into()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
                let mut fields = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if fields.contains_key(&key) {
                        return Err(serde::de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    let Strict(value) = map.next_value()?;
                    fields.insert(key, value);
                }
                Ok(Strict(fields.into()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// JSON has one number type: `703.0` is the integer 703 (JSON Schema says
/// so too), but serde takes only `703` for an integer field. Numbers with
/// no fraction that fit one are made integers before the body is read.
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Exactly representable integers only (|f| < 2^53).
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                #[allow(clippy::cast_possible_truncation)]
                let i = f as i64;
                *n = i.into();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// serde_json appends " at line 1 column 9" to data errors; the field path
/// already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query parameters: 422 naming the parameter (`query.limit`) when they do
/// not fit `T`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| ApiError::Validation(vec![FieldError::at("query", e.path(), e.inner().to_string())]))
    }
}

/// `limit` and `cursor`, checked.
#[derive(Debug, Clone)]
pub struct Paging {
    pub limit: usize,
    pub cursor: Option<String>,
}

impl Paging {
    pub fn new(limit: Option<usize>, cursor: Option<String>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field("query.limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        Ok(Self { limit, cursor: cursor.filter(|c| !c.is_empty()) })
    }
}

/// The query of a list that takes nothing but a page: `?limit=&cursor=`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn paging(self) -> Result<Paging, ApiError> {
        Paging::new(self.limit, self.cursor)
    }
}

/// Every list's shape: `{"data": [...], "next_cursor": "..." | null}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to read the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// 201 Created with `Location`, `ETag` and the object.
pub struct Created<T> {
    pub location: String,
    pub version: u64,
    pub body: T,
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::CREATED, axum::Json(self.body)).into_response();
        if let Ok(location) = HeaderValue::from_str(&self.location) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response.headers_mut().insert(header::ETAG, super::etag::etag_value(self.version));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: Option<u32>,
    }

    fn field_of(result: Result<Body, ApiError>) -> String {
        match result {
            Err(ApiError::Validation(errors)) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(field_of(parse_json(br#"{"name":"a","colour":1}"#)), "colour");
    }

    #[test]
    fn missing_fields_are_named() {
        assert_eq!(field_of(parse_json(br#"{}"#)), "name");
    }

    #[test]
    fn wrong_types_name_the_field() {
        assert_eq!(field_of(parse_json(br#"{"name":"a","count":"x"}"#)), "count");
    }

    #[test]
    fn malformed_json_is_a_bad_request_not_a_validation_error() {
        let result: Result<Body, _> = parse_json(b"{\"name\":");
        assert!(matches!(result, Err(ApiError::BadRequest { code: "malformed_json", .. })));
        let trailing: Result<Body, _> = parse_json(br#"{"name":"a"} x"#);
        assert!(matches!(trailing, Err(ApiError::BadRequest { .. })));
    }

    #[test]
    fn a_field_given_twice_is_refused_naming_it() {
        let result: Result<Body, _> = parse_json(br#"{"name":"a","name":"b"}"#);
        match result {
            Err(ApiError::Validation(errors)) => {
                assert!(errors[0].message.contains("duplicate field `name`"), "{errors:?}")
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_number_without_a_fraction_is_an_integer_as_json_schema_says() {
        let body: Body = parse_json(br#"{"name":"a","count":703.0}"#).unwrap();
        assert_eq!(body.count, Some(703));
        assert_eq!(field_of(parse_json(br#"{"name":"a","count":703.5}"#)), "count");
        assert_eq!(field_of(parse_json(br#"{"name":"a","count":-1.0}"#)), "count");
    }

    #[test]
    fn limits_outside_the_documented_range_are_refused() {
        assert!(Paging::new(Some(0), None).is_err());
        assert!(Paging::new(Some(MAX_LIMIT + 1), None).is_err());
        assert_eq!(Paging::new(None, None).unwrap().limit, DEFAULT_LIMIT);
    }
}
