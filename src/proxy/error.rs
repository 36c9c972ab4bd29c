//! The proxy's own error responses: a status and a small JSON body that says
//! what went wrong in veilgate's words. Never a body, value or header from
//! the upstream.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

use super::body::{ProxyBody, full};

/// Why veilgate answered instead of the upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyError {
    pub status: StatusCode,
    /// Stable, machine-readable reason (`upstream_timeout`).
    pub code: &'static str,
    /// One sentence for the agent's tool to show.
    pub message: String,
}

impl ProxyError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ProxyError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_gateway(code: &'static str, message: impl Into<String>) -> Self {
        ProxyError::new(StatusCode::BAD_GATEWAY, code, message)
    }

    pub fn response(&self) -> Response<ProxyBody> {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message, "by": "veilgate" }
        });
        let mut response = Response::new(full(Bytes::from(body.to_string())));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn error_bodies_are_json_with_a_code() {
        let response = ProxyError::bad_gateway("upstream_unreachable", "no route").response();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["error"]["code"], "upstream_unreachable");
    }
}
