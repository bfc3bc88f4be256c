//! API layer throughput: api.php answers per second for typical requests (a success
//! with a stored command, an early error, a press-1 multi-dial), and query parsing alone.
//!
//! `cargo bench --bench api`; docs/performance.md records the figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vicixfer::api::{answer, Directory, Params, Request};

const WORLD: &str = include_str!("../examples/world.json");

fn bench_api(c: &mut Criterion) {
    let dir: Directory = serde_json::from_str(WORLD).expect("examples/world.json");
    let queries = [
        ("dial_success", "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234"),
        ("local_closer_defaultingroup", "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP"),
        ("bad_login", "source=crm&user=6666&pass=wrong&agent_user=1001&function=transfer_conference&value=HANGUP_XFER"),
        ("multi_dial", "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=4990713125551234&dial_override=YES&multi_dial_phones=3125550001,3125550002,3125550003&md_check=YES&tw_check=YES"),
        ("park_call", "source=crm&user=6666&pass=1234&agent_user=1001&function=park_call&value=PARK_CUSTOMER"),
    ];
    let mut g = c.benchmark_group("api");
    g.throughput(Throughput::Elements(1));
    for (name, q) in queries {
        g.bench_function(name, |b| b.iter(|| answer(black_box(&dir), black_box(q), 1_764_000_000)));
    }
    let q = queries[0].1;
    g.bench_function("parse_query_only", |b| b.iter(|| Params::from_query(black_box(q), Default::default())));
    g.bench_function("typed_request_round_trip", |b| {
        b.iter(|| Request::from_query(black_box(q)).map(|p| p.request.to_query()))
    });
    g.finish();
}

criterion_group!(benches, bench_api);
criterion_main!(benches);
