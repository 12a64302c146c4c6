import ArgumentParser
import Foundation
import HooklineCore
import HooklineHTTP
import Logging

/// The one place that maps `serve` flags and `HOOKLINE_*` variables onto configuration.
struct ServeSettings {
    var host: String
    var port: Int
    var dataDirectory: String
    var apiKey: String?
    var retrySchedule: [Duration]
    var overloadDelay: Duration
    var maxInFlightPerEndpoint: Int
    var circuitOpenDuration: Duration
    var allowedNetworks: [IPRange]
    var logLevel: Logger.Level
    /// `--log-format`: `text` (swift-log's stream format) or `json` (one object per line).
    var logFormat: LogFormat
    var maxBodyBytes: Int
    var concurrency: Int
    var requestTimeout: Duration
    var retention: Duration
    /// `--history-retention`: how long finished messages are kept with their rows; `nil` (given as 0) keeps them forever.
    var historyRetention: Duration?
    var metricsToken: String?
    /// The tenant portal's link base and embedding origins.
    var portal: HooklineServer.Configuration.Portal
    var secretGracePeriod: Duration
    var inboundMaxBodyBytes: Int
    var inboundDedupWindow: Duration
    var streamHeartbeat: Duration
    var streamBuffer: Int
    var eventRetention: Duration
    var database: DatabaseTarget
    var leaseDuration: Duration
    /// `--auto-disable-after`; zero never disables.
    var autoDisableAfter: Duration
    /// `--operational-webhook-url`, if set.
    var operationalWebhookURL: String?
    /// `--operational-webhook-secret`, if set (else generated and kept in the data folder).
    var operationalWebhookSecret: String?
    /// `--stall-after`: how long a due delivery may wait with no attempt before readiness fails.
    var stallAfter: Duration
    /// `--min-free-disk` in bytes: the least room the SQLite store must have before readiness fails.
    var minFreeDisk: Int64

    init(options: ServeOptions, environment: [String: String]) throws {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment["HOOKLINE_\(name)"].flatMap { $0.isEmpty ? nil : $0 }
        }
        func integer(_ flag: Int?, _ name: String, default defaultValue: Int) throws -> Int {
            if let flag { return flag }
            guard let text = value(nil, name) else { return defaultValue }
            guard let number = Int(text) else { throw ValidationError("HOOKLINE_\(name) must be an integer, got '\(text)'") }
            return number
        }

        host = value(options.host, "HOST") ?? "127.0.0.1"
        port = try integer(options.port, "PORT", default: 8400)
        dataDirectory = URL(fileURLWithPath: value(options.dataDir, "DATA_DIR") ?? "hookline-data").standardizedFileURL.path
        apiKey = value(options.apiKey, "API_KEY")
        maxBodyBytes = try integer(options.maxBodyBytes, "MAX_BODY_BYTES", default: 1 << 20)
        concurrency = try integer(options.concurrency, "CONCURRENCY", default: 128)
        retrySchedule = try value(options.retrySchedule, "RETRY_SCHEDULE").map(DurationList.parse) ?? RetryPolicy.defaultSchedule
        maxInFlightPerEndpoint = try integer(options.maxInFlightPerEndpoint, "MAX_IN_FLIGHT_PER_ENDPOINT", default: 32)
        circuitOpenDuration = try value(options.circuitOpenDuration, "CIRCUIT_OPEN_DURATION").map(DurationList.parseOne) ?? .seconds(30)
        overloadDelay = try value(options.overloadDelay, "OVERLOAD_DELAY").map(DurationList.parseOne) ?? .seconds(60)
        requestTimeout = try value(options.requestTimeout, "REQUEST_TIMEOUT").map(DurationList.parseOne) ?? .seconds(15)
        secretGracePeriod = try value(options.secretGracePeriod, "SECRET_GRACE_PERIOD").map(DurationList.parseOne) ?? .seconds(24 * 3600)
        retention = try value(options.retention, "RETENTION").map(DurationList.parseOne) ?? .seconds(30 * 86400)
        historyRetention = try Self.historyWindow(value(options.historyRetention, "HISTORY_RETENTION"))
        metricsToken = value(options.metricsToken, "METRICS_TOKEN")
        inboundMaxBodyBytes = try integer(options.inboundMaxBodyBytes, "INBOUND_MAX_BODY_BYTES", default: 1 << 20)
        inboundDedupWindow = try value(options.inboundDedupWindow, "INBOUND_DEDUP_WINDOW").map(DurationList.parseOne) ?? .seconds(86400)

        streamHeartbeat = try value(options.streamHeartbeat, "STREAM_HEARTBEAT").map(DurationList.parseOne) ?? .seconds(15)
        streamBuffer = try integer(options.streamBuffer, "STREAM_BUFFER", default: 1024)
        eventRetention = try value(options.eventRetention, "EVENT_RETENTION").map(DurationList.parseOne) ?? .seconds(24 * 3600)
        guard streamBuffer >= 64, streamHeartbeat > .zero else {
            throw ValidationError("the stream buffer must hold at least 64 events and the heartbeat must be positive")
        }

        database = try DatabaseTarget(url: value(options.database, "DATABASE"), dataDirectory: dataDirectory)
        leaseDuration = try value(options.leaseDuration, "LEASE_DURATION").map(DurationList.parseOne) ?? requestTimeout + .seconds(45)
        guard leaseDuration > requestTimeout else { throw ValidationError("the lease duration must exceed the request timeout") }
        autoDisableAfter = try Self.autoDisableWindow(value(options.autoDisableAfter, "AUTO_DISABLE_AFTER"))
        operationalWebhookURL = try Self.operationalURL(value(options.operationalWebhookUrl, "OPERATIONAL_WEBHOOK_URL"))
        operationalWebhookSecret = value(options.operationalWebhookSecret, "OPERATIONAL_WEBHOOK_SECRET")
        stallAfter = try value(options.stallAfter, "STALL_AFTER").map(DurationList.parseOne) ?? .seconds(60)
        minFreeDisk = try value(options.minFreeDisk, "MIN_FREE_DISK").map(ByteSize.parse) ?? 256 << 20
        guard stallAfter > .zero else { throw ValidationError("the stall-after duration must be positive") }

        portal = try options.portal.settings(environment: environment)
        let networks =
            options.allowNetwork.isEmpty
            ? (environment["HOOKLINE_ALLOW_NETWORK"] ?? "").split(separator: ",").map(String.init)
            : options.allowNetwork
        allowedNetworks = try networks.map { text in
            guard let range = IPRange(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("'\(text)' is not a CIDR range such as 127.0.0.0/8")
            }
            return range
        }

        let levelText = value(options.logLevel, "LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("unknown log level '\(levelText)'")
        }
        logLevel = level
        let formatText = value(options.logFormat, "LOG_FORMAT") ?? "text"
        guard let format = LogFormat(rawValue: formatText.lowercased()) else {
            throw ValidationError("unknown log format '\(formatText)': use text or json")
        }
        logFormat = format
        guard (0...65535).contains(port) else { throw ValidationError("port must be between 0 and 65535") }
        guard concurrency > 0, maxBodyBytes > 0 else { throw ValidationError("concurrency and max body bytes must be positive") }
    }

    /// The node configuration these settings describe.
    func nodeConfiguration<Store: HooklineStore>(apiKey: String, store: Store.Type) -> HooklineNode<Store>.Configuration {
        let policy = NetworkPolicy(allowed: allowedNetworks)
        let executor = DeliveryExecutor<HTTPClientTransport, SystemClock>.Configuration(
            retryPolicy: RetryPolicy(schedule: retrySchedule, overloadMinimum: overloadDelay), requestTimeout: requestTimeout,
            autoDisable: AutoDisablePolicy(window: autoDisableAfter))
        var server = HooklineServer.Configuration(host: host, port: port, apiKey: apiKey, maxBodyBytes: maxBodyBytes)
        server.metricsToken = metricsToken
        server.portal = portal
        var configuration = HooklineNode<Store>.Configuration(
            server: server,
            gateway: .init(networkPolicy: policy, secretGracePeriod: secretGracePeriod),
            engine: .init(
                concurrency: concurrency, leaseDuration: leaseDuration, executor: executor,
                governor: .init(maxInFlightPerEndpoint: maxInFlightPerEndpoint, breaker: .init(openDuration: circuitOpenDuration))),
            transport: .init(networkPolicy: policy, connectTimeout: requestTimeout),
            retention: .init(retention: retention)
        )
        configuration.inbound = .init(maxBodyBytes: inboundMaxBodyBytes, dedupWindow: inboundDedupWindow, secretGracePeriod: secretGracePeriod)
        configuration.retention.eventRetention = eventRetention
        configuration.retention.historyRetention = historyRetention
        configuration.health = .init(stallAfter: stallAfter, minFreeSpace: minFreeDisk)
        configuration.broadcaster = .init(bufferSize: streamBuffer, batchSize: max(16, min(256, streamBuffer / 4)), heartbeat: streamHeartbeat)
        return configuration
    }
}

extension ServeSettings {
    /// Parses `--auto-disable-after`: a duration such as `5d`, or `0` for never; default 5 days.
    static func autoDisableWindow(_ text: String?) throws -> Duration {
        guard let text else { return AutoDisablePolicy.defaultWindow }
        if text.trimmingCharacters(in: .whitespaces) == "0" { return .zero }
        return try DurationList.parseOne(text)
    }

    /// Reads `--history-retention`: a duration (default 90 days), or `0` to keep finished messages forever (`nil`).
    static func historyWindow(_ text: String?) throws -> Duration? {
        guard let text else { return .seconds(90 * 86400) }
        if text.trimmingCharacters(in: .whitespaces) == "0" { return nil }
        return try DurationList.parseOne(text)
    }

    /// Checks `--operational-webhook-url`: an absolute http(s) URL, or `nil`.
    static func operationalURL(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("the operational webhook URL must be an absolute http(s) URL")
        }
        return text
    }

    /// The operational webhook configuration, or `nil` when no URL is set; resolves the secret from the data folder.
    func operationalConfiguration<Store: HooklineStore>(store: Store.Type) throws -> OperationalForwarder<Store, SystemClock>.Configuration? {
        guard let operationalWebhookURL else { return nil }
        let secret = try OperationalSecret.resolve(explicit: operationalWebhookSecret, dataDirectory: dataDirectory)
        return OperationalForwarder<Store, SystemClock>.Configuration(url: operationalWebhookURL, secret: secret)
    }
}

/// The secret that signs operational webhooks: given explicitly, or generated once and kept in the data folder.
enum OperationalSecret {
    /// The file name in the data folder.
    static let fileName = "operational-webhook-secret"

    /// The explicit secret, else the stored one, else a new `whsec_` secret written to `operational-webhook-secret` (mode 0600).
    static func resolve(explicit: String?, dataDirectory: String) throws -> EndpointSecret {
        if let explicit {
            do {
                return try EndpointSecret(explicit)
            } catch {
                throw ValidationError("the operational webhook secret must be whsec_ followed by base64 of 24 to 64 bytes")
            }
        }
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            let secret = try? EndpointSecret(stored)
        {
            return secret
        }
        let secret = EndpointSecret.random()
        guard FileManager.default.createFile(atPath: path, contents: Data((secret.encoded + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw CLIError("cannot write the operational webhook secret to \(path)")
        }
        return secret
    }
}

/// The admin API key: given explicitly, or generated once and kept in the data folder.
struct AdminKey {
    /// Where the key came from.
    enum Origin {
        case explicit
        case stored(path: String)
        case generated(path: String)
    }

    var value: String
    var origin: Origin

    /// The explicit key, else the stored one, else a new key written to `admin-api-key` (mode 0600).
    static func resolve(explicit: String?, dataDirectory: String) throws -> AdminKey {
        if let explicit { return AdminKey(value: explicit, origin: .explicit) }
        let path = (dataDirectory as NSString).appendingPathComponent("admin-api-key")
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !stored.isEmpty
        {
            return AdminKey(value: stored, origin: .stored(path: path))
        }
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let key = "hk_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
        guard FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write the admin API key to \(path)")
        }
        return AdminKey(value: key, origin: .generated(path: path))
    }
}
