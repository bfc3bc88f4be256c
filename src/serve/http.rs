//! The HTTP side: routes, limits, the request log, the accept loop and shutdown.

use super::engine::{Action, Cmd, ControlError};
use super::form::{multipart_as_urlencoded, urlencoded_text, BodyKind};
use super::{Limits, Line};
use crate::api::redact::query as redact;
use crate::api::with_post_fallback;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;
use tokio::sync::{broadcast, oneshot, Semaphore};

/// The page at `/`: plain HTML and script, no external assets.
const PAGE: &str = include_str!("page.html");

/// What the handlers share.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) engine: mpsc::Sender<Cmd>,
    pub(crate) events: broadcast::Sender<Line>,
    pub(crate) log: mpsc::SyncSender<String>,
    /// Whether request lines are written at all.
    pub(crate) logging: bool,
    pub(crate) limits: Limits,
    /// Turns true when the server stops (ends the event streams).
    pub(crate) stopping: watch::Receiver<bool>,
}

impl App {
    /// Sends a command to the engine and waits for its reply.
    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Cmd) -> Result<T, Response> {
        let (tx, rx) = oneshot::channel();
        let gone = || (StatusCode::SERVICE_UNAVAILABLE, "the engine has stopped\n").into_response();
        self.engine.send(make(tx)).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())
    }
}

/// The routes.
fn router(app: App) -> Router {
    let limits = app.limits;
    Router::new()
        .route("/", get(page))
        .route("/agc/api.php", get(api_get).post(api_post))
        .route("/control/state", get(state))
        .route("/control/events", get(events))
        .route("/control/inject", post(inject))
        .route("/control/advance", post(advance))
        .route("/control/reset", post(reset))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits.max_body))
        .layer(middleware::from_fn_with_state(app.clone(), log_and_limit))
        .with_state(app)
}

/// Serves until `stopped` fires (or a signal, with `signal`), then drains for 2 s at most.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    app: App,
    stop_streams: watch::Sender<bool>,
    mut stopped: oneshot::Receiver<()>,
    signal: bool,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let limits = app.limits;
    let service = TowerToHyperService::new(router(app));
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.request_timeout).title_case_headers(true);
    let stop_signal = async move {
        if signal {
            stop_signal().await
        } else {
            std::future::pending().await
        }
    };
    tokio::pin!(stop_signal);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            _ = &mut stopped => break,
            _ = &mut stop_signal => break,
        };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
            _ = &mut stop_signal => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(TokioIo::new(stream), service.clone());
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_streams.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The redacted form body of an api.php request, for the log.
#[derive(Clone)]
struct LoggedBody(String);

/// Every request: the time limit, then one JSON line in the log (passwords redacted).
async fn log_and_limit(State(app): State<App>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    // What the log line needs, taken (and the password redacted) only when there is a log.
    let logged =
        app.logging.then(|| (req.method().to_string(), req.uri().path().to_string(), req.uri().query().map(redact)));
    // A declared length past the limit is refused at once, before any body is awaited
    // (the body limit alone would wait for the body, up to the time limit).
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let response = if declared.is_some_and(|n| n > app.limits.max_body as u64) {
        (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response()
    } else {
        match tokio::time::timeout(app.limits.request_timeout, next.run(req)).await {
            Ok(response) => response,
            Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "request timed out\n").into_response(),
        }
    };
    let Some((method, path, query)) = logged else {
        return response;
    };
    let line = serde_json::json!({
        "ts_ms": SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64),
        "method": method,
        "path": path,
        "query": query,
        "body": response.extensions().get::<LoggedBody>().map(|b| b.0.as_str()),
        "status": response.status().as_u16(),
        "us": started.elapsed().as_micros() as u64,
    });
    let _ = app.log.try_send(line.to_string());
    response
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found: try /agc/api.php, /control/state or /\n").into_response()
}

async fn api_get(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    api(app, query.unwrap_or_default(), None).await
}

async fn api_post(State(app): State<App>, RawQuery(query): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let form = match BodyKind::of(content_type) {
        BodyKind::Urlencoded => Some(urlencoded_text(&body)),
        BodyKind::Multipart(boundary) => Some(multipart_as_urlencoded(body, boundary).await),
        BodyKind::BadBoundary | BodyKind::Ignored => None,
    };
    api(app, query.unwrap_or_default(), form).await
}

/// api.php: the body the model prints, with api.php's status and headers
/// (`header()` calls at api.php lines 312-314).
async fn api(app: App, query: String, form: Option<String>) -> Response {
    if query.len() > app.limits.max_query {
        return (StatusCode::URI_TOO_LONG, "query string too long\n").into_response();
    }
    let logged = form.as_deref().filter(|_| app.logging).map(|f| LoggedBody(redact(f)));
    let query = match &form {
        Some(form) => with_post_fallback(&query, form),
        None => query,
    };
    let (status, body) = match app.ask(|reply| Cmd::Api { query, reply }).await {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, must-revalidate"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    if let Some(logged) = logged {
        response.extensions_mut().insert(logged);
    }
    response
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn json_error(status: StatusCode, message: &str) -> Response {
    json(status, serde_json::json!({ "error": message }).to_string())
}

fn control_reply(done: Result<String, ControlError>) -> Response {
    match done {
        Ok(body) => json(StatusCode::OK, body),
        Err(e @ ControlError::Bad(_)) => json_error(StatusCode::BAD_REQUEST, &e.to_string()),
        Err(e @ ControlError::Moot(_)) => json_error(StatusCode::CONFLICT, &e.to_string()),
    }
}

/// Parses a JSON request body; the error is the 400 message.
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("request body: {e}"))
}

async fn state(State(app): State<App>) -> Response {
    match app.ask(|reply| Cmd::State { reply }).await {
        Ok(body) => json(StatusCode::OK, body),
        Err(response) => response,
    }
}

async fn inject(State(app): State<App>, body: Bytes) -> Response {
    let action: Action = match parse(&body) {
        Ok(action) => action,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e),
    };
    match app.ask(|reply| Cmd::Inject { action, reply }).await {
        Ok(done) => control_reply(done),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    ms: u64,
}

async fn advance(State(app): State<App>, body: Bytes) -> Response {
    let Advance { ms } = match parse(&body) {
        Ok(a) => a,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e),
    };
    match app.ask(|reply| Cmd::Advance { ms, reply }).await {
        Ok(done) => control_reply(done),
        Err(response) => response,
    }
}

async fn reset(State(app): State<App>) -> Response {
    match app.ask(|reply| Cmd::Reset { reply }).await {
        Ok(body) => json(StatusCode::OK, body),
        Err(response) => response,
    }
}

/// Every trace line (api answers, steps with their effects and events, rejections,
/// violations, customers entering and ending) as one SSE `message` each.
///
/// A client too slow to keep up gets a `lagged` event with the number of lines it
/// missed; the stream ends when the server stops.
async fn events(State(app): State<App>) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let start = (app.events.subscribe(), app.stopping.clone());
    let stream = futures_util::stream::unfold(start, |(mut rx, mut stopping)| async move {
        if *stopping.borrow() {
            return None;
        }
        let event = tokio::select! {
            line = rx.recv() => match line {
                Ok(line) => Event::default().data(&*line),
                Err(broadcast::error::RecvError::Lagged(n)) => Event::default().event("lagged").data(n.to_string()),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
            _ = stopping.changed() => return None,
        };
        Some((Ok(event), (rx, stopping)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
