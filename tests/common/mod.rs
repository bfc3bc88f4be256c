//! Test harness: drives one session through inputs, keeping the last step's output.
#![allow(dead_code)]

pub mod api_world;

use vicixfer::*;

/// The API user 6666/1234 of the api.php fixtures: group ADMIN, API access, every function.
pub fn crm_user() -> api::User {
    api::User {
        user: "6666".into(),
        pass: "1234".into(),
        user_group: "ADMIN".into(),
        agent_api_access: true,
        api_allowed_functions: " ALL_FUNCTIONS ".into(),
        ..api::User::default()
    }
}

/// Path C literal: `<value>---------NO------------<id>`.
pub fn path_c(value: &str, id: u64) -> String {
    format!("{value}---------NO------------{id}")
}

/// Path B literal: `<value>------<phone>---NO---<override>---<alias>---<cidnum>---<id>---<cid>`.
pub fn path_b(value: &str, phone: &str, dial_override: &str, id: u64) -> String {
    format!("{value}------{phone}---NO---{dial_override}---------{id}---")
}

/// Path A literal: `<value>---<ingroup>---<phone>---<YES|NO>------<alias>---<cidnum>---<id>---<cid>`.
pub fn path_a(value: &str, ingroup: &str, phone: &str, consultative: &str, id: u64) -> String {
    format!("{value}---{ingroup}---{phone}---{consultative}------------{id}---")
}

pub struct H {
    pub s: Session,
    pub effects: Vec<Effect>,
    pub events: Vec<Event>,
    pub history: Vec<Event>,
    next_id: u64,
    /// Feed the 3WAY answer right after the tick that sent it (the usual timing); off for
    /// tests of the in-flight state (tests/screen_timing.rs).
    pub answer_leave: bool,
    /// Feed the answers of the 3-way Originate and of the channel look right after the
    /// tick that sent them; off for tests of those in-flight states.
    pub answer_requests: bool,
}

impl H {
    pub fn new(config: Config) -> H {
        H {
            s: Session::new(config),
            effects: vec![],
            events: vec![],
            history: vec![],
            next_id: 1_700_000_000,
            answer_leave: true,
            answer_requests: true,
        }
    }

    /// A session on a call with lead 1; its customer leg is `H::c()`.
    pub fn on_call(config: Config) -> H {
        let mut h = H::new(config);
        h.apply(NetEvent::CallArrives { lead: LeadId(1) });
        h
    }

    pub fn try_apply(&mut self, input: impl Into<Input>) -> Result<(), Rejection> {
        let before = self.s.clone();
        match step(&self.s, input.into()) {
            Ok(st) => {
                self.s = st.session;
                self.history.extend(st.events.iter().cloned());
                self.effects = st.effects.to_vec();
                self.events = st.events.to_vec();
                Ok(())
            }
            Err(r) => {
                assert_eq!(before, self.s);
                Err(r)
            }
        }
    }

    pub fn apply(&mut self, input: impl Into<Input>) -> &mut Self {
        let input = input.into();
        if let Err(r) = self.try_apply(input.clone()) {
            panic!("{input:?} rejected: {r}");
        }
        self
    }

    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Stage 1 only: api.php stores a transferconf command (encoded string).
    pub fn store(&mut self, raw: &str) -> &mut Self {
        let slot = TransferSlot::decode(raw).expect("non-empty command");
        self.apply(ApiWrite::TransferConference(slot))
    }

    /// Both stages: store, then one tick.
    pub fn send(&mut self, raw: &str) -> &mut Self {
        self.store(raw).tick()
    }

    /// A path-C value with a fresh id, delivered.
    pub fn cmd(&mut self, value: &str) -> &mut Self {
        let id = self.fresh_id();
        self.send(&path_c(value, id))
    }

    /// A path-B value (number) with a fresh id, delivered.
    pub fn cmd_b(&mut self, value: &str, phone: &str, dial_override: &str) -> &mut Self {
        let id = self.fresh_id();
        self.send(&path_b(value, phone, dial_override, id))
    }

    /// A path-A value (in-group) with a fresh id, delivered.
    pub fn cmd_a(&mut self, value: &str, ingroup: &str, phone: &str, consultative: &str) -> &mut Self {
        let id = self.fresh_id();
        self.send(&path_a(value, ingroup, phone, consultative, id))
    }

    pub fn park(&mut self, value: &str) -> &mut Self {
        self.apply(ApiWrite::ParkCall(ParkSlot::decode(value))).tick()
    }

    /// One tick; with `answer_leave`, a 3WAY request it sent is answered at once, and with
    /// `answer_requests` so are its 3-way Originate and its channel look (the usual timing:
    /// each answer well within the tick). The answers' effects and events are added to the
    /// tick's.
    pub fn tick(&mut self) -> &mut Self {
        self.apply(ScreenInput::Tick);
        let answers = [
            (self.answer_leave && self.s.screen.leave.is_some(), ScreenInput::LeaveCompleted),
            (self.answer_requests && self.s.screen.originate.is_some(), ScreenInput::OriginateCompleted),
            (self.answer_requests && self.s.screen.look.is_some(), ScreenInput::LookCompleted),
        ];
        for (due, answer) in answers {
            if due {
                let (effects, events) = (self.effects.clone(), self.events.clone());
                self.apply(answer);
                self.effects = [effects, std::mem::take(&mut self.effects)].concat();
                self.events = [events, std::mem::take(&mut self.events)].concat();
            }
        }
        self
    }

    pub fn ticks(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.tick();
        }
        self
    }

    /// The first call's customer leg id.
    pub fn c(&self) -> LegId {
        LegId(1)
    }

    pub fn cust_at(&self, leg: LegId) -> Option<CustomerAt> {
        self.s.legs.customer(leg).map(|c| c.at)
    }

    pub fn xfer_at(&self, leg: LegId) -> Option<XferAt> {
        self.s.legs.xfer(leg).map(|x| x.at)
    }

    /// The newest third-party leg.
    pub fn newest_xfer(&self) -> LegId {
        self.s.legs.xfers.last().expect("a third party").id
    }

    /// Dials a third party (non-consultative) and lets it answer, then waits out the
    /// cooldown. Returns its leg.
    pub fn connect_xfer(&mut self, phone: &str) -> LegId {
        self.cmd_b("DIAL_WITH_CUSTOMER", phone, "");
        let x = self.newest_xfer();
        self.apply(NetEvent::Answered(x)).ticks(3);
        x
    }

    /// How a leg ended, from all events so far.
    pub fn ended(&self, leg: LegId) -> Option<Outcome> {
        self.history.iter().find_map(|e| match e {
            Event::LegEnded { leg: l, outcome } if *l == leg => Some(outcome.clone()),
            _ => None,
        })
    }

    pub fn saw(&self, event: &Event) -> bool {
        self.events.contains(event)
    }

    pub fn executed(&self, f: TransferFunction) -> bool {
        self.saw(&Event::Executed(Executed::Transfer(f)))
    }

    pub fn is_dispo(&self) -> bool {
        matches!(self.s.agent, AgentState::Dispo { .. })
    }

    pub fn is_in_call(&self) -> bool {
        matches!(self.s.agent, AgentState::InCall { .. })
    }

    pub fn room(&self) -> RoomId {
        self.s.room
    }
}
