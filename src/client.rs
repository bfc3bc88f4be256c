//! A typed api.php client (feature `client`): a typed [`Request`] in, the typed answer
//! [`Line`]s out, over HTTP with timeouts, every failure classified by [`Remedy`].
//!
//! ```no_run
//! use vicixfer::api::{AgentRef, Auth, Call, Request};
//! use vicixfer::client::Client;
//! use vicixfer::{ParkSlot, ParkValue};
//!
//! let client = Client::new("http://10.10.10.15/agc/api.php");
//! let request = Request {
//!     auth: Auth { source: "crm".into(), user: "6666".into(), pass: "1234".into() },
//!     agent: AgentRef { agent_user: "1001".into(), alt_user: String::new() },
//!     call: Call::ParkCall(ParkSlot::Known(ParkValue::ParkCustomer)),
//! };
//! match client.call(&request) {
//!     Ok(success) => println!("stored: {success}"),
//!     Err(e) => eprintln!("{e} (what to do: {:?})", e.remedy()),
//! }
//! ```
//!
//! The request is sent as a `POST` form body (api.php reads each parameter from the query
//! string, else from the body, §2), which keeps the password out of the web server's access
//! log. Plain `http://` only: the feature leaves TLS out to stay lean; put api.php behind
//! a local TLS-terminating proxy, or send [`Request::to_query`] with your own client.
//! No error's `Display` contains the password.

use crate::api::{ApiError, Line, ParseLineError, Remedy, Request, Success};
use std::time::Duration;

/// The longest answer read (api.php's answers are one or two short lines).
const BODY_LIMIT: u64 = 64 * 1024;

/// An api.php endpoint and how long to wait for it.
#[derive(Debug, Clone)]
pub struct Client {
    url: String,
    total: Duration,
    agent: ureq::Agent,
}

/// Everything api.php printed for one request: the line that decides, and any line
/// before it (a `no user found` line precedes the one that decides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    earlier: Vec<Line>,
    /// The deciding line, typed so that it can only be a `SUCCESS:` or an `ERROR:` line.
    decides: Result<Success, ApiError>,
}

impl Reply {
    /// The last line, which decides the outcome: a [`Line::Success`] or a [`Line::Error`].
    pub fn outcome(&self) -> Line {
        match &self.decides {
            Ok(s) => Line::Success(s.clone()),
            Err(e) => Line::Error(e.clone()),
        }
    }

    /// The lines before the outcome (usually none).
    pub fn earlier(&self) -> &[Line] {
        &self.earlier
    }

    /// The outcome as a result: the `SUCCESS:` line, or the `ERROR:` line.
    pub fn into_result(self) -> Result<Success, ApiError> {
        self.decides
    }
}

/// Why a request got no `SUCCESS:` line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// api.php answered with an `ERROR:` line (only from [`Client::call`]).
    #[error("api.php refused it: {}", redacted(.0))]
    Api(ApiError),
    /// No answer within the timeout.
    #[error("no answer from api.php within {0:?}")]
    Timeout(Duration),
    /// The server could not be reached (name not found, connection refused or reset).
    #[error("api.php could not be reached: {0}")]
    Unreachable(String),
    /// The server answered with an HTTP status other than 200.
    #[error("the server answered HTTP {status} (is the URL api.php's?)")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The body is empty: api.php prints nothing for a function it does not know.
    #[error("api.php printed nothing (a function it does not know?)")]
    Empty,
    /// The body is not api.php's answer lines (a proxy's error page, another script).
    #[error("the answer is not api.php's: {0}")]
    NotApiPhp(ParseLineError),
    /// The URL or the HTTP exchange itself is malformed.
    #[error("HTTP error: {0}")]
    Http(String),
}

/// An `ERROR:` line for a message: the line, except that an invalid login's line (which
/// echoes the password) is summarised.
fn redacted(e: &ApiError) -> String {
    match e {
        ApiError::InvalidLogin { user, .. } => {
            // The message can carry the login SQL, which holds the password (§15.1).
            let message = match e.redacted() {
                ApiError::InvalidLogin { auth_message, .. } => auth_message,
                _ => String::new(),
            };
            format!("ERROR: Invalid Username/Password for user {user} ({message})")
        }
        other => other.to_string(),
    }
}

impl ClientError {
    /// What the caller should do: an api.php error's own [`Remedy`]; retry later for
    /// timeouts, unreachable servers and HTTP 5xx; fix the setup (the URL, a proxy) for
    /// other statuses, empty or foreign answers and malformed URLs.
    pub fn remedy(&self) -> Remedy {
        match self {
            ClientError::Api(e) => e.remedy(),
            ClientError::Timeout(_) | ClientError::Unreachable(_) => Remedy::RetryLater,
            ClientError::Status { status } if *status >= 500 => Remedy::RetryLater,
            ClientError::Status { .. } | ClientError::NotApiPhp(_) | ClientError::Http(_) => Remedy::FixSetup,
            ClientError::Empty => Remedy::FixRequest,
        }
    }
}

impl Client {
    /// A client for the api.php at `url` (e.g. `http://10.10.10.15/agc/api.php`), with a
    /// 10-second timeout for the whole exchange and 5 seconds to connect.
    pub fn new(url: impl Into<String>) -> Client {
        Client::with_timeouts(url, Duration::from_secs(10), Duration::from_secs(5))
    }

    /// A client with these timeouts: `total` for the whole exchange, `connect` to open
    /// the connection.
    pub fn with_timeouts(url: impl Into<String>, total: Duration, connect: Duration) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(total))
            .timeout_connect(Some(connect))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("vicixfer/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client { url: url.into(), total, agent }
    }

    /// Sends the request and parses every line api.php printed. An `ERROR:` line is a
    /// successful exchange here (see [`Reply::into_result`], or use [`Client::call`]).
    pub fn send(&self, request: &Request) -> Result<Reply, ClientError> {
        let form = request.to_query();
        let pass = crate::api::url_encode(&request.auth.pass);
        let hide = |text: String| if pass.len() >= 2 { text.replace(&pass, crate::api::REDACTED) } else { text };
        let mut response = self
            .agent
            .post(&self.url)
            .content_type("application/x-www-form-urlencoded")
            .send(form.as_str())
            .map_err(|e| self.transport(e, &hide))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ClientError::Status { status });
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()
            .map_err(|e| self.transport(e, &hide))?;
        if body.is_empty() {
            return Err(ClientError::Empty);
        }
        let mut earlier = Line::parse_body(&body).map_err(ClientError::NotApiPhp)?;
        earlier.retain(|line| !line.is_presentation());
        let decides = match earlier.pop().ok_or(ClientError::Empty)? {
            Line::Success(s) => Ok(s),
            Line::Error(e) => Err(e),
            // Another function's line (presentation lines were dropped above): not an
            // answer of the four functions.
            Line::Other(text) => return Err(ClientError::NotApiPhp(ParseLineError::new(&text, earlier.len() + 1))),
            other => return Err(ClientError::NotApiPhp(ParseLineError::new(&other.to_string(), earlier.len() + 1))),
        };
        Ok(Reply { earlier, decides })
    }

    /// [`Client::send`], with an `ERROR:` outcome as [`ClientError::Api`].
    pub fn call(&self, request: &Request) -> Result<Success, ClientError> {
        self.send(request)?.into_result().map_err(ClientError::Api)
    }

    fn transport(&self, e: ureq::Error, hide: &dyn Fn(String) -> String) -> ClientError {
        match e {
            ureq::Error::Timeout(_) => ClientError::Timeout(self.total),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => ClientError::Timeout(self.total),
            ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::Io(_) => {
                ClientError::Unreachable(hide(e.to_string()))
            }
            ureq::Error::StatusCode(status) => ClientError::Status { status },
            other => ClientError::Http(hide(other.to_string())),
        }
    }
}
