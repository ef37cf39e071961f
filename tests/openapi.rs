//! The committed OpenAPI document is the contract: this fails, with a diff, when the code and
//! `openapi/openapi.json` disagree. `UPDATE_OPENAPI=1 cargo test --test openapi` rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
fn committed_openapi_document_is_current() {
    let generated = format!(
        "{}\n",
        crm_api::openapi_document().to_pretty_json().unwrap()
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let diff: Vec<String> = committed
            .lines()
            .zip(generated.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(20)
            .map(|(i, (a, b))| format!("line {}:\n- {a}\n+ {b}", i + 1))
            .collect();
        panic!(
            "openapi/openapi.json is stale ({} vs {} lines); run `UPDATE_OPENAPI=1 cargo test --test openapi`.\n{}",
            committed.lines().count(),
            generated.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn every_operation_documents_its_responses_and_a_summary() {
    let document = serde_json::to_value(crm_api::openapi_document()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].is_string(),
                "{method} {path} has no summary"
            );
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(
                    response["description"].is_string() || response["$ref"].is_string(),
                    "{method} {path} {status} has no description"
                );
            }
            if operation.get("requestBody").is_some() {
                let content = &operation["requestBody"]["content"]["application/json"];
                let schema = &content["schema"];
                let has_example = content.get("example").is_some()
                    || schema.get("$ref").is_some_and(|r| {
                        let name = r.as_str().unwrap().rsplit('/').next().unwrap();
                        document["components"]["schemas"][name]
                            .get("example")
                            .is_some()
                    });
                assert!(has_example, "{method} {path} request body has no example");
            }
        }
    }
}
