//! The crate's API conventions (docs/api-policy.md): every error type is a
//! `std::error::Error`, every type with a text form parses it back with `FromStr`,
//! `Session::handle` takes anything that converts into an `Input`, and every api.php error
//! is classified (docs/api.md, "What to do about an error").

use std::collections::BTreeSet;
use std::str::FromStr;
use vicixfer::api::{ApiError, ErrorKind, Function, Line, Param, Remedy, Request, RequestError};
use vicixfer::*;

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn every_error_type_is_a_std_error() {
    is_error::<Rejection>();
    is_error::<ScriptError>();
    is_error::<ParseTextError>();
    is_error::<ApiError>();
    is_error::<vicixfer::api::ParseLineError>();
    is_error::<RequestError>();
    is_error::<vicixfer::invariants::Violation>();
    #[cfg(feature = "client")]
    is_error::<vicixfer::client::ClientError>();
    // `?` turns an api.php error line into a boxed error.
    fn fails() -> Result<(), Box<dyn std::error::Error>> {
        match Line::parse("ERROR: agent_user is not logged in - 1001\n")? {
            Line::Error(e) => Err(e.into()),
            _ => Ok(()),
        }
    }
    assert_eq!(fails().unwrap_err().to_string(), "ERROR: agent_user is not logged in - 1001");
}

fn round_trip<T>(values: &[T])
where
    T: FromStr + std::fmt::Display + PartialEq + std::fmt::Debug,
    T::Err: std::fmt::Debug,
{
    for v in values {
        assert_eq!(&v.to_string().parse::<T>().expect("its own text parses"), v);
    }
}

#[test]
fn wire_spellings_parse_with_from_str() {
    round_trip(&TransferFunction::ALL);
    round_trip(&ParkValue::ALL);
    round_trip(&Function::ALL);
    round_trip(&Param::ALL);
    assert_eq!(
        "hangup_xfer".parse::<TransferFunction>().unwrap_err().to_string(),
        "\"hangup_xfer\" is not a TransferFunction"
    );
    assert!(" PARK_CUSTOMER".parse::<ParkValue>().is_err(), "exact spelling only");
}

#[test]
fn stored_slot_values_and_columns_parse_with_from_str() {
    let raw = "DIAL_WITH_CUSTOMER------5551234---NO------------1700000000---";
    let slot: TransferSlot = raw.parse().expect("a command");
    assert_eq!(Some(slot), TransferSlot::decode(raw));
    assert!("".parse::<TransferSlot>().is_err(), "an empty field 0 is no command");
    assert_eq!("PARK_XFER".parse::<ParkSlot>(), Ok(ParkSlot::Known(ParkValue::ParkXfer)));
    assert_eq!("XPARK".parse::<ParkSlot>(), Ok(ParkSlot::Other("XPARK".into())));
    assert_eq!("1".parse::<HangupSlot>(), Ok(HangupSlot("1".into())));
    assert!("".parse::<HangupSlot>().is_err());
    for slot in [SlotName::TransferConf, SlotName::Park, SlotName::Hangup] {
        assert_eq!(slot.column().parse::<SlotName>(), Ok(slot));
    }
    assert!("external_transfer".parse::<SlotName>().is_err());
}

#[test]
fn answer_lines_and_requests_parse_with_from_str() {
    let text = "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n";
    let line: Line = text.parse().expect("a line");
    assert_eq!(line.to_string(), text);
    // A line of another function is `Other`; a malformed line of the four is an error.
    assert!(matches!("SUCCESS: nothing".parse::<Line>(), Ok(Line::Other(_))));
    assert!("SUCCESS: park_call function set".parse::<Line>().is_err());
    let query = "source=crm&user=6666&pass=1234&agent_user=1001&function=park_call&value=PARK_CUSTOMER";
    let request: Request = query.parse().expect("a clean request");
    assert_eq!(request.to_query().parse::<Request>(), Ok(request));
    assert!(matches!("function=nope".parse::<Request>(), Err(RequestError::UnknownFunction(_))));
}

#[test]
fn handle_takes_anything_that_converts_into_an_input() {
    let mut session = Session::default();
    session.handle(NetEvent::CallArrives { lead: LeadId(42) }).expect("a call");
    let cmd: TransferSlot = "HANGUP_XFER---------NO------------1700000000".parse().expect("a command");
    session.handle(ApiWrite::TransferConference(cmd)).expect("stage 1");
    session.handle(ScreenInput::Tick).expect("stage 2");
    session.handle(Input::Screen(ScreenInput::Tick)).expect("an Input itself");
}

/// The rows of the remedy table in docs/api.md: (kind, remedy).
fn documented_remedies() -> Vec<(ErrorKind, Remedy)> {
    let doc = std::fs::read_to_string("docs/api.md").expect("docs/api.md");
    let section = doc.split("## What to do about an error").nth(1).expect("the section");
    let section = section.split("\n## ").next().expect("its end");
    section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let kind = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let kind: ErrorKind = serde_json::from_str(&format!("{kind:?}")).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let remedy = match *cells.get(2)? {
                "retry later" => Remedy::RetryLater,
                "fix the request" => Remedy::FixRequest,
                "fix the setup" => Remedy::FixSetup,
                other => panic!("{kind:?}: unknown remedy {other:?}"),
            };
            Some((kind, remedy))
        })
        .collect()
}

#[test]
fn every_api_error_is_classified_as_documented() {
    let rows = documented_remedies();
    for &(kind, remedy) in &rows {
        assert_eq!(kind.remedy(), remedy, "{kind:?}: docs/api.md and ErrorKind::remedy disagree");
    }
    // Every ApiError variant of the answer-line table has a row.
    let doc = std::fs::read_to_string("docs/api.md").expect("docs/api.md");
    let variants: BTreeSet<String> = doc
        .split("`ApiError::")
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !c.is_alphanumeric()).next())
        .filter(|name| name.chars().next().is_some_and(char::is_uppercase))
        .map(String::from)
        .collect();
    let classified: BTreeSet<String> = rows.iter().map(|(k, _)| format!("{k:?}")).collect();
    assert!(variants.len() >= 18, "the answer-line table names the variants: {variants:?}");
    assert_eq!(variants, classified, "every ApiError variant has exactly one remedy row");
}

#[test]
fn an_error_lines_remedy_follows_its_kind() {
    let parse = |l: &str| Line::parse(l).expect("a line");
    assert_eq!(parse("ERROR: System API NOT ACTIVE\n").remedy(), Some(Remedy::FixSetup));
    assert_eq!(parse("ERROR: Invalid Source - x\n").remedy(), Some(Remedy::FixRequest));
    assert_eq!(parse("ERROR: no fronter found - 1001\n").remedy(), Some(Remedy::RetryLater));
    assert_eq!(parse("SUCCESS: park_call function set - PARK_CUSTOMER|1001\n").remedy(), None);
}
