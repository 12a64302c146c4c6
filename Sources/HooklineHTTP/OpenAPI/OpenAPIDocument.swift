/// The hand-written OpenAPI 3.1 document of Hookline's API, served at `GET /api/v1/openapi.json`.
///
/// It is the file `openapi.json` next to this one, embedded in the executable at build time (a SwiftPM
/// `embedInCode` resource) and served byte for byte. `OpenAPITests` checks that its operations are exactly
/// the routes the router registers under `/api/` and that `info.version` is `HooklineVersion.current`;
/// `tests-python/test_openapi.py` validates it with `openapi-spec-validator`.
enum OpenAPIDocument {
    /// The document's bytes (UTF-8 JSON).
    static let bytes: [UInt8] = PackageResources.openapi_json
}
