import ArgumentParser
import Foundation
import HooklineCore
import HooklineHTTP

extension ServeSettings {
    /// Parses `--auto-disable-after`: a duration such as `5d`, or `0` for never; default 5 days.
    static func autoDisableWindow(_ text: String?) throws -> Duration {
        guard let text else { return AutoDisablePolicy.defaultWindow }
        if text.trimmingCharacters(in: .whitespaces) == "0" { return .zero }
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
