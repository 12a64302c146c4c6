import HooklineCore

/// The hand-written OpenAPI 3.1 document of Hookline's API, served at `GET /api/v1/openapi.json`.
///
/// It is kept as JSON text in three parts (the opening members, `paths`, `components`); `OpenAPITests`
/// checks that it parses and that its operations are exactly the routes the router registers under `/api/`.
enum OpenAPIDocument {
    /// The whole document as JSON text.
    static let json: String =
        head.replacingOccurrences(of: "\"VERSION\"", with: "\"\(HooklineVersion.current)\"")
        + ",\n  \"paths\": " + allPaths + ",\n  \"components\": " + allComponents + "\n}\n"

    /// `openapi`, `info` and the default security requirement, without the closing brace.
    static let head = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hookline API",
    "version": "VERSION",
    "description": "Hookline's REST API: compatible with the Svix API v1. Every route but health and this document requires Authorization: Bearer <admin key>. Operations and fields that Svix's API v1 does not have (inbound sources, event streams, status, readiness, payload filters, ordering, priorities, circuit state) carry x-hookline-extension: true."
  },
  "security": [
    {
      "bearer": []
    }
  ]
"""#

    /// `components` with the parity schemas added to `schemas`.
    static var allComponents: String {
        components.replacingOccurrences(of: "\n  \"schemas\": {\n", with: "\n  \"schemas\": {\n" + paritySchemas + ",\n")
    }
}
