import ArgumentParser
import Foundation
import HooklineHTTP

/// The flags of `hookline serve`; each falls back to `HOOKLINE_<NAME>` and then to its default.
struct ServeOptions: ParsableArguments {
    @Option(
        help: "A YAML file of settings, keyed like the variables without HOOKLINE_ (port: 8400); variables and flags override it (HOOKLINE_CONFIG).")
    var config: String?

    @Option(help: "Address to listen on (HOOKLINE_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (HOOKLINE_PORT, default 8400).")
    var port: Int?

    @Option(help: "Folder for the SQLite database and the admin key (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    @Option(help: "Admin API key; generated and stored in the data folder when absent (HOOKLINE_API_KEY).")
    var apiKey: String?

    @Option(help: "Delays between attempts, e.g. 5s,5m,30m,2h,5h,10h,10h (HOOKLINE_RETRY_SCHEDULE).")
    var retrySchedule: String?

    @Option(help: "Least wait after a 429 or a timeout, e.g. 60s (HOOKLINE_OVERLOAD_DELAY, default 60s).")
    var overloadDelay: String?

    @Option(help: "Deliveries in flight to one endpoint at once (HOOKLINE_MAX_IN_FLIGHT_PER_ENDPOINT, default 32).")
    var maxInFlightPerEndpoint: Int?

    @Option(help: "How long an endpoint's circuit stays open before a probe, e.g. 30s (HOOKLINE_CIRCUIT_OPEN_DURATION, default 30s).")
    var circuitOpenDuration: String?

    @Option(
        help: "A CIDR range endpoints may reach even though it is private, e.g. 127.0.0.0/8; repeatable (HOOKLINE_ALLOW_NETWORK, comma-separated).")
    var allowNetwork: [String] = []

    @OptionGroup(title: "Tenant portal") var portal: PortalOptions

    @Option(help: "trace, debug, info, notice, warning, error or critical (HOOKLINE_LOG_LEVEL, default info).")
    var logLevel: String?

    @Option(help: "text, or json for one JSON object per line with time, level, message and metadata (HOOKLINE_LOG_FORMAT, default text).")
    var logFormat: String?

    @Option(help: "Largest accepted request body in bytes (HOOKLINE_MAX_BODY_BYTES, default 1048576).")
    var maxBodyBytes: Int?

    @Option(help: "Deliveries in flight at once (HOOKLINE_CONCURRENCY, default 128).")
    var concurrency: Int?

    @Option(help: "Deadline for one delivery request, e.g. 15s (HOOKLINE_REQUEST_TIMEOUT, default 15s).")
    var requestTimeout: String?

    @Option(help: "How long payloads of finished messages and attempt bodies are kept, e.g. 30d (HOOKLINE_RETENTION, default 30d).")
    var retention: String?

    @Option(
        help:
            "How long finished messages are kept at all, with their deliveries and attempts, e.g. 90d; 0 keeps them forever (HOOKLINE_HISTORY_RETENTION, default 90d)."
    )
    var historyRetention: String?

    @Option(help: "Bearer token required by GET /metrics; open when unset (HOOKLINE_METRICS_TOKEN).")
    var metricsToken: String?

    @Option(
        help:
            "How long a rotated-out endpoint secret keeps signing unless the rotate call says, e.g. 24h (HOOKLINE_SECRET_GRACE_PERIOD, default 24h).")
    var secretGracePeriod: String?

    @Option(help: "Largest body an inbound source accepts unless it sets maxBodyBytes (HOOKLINE_INBOUND_MAX_BODY_BYTES, default 1048576).")
    var inboundMaxBodyBytes: Int?

    @Option(
        help:
            "How long a provider event id makes repeats duplicates unless the source sets a window, e.g. 24h (HOOKLINE_INBOUND_DEDUP_WINDOW, default 24h)."
    )
    var inboundDedupWindow: String?

    @Option(help: "Comment line sent on an idle event stream, e.g. 15s (HOOKLINE_STREAM_HEARTBEAT, default 15s).")
    var streamHeartbeat: String?

    @Option(help: "Events a stream client may lag behind before it is cut off and told to resume (HOOKLINE_STREAM_BUFFER, default 1024).")
    var streamBuffer: Int?

    @Option(help: "How long the event log behind the stream is kept for resuming, e.g. 24h (HOOKLINE_EVENT_RETENTION, default 24h).")
    var eventRetention: String?

    @Option(
        help:
            "PostgreSQL URL, e.g. postgres://user:pass@host:5432/hookline, for many nodes on one database; SQLite in the data folder when unset (HOOKLINE_DATABASE)."
    )
    var database: String?

    @Option(
        help:
            "Disable an endpoint once a delivery to it exhausts its retries after it failed without a success for this long, e.g. 5d; 0 never (HOOKLINE_AUTO_DISABLE_AFTER, default 5d)."
    )
    var autoDisableAfter: String?

    @Option(
        help:
            "URL that receives operational webhooks: message.attempt.exhausted|failing|recovered, endpoint.disabled|enabled (HOOKLINE_OPERATIONAL_WEBHOOK_URL; none when unset)."
    )
    var operationalWebhookUrl: String?

    @Option(
        help:
            "whsec_ secret that signs operational webhooks; generated and stored in the data folder when absent (HOOKLINE_OPERATIONAL_WEBHOOK_SECRET)."
    )
    var operationalWebhookSecret: String?

    @Option(
        help:
            "How long a claimed delivery stays leased before another node may take it, e.g. 60s (HOOKLINE_LEASE_DURATION, default request timeout + 45s)."
    )
    var leaseDuration: String?

    @Option(help: "Readiness turns red when a delivery has been due this long with no attempt started, e.g. 60s (HOOKLINE_STALL_AFTER, default 60s).")
    var stallAfter: String?

    @Option(
        help:
            "Readiness turns red when the SQLite file's disk (or its page cap) has less room than this, e.g. 512MB (HOOKLINE_MIN_FREE_DISK, default 256MB)."
    )
    var minFreeDisk: String?
}

/// The `serve` flags of the tenant portal.
struct PortalOptions: ParsableArguments {
    @Option(
        help: "Public base URL for tenant-portal links, e.g. https://hooks.example.com (HOOKLINE_PORTAL_URL; default: the request's host over http).")
    var portalUrl: String?

    @Option(
        help:
            "An origin allowed to embed the tenant portal in an iframe, e.g. https://app.example.com; repeatable (HOOKLINE_PORTAL_FRAME_ANCESTORS, comma-separated; default 'self')."
    )
    var portalFrameAncestor: [String] = []

    /// The portal settings from these flags, else from `HOOKLINE_PORTAL_*`; throws for a malformed URL or origin.
    func settings(environment: [String: String]) throws -> HooklineServer.Configuration.Portal {
        let url = portalUrl ?? environment["HOOKLINE_PORTAL_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("the portal URL must start with http:// or https://")
        }
        let ancestors =
            portalFrameAncestor.isEmpty
            ? (environment["HOOKLINE_PORTAL_FRAME_ANCESTORS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            : portalFrameAncestor
        // Each source goes into a CSP header: no spaces, semicolons or commas that would change its meaning.
        if let bad = ancestors.first(where: { $0.contains(where: { " ;,\r\n".contains($0) }) }) {
            throw ValidationError("'\(bad)' is not a frame-ancestors source (e.g. https://app.example.com or 'self')")
        }
        return .init(publicURL: url, frameAncestors: ancestors.isEmpty ? ["'self'"] : ancestors)
    }
}

/// Parses sizes such as `512MB`, `2GB`, `64KiB` or a plain byte count (units are powers of 1024).
enum ByteSize {
    /// The number of bytes `text` names; a validation error naming the text otherwise.
    static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int64)] = [
            ("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("TIB", 1 << 40),
            ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("B", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int64(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), number >= 0 else { break }
            return number * factor
        }
        if let number = Int64(trimmed), number >= 0 { return number }
        throw ValidationError("'\(text)' is not a size such as 512MB, 2GB or a number of bytes")
    }
}
