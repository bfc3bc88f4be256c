//! The SVG picture of a [`Timeline`]: one lane per agent screen and per leg, places as
//! coloured bars along virtual time, commands and outcomes as marks with their words
//! above or below and everything else in a tooltip (`<title>`), and a legend.
//!
//! Self-contained (one `<style>`, no script, no external font or image) and deterministic:
//! the same timeline gives the same bytes. Every text is XML-escaped by [`esc`]; the texts
//! themselves come redacted from the recording (no password reaches a timeline).

use super::{MarkKind, Place, Timeline};
use std::fmt::Write;

/// Left edge of the plot (the lane names are drawn left of it).
const PLOT_X: f64 = 250.0;
/// Width of the plot: the whole run.
const PLOT_W: f64 = 900.0;
const WIDTH: f64 = PLOT_X + PLOT_W + 30.0;
/// Top of the first lane.
const TOP: f64 = 76.0;
/// Approximate width of one character of a 10 px label (for label placement only).
const CHAR_W: f64 = 5.6;
/// Longest lane description drawn (the whole one is in the lane's tooltip).
const ROLE_CHARS: usize = 40;
/// Longest mark label drawn (the whole text is in the mark's tooltip).
const LABEL_CHARS: usize = 30;

const STYLE: &str = "
text { font-family: sans-serif; fill: #212121; }
.title { font-size: 16px; font-weight: bold; }
.subtitle, .axis { font-size: 11px; fill: #555555; }
.lane-name { font-size: 12px; font-weight: bold; }
.lane-role { font-size: 10px; fill: #555555; }
.label { font-size: 10px; }
.grid { stroke: #e0e0e0; stroke-width: 1; }
.sep { stroke: #9e9e9e; stroke-width: 1; }
.band { fill: #fafafa; }
.waiting { fill: #e0e0e0; }
.incall { fill: #90caf9; }
.dispo { fill: #ffe082; }
.ringing { fill: #ffcc80; }
.conference { fill: #a5d6a7; }
.left { fill: #80cbc4; }
.parked { fill: #ce93d8; }
.parkivr { fill: #b39ddb; }
.request circle { fill: #2e7d32; stroke: #ffffff; }
.failed circle { fill: #c62828; }
.stored rect { fill: #1565c0; stroke: #ffffff; }
.executed path { fill: #6a1b9a; stroke: #ffffff; }
.dropped path, .rejected path { fill: none; stroke: #ef6c00; stroke-width: 2.5; }
.rejected path { stroke: #b71c1c; }
.action path { fill: #37474f; stroke: #ffffff; }
.alert path { fill: #d84315; stroke: #ffffff; }
.ended rect { fill: #000000; }
";

/// `text` as XML character data or an attribute value: `& < > " '` escaped, and the
/// characters XML 1.0 forbids even escaped (controls but tab, newline and return; U+FFFE,
/// U+FFFF) replaced by U+FFFD.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// At most `n` characters of `text`, with `…` when cut.
fn cut(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Seconds for people: `15 s`, `15.061 s`.
fn secs(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{:03} s", ms / 1000, ms % 1000)
    }
}

/// The mark's shape, centred on the origin.
fn shape(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Request | MarkKind::RequestFailed => r#"<circle r="6"/>"#,
        MarkKind::Stored => r#"<rect x="-3" y="-3" width="6" height="6"/>"#,
        MarkKind::Executed => r#"<path d="M0,-6 L6,5 L-6,5 Z"/>"#,
        MarkKind::Dropped | MarkKind::Rejected => r#"<path d="M-4,-4 L4,4 M-4,4 L4,-4"/>"#,
        MarkKind::Action => r#"<path d="M0,-6 L6,0 L0,6 L-6,0 Z"/>"#,
        MarkKind::Alert => r#"<path d="M-6,-5 L6,-5 L0,6 Z"/>"#,
        MarkKind::Ended => r#"<rect x="-1.5" y="-9" width="3" height="18"/>"#,
    }
}

/// The label rows of one lane: each label goes in the first row where it does not touch
/// the one before; rows alternate above and below the bar. Beyond [`MAX_ROWS`] a label is
/// left to its mark's tooltip.
#[derive(Default)]
struct Rows {
    right: Vec<f64>,
}

/// Label rows of one lane at most (a lane of a long run would grow without end).
const MAX_ROWS: usize = 8;
/// Height of one label row.
const ROW_H: f64 = 13.0;
/// Height of a lane's bar.
const BAR_H: f64 = 12.0;

impl Rows {
    /// The row a label `[left, right]` goes in.
    fn place(&mut self, left: f64, right: f64) -> Option<usize> {
        let row = match self.right.iter().position(|&r| left >= r + 4.0) {
            Some(row) => row,
            None if self.right.len() < MAX_ROWS => {
                self.right.push(f64::MIN);
                self.right.len() - 1
            }
            None => return None,
        };
        self.right[row] = right;
        Some(row)
    }

    /// Rows above the bar (the even ones) and below it (the odd ones).
    fn above_below(&self) -> (usize, usize) {
        let n = self.right.len();
        (n.div_ceil(2), n / 2)
    }
}

/// Where one lane is drawn, and where each of its labels goes.
struct Layout {
    top: f64,
    height: f64,
    /// The top of the bar.
    bar: f64,
    /// Per mark of the lane (in order): the label's centre and baseline.
    labels: Vec<Option<(f64, f64)>>,
}

/// A tick step of 1, 2 or 5 times a power of ten (ms) that gives at most 12 ticks.
fn tick_step(end: u64) -> u64 {
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            let step = base * m;
            if end / step <= 12 {
                return step;
            }
        }
        base = base.saturating_mul(10);
    }
}

impl Timeline {
    /// The whole run as a self-contained SVG headed by `title` (e.g. the scenario's name
    /// and seed): one lane per agent screen and per leg of its session, in the model's
    /// words, places as colours, commands and outcomes marked, and a legend.
    pub fn svg(&self, title: &str) -> String {
        let order = self.drawn_lanes();
        let end = self.end.max(1);
        let x = |t: u64| PLOT_X + (t.min(end) as f64) * PLOT_W / end as f64;
        let mut layouts = Vec::with_capacity(order.len());
        let mut top = TOP;
        for &lane in &order {
            let layout = self.layout(lane, top, &x);
            top += layout.height;
            layouts.push(layout);
        }
        let lanes_bottom = top;
        let legend_top = lanes_bottom + 24.0;
        let height = legend_top + 26.0 * 5.0 + 24.0;
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">"#
        );
        let _ = writeln!(out, "<title>{}</title>", esc(title));
        let _ = writeln!(
            out,
            "<desc>vicixfer timeline: {} lanes, {} marks, virtual time 0 to {} ms</desc>",
            order.len(),
            self.marks.len(),
            self.end
        );
        let _ = writeln!(out, "<style>{STYLE}</style>");
        let _ = writeln!(out, r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##);
        let _ = writeln!(out, r#"<text class="title" x="10" y="24">{}</text>"#, esc(&cut(title, 130)));
        let mut subtitle = format!("virtual time 0 to {}; one lane per agent screen and per leg", secs(self.end));
        if let Some(t) = self.truncated {
            let _ = write!(
                subtitle,
                "; the recording stopped at {} (more than {} lanes or {} marks)",
                secs(t),
                super::MAX_LANES,
                super::MAX_MARKS
            );
        }
        let _ = writeln!(out, r#"<text class="subtitle" x="10" y="44">{}</text>"#, esc(&subtitle));
        // The time axis and its grid.
        let step = tick_step(end);
        let mut t = 0;
        out.push_str("<g class=\"axis\">\n");
        while t <= end {
            let _ = writeln!(
                out,
                r#"<line class="grid" x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{2}"/><text class="axis" x="{0:.1}" y="{3}" text-anchor="middle">{4}</text>"#,
                x(t),
                TOP - 6.0,
                lanes_bottom,
                TOP - 10.0,
                secs(t)
            );
            t += step;
        }
        out.push_str("</g>\n");
        let mut previous_agent: Option<&str> = None;
        for (row, (&lane, layout)) in order.iter().zip(&layouts).enumerate() {
            let l = &self.lanes[lane];
            if previous_agent.is_some_and(|a| a != l.agent) {
                let y = layout.top;
                let _ = writeln!(out, r#"<line class="sep" x1="0" y1="{y:.1}" x2="{WIDTH}" y2="{y:.1}"/>"#);
            }
            previous_agent = Some(&l.agent);
            self.lane(&mut out, lane, row, layout, &x);
        }
        legend(&mut out, legend_top);
        out.push_str("</svg>\n");
        out
    }

    /// Where lane `lane` goes from `top` down: one row per label that would touch another.
    fn layout(&self, lane: usize, top: f64, x: &impl Fn(u64) -> f64) -> Layout {
        let mut rows = Rows::default();
        let placed: Vec<Option<(f64, usize)>> = self
            .marks
            .iter()
            .filter(|m| m.lane == lane)
            .map(|m| {
                let label = cut(m.label.as_deref()?, LABEL_CHARS);
                let half = label.chars().count() as f64 * CHAR_W / 2.0;
                let centre = x(m.t).clamp(PLOT_X + half, WIDTH - 5.0 - half);
                rows.place(centre - half, centre + half).map(|row| (centre, row))
            })
            .collect();
        let (above, below) = rows.above_below();
        let bar = top + 6.0 + ROW_H * above.max(1) as f64;
        let height = (bar - top + BAR_H + 6.0 + ROW_H * below.max(1) as f64).max(46.0);
        let labels = placed
            .into_iter()
            .map(|p| {
                p.map(|(centre, row)| {
                    let k = (row / 2) as f64;
                    let baseline = if row % 2 == 0 { bar - 3.0 - ROW_H * k } else { bar + BAR_H + 11.0 + ROW_H * k };
                    (centre, baseline)
                })
            })
            .collect();
        Layout { top, height, bar, labels }
    }

    /// One lane: its name, its places, its marks.
    fn lane(&self, out: &mut String, lane: usize, row: usize, layout: &Layout, x: &impl Fn(u64) -> f64) {
        let l = &self.lanes[lane];
        let (y, bar) = (layout.top, layout.bar);
        let (name, leg) = match l.leg {
            None => (format!("agent {}", l.agent), String::new()),
            Some(id) => (format!("{} · {id}", l.agent), format!(r#" data-leg="{}""#, id.0)),
        };
        let _ = writeln!(out, r#"<g class="lane" data-agent="{}"{leg}>"#, esc(&l.agent));
        if row % 2 == 1 {
            let _ =
                writeln!(out, r#"<rect class="band" x="0" y="{y:.1}" width="{WIDTH}" height="{:.1}"/>"#, layout.height);
        }
        let _ = writeln!(
            out,
            r#"<text class="lane-name" x="10" y="{:.1}"><title>{}: {}</title>{}</text><text class="lane-role" x="10" y="{:.1}">{}</text>"#,
            bar + 2.0,
            esc(&name),
            esc(&l.role),
            esc(&name),
            bar + 16.0,
            esc(&cut(&l.role, ROLE_CHARS))
        );
        let stop = l.closed.unwrap_or(self.end);
        for (i, &(from, place)) in l.spans.iter().enumerate() {
            let to = l.spans.get(i + 1).map_or(stop, |next| next.0).min(stop);
            if to <= from {
                continue;
            }
            let (class, words) = place.name();
            let (x0, x1) = (x(from), x(to));
            let _ = writeln!(
                out,
                r#"<rect class="span {class}" x="{x0:.1}" y="{bar:.1}" width="{:.1}" height="{BAR_H}"><title>{}: {words} from {} to {}</title></rect>"#,
                (x1 - x0).max(1.0),
                esc(&name),
                secs(from),
                secs(to)
            );
        }
        let marks = self.marks.iter().filter(|m| m.lane == lane);
        for (m, label_at) in marks.zip(&layout.labels) {
            let (class, words) = m.kind.name();
            let _ = writeln!(
                out,
                r#"<g class="mark {class}" transform="translate({:.1},{:.1})"><title>{} at {}: {}</title>{}</g>"#,
                x(m.t),
                bar + BAR_H / 2.0,
                esc(words),
                secs(m.t),
                esc(&m.detail),
                shape(m.kind)
            );
            if let (Some(label), Some((centre, baseline))) = (&m.label, label_at) {
                let _ = writeln!(
                    out,
                    r#"<text class="label" x="{centre:.1}" y="{baseline:.1}" text-anchor="middle">{}</text>"#,
                    esc(&cut(label, LABEL_CHARS))
                );
            }
        }
        out.push_str("</g>\n");
    }
}

/// The legend: every place's colour and every mark's shape, with their words.
fn legend(out: &mut String, top: f64) {
    out.push_str("<g class=\"legend\">\n");
    let _ = writeln!(out, r#"<text class="lane-name" x="10" y="{:.1}">Legend</text>"#, top + 12.0);
    let item = |out: &mut String, row: f64, col: usize, swatch: String, words: &str| {
        let (ix, iy) = (10.0 + 290.0 * col as f64, top + 16.0 + 26.0 * row);
        let _ = writeln!(
            out,
            r#"<g transform="translate({ix:.1},{iy:.1})">{swatch}<text class="label" x="18" y="16">{}</text></g>"#,
            esc(words)
        );
    };
    for (i, place) in Place::ALL.iter().enumerate() {
        let (class, words) = place.name();
        let swatch = format!(r#"<rect class="{class}" x="0" y="6" width="14" height="12"/>"#);
        item(out, (i / 4) as f64, i % 4, swatch, words);
    }
    for (i, kind) in MarkKind::ALL.iter().enumerate() {
        let (class, words) = kind.name();
        let swatch = format!(r#"<g class="key {class}" transform="translate(7,12)">{}</g>"#, shape(*kind));
        item(out, 2.0 + (i / 4) as f64, i % 4, swatch, words);
    }
    out.push_str("</g>\n");
}
