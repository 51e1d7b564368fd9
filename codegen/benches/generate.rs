//! End-to-end generation throughput (parse, validate, emit, format) on
//! synthetic schemas of 100, 1,000 and 5,000 methods held in memory, next to
//! the real shared types. Run with `cargo bench -p bitrix24-codegen`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use bitrix24_codegen::Source;

// The same allocator as `cargo xtask codegen`, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A method shaped like the real ones: three parameters (one one-or-many),
/// a result type of its own, shared and own errors, and an example.
fn method_source(index: usize) -> Source {
    let name = format!("bench.item{index}.update");
    let text = format!(
        r#"{{
  "$schema": "../format.schema.json",
  "format_version": 2,
  "method": {{
    "name": "{name}",
    "scopes": ["bench"],
    "summary": "Updates items of set {index}.",
    "access": "Administrators.",
    "docs_url": "https://apidocs.bitrix24.com/bench/{index}",
    "retry_safe": true,
    "params": [
      {{ "name": "GROUP_ID", "type": {{ "ref": "GroupId" }}, "required": true, "description": "The group." }},
      {{ "name": "USER_ID", "type": {{ "one_or_many": {{ "ref": "UserId" }} }}, "required": true, "description": "The users." }},
      {{ "name": "MESSAGE", "type": "string", "required": false, "description": "A note." }}
    ],
    "result": {{ "type": {{ "array": {{ "ref": "BenchItem{index}" }} }}, "description": "The items." }},
    "errors": [
      {{ "ref": "wrong_group_id" }},
      {{ "code": "", "description": "Item {index} is locked", "doc": "Someone else is editing it." }}
    ],
    "examples": [
      {{ "description": "One item.", "params": {{ "GROUP_ID": 1, "USER_ID": 2 }}, "status": 200,
        "body": {{ "result": [{{ "ID": "1", "ACTIVE": "Y", "NAME": "x" }}], "time": {{ "start": 1, "finish": 2, "duration": 1, "processing": 0, "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00" }} }} }}
    ]
  }},
  "types": {{
    "BenchItem{index}": {{
      "kind": "object",
      "description": "An item.",
      "fields": [
        {{ "name": "ID", "type": {{ "ref": "UserId" }}, "description": "The item." }},
        {{ "name": "ACTIVE", "type": "yes_no", "description": "Whether it is active." }},
        {{ "name": "NAME", "type": "string", "nullable": true, "description": "Its name." }}
      ]
    }}
  }}
}}"#
    );
    Source {
        path: format!("schema/methods/{name}.json"),
        text,
    }
}

fn shared_sources() -> Vec<Source> {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/shared");
    ["errors.json", "types.json"]
        .into_iter()
        .map(|file| Source {
            path: format!("schema/shared/{file}"),
            text: std::fs::read_to_string(format!("{shared}/{file}"))
                .expect("the shared schema files exist"),
        })
        .collect()
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for count in [100, 1_000, 5_000] {
        let mut sources = shared_sources();
        sources.extend((0..count).map(method_source));
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &sources,
            |b, sources| {
                b.iter(|| {
                    bitrix24_codegen::generate(sources).expect("the synthetic schema is valid")
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
