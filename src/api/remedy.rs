//! What a caller should do about each api.php error: retry later, fix the request, or fix
//! the setup (docs/api.md, "What to do about an error").

use super::response::{ApiError, ErrorKind, Line};
use serde::{Deserialize, Serialize};

/// What a caller (a CRM, a dialer script) should do about an `ERROR:` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Remedy {
    /// The request is right but the agent's state refuses it now (not logged in, no call,
    /// a 3-way still active, no fronter on the lead). The same request can succeed once
    /// the agent's state changes; retrying at once will get the same answer.
    RetryLater,
    /// The request itself is wrong (a missing or short parameter, a value the function
    /// does not take, an in-group, alias or cid_choice that does not apply). Sending it
    /// again unchanged will always fail.
    FixRequest,
    /// The server-side configuration refuses it (credentials, the API user's permissions,
    /// the system's API switch, a group alias's caller id): an administrator must change
    /// VICIdial's settings.
    FixSetup,
}

impl ErrorKind {
    /// What a caller should do about an error of this kind.
    pub fn remedy(self) -> Remedy {
        match self {
            ErrorKind::NotLoggedIn
            | ErrorKind::NoLiveCall
            | ErrorKind::NoLead
            | ErrorKind::NotOnPhoneCall
            | ErrorKind::PreviousActive3Way
            | ErrorKind::CurrentActive3Way
            | ErrorKind::NoFronterFound => Remedy::RetryLater,
            ErrorKind::InvalidSource
            | ErrorKind::NotValid
            | ErrorKind::NoUserFound
            | ErrorKind::IngroupNotValid
            | ErrorKind::GroupAliasNotValid
            | ErrorKind::CidChoiceNotValid
            | ErrorKind::ValueNotValid => Remedy::FixRequest,
            ErrorKind::InvalidLogin
            | ErrorKind::ApiNotActive
            | ErrorKind::NoPermission
            | ErrorKind::AliasCallerIdNotValid => Remedy::FixSetup,
        }
    }
}

impl ApiError {
    /// What a caller should do about this error ([`ErrorKind::remedy`] of its kind).
    ///
    /// ```
    /// use vicixfer::api::{Line, Remedy};
    ///
    /// let line: Line = "ERROR: agent_user does not have a live call - 1001\n".parse()?;
    /// assert_eq!(line.remedy(), Some(Remedy::RetryLater));
    /// # Ok::<(), vicixfer::api::ParseLineError>(())
    /// ```
    pub fn remedy(&self) -> Remedy {
        self.kind().remedy()
    }
}

impl Line {
    /// What to do about this line: `None` for a `SUCCESS:` line.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            Line::Error(e) => Some(e.remedy()),
            // The teapot is not an error of the four functions: ask for one of them.
            Line::Teapot(_) => Some(Remedy::FixRequest),
            Line::Success(_) | Line::CloseWindowLink | Line::Debug(_) | Line::Other(_) => None,
        }
    }
}
