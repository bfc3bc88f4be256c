//! The three pending-command slots of the agent's `vicidial_live_agents` row, as the
//! screen reads them (§1, §3.6, §5, §8, §9).
//!
//! api.php writes a slot (stage 1); the screen reads it on its next poll (stage 2).
//! One value per slot: a new write overwrites the old one, there is no queue.

use crate::ids::{CommandId, Text};
use crate::spelled::ParseTextError;
use serde::{Deserialize, Serialize};

spelled! {
    /// The eight `transfer_conference` values, in the order the API documentation lists them.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum TransferFunction {
        /// Hang up the third party only.
        HangupXfer = "HANGUP_XFER",
        /// Hang up customer and third party; agent to disposition.
        HangupBoth = "HANGUP_BOTH",
        /// Redirect the customer to an outside number.
        BlindTransfer = "BLIND_TRANSFER",
        /// Redirect the customer to the campaign voicemail message.
        LeaveVm = "LEAVE_VM",
        /// Redirect the customer into an in-group (gated by the cooldown).
        LocalCloser = "LOCAL_CLOSER",
        /// 3-way dial with the customer in the session (gated).
        DialWithCustomer = "DIAL_WITH_CUSTOMER",
        /// Park the customer and 3-way dial (gated).
        ParkCustomerDial = "PARK_CUSTOMER_DIAL",
        /// The agent leaves; customer and third party stay together.
        Leave3WayCall = "LEAVE_3WAY_CALL",
    }
}

impl TransferFunction {
    /// Gated values run only when the cooldown counter is 0 (§5); others always run.
    pub fn gated(self) -> bool {
        matches!(
            self,
            TransferFunction::LocalCloser | TransferFunction::DialWithCustomer | TransferFunction::ParkCustomerDial
        )
    }
}

/// Field 0 of a stored transferconf command.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlotFunction {
    /// One of the eight values.
    Known(TransferFunction),
    /// Anything else (custom AGI, direct SQL): consumed without action (§5).
    Unknown(Text),
}

/// How a `YES` / `NO` / other field sets one of the screen's sticky checkboxes.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Checkbox {
    /// `YES`: tick it.
    Set,
    /// `NO`: untick it.
    Clear,
    /// Anything else (including empty): leave it as it was (race R16).
    #[default]
    Keep,
}

impl Checkbox {
    /// The screen's reading of a field.
    pub fn from_field(field: &str) -> Self {
        match field {
            "YES" => Checkbox::Set,
            "NO" => Checkbox::Clear,
            _ => Checkbox::Keep,
        }
    }

    /// The box after applying this field to its previous state.
    pub fn apply(self, was: bool) -> bool {
        match self {
            Checkbox::Set => true,
            Checkbox::Clear => false,
            Checkbox::Keep => was,
        }
    }
}

/// A stored `external_transferconf` command split on `---` the way the screen does (§5):
/// fields by index, missing fields empty, field 7 `undefined` when absent.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TransferSlot {
    /// Field 0: the function.
    pub function: SlotFunction,
    /// Field 1: in-group (path A) or empty.
    pub ingroup: Text,
    /// Field 2: phone number, or the AGENTDIRECT agent.
    pub number: Text,
    /// Field 3: consultative `YES`/`NO`.
    pub consultative: Checkbox,
    /// Field 4: dial override as sent.
    pub dial_override: Checkbox,
    /// Field 5: group alias id.
    pub alias: Text,
    /// Field 6: the alias's caller id number.
    pub alias_cid: Text,
    /// Field 7: the command id (API epoch).
    pub id: CommandId,
    /// Field 8: cid_choice.
    pub cid_choice: Text,
}

impl TransferSlot {
    /// Decodes a stored column value. `None` when field 0 is empty (the screen does
    /// nothing). No escaping exists: a `-` next to a separator shifts later fields,
    /// exactly as on the real screen.
    pub fn decode(stored: &str) -> Option<TransferSlot> {
        let mut fields = stored.split("---");
        let mut next = || fields.next();
        let f0 = next().unwrap_or_default();
        if f0.is_empty() {
            return None;
        }
        let text = |f: Option<&str>| -> Text { f.unwrap_or_default().into() };
        let function = match TransferFunction::parse(f0) {
            Some(f) => SlotFunction::Known(f),
            None => SlotFunction::Unknown(f0.into()),
        };
        let ingroup = text(next());
        let number = text(next());
        let consultative = Checkbox::from_field(next().unwrap_or_default());
        let dial_override = Checkbox::from_field(next().unwrap_or_default());
        let alias = text(next());
        let alias_cid = text(next());
        let id = match next() {
            Some(id) => CommandId::Id(id.into()),
            None => CommandId::Undefined,
        };
        let cid_choice = text(next());
        Some(TransferSlot { function, ingroup, number, consultative, dial_override, alias, alias_cid, id, cid_choice })
    }

    /// A command with every field empty but the function and id, as paths C store it.
    pub fn bare(function: TransferFunction, id: CommandId) -> TransferSlot {
        TransferSlot {
            function: SlotFunction::Known(function),
            ingroup: "".into(),
            number: "".into(),
            consultative: Checkbox::Clear,
            dial_override: Checkbox::Keep,
            alias: "".into(),
            alias_cid: "".into(),
            id,
            cid_choice: "".into(),
        }
    }
}

impl std::str::FromStr for TransferSlot {
    type Err = ParseTextError;

    /// [`TransferSlot::decode`]; an empty field 0 (the screen does nothing) is an error.
    fn from_str(stored: &str) -> Result<Self, Self::Err> {
        TransferSlot::decode(stored)
            .ok_or_else(|| ParseTextError { what: "transfer command (field 0 is empty)", text: stored.to_string() })
    }
}

spelled! {
    /// The park_call values the screen acts on (§8; exact match).
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum ParkValue {
        /// Customer to the park extension.
        ParkCustomer = "PARK_CUSTOMER",
        /// Customer from park back into the agent's session.
        GrabCustomer = "GRAB_CUSTOMER",
        /// Customer to the campaign park IVR.
        ParkIvrCustomer = "PARK_IVR_CUSTOMER",
        /// Customer from the park IVR back into the session.
        GrabIvrCustomer = "GRAB_IVR_CUSTOMER",
        /// Third party to park.
        ParkXfer = "PARK_XFER",
        /// Third party from park back into the session.
        GrabXfer = "GRAB_XFER",
        /// Park the customer, grab the third party.
        SwapParkCustomer = "SWAP_PARK_CUSTOMER",
        /// Park the third party, grab the customer.
        SwapParkXfer = "SWAP_PARK_XFER",
        /// Hang up the third party, grab the customer.
        HangupXferGrabCustomer = "HANGUP_XFER_GRAB_CUSTOMER",
    }
}

/// A stored `external_park` value.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParkSlot {
    /// One of the nine values the screen acts on.
    Known(ParkValue),
    /// Anything else api.php let through (e.g. `XPARK_CUSTOMERX`): never acted on,
    /// pending until disposition submit.
    Other(Text),
}

impl ParkSlot {
    /// The screen's exact-match reading of a stored value.
    pub fn decode(stored: &str) -> ParkSlot {
        match ParkValue::parse(stored) {
            Some(v) => ParkSlot::Known(v),
            None => ParkSlot::Other(stored.into()),
        }
    }
}

impl std::str::FromStr for ParkSlot {
    type Err = std::convert::Infallible;

    /// [`ParkSlot::decode`]: every text is a stored park value.
    fn from_str(stored: &str) -> Result<Self, Self::Err> {
        Ok(ParkSlot::decode(stored))
    }
}

/// A stored `external_hangup` value (any non-empty text api.php accepted).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HangupSlot(pub Text);

impl HangupSlot {
    /// Reads a stored value; `None` for the empty text (an empty slot, not a command).
    pub fn decode(stored: &str) -> Option<HangupSlot> {
        (!stored.is_empty()).then(|| HangupSlot(stored.into()))
    }

    /// The screen acts when the value `== 1` in JavaScript's loose comparison: the text
    /// converts to the number 1 (`1`, `01`, `0x1`, `1e0`, `10e-1`, ...).
    pub fn is_one(&self) -> bool {
        js_number(&self.0) == Some(1.0)
    }
}

impl std::str::FromStr for HangupSlot {
    type Err = ParseTextError;

    /// [`HangupSlot::decode`]; the empty text is an error.
    fn from_str(stored: &str) -> Result<Self, Self::Err> {
        HangupSlot::decode(stored)
            .ok_or_else(|| ParseTextError { what: "external_hangup value (it is empty)", text: String::new() })
    }
}

/// JavaScript's `Number(string)` for the characters api.php lets through
/// (`[-|_0-9a-zA-Z]`); `None` stands for `NaN`.
fn js_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0.0);
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = t.strip_prefix(prefix) {
            if digits.is_empty() {
                return None;
            }
            return digits
                .chars()
                .try_fold(0.0f64, |acc, c| c.to_digit(radix).map(|d| acc * f64::from(radix) + f64::from(d)));
        }
    }
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, t.strip_prefix('+').unwrap_or(t)),
    };
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    // Decimal literal: digits [ . digits ] [ e [+-] digits ]; Rust's parser accepts
    // "inf"/"nan" spellings JavaScript does not, so check the shape first.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits_ok = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() || digits_ok(a)) && (b.is_empty() || digits_ok(b)) && !(a.is_empty() && b.is_empty())
        }
        None => digits_ok(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits_ok(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

/// Names the three slots.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SlotName {
    /// `external_transferconf`.
    TransferConf,
    /// `external_park`.
    Park,
    /// `external_hangup`.
    Hangup,
}

impl SlotName {
    /// The `vicidial_live_agents` column.
    pub fn column(self) -> &'static str {
        match self {
            SlotName::TransferConf => "external_transferconf",
            SlotName::Park => "external_park",
            SlotName::Hangup => "external_hangup",
        }
    }

    /// The column's width in characters: `VARCHAR(120)`, `VARCHAR(40)`, `VARCHAR(1)`
    /// (`extras/MySQL_AST_CREATE_tables.sql`, `vicidial_live_agents`).
    pub fn width(self) -> usize {
        match self {
            SlotName::TransferConf => 120,
            SlotName::Park => 40,
            SlotName::Hangup => 1,
        }
    }

    /// What the column keeps of `value` (§15.4): MariaDB in non-strict mode cuts a longer
    /// value at the column's width, counted in characters.
    pub fn stored(self, value: &str) -> &str {
        truncate_chars(value, self.width())
    }
}

/// The first `width` characters of `s` (never half a character).
pub fn truncate_chars(s: &str, width: usize) -> &str {
    s.char_indices().nth(width).map_or(s, |(at, _)| &s[..at])
}

impl std::str::FromStr for SlotName {
    type Err = ParseTextError;

    /// The slot of a `vicidial_live_agents` column name ([`SlotName::column`]).
    fn from_str(column: &str) -> Result<Self, Self::Err> {
        [SlotName::TransferConf, SlotName::Park, SlotName::Hangup]
            .into_iter()
            .find(|s| s.column() == column)
            .ok_or_else(|| ParseTextError { what: "slot column", text: column.to_string() })
    }
}

/// Whether a request that blanks the slot is still on its way to the server (races R3, R6).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Clearing {
    /// No clear pending.
    #[default]
    Idle,
    /// A clear was sent for the value the screen saw; it has not landed yet.
    InFlight,
    /// As `InFlight`, and a newer command was written since: the clear will erase it (R3).
    InFlightOverNewer,
}

/// One slot: its value and whether a blind clear is on its way.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slot<T> {
    /// The stored command, if any.
    pub value: Option<T>,
    /// Clear in flight.
    pub clearing: Clearing,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot { value: None, clearing: Clearing::Idle }
    }
}

impl<T> Slot<T> {
    /// Overwrites the value (api.php's UPDATE); returns the value it replaced.
    pub(crate) fn write(&mut self, value: T) -> Option<T> {
        if self.clearing != Clearing::Idle {
            self.clearing = Clearing::InFlightOverNewer;
        }
        self.value.replace(value)
    }

    /// Marks a clear request as sent.
    pub(crate) fn send_clear(&mut self) {
        if self.clearing == Clearing::Idle {
            self.clearing = Clearing::InFlight;
        }
    }

    /// Lands a pending clear. Returns `Some(erased_newer)` when it removed a value:
    /// `true` if that value was written after the clear was sent (R3).
    pub(crate) fn land_clear(&mut self) -> Option<bool> {
        let clearing = std::mem::take(&mut self.clearing);
        let removed = clearing != Clearing::Idle && self.value.take().is_some();
        removed.then_some(clearing == Clearing::InFlightOverNewer)
    }
}

/// The three slots of one agent.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slots {
    /// `external_transferconf`.
    pub transferconf: Slot<TransferSlot>,
    /// `external_park`.
    pub park: Slot<ParkSlot>,
    /// `external_hangup`.
    pub hangup: Slot<HangupSlot>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_literal_shapes() {
        let a = TransferSlot::decode(
            "LOCAL_CLOSER---SALESLINE---6666---YES------ALIAS---3125550000---1700000000---CUSTOMER",
        )
        .unwrap();
        assert_eq!(a.function, SlotFunction::Known(TransferFunction::LocalCloser));
        assert_eq!((&*a.ingroup, &*a.number), ("SALESLINE", "6666"));
        assert_eq!((a.consultative, a.dial_override), (Checkbox::Set, Checkbox::Keep));
        assert_eq!((&*a.alias, &*a.alias_cid, &*a.cid_choice), ("ALIAS", "3125550000", "CUSTOMER"));
        assert_eq!(a.id, CommandId::epoch(1700000000));
        let b = TransferSlot::decode("BLIND_TRANSFER------5551234---NO---YES---------7---").unwrap();
        assert_eq!((&*b.ingroup, &*b.number, b.dial_override), ("", "5551234", Checkbox::Set));
        let c = TransferSlot::decode("HANGUP_XFER---------NO------------7").unwrap();
        assert_eq!(c, TransferSlot::bare(TransferFunction::HangupXfer, CommandId::epoch(7)));
    }

    #[test]
    fn a_dash_next_to_a_separator_shifts_later_fields() {
        // In-group "SALES-" ends with a dash: "SALES----" splits as "SALES", "-...".
        let s = TransferSlot::decode("LOCAL_CLOSER---SALES----6666---NO------------9---").unwrap();
        assert_eq!(&*s.ingroup, "SALES");
        assert_eq!(&*s.number, "-6666");
    }

    #[test]
    fn empty_function_means_no_command_and_missing_id_is_undefined() {
        assert_eq!(TransferSlot::decode(""), None);
        assert_eq!(TransferSlot::decode("---X"), None);
        assert_eq!(TransferSlot::decode("LOCAL_CLOSER---SALESLINE").unwrap().id, CommandId::Undefined);
        let odd = TransferSlot::decode("NOT_A_VALUE").unwrap();
        assert_eq!(odd.function, SlotFunction::Unknown("NOT_A_VALUE".into()));
    }

    #[test]
    fn park_values_match_exactly() {
        assert_eq!(ParkSlot::decode("PARK_XFER"), ParkSlot::Known(ParkValue::ParkXfer));
        assert_eq!(ParkSlot::decode("park_xfer"), ParkSlot::Other("park_xfer".into()));
        for v in ParkValue::ALL {
            assert_eq!(ParkValue::parse(v.as_str()), Some(v));
        }
        for f in TransferFunction::ALL {
            assert_eq!(TransferFunction::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn a_clear_landing_reports_whether_it_erased_a_newer_command() {
        let mut slot: Slot<u8> = Slot::default();
        assert_eq!(slot.land_clear(), None);
        slot.send_clear();
        assert_eq!(slot.land_clear(), None, "nothing to clear");
        assert_eq!(slot.clearing, Clearing::Idle);
        slot.write(1);
        slot.send_clear();
        assert_eq!(slot.land_clear(), Some(false));
        slot.write(2);
        slot.send_clear();
        slot.write(3);
        assert_eq!(slot.land_clear(), Some(true));
        assert_eq!(slot.value, None);
    }
}
