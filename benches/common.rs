//! Sessions and input cycles shared by the benchmarks.
#![allow(dead_code)]

use vicixfer::*;

/// A session on a call with a connected third party: the state most commands see.
pub fn busy_session() -> Session {
    let mut s = Session::default();
    let slot = TransferSlot::decode("DIAL_WITH_CUSTOMER------5551234---NO------------1---").expect("command");
    for input in [
        Input::Net(NetEvent::CallArrives { lead: LeadId(1) }),
        Input::Api(ApiWrite::TransferConference(slot)),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::OriginateCompleted),
        Input::Net(NetEvent::Answered(LegId(2))),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::LookCompleted),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::Tick),
    ] {
        s.handle(input).expect("fixture input accepted");
    }
    s
}

/// One whole call: arrive, dial a third party (the Originate answered), answer (a channel
/// look finds it), leave the 3-way (the 3WAY request answered), clean up, disposition. Returns to a waiting agent, so it can repeat forever.
pub fn call_cycle(id: u64, next_leg: u64) -> Vec<Input> {
    let dial = format!("DIAL_WITH_CUSTOMER------5551234---NO------------{id}---");
    let leave = format!("LEAVE_3WAY_CALL---------NO------------{}", id + 1);
    let (c, x) = (LegId(next_leg), LegId(next_leg + 1));
    vec![
        Input::Net(NetEvent::CallArrives { lead: LeadId(1) }),
        Input::Api(ApiWrite::TransferConference(TransferSlot::decode(&dial).expect("dial"))),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::OriginateCompleted),
        Input::Net(NetEvent::Answered(x)),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::LookCompleted),
        Input::Api(ApiWrite::TransferConference(TransferSlot::decode(&leave).expect("leave"))),
        Input::Screen(ScreenInput::Tick),
        Input::Screen(ScreenInput::LeaveCompleted),
        Input::Net(NetEvent::HungUp(c)),
        Input::Net(NetEvent::HungUp(x)),
        Input::Net(NetEvent::ConferenceCleanup),
        Input::Agent(AgentAction::SubmitDisposition),
        Input::Screen(ScreenInput::Tick),
    ]
}
