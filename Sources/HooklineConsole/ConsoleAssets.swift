/// The operator console's and tenant portal's static files, embedded in the executable at build time
/// (SwiftPM `embedInCode` resources: no bundle next to the binary, no CDN, no Node toolchain).
package enum ConsoleAssets {
    /// One embedded file: its bytes and its media type.
    package struct File: Sendable {
        /// The file's bytes.
        package let bytes: [UInt8]
        /// The `Content-Type` to serve it with.
        package let contentType: String
    }

    /// The console page (served at `/`).
    package static let consolePage = File(bytes: PackageResources.console_html, contentType: "text/html; charset=utf-8")
    /// The portal page (served at `/portal`).
    package static let portalPage = File(bytes: PackageResources.portal_html, contentType: "text/html; charset=utf-8")

    /// The files served under `/assets/`, by name.
    package static let files: [String: File] = [
        "hookline.css": File(bytes: PackageResources.hookline_css, contentType: "text/css; charset=utf-8"),
        "ui.js": File(bytes: PackageResources.ui_js, contentType: "text/javascript; charset=utf-8"),
        "charts.js": File(bytes: PackageResources.charts_js, contentType: "text/javascript; charset=utf-8"),
        "console.js": File(bytes: PackageResources.console_js, contentType: "text/javascript; charset=utf-8"),
        "console-views.js": File(bytes: PackageResources.console_views_js, contentType: "text/javascript; charset=utf-8"),
        "portal.js": File(bytes: PackageResources.portal_js, contentType: "text/javascript; charset=utf-8"),
        "shared-views.js": File(bytes: PackageResources.shared_views_js, contentType: "text/javascript; charset=utf-8"),
        "logo.svg": File(bytes: PackageResources.logo_svg, contentType: "image/svg+xml"),
    ]
}
