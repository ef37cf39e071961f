//! A deadline for reading a request's body. actix bounds the time to receive the headers, not
//! the body: 50 connections sending one byte every 2 s held their workers' sockets for as long
//! as they liked (issue 12). A body still arriving at the deadline ends in an I/O error of kind
//! `TimedOut`, which the JSON extractor answers with 408 `request_timeout`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use futures_util::Stream;

/// The time a request has to deliver its whole body, as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // Most requests (every GET) have no body: they get no timer.
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    if has_body && let Some(timeout) = req.app_data::<BodyTimeout>().copied() {
        let inner = req.take_payload();
        let sleep = Box::pin(tokio::time::sleep(timeout.0));
        let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
            Box::pin(Deadline { inner, sleep });
        req.set_payload(Payload::from(stream));
    }
    next.call(req).await
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Whether reading a body failed because its deadline passed.
pub fn timed_out(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut)
}
