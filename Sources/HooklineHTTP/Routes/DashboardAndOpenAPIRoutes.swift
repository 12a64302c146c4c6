import HTTPTypes
import HooklineConsole
import Hummingbird
import NIOCore

/// `GET /` (the operator console), `GET /portal` (the tenant portal) and `GET /assets/{name}`: embedded files,
/// served without credentials; every call the pages make to the API carries the admin key or a portal token.
struct DashboardRoutes {
    /// Where and by whom the portal may be embedded.
    var portal = HooklineServer.Configuration.Portal()

    /// The paths served without the admin key.
    static let paths: Set<String> = Set(["/", "/portal"] + ConsoleAssets.files.keys.map { "/assets/" + $0 })

    /// Adds the pages and assets to `router`.
    func register(on router: Router<BasicRequestContext>) {
        let console = Self.policy(frameAncestors: ["'none'"], images: "'self' data:")
        let portalPolicy = Self.policy(frameAncestors: portal.frameAncestors, images: "'self' data: https:")
        router.get("/") { _, _ in Self.response(ConsoleAssets.consolePage, csp: console) }
        router.get("portal") { _, _ in Self.response(ConsoleAssets.portalPage, csp: portalPolicy) }
        router.get("assets/{name}") { _, context in
            guard let file = ConsoleAssets.files[try context.parameters.require("name")] else { throw HTTPError(.notFound) }
            return Self.response(file, csp: nil)
        }
    }

    /// The Content-Security-Policy of a page: own scripts and API only, embedding as configured.
    static func policy(frameAncestors: [String], images: String) -> String {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src \(images); connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors \(frameAncestors.joined(separator: " "))"
    }

    /// An embedded file as a response, with the page's security headers when `csp` is given.
    static func response(_ file: ConsoleAssets.File, csp: String?) -> Response {
        var headers: HTTPFields = [.contentType: file.contentType, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"]
        if let csp {
            headers[.contentSecurityPolicy] = csp
            headers[.referrerPolicy] = "no-referrer"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}

extension HTTPField.Name {
    /// `Content-Security-Policy`.
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    /// `Referrer-Policy`.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `X-Content-Type-Options`.
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}

/// `GET /api/v1/openapi.json`: the API description; no authentication.
struct OpenAPIRoutes {
    /// Adds the route to `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }
}

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
